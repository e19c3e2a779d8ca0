// The stream request forms (WEBSOCKET, WS, SSE, GRPC, GraphQL subscriptions) through the built
// language server over stdio, as an editor sees them: a file of every form written right has no
// diagnostics, each wrong form has its code at its line, and the fixes, completion and hover
// answer over LSP.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { connectToProcess, pullClientCapabilities, type TestClient } from './lspClient';

const root = resolve(__dirname, '../../../..');
const serverBundle = join(root, 'dist/server.js');

/** The latest modification time of the TypeScript sources under `folders`. */
function newestSource(folders: readonly string[]): number {
  let newest = 0;
  for (const folder of folders) {
    for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

interface Diagnostic {
  readonly code?: string;
  readonly message: string;
  readonly severity?: number;
  readonly range: { readonly start: { readonly line: number; readonly character: number }; readonly end: { readonly line: number; readonly character: number } };
  readonly data?: unknown;
}

interface TextEdit {
  readonly range: Diagnostic['range'];
  readonly newText: string;
}

const streams = [
  '### Chat',
  'WEBSOCKET ws://localhost:3000/ws/chat',
  'Content-Type: application/json',
  '',
  '{"text": "hello"}',
  '=== wait-for-server',
  '{"text": "{{$uuid}}"}',
  '===',
  '{"text": "bye"}',
  '',
  '### Echo',
  'WS wss://example.com/echo',
  '',
  'hello',
  '',
  '### Events',
  'SSE https://example.com/events',
  '',
  '### Greet',
  'GRPC localhost:50051/helloworld.Greeter/SayHello',
  '',
  '{"name": "Ann"}',
  '',
  '### Ticks',
  'GRAPHQL wss://example.com/graphql',
  '',
  'subscription { ticks { at } }',
  '',
].join('\n');

const wrong = [
  'GET ws://localhost:3000/ws',
  '',
  '###',
  'WEBSOCKET https://example.com/ws',
  '',
  '###',
  'SSE wss://example.com/events',
  '',
  '###',
  'POST https://example.com/notes',
  '',
  'first',
  '=== wait-for-server',
  'second',
  '',
  '###',
  'WS ws://localhost:3000/ws',
  '',
  'one',
  '=== wait-for-sever',
  'two',
  '',
].join('\n');

describe('stream request forms through the language server over stdio', () => {
  let child: ChildProcessWithoutNullStreams;
  let client: TestClient;
  let workspace: string;

  before(async () => {
    // A lone run of this file may find the bundle missing or older than the sources: build it then.
    if (!existsSync(serverBundle) || newestSource(['language', 'server', 'engine', 'client']) > statSync(serverBundle).mtimeMs) {
      const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
      assert.equal(build.status, 0, `build failed: ${build.stderr}`);
    }
    workspace = mkdtempSync(join(tmpdir(), 'courier-lsp-streams-'));
    child = spawn(process.execPath, [serverBundle, '--stdio'], { cwd: workspace });
    client = connectToProcess(child);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'w' }],
      capabilities: pullClientCapabilities,
    });
    await client.connection.sendNotification('initialized', {});
  });

  after(() => {
    client.connection.dispose();
    child.kill();
    rmSync(workspace, { recursive: true, force: true });
  });

  const open = async (name: string, text: string): Promise<string> => {
    const uri = pathToFileURL(join(workspace, name)).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text } });
    return uri;
  };

  const diagnosticsOf = async (uri: string): Promise<Diagnostic[]> => {
    const report: { kind: string; items: Diagnostic[] } = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    return report.items;
  };

  test('a file of every stream form has no diagnostics', async () => {
    const uri = await open('streams.http', streams);
    assert.deepEqual(await diagnosticsOf(uri), []);
  });

  test('each wrong form has its code at its line', async () => {
    const uri = await open('wrong.http', wrong);
    const items = await diagnosticsOf(uri);
    assert.deepEqual(
      items.map((item) => [item.code, item.range.start.line, item.severity]),
      [
        ['http.url.scheme-mismatch', 0, 1],
        ['http.url.scheme-mismatch', 3, 4],
        ['http.url.scheme-mismatch', 6, 1],
        ['http.body.unexpected-separator', 12, 2],
        ['http.body.invalid-separator', 19, 2],
      ],
    );
  });

  test('the quick fixes repair them', async () => {
    const uri = await open('fixes.http', wrong);
    const items = await diagnosticsOf(uri);
    const lines = wrong.split('\n');
    const fixed: string[] = [];
    for (const diagnostic of items.filter((item) => item.code !== 'http.body.unexpected-separator')) {
      const actions: { title: string; edit?: { changes?: Record<string, TextEdit[]> } }[] = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
      const edit = actions[0]?.edit?.changes?.[uri]?.[0];
      assert.ok(edit !== undefined, `a fix for ${String(diagnostic.code)} at line ${diagnostic.range.start.line}`);
      const line = lines[edit.range.start.line] ?? '';
      fixed.push(line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character));
    }
    assert.deepEqual(fixed, ['WEBSOCKET ws://localhost:3000/ws', 'WEBSOCKET wss://example.com/ws', 'SSE https://example.com/events', '=== wait-for-server']);
  });

  test('completion offers the separators in a WebSocket body, and hover explains the form', async () => {
    const uri = await open('complete.http', 'WEBSOCKET ws://localhost:3000/ws\n\n{"a": 1}\n=\n');
    const list: { items: { label: string }[] } = await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 1 } });
    assert.deepEqual(list.items.map((item) => item.label), ['===', '=== wait-for-server']);
    const hover: { contents: { value: string } } = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.match(hover.contents.value, /^\*\*WEBSOCKET\*\*/);
    assert.match(hover.contents.value, /=== wait-for-server/);
  });
});

// The built server, spawned as an editor would: `node dist/server.js --stdio`.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { connectToProcess, connectWith, pullClientCapabilities, waitFor, type TestClient } from './lspClient';

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
  readonly range: { readonly start: { readonly line: number; readonly character: number } };
}

describe('language server over stdio', () => {
  let child: ChildProcessWithoutNullStreams;
  let client: TestClient;
  let workspace: string;
  let stderr = '';
  let capabilities: Record<string, unknown> = {};

  before(async () => {
    // `npm test` builds first; a lone `npm run test:unit` may not have, so build when the bundle is missing or stale.
    // client/ is in the list because the server normalises settings with client/settingsSchema.ts.
    if (!existsSync(serverBundle) || newestSource(['language', 'server', 'engine', 'client']) > statSync(serverBundle).mtimeMs) {
      const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
      assert.equal(build.status, 0, `build failed: ${build.stderr}`);
    }
    workspace = mkdtempSync(join(tmpdir(), 'courier-lsp-'));
    writeFileSync(join(workspace, 'http-client.env.json'), '{"dev": {"host": "localhost", }}');
    child = spawn(process.execPath, [serverBundle, '--stdio'], { cwd: workspace });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = connectToProcess(child);
    const result: { capabilities: Record<string, unknown> } = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'w' }],
      capabilities: pullClientCapabilities,
    });
    capabilities = result.capabilities;
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

  test('initialize announces the features', async () => {
    assert.deepEqual(capabilities.diagnosticProvider, { interFileDependencies: false, workspaceDiagnostics: false }, 'pull diagnostics');
    assert.deepEqual((capabilities.completionProvider as { triggerCharacters: string[] }).triggerCharacters, ['{', '.', '@', ':', ' ', '$', ',', '(', '"'], 'the language service\'s triggers, comma for lists such as Accept, ( and " for the ids of $auth.token("');
    for (const feature of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'codeLensProvider', 'documentFormattingProvider', 'codeActionProvider']) {
      assert.ok(capabilities[feature], feature);
    }
    const symbols: unknown[] = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: 'file:///nowhere.http' } });
    assert.deepEqual(symbols, [], 'an unknown document answers empty');
  });

  test('pull diagnostics report a malformed header at its line', async () => {
    const uri = await open('headers.http', 'GET https://example.com\nContent-Type application/json\n');
    const report: { kind: string; items: Diagnostic[] } = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    assert.deepEqual(report.items.map((d) => [d.code, d.range.start.line]), [['http.header.missing-colon', 1]]);
  });

  test('completion offers header names', async () => {
    const uri = await open('completion.http', 'GET https://example.com\nAcc');
    const list: { items: { label: string }[] } = await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 3 } });
    const labels = list.items.map((item) => item.label);
    assert.ok(labels.includes('Accept'), labels.join(', '));
    assert.ok(labels.includes('Accept-Encoding'));
  });

  test('a malformed env file gets its own diagnostics', async () => {
    const uri = await open('env.http', 'GET https://{{host}}/\n');
    await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const envUri = pathToFileURL(join(workspace, 'http-client.env.json')).href;
    await waitFor('env file diagnostics', () => client.published.some((p) => p.uri === envUri && p.diagnostics.length > 0));
    const published = client.published.find((p) => p.uri === envUri);
    assert.equal(published?.diagnostics[0]?.code, 'http.env.invalid');
  });

  test('--node-ipc works too, as the VS Code client starts it', async () => {
    const ipcChild = spawn(process.execPath, [serverBundle, '--node-ipc'], { cwd: workspace, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const ipc = connectWith(createMessageConnection(new IPCMessageReader(ipcChild), new IPCMessageWriter(ipcChild)));
    try {
      const result: { serverInfo?: { name: string } } = await ipc.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      assert.equal(result.serverInfo?.name, 'courier-language-server');
    } finally {
      ipc.connection.dispose();
      ipcChild.kill();
    }
  });

  test('courier/requestAt answers with the request line', async () => {
    const uri = await open('request.http', '# @name first\nGET https://example.com/1\n\n###\nPOST https://example.com/2\n');
    const found: unknown = await client.connection.sendRequest('courier/requestAt', { uri, position: { line: 4, character: 2 } });
    assert.deepEqual(found, { uri, line: 4, method: 'POST', target: 'https://example.com/2' });
    assert.equal(stderr.includes('Error'), false, stderr);
  });

  test('variables from courier.environments, read through workspace/configuration, are defined', async () => {
    client.connection.onRequest('workspace/configuration', (params: { readonly items: readonly unknown[] }) =>
      params.items.map(() => ({ environment: 'dev', environments: { dev: { token: 't' }, $shared: { region: 'eu' } } })),
    );
    const uri = await open('settings.http', 'GET https://example.com/{{region}}?t={{token}}&u={{user}}\n');
    const report: { items: (Diagnostic & { message: string })[] } = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const undefinedVariables = report.items.filter((d) => d.code === 'http.variable.undefined');
    assert.equal(undefinedVariables.length, 1, undefinedVariables.map((d) => d.message).join('\n'));
    assert.match(undefinedVariables[0]?.message ?? '', /user/);
  });
});

// The server in-process over a pair of streams, so a failing language service can be injected.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { createLanguageService, type LanguageService, type LanguageServiceHost } from '../../../language/service';
import { startInProcess } from './inProcessServer';
import { pullClientCapabilities, waitFor, type TestClient } from './lspClient';

const uri = 'file:///w/api.http';
const text = '@host = example.com\n# @name login\nGET https://{{host}}/x\nAccept: */*\n';

async function open(client: TestClient, content = text, version = 1): Promise<void> {
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version, text: content } });
}

/** A service whose every method throws, as a bug in any feature would. */
function throwingService(host: LanguageServiceHost): LanguageService {
  // The real facade is frozen, and a proxy of a frozen object must return its real methods: proxy a copy.
  const real = { ...createLanguageService(host) };
  return new Proxy(real, {
    get(target, property) {
      if (property === 'forget') return Reflect.get(target, property);
      return () => {
        throw new Error(`boom in ${String(property)}`);
      };
    },
  });
}

describe('language server', () => {
  test('a throwing feature is logged and answered empty; the server keeps serving', async () => {
    const { client, stop } = await startInProcess({ createService: throwingService });
    try {
      await open(client);
      const position = { line: 2, character: 14 };
      const textDocument = { uri };
      assert.deepEqual(await client.connection.sendRequest('textDocument/diagnostic', { textDocument }), { kind: 'full', items: [] });
      assert.equal(await client.connection.sendRequest('textDocument/completion', { textDocument, position }), null);
      assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument, position }), null);
      assert.deepEqual(await client.connection.sendRequest('textDocument/definition', { textDocument, position }), []);
      assert.deepEqual(await client.connection.sendRequest('textDocument/codeLens', { textDocument }), []);
      assert.deepEqual(await client.connection.sendRequest('textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } }), []);
      assert.equal(await client.connection.sendRequest('courier/requestAt', { uri, position }), null);
      await waitFor('the failures to be logged', () => client.logs.filter((line) => line.includes('boom in')).length >= 7);
      assert.match(client.logs.find((line) => line.includes('boom in diagnose')) ?? client.logs.join('\n'), /^diagnostics failed for file:\/\/\/w\/api\.http: Error: boom in diagnose/);
    } finally {
      stop();
    }
  });

  test('after a document\'s diagnostics, its incremental diagnostics are prepared once the server is idle', async () => {
    const prepared: string[] = [];
    const createService = (host: LanguageServiceHost): LanguageService => {
      const real = createLanguageService(host);
      const prepareIncremental = (preparedUri: string): void => {
        prepared.push(preparedUri);
        real.prepareIncremental(preparedUri);
      };
      return { ...real, prepareIncremental };
    };
    const { client, stop } = await startInProcess({ createService, idleBeforePreparingMs: 20 });
    try {
      await open(client);
      const textDocument = { uri };
      const report: { items: unknown[] } = await client.connection.sendRequest('textDocument/diagnostic', { textDocument });
      assert.ok(Array.isArray(report.items));
      assert.deepEqual(prepared, [], 'not while the open is being answered');
      await waitFor('incremental diagnostics to be prepared', () => prepared.length > 0);
      assert.deepEqual(prepared, [uri]);
    } finally {
      stop();
    }
  });

  test('features answer through the real service', async () => {
    const { client, stop } = await startInProcess({});
    try {
      await open(client);
      const textDocument = { uri };
      const definition: { range: { start: unknown } }[] = await client.connection.sendRequest('textDocument/definition', { textDocument, position: { line: 2, character: 15 } });
      assert.deepEqual(definition.map((location) => location.range.start), [{ line: 0, character: 1 }]);
      const lenses: { command: { command: string; arguments: unknown[] } }[] = await client.connection.sendRequest('textDocument/codeLens', { textDocument });
      assert.deepEqual(lenses.map((lens) => lens.command.arguments), [[uri, { line: 2, character: 0 }]]);
      const symbols: { name: string }[] = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument });
      assert.deepEqual(symbols.map((symbol) => symbol.name), ['login']);
      await assert.rejects(client.connection.sendRequest('textDocument/prepareRename', { textDocument, position: { line: 2, character: 4 } }).then((result) => {
        if (result === null) throw new Error('nothing to rename');
        return result;
      }), /nothing to rename/, 'no symbol under GET');
    } finally {
      stop();
    }
  });

  test('renaming a system variable is refused with a message', async () => {
    const { client, stop } = await startInProcess({});
    try {
      await open(client, 'GET https://example.com/{{$uuid}}\n');
      await assert.rejects(client.connection.sendRequest('textDocument/prepareRename', { textDocument: { uri }, position: { line: 0, character: 27 } }), /system variable/);
    } finally {
      stop();
    }
  });

  test('environments come from env files; the chosen one decides what is defined', async () => {
    const files: Record<string, string> = {
      '/w/http-client.env.json': '{"dev": {"host": "a"}, "prod": {"token": "t"}}',
    };
    const { client, stop } = await startInProcess({ readText: (path) => files[path] });
    try {
      await open(client, 'GET https://example.com/{{token}}\n');
      const environments: unknown = await client.connection.sendRequest('courier/environments', { uri });
      assert.deepEqual(environments, { names: ['dev', 'prod'], files: ['file:///w/http-client.env.json'], active: 'dev' }, 'courier.environment from the settings');
      const codes = async (): Promise<unknown[]> => (await client.connection.sendRequest<{ items: { code: unknown }[] }>('textDocument/diagnostic', { textDocument: { uri } })).items.map((d) => d.code);
      assert.deepEqual(await codes(), ['http.variable.undefined'], 'token is defined in prod only');
      await client.connection.sendNotification('courier/setEnvironment', { name: 'prod' });
      assert.deepEqual(await codes(), [], 'with prod chosen, token is defined');
      await client.connection.sendNotification('courier/setEnvironment', { name: null });
      assert.deepEqual(await codes(), ['http.variable.needs-environment'], 'with none chosen, token is defined but needs prod selected');
    } finally {
      stop();
    }
  });

  test("env files' auth problems are published, judged with the private file, and a misspelt key has a quick fix", async () => {
    const files: Record<string, string> = {
      '/w/http-client.env.json': '{"dev": {"Security": {"Auth": {"my-app": {\n  "Type": "OAuth2", "Grant Type": "Password", "Token URL": "https://idp/token",\n  "Clinet ID": "app", "Username": "ann"\n}}}}}',
      '/w/http-client.private.env.json': '{"dev": {"Security": {"Auth": {"my-app": {"Password": "pw"}}}}}',
    };
    const { client, stop } = await startInProcess({ readText: (path) => files[path] });
    try {
      await open(client, 'GET https://example.com/\nAuthorization: Bearer {{$auth.token("my-app")}}\n');
      await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      const envUri = 'file:///w/http-client.env.json';
      await waitFor('the env files\' problems', () => client.published.some((published) => published.uri === envUri));
      const published = client.published.find((candidate) => candidate.uri === envUri)?.diagnostics ?? [];
      // "Clinet ID" is unknown, so Client ID is missing; the Password in the private file is not.
      assert.deepEqual(published.map((diagnostic) => [diagnostic.code, diagnostic.range]), [
        ['http.env.auth.unknown-key', { start: { line: 2, character: 2 }, end: { line: 2, character: 13 } }],
        ['http.env.auth.missing-key', { start: { line: 0, character: 31 }, end: { line: 0, character: 39 } }],
      ]);
      assert.match(published[1]?.message ?? '', /needs "Client ID"/);
      assert.deepEqual(client.published.find((candidate) => candidate.uri === 'file:///w/http-client.private.env.json')?.diagnostics, []);
      const actions = await client.connection.sendRequest<{ title: string; edit: unknown }[]>('textDocument/codeAction', { textDocument: { uri: envUri }, range: published[0]?.range, context: { diagnostics: [published[0]] } });
      assert.deepEqual(actions.map((action) => [action.title, action.edit]), [['Change to "Client ID"', { changes: { [envUri]: [{ range: { start: { line: 2, character: 2 }, end: { line: 2, character: 13 } }, newText: '"Client ID"' }] } }]]);
    } finally {
      stop();
    }
  });

  test('a changed env file refreshes diagnostics, and go-to-definition reaches into it', async () => {
    const files: Record<string, string> = { '/w/http-client.env.json': '{"dev": {"host": "a"}}' };
    const { client, stop } = await startInProcess({ readText: (path) => files[path] });
    try {
      await open(client, 'GET https://{{host}}/{{token}}\n');
      const codes = async (): Promise<unknown[]> => (await client.connection.sendRequest<{ items: { code: unknown }[] }>('textDocument/diagnostic', { textDocument: { uri } })).items.map((d) => d.code);
      assert.deepEqual(await codes(), ['http.variable.undefined'], 'token is not defined yet');
      const definition: unknown = await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 15 } });
      assert.deepEqual(definition, [{ uri: 'file:///w/http-client.env.json', range: { start: { line: 0, character: 9 }, end: { line: 0, character: 15 } } }]);
      files['/w/http-client.env.json'] = '{"dev": {"host": "a", "token": "t"}}';
      const before = client.refreshes.count;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///w/http-client.env.json', type: 2 }] });
      await waitFor('a diagnostics refresh', () => client.refreshes.count > before);
      assert.deepEqual(await codes(), [], 'token is defined now');
    } finally {
      stop();
    }
  });

  test('a workspace folder added later widens the env file search', async () => {
    const files: Record<string, string> = { '/w/http-client.env.json': '{"dev": {"token": "t"}}' };
    const capabilities = { ...pullClientCapabilities, workspace: { ...pullClientCapabilities.workspace, workspaceFolders: true } };
    const { client, stop } = await startInProcess({ readText: (path) => files[path] }, { capabilities, root: null });
    try {
      const nested = 'file:///w/sub/a.http';
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: nested, languageId: 'http', version: 1, text: 'GET https://example.com/{{token}}\n' } });
      const codes = async (): Promise<unknown[]> => (await client.connection.sendRequest<{ items: { code: unknown }[] }>('textDocument/diagnostic', { textDocument: { uri: nested } })).items.map((d) => d.code);
      assert.deepEqual(await codes(), ['http.variable.undefined'], 'without a root only the document folder is searched');
      await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: 'file:///w', name: 'w' }], removed: [] } });
      assert.deepEqual(await codes(), [], 'with /w as root its env file is found');
    } finally {
      stop();
    }
  });

  test('clients without pull diagnostics get them pushed', async () => {
    const { client, stop } = await startInProcess({}, { capabilities: { workspace: {} } });
    try {
      await open(client, 'GET https://example.com\nBroken header\n');
      await waitFor('pushed diagnostics', () => client.published.some((p) => p.uri === uri && p.diagnostics.length === 1));
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'GET https://example.com\nA: b\n' }] });
      await waitFor('cleared diagnostics', () => client.published.at(-1)?.diagnostics.length === 0);
    } finally {
      stop();
    }
  });
});

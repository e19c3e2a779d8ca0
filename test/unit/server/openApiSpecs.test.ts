import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { findSpecFiles } from '../../../server/openApiSpecs';
import { startInProcess } from './inProcessServer';
import { waitFor } from './lspClient';

const fixture = (name: string): string => join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'openapi', name);

describe('OpenAPI specs in the language server', () => {
  const folders: string[] = [];
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  const workspace = (files: Readonly<Record<string, string>>): string => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-openapi-'));
    folders.push(folder);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(folder, name, '..'), { recursive: true });
      writeFileSync(join(folder, name), text);
    }
    return folder;
  };

  test('specs are found by name and by the configured paths and globs, not in dependencies', async () => {
    const folder = workspace({
      'openapi.yaml': '', 'svc/users.openapi.json': '', 'legacy/swagger.yml': '', 'node_modules/x/openapi.yaml': '',
      'api/spec.yaml': '', 'api/notes.yaml': '', 'other.json': '', 'given/description.json': '',
    });
    const found = await findSpecFiles([folder], ['api/s*.yaml', 'given/description.json']);
    assert.deepEqual(found.map((file) => file.slice(folder.length + 1)).sort(), ['api/spec.yaml', 'given/description.json', 'legacy/swagger.yml', 'openapi.yaml', 'svc/users.openapi.json']);
  });

  test('a broken spec is a diagnostic on its file at its line; a good one completes paths in .http files', async () => {
    const folder = workspace({ 'broken.openapi.yaml': 'openapi: 3.0.0\ninfo:\n  title: Broken\n  version: "1"\npaths:\n  /a:\n    get: [1,\n  b: 2\n' });
    copyFileSync(fixture('petstore-3.1.json'), join(folder, 'openapi.json'));
    const { client, stop } = await startInProcess({ scanWorkspaceAfterMs: 0 }, { root: pathToFileURL(folder).href });
    try {
      const brokenUri = pathToFileURL(join(folder, 'broken.openapi.yaml')).href;
      await waitFor('the broken spec\'s diagnostic', () => client.published.some((p) => p.uri === brokenUri && p.diagnostics.length > 0));
      const [problem] = client.published.find((p) => p.uri === brokenUri)!.diagnostics;
      assert.equal(problem.code, 'http.openapi.spec-invalid');
      assert.deepEqual((problem.range as { start: { line: number } }).start.line, 7);
      await waitFor('the good spec loaded', () => client.logs.some((line) => /OpenAPI spec .*openapi\.json: 3 operations/.test(line)));
      const uri = pathToFileURL(join(folder, 'api.http')).href;
      const text = 'GET {{baseUrl}}/pe\n';
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text } });
      const list = await client.connection.sendRequest<{ items: { label: string }[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: text.indexOf('\n') } });
      assert.deepEqual(list.items.map((item) => item.label).filter((label) => label.startsWith('/')), ['/pets', '/pets/{petId}']);
      const report = await client.connection.sendRequest<{ items: { code: string }[] }>('textDocument/diagnostic', { textDocument: { uri } });
      assert.deepEqual(report.items.filter((item) => item.code.startsWith('http.openapi')), []);
    } finally {
      stop();
    }
  });
});

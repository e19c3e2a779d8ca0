// Globals set by scripts in other `.http` files of the workspace: found by the server's background
// scan, kept up to date from file change events, and seen by diagnostics and hover.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { globalsSetIn, listHttpFilesOnDisk, WorkspaceScripts } from '../../../server/workspaceScripts';
import { startInProcess } from './inProcessServer';
import { waitFor } from './lspClient';

const login = '### Log in\nPOST https://example.com/login\n\n> {%\n  client.global.set("auth_token", response.body.token);\n%}\n';

describe('workspace script globals', () => {
  test('globalsSetIn reads literal global names with their lines, and parses nothing without them', () => {
    assert.deepEqual(globalsSetIn('file:///w/login.http', login), [{ name: 'auth_token', uri: 'file:///w/login.http', line: 4 }]);
    assert.deepEqual(globalsSetIn('file:///w/a.http', '< {% request.variables.set("x", "1") %}\nGET https://example.com\n'), []);
  });

  test('each document sees the other files\' globals, as one object until they change', () => {
    const files: Record<string, string> = { '/w/login.http': login };
    const index = new WorkspaceScripts((path) => files[path]);
    assert.equal(index.update('file:///w/login.http', files['/w/login.http']), true);
    const view = index.forDocument('file:///w/profile.http');
    assert.deepEqual([...(view?.keys() ?? [])], ['auth_token']);
    assert.equal(index.forDocument('file:///w/profile.http'), view, 'the same object while nothing changed');
    assert.equal(index.forDocument('file:///w/login.http'), undefined, 'a file does not see its own globals here');
    assert.equal(index.update('file:///w/login.http', files['/w/login.http']), false, 'the same text changes nothing');
    assert.equal(index.update('file:///w/login.http', undefined), true, 'deleted');
    assert.equal(index.forDocument('file:///w/profile.http'), undefined);
  });

  test('globals a named script file sets count, in the file that names it too', () => {
    const files: Record<string, string> = {
      '/w/items.http': 'POST https://example.com/items\n\n> ./scripts/remember-item.js\n\n###\nGET https://example.com/items/{{item_id}}\n',
      '/w/scripts/remember-item.js': '// keeps the id\nclient.test("ok", () => {});\nclient.global.set("item_id", String(response.body.id));\n',
    };
    const index = new WorkspaceScripts((path) => files[path]);
    assert.equal(index.update('file:///w/items.http', files['/w/items.http']), true);
    assert.deepEqual([...(index.forDocument('file:///w/items.http')?.values() ?? [])], [{ name: 'item_id', uri: 'file:///w/scripts/remember-item.js', line: 2 }]);
    files['/w/scripts/remember-item.js'] = 'client.log(1);\n';
    assert.equal(index.update('file:///w/items.http', files['/w/items.http']), true, 'the script file is read again with the file naming it');
    assert.equal(index.forDocument('file:///w/items.http'), undefined);
  });

  test('a saved edit to a named script file counts at once; a .js file no .http file names is never read', () => {
    const files: Record<string, string> = {
      '/w/items.http': 'POST https://example.com/items\n\n> ./remember.js\n',
      '/w/remember.js': 'client.log(1);\n',
    };
    const index = new WorkspaceScripts((path) => files[path]);
    index.update('file:///w/items.http', files['/w/items.http']);
    assert.equal(index.forDocument('file:///w/other.http'), undefined);
    assert.equal(index.updateScriptFile('file:///w/remember.js', 'client.global.set("item_id", "1");\n'), true);
    assert.deepEqual([...(index.forDocument('file:///w/other.http')?.keys() ?? [])], ['item_id']);
    assert.equal(index.updateScriptFile('file:///w/remember.js', undefined), true, 'deleted');
    assert.equal(index.forDocument('file:///w/other.http'), undefined);
    assert.equal(index.updateScriptFile('file:///w/unrelated.js', 'client.global.set("x", "1");\n'), false);
  });

  test('the scan lists .http and .rest files, skipping hidden and dependency folders', async () => {
    const root = mkdtempSync(join(tmpdir(), 'courier-workspace-scripts-'));
    try {
      mkdirSync(join(root, 'api', 'auth'), { recursive: true });
      mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
      mkdirSync(join(root, '.git'));
      writeFileSync(join(root, 'api', 'auth', 'login.http'), login);
      writeFileSync(join(root, 'api', 'users.rest'), 'GET https://example.com\n');
      writeFileSync(join(root, 'node_modules', 'x', 'vendored.http'), login);
      writeFileSync(join(root, '.git', 'x.http'), login);
      writeFileSync(join(root, 'notes.txt'), login);
      const found = (await listHttpFilesOnDisk([root])).map((path) => path.slice(root.length + 1)).sort();
      assert.deepEqual(found, [join('api', 'auth', 'login.http'), join('api', 'users.rest')]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('through the server: a global set in another file is defined, hovers with its place, and goes when that file changes', async () => {
    const files: Record<string, string> = { '/w/login.http': login };
    const { client, stop } = await startInProcess({ readText: (path) => files[path], listHttpFiles: () => Promise.resolve(['/w/login.http']) });
    try {
      const uri = 'file:///w/profile.http';
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text: 'GET https://example.com/me\nAuthorization: Bearer {{auth_token}}\n' } });
      const codes = async (): Promise<unknown[]> => (await client.connection.sendRequest<{ items: { code: unknown }[] }>('textDocument/diagnostic', { textDocument: { uri } })).items.map((d) => d.code);
      await waitFor('the scan to find auth_token', () => client.refreshes.count > 0);
      assert.deepEqual(await codes(), []);
      const hover = await client.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 27 } });
      assert.match(hover.contents.value, /set by a script at `login\.http:5`/);
      files['/w/login.http'] = login.replace('auth_token', 'token');
      const before = client.refreshes.count;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///w/login.http', type: 2 }] });
      await waitFor('a diagnostics refresh', () => client.refreshes.count > before);
      assert.deepEqual(await codes(), ['http.variable.undefined']);
    } finally {
      stop();
    }
  });

  test('through the server: a saved edit to a handler file another .http file names changes what is defined', async () => {
    const files: Record<string, string> = { '/w/items.http': 'POST https://example.com/items\n\n> ./remember.js\n', '/w/remember.js': 'client.global.set("other", "1");\n' };
    const { client, stop } = await startInProcess({ readText: (path) => files[path], listHttpFiles: () => Promise.resolve(['/w/items.http']) });
    try {
      const uri = 'file:///w/read.http';
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text: 'GET https://example.com/items/{{item_id}}\n' } });
      const codes = async (): Promise<unknown[]> => (await client.connection.sendRequest<{ items: { code: unknown }[] }>('textDocument/diagnostic', { textDocument: { uri } })).items.map((d) => d.code);
      // The scan finds `other` in the handler file: from then on the server knows that file.
      await waitFor('the scan to read the handler file', () => client.refreshes.count > 0);
      assert.deepEqual(await codes(), ['http.variable.undefined']);
      files['/w/remember.js'] = 'client.global.set("item_id", String(response.body.id));\n';
      const before = client.refreshes.count;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///w/remember.js', type: 2 }] });
      await waitFor('a diagnostics refresh', () => client.refreshes.count > before);
      assert.deepEqual(await codes(), []);
    } finally {
      stop();
    }
  });
});

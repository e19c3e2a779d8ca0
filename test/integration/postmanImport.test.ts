// Courier: Import Postman Collection in the real editor: the demo collection and its environment,
// chosen together, become files on disk, and the first `.http` file opens.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureFolder } from './fixture';
import { waitFor } from './poll';

suite('Import Postman Collection', () => {
  const samples = (): string => vscode.Uri.joinPath(fixtureFolder(), '..', '..', '..', 'samples', 'postman').fsPath;
  let out: string;
  setup(() => {
    out = mkdtempSync(join(tmpdir(), 'courier-postman-import-'));
  });
  teardown(async () => {
    await closeAllEditors();
    rmSync(out, { recursive: true, force: true });
  });

  test('writes the files of a collection and its environment (given in either order) and opens the first .http file', async () => {
    const written = await vscode.commands.executeCommand<string[]>('courier.importPostman', {
      files: [join(samples(), 'demo.postman_environment.json'), join(samples(), 'demo.postman_collection.json')],
      out,
    });
    assert.deepEqual(
      written?.map((path) => path.slice(out.length + 1)),
      ['Courier demo API.http', 'Items.http', join('Items', 'Search.http'), 'Auth.http', 'Uploads.http', 'http-client.env.json', 'http-client.private.env.json'],
    );
    const editor = await waitFor('the first imported file to open', () => (vscode.window.activeTextEditor?.document.fileName.endsWith('Courier demo API.http') === true ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.document.languageId, 'http');
    assert.match(editor.document.getText(), /^### API index\n# @name apiIndex\n/m);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'http-client.private.env.json'), 'utf8')), { 'Demo local': { password: 'secret', apiToken: 'demo-token' } });
  });

  test('replaces files only when told to; a file that is not a collection writes nothing', async () => {
    writeFileSync(join(out, 'Auth.http'), 'GET https://kept.example\n');
    const notACollection = join(out, 'settings.json');
    writeFileSync(notACollection, '{ "editor.tabSize": 2 }');
    assert.equal(await vscode.commands.executeCommand('courier.importPostman', { files: [notACollection], out }), undefined);
    assert.equal(readFileSync(join(out, 'Auth.http'), 'utf8'), 'GET https://kept.example\n');

    const written = await vscode.commands.executeCommand<string[]>('courier.importPostman', { files: [join(samples(), 'demo.postman_collection.json')], out, replace: true });
    assert.ok(written?.some((path) => basename(path) === 'Auth.http'));
    assert.match(readFileSync(join(out, 'Auth.http'), 'utf8'), /### Digest/);
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, courierApi, extensionId, openFixture } from './fixture';
import { waitFor } from './poll';

suite('Activation', () => {
  teardown(closeAllEditors);

  test('opening a .http file activates Courier, and its language client reaches the server', async () => {
    const editor = await openFixture('requests.http');
    assert.equal(editor.document.languageId, 'http', 'a .http file should get the http language');

    const api = await courierApi();
    assert.ok(vscode.extensions.getExtension(extensionId)?.isActive, 'Courier should be active');

    // serverInfo comes from the server's `initialize` answer, so it proves a round trip.
    const server = await waitFor('the language server to answer initialize', () => api.languageServer());
    assert.equal(server.name, 'courier-language-server');
  });
});

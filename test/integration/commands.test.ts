import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExchangeSummary } from '../../client/sentExchanges';
import { closeAllEditors, openHttp, suiteWithLocalApi } from './fixture';

suite('Commands', () => {
  const api = suiteWithLocalApi();
  teardown(closeAllEditors);

  test('courier.copyAsCurl puts the request at the cursor on the clipboard', async () => {
    const editor = await openHttp('@host = 127.0.0.1:9\n\n###\nPOST http://{{host}}/items\nContent-Type: application/json\n\n{"name": "O\'Brien"}\n');
    const command = await vscode.commands.executeCommand<string>('courier.copyAsCurl', editor.document.uri, { line: 3, character: 0 });
    assert.equal(command, `curl \\\n  -H 'Content-Type: application/json' \\\n  --data-binary '{"name": "O'\\''Brien"}' \\\n  --location --max-redirs 10 \\\n  http://127.0.0.1:9/items`);
    assert.equal(await vscode.env.clipboard.readText(), command);
  });

  test('courier.copyAsCurl uses the response of a request sent earlier in this window, and sends nothing itself', async () => {
    // The local API answers {"path": "/login-for-curl", ...}: the path stands in for a token.
    const editor = await openHttp(`# @name login\nPOST ${api().url}/login-for-curl\n\n###\nGET ${api().url}/me\nAuthorization: Bearer {{login.response.body.$.path}}\n`);
    const dependent = { line: 4, character: 0 };
    assert.equal(await vscode.commands.executeCommand('courier.copyAsCurl', editor.document.uri, dependent), undefined, 'login was not sent yet: nothing to copy');
    const [login] = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 1, character: 0 });
    assert.equal(login?.response?.status, 200, login?.error?.message);
    const sentBefore = api().seen.length;
    const command = await vscode.commands.executeCommand<string>('courier.copyAsCurl', editor.document.uri, dependent);
    assert.equal(command, `curl \\\n  -H 'Authorization: Bearer /login-for-curl' \\\n  --location --max-redirs 10 \\\n  ${api().url}/me`);
    assert.equal(await vscode.env.clipboard.readText(), command);
    assert.equal(api().seen.length, sentBefore, 'copying sent nothing');
  });

  test('courier.importCurl inserts the request at the cursor, after a separator', async () => {
    const editor = await openHttp('GET http://127.0.0.1:9/first\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.commands.executeCommand('courier.importCurl', `curl -X PUT 'http://127.0.0.1:9/items/1' -H 'Accept: application/json' --data-raw '{"a":1}'`);
    assert.equal(editor.document.getText(), 'GET http://127.0.0.1:9/first\n###\n# @no-redirect\nPUT http://127.0.0.1:9/items/1\nContent-Type: application/x-www-form-urlencoded\nAccept: application/json\n\n{"a":1}\n');
  });

  test('commands with nothing to act on answer without failing', async () => {
    await closeAllEditors();
    assert.deepEqual(await vscode.commands.executeCommand('courier.sendRequest'), []);
    assert.equal(await vscode.commands.executeCommand('courier.copyAsCurl'), undefined);
    assert.equal(await vscode.commands.executeCommand('courier.cancelRequest'), 0);
    assert.equal(await vscode.commands.executeCommand('courier.showHistory', 'no-such-entry'), undefined);
  });
});

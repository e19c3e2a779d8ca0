import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, courierApi, openHttp, removeHttpFiles } from './fixture';
import { waitFor } from './poll';

/** Labels VS Code's completion command returns at `position`, once the server offers any. */
async function completionLabels(uri: vscode.Uri, position: vscode.Position, expected: string): Promise<string[]> {
  return waitFor(`completions at ${position.line}:${position.character} including ${expected}`, async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    return labels.includes(expected) ? labels : undefined;
  });
}

suite('Completion', () => {
  suiteSetup(async () => {
    await courierApi();
  });
  suiteTeardown(removeHttpFiles);
  teardown(closeAllEditors);

  test('offers header names on the line after a request line', async () => {
    const editor = await openHttp('GET http://127.0.0.1:8080/items\n\n');
    const labels = await completionLabels(editor.document.uri, new vscode.Position(1, 0), 'Content-Type');
    assert.ok(labels.includes('Accept'), `Accept should be offered too; got ${labels.slice(0, 20).join(', ')}`);
  });

  test('offers MIME types after "Content-Type: "', async () => {
    const editor = await openHttp('POST http://127.0.0.1:8080/items\nContent-Type: \n');
    const labels = await completionLabels(editor.document.uri, new vscode.Position(1, 'Content-Type: '.length), 'application/json');
    assert.ok(labels.includes('text/plain'), `text/plain should be offered too; got ${labels.slice(0, 20).join(', ')}`);
    assert.ok(!labels.includes('Accept'), 'header names are not offered in a header value');
  });
});

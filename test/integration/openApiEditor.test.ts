// The language server's OpenAPI features in the real editor: the workspace's spec
// (test/fixtures/workspace/petstore.openapi.json, found by its name) completes paths after its
// server URL and warns on a method its path does not have.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, courierApi, openHttp, removeHttpFiles } from './fixture';
import { waitFor } from './poll';

suite('OpenAPI in the editor', () => {
  suiteSetup(async () => {
    await courierApi();
  });
  suiteTeardown(removeHttpFiles);
  teardown(closeAllEditors);

  test('paths of the workspace spec complete after its server URL, path parameters as placeholders', async () => {
    const text = 'GET http://localhost:8080/v2/\n';
    const editor = await openHttp(text);
    const position = new vscode.Position(0, text.length - 1);
    // The server loads the spec in the background after it starts: ask until it has.
    const labels = await waitFor('path completions from petstore.openapi.json', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      const found = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      return found.includes('/pets/{petId}') ? found : undefined;
    });
    assert.ok(labels.includes('/pets'), `/pets should be offered too; got ${labels.slice(0, 20).join(', ')}`);
  });

  test('a method the spec does not have for the path is a warning naming the ones it has', async () => {
    const editor = await openHttp('PATCH http://localhost:8080/v2/pets\n');
    const diagnostic = await waitFor('the unknown-method warning', () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((candidate) => String(typeof candidate.code === 'object' ? candidate.code.value : candidate.code) === 'http.openapi.unknown-method'),
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.range.start.line, 0);
    assert.match(diagnostic.message, /GET|POST/);
  });
});

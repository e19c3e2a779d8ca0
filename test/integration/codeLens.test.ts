import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, courierApi, openFixture } from './fixture';
import { waitFor } from './poll';

suite('CodeLens', () => {
  suiteSetup(async () => {
    await courierApi();
  });
  teardown(closeAllEditors);

  test('shows "Send Request" above each request', async () => {
    const editor = await openFixture('requests.http');
    const requestLines = [...Array(editor.document.lineCount).keys()].filter((line) =>
      /^(GET|POST|PUT|PATCH|DELETE) /.test(editor.document.lineAt(line).text),
    );
    assert.equal(requestLines.length, 3, 'the fixture holds three requests');

    const lensLines = await waitFor('a Send Request lens for every request', async () => {
      // Resolve every lens, so servers that fill in commands lazily are covered too.
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
      const lines = lenses.filter((lens) => lens.command?.title === 'Send Request').map((lens) => lens.range.start.line);
      return lines.length >= requestLines.length ? lines.sort((a, b) => a - b) : undefined;
    });
    assert.equal(lensLines.length, requestLines.length, `exactly one Send Request per request; got lines ${lensLines.join(', ')}`);
    // A lens sits on its request line or on the `###` separator that opens the request's block.
    requestLines.forEach((requestLine, index) => {
      const lensLine = lensLines[index] ?? -1;
      const between = editor.document.getText(new vscode.Range(lensLine, 0, requestLine, 0));
      assert.ok(lensLine <= requestLine && !/^(GET|POST|PUT|PATCH|DELETE) /m.test(between), `request on line ${requestLine} should have its own lens; got line ${lensLine}`);
    });
  });
});

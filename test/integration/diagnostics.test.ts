import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, courierApi, openHttp, removeHttpFiles } from './fixture';
import { waitFor } from './poll';

/** A diagnostic's code as a string, whether the server sent it plain or with a link. */
function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The diagnostics of `uri`, one line each, for failure messages. */
function listDiagnostics(uri: vscode.Uri): string {
  const diagnostics = vscode.languages.getDiagnostics(uri);
  if (diagnostics.length === 0) return 'no diagnostics';
  return diagnostics.map((d) => `${codeOf(d) ?? '(no code)'} at ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} "${d.message}"`).join('; ');
}

suite('Diagnostics', () => {
  suiteSetup(async () => {
    await courierApi();
  });
  suiteTeardown(removeHttpFiles);
  teardown(closeAllEditors);

  test('a header line without a colon is reported as http.header.missing-colon on that line, and clears when fixed', async () => {
    const editor = await openHttp('GET http://127.0.0.1:8080/items\nAccept application/json\n');
    const uri = editor.document.uri;

    const missingColon = await waitFor('an http.header.missing-colon diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((diagnostic) => codeOf(diagnostic) === 'http.header.missing-colon'),
      { explain: () => listDiagnostics(uri) },
    );
    const headerLine = editor.document.lineAt(1);
    assert.equal(missingColon.range.start.line, 1, 'the problem is on the header line');
    assert.equal(missingColon.range.end.line, 1, 'the problem stays on the header line');
    assert.equal(missingColon.range.start.character, 0, 'the range starts where the header starts');
    assert.ok(missingColon.range.end.character >= 'Accept'.length, 'the range covers at least the header name');
    assert.ok(missingColon.range.end.character <= headerLine.text.length, 'the range ends within the line');
    assert.equal(missingColon.severity, vscode.DiagnosticSeverity.Error);

    const fixed = await editor.edit((edit) => edit.insert(new vscode.Position(1, 'Accept'.length), ':'));
    assert.ok(fixed, 'the edit adding the colon should apply');
    await waitFor('the missing-colon diagnostic to clear', () =>
      vscode.languages.getDiagnostics(uri).some((diagnostic) => codeOf(diagnostic) === 'http.header.missing-colon') ? undefined : true,
      { explain: () => listDiagnostics(uri) },
    );
  });

  test('a global a handler sets is defined in later requests, and a JavaScript syntax error shows at its line', async () => {
    const text = [
      '### Log in',
      'POST http://127.0.0.1:8080/login',
      '',
      '> {%',
      '  client.global.set("auth_token", response.body.accessToken);',
      '%}',
      '',
      '### Profile',
      'GET http://127.0.0.1:8080/me',
      'Authorization: Bearer {{auth_token}}',
      '',
      '> {%',
      '  client.test("ok", () => {',
      '    client.assert(response.status === = 200);',
      '  });',
      '%}',
      '',
    ].join('\n');
    const editor = await openHttp(text);
    const uri = editor.document.uri;
    const syntaxError = await waitFor('an http.script.syntax-error diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((diagnostic) => codeOf(diagnostic) === 'http.script.syntax-error'),
      { explain: () => listDiagnostics(uri) },
    );
    assert.equal(syntaxError.range.start.line, 13, 'on the line with the stray =');
    assert.equal(syntaxError.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      vscode.languages.getDiagnostics(uri).filter((diagnostic) => codeOf(diagnostic) === 'http.variable.undefined').map((diagnostic) => diagnostic.message),
      [],
      'auth_token is set by the first request\'s handler',
    );
  });
});

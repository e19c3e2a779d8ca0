// JetBrains' Security.Auth in the real VS Code: an env file's misspelt key is underlined with a
// quick fix that corrects it (the server registers code actions for env files itself, as the
// client syncs only .http files), and `{{$auth.token("` completes the configured ids.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, courierApi, fixtureFolder, openHttp, removeHttpFiles } from './fixture';
import { waitFor } from './poll';

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return code === undefined ? undefined : typeof code === 'object' ? String(code.value) : String(code);
}

function listDiagnostics(uri: vscode.Uri): string {
  const diagnostics = vscode.languages.getDiagnostics(uri);
  return diagnostics.length === 0 ? 'no diagnostics' : diagnostics.map((d) => `${codeOf(d) ?? '(no code)'} at ${d.range.start.line}:${d.range.start.character} "${d.message}"`).join('; ');
}

const envFile = {
  dev: {
    Security: {
      Auth: {
        'my-app': { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'http://127.0.0.1:9/token', 'Clinet ID': 'courier' },
        robot: { Type: 'OAuth2', 'Grant Type': 'Password', 'Token URL': 'http://127.0.0.1:9/token', 'Client ID': 'robot', Username: 'ann', Password: 'pw' },
      },
    },
  },
};

suite('Auth configurations of env files', () => {
  // Inside the workspace, so VS Code's file watcher reports the saved env file to the server.
  let folder = '';
  suiteSetup(async () => {
    // Courier activates on the first http document.
    await openHttp('GET http://127.0.0.1:9/\n');
    await courierApi();
    folder = join(fixtureFolder().fsPath, `auth-configurations-${process.pid}`);
    mkdirSync(folder, { recursive: true });
  });
  teardown(closeAllEditors);
  suiteTeardown(() => {
    removeHttpFiles();
    if (folder !== '') rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('a misspelt key is a warning whose quick fix corrects it, and $auth.token(" completes the ids', async () => {
    const envPath = join(folder, 'http-client.env.json');
    writeFileSync(envPath, JSON.stringify(envFile, null, 2));
    const httpPath = join(folder, 'auth.http');
    const requestLine = 'GET http://127.0.0.1:9/me';
    const headerStart = 'Authorization: Bearer {{$auth.token("';
    writeFileSync(httpPath, `${requestLine}\n${headerStart}")}}\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(httpPath)));
    const envUri = vscode.Uri.file(envPath);

    const misspelt = await waitFor('the env file\'s unknown-key warning', () => vscode.languages.getDiagnostics(envUri).find((diagnostic) => codeOf(diagnostic) === 'http.env.auth.unknown-key'), { explain: () => listDiagnostics(envUri) });
    assert.equal(misspelt.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(misspelt.message, /Unknown key "Clinet ID" in auth configuration "my-app": did you mean "Client ID"\?/);
    assert.ok(vscode.languages.getDiagnostics(envUri).some((diagnostic) => codeOf(diagnostic) === 'http.env.auth.missing-key'), `Client ID is missing while misspelt; ${listDiagnostics(envUri)}`);

    // VS Code asks code action providers only for a document it has loaded.
    const envDocument = await vscode.workspace.openTextDocument(envUri);
    const actions = await waitFor('the quick fix', async () => {
      const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', envUri, misspelt.range);
      return offered.find((action) => action.title === 'Change to "Client ID"');
    });
    assert.ok(actions.edit, 'the fix is an edit');
    assert.ok(await vscode.workspace.applyEdit(actions.edit), 'the fix applies');
    assert.match(envDocument.getText(), /"Client ID": "courier"/);
    assert.doesNotMatch(envDocument.getText(), /Clinet/);
    assert.ok(await envDocument.save(), 'the env file saves');
    await waitFor('the env file\'s auth problems to clear', () => (vscode.languages.getDiagnostics(envUri).some((diagnostic) => codeOf(diagnostic)?.startsWith('http.env.auth.') === true) ? undefined : true), { explain: () => listDiagnostics(envUri) });

    const position = new vscode.Position(1, headerStart.length);
    const labels = await waitFor('the configured ids', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      const found = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      return found.includes('my-app') ? found : undefined;
    });
    assert.deepEqual(labels.filter((label) => label === 'my-app' || label === 'robot').sort(), ['my-app', 'robot']);
  });
});

// JetBrains' SSLConfiguration in a real VS Code: the passphrase of an encrypted client
// certificate key is asked with the same input box as `# @prompt` (VS Code's commands can only
// accept it empty or dismiss it), and the env file's problems are shown on the env file.
import * as assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExchangeSummary } from '../../client/sentExchanges';
import { closeAllEditors, fixtureFolder } from './fixture';
import { waitFor } from './poll';

/** Sends the first request of `file`, running `answer` every 100 ms until the send has finished. */
async function sendAnswering(file: string, answer: string): Promise<readonly ExchangeSummary[]> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
  let finished = false;
  const sending = Promise.resolve(vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 })).finally(() => {
    finished = true;
  });
  while (!finished) {
    await vscode.commands.executeCommand(answer);
    await Promise.race([sending, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  return sending;
}

suite("JetBrains' SSLConfiguration", () => {
  let folder: string;
  suiteSetup(() => {
    folder = mkdtempSync(join(tmpdir(), 'courier-ssl-'));
    const tls = vscode.Uri.joinPath(fixtureFolder(), '..', 'tls').fsPath;
    writeFileSync(join(folder, 'client.pem'), readFileSync(join(tls, 'client.pem')));
    const key = createPrivateKey(readFileSync(join(tls, 'client.key')));
    writeFileSync(join(folder, 'client.key'), key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'not empty' }));
    writeFileSync(
      join(folder, 'http-client.private.env.json'),
      JSON.stringify({ dev: { SSLConfiguration: { clientCertificate: 'client.pem', clientCertificateKey: 'client.key', hasCertificatePassphrase: true, verifyHostCertficate: false } } }, undefined, 2),
    );
    // Nothing listens on port 1: the passphrase is asked, and checked, before connecting.
    writeFileSync(join(folder, 'api.http'), 'GET https://127.0.0.1:1/\n');
  });
  setup(async () => {
    assert.equal(await vscode.commands.executeCommand('courier.switchEnvironment', 'dev'), 'dev');
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('courier.switchEnvironment', '');
    rmSync(folder, { recursive: true, force: true });
  });

  test('the passphrase is asked in an input box: dismissed, nothing is sent and the error says so', async () => {
    const [exchange] = await sendAnswering(join(folder, 'api.http'), 'workbench.action.closeQuickOpen');
    assert.equal(exchange?.response, undefined);
    assert.equal(exchange?.error?.code, 'aborted');
    assert.match(exchange?.error?.message ?? '', /not sent: no passphrase was given for the client certificate key .*client\.key/);
  });

  test('a wrong (empty) passphrase is a clear error naming the key and the env file', async () => {
    const [exchange] = await sendAnswering(join(folder, 'api.http'), 'workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(exchange?.error?.code, 'tls');
    assert.match(exchange?.error?.message ?? '', /the passphrase for the client certificate key .*client\.key is wrong \("clientCertificateKey" in SSLConfiguration of environment "dev", .*http-client\.private\.env\.json\)/);
  });

  test('a misspelt key is a warning on the env file, with its code', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder, 'api.http'))));
    const environmentFile = vscode.Uri.file(join(folder, 'http-client.private.env.json'));
    const warning = await waitFor('the env file diagnostics', () => vscode.languages.getDiagnostics(environmentFile).find((diagnostic) => diagnostic.code === 'http.env.ssl-unknown-key'));
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /did you mean "verifyHostCertificate"\?/);
  });
});

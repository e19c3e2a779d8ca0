// A first run, in the real VS Code: with no environment selected, sending a request whose variable
// only environments define asks which one (a quick pick, answered with VS Code's own quick-open
// commands), remembers the answer and sends; dismissing it sends nothing. The response panel keeps
// its response when hidden and shown, and shows it again after its webview reloads.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExchangeSummary } from '../../client/sentExchanges';
import { closeAllEditors, courierApi, openHttp, suiteWithLocalApi } from './fixture';
import { waitFor } from './poll';

/** Runs `command` on `uri`, running `answer` every 100 ms once a question is open, until the command has finished. */
async function runAnswering(command: string, args: readonly unknown[], answer: string): Promise<readonly ExchangeSummary[]> {
  let finished = false;
  const running = Promise.resolve(vscode.commands.executeCommand<ExchangeSummary[]>(command, ...args)).finally(() => {
    finished = true;
  });
  while (!finished) {
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 100))]);
    if (!finished) await vscode.commands.executeCommand(answer);
  }
  return running;
}

/** Selects no environment, as "No environment" in the switch does. */
async function selectNoEnvironment(): Promise<void> {
  await vscode.commands.executeCommand('courier.switchEnvironment', '');
}

suite('First run: the environment question', () => {
  const api = suiteWithLocalApi();
  let folder: string;
  suiteSetup(() => {
    folder = mkdtempSync(join(tmpdir(), 'courier-first-run-'));
  });
  setup(selectNoEnvironment);
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
    await selectNoEnvironment();
  });
  suiteTeardown(() => rmSync(folder, { recursive: true, force: true }));

  /** A `.http` file beside an env file where only `local` (the local API) and `staging` (nothing listens) define `origin`. */
  async function openFirstRun(name: string, text: string): Promise<vscode.TextEditor> {
    writeFileSync(join(folder, 'http-client.env.json'), JSON.stringify({ $shared: { version: 'v1' }, local: { origin: api().url }, staging: { origin: 'http://127.0.0.1:9' } }));
    const file = join(folder, name);
    writeFileSync(file, text);
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
  }

  test('the editor warns on the variable, naming the environments that define it', async () => {
    const editor = await openFirstRun('warned.http', 'GET {{origin}}/warned\n');
    const warning = await waitFor('the needs-environment warning', () => vscode.languages.getDiagnostics(editor.document.uri).find((diagnostic) => diagnostic.code === 'http.variable.needs-environment'));
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /'origin' is defined only in environments 'local', 'staging', and no environment is selected/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, warning.range);
    const select = actions.find((action) => action.title === "Select environment 'local'");
    assert.ok(select?.command, `a quick fix selects local; offered: ${actions.map((action) => action.title).join(', ')}`);
    await vscode.commands.executeCommand(select.command.command, ...((select.command.arguments ?? []) as unknown[]));
    await waitFor('the warning to go once local is selected', () => (vscode.languages.getDiagnostics(editor.document.uri).some((diagnostic) => diagnostic.code === 'http.variable.needs-environment') ? undefined : true));
    assert.equal(await vscode.commands.executeCommand('courier.switchEnvironment', 'local'), 'local');
  });

  test('sending asks which environment, offering those that define it, then sends with the answer and remembers it', async () => {
    const courier = await courierApi();
    const editor = await openFirstRun('first.http', 'GET {{origin}}/first-run?v={{version}}\n');
    const before = api().seen.length;
    const [exchange] = await runAnswering('courier.sendRequest', [editor.document.uri, { line: 0, character: 0 }], 'workbench.action.acceptSelectedQuickOpenItem');
    assert.deepEqual(courier.environmentQuestion(), { variables: ['origin'], offered: ['local', 'staging'] });
    assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
    assert.equal(api().seen.at(-1)?.path, '/first-run?v=v1');
    assert.equal(api().seen.length, before + 1);
    // Remembered: the next send asks nothing (an open question would leave it waiting until the time-out).
    const asked = courier.environmentQuestion();
    const [again] = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
    assert.equal(again?.response?.status, 200, again?.error?.message);
    assert.equal(courier.environmentQuestion(), asked, 'no second question');
  });

  test('dismissing the question sends nothing, for Send All Requests too, and shows no error', async () => {
    const editor = await openFirstRun('dismissed.http', 'GET {{origin}}/dismissed-one\n\n###\nGET {{origin}}/dismissed-two\n');
    const before = api().seen.length;
    const one = await runAnswering('courier.sendRequest', [editor.document.uri, { line: 0, character: 0 }], 'workbench.action.closeQuickOpen');
    assert.deepEqual(one, []);
    const all = await runAnswering('courier.sendAllRequests', [editor.document.uri], 'workbench.action.closeQuickOpen');
    assert.deepEqual(all, []);
    assert.equal(api().seen.length, before, 'nothing reached the server');
    assert.equal(await vscode.commands.executeCommand('courier.switchEnvironment', ''), undefined, 'still no environment selected');
  });
});

suite('The response panel keeps its response', () => {
  const api = suiteWithLocalApi();
  teardown(closeAllEditors);

  test('hidden behind an editor and shown again, and after its webview reloads, the page shows the exchange whole again', async () => {
    const courier = await courierApi();
    const editor = await openHttp(`# @name after-cookie\nGET ${api().url}/after-cookie\n`);
    const [exchange] = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 1, character: 0 });
    assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
    const title = courier.responsePanelView()?.title;
    assert.equal(title, 'after-cookie · 200');
    const first = await waitFor('the page to show the exchange', () => (courier.responsePanelPage()?.shownTitle === title ? courier.responsePanelPage() : undefined));

    // Hidden: another editor opened in the panel's group; shown: that editor closed again.
    const other = await vscode.workspace.openTextDocument({ content: 'hides the panel', language: 'plaintext' });
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const shown = await waitFor('the page to show it after being hidden', () => (courier.responsePanelPage()?.shownTitle === title ? courier.responsePanelPage() : undefined));
    assert.equal(shown.loads, first.loads, 'hiding kept the page');

    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    const reloaded = await waitFor('the reloaded page to show the exchange again', () => {
      const page = courier.responsePanelPage();
      return page !== undefined && page.loads > first.loads && page.shownTitle === title ? page : undefined;
    });
    assert.equal(reloaded.shownTitle, 'after-cookie · 200');
  });
});

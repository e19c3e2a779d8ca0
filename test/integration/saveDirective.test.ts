// httpYac's `# @save`: the editor asks where to save the response body instead of showing it.
// In code-server the save dialog is VS Code's own (a quick input holding the suggested path),
// answered here as a person pressing Enter would.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExchangeSummary } from '../../client/sentExchanges';
import { closeAllEditors, courierApi, fixtureFolder, openHttp, suiteWithLocalApi } from './fixture';

/** Runs `command`, accepting whatever question opens every 100 ms, until it has finished. */
async function runAccepting(command: string, args: readonly unknown[]): Promise<readonly ExchangeSummary[]> {
  let finished = false;
  const running = Promise.resolve(vscode.commands.executeCommand<ExchangeSummary[]>(command, ...args)).finally(() => {
    finished = true;
  });
  while (!finished) {
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 100))]);
    if (!finished) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return running;
}

suite('# @save', () => {
  const api = suiteWithLocalApi();
  teardown(closeAllEditors);

  test('the body is saved where the dialog says, and the panel is not given the exchange', async function () {
    // A desktop VS Code shows the system's own dialog, which no test can answer.
    if (vscode.env.uiKind !== vscode.UIKind.Web) this.skip();
    const courier = await courierApi();
    const shownBefore = courier.responsePanelView();
    // The dialog offers the workspace folder and the name the body would get (the URL's last segment).
    const saved = join(fixtureFolder().fsPath, 'saved-by-directive.json');
    rmSync(saved, { force: true });
    try {
      const editor = await openHttp(`# @save\nGET ${api().url}/saved-by-directive\n`);
      const [exchange] = await runAccepting('courier.sendRequest', [editor.document.uri, { line: 1, character: 0 }]);
      assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
      assert.ok(existsSync(saved), `the body should be saved to ${saved}`);
      assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), { path: '/saved-by-directive', cookie: null });
      assert.equal(courier.responsePanelView(), shownBefore, 'the panel is not given a saved exchange');
    } finally {
      rmSync(saved, { force: true });
    }
  });
});

// The UI check of sending: in a development window with Courier loaded, open a `.http` file,
// click its "Send Request" CodeLens with the mouse, and check that the local server saw the
// request and that the response panel, beside the editor, shows the status and the JSON body.
// A screenshot of the whole workbench is kept either way.
import type { Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServerProcess';
import { assertBesideEditor, clickSendRequestLens, expectText, openWithQuickOpen, runSendingCheck, waitForPanel } from './sendingWorkbench';
import { smallJsonPath } from './uiTestServer';

const fixtureFile = 'ui-send.http';
const panelTimeoutMs = 30_000;

/** Runs the check, printing one line per expectation; true when all pass. */
export function checkSendRequestUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  return runSendingCheck(page, server, outputDir, { fixtureFile, name: 'send request', screenshot: 'ui-send-request.png' }, async ({ api, checks }) => {
    await openWithQuickOpen(page, fixtureFile);
    const clickedAt = await checks.run('the "Send Request" CodeLens is clicked in the editor', () => clickSendRequestLens(page));
    if (clickedAt === undefined) return false;

    const panel = await checks.run('the response panel opens beside the editor with a status line', async () => {
      const found = await waitForPanel(page, panelTimeoutMs, (record) => record.statuses.find((status) => status.at >= clickedAt));
      await assertBesideEditor(page, found.frame);
      return found.frame;
    });
    await checks.run('the server saw GET /ui-check', () => {
      const request = api.seen.find((seen) => seen.path === smallJsonPath);
      if (request === undefined) throw new Error(`it saw ${api.seen.length === 0 ? 'nothing' : api.seen.map((seen) => `${seen.method} ${seen.path}`).join(', ')}`);
      if (request.method !== 'GET') throw new Error(`the method was ${request.method}`);
      return Promise.resolve();
    });
    if (panel !== undefined) {
      await checks.run('the panel shows the status 200 OK', () => expectText(panel, 'main#app .status', /^200\b/));
      await checks.run('the panel shows the JSON key "courier" with its value', async () => {
        await panel.locator('.rows .tok-key', { hasText: '"courier"' }).first().waitFor({ timeout: 10_000 });
        await expectText(panel, '.rows', /"courier": "ui-check"/);
      });
    }
    return true;
  });
}

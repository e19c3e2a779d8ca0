// The UI check of tests: in a development window with Courier loaded, open a `.http` file whose
// request has a handler test and two `??` lines (one failing on purpose), click its "Run Tests"
// CodeLens with the mouse, and check what a person sees: the response panel's Tests section (✓
// and ✗, the failure's expected and actual) and the Test Explorer listing the tests with a
// passed or failed icon each. A screenshot of the whole workbench is kept either way.
// `checkUntrustedTestsUi` does it again in Restricted Mode (a code-server with workspace trust on):
// the handler's test is skipped with the reason, while the `??` lines are still checked.
import type { Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServerProcess';
import { expectText, openWithQuickOpen, runSendingCheck, waitForPanel } from './sendingWorkbench';

const fixtureFile = 'ui-tests.http';
const panelTimeoutMs = 30_000;
const failingTest = '$.courier == something-else';
const passingTests = ['courier says ui-check', 'status == 200'];

/** Clicks the "Run Tests" CodeLens of the active editor with the mouse. */
async function clickRunTestsLens(page: Page): Promise<void> {
  const lens = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: 'Run Tests' }).first();
  await lens.waitFor({ state: 'visible', timeout: 45_000 });
  await lens.click();
}

/** Shows the Test Explorer through the command palette, as a user would. */
async function showTestExplorer(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ timeout: 30_000 });
  await quickInput.fill('>Testing: Focus on Test Explorer View');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Focus on Test Explorer View' }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.test-explorer .monaco-list-row').first().waitFor({ timeout: 30_000 });
}

/** The Test Explorer's row for `label`, expanding the rows above it (file, then request) until it shows. */
async function explorerRow(page: Page, label: string): Promise<ReturnType<Page['locator']>> {
  const rows = page.locator('.test-explorer .monaco-list-row');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const row = rows.filter({ hasText: label }).first();
    if ((await row.count()) > 0) return row;
    // Expand every collapsed row once; the tree then shows the next level.
    const collapsed = page.locator('.test-explorer .monaco-list-row[aria-expanded="false"]');
    for (let index = (await collapsed.count()) - 1; index >= 0; index--) await collapsed.nth(index).locator('.monaco-tl-twistie').click();
    if (Date.now() > deadline) throw new Error(`the Test Explorer shows no row "${label}"; it shows ${JSON.stringify(await rows.allInnerTexts())}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs the check, printing one line per expectation; true when all pass. */
export function checkTestsUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  return runSendingCheck(page, server, outputDir, { fixtureFile, name: 'tests', screenshot: 'ui-tests.png' }, async ({ checks }) => {
    await openWithQuickOpen(page, fixtureFile);
    const clicked = await checks.run('the "Run Tests" CodeLens is clicked in the editor', async () => {
      await clickRunTestsLens(page);
      return true;
    });
    if (clicked === undefined) return false;

    const panel = await checks.run('the response panel shows the status and a Tests section', async () => {
      const found = await waitForPanel(page, panelTimeoutMs, (record) => (record.statuses.length > 0 ? true : undefined));
      await found.frame.locator('.tests-section').waitFor({ timeout: panelTimeoutMs });
      return found.frame;
    });
    if (panel !== undefined) {
      await checks.run('the Tests section counts 2 passed and 1 failed', () => expectText(panel, '.tests-section > summary', /^Tests \(2 passed, 1 failed\)$/));
      await checks.run(`the failed ?? shows ✗, its message, Expected something-else and Actual ui-check`, () =>
        expectText(panel, 'li.test-failed', new RegExp(`^✗\\s*${escape(failingTest)}[\\s\\S]*Expected\\s*something-else\\s*Actual\\s*ui-check$`)),
      );
      await checks.run('the passing tests show ✓', async () => {
        for (const name of passingTests) await expectText(panel, `li.test-passed:has-text(${JSON.stringify(name)})`, /^✓/);
      });
    }

    await checks.run('the Test Explorer lists the file, the request and its tests', async () => {
      await showTestExplorer(page);
      for (const label of [fixtureFile, ...passingTests, failingTest]) await explorerRow(page, label);
    });
    await checks.run('the Test Explorer marks the failing ?? failed and the others passed', async () => {
      const failed = await explorerRow(page, failingTest);
      await failed.locator('.codicon-testing-failed-icon').waitFor({ timeout: 10_000 });
      for (const name of passingTests) await (await explorerRow(page, name)).locator('.codicon-testing-passed-icon').waitFor({ timeout: 10_000 });
    });
    return true;
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The same run in an untrusted folder, in a window of `server`, a code-server started with
 * workspace trust on and its start-up prompt off, so a new folder opens in Restricted Mode.
 * Courier asks before sending (answered Send), skips the handler with the reason, and still checks
 * the `??` lines.
 */
export function checkUntrustedTestsUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  return runSendingCheck(page, server, outputDir, { fixtureFile, name: 'untrusted tests', screenshot: 'ui-tests-untrusted.png' }, async ({ checks }) => {
    await checks.run('the folder opens in Restricted Mode', () => page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 }));
    await openWithQuickOpen(page, fixtureFile);
    const clicked = await checks.run('"Run Tests" asks before sending from an untrusted folder, and Send goes on', async () => {
      await clickRunTestsLens(page);
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'this workspace is not trusted' });
      await dialog.waitFor({ timeout: 30_000 });
      await dialog.locator('.monaco-button', { hasText: /^Send$/ }).click();
      return true;
    });
    if (clicked === undefined) return false;
    const panel = await checks.run('the response panel shows a Tests section', async () => {
      const found = await waitForPanel(page, panelTimeoutMs, (record) => (record.statuses.length > 0 ? true : undefined));
      await found.frame.locator('.tests-section').waitFor({ timeout: panelTimeoutMs });
      return found.frame;
    });
    if (panel !== undefined) {
      await checks.run('the handler is skipped with the reason; the ?? lines still ran (1 passed, 1 failed, 1 skipped)', async () => {
        await expectText(panel, '.tests-section > summary', /^Tests \(1 passed, 1 failed, 1 skipped\)$/);
        await expectText(panel, 'li.test-skipped', /^○\s*response handler \(line 7\)[\s\S]*scripts run only in a trusted workspace$/);
      });
    }
    await checks.run('the Test Explorer marks the handler\'s test skipped and the failing ?? failed', async () => {
      await showTestExplorer(page);
      await (await explorerRow(page, passingTests[0])).locator('.codicon-testing-skipped-icon').waitFor({ timeout: 10_000 });
      await (await explorerRow(page, failingTest)).locator('.codicon-testing-failed-icon').waitFor({ timeout: 10_000 });
    });
    return true;
  });
}

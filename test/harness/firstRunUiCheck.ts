// The UI checks of a first run, as a person sees it:
// - with no environment selected, clicking "Send Request" above a request whose variable only
//   environments define shows a quick pick listing them; picking `local` sends the request, the
//   panel shows its response, and the status bar reads `local`;
// - the response panel keeps its response: three requests sent from the command palette in a
//   row, with the editor clicked between them, leave the last one's body in the panel, and so
//   do hiding the panel behind another editor and showing it again, and reloading its webview.
// Screenshots of the whole workbench are kept either way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServerProcess';
import { fixtureWorkspace } from './repositoryLayout';
import { clickSendRequestLens, expectText, openWithQuickOpen, runSendingCheck, waitForPanel } from './sendingWorkbench';
import type { UiTestServer } from './uiTestServer';
import { keepScreenshot } from './screenshot';

const firstFile = 'ui-send.http';
const panelFile = 'ui-panel.http';
const otherFile = 'malformed.http';
const timeoutMs = 30_000;

/** Runs the command titled `title` from the command palette, as a person would. */
async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ timeout: timeoutMs });
  await quickInput.fill(`>${title}`);
  // The row itself: Enter would take the first match, which may be another command ("Send All Requests").
  await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first().click({ timeout: timeoutMs });
}

/** Clicks into `fileName`'s editor, which takes the focus, and goes to the 1-based `line` with Go to Line (Ctrl+G). */
async function focusEditorAt(page: Page, fileName: string, line: number): Promise<void> {
  const group = page.locator('.editor-group-container', { has: page.locator(`.tab.active[data-resource-name="${fileName}"]`) });
  await group.locator('.monaco-editor .view-lines').first().click({ position: { x: 20, y: 10 } });
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ timeout: timeoutMs });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
}

/** Waits until a frame of the page is the panel and its `main#app` text matches `pattern`; resolves to that frame. */
async function panelShowing(page: Page, pattern: RegExp, what: string): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const text = await frame
        .evaluate(() => document.querySelector<HTMLElement>('main#app')?.innerText)
        .catch(() => undefined);
      if (text === undefined) continue;
      seen = text;
      if (pattern.test(text)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`the panel does not show ${what} within ${timeoutMs / 1000} s; it reads ${JSON.stringify(seen.slice(0, 160))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs both checks, printing one line per expectation; true when all pass. */
export function checkFirstRunUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  // Only environments define the origin, and none is selected: a first run.
  const prepare = (folder: string, api: UiTestServer): void => {
    fs.writeFileSync(path.join(folder, 'http-client.env.json'), JSON.stringify({ local: { uiCheckOrigin: api.origin }, staging: { uiCheckOrigin: 'http://127.0.0.1:9' } }, null, 2));
    for (const file of [panelFile, otherFile]) fs.copyFileSync(path.join(fixtureWorkspace, file), path.join(folder, file));
  };
  return runSendingCheck(page, server, outputDir, { fixtureFile: firstFile, name: 'first run', screenshot: 'ui-first-run-panel.png', prepare }, async ({ api, checks }) => {
    await openWithQuickOpen(page, firstFile);
    await checks.run('the editor warns that uiCheckOrigin is defined only in environments', async () => {
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'visible', timeout: 45_000 });
    });
    const clicked = await checks.run('the "Send Request" CodeLens is clicked with no environment selected', () => clickSendRequestLens(page));
    if (clicked === undefined) return false;
    const asked = await checks.run('a quick pick asks which environment, listing local and staging', async () => {
      const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
      const labels = (await rows.locator('.label-name').allInnerTexts()).map((text) => text.trim());
      if (labels.join(',') !== 'local,staging') throw new Error(`it lists ${JSON.stringify(labels)}`);
      await expectText(page.mainFrame(), '.quick-input-widget .quick-input-title', /no environment is selected/);
      await keepScreenshot(page, outputDir, 'ui-first-run-environment-question.png');
      return true;
    });
    if (asked === undefined) return false;
    await checks.run('picking local sends the request: the panel shows 200 and the status bar reads local', async () => {
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'local' }).first().click();
      await waitForPanel(page, timeoutMs, (record) => (record.statuses.some((status) => /^200\b/.test(status.text)) ? true : undefined));
      await page.locator('.statusbar-item', { hasText: 'local' }).first().waitFor({ timeout: timeoutMs });
      if (!api.seen.some((seen) => seen.path === '/ui-check')) throw new Error('the server saw nothing');
    });

    await openWithQuickOpen(page, panelFile);
    for (const [name, line] of [['first', 6], ['second', 9], ['after-cookie', 12]] as const) {
      const sent = await checks.run(`${name} is sent from the command palette, the editor clicked first`, async () => {
        await focusEditorAt(page, panelFile, line);
        await runFromPalette(page, 'Courier: Send Request');
        await page.locator('.tab', { hasText: `${name} · 200` }).first().waitFor({ timeout: timeoutMs });
        return true;
      });
      if (sent === undefined) return false;
    }
    await checks.run('after three sends from the command palette, the panel shows the last body', () => panelShowing(page, /"request": "after-cookie"/, 'the body of after-cookie'));
    await checks.run('hidden behind another editor and shown again, the panel shows the body again', async () => {
      // Another file opened from the Explorer into the panel's group (the active one once its tab is clicked) hides the panel; its tab shows it again.
      await page.locator('.tab', { hasText: 'after-cookie · 200' }).first().click();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: otherFile }).first().click();
      const panelGroup = page.locator('.editor-group-container', { has: page.locator('.tab', { hasText: 'after-cookie · 200' }) });
      await panelGroup.locator(`.tab.active[data-resource-name="${otherFile}"]`).waitFor({ timeout: timeoutMs });
      await page.locator('.tab', { hasText: 'after-cookie · 200' }).first().click();
      await panelShowing(page, /"request": "after-cookie"/, 'the body of after-cookie');
    });
    await checks.run('after its webview reloads, the panel shows the body again', async () => {
      // Marks the page the panel shows now, so only a page loaded since counts.
      const before = await panelShowing(page, /"request": "after-cookie"/, 'the body of after-cookie');
      await before.evaluate(() => document.getElementById('app')?.setAttribute('data-before-reload', ''));
      await runFromPalette(page, 'Developer: Reload Webviews');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const reloaded = await panelShowing(page, /./, 'anything');
        const marked = await reloaded.evaluate(() => document.getElementById('app')?.hasAttribute('data-before-reload') === true).catch(() => true);
        if (!marked) break;
        if (Date.now() > deadline) throw new Error('the panel\'s page was not reloaded');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await panelShowing(page, /"request": "after-cookie"/, 'the body of after-cookie');
    });
    return true;
  });
}

// What the sending UI checks share: a scratch workspace holding a fixture `.http` file and an
// `http-client.env.json` pointing it at the local server (the port is only known at run time),
// a workbench opened on it, the "Send Request" CodeLens clicked with the mouse, and the
// response panel's frame found among the page's frames.
//
// A probe script runs in every frame of the page before the frame's own scripts: in the
// workbench it notes when a CodeLens is pressed; in the panel's frame it notes, with a
// MutationObserver, when each status line and each body's first row enter the DOM. All are
// `Date.now()` of the same machine, so they compare with each other and with the harness.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServerProcess';
import { fixtureWorkspace, repositoryRoot } from './repositoryLayout';
import { keepScreenshot } from './screenshot';
import { UiCheckList } from './uiCheckList';
import { startUiTestServer, type UiTestServer } from './uiTestServer';
import { workbenchUrl } from './workbenchUrl';

/** The variable the fixtures use for the server's origin, defined by the generated env file. */
const originVariable = 'uiCheckOrigin';

export interface SendingWorkspace {
  readonly folder: string;
  remove(): void;
}

/** A scratch folder with `fixtureFile` copied from test/fixtures/workspace and `$shared.uiCheckOrigin` set to `apiOrigin`. */
export function createSendingWorkspace(fixtureFile: string, apiOrigin: string): SendingWorkspace {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'courier-ui-check-'));
  fs.copyFileSync(path.join(fixtureWorkspace, fixtureFile), path.join(folder, fixtureFile));
  fs.writeFileSync(path.join(folder, 'http-client.env.json'), JSON.stringify({ $shared: { [originVariable]: apiOrigin } }, null, 2));
  return { folder, remove: () => fs.rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }) };
}

/** What a sending check works with: the local API, its scratch workspace and the list its steps report to. */
export interface SendingCheck {
  readonly api: UiTestServer;
  readonly workspace: SendingWorkspace;
  readonly checks: UiCheckList;
}

export interface SendingCheckOptions {
  /** The file of test/fixtures/workspace the check opens. */
  readonly fixtureFile: string;
  /** Names the check in "the NAME check ran to its end" when it stops early. */
  readonly name: string;
  /** Kept in the output folder whatever happened. */
  readonly screenshot: string;
  /** Adds to the scratch folder before the workbench opens it. */
  readonly prepare?: (folder: string, api: UiTestServer) => void;
}

/**
 * One UI check in a workbench on a scratch copy of `fixtureFile` sending to a local API: `steps`
 * report to the check list and resolve to false when a failed step ends the check early; whatever
 * throws is a failed step; the screenshot is kept and the API and folder go in every case.
 */
export async function runSendingCheck(
  page: Page,
  server: RunningCodeServer,
  outputDir: string,
  options: SendingCheckOptions,
  steps: (check: SendingCheck) => Promise<boolean>,
): Promise<boolean> {
  const api = await startUiTestServer();
  const workspace = createSendingWorkspace(options.fixtureFile, api.origin);
  const checks = new UiCheckList();
  try {
    options.prepare?.(workspace.folder, api);
    await openSendingWorkbench(page, server, workspace.folder);
    const finished = await steps({ api, workspace, checks });
    return finished && checks.passed;
  } catch (error) {
    checks.fail(`the ${options.name} check ran to its end`, error);
    return false;
  } finally {
    await keepScreenshot(page, outputDir, options.screenshot);
    await api.close();
    workspace.remove();
  }
}

/** What the probe recorded in one frame. */
export interface ProbeRecord {
  /** When the last CodeLens was pressed (workbench frame); 0 before any. */
  readonly lensPressedAt: number;
  /** "Sending…" bars of the response panel, in the order they appeared. */
  readonly pendingBars: readonly { readonly at: number; readonly text: string }[];
  /** Status lines of the response panel, in the order they appeared. */
  readonly statuses: readonly { readonly at: number; readonly text: string }[];
  /** First body row of each exchange shown, with the text of the rows rendered with it. */
  readonly firstRows: readonly { readonly at: number; readonly text: string }[];
}

interface ProbeWindow {
  courierUiProbe?: ProbeRecord;
}

/** Runs in every frame, serialised by Playwright: it may use nothing from this module. */
function installProbe(): void {
  // Each check adds the script to the same page again: one probe per frame is enough.
  if ((window as unknown as ProbeWindow).courierUiProbe !== undefined) return;
  const probe = { lensPressedAt: 0, pendingBars: [] as { at: number; text: string }[], statuses: [] as { at: number; text: string }[], firstRows: [] as { at: number; text: string }[] };
  (window as unknown as ProbeWindow).courierUiProbe = probe;
  if (window.top === window) {
    // Capture phase: the editor may stop the event before it bubbles.
    document.addEventListener('mousedown', (event) => {
      if (event.target instanceof Element && event.target.closest('.codelens-decoration') !== null) probe.lensPressedAt = Date.now();
    }, true);
    return;
  }
  // Only nested frames can be the panel; each pending bar, status line and body's row container is recorded once.
  const seen = new WeakSet<Element>();
  const observer = new MutationObserver(() => {
    const now = Date.now();
    const pending = document.querySelector('main#app .pending-bar');
    if (pending !== null && !seen.has(pending)) {
      seen.add(pending);
      probe.pendingBars.push({ at: now, text: pending.textContent ?? '' });
    }
    const status = document.querySelector('main#app .status');
    if (status !== null && !seen.has(status)) {
      seen.add(status);
      probe.statuses.push({ at: now, text: status.textContent ?? '' });
    }
    const rows = document.querySelector('main#app .rows');
    if (rows !== null && !seen.has(rows) && rows.querySelector('.row') !== null) {
      seen.add(rows);
      probe.firstRows.push({ at: now, text: (rows as HTMLElement).innerText });
    }
  });
  // VS Code writes the panel's HTML into its frame with document.write, which drops observers of the
  // first document's nodes while this window lives on: observe each new root element as it appears.
  let observedRoot: Element | null = null;
  const observeRoot = (): void => {
    if (document.documentElement === observedRoot) return;
    observedRoot = document.documentElement;
    observer.disconnect();
    observer.observe(observedRoot, { childList: true, subtree: true });
  };
  observeRoot();
  setInterval(observeRoot, 5);
}

/** Opens a workbench with Courier loaded on `folder`, with the probe in every frame, and waits for its explorer. */
export async function openSendingWorkbench(page: Page, server: RunningCodeServer, folder: string): Promise<void> {
  await page.addInitScript(installProbe);
  await page.goto(workbenchUrl({ origin: server.origin, folder, extensionDevelopmentPath: repositoryRoot }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer appears once the remote file system answers: then Quick Open can find files.
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
}

/** Opens `fileName` of the workspace with Quick Open, as a user would. */
export async function openWithQuickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ timeout: 30_000 });
  await quickInput.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[data-resource-name="${fileName}"], .tab:has-text("${fileName}")`).first().waitFor({ timeout: 30_000 });
}

/** Clicks the "Send Request" CodeLens of the active editor with the mouse; resolves to when the probe saw it pressed. */
export async function clickSendRequestLens(page: Page): Promise<number> {
  const lens = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: 'Send Request' }).first();
  await lens.waitFor({ state: 'visible', timeout: 45_000 });
  await lens.click();
  const pressedAt = await page.evaluate(() => (window as unknown as ProbeWindow).courierUiProbe?.lensPressedAt ?? 0);
  if (pressedAt === 0) throw new Error('the click on the "Send Request" CodeLens did not reach the editor (no mousedown on .codelens-decoration)');
  return pressedAt;
}

/** The probe's record in `frame`, or undefined when the frame has none (yet) or is gone. */
export async function probeRecord(frame: Frame): Promise<ProbeRecord | undefined> {
  try {
    return await frame.evaluate(() => (document.querySelector('main#app') !== null ? (window as unknown as ProbeWindow).courierUiProbe : undefined));
  } catch {
    return undefined;
  }
}

/**
 * Polls every frame until one is Courier's panel and `accept` takes its record; resolves to that frame and record.
 * Webviews are nested iframes (`iframe.webview` > `iframe#active-frame`), so the panel is found by its content, not its place.
 */
export async function waitForPanel<T>(page: Page, timeoutMs: number, accept: (record: ProbeRecord) => T | undefined): Promise<{ readonly frame: Frame; readonly value: T }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const record = await probeRecord(frame);
      const value = record === undefined ? undefined : accept(record);
      if (value !== undefined) return { frame, value };
    }
    if (Date.now() > deadline) throw new Error(`no response panel frame showed the expected content within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The panel's webview (the outer `iframe.webview` holding its frame) lies right of the `.http` editor. */
export async function assertBesideEditor(page: Page, panel: Frame): Promise<void> {
  const webviewElement = await (panel.parentFrame() ?? panel).frameElement();
  const panelBox = await webviewElement.boundingBox();
  const editorBox = await page.locator('.editor-group-container .monaco-editor').first().boundingBox();
  if (editorBox === null) throw new Error('no visible text editor');
  if (panelBox === null || panelBox.width < 100) throw new Error('the panel\'s webview is not visible');
  if (panelBox.x < editorBox.x + editorBox.width - 1) throw new Error(`the panel starts at x=${Math.round(panelBox.x)}, left of the editor's right edge (x=${Math.round(editorBox.x + editorBox.width)})`);
}

/** Waits for `selector` in `frame` to have text matching `pattern`. */
export async function expectText(frame: Frame, selector: string, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text: string;
  for (;;) {
    text = (await frame.locator(selector).first().innerText({ timeout: timeoutMs }).catch(() => '')).trim();
    if (pattern.test(text)) return;
    if (Date.now() > deadline) throw new Error(`\`${selector}\` reads ${JSON.stringify(text.slice(0, 200))}, which does not match ${String(pattern)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

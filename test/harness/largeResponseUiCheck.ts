// The UI check of a large response: click "Send Request" above a request whose local server
// streams 50 MB of JSON, and measure how long after the click the panel shows the status line
// and the first body line. Only a generous bound is asserted (timing targets belong to the
// benchmarks); the figures are printed and written to test-output/ui-figures.json.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServerProcess';
import { repositoryRoot } from './repositoryLayout';
import { assertBesideEditor, clickSendRequestLens, expectText, openWithQuickOpen, type ProbeRecord, runSendingCheck, waitForPanel } from './sendingWorkbench';
import type { UiCheckList } from './uiCheckList';
import { largeJsonMarker, largeJsonPath, type UiTestServer } from './uiTestServer';

const fixtureFile = 'ui-large.http';
/** Far above any expected figure: a failure means the panel is stuck, not slow. */
const firstLineBoundMs = 30_000;
/** The lens is refreshed when the request ends; as generous, for the same reason. */
const lensResetBoundMs = 30_000;

/** One send of the large request, in milliseconds after the mouse press on its CodeLens. */
export interface LargeSendFigures {
  /** The panel showed its "Sending…" bar. */
  readonly clickToPendingShownMs: number | undefined;
  /** The server saw the request's head. */
  readonly clickToServerReceivedMs: number | undefined;
  /** The status line entered the panel's DOM (the host posts it once the whole response is in). */
  readonly clickToStatusLineMs: number | undefined;
  /** The first body row entered the panel's DOM. */
  readonly clickToFirstBodyLineMs: number;
  /** The server handed the last byte to the socket. */
  readonly clickToServerFinishedMs: number | undefined;
  /** The exchange's total time as the engine measured it (request start to last body byte), read from the panel. */
  readonly engineTotalMs: number | undefined;
  /** The CodeLens read "Send Request" again instead of "Sending... (cancel)". */
  readonly clickToLensResetMs: number | undefined;
}

/** What ui-figures.json holds about the large response. */
export interface LargeResponseFigures {
  readonly bodyBytes: number;
  /** The first send of a window: the panel is created by it. */
  readonly firstSend: LargeSendFigures;
  /** The same request again: the panel is reused. */
  readonly panelReused: LargeSendFigures | undefined;
}

/** Runs the check, printing one line per expectation and the figures; true when all pass. */
export function checkLargeResponseUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  return runSendingCheck(page, server, outputDir, { fixtureFile, name: 'large response', screenshot: 'ui-large-response.png' }, async ({ api, checks }) => {
    await openWithQuickOpen(page, fixtureFile);
    const firstSend = await sendAndMeasure(page, api, checks, 'first send');
    if (firstSend === undefined) return false;
    const panelReused = await sendAndMeasure(page, api, checks, 'second send, panel reused');
    const figures: LargeResponseFigures = { bodyBytes: api.largeResponses[0]?.bytes ?? 0, firstSend, panelReused };
    writeFigures(outputDir, figures);
    return true;
  });
}

/** Clicks the CodeLens, checks what the panel and the server show, and prints the figures; undefined when the body never showed. */
async function sendAndMeasure(page: Page, api: UiTestServer, checks: UiCheckList, label: string): Promise<LargeSendFigures | undefined> {
  const requestsBefore = api.seen.length;
  const bodiesBefore = api.largeResponses.length;
  const clickedAt = await checks.run(`${label}: the "Send Request" CodeLens above the 50 MB request is clicked`, () => clickSendRequestLens(page));
  if (clickedAt === undefined) return undefined;

  const shown = await checks.run(`${label}: the first body line of the 50 MB JSON is rendered within ${firstLineBoundMs / 1000} s of the click`, () =>
    waitForPanel(page, firstLineBoundMs, (record) => {
      const firstRow = record.firstRows.find((row) => row.at >= clickedAt && row.text.includes(largeJsonMarker));
      if (firstRow === undefined) return undefined;
      const after = (marks: ProbeRecord['statuses']): number | undefined => marks.find((mark) => mark.at >= clickedAt)?.at;
      return { firstRowAt: firstRow.at, statusAt: after(record.statuses), pendingAt: after(record.pendingBars) };
    }),
  );
  if (shown === undefined) return undefined;
  const panel = shown.frame;
  await checks.run(`${label}: the panel beside the editor shows the status 200 OK`, async () => {
    await assertBesideEditor(page, panel);
    await expectText(panel, 'main#app .status', /^200\b/);
  });
  const written = api.largeResponses[bodiesBefore];
  await checks.run(`${label}: the server saw GET /large.json and wrote the whole body`, () => {
    const seen = api.seen.slice(requestsBefore);
    if (!seen.some((request) => request.method === 'GET' && request.path === largeJsonPath)) throw new Error(`it saw ${seen.map((request) => `${request.method} ${request.path}`).join(', ') || 'nothing'}`);
    if (written === undefined) throw new Error('the body was not written to its end');
    return Promise.resolve();
  });
  const lensResetAt = await checks.run(`${label}: the CodeLens reads "Send Request" again once the response is shown`, async () => {
    await page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: 'Send Request' }).first().waitFor({ state: 'visible', timeout: lensResetBoundMs });
    return Date.now();
  });

  const received = api.seen.slice(requestsBefore).find((request) => request.path === largeJsonPath);
  const figures: LargeSendFigures = {
    clickToPendingShownMs: shown.value.pendingAt === undefined ? undefined : shown.value.pendingAt - clickedAt,
    clickToServerReceivedMs: received === undefined ? undefined : received.receivedAt - clickedAt,
    clickToStatusLineMs: shown.value.statusAt === undefined ? undefined : shown.value.statusAt - clickedAt,
    clickToFirstBodyLineMs: shown.value.firstRowAt - clickedAt,
    clickToServerFinishedMs: written === undefined ? undefined : written.finishedAt - clickedAt,
    engineTotalMs: await engineTotalMs(panel),
    clickToLensResetMs: lensResetAt === undefined ? undefined : lensResetAt - clickedAt,
  };
  console.log(`[harness] ${describeFigures(label, written?.bytes, figures)}`);
  return figures;
}

/** The panel's total-time fact (`1.23 s`, `850 ms`), in milliseconds. */
async function engineTotalMs(panel: Frame): Promise<number | undefined> {
  for (const fact of await panel.locator('.status-line .fact').allInnerTexts()) {
    const match = /^(\d+(?:\.\d+)?) (ms|s)$/.exec(fact.trim());
    if (match?.[1] !== undefined) return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
  }
  return undefined;
}

function describeFigures(label: string, bodyBytes: number | undefined, figures: LargeSendFigures): string {
  const megabytes = bodyBytes === undefined ? '50' : (bodyBytes / (1024 * 1024)).toFixed(1);
  const parts = [`${megabytes} MB JSON (${label}): first body line rendered ${figures.clickToFirstBodyLineMs} ms after the click`];
  if (figures.clickToPendingShownMs !== undefined) parts.push(`"Sending…" bar after ${figures.clickToPendingShownMs} ms`);
  if (figures.clickToServerReceivedMs !== undefined) parts.push(`server saw the request after ${figures.clickToServerReceivedMs} ms`);
  if (figures.clickToServerFinishedMs !== undefined) parts.push(`wrote the last byte after ${figures.clickToServerFinishedMs} ms`);
  if (figures.engineTotalMs !== undefined) parts.push(`engine's exchange total ${figures.engineTotalMs} ms`);
  if (figures.clickToStatusLineMs !== undefined) parts.push(`status line after ${figures.clickToStatusLineMs} ms`);
  if (figures.clickToLensResetMs !== undefined) parts.push(`lens back to "Send Request" after ${figures.clickToLensResetMs} ms`);
  return parts.join('; ');
}

/** Writes this check's figures to test-output/ui-figures.json, with the machine they were measured on. */
function writeFigures(outputDir: string, figures: LargeResponseFigures): void {
  const file = path.join(outputDir, 'ui-figures.json');
  const document = {
    largeJsonResponse: figures,
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${process.platform} ${process.arch}` },
  };
  fs.writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`[harness] figures: ${path.relative(repositoryRoot, file)}`);
}

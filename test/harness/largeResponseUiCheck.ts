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
import { assertBesideEditor, clickSendRequestLens, createSendingWorkspace, expectText, openSendingWorkbench, openWithQuickOpen, waitForPanel } from './sendingWorkbench';
import { UiCheckList } from './uiCheckList';
import { largeJsonMarker, largeJsonPath, startUiTestServer } from './uiTestServer';

const fixtureFile = 'ui-large.http';
/** Far above any expected figure: a failure means the panel is stuck, not slow. */
const firstLineBoundMs = 30_000;

/** What ui-figures.json holds about the large response, all in milliseconds after the mouse press on the CodeLens. */
export interface LargeResponseFigures {
  readonly bodyBytes: number;
  /** The first body row entered the panel's DOM. */
  readonly clickToFirstBodyLineMs: number;
  /** The status line entered the panel's DOM (the host posts it once the whole response is in). */
  readonly clickToStatusLineMs: number | undefined;
  /** The server handed the last byte to the socket. */
  readonly clickToServerFinishedMs: number | undefined;
  /** The exchange's total time as the engine measured it (request start to last body byte), read from the panel. */
  readonly engineTotalMs: number | undefined;
}

/** Runs the check, printing one line per expectation and the figures; true when all pass. */
export async function checkLargeResponseUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  const api = await startUiTestServer();
  const workspace = createSendingWorkspace(fixtureFile, api.origin);
  const checks = new UiCheckList();
  try {
    await openSendingWorkbench(page, server, workspace.folder);
    await openWithQuickOpen(page, fixtureFile);
    const clickedAt = await checks.run('the "Send Request" CodeLens above the 50 MB request is clicked', () => clickSendRequestLens(page));
    if (clickedAt === undefined) return false;

    const shown = await checks.run(`the first body line of the 50 MB JSON is rendered within ${firstLineBoundMs / 1000} s of the click`, () =>
      waitForPanel(page, firstLineBoundMs, (record) => {
        const firstRow = record.firstRows.find((row) => row.at >= clickedAt && row.text.includes(largeJsonMarker));
        return firstRow === undefined ? undefined : { firstRowAt: firstRow.at, statusAt: record.statuses.find((status) => status.at >= clickedAt)?.at };
      }),
    );
    if (shown === undefined) return false;
    const panel = shown.frame;
    await checks.run('the panel beside the editor shows the status 200 OK', async () => {
      await assertBesideEditor(page, panel);
      await expectText(panel, 'main#app .status', /^200\b/);
    });
    const written = api.largeResponses[0];
    await checks.run('the server saw GET /large.json and wrote the whole body', () => {
      if (!api.seen.some((seen) => seen.method === 'GET' && seen.path === largeJsonPath)) throw new Error(`it saw ${api.seen.map((seen) => `${seen.method} ${seen.path}`).join(', ') || 'nothing'}`);
      if (written === undefined) throw new Error('the body was not written to its end');
      return Promise.resolve();
    });

    const figures: LargeResponseFigures = {
      bodyBytes: written?.bytes ?? 0,
      clickToFirstBodyLineMs: shown.value.firstRowAt - clickedAt,
      clickToStatusLineMs: shown.value.statusAt === undefined ? undefined : shown.value.statusAt - clickedAt,
      clickToServerFinishedMs: written === undefined ? undefined : written.finishedAt - clickedAt,
      engineTotalMs: await engineTotalMs(panel),
    };
    console.log(`[harness] ${describeFigures(figures)}`);
    writeFigures(outputDir, figures);
    return checks.passed;
  } catch (error) {
    checks.fail('the large response check ran to its end', error);
    return false;
  } finally {
    await page.screenshot({ path: path.join(outputDir, 'ui-large-response.png') }).catch(() => undefined);
    console.log(`[harness] screenshot: ${path.relative(repositoryRoot, path.join(outputDir, 'ui-large-response.png'))}`);
    await api.close();
    workspace.remove();
  }
}

/** The panel's total-time fact (`1.23 s`, `850 ms`), in milliseconds. */
async function engineTotalMs(panel: Frame): Promise<number | undefined> {
  for (const fact of await panel.locator('.status-line .fact').allInnerTexts()) {
    const match = /^(\d+(?:\.\d+)?) (ms|s)$/.exec(fact.trim());
    if (match?.[1] !== undefined) return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
  }
  return undefined;
}

function describeFigures(figures: LargeResponseFigures): string {
  const megabytes = (figures.bodyBytes / (1024 * 1024)).toFixed(1);
  const parts = [`${megabytes} MB JSON: first body line rendered ${figures.clickToFirstBodyLineMs} ms after the click`];
  if (figures.clickToStatusLineMs !== undefined) parts.push(`status line after ${figures.clickToStatusLineMs} ms`);
  if (figures.clickToServerFinishedMs !== undefined) parts.push(`server wrote the last byte after ${figures.clickToServerFinishedMs} ms`);
  if (figures.engineTotalMs !== undefined) parts.push(`engine's exchange total ${figures.engineTotalMs} ms`);
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

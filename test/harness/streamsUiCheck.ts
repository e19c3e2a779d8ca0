// The UI check of live streams: in a development window with Courier loaded, against the demo API
// (started here, in-process), click "Send Request" above an endless Server-Sent Events request and
// check what a person sees: the live table growing while the stream is open, a Stop button that
// ends it as "stopped" with its rows kept; then above a WebSocket request: the message box, a
// message typed and sent with Enter, and its echo arriving under it, and Close.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startDemoApi, type DemoApi } from '../../samples/demo-api/server';
import type { RunningCodeServer } from './codeServerProcess';
import { clickSendRequestLens, expectText, openWithQuickOpen, runSendingCheck, waitForPanel } from './sendingWorkbench';

const sseFile = 'ui-sse.http';
const webSocketFile = 'ui-websocket.http';
const panelTimeoutMs = 30_000;
const typed = '{"from":"the UI check"}';

/** The messages the live table counts, from its facts line (`sse · 12 messages · open`). */
async function liveCount(panel: Frame): Promise<number> {
  const text = await panel.locator('.stream-live .stream-count').innerText();
  return Number.parseInt(text, 10);
}

/** Waits until the live table counts more than `than` while the stream is still open. */
async function waitForGrowth(panel: Frame, than: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const open = (await panel.locator('.stream-live .stream-end-open').count()) === 1;
    const count = await liveCount(panel);
    if (!open) throw new Error(`the stream ended (${await panel.locator('.stream-live .stream-end').innerText()}) before the table grew past ${than}`);
    if (count > than) return count;
    if (Date.now() > deadline) throw new Error(`the table still counts ${count}`);
    await panel.page().waitForTimeout(100);
  }
}

/** Runs the check, printing one line per expectation; true when all pass. */
export async function checkStreamsUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  const demo: DemoApi = await startDemoApi(0);
  try {
    return await runSendingCheck(
      page,
      server,
      outputDir,
      {
        fixtureFile: 'ui-send.http',
        name: 'live streams',
        screenshot: 'ui-streams.png',
        prepare: (folder) => {
          fs.writeFileSync(path.join(folder, sseFile), `### ticks\nGET ${demo.url}/sse/ticks?intervalMs=150\n`);
          fs.writeFileSync(path.join(folder, webSocketFile), `### echo\nWEBSOCKET ${demo.url.replace(/^http/, 'ws')}/ws/echo\n`);
        },
      },
      async ({ checks }) => {
        await openWithQuickOpen(page, sseFile);
        const clickedAt = await checks.run('the "Send Request" CodeLens above the SSE request is clicked', () => clickSendRequestLens(page));
        if (clickedAt === undefined) return false;
        const panel = await checks.run('the panel shows the stream\'s status line and a live table while it is open', async () => {
          const found = await waitForPanel(page, panelTimeoutMs, (record) => record.statuses.find((status) => status.at >= clickedAt));
          await found.frame.locator('.stream-live .stream-end-open').waitFor({ timeout: 15_000 });
          return found.frame;
        });
        if (panel === undefined) return false;
        await checks.run('the live table grows while the stream is open', async () => {
          const first = await waitForGrowth(panel, 0);
          await waitForGrowth(panel, first + 2);
          await expectText(panel, '.stream-live .live-rows', /tick/);
        });
        await checks.run('Stop ends the stream as "stopped" and its rows stay', async () => {
          const stop = panel.locator('.stream-live .stop-stream');
          if ((await stop.innerText()) !== 'Stop') throw new Error(`the button reads "${await stop.innerText()}"`);
          await stop.click();
          await expectText(panel, '.stream-live .stream-end', /^stopped$/, 15_000);
          if ((await panel.locator('.stream-live .stop-stream').count()) !== 0) throw new Error('Stop is still there');
          if ((await panel.locator('.stream-live .live-rows .live-row').count()) === 0) throw new Error('the rows are gone');
        });

        await openWithQuickOpen(page, webSocketFile);
        const wsClickedAt = await checks.run('the "Send Request" CodeLens above the WebSocket request is clicked', () => clickSendRequestLens(page));
        if (wsClickedAt === undefined) return false;
        const wsPanel = await checks.run('the panel shows the open WebSocket with a message box and Close', async () => {
          const found = await waitForPanel(page, panelTimeoutMs, (record) => record.statuses.find((status) => status.at >= wsClickedAt));
          await found.frame.locator('.stream-live .message-box .message-input').waitFor({ timeout: 15_000 });
          await expectText(found.frame, '.stream-live .stop-stream', /^Close$/);
          return found.frame;
        });
        if (wsPanel === undefined) return false;
        await checks.run('a message typed in the box and sent with Enter appears as sent (→), and its echo as received (←)', async () => {
          const input = wsPanel.locator('.stream-live .message-input');
          await input.fill(typed);
          await input.press('Enter');
          const rows = wsPanel.locator('.stream-live .live-rows .live-row');
          const deadline = Date.now() + 15_000;
          for (;;) {
            const texts = await rows.evaluateAll((elements) => elements.map((row) => [row.querySelector('.direction')?.textContent ?? '', row.querySelector('.data')?.textContent ?? '']));
            const sent = texts.some(([direction, data]) => direction === '→' && data.includes('"from": "the UI check"'));
            const echoed = texts.some(([direction, data]) => direction === '←' && data.includes('"from": "the UI check"'));
            if (sent && echoed) break;
            if (Date.now() > deadline) throw new Error(`the table shows ${JSON.stringify(texts)}`);
            await page.waitForTimeout(100);
          }
        });
        await checks.run('Close ends the WebSocket as "stopped", the conversation kept', async () => {
          await wsPanel.locator('.stream-live .stop-stream').click();
          await expectText(wsPanel, '.stream-live .stream-end', /^stopped$/, 15_000);
          if ((await wsPanel.locator('.stream-live .message-box').count()) !== 0) throw new Error('the message box is still there');
        });
        return true;
      },
    );
  } finally {
    await demo.close();
  }
}

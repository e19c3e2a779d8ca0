// The response panel's live stream table in Chromium: the page the host builds, fed the messages
// the host posts while a stream is open (streamOpen, streamMessages, then the exchange that ends it).
// Run: node test/harness/run.mjs test/panel/liveTable.test.ts
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { liveExchangeView, toExchangeView } from '../../client/panel/exchangeView';
import { messageView } from '../../client/panel/liveStream';
import { type StreamMessageView, type WebviewMessage } from '../../client/panel/messages';
import { type StreamMessage } from '../../engine/model';
import { streamExchange } from '../unit/cli/exchangeFixtures';
import { websocketScript } from '../unit/engine/streamTransport';
import { openPanelPage, type PanelPage } from './panelPage';

let nextId = 1000;

const request = { method: 'GET', url: 'http://127.0.0.1:3000/sse/ticks', headers: [['Accept', 'text/event-stream']] as const, origin: { file: undefined, line: 1, name: 'ticks' } };
const head = { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', 'text/event-stream']] as const };

function tick(n: number): StreamMessageView {
  const message: StreamMessage = { at: n * 10, direction: 'received', type: 'tick', id: String(n), data: JSON.stringify({ n, price: 9.5 + n }) };
  return messageView(message);
}

function ticks(from: number, count: number): StreamMessageView[] {
  return Array.from({ length: count }, (_, index) => tick(from + index));
}

async function openLive(panel: PanelPage, protocol: 'sse' | 'websocket' = 'sse'): Promise<number> {
  const id = nextId++;
  await panel.post({ type: 'streamOpen', id, view: liveExchangeView(request, head, protocol, 12, 'ticks · 200'), live: { protocol, canSend: protocol === 'websocket' } });
  await panel.page.waitForSelector('.stream-live');
  return id;
}

/** Whether the table's scroller is at its bottom, and the texts of the rows in the DOM. */
async function tableState(panel: PanelPage): Promise<{ atBottom: boolean; rowsInDom: number; lastId: string; scrollTop: number }> {
  // Two frames: the table renders on the next animation frame after a batch.
  await panel.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return panel.page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('.live-scroller');
    if (scroller === null) throw new Error('no live table');
    const rows = Array.from(document.querySelectorAll<HTMLElement>('.live-rows .live-row'));
    return {
      atBottom: scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2,
      rowsInDom: rows.length,
      lastId: rows.at(-1)?.querySelector('.id')?.textContent ?? '',
      scrollTop: scroller.scrollTop,
    };
  });
}

async function sentSince(panel: PanelPage, before: number): Promise<WebviewMessage[]> {
  return (await panel.sent()).slice(before);
}

describe('response panel live stream table (Chromium)', () => {
  let panel: PanelPage;
  before(async () => {
    panel = await openPanelPage();
  });
  after(async () => {
    await panel?.close();
  });

  test('a stream shows its head at once, then its messages as batches arrive, following the tail', async () => {
    const id = await openLive(panel);
    assert.match(await panel.page.locator('.status').innerText(), /200 OK/);
    assert.match(await panel.page.locator('.stream-facts').innerText(), /sse\s+0 messages\s+open/);
    assert.equal(await panel.page.locator('.stop-stream').innerText(), 'Stop');
    await panel.post({ type: 'streamMessages', id, messages: ticks(1, 3), count: 3 });
    await panel.page.waitForFunction(() => document.querySelectorAll('.live-rows .live-row').length === 3);
    const cells = await panel.page.locator('.live-rows .live-row').first().evaluate((row) => Array.from(row.children, (cell) => cell.textContent));
    assert.deepEqual(cells, ['10.0 ms', '←', 'tick', '1', '{ "n": 1, "price": 10.5 }'], 'JSON data on one line in the row');
    for (let batch = 0; batch < 20; batch++) await panel.post({ type: 'streamMessages', id, messages: ticks(4 + batch * 100, 100), count: 3 + (batch + 1) * 100 });
    const state = await tableState(panel);
    assert.equal(state.lastId, '2003', 'the newest message is in view');
    assert.ok(state.atBottom, 'the table follows the tail');
    assert.ok(state.rowsInDom < 80, `only the rows in view are in the DOM (${state.rowsInDom} of 2003)`);
    assert.match(await panel.page.locator('.stream-count').innerText(), /^2003 messages$/);
    const shown = (await panel.sent()).filter((message) => message.type === 'streamShown' && message.id === id);
    assert.ok(shown.length > 0 && shown.length < 22, `the page reports what it shows now and then, not per batch (${shown.length})`);
  });

  test('scrolled up, the table stays put as messages arrive and offers "Jump to latest" with how many came', async () => {
    const id = await openLive(panel);
    await panel.post({ type: 'streamMessages', id, messages: ticks(1, 500), count: 500 });
    await tableState(panel);
    await panel.page.locator('.live-scroller').evaluate((scroller) => (scroller.scrollTop = 200));
    await panel.page.waitForSelector('.jump-latest:not([hidden])');
    const before = await tableState(panel);
    await panel.post({ type: 'streamMessages', id, messages: ticks(501, 40), count: 540 });
    const after = await tableState(panel);
    assert.equal(after.scrollTop, before.scrollTop, 'new messages do not move a reader who scrolled up');
    assert.ok(!after.atBottom);
    assert.equal(await panel.page.locator('.jump-latest').innerText(), '↓ Jump to latest (40 new)');
    await panel.page.locator('.jump-latest').click();
    const followed = await tableState(panel);
    assert.ok(followed.atBottom, 'Jump to latest goes to the tail');
    assert.equal(followed.lastId, '540');
    assert.equal(await panel.page.locator('.jump-latest').isHidden(), true);
    await panel.post({ type: 'streamMessages', id, messages: ticks(541, 5), count: 545 });
    assert.equal((await tableState(panel)).lastId, '545', 'and follows it again');
  });

  test('an endless stream keeps a bounded table: the last 5,000 rows, the earlier ones counted', async () => {
    const id = await openLive(panel);
    for (let batch = 0; batch < 16; batch++) await panel.post({ type: 'streamMessages', id, messages: ticks(1 + batch * 500, 500), count: (batch + 1) * 500 });
    // The host skipped some under a flood: the count says so.
    await panel.post({ type: 'streamMessages', id, messages: ticks(9001, 10), count: 9010 });
    const state = await tableState(panel);
    assert.equal(state.lastId, '9010');
    assert.match(await panel.page.locator('.stream-count').innerText(), /^9010 messages$/);
    assert.equal(await panel.page.locator('.live-not-shown').innerText(), '4010 earlier messages not in the table; the last 5000 are');
    const height = await panel.page.locator('.live-scroller .spacer').evaluate((spacer) => spacer.getBoundingClientRect().height);
    assert.equal(height, 5000 * 20, 'the scroll height is that of 5,000 rows');
  });

  test('a click on a row shows its whole data, JSON pretty-printed, as text; Stop asks the host to stop', async () => {
    const errorsBefore = panel.errors.length;
    const id = await openLive(panel);
    const hostile = messageView({ at: 5, direction: 'received', type: '<b>x</b>', id: '<i>1</i>', data: '{"html":"<img src=x onerror=alert(1)>","list":[1,2]}' });
    await panel.post({ type: 'streamMessages', id, messages: [hostile], count: 1 });
    await panel.page.locator('.live-rows .live-row').first().click();
    assert.equal(await panel.page.locator('.live-detail pre').innerText(), '{\n  "html": "<img src=x onerror=alert(1)>",\n  "list": [\n    1,\n    2\n  ]\n}');
    assert.equal(await panel.page.locator('.stream-live img, .stream-live b, .stream-live i').count(), 0, 'message text is never HTML');
    const sentBefore = (await panel.sent()).length;
    await panel.page.locator('.stop-stream').click();
    assert.deepEqual(await sentSince(panel, sentBefore), [{ type: 'action', action: 'stopStream' }]);
    assert.deepEqual(panel.errors.slice(errorsBefore), [], 'no console errors, so no CSP violation');
  });

  test('a WebSocket gets a message box: Enter sends the text (or its bytes), Close closes; its end keeps the table and shows the close code', async () => {
    const id = await openLive(panel, 'websocket');
    assert.equal(await panel.page.locator('.stop-stream').innerText(), 'Close');
    const sentBefore = (await panel.sent()).length;
    await panel.page.locator('.message-input').fill('{"hello":"world"}');
    await panel.page.locator('.message-input').press('Enter');
    await panel.page.locator('.message-input').fill('raw');
    await panel.page.locator('.binary-toggle input').check();
    await panel.page.locator('.send-message').click();
    assert.deepEqual(
      (await sentSince(panel, sentBefore)).filter((message) => message.type === 'streamSend'),
      [
        { type: 'streamSend', id, data: '{"hello":"world"}', binary: false },
        { type: 'streamSend', id, data: 'raw', binary: true },
      ],
    );
    assert.equal(await panel.page.locator('.message-input').inputValue(), '', 'the box empties once sent');
    const conversation = websocketScript.messages.map((message) => messageView(message));
    await panel.post({ type: 'streamMessages', id, messages: conversation, count: conversation.length });
    await panel.page.waitForFunction(() => document.querySelectorAll('.live-rows .live-row').length === 3);
    const directions = await panel.page.locator('.live-rows .live-row .direction').allInnerTexts();
    assert.deepEqual(directions, ['→', '←', '←']);
    assert.equal(await panel.page.locator('.live-rows .live-row .data').last().innerText(), '[binary, 6 B] de ad be ef 00 01');
    mkdirSync('test-output', { recursive: true });
    await panel.page.screenshot({ path: 'test-output/panel-live-websocket.png' });
    // The exchange ends the stream: same id, the table stays with its rows.
    const view = toExchangeView(streamExchange(websocketScript), { title: 'chat · 101', maxBodyBytesInPanel: 1 << 20, maxImageBytes: 1 << 20, hexPreviewBytes: 256 });
    const table = await panel.page.locator('.stream-live').elementHandle();
    await panel.post({ type: 'exchange', id, view, endsLive: true });
    await panel.post({ type: 'bodyChunk', id, text: '', last: true });
    await panel.page.waitForFunction(() => document.querySelector('.stream-live .stream-end')?.textContent !== 'open');
    assert.ok(await table?.evaluate((element) => element.isConnected), 'the same table stays in the page');
    assert.match(await panel.page.locator('.stream-facts').innerText(), /websocket\s+3 messages\s+closed by the server \(code 1000: bye\)/);
    assert.equal(await panel.page.locator('.stop-stream, .message-box').count(), 0, 'no Stop and no message box once it ended');
    assert.equal(await panel.page.locator('.live-rows .live-row').count(), 3);
    assert.deepEqual(await panel.page.locator('.actions button').allInnerTexts(), ['Re-send', 'cURL', 'Save', 'Save exchange'], 'Save keeps every message of a framed stream');
  });
});

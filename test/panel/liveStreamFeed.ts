// Feeds a stream into the panel page the way the extension host does: each message to a
// LiveStreamFeed (client/panel/liveStream.ts), whose batches are posted to the page, while the page
// measures its frame intervals and the host side samples its heap and RSS. Used by the panel bench.
import { type Page } from 'playwright-core';
import { liveExchangeView } from '../../client/panel/exchangeView';
import { LiveStreamFeed } from '../../client/panel/liveStream';
import { type HostMessage } from '../../client/panel/messages';
import { type StreamMessage } from '../../engine/model';

export interface LiveFeedFigures {
  /** Messages the source produced, and the count the page's table showed at the end. */
  readonly produced: number;
  readonly shownByPage: number;
  readonly posts: number;
  readonly seconds: number;
  /** Frame intervals in the page while the stream arrived, sorted. */
  readonly frameIntervals: readonly number[];
  /** Host side: peak heap used and RSS while the stream arrived, and at the start, in bytes. */
  readonly heapStart: number;
  readonly heapPeak: number;
  readonly rssStart: number;
  readonly rssPeak: number;
  /** Rows in the page's DOM at the end: the table's window, whatever the count. */
  readonly rowsInDom: number;
}

/** Where the messages come from: calls `onMessage` for each until `signal` aborts, then resolves. */
export type MessageSource = (onMessage: (message: StreamMessage) => void, signal: AbortSignal) => Promise<void>;

/** `ratePerSecond` SSE-like JSON events, produced in 1 ms slices, as a fast server's would arrive. */
export function syntheticSource(ratePerSecond: number): MessageSource {
  return async (onMessage, signal) => {
    const started = performance.now();
    let produced = 0;
    while (!signal.aborted) {
      const due = Math.floor(((performance.now() - started) / 1000) * ratePerSecond);
      for (; produced < due; produced++) onMessage({ at: performance.now() - started, direction: 'received', type: 'tick', id: String(produced + 1), data: JSON.stringify({ n: produced + 1, price: 100 + (produced % 50) / 10, symbol: 'ACME', tags: ['live', 'bench'] }) });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
}

export async function measureLiveFeed(page: Page, source: MessageSource, seconds: number, id: number): Promise<LiveFeedFigures> {
  // As JSON text, as VS Code carries a webview message between processes (Playwright's own argument
  // encoding of a large object costs the page far more than the panel does).
  const post = (message: HostMessage): Promise<boolean> => page.evaluate((json) => (window.postMessage(JSON.parse(json), '*'), true), JSON.stringify(message));
  const request = { method: 'GET', url: 'http://127.0.0.1/sse/ticks', headers: [], origin: { file: undefined, line: 1, name: 'ticks' } };
  const head = { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', 'text/event-stream']] as const };
  await post({ type: 'streamOpen', id, view: liveExchangeView(request, head, 'sse', 5, 'ticks · 200'), live: { protocol: 'sse', canSend: false } });
  await page.waitForSelector('.stream-live');
  // Frame intervals from requestAnimationFrame in the page until told to stop.
  await page.evaluate(() => {
    const intervals: number[] = [];
    const state = window as unknown as { benchIntervals: number[]; benchRunning: boolean };
    state.benchIntervals = intervals;
    state.benchRunning = true;
    let last = performance.now();
    const frame = (now: number): void => {
      intervals.push(now - last);
      last = now;
      if (state.benchRunning) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  let posts = 0;
  const feed = new LiveStreamFeed({
    post: (messages, count) => {
      posts++;
      return post({ type: 'streamMessages', id, messages, count });
    },
  });
  global.gc?.();
  const start = process.memoryUsage();
  let heapPeak = start.heapUsed;
  let rssPeak = start.rss;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    heapPeak = Math.max(heapPeak, usage.heapUsed);
    rssPeak = Math.max(rssPeak, usage.rss);
  }, 50);
  let produced = 0;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), seconds * 1000);
  const started = performance.now();
  try {
    await source((message) => {
      produced++;
      feed.add(message);
    }, controller.signal);
    await feed.close();
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
  }
  const elapsed = (performance.now() - started) / 1000;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const page_ = await page.evaluate(() => {
    const state = window as unknown as { benchIntervals: number[]; benchRunning: boolean };
    state.benchRunning = false;
    return { intervals: state.benchIntervals.slice(1), rows: document.querySelectorAll('.live-rows .live-row').length, count: document.querySelector('.stream-live .stream-count')?.textContent ?? '' };
  });
  return {
    produced,
    shownByPage: Number.parseInt(page_.count, 10),
    posts,
    seconds: elapsed,
    frameIntervals: page_.intervals.sort((a, b) => a - b),
    heapStart: start.heapUsed,
    heapPeak,
    rssStart: start.rss,
    rssPeak,
    rowsInDom: page_.rows,
  };
}

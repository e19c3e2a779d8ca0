// Feeds a stream into the panel page the way the extension host does: each message to a
// LiveStreamFeed (client/panel/liveStream.ts), whose batches are posted to the page, while the page
// measures its frame intervals and the host side samples its heap and RSS. Used by the panel bench.
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Page } from 'playwright-core';
import { liveExchangeView } from '../../client/panel/exchangeView';
import { LiveStreamFeed } from '../../client/panel/liveStream';
import { type HostMessage } from '../../client/panel/messages';
import { type PreparedRequest, type StreamMessage } from '../../engine/model';
import { Session } from '../../engine/session';

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

/**
 * A real event stream over HTTP at `ratePerSecond`, read by the real engine (a Session and its SSE
 * transport, through the observer the editor uses): a local server writes the events due every
 * millisecond, as one `text/event-stream` response, until the client stops.
 */
export function engineSseSource(ratePerSecond: number): MessageSource {
  return async (onMessage, signal) => {
    const server = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      const started = performance.now();
      let written = 0;
      const timer = setInterval(() => {
        const due = Math.floor(((performance.now() - started) / 1000) * ratePerSecond);
        let chunk = '';
        for (; written < due; written++) chunk += `id: ${written + 1}\nevent: tick\ndata: {"n":${written + 1},"price":${100 + (written % 50) / 10},"symbol":"ACME","tags":["live","bench"]}\n\n`;
        if (chunk !== '') response.write(chunk);
      }, 1);
      request.socket.once('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const session = await Session.open({ tempDir: process.env.TMPDIR ?? '/tmp' });
    try {
      const request: PreparedRequest = {
        method: 'GET',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sse/ticks`,
        headers: [['Accept', 'text/event-stream']],
        body: undefined,
        options: { followRedirects: true, maxRedirects: 5, useCookieJar: false, timeoutMs: undefined, connectTimeoutMs: undefined, insecure: false, retries: 0 },
        origin: { file: undefined, line: 1, name: 'ticks' },
      };
      const exchange = await session.send(request, signal, { onMessage });
      if (exchange.response?.shape !== 'stream') throw new Error(`the engine did not read a stream: ${exchange.error?.message ?? exchange.response?.status}`);
    } finally {
      await session.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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

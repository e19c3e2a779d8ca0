// Benchmark: how fast the response panel shows a 50 MB JSON body, next to JSON.parse of the
// same text in the same page (a slow machine shows up as a slow baseline, not a slow panel),
// and how long frames take while scrolling through it; then a live stream of 10,000 events a second
// for 10 s through the host's batching into the page: frame intervals while it arrives, and the
// host side's peak heap and RSS. `--live` runs only the stream part.
// Run: npm run build && node test/harness/run.mjs test/panel/panel.bench.ts [--live]
import { toExchangeView } from '../../client/panel/exchangeView';
import { measureLargeJson, type LargeBodyFigures } from './largeBody';
import { engineSseSource, measureLiveFeed, type MessageSource } from './liveStreamFeed';
import { openPanelPage } from './panelPage';

const runs = 5;
const megabytes = 50;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const liveRate = 10_000;
const liveSeconds = 10;
const mb = (bytes: number): string => `${(bytes / (1 << 20)).toFixed(1)} MB`;

/** The live stream part: `source` into the page through the host's batching, figures printed. */
async function benchLive(panel: Awaited<ReturnType<typeof openPanelPage>>, source: MessageSource, label: string): Promise<void> {
  const figures = await measureLiveFeed(panel.page, source, liveSeconds, 1_000_000);
  const intervals = figures.frameIntervals;
  const p95 = intervals[Math.floor(intervals.length * 0.95)] ?? Number.NaN;
  console.log(`panel live stream: ${label}, ${figures.produced} events in ${figures.seconds.toFixed(1)} s (${Math.round(figures.produced / figures.seconds)}/s), ${figures.posts} posts`);
  console.log(`  frame interval while it arrives: median ${median(intervals).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${(intervals.at(-1) ?? 0).toFixed(1)} ms over ${intervals.length} frames   (target p95 < 33 ms)`);
  console.log(`  page: table count ${figures.shownByPage} of ${figures.produced} produced, ${figures.rowsInDom} rows in the DOM`);
  console.log(`  host side: heap ${mb(figures.heapStart)} -> peak ${mb(figures.heapPeak)}, RSS ${mb(figures.rssStart)} -> peak ${mb(figures.rssPeak)} (bench process: Playwright's client included)`);
  if (!(p95 < 33)) process.exitCode = 1;
}

async function main(): Promise<void> {
  const panel = await openPanelPage({ width: 1000, height: 800 });
  try {
    if (process.argv.includes('--live')) {
      await benchLive(panel, engineSseSource(liveRate), `SSE at ${liveRate} events/s read by the engine`);
      return;
    }
    const bytes = new TextEncoder().encode('[]');
    const view = toExchangeView(
      {
        request: { method: 'GET', url: 'http://127.0.0.1/items', headers: [], bodySize: 0 },
        origin: { file: undefined, line: 1, name: 'items' },
        response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', 'application/json']], body: { size: megabytes << 20, encodedSize: megabytes << 20, prefix: bytes, file: '/tmp/body', contentType: 'application/json', charset: 'utf-8' } },
        redirects: [],
        timings: { firstByte: 10, download: 900, total: 901 },
        error: undefined,
        warnings: [],
      },
      { title: 'items · 200', maxBodyBytesInPanel: 64 << 20, maxImageBytes: 1 << 20, hexPreviewBytes: 256 },
    );
    const results: LargeBodyFigures[] = [];
    for (let run = 0; run < runs; run++) results.push(await measureLargeJson(panel.page, view, run + 1, megabytes));
    const frames = await panel.page.evaluate(async () => {
      const scroller = document.querySelector<HTMLElement>('.scroller');
      if (scroller === null) throw new Error('no body scroller');
      const intervals: number[] = [];
      let last = performance.now();
      for (let frame = 0; frame < 120; frame++) {
        scroller.scrollTop += 40_000;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        intervals.push(now - last);
        last = now;
      }
      return intervals.sort((a, b) => a - b);
    });
    const firstRow = median(results.map((result) => result.firstRowMs));
    const all = median(results.map((result) => result.allChunksMs));
    const parse = median(results.map((result) => result.jsonParseMs));
    console.log(`panel: ${megabytes} MB JSON in ${results[0].chunks} chunks, median of ${runs} runs in Chromium`);
    console.log(`  first body row        ${firstRow.toFixed(1).padStart(8)} ms   (target < 300 ms)`);
    console.log(`  whole body indexed    ${all.toFixed(0).padStart(8)} ms   (${(all / parse).toFixed(2)}x JSON.parse)`);
    console.log(`  baseline: JSON.parse  ${parse.toFixed(0).padStart(8)} ms   of the same text in the same page`);
    console.log(`  while streaming: longest gap between two frames, median ${median(results.map((result) => result.longestFrameGapMs)).toFixed(1)} ms (indexing slices take at most 8 ms; the rest is message delivery and GC)`);
    console.log(`  scrolling: frame interval median ${median(frames).toFixed(1)} ms, p95 ${frames[Math.floor(frames.length * 0.95)].toFixed(1)} ms over ${frames.length} frames`);
    await benchLive(panel, engineSseSource(liveRate), `SSE at ${liveRate} events/s read by the engine`);
  } finally {
    await panel.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// Downloads a 300 MB body (generated on the fly by a local server) through Session.send and
// reports peak RSS against the idle baseline and a bare undici request that discards the body.
// Run with `npm run bench` (node --expose-gc). Target: peak under 150 MB.
import * as http from 'node:http';
import { type AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { Session } from '../../engine/session';

const totalBytes = 300 * 1024 * 1024;
const block = Buffer.alloc(64 * 1024, 0x78);
const mb = (bytes: number): number => Math.round(bytes / (1024 * 1024));

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Samples RSS every few ms while `work` runs; returns the peak. */
async function peakRss(work: () => Promise<void>): Promise<number> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss());
}

async function main(): Promise<void> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Length': String(totalBytes), 'Content-Type': 'application/octet-stream' });
    let sent = 0;
    const pump = (): void => {
      while (sent < totalBytes) {
        sent += block.length;
        if (!response.write(block)) {
          response.once('drain', pump);
          return;
        }
      }
      response.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`;
  const dir = await mkdtemp(join(tmpdir(), 'courier-bench-'));
  try {
    collectGarbage();
    const baseline = process.memoryUsage.rss();

    const bareStarted = performance.now();
    const bare = await peakRss(async () => {
      const { body } = await request(url);
      for await (const _chunk of body) {
        // discard
      }
    });
    const bareRate = totalBytes / ((performance.now() - bareStarted) / 1000) / (1024 * 1024 * 1024);
    collectGarbage();

    const session = await Session.open({ tempDir: dir, environment: {} });
    let seconds = 0;
    let size = 0;
    const peak = await peakRss(async () => {
      const started = performance.now();
      const exchange = await session.send({
        method: 'GET',
        url,
        headers: [],
        body: undefined,
        options: { followRedirects: true, maxRedirects: 5, useCookieJar: true, timeoutMs: undefined, connectTimeoutMs: undefined, insecure: false, retries: 0 },
        origin: { file: undefined, line: 1, name: 'bench' },
      });
      seconds = (performance.now() - started) / 1000;
      if (exchange.error !== undefined) throw new Error(exchange.error.message);
      size = exchange.response?.body.size ?? 0;
    });
    await session.close();
    if (size !== totalBytes) throw new Error(`downloaded ${size} bytes, expected ${totalBytes}`);
    const rate = totalBytes / seconds / (1024 * 1024 * 1024);
    console.log(
      `download ${mb(totalBytes)} MB: peak RSS ${mb(peak)} MB (baseline idle ${mb(baseline)} MB, bare undici ${mb(bare)} MB); ${rate.toFixed(2)} GB/s (bare undici ${bareRate.toFixed(2)} GB/s)`,
    );
    if (mb(peak) >= 150) {
      console.log('over the 150 MB target');
      process.exitCode = 1;
    }
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();

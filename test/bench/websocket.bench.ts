// A WebSocket echo of 10,000 messages through Courier's engine (a WEBSOCKET request whose body is
// 10,000 `===`-separated messages, sent by Session.send, every frame recorded) beside a bare `ws`
// client loop against the same server (the demo API's /ws/echo), in the same process and run.
// Two shapes: pipelined (every message sent at once) and one at a time (`=== wait-for-server`
// before each, the bare loop sending on each echo). Time from opening the connection to the last
// echo, median of 7 alternating runs. Target: Courier within 1.5x of the bare loop's rate.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { PreparedRequest } from '../../engine/model';
import { Session } from '../../engine/session';
import { webSocketEndpoints } from '../../samples/demo-api/websockets';
import { median } from './measure';

const count = 10_000;
const runs = 7;
const encoder = new TextEncoder();
const messageText = (n: number): string => `{"n":${n},"text":"hello from the WebSocket bench"}`;

function scriptOf(waitEach: boolean): string {
  const separator = waitEach ? '\n=== wait-for-server\n' : '\n===\n';
  return Array.from({ length: count }, (_, n) => messageText(n)).join(separator);
}

/** Milliseconds from `new WebSocket` to the `count`-th echo, with a bare `ws` client. */
function bareLoop(url: string, waitEach: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = new WebSocket(url);
    let received = 0;
    socket.on('error', reject);
    socket.on('open', () => {
      if (waitEach) socket.send(messageText(0));
      else for (let n = 0; n < count; n++) socket.send(messageText(n));
    });
    socket.on('message', (data: WebSocket.RawData) => {
      // The same work Courier does per message: the frame as text.
      void (Buffer.isBuffer(data) ? data.toString('utf8') : data);
      received++;
      if (received === count) {
        const elapsed = performance.now() - started;
        socket.close();
        resolve(elapsed);
      } else if (waitEach) socket.send(messageText(received));
    });
  });
}

/** Milliseconds from Session.send to the `count`-th echo, told by the exchange's observer. */
async function throughCourier(session: Session, url: string, waitEach: boolean): Promise<number> {
  const request: PreparedRequest = {
    method: 'WEBSOCKET',
    url,
    headers: [],
    body: [encoder.encode(scriptOf(waitEach))],
    options: { followRedirects: true, maxRedirects: 5, useCookieJar: true, timeoutMs: undefined, connectTimeoutMs: undefined, insecure: false, retries: 0, streamQuietMs: 0 },
    origin: { file: undefined, line: 1, name: 'bench' },
  };
  let received = 0;
  let lastEchoAt = 0;
  const started = performance.now();
  const exchange = await session.send(request, undefined, {
    onMessage: (message) => {
      if (message.direction === 'received' && ++received === count) lastEchoAt = performance.now();
    },
  });
  if (exchange.error !== undefined) throw new Error(exchange.error.message);
  if (exchange.response?.shape !== 'stream' || exchange.response.stream.count !== 2 * count) throw new Error(`expected ${2 * count} messages, got ${exchange.response?.shape === 'stream' ? exchange.response.stream.count : 'no stream'}`);
  if (received !== count) throw new Error(`${received} echoes arrived, expected ${count}`);
  return lastEchoAt - started;
}

async function main(): Promise<void> {
  const endpoints = webSocketEndpoints();
  const server = createServer((_request, response) => response.writeHead(404).end());
  server.on('upgrade', (request, socket, head) => endpoints.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/echo`;
  const dir = await mkdtemp(join(tmpdir(), 'courier-bench-'));
  const session = await Session.open({ tempDir: dir, environment: {} });
  let failed = false;
  try {
    for (const waitEach of [false, true]) {
      const bare: number[] = [];
      const courier: number[] = [];
      // One of each first, not counted: both paths warmed up.
      await bareLoop(url, waitEach);
      await throughCourier(session, url, waitEach);
      for (let run = 0; run < runs; run++) {
        bare.push(await bareLoop(url, waitEach));
        courier.push(await throughCourier(session, url, waitEach));
      }
      const bareRate = count / (median(bare) / 1000);
      const courierRate = count / (median(courier) / 1000);
      const ratio = bareRate / courierRate;
      const shape = waitEach ? 'one at a time (wait-for-server)' : 'pipelined';
      console.log(
        `websocket echo of ${count.toLocaleString('en')} messages, ${shape}: Courier ${Math.round(courierRate).toLocaleString('en')} msg/s (${median(courier).toFixed(0)} ms), ` +
          `bare ws ${Math.round(bareRate).toLocaleString('en')} msg/s (${median(bare).toFixed(0)} ms): ${ratio.toFixed(2)}x`,
      );
      if (ratio > 1.5) {
        console.log(`  over the 1.5x target (${shape})`);
        failed = true;
      }
    }
  } finally {
    await session.close();
    await endpoints.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

void main();

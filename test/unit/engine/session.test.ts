import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { methodOnTheWire, Session } from '../../../engine/session';
import { defaultUserAgent } from '../../../engine/version';
import { closed, httpServer, listen, prepared, readBody } from './localServer';

const encoder = new TextEncoder();

/** A raw TCP server that records the exact request bytes and answers 200 once it saw `expectedBytes`. */
async function rawServer(expectedBytes: (received: Buffer) => boolean) {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (expectedBytes(buffer)) {
        received.push(buffer);
        buffer = Buffer.alloc(0);
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-B: 1\r\nx-a: 2\r\n\r\nok');
      }
    });
  });
  return { ...(await listen(server)), received };
}

describe('Session.send', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'courier-session-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('sends method, target, headers in order and case, the streamed body and a computed Content-Length', async () => {
    const file = join(dir, 'part.bin');
    await writeFile(file, Buffer.alloc(100_000, 0x61));
    const raw = await rawServer((bytes) => {
      const end = bytes.indexOf('\r\n\r\n');
      return end >= 0 && bytes.length - end - 4 >= 100_010;
    });
    const session = await Session.open({});
    try {
      const exchange = await session.send(
        prepared(`${raw.url}/upload?x=1`, {
          method: 'POST',
          headers: [
            ['X-Zeta', 'last-alphabetically'],
            ['content-type', 'text/plain'],
            ['X-Alpha', 'a'],
            ['Content-Length', '3'],
          ],
          body: [encoder.encode('start'), { path: file }, encoder.encode('end..')],
        }),
      );
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(exchange.response?.status, 200);
      const request = raw.received[0]?.toString('latin1') ?? '';
      const [head = '', body = ''] = request.split('\r\n\r\n');
      const lines = head.split('\r\n');
      assert.equal(lines[0], 'POST /upload?x=1 HTTP/1.1');
      const names = lines.slice(1).map((line) => line.split(':', 1)[0]);
      // Our headers keep their order and case; undici adds host/connection/content-length.
      const ours = names.filter((name) => ['X-Zeta', 'content-type', 'X-Alpha', 'User-Agent'].includes(name ?? ''));
      assert.deepEqual(ours, ['X-Zeta', 'content-type', 'X-Alpha', 'User-Agent']);
      assert.ok(lines.includes(`User-Agent: ${defaultUserAgent}`), head);
      assert.ok(lines.some((line) => /^content-length: 100010$/i.test(line)), head);
      assert.equal(body, `start${'a'.repeat(100_000)}end..`);
      assert.deepEqual(exchange.response?.headers, [
        ['Content-Length', '2'],
        ['X-B', '1'],
        ['x-a', '2'],
      ]);
      assert.ok(exchange.warnings.some((warning) => warning.includes('Content-Length 3 was replaced')), exchange.warnings.join('\n'));
      assert.equal(exchange.request.bodySize, 100_010);
    } finally {
      await session.close();
      await raw.close();
    }
  });

  test('keeps a user-set User-Agent and streams chunked when the user asked for Transfer-Encoding', async () => {
    const running = await httpServer((request, response) => {
      void readBody(request).then((body) => {
        response.end(JSON.stringify({ agent: request.headers['user-agent'], te: request.headers['transfer-encoding'], length: request.headers['content-length'] ?? null, body: body.toString() }));
      });
    });
    const session = await Session.open({});
    try {
      const exchange = await session.send(
        prepared(running.url, { method: 'POST', headers: [['user-agent', 'mine/1'], ['Transfer-Encoding', 'chunked']], body: [encoder.encode('abc')] }),
      );
      const echoed = JSON.parse(Buffer.from(exchange.response?.body.prefix ?? []).toString()) as Record<string, string | null>;
      assert.deepEqual(echoed, { agent: 'mine/1', te: 'chunked', length: null, body: 'abc' });
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('reuses one keep-alive connection for consecutive requests to an origin', async () => {
    const running = await httpServer((_request, response) => response.end('hi'));
    const session = await Session.open({});
    try {
      const first = await session.send(prepared(`${running.url}/a`));
      const second = await session.send(prepared(`${running.url}/b`));
      assert.equal(first.response?.status, 200);
      assert.equal(second.response?.status, 200);
      assert.equal(running.sockets.length, 1, 'the server should see a single socket');
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('timings: a fresh connection has ordered phases; a reused one has no dns or connect', async () => {
    const running = await httpServer((_request, response) => response.end('hi'));
    const session = await Session.open({});
    try {
      const fresh = await session.send(prepared(`http://localhost:${running.port}/`));
      assert.equal(fresh.error, undefined, fresh.error?.message);
      const { dns, connect, firstByte, download, total } = fresh.timings;
      assert.ok(dns !== undefined && connect !== undefined && firstByte !== undefined && download !== undefined, JSON.stringify(fresh.timings));
      assert.ok(dns <= connect && connect <= firstByte && firstByte <= download && download <= total, JSON.stringify(fresh.timings));
      const reused = await session.send(prepared(`http://localhost:${running.port}/`));
      assert.equal(reused.timings.dns, undefined);
      assert.equal(reused.timings.connect, undefined);
      assert.ok(reused.timings.firstByte !== undefined);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('timeoutMs ends a stalled exchange with `timeout` and closes the socket', async () => {
    const running = await httpServer(() => undefined);
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(running.url, { options: { timeoutMs: 150 } }));
      assert.equal(exchange.error?.code, 'timeout');
      assert.match(exchange.error?.message ?? '', /within 150 ms/);
      const socket = running.sockets[0];
      assert.ok(socket !== undefined);
      await closed(socket);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('an AbortSignal cancels with `aborted` and closes the socket', async () => {
    const running = await httpServer((_request, response) => response.write('partial'));
    const session = await Session.open({});
    try {
      const controller = new AbortController();
      const pending = session.send(prepared(running.url), controller.signal);
      while (running.sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      const exchange = await pending;
      assert.equal(exchange.error?.code, 'aborted');
      const socket = running.sockets[0];
      await closed(socket);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a missing body file is a `file` error naming the file and the request line', async () => {
    const running = await httpServer((_request, response) => response.end());
    const session = await Session.open({});
    try {
      const missing = join(dir, 'nope.json');
      const exchange = await session.send(prepared(running.url, { method: 'POST', body: [{ path: missing }] }));
      assert.equal(exchange.error?.code, 'file');
      assert.ok(exchange.error?.message.includes(missing));
      assert.ok(exchange.error?.message.includes('/tests/requests.http:1'));
    } finally {
      await session.close();
      await running.close();
    }
  });
});

describe('methodOnTheWire', () => {
  test('a method the .http language knows is sent upper-cased, any other as written (curl -X wHat)', () => {
    assert.deepEqual(['get', 'Post', 'patch', 'propfind', 'mkcalendar', 'DELETE'].map(methodOnTheWire), ['GET', 'POST', 'PATCH', 'PROPFIND', 'MKCALENDAR', 'DELETE']);
    assert.deepEqual(['wHat', 'FROB', 'frob'].map(methodOnTheWire), ['wHat', 'FROB', 'frob']);
  });
});

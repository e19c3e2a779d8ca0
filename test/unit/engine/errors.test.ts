import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { describe, test } from 'node:test';
import { Session } from '../../../engine/session';
import { listen, prepared } from './localServer';

/** A port with nothing listening: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const running = await listen(net.createServer());
  await running.close();
  return running.port;
}

describe('errors are values with clear messages', () => {
  test('an unresolvable host is `dns`, naming it', async () => {
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared('http://example.invalid/'));
      assert.equal(exchange.response, undefined);
      assert.equal(exchange.error?.code, 'dns');
      assert.match(exchange.error?.message ?? '', /could not resolve host example\.invalid/);
    } finally {
      await session.close();
    }
  });

  test('a refused connection is `refused`, naming host:port', async () => {
    const port = await closedPort();
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared(`http://127.0.0.1:${port}/`));
      assert.equal(exchange.error?.code, 'refused');
      assert.match(exchange.error?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
    } finally {
      await session.close();
    }
  });

  test('a connection reset before the response is `reset`', async () => {
    const running = await listen(net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy())));
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared(running.url));
      assert.equal(exchange.error?.code, 'reset');
      assert.match(exchange.error?.message ?? '', /127\.0\.0\.1:\d+ closed the connection/);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('garbage instead of HTTP is `invalid-response`', async () => {
    const running = await listen(net.createServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'))));
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared(running.url));
      assert.equal(exchange.error?.code, 'invalid-response', exchange.error?.message);
      assert.match(exchange.error?.message ?? '', /not a valid HTTP\/1\.1 response/);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a connect timeout is `timeout`, naming connectTimeoutMs', async () => {
    // Connecting includes the TLS handshake: a server that accepts TCP but never answers the
    // ClientHello stalls the connection phase without leaving loopback.
    const running = await listen(net.createServer(() => undefined));
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared(`https://127.0.0.1:${running.port}/`, { options: { connectTimeoutMs: 100 } }));
      assert.equal(exchange.error?.code, 'timeout', exchange.error?.message);
      assert.match(exchange.error?.message ?? '', /within 100 ms \(connectTimeoutMs\)/);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a URL that is not absolute http(s) names the file and line', async () => {
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared('ftp://x/', { origin: { file: '/w/api.http', line: 7, name: undefined } }));
      assert.equal(exchange.error?.code, 'other');
      // One scheme rule for preparation, the session and redirects (engine/transport.ts).
      assert.match(exchange.error?.message ?? '', /\/w\/api\.http:7: "ftp:\/\/x\/" uses ftp:, which Courier cannot send: it sends http and https URLs/);
      const relative = await session.send(prepared('/relative', { origin: { file: '/w/api.http', line: 9, name: undefined } }));
      assert.match(relative.error?.message ?? '', /\/w\/api\.http:9: "\/relative" is not an absolute http:\/\/ or https:\/\/ URL/);
      const socket = await session.send(prepared('ws://x/', { origin: { file: '/w/api.http', line: 11, name: undefined } }));
      assert.match(socket.error?.message ?? '', /\/w\/api\.http:11: "ws:\/\/x\/": ws: URLs open a WebSocket: write WEBSOCKET \(or WS\) instead of GET/);
    } finally {
      await session.close();
    }
  });
});

import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { describe, test } from 'node:test';
import { isIdempotent } from '../../../engine/retry';
import { Session } from '../../../engine/session';
import { httpServer, listen, prepared } from './localServer';

/** A server that resets the first `failures` connections, then answers normally. */
async function flakyServer(failures: number) {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    if (connections <= failures) {
      socket.once('data', () => socket.resetAndDestroy());
      return;
    }
    socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  });
  const running = await listen(server);
  return { ...running, connections: () => connections };
}

describe('retries', () => {
  test('an idempotent request is retried after connection resets, with backoff', async () => {
    const running = await flakyServer(2);
    const session = await Session.open({ retryDelayMs: 20 });
    try {
      const started = performance.now();
      const exchange = await session.send(prepared(running.url, { method: 'PUT', options: { retries: 2 } }));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(exchange.response?.status, 200);
      assert.equal(running.connections(), 3);
      assert.ok(performance.now() - started >= 60, 'waits 20 ms, then 40 ms');
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a POST is never retried', async () => {
    const running = await flakyServer(1);
    const session = await Session.open({ retryDelayMs: 1 });
    try {
      const exchange = await session.send(prepared(running.url, { method: 'POST', options: { retries: 3 } }));
      assert.equal(exchange.error?.code, 'reset');
      assert.equal(running.connections(), 1);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('gives up after `retries` attempts with the last error', async () => {
    const running = await flakyServer(10);
    const session = await Session.open({ retryDelayMs: 1 });
    try {
      const exchange = await session.send(prepared(running.url, { options: { retries: 2 } }));
      assert.equal(exchange.error?.code, 'reset');
      assert.equal(running.connections(), 3);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('an HTTP error status is an answer, never retried', async () => {
    let requests = 0;
    const running = await httpServer((_request, response) => {
      requests++;
      response.writeHead(503);
      response.end();
    });
    const session = await Session.open({ retryDelayMs: 1 });
    try {
      const exchange = await session.send(prepared(running.url, { options: { retries: 3 } }));
      assert.equal(exchange.response?.status, 503);
      assert.equal(requests, 1);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('idempotent methods are those of RFC 9110', () => {
    assert.deepEqual(
      ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'POST', 'PATCH'].filter(isIdempotent),
      ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'],
    );
  });
});

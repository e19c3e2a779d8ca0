// The shortcuts Session.send takes on the common path (no cookies yet, no timeout) must not
// change what is sent or how an exchange ends.
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, test } from 'node:test';
import { PersistentCookieJar } from '../../../engine/cookieJar';
import { Session } from '../../../engine/session';
import { closed, httpServer, prepared, readBody, type Running } from './localServer';
import type * as http from 'node:http';

const bodyText = (exchange: { response: { body: { prefix: Uint8Array } } | undefined }): string => Buffer.from(exchange.response?.body.prefix ?? []).toString();

describe('session fast paths', () => {
  let running: Running<http.Server>;
  before(async () => {
    running = await httpServer((request, response) => {
      if (request.url === '/login') response.setHeader('Set-Cookie', 'session=abc; Path=/');
      const named = /^\/set\/(\w+)$/.exec(request.url ?? '');
      if (named !== null) response.setHeader('Set-Cookie', `${named[1]}=1; Path=/`);
      if (request.url === '/stall') {
        response.write('partial');
        return;
      }
      response.end(request.headers.cookie ?? '');
    });
  });
  after(() => running.close());

  describe('the cookie jar', () => {
    // Counts lookups by wrapping the jar's method for these tests only.
    const original = Object.getOwnPropertyDescriptor(PersistentCookieJar.prototype, 'cookieHeader');
    let lookups = 0;
    before(() => {
      const real = original?.value as PersistentCookieJar['cookieHeader'];
      PersistentCookieJar.prototype.cookieHeader = function (this: PersistentCookieJar, ...args: Parameters<PersistentCookieJar['cookieHeader']>) {
        lookups += 1;
        return real.apply(this, args);
      };
    });
    after(() => {
      if (original !== undefined) Object.defineProperty(PersistentCookieJar.prototype, 'cookieHeader', original);
    });

    test('is not asked for a Cookie header while empty, and is once a response stored a cookie', async () => {
      const session = await Session.open({});
      try {
        lookups = 0;
        for (let index = 0; index < 3; index++) assert.equal(bodyText(await session.send(prepared(`${running.url}/echo`))), '');
        assert.equal(lookups, 0, 'an empty jar was consulted');
        await session.send(prepared(`${running.url}/login`));
        assert.equal(bodyText(await session.send(prepared(`${running.url}/echo`))), 'session=abc');
        assert.ok(lookups >= 1, 'the jar was not consulted after it received a cookie');
      } finally {
        await session.close();
      }
    });

    test('without a jar file the store is empty until a cookie arrives, and clearing it before then is harmless', async () => {
      const session = await Session.open({});
      try {
        assert.deepEqual(await session.cookies.list(), []);
        assert.equal(await session.cookies.clearDomain('127.0.0.1'), 0);
        await session.cookies.clear();
        await session.send(prepared(`${running.url}/login`));
        assert.deepEqual((await session.cookies.list()).map((cookie) => cookie.name), ['session']);
        assert.equal(await session.cookies.clearDomain('127.0.0.1'), 1);
        assert.deepEqual(await session.cookies.list(), []);
      } finally {
        await session.close();
      }
    });

    test('first cookies of exchanges running at once all land in one jar', async () => {
      const session = await Session.open({});
      try {
        const names = ['a', 'b', 'c', 'd'];
        await Promise.all(names.map((name) => session.send(prepared(`${running.url}/set/${name}`))));
        assert.deepEqual((await session.cookies.list()).map((cookie) => cookie.name).sort(), names);
        assert.equal(bodyText(await session.send(prepared(`${running.url}/echo`))).split('; ').sort().join('; '), 'a=1; b=1; c=1; d=1');
      } finally {
        await session.close();
      }
    });

    test('a Cookie header written in the request is still sent while the jar is empty', async () => {
      const session = await Session.open({});
      try {
        const exchange = await session.send(prepared(`${running.url}/echo`, { headers: [['Cookie', 'mine=1']] }));
        assert.equal(bodyText(exchange), 'mine=1');
      } finally {
        await session.close();
      }
    });
  });

  describe('cancelling without a timeout', () => {
    let session: Session;
    before(async () => {
      session = await Session.open({});
    });
    after(() => session.close());
    afterEach(() => {
      for (const socket of running.sockets) socket.destroy();
    });

    test('a caller abort ends the exchange as `aborted` naming the host, and closes the socket', async () => {
      const controller = new AbortController();
      const sockets = running.sockets.length;
      const pending = session.send(prepared(`${running.url}/stall`, { options: { timeoutMs: undefined } }), controller.signal);
      while (running.sockets.length === sockets) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      const exchange = await pending;
      assert.equal(exchange.error?.code, 'aborted');
      assert.equal(exchange.error?.message, `the request to 127.0.0.1:${running.port} was cancelled`);
      const socket = running.sockets.at(-1);
      assert.ok(socket !== undefined);
      await closed(socket);
    });

    test('an already aborted signal sends nothing, with or without a timeout', async () => {
      const controller = new AbortController();
      controller.abort();
      const sockets = running.sockets.length;
      for (const timeoutMs of [undefined, 5_000]) {
        const exchange = await session.send(prepared(`${running.url}/echo`, { options: { timeoutMs } }), controller.signal);
        assert.equal(exchange.error?.code, 'aborted', `timeoutMs ${String(timeoutMs)}`);
        assert.equal(exchange.response, undefined);
      }
      assert.equal(running.sockets.length, sockets, 'a connection was opened for a cancelled request');
    });

    test('a request that is neither cancelled nor timed gets its response', async () => {
      const exchange = await session.send(prepared(`${running.url}/echo`, { options: { timeoutMs: undefined } }));
      assert.equal(exchange.error, undefined);
      assert.equal(exchange.response?.status, 200);
    });
  });

  describe('request bodies held in memory', () => {
    let bodies: Running<http.Server>;
    let session: Session;
    const seen: { length: string | undefined; encoding: string | undefined; body: Buffer }[] = [];
    let resetNext = false;
    before(async () => {
      bodies = await httpServer((request, response) => {
        if (resetNext) {
          resetNext = false;
          request.socket.destroy();
          return;
        }
        void readBody(request).then((body) => {
          seen.push({ length: request.headers['content-length'], encoding: request.headers['transfer-encoding'], body });
          response.end('ok');
        });
      });
      session = await Session.open({ retryDelayMs: 1 });
    });
    after(async () => {
      await session.close();
      await bodies.close();
    });

    test('several chunks are sent in order with their total as Content-Length', async () => {
      seen.length = 0;
      const chunks = [Buffer.from('first,'), new Uint8Array(0), Buffer.from('second,'), Buffer.from('third')];
      const exchange = await session.send(prepared(`${bodies.url}/`, { method: 'POST', body: chunks }));
      assert.equal(exchange.request.bodySize, 18);
      assert.deepEqual(seen.map(({ length, encoding, body }) => [length, encoding, body.toString()]), [['18', undefined, 'first,second,third']]);
    });

    test('a body larger than the in-memory limit for one buffer arrives whole', async () => {
      seen.length = 0;
      const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
      await session.send(prepared(`${bodies.url}/`, { method: 'PUT', body: [big.subarray(0, 1000), big.subarray(1000)] }));
      assert.equal(seen[0]?.length, String(big.length));
      assert.ok(seen[0]?.body.equals(big));
    });

    test('a retried request sends its body again', async () => {
      seen.length = 0;
      resetNext = true;
      const exchange = await session.send(prepared(`${bodies.url}/`, { method: 'PUT', body: [Buffer.from('again')], options: { retries: 2 } }));
      assert.equal(exchange.response?.status, 200, exchange.error?.message);
      assert.deepEqual(seen.map(({ body }) => body.toString()), ['again']);
    });

    test('Transfer-Encoding: chunked written in the request is still honoured for a small body', async () => {
      seen.length = 0;
      await session.send(prepared(`${bodies.url}/`, { method: 'POST', headers: [['Transfer-Encoding', 'chunked']], body: [Buffer.from('tiny')] }));
      assert.deepEqual(seen.map(({ length, encoding, body }) => [length, encoding, body.toString()]), [[undefined, 'chunked', 'tiny']]);
    });
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { followRedirect } from '../../../engine/redirects';
import { Session } from '../../../engine/session';
import { httpServer, prepared, readBody } from './localServer';

const encoder = new TextEncoder();

/** /r/<status>/<n> redirects n more times with that status, then /final echoes method and body. */
async function redirectServer() {
  return httpServer((request, response) => {
    void readBody(request).then((body) => {
      const [, kind, status, remaining] = (request.url ?? '').split('/');
      if (kind === 'r' && Number(remaining) > 0) {
        response.writeHead(Number(status), { Location: `/r/${status}/${Number(remaining) - 1}` });
        response.end();
        return;
      }
      if (kind === 'loop') {
        response.writeHead(302, { Location: '/loop' });
        response.end();
        return;
      }
      response.end(`${request.method} ${body.toString()} ${request.headers['content-type'] ?? '-'}`);
    });
  });
}

const bodyOf = (exchange: { response: { body: { prefix: Uint8Array } } | undefined }): string => Buffer.from(exchange.response?.body.prefix ?? []).toString();

describe('redirects', () => {
  for (const status of [301, 302, 303]) {
    test(`${status} turns a POST into a GET without body or body headers`, async () => {
      const running = await redirectServer();
      const session = await Session.open({});
      try {
        const exchange = await session.send(
          prepared(`${running.url}/r/${status}/2`, { method: 'POST', headers: [['Content-Type', 'text/plain']], body: [encoder.encode('payload')] }),
        );
        assert.equal(bodyOf(exchange), 'GET  -');
        assert.deepEqual(exchange.redirects, [
          { status, url: `${running.url}/r/${status}/2` },
          { status, url: `${running.url}/r/${status}/1` },
        ]);
        assert.equal(exchange.request.url, `${running.url}/r/${status}/0`);
      } finally {
        await session.close();
        await running.close();
      }
    });
  }

  for (const status of [307, 308]) {
    test(`${status} keeps the method and resends the body`, async () => {
      const running = await redirectServer();
      const session = await Session.open({});
      try {
        const exchange = await session.send(
          prepared(`${running.url}/r/${status}/1`, { method: 'PUT', headers: [['Content-Type', 'text/plain']], body: [encoder.encode('payload')] }),
        );
        assert.equal(bodyOf(exchange), 'PUT payload text/plain');
      } finally {
        await session.close();
        await running.close();
      }
    });
  }

  test('followRedirects false returns the 3xx itself', async () => {
    const running = await redirectServer();
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(`${running.url}/r/302/1`, { options: { followRedirects: false } }));
      assert.equal(exchange.response?.status, 302);
      assert.deepEqual(exchange.redirects, []);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a loop stops at maxRedirects with too-many-redirects', async () => {
    const running = await redirectServer();
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(`${running.url}/loop`, { options: { maxRedirects: 3 } }));
      assert.equal(exchange.error?.code, 'too-many-redirects');
      assert.match(exchange.error?.message ?? '', /stopped after 3 redirects/);
      assert.equal(exchange.redirects.length, 4);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('followRedirect resolves relative locations and refuses non-http ones', () => {
    const from = new URL('http://a.test/x/y#frag');
    assert.equal(followRedirect(302, '../z', from, 'GET').url.href, 'http://a.test/z#frag');
    assert.equal(followRedirect(303, '/h', from, 'HEAD').method, 'HEAD');
    assert.equal(followRedirect(301, 'https://b.test/', from, 'GET').crossOrigin, true);
    assert.throws(() => followRedirect(302, 'ftp://a.test/', from, 'GET'), /redirected to "ftp:\/\/a\.test\/" uses ftp:, which Courier cannot send: it sends http and https URLs, and ws: and wss: for WebSocket and GraphQL subscriptions; the redirect is not followed/);
    assert.throws(() => followRedirect(302, 'ws://a.test/', from, 'GET'), /redirected to "ws:\/\/a\.test\/": ws: URLs open a WebSocket: write WEBSOCKET/);
    const handshake = followRedirect(302, 'https://b.test/socket', new URL('wss://a.test/'), 'WEBSOCKET');
    assert.equal(handshake.url.href, 'wss://b.test/socket', 'a WebSocket handshake redirected to https stays a WebSocket');
    assert.equal(handshake.method, 'WEBSOCKET');
    assert.throws(() => followRedirect(302, undefined, from, 'GET'), /without a Location/);
  });
});

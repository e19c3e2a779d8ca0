import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ProxyRoutes } from '../../../engine/proxy';
import { Session } from '../../../engine/session';
import { httpServer, httpsServer, listen, prepared } from './localServer';

const fixture = (name: string): string => join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls', name);

/** A tiny forward proxy: absolute-form requests are forwarded, CONNECT is tunnelled; it records what it saw. */
async function forwardProxy(options: { readonly requireAuth?: string } = {}) {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (options.requireAuth !== undefined && request.headers['proxy-authorization'] !== options.requireAuth) {
      response.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="proxy"' });
      response.end();
      return;
    }
    const target = new URL(request.url ?? '');
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: request.method, headers: { ...request.headers, 'x-via-test-proxy': '1' } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url}`);
    if (options.requireAuth !== undefined && request.headers['proxy-authorization'] !== options.requireAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host = '', port = ''] = (request.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { ...(await listen(server)), seen };
}

const text = (exchange: { response: { body: { prefix: Uint8Array } } | undefined }): string => Buffer.from(exchange.response?.body.prefix ?? []).toString();

describe('proxy', () => {
  test('plain http goes to the proxy in absolute form (proxy option)', async () => {
    const origin = await httpServer((request, response) => response.end(`via=${String(request.headers['x-via-test-proxy'])} path=${request.url}`));
    const proxy = await forwardProxy();
    const session = await Session.open({ proxy: proxy.url, environment: {} });
    try {
      const exchange = await session.send(prepared(`${origin.url}/thing?a=1`));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(text(exchange), 'via=1 path=/thing?a=1');
      assert.deepEqual(proxy.seen, [`GET ${origin.url}/thing?a=1`]);
    } finally {
      await session.close();
      await proxy.close();
      await origin.close();
    }
  });

  test('https is tunnelled with CONNECT (HTTPS_PROXY from the environment) and stays verified end to end', async () => {
    const origin = await httpsServer({ cert: readFileSync(fixture('server.pem')), key: readFileSync(fixture('server.key')) }, (_request, response) => response.end('secure'));
    const proxy = await forwardProxy();
    const session = await Session.open({ caFiles: [fixture('ca.pem')], environment: { HTTPS_PROXY: proxy.url } });
    try {
      const exchange = await session.send(prepared(`${origin.url}/`));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(text(exchange), 'secure');
      assert.deepEqual(proxy.seen, [`CONNECT 127.0.0.1:${origin.port}`]);
    } finally {
      await session.close();
      await proxy.close();
      await origin.close();
    }
  });

  test('NO_PROXY bypasses the proxy', async () => {
    const origin = await httpServer((_request, response) => response.end('direct'));
    const proxy = await forwardProxy();
    const session = await Session.open({ environment: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
    try {
      assert.equal(text(await session.send(prepared(origin.url))), 'direct');
      assert.deepEqual(proxy.seen, []);
    } finally {
      await session.close();
      await proxy.close();
      await origin.close();
    }
  });

  test('credentials in the proxy URL are sent as Proxy-Authorization; a 407 on CONNECT is a proxy error', async () => {
    const origin = await httpServer((_request, response) => response.end('ok'));
    const expected = `Basic ${Buffer.from('me:pw').toString('base64')}`;
    const proxy = await forwardProxy({ requireAuth: expected });
    const port = proxy.port;
    const withCredentials = await Session.open({ proxy: `http://me:pw@127.0.0.1:${port}`, environment: {} });
    const without = await Session.open({ proxy: `http://127.0.0.1:${port}`, environment: {} });
    try {
      assert.equal(text(await withCredentials.send(prepared(origin.url))), 'ok');
      const refused = await without.send(prepared('https://127.0.0.1:1/'));
      assert.equal(refused.error?.code, 'proxy', refused.error?.message);
      assert.match(refused.error?.message ?? '', /proxy 127\.0\.0\.1:\d+ refused to tunnel to 127\.0\.0\.1:1: 407/);
    } finally {
      await withCredentials.close();
      await without.close();
      await proxy.close();
      await origin.close();
    }
  });

  test('an unreachable proxy is a proxy error naming it', async () => {
    const dead = await listen(net.createServer());
    await dead.close();
    const session = await Session.open({ proxy: `http://127.0.0.1:${dead.port}`, environment: {} });
    try {
      const exchange = await session.send(prepared('https://127.0.0.1:9/'));
      assert.equal(exchange.error?.code, 'proxy');
      assert.match(exchange.error?.message ?? '', new RegExp(`could not reach proxy 127\\.0\\.0\\.1:${dead.port}`));
    } finally {
      await session.close();
    }
  });

  test('routes: explicit proxy wins, NO_PROXY suffixes and * apply, malformed URLs are clear errors', () => {
    const routes = ProxyRoutes.from(undefined, { http_proxy: 'http://p:1', NO_PROXY: '.internal.test, example.org' });
    assert.equal(routes.proxyFor('http:', 'api.example.com', 80)?.port, 1);
    assert.equal(routes.proxyFor('http:', 'a.internal.test', 80), undefined);
    assert.equal(routes.proxyFor('http:', 'www.example.org', 80), undefined);
    assert.equal(routes.proxyFor('https:', 'api.example.com', 443), undefined, 'no HTTPS_PROXY set');
    assert.equal(ProxyRoutes.from('http://p:2', { NO_PROXY: '*' }).proxyFor('http:', 'x.test', 80), undefined);
    assert.throws(() => ProxyRoutes.from('socks5://p:1', {}), /only http:\/\/ proxies/);
  });
});

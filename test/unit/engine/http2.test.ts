// HTTP/2 as the request line asks for it: negotiated by ALPN over TLS, with prior knowledge in
// cleartext, and a clear error from a server that cannot speak it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Session } from '../../../engine/session';
import { httpServer, httpsServer, listen, prepared, readBody } from './localServer';

const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');
const fixture = (name: string): string => join(fixtures, name);
const serverOptions = { cert: readFileSync(fixture('server.pem')), key: readFileSync(fixture('server.key')) };
const trusted = { caFiles: [fixture('ca.pem')], environment: {} };

interface Echo {
  readonly version: string;
  readonly method: string;
  readonly body: string;
  readonly cookie: string | null;
}

/** What `echoVersion` answered. */
function echoOf(exchange: { readonly response: { readonly body: { readonly prefix: Uint8Array } } | undefined }): Echo {
  return JSON.parse(Buffer.from(exchange.response?.body.prefix ?? []).toString()) as Echo;
}

/** Answers with the version the server saw, the request's method and body, and sets a cookie on /login. */
function echoVersion(request: http2.Http2ServerRequest, response: http2.Http2ServerResponse): void {
  void readBody(request as never).then((body) => {
    if (request.url === '/login') response.setHeader('set-cookie', 'session=h2; Path=/');
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ version: request.httpVersion, method: request.method, body: body.toString(), cookie: request.headers.cookie ?? null }));
  });
}

describe('HTTP/2', () => {
  test('HTTP/2 over TLS is negotiated by ALPN: the server sees 2.0, the exchange says 2, cookies and bodies work as over HTTP/1.1', async () => {
    const running = await listen(http2.createSecureServer(serverOptions, echoVersion), 'https');
    const session = await Session.open(trusted);
    try {
      const login = await session.send(prepared(`${running.url}/login`, { method: 'POST', body: [Buffer.from('hello')], httpVersion: '2' }));
      assert.equal(login.error, undefined, login.error?.message);
      assert.equal(login.response?.httpVersion, '2');
      assert.deepEqual(echoOf(login), { version: '2.0', method: 'POST', body: 'hello', cookie: null });
      const next = await session.send(prepared(`${running.url}/me`, { httpVersion: '2' }));
      assert.equal(echoOf(next).cookie, 'session=h2');
      assert.notEqual(login.timings.tls, undefined, 'the first request opened the TLS connection and reports its handshake');
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('without HTTP/2 on the request line, an h2-capable server is spoken to in HTTP/1.1', async () => {
    const running = await listen(http2.createSecureServer({ ...serverOptions, allowHTTP1: true }, echoVersion), 'https');
    const session = await Session.open(trusted);
    try {
      const exchange = await session.send(prepared(`${running.url}/`));
      assert.equal(exchange.response?.httpVersion, '1.1');
      assert.equal(echoOf(exchange).version, '1.1');
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('an HTTPS server without HTTP/2 is a protocol error that says how to send over HTTP/1.1', async () => {
    const running = await httpsServer(serverOptions, (_request, response) => response.end('one point one'));
    const session = await Session.open(trusted);
    try {
      const exchange = await session.send(prepared(`${running.url}/`, { httpVersion: '2' }));
      assert.equal(exchange.response, undefined);
      assert.equal(exchange.error?.code, 'protocol');
      assert.match(exchange.error?.message ?? '', /127\.0\.0\.1:\d+ does not speak HTTP\/2 \(TLS negotiated (http\/1\.1|no protocol)\): remove HTTP\/2 from the request line/);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('HTTP/2 (Prior Knowledge) speaks cleartext h2 (h2c)', async () => {
    const running = await listen(http2.createServer(echoVersion));
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared(`${running.url}/`, { method: 'PUT', body: [Buffer.from('x')], httpVersion: '2-prior-knowledge' }));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(exchange.response?.httpVersion, '2');
      assert.deepEqual(echoOf(exchange), { version: '2.0', method: 'PUT', body: 'x', cookie: null });
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a body goes out with any method but GET and HEAD, which fail clearly, and the connection stays usable', async () => {
    const running = await listen(http2.createServer(echoVersion));
    const session = await Session.open({ environment: {} });
    try {
      for (const method of ['PROPFIND', 'DELETE', 'OPTIONS', 'POST']) {
        const exchange = await session.send(prepared(`${running.url}/x`, { method, body: [Buffer.from(`body of ${method}`)], httpVersion: '2-prior-knowledge' }));
        assert.equal(exchange.error, undefined, `${method}: ${exchange.error?.message}`);
        assert.deepEqual(echoOf(exchange), { version: '2.0', method, body: `body of ${method}`, cookie: null });
      }
      const withBody = await session.send(prepared(`${running.url}/x`, { method: 'GET', body: [Buffer.from('ignored')], httpVersion: '2-prior-knowledge' }));
      assert.equal(withBody.error?.code, 'protocol');
      assert.match(withBody.error?.message ?? '', /a GET request with a body cannot be sent over HTTP\/2 here; remove the body, or HTTP\/2 from the request line/);
      const after = await session.send(prepared(`${running.url}/y`, { httpVersion: '2-prior-knowledge', options: { timeoutMs: 5_000 } }));
      assert.equal(after.error, undefined, after.error?.message);
      assert.equal(echoOf(after).method, 'GET');
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('prior knowledge to an HTTP/1.1-only server fails clearly, naming the fix', async () => {
    const running = await httpServer((_request, response) => response.end('one point one'));
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared(`${running.url}/`, { httpVersion: '2-prior-knowledge', options: { timeoutMs: 5_000 } }));
      assert.equal(exchange.response, undefined);
      assert.equal(exchange.error?.code, 'protocol', exchange.error?.message);
      assert.match(exchange.error?.message ?? '', /did not answer in HTTP\/2: it does not speak cleartext HTTP\/2 with prior knowledge\. Remove "\(Prior Knowledge\)"/);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('HTTP/2 on a cleartext URL goes over HTTP/1.1 with a warning that names prior knowledge', async () => {
    const running = await httpServer((_request, response) => response.end('ok'));
    const session = await Session.open({ environment: {} });
    try {
      const exchange = await session.send(prepared(`${running.url}/`, { httpVersion: '2' }));
      assert.equal(exchange.response?.httpVersion, '1.1');
      assert.ok(exchange.warnings.some((warning) => /HTTP\/2 over cleartext .* went over HTTP\/1\.1\. Write "HTTP\/2 \(Prior Knowledge\)"/.test(warning)), exchange.warnings.join('\n'));
    } finally {
      await session.close();
      await running.close();
    }
  });
});

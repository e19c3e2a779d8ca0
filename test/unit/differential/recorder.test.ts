import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { type ClientHttp2Session, connect as connectHttp2 } from 'node:http2';
import { type Server, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Recorder } from '../../../test/differential/recorder';

// From out/test/unit/differential/ (where the bundle runs) to the fixtures.
const tls = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');

/** Writes `bytes` on a fresh connection, as a client that keeps it open, and closes it once the answer matches `complete`. */
function exchange(port: number, bytes: string, complete: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (complete.test(answer)) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

function http2Get(session: ClientHttp2Session, path: string): Promise<{ status: number; cookies: readonly string[] }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'GET', ':path': path, 'x-order': 'kept' });
    stream.on('response', (headers) => {
      const cookies = headers['set-cookie'] ?? [];
      stream.resume();
      stream.on('end', () => resolve({ status: Number(headers[':status']), cookies }));
    });
    stream.on('error', reject);
    stream.end();
  });
}

describe('Recorder', () => {
  let recorder: Recorder;
  before(async () => {
    recorder = await Recorder.start({ key: readFileSync(join(tls, 'server.key')), cert: readFileSync(join(tls, 'server.pem')) });
  });
  after(async () => {
    await recorder.close();
  });

  test('answers HTTP/1.1 itself and records the exact bytes of each request, in order', async () => {
    recorder.begin({ kind: 'answer' });
    const first = 'POST /d1/r0/r302 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi';
    const second = 'GET /d1/r0/ok/after-redirect HTTP/1.1\r\nHost: x\r\n\r\n';
    const answer = await exchange(recorder.mainPort, first + second, /HTTP\/1\.1 200 OK\r\n[^]*\}$/);
    assert.match(answer, /^HTTP\/1\.1 302 Found\r\n[^]*Location: \/d1\/r0\/ok\/after-redirect\r\n[^]*HTTP\/1\.1 200 OK\r\n/);
    const recorded = await recorder.end();
    assert.deepEqual(
      recorded.map((request) => [request.raw.toString('latin1'), request.listener, request.indexInConnection]),
      [
        [first, 'main', 0],
        [second, 'main', 1],
      ],
    );
  });

  test('in front of another server it forwards both ways and records what the client sent', async () => {
    const upstream: Server = createServer((socket) => socket.on('data', () => socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n')));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    try {
      recorder.begin({ kind: 'proxy', port });
      const request = 'GET /items HTTP/1.1\r\nHost: x\r\n\r\n';
      assert.match(await exchange(recorder.mainPort, request, /\r\n\r\n$/), /^HTTP\/1\.1 204 No Content/);
      assert.deepEqual((await recorder.end()).map((recorded) => recorded.raw.toString('latin1')), [request]);
    } finally {
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });

  test('serves HTTP/2 with prior knowledge on the cleartext port and over TLS by ALPN, recording fields in order', async () => {
    recorder.begin({ kind: 'answer' });
    const cleartext = connectHttp2(`http://127.0.0.1:${recorder.mainPort}`);
    const secure = connectHttp2(`https://127.0.0.1:${recorder.securePort}`, { ca: readFileSync(join(tls, 'ca.pem')) });
    try {
      assert.deepEqual(await http2Get(cleartext, '/d2/r0/cookie'), { status: 200, cookies: ['session_d2_r0=s-d2-r0; Path=/', 'scoped=only-here; Path=/d2/r0'] });
      assert.equal((await http2Get(secure, '/d2/r1/digest')).status, 401);
    } finally {
      // As a CLI that exits: its sockets just go.
      cleartext.destroy();
      secure.destroy();
    }
    const recorded = await recorder.end();
    assert.deepEqual(
      recorded.map((request) => [request.requestLine, request.listener]),
      [
        ['GET /d2/r0/cookie HTTP/2', 'main'],
        ['GET /d2/r1/digest HTTP/2', 'secure'],
      ],
    );
    assert.match(recorded[0]?.raw.toString('latin1') ?? '', /^GET \/d2\/r0\/cookie HTTP\/2\r\n:method: GET\r\n[^]*x-order: kept\r\n\r\n$/);
  });
});

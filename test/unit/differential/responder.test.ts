import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { FramedRequest } from '../../../test/differential/httpFraming';
import { respond } from '../../../test/differential/responder';

const context = { otherOrigin: 'http://127.0.0.1:2' };

function request(requestLine: string, headers: [string, string][] = []): FramedRequest {
  return { raw: Buffer.alloc(0), requestLine, headers, body: Buffer.alloc(0), framed: true };
}

describe('respond', () => {
  test('a redirect behaviour answers with its status and a Location under the same request id', () => {
    const answer = respond(request('POST /d4/r1/r307/x HTTP/1.1'), context).bytes.toString();
    assert.match(answer, /^HTTP\/1\.1 307 Temporary Redirect\r\n/);
    assert.match(answer, /\r\nLocation: \/d4\/r1\/ok\/after-redirect\r\n/);
    assert.match(respond(request('GET /d4/r2/rcross HTTP/1.1'), context).bytes.toString(), /\r\nLocation: http:\/\/127\.0\.0\.1:2\/d4\/r2\/ok\/after-redirect\r\n/);
  });

  test('Digest: a challenge first, then 200 once the request answers it', () => {
    assert.match(respond(request('GET /d1/r0/digest HTTP/1.1'), context).bytes.toString(), /^HTTP\/1\.1 401 [^]*WWW-Authenticate: Digest realm="differential"/);
    assert.match(respond(request('GET /d1/r0/digest HTTP/1.1', [['authorization', 'Digest username="a"']]), context).bytes.toString(), /^HTTP\/1\.1 200 /);
  });

  test('HEAD gets no body, and the close behaviour closes', () => {
    const head = respond(request('HEAD /d1/r0/close HTTP/1.1'), context);
    assert.equal(head.close, true);
    assert.match(head.bytes.toString(), /Content-Length: 0\r\n[^]*\r\n\r\n$/);
  });
});

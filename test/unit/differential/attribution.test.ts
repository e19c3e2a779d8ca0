import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { generatedRequestId, sampleOrigins } from '../../../test/differential/attribution';
import type { ReportedRequest } from '../../../test/differential/processes';
import type { RecordedRequest } from '../../../test/differential/recorder';

function recorded(requestLine: string): RecordedRequest {
  return { raw: Buffer.alloc(0), requestLine, headers: [], body: Buffer.alloc(0), framed: true, listener: 'main', indexInConnection: 0 };
}

function reported(line: number, method: string, path: string, redirects = 0): ReportedRequest {
  return { file: 'x.http', line, method, url: `http://127.0.0.1:1${path}`, redirects };
}

describe('sampleOrigins', () => {
  test('redirect hops stay with their request even when a hop looks like the next request', () => {
    const origins = sampleOrigins(
      ['GET /redirect/2 HTTP/1.1', 'GET /redirect/1 HTTP/1.1', 'GET /get HTTP/1.1', 'GET /redirect/1 HTTP/1.1'].map(recorded),
      [reported(3, 'GET', '/redirect/2', 2), reported(7, 'GET', '/redirect/1')],
    );
    assert.deepEqual(origins, ['x.http:3', 'x.http:3 (hop 2)', 'x.http:3 (hop 3)', 'x.http:7']);
  });

  test('a Digest answer is a second hop of its request', () => {
    const origins = sampleOrigins(['GET /digest HTTP/1.1', 'GET /digest HTTP/1.1', 'POST /login HTTP/1.1'].map(recorded), [reported(2, 'GET', '/digest'), reported(9, 'POST', '/login')]);
    assert.deepEqual(origins, ['x.http:2', 'x.http:2 (hop 2)', 'x.http:9']);
  });
});

describe('generatedRequestId', () => {
  test('reads the id of origin-form and absolute-form targets', () => {
    assert.equal(generatedRequestId('GET /d12/r3/ok/x?y HTTP/1.1'), 'd12/r3');
    assert.equal(generatedRequestId('GET http://127.0.0.1:9/d1/r0/ok HTTP/1.1'), 'd1/r0');
    assert.equal(generatedRequestId('GET /items HTTP/1.1'), undefined);
  });
});

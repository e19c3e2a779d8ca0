import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { RequestFramer } from '../../../test/differential/httpFraming';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('RequestFramer', () => {
  test('splits keep-alive requests framed by Content-Length, whatever the chunk boundaries', () => {
    const first = 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello';
    const second = 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n';
    const framer = new RequestFramer();
    const all = bytes(first + second);
    const requests = [...framer.push(all.subarray(0, 10)), ...framer.push(all.subarray(10, 50)), ...framer.push(all.subarray(50))];
    assert.deepEqual(
      requests.map((request) => [request.requestLine, request.raw.toString('latin1'), request.body.toString()]),
      [
        ['POST /a HTTP/1.1', first, 'hello'],
        ['GET /b HTTP/1.1', second, ''],
      ],
    );
    assert.equal(framer.end(), undefined);
  });

  test('reads a chunked body with trailers and keeps the raw framing', () => {
    const request = 'PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n';
    const [framed] = new RequestFramer().push(bytes(request));
    assert.equal(framed?.body.toString(), 'abcde');
    assert.equal(framed?.raw.toString('latin1'), request);
    assert.deepEqual(framed?.headers, [['Transfer-Encoding', 'chunked']]);
  });

  test('keeps an HTTP/2 preface whole, as one unframed record, rather than losing it', () => {
    const framer = new RequestFramer();
    const preface = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04';
    assert.deepEqual(framer.push(bytes(preface)), []);
    assert.equal(framer.isUnframed, true);
    const rest = framer.end();
    assert.equal(rest?.framed, false);
    assert.match(rest?.requestLine ?? '', /HTTP\/2/);
    assert.equal(rest?.raw.toString('latin1'), preface);
  });

  test('a request cut off by the connection closing is still recorded, as incomplete', () => {
    const framer = new RequestFramer();
    assert.deepEqual(framer.push(bytes('POST /d HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc')), []);
    assert.match(framer.end()?.requestLine ?? '', /incomplete/);
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { normaliseRequest } from '../../../test/differential/normalise';

const normalise = (text: string, document = ''): string => normaliseRequest(Buffer.from(text, 'latin1'), document);

describe('normaliseRequest', () => {
  test("replaces only Courier's own User-Agent version", () => {
    assert.equal(normalise('GET / HTTP/1.1\r\nUser-Agent: courier/0.1.0\r\n\r\n'), 'GET / HTTP/1.1\r\nUser-Agent: courier/<version>\r\n\r\n');
    assert.equal(normalise('GET / HTTP/1.1\r\nUser-Agent: custom/1.0\r\n\r\n'), 'GET / HTTP/1.1\r\nUser-Agent: custom/1.0\r\n\r\n');
  });

  test('replaces the client nonce and response of a Digest answer, and nothing else of it', () => {
    const digest = 'Authorization: Digest username="alice", nonce="n1", nc=00000001, cnonce="c0ffee", response="abcdef", qop=auth';
    assert.equal(
      normalise(`GET / HTTP/1.1\r\n${digest}\r\n\r\n`),
      'GET / HTTP/1.1\r\nAuthorization: Digest username="alice", nonce="n1", nc=00000001, cnonce="<cnonce>", response="<response>", qop=auth\r\n\r\n',
    );
  });

  test('replaces a multipart boundary the document does not write, and keeps one it does', () => {
    const request = 'POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=gen123\r\n\r\n--gen123\r\n\r\nx\r\n--gen123--\r\n';
    assert.equal(normalise(request), 'POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=<boundary>\r\n\r\n--<boundary>\r\n\r\nx\r\n--<boundary>--\r\n');
    assert.equal(normalise(request, 'Content-Type: multipart/form-data; boundary=gen123'), request);
  });

  test('bodies are bytes: non-UTF-8 content survives unchanged', () => {
    const request = Buffer.concat([Buffer.from('POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n'), Buffer.from([0xff, 0x00])]);
    assert.deepEqual(Buffer.from(normaliseRequest(request, ''), 'latin1'), request);
  });
});

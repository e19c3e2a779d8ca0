import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { normaliseRequest, requestFields } from '../../../test/differential/normalise';

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

describe('requestFields', () => {
  test('an HTTP/1.1 request and the same request over HTTP/2 have the same fields', () => {
    const http1 = {
      requestLine: 'POST /d1/r0/ok HTTP/1.1',
      headers: [['host', '127.0.0.1:9'], ['connection', 'keep-alive'], ['X-B', '2'], ['X-B', '3'], ['Cookie', 'a=1; b=2'], ['User-Agent', 'courier/0.1.0'], ['content-length', '2']] as const,
      body: Buffer.from('hi'),
    };
    const http2 = {
      requestLine: 'POST /d1/r0/ok HTTP/2',
      headers: [[':method', 'POST'], [':authority', '127.0.0.1:9'], ['user-agent', 'courier/0.2.0'], ['cookie', 'a=1'], ['cookie', 'b=2'], ['x-b', '2, 3']] as const,
      body: Buffer.from('hi'),
    };
    assert.equal(requestFields(http1, ''), requestFields(http2, ''));
    assert.equal(requestFields(http1, ''), 'POST /d1/r0/ok\r\ncookie: a=1; b=2\r\nuser-agent: courier/<version>\r\nx-b: 2, 3\r\n\r\nhi');
  });

  test("the base's misread `HTTP/2 (Prior Knowledge)` at the end of a target is not a field", () => {
    const request = { requestLine: 'GET /x?a=1%20HTTP/2%20(Prior%20Knowledge) HTTP/1.1', headers: [], body: Buffer.alloc(0) };
    assert.equal(requestFields(request, ''), requestFields({ ...request, requestLine: 'GET /x?a=1 HTTP/2' }, ''));
  });

  test('a dropped header or a changed body changes the fields', () => {
    const request = { requestLine: 'PUT /x HTTP/1.1', headers: [['X-A', '1']] as const, body: Buffer.from('a') };
    assert.notEqual(requestFields(request, ''), requestFields({ ...request, headers: [] }, ''));
    assert.notEqual(requestFields(request, ''), requestFields({ ...request, body: Buffer.from('b') }, ''));
  });
});

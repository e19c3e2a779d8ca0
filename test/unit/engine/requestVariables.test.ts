import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BodyChunk, Exchange } from '../../../engine/model';
import { evaluateRequestVariable, type RequestVariablePath, type SentRequest } from '../../../engine/requestVariables';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function sent(response: { body: string | Uint8Array; contentType?: string; headers?: [string, string][]; file?: string; charset?: string } | undefined, request: { body?: BodyChunk[]; headers?: [string, string][] } = {}): SentRequest {
  const exchange: Exchange = {
    request: { method: 'POST', url: 'http://127.0.0.1/', headers: [], bodySize: 0 },
    origin: { file: undefined, line: 1, name: 'r' },
    response:
      response === undefined
        ? undefined
        : {
            status: 200,
            statusText: 'OK',
            httpVersion: '1.1',
            headers: response.headers ?? [],
            body: { size: 0, encodedSize: 0, prefix: typeof response.body === 'string' ? encode(response.body) : response.body, file: response.file, contentType: response.contentType, charset: response.charset ?? 'utf-8' },
          },
    redirects: [],
    timings: { total: 0 },
    error: response === undefined ? { code: 'refused', message: 'connection refused by 127.0.0.1:9' } : undefined,
    warnings: [],
  };
  return {
    prepared: {
      method: 'POST',
      url: 'http://127.0.0.1/',
      headers: request.headers ?? [],
      body: request.body,
      options: { followRedirects: true, maxRedirects: 10, useCookieJar: true, timeoutMs: undefined, connectTimeoutMs: undefined, insecure: false, retries: 0 },
      origin: exchange.origin,
    },
    exchange,
  };
}

function path(source: 'request' | 'response', part: 'body' | 'headers', rest: string): RequestVariablePath {
  return { requestName: 'r', source, part, path: rest };
}

function value(reference: RequestVariablePath, from: SentRequest): string {
  const result = evaluateRequestVariable(reference, from);
  assert.ok('value' in result, 'problem' in result ? result.problem : '');
  return result.value;
}

function problem(reference: RequestVariablePath, from: SentRequest): string {
  const result = evaluateRequestVariable(reference, from);
  assert.ok('problem' in result, 'should fail');
  return result.problem;
}

describe('request variables', () => {
  const json = sent({ body: '{"token":"abc","user":{"id":7,"roles":["a","b"]},"ok":true,"none":null}' });

  test('JSONPath picks strings as text, other values as JSON', () => {
    assert.equal(value(path('response', 'body', '$.token'), json), 'abc');
    assert.equal(value(path('response', 'body', '$.user.id'), json), '7');
    assert.equal(value(path('response', 'body', '$.ok'), json), 'true');
    assert.equal(value(path('response', 'body', '$.none'), json), 'null');
    assert.equal(value(path('response', 'body', '$.user.roles'), json), '["a","b"]');
    assert.equal(value(path('response', 'body', '$.user.roles[*]'), json), '["a","b"]');
    assert.equal(value(path('response', 'body', '$.user.roles[1]'), json), 'b');
  });

  test('JSONPath that matches nothing, or a body that is not JSON, explains itself', () => {
    assert.match(problem(path('response', 'body', '$.missing'), json), /r\.response\.body\.\$\.missing: the JSONPath \$\.missing matched nothing/);
    assert.match(problem(path('response', 'body', '$.a'), sent({ body: '<a/>' })), /not JSON/);
  });

  test('JSONPath never evaluates script expressions', () => {
    const result = evaluateRequestVariable(path('response', 'body', '$..[?(@.constructor.constructor("return process")().exit())]'), json);
    assert.ok('problem' in result);
  });

  test('XPath selects element text, attributes and computed values', () => {
    const xml = sent({ body: '<?xml version="1.0"?><feed><item id="1"><name>first</name></item><item id="2"><name>second</name></item></feed>' });
    assert.equal(value(path('response', 'body', '//item[2]/name'), xml), 'second');
    assert.equal(value(path('response', 'body', '//item[1]/@id'), xml), '1');
    assert.equal(value(path('response', 'body', '/feed/item/name'), xml), 'first');
    assert.match(problem(path('response', 'body', '//nothing'), xml), /matched nothing/);
    assert.match(problem(path('response', 'body', '//a'), sent({ body: '{"json":1}' })), /not XML/);
  });

  test('* is the whole body, decoded with its charset', () => {
    assert.equal(value(path('response', 'body', '*'), sent({ body: new Uint8Array([0x63, 0x61, 0x66, 0xe9]), charset: 'latin1' })), 'café');
  });

  test('a large body spilled to a file is read whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-rv-'));
    const file = join(dir, 'body');
    writeFileSync(file, '{"deep":"from file"}');
    assert.equal(value(path('response', 'body', '$.deep'), sent({ body: '{"dee', file })), 'from file');
  });

  test('headers match case-insensitively and repeated ones are joined', () => {
    const withHeaders = sent({ body: '', headers: [['Location', '/items/9'], ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']] });
    assert.equal(value(path('response', 'headers', 'location'), withHeaders), '/items/9');
    assert.equal(value(path('response', 'headers', 'SET-COOKIE'), withHeaders), 'a=1, b=2');
    assert.match(problem(path('response', 'headers', 'X-Missing'), withHeaders), /has no X-Missing header/);
  });

  test('request body and headers come from the prepared request, file chunks included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-rv-'));
    const file = join(dir, 'part.json');
    writeFileSync(file, '"tail"}');
    const request = sent({ body: '' }, { body: [encode('{"name":'), { path: file }], headers: [['X-Trace', 't-1']] });
    assert.equal(value(path('request', 'body', '*'), request), '{"name":"tail"}');
    assert.equal(value(path('request', 'body', '$.name'), request), 'tail');
    assert.equal(value(path('request', 'headers', 'x-trace'), request), 't-1');
  });

  test('a request that got no response says why', () => {
    assert.match(problem(path('response', 'body', '$.a'), sent(undefined)), /has no response \(connection refused by 127\.0\.0\.1:9\)/);
  });

  test('a path of no known form says what to write', () => {
    assert.match(problem(path('response', 'body', 'token'), json), /write \* for the whole body, a JSONPath starting with \$/);
  });
});

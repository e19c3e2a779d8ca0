import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { summarizeExchange, summarizeExchanges, summarizeHistoryEntry, summaryBodyBytes } from '../../../client/sentExchanges';
import { streamExchange } from '../cli/exchangeFixtures';
import { sseScript } from '../engine/streamTransport';

function exchange(body: Uint8Array, charset = 'utf-8'): Exchange {
  return {
    request: { method: 'GET', url: 'http://127.0.0.1/large.json', headers: [['Authorization', '<redacted>']], bodySize: 0 },
    origin: { file: '/a.http', line: 1, name: undefined },
    response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', 'application/json']], body: { size: body.length, encodedSize: body.length, prefix: body, file: undefined, contentType: 'application/json', charset } },
    redirects: [],
    timings: { total: 12.4 },
    error: undefined,
    warnings: ['a warning'],
  };
}

/** The value as a caller in another process receives it. */
function throughJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe('exchange summaries', () => {
  test('a summary holds the method, URL, status, body size and the start of the body, and nothing else', () => {
    const summary = summarizeExchange(exchange(new TextEncoder().encode('{"ok":true}')));
    assert.deepEqual(summary, {
      request: { method: 'GET', url: 'http://127.0.0.1/large.json' },
      response: { status: 200, statusText: 'OK', httpVersion: '1.1', body: { size: 11, contentType: 'application/json', file: undefined, start: '{"ok":true}' } },
      error: undefined,
      durationMs: 12,
    });
  });

  test('an 8 MB body becomes a summary of a few hundred characters, the same through JSON', () => {
    const body = new Uint8Array(8 << 20).fill(0x61);
    const [summary] = summarizeExchanges([exchange(body)]);
    const json = JSON.stringify(summary);
    assert.ok(json.length < summaryBodyBytes + 300, `${json.length} characters`);
    assert.equal(summary?.response?.body.size, 8 << 20);
    assert.equal(summary?.response?.body.start.length, summaryBodyBytes);
    const { file: _none, ...inMemory } = summary?.response?.body ?? { file: undefined };
    assert.deepEqual(throughJson(summary), { request: summary?.request, response: { status: 200, statusText: 'OK', httpVersion: '1.1', body: inMemory }, durationMs: 12 }, 'JSON keeps every defined field as it is');
  });

  test('a body cut inside a character ends before it, not with a replacement character', () => {
    const body = new TextEncoder().encode(`${'a'.repeat(summaryBodyBytes - 1)}é`);
    assert.equal(summarizeExchange(exchange(body)).response?.body.start, 'a'.repeat(summaryBodyBytes - 1));
  });

  test('a body spilled to a temp file names the file, so callers can read it whole', () => {
    const inMemory = exchange(new Uint8Array(16));
    assert.ok(inMemory.response);
    const spilled: Exchange = { ...inMemory, response: { ...inMemory.response, body: { size: 50 << 20, encodedSize: 50 << 20, prefix: new Uint8Array(16), file: '/tmp/courier-body-1', contentType: undefined, charset: 'utf-8' } } };
    assert.equal(summarizeExchange(spilled).response?.body.file, '/tmp/courier-body-1');
    assert.equal(summarizeExchange(spilled).response?.body.size, 50 << 20);
  });

  test('a body in another charset is decoded with it; an unknown charset falls back to UTF-8', () => {
    assert.equal(summarizeExchange(exchange(Uint8Array.of(0x63, 0x61, 0x66, 0xe9), 'iso-8859-1')).response?.body.start, 'café');
    assert.equal(summarizeExchange(exchange(new TextEncoder().encode('café'), 'no-such-charset')).response?.body.start, 'café');
  });

  test('an exchange without a response keeps its error code and message', () => {
    const failed: Exchange = { ...exchange(new Uint8Array(0)), response: undefined, error: { code: 'refused', message: 'connection refused' } };
    assert.deepEqual(throughJson(summarizeExchanges([failed])), [{ request: { method: 'GET', url: 'http://127.0.0.1/large.json' }, error: { code: 'refused', message: 'connection refused' }, durationMs: 12 }]);
  });

  test('a history entry summary adds its id, time, environment and the request headers as stored', () => {
    const summary = summarizeHistoryEntry({ id: 'h1', time: '2025-03-01T10:20:30.456Z', environment: 'dev' }, exchange(new TextEncoder().encode('{}')));
    assert.equal(summary.id, 'h1');
    assert.equal(summary.time, '2025-03-01T10:20:30.456Z');
    assert.equal(summary.environment, 'dev');
    assert.deepEqual(summary.requestHeaders, [['Authorization', '<redacted>']]);
    assert.equal(summary.response?.body.start, '{}');
    assert.deepEqual(Object.keys(summary).sort(), ['durationMs', 'environment', 'error', 'id', 'request', 'requestHeaders', 'response', 'time']);
  });

  test('a stream response is summarised by its protocol, message count and end, without its messages', () => {
    const summary = summarizeExchange(streamExchange(sseScript));
    assert.deepEqual(summary.response?.stream, { protocol: 'sse', count: 4, end: { reason: 'completed' } });
    assert.equal(summary.response?.body.start, sseScript.body);
    assert.ok(!JSON.stringify(summary).includes('"messages"'));
  });
});

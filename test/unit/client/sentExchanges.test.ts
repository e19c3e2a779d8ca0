import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { sentExchanges } from '../../../client/sentExchanges';

function exchange(bodyBytes: number): Exchange {
  const prefix = Buffer.alloc(bodyBytes, 0x61);
  return {
    request: { method: 'GET', url: 'http://127.0.0.1/large.json', headers: [], bodySize: 0 },
    origin: { file: '/a.http', line: 1, name: undefined },
    response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [], body: { size: bodyBytes, encodedSize: bodyBytes, prefix, file: undefined, contentType: 'application/json', charset: 'utf-8' } },
    redirects: [],
    timings: { total: 12 },
    error: undefined,
    warnings: [],
  };
}

describe('sent exchanges', () => {
  test('in the extension host they are the exchanges themselves, bodies included', () => {
    const sent = [exchange(16), exchange(8)];
    const result = sentExchanges(sent);
    assert.equal(result.length, 2);
    assert.equal(result[0], sent[0]);
    assert.equal(result[1].response?.body.prefix.length, 8);
    assert.deepEqual([...result], sent);
  });

  test('through JSON (to the workbench) they are summaries without the body bytes', () => {
    const megabytes = 8;
    const json = JSON.stringify(sentExchanges([exchange(megabytes << 20)]));
    assert.deepEqual(JSON.parse(json), [{ method: 'GET', url: 'http://127.0.0.1/large.json', status: 200, bodyBytes: megabytes << 20 }]);
    assert.ok(json.length < 200, `${json.length} characters`);
  });

  test('an exchange without a response keeps its error', () => {
    const failed: Exchange = { ...exchange(0), response: undefined, error: { code: 'refused', message: 'connection refused' } };
    assert.deepEqual(JSON.parse(JSON.stringify(sentExchanges([failed]))), [{ method: 'GET', url: 'http://127.0.0.1/large.json', error: { code: 'refused', message: 'connection refused' } }]);
  });
});

// The host side of the bridge, called directly: JSON text in, JSON text out, and a sentence for
// each thing a script can get wrong.
import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { answerHostCall } from '../../../../engine/scripts/hostBridge';

const call = (operation: string, payload: unknown): unknown => JSON.parse(answerHostCall(operation, JSON.stringify(payload)));

test('a digest answers hex and Base64 of the same bytes', () => {
  const expected = createHmac('sha256', Buffer.from('6b6579', 'hex')).update('a').update(Buffer.from([1, 2])).digest();
  assert.deepEqual(call('digest', { algorithm: 'sha256', secret: { kind: 'hex', data: '6b6579' }, parts: [{ kind: 'text', data: 'a' }, { kind: 'base64', data: 'AQI=' }] }), { ok: true, value: { hex: expected.toString('hex'), base64: expected.toString('base64') } });
});

test('what a script can get wrong is an error sentence, never an exception', () => {
  assert.deepEqual(call('digest', { algorithm: 'sha3-256', parts: [] }), { ok: false, error: 'crypto: unknown hash sha3-256; use sha1, sha256, sha384, sha512 or md5' });
  assert.deepEqual(call('digest', { algorithm: 'md5', parts: [{ kind: 'text', data: 'a', encoding: 'EBCDIC' }] }), { ok: false, error: 'crypto: unsupported text encoding EBCDIC; use UTF-8, ISO-8859-1 or UTF-16LE' });
  assert.deepEqual(call('jsonPath', { value: {}, path: 'a.b' }), { ok: false, error: 'jsonPath: the path must start with $ (e.g. $.id), got "a.b"' });
  assert.deepEqual(call('spawn', {}), { ok: false, error: 'unknown host operation spawn' });
  const unreadable = JSON.parse(answerHostCall('btoa', '{not json')) as { ok: boolean; error: unknown };
  assert.equal(unreadable.ok, false);
  assert.equal(typeof unreadable.error, 'string');
});

test('jsonPath on a non-object answers nothing', () => {
  assert.deepEqual(call('jsonPath', { value: 'plain text', path: '$.a' }), { ok: true, value: null });
  assert.deepEqual(call('jsonPath', { value: 3, path: '$' }), { ok: true, value: null });
});

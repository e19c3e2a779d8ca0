import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { binarySummary, describeStreamEnd, lastMessages, messageDataText, messageHeading } from '../../../engine/streamMessages';

test('message data: JSON objects and arrays pretty-printed, other text as it came, bytes summarised', () => {
  assert.deepEqual(messageDataText('{"a":[1,2]}', 100), { kind: 'json', text: '{\n  "a": [\n    1,\n    2\n  ]\n}', omitted: 0 });
  assert.deepEqual(messageDataText('[1', 100), { kind: 'text', text: '[1', omitted: 0 }, 'not JSON after all');
  assert.deepEqual(messageDataText('42', 100), { kind: 'text', text: '42', omitted: 0 }, 'only objects and arrays are worth pretty-printing');
  assert.deepEqual(messageDataText('{"long":"abcdefghij"}', 10), { kind: 'text', text: '{"long":"a', omitted: 11 }, 'a message over the limit is cut, never parsed');
  assert.deepEqual(messageDataText(Uint8Array.from([1, 2]), 100), { kind: 'binary', text: '[binary, 2 B] 01 02', omitted: 0 });
  assert.equal(binarySummary(new Uint8Array(20).fill(0xab)), `[binary, 20 B] ${Array(16).fill('ab').join(' ')} …`);
  assert.equal(binarySummary(new Uint8Array()), '[binary, 0 B]');
});

test('a stream end reads as a sentence with its code and detail', () => {
  assert.equal(describeStreamEnd({ reason: 'completed' }), 'completed');
  assert.equal(describeStreamEnd({ reason: 'closed-by-server', code: 1011 }), 'closed by the server (code 1011)');
  assert.equal(describeStreamEnd({ reason: 'closed-by-server', code: 14, detail: 'unavailable' }), 'closed by the server (code 14: unavailable)');
  assert.equal(describeStreamEnd({ reason: 'timeout', detail: '' }), 'timed out');
  assert.equal(describeStreamEnd({ reason: 'stopped' }), 'stopped');
});

test('headings line up, and the last messages are counted against the whole stream', () => {
  assert.equal(messageHeading({ at: 0.25, direction: 'sent', type: 'text', id: undefined }, 8), '  0.3 ms → text');
  assert.equal(messageHeading({ at: 2500, direction: 'received', type: 'tick', id: '7' }), '2.50 s ← tick #7');
  assert.deepEqual(lastMessages([1, 2, 3], 10, 2), { shown: [2, 3], notShown: 8 });
  assert.deepEqual(lastMessages([1, 2], 2, 5), { shown: [1, 2], notShown: 0 });
});

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isMessageSeparator, splitMessageScript } from '../../../language/streamScript';

test('a body without separators is one message, trimmed of the blank lines around it', () => {
  const script = splitMessageScript('\n{"hello": 1}\n\n');
  assert.deepEqual(script.messages, [{ text: '{"hello": 1}', offset: 1, waitForServer: 0 }]);
  assert.equal(script.trailingWaits, 0);
  assert.deepEqual(script.separators, []);
});

test('=== separates messages; a body may start with it, as JetBrains writes it', () => {
  const body = '===\n{\n  "a": 1\n}\n===\nsecond\n';
  const script = splitMessageScript(body);
  assert.deepEqual(
    script.messages.map((message) => message.text),
    ['{\n  "a": 1\n}', 'second'],
  );
  assert.equal(body.slice(script.messages[1].offset, script.messages[1].offset + 6), 'second', 'offsets point into the body');
  assert.deepEqual(
    script.separators.map((separator) => [separator.offset, separator.waitsForServer]),
    [
      [0, false],
      [17, false],
    ],
  );
});

test('=== wait-for-server counts on the next message, repeated lines add up, and waits after the last message are kept', () => {
  const script = splitMessageScript('first\n=== wait-for-server\n=== wait-for-server\nsecond\n===\nthird\n=== wait-for-server\n');
  assert.deepEqual(
    script.messages.map((message) => [message.text, message.waitForServer]),
    [
      ['first', 0],
      ['second', 2],
      ['third', 0],
    ],
  );
  assert.equal(script.trailingWaits, 1);
});

test('CRLF bodies split the same way, and empty pieces between separators are not messages', () => {
  const script = splitMessageScript('===\r\n\r\n===\r\na\r\nb\r\n=== \r\n');
  assert.deepEqual(
    script.messages.map((message) => message.text),
    ['a\r\nb'],
  );
  assert.equal(script.separators.length, 3);
});

test('only a whole line of ===, optionally with wait-for-server, separates', () => {
  assert.equal(isMessageSeparator('==='), true);
  assert.equal(isMessageSeparator('===  wait-for-server '), true);
  assert.equal(isMessageSeparator('===='), false);
  assert.equal(isMessageSeparator(' ==='), false);
  assert.equal(isMessageSeparator('=== wait'), false);
  assert.deepEqual(
    splitMessageScript('a ===\n==== b').messages.map((message) => message.text),
    ['a ===\n==== b'],
  );
});

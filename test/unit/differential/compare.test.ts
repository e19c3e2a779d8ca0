import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { type ComparableRequest, alignBy, compareRequests, escape, renderByteDiff } from '../../../test/differential/compare';

function request(requestLine: string, rest = 'Host: x\r\n\r\n', listener = 'main'): ComparableRequest {
  return { requestLine, bytes: `${requestLine}\r\n${rest}`, fields: `${requestLine}\r\n${rest}`, listener, origin: `doc.http:${requestLine.length}` };
}

describe('compareRequests', () => {
  test('identical requests compare identical; a changed header is a difference with a line diff', () => {
    const [same, changed] = compareRequests([request('GET /a HTTP/1.1'), request('GET /b HTTP/1.1', 'Accept: x\r\n\r\n')], [request('GET /a HTTP/1.1'), request('GET /b HTTP/1.1', 'Accept: y\r\n\r\n')]);
    assert.equal(same?.kind, 'identical');
    assert.equal(changed?.kind, 'different');
    assert.match(changed?.kind === 'different' ? changed.diff : '', /- Accept: x\\r\n {2}\+ Accept: y\\r/);
  });

  test('a missing request does not shift the pairs after it', () => {
    const kinds = compareRequests([request('GET /a HTTP/1.1'), request('GET /b HTTP/1.1'), request('GET /c HTTP/1.1')], [request('GET /a HTTP/1.1'), request('GET /c HTTP/1.1')]).map((comparison) => comparison.kind);
    assert.deepEqual(kinds, ['identical', 'only-base', 'identical']);
  });

  test('a request whose URL changed pairs with its counterpart between the same neighbours', () => {
    const comparisons = compareRequests([request('GET /a HTTP/1.1'), request('GET /x%20y HTTP/1.1'), request('GET /c HTTP/1.1')], [request('GET /a HTTP/1.1'), request('GET /x+y HTTP/1.1'), request('GET /c HTTP/1.1')]);
    assert.deepEqual(
      comparisons.map((comparison) => comparison.kind),
      ['identical', 'different', 'identical'],
    );
  });

  test('the same bytes sent to another origin are a difference', () => {
    const [comparison] = compareRequests([request('GET /a HTTP/1.1')], [request('GET /a HTTP/1.1', undefined, 'other')]);
    assert.equal(comparison?.kind, 'different');
    assert.match(comparison?.kind === 'different' ? comparison.diff : '', /base sent it to the main origin, head to the other origin/);
  });
});

describe('renderByteDiff', () => {
  test('escapes CR, tabs and bytes outside printable ASCII, and shows context around the change only', () => {
    const lines = (last: string): string => ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', last].join('\r\n');
    const diff = renderByteDiff(lines('caf\u00c3\u00a9\tx'), lines('cafe\tx'));
    assert.equal(diff, '  ...\n    L5\\r\n    L6\\r\n  - caf\\xC3\\xA9\\tx\n  + cafe\\tx\n');
  });

  test('escape shows a backslash unambiguously', () => {
    assert.equal(escape('a\\b\x00'), 'a\\\\b\\x00');
  });
});

describe('alignBy', () => {
  test('keeps the order of both sides', () => {
    assert.deepEqual(alignBy(['a', 'b', 'c'], ['a', 'x', 'c'], (item) => item), [
      ['a', 'a'],
      ['b', undefined],
      [undefined, 'x'],
      ['c', 'c'],
    ]);
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parse } from '../../../language/parser';
import {
  allReferences,
  blockAt,
  findRequestAtLine,
  lineAt,
  lineStarts,
  offsetToPosition,
  positionToOffset,
  referenceAt,
  requestAt,
} from '../../../language/positions';

describe('positions', () => {
  test('line starts for \\n, \\r\\n and a lone \\r', () => {
    assert.deepEqual(Array.from(lineStarts('a\nbc\r\nd\re')), [0, 2, 6, 8]);
    assert.deepEqual(Array.from(lineStarts('')), [0]);
    assert.deepEqual(Array.from(lineStarts('x\n')), [0, 2]);
  });

  test('lineAt finds the line holding an offset', () => {
    const starts = lineStarts('ab\ncd\n');
    assert.deepEqual([0, 1, 2, 3, 5, 6].map((offset) => lineAt(starts, offset)), [0, 0, 0, 1, 1, 2]);
  });

  test('offsets and positions convert both ways', () => {
    const document = parse('GET /a\r\nAccept: x\n\nbody');
    const accept = document.text.indexOf('Accept');
    assert.deepEqual(offsetToPosition(document, accept), { line: 1, character: 0 });
    assert.deepEqual(offsetToPosition(document, document.text.length), { line: 3, character: 4 });
    assert.equal(positionToOffset(document, { line: 1, character: 0 }), accept);
    assert.equal(positionToOffset(document, { line: 3, character: 2 }), document.text.indexOf('body') + 2);
  });

  test('out-of-range offsets and positions clamp instead of failing', () => {
    const document = parse('GET /a\r\nX: 1');
    assert.deepEqual(offsetToPosition(document, -5), { line: 0, character: 0 });
    assert.deepEqual(offsetToPosition(document, 999), { line: 1, character: 4 });
    assert.equal(positionToOffset(document, { line: 0, character: 99 }), 6, 'clamped before the \\r\\n');
    assert.equal(positionToOffset(document, { line: 9, character: 0 }), document.text.length);
    assert.equal(positionToOffset(document, { line: -1, character: 3 }), 0);
  });
});

describe('tree queries', () => {
  const text = '@host = x\n\n### One\nGET /one\n\n\n### Two\n# @name two\nPOST /two/{{id}}\n\n{"a": "{{ a }}"}\n';
  const document = parse(text);

  test('requestAt finds the request whose block holds the offset, even on blank lines and the separator', () => {
    assert.equal(requestAt(document, 0), undefined, 'the first block has only a variable');
    assert.equal(requestAt(document, text.indexOf('### One'))?.target.text, '/one');
    assert.equal(requestAt(document, text.indexOf('\n\n\n### Two') + 2)?.target.text, '/one');
    assert.equal(requestAt(document, text.indexOf('"a"'))?.name?.text, 'two');
    assert.equal(requestAt(document, text.length)?.name?.text, 'two');
  });

  test('findRequestAtLine and blockAt agree with requestAt', () => {
    assert.equal(findRequestAtLine(document, 3)?.target.text, '/one');
    assert.equal(findRequestAtLine(document, 8)?.target.text, '/two/{{id}}');
    assert.equal(findRequestAtLine(document, 99), undefined);
    assert.equal(blockAt(document, text.indexOf('### Two')).separator?.title?.text, 'Two');
  });

  test('referenceAt finds the reference under the offset, from {{ up to }}', () => {
    const open = text.indexOf('{{id}}');
    assert.equal(referenceAt(document, open)?.expression, 'id');
    assert.equal(referenceAt(document, open + 5)?.expression, 'id');
    assert.equal(referenceAt(document, open + 6), undefined);
    assert.equal(referenceAt(document, text.indexOf('a }}'))?.expression, 'a');
    assert.equal(referenceAt(document, 0), undefined);
  });

  test('an unterminated reference is found at its end, where the user types', () => {
    const typing = parse('GET /{{ho');
    assert.equal(referenceAt(typing, typing.text.length)?.expression, 'ho');
  });

  test('allReferences lists every reference once, in document order', () => {
    assert.deepEqual(allReferences(document).map((reference) => reference.expression), ['id', 'a']);
    const multipart = parse('POST /\nContent-Type: multipart/form-data; boundary=b\n\n--b\nX: {{h}}\n\n{{c}}\n--b--');
    assert.deepEqual(allReferences(multipart).map((reference) => reference.expression), ['h', 'c']);
  });
});

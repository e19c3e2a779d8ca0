import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Range } from 'vscode-languageserver-types';
import { formatDocument } from '../../../language/formatting';
import { contextFor, textOf } from './featureContext';

function format(text: string): string {
  const context = contextFor(text);
  const edits = formatDocument(context);
  let result = text;
  const offsets = edits.map((edit) => ({
    start: textOf(context, Range.create(0, 0, edit.range.start.line, edit.range.start.character)).length,
    end: textOf(context, Range.create(0, 0, edit.range.end.line, edit.range.end.character)).length,
    text: edit.newText,
  }));
  offsets.sort((a, b) => b.start - a.start);
  for (let index = 1; index < offsets.length; index++) assert.ok(offsets[index].end <= offsets[index - 1].start, 'edits do not overlap');
  for (const edit of offsets) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

test('normalises headers, request lines and spacing before ###', () => {
  const text = 'GET   https://example.com/a    HTTP/1.1   \nAccept:application/json  \nX-Long :  a b  \n###\nPOST https://example.com/b\nContent-Type:text/plain\n\n\n\n\n###   second\nGET https://example.com/c\n';
  const expected = 'GET https://example.com/a HTTP/1.1\nAccept: application/json\nX-Long: a b\n\n###\nPOST https://example.com/b\nContent-Type: text/plain\n\n###   second\nGET https://example.com/c\n';
  assert.equal(format(text), expected);
});

test('never touches bodies, handler scripts or pasted responses', () => {
  const text = 'POST https://example.com\nContent-Type:text/plain\n\nName:value   \n  spaced   out  \n\n> {%\n  client.log("a:b")   \n%}\n\n###\nHTTP/1.1 200 OK\nX-A:b  \n\nbody:x  \n';
  const expected = text.replace('Content-Type:text/plain', 'Content-Type: text/plain');
  assert.equal(format(text), expected);
});

test('is idempotent', () => {
  const messy = '@x = 1\nGET  https://example.com   \nA:b\n\n\n\n### t\n# @name t\nPOST  https://example.com  \n  ?a=1   \n  &b=2\nB:  c\n\n{"a":1}   \n###\nGET https://example.com\r\n';
  const once = format(messy);
  assert.notEqual(once, messy, 'the messy text changed');
  assert.equal(format(once), once);
  assert.deepEqual(formatDocument(contextFor(once)), [], 'no edits on formatted text');
});

test('keeps CRLF line endings', () => {
  assert.equal(format('GET https://example.com\r\nA:b\r\n###\r\nGET https://example.com\r\n'), 'GET https://example.com\r\nA: b\r\n\r\n###\r\nGET https://example.com\r\n');
});

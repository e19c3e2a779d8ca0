import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { FoldState } from '../../../client/webview/folds';
import { IntList, TextStore } from '../../../client/webview/lineModel';
import { Search, maxMatches } from '../../../client/webview/search';
import { ArrayLineModel, TextLineModel, plainTokens } from '../../../client/webview/textLines';
import { markupTokens, prettyPrintXml } from '../../../client/webview/xmlLines';

function textModel(chunks: readonly string[]): TextLineModel {
  const store = new TextStore();
  const model = new TextLineModel(store);
  for (const chunk of chunks) {
    store.append(chunk);
    model.scan();
  }
  return model;
}

const linesOf = (model: { lineCount: number; text(line: number): string }): string[] => Array.from({ length: model.lineCount }, (_, line) => model.text(line));

describe('line index of raw text', () => {
  test('splits on LF and CRLF across chunk boundaries, with no phantom line after a final newline', () => {
    assert.deepEqual(linesOf(textModel(['one\r', '\ntwo\nthr', 'ee\n'])), ['one', 'two', 'three']);
    assert.deepEqual(linesOf(textModel(['a\n\nb'])), ['a', '', 'b']);
    assert.deepEqual(linesOf(textModel(['single'])), ['single']);
  });

  test('a scan given a deadline indexes one chunk and leaves the rest, whose lines are not shown yet', () => {
    const store = new TextStore();
    const model = new TextLineModel(store);
    for (const chunk of ['one\ntw', 'o\nthree\n', 'four']) store.append(chunk);
    model.scan(performance.now() - 1);
    assert.equal(model.scanned, false);
    assert.deepEqual(linesOf(model), ['one', 'tw'], 'the last line ends where indexing stopped');
    model.scan(performance.now() - 1);
    assert.deepEqual(linesOf(model), ['one', 'two', 'three']);
    model.scan();
    assert.equal(model.scanned, true);
    assert.deepEqual(linesOf(model), ['one', 'two', 'three', 'four']);
  });

  test('an int list keeps every value across its blocks, and growing never copies the values already stored', () => {
    const list = new IntList();
    const count = 200_000;
    for (let index = 0; index < count; index++) assert.equal(list.push(index * 3), index);
    list.set(65_536, -7);
    assert.equal(list.length, count);
    assert.deepEqual([list.get(0), list.get(65_535), list.get(65_536), list.get(65_537), list.get(count - 1)], [0, 196_605, -7, 196_611, (count - 1) * 3]);
    // Blocks are fixed: the block holding the first values is the same array after growing threefold.
    const blocks = (list as unknown as { blocks: Int32Array[] }).blocks;
    assert.equal(blocks.length, 4);
    assert.ok(blocks.every((block) => block.length === 65_536));
  });

  test('text store slices across chunks', () => {
    const store = new TextStore();
    for (const chunk of ['abc', 'def', 'ghi']) store.append(chunk);
    assert.equal(store.slice(2, 7), 'cdefg');
    assert.equal(store.slice(0, 100), 'abcdefghi');
    assert.equal(store.slice(5, 5), '');
  });
});

describe('XML pretty-printer', () => {
  test('indents one tag per line, keeps text-only elements on one line, and records folds', () => {
    const pretty = prettyPrintXml('<?xml version="1.0"?><root a="1"><item id="x">text</item><empty/><!-- note --><list><li>1</li><li/></list></root>');
    assert.ok(pretty);
    assert.deepEqual(pretty.lines, [
      '<?xml version="1.0"?>',
      '<root a="1">',
      '  <item id="x">text</item>',
      '  <empty/>',
      '  <!-- note -->',
      '  <list>',
      '    <li>1</li>',
      '    <li/>',
      '  </list>',
      '</root>',
    ]);
    assert.equal(pretty.foldEnds.get(1), 9);
    assert.equal(pretty.foldEnds.get(5), 8);
  });

  test('keeps `>` inside attribute values and CDATA intact', () => {
    const pretty = prettyPrintXml('<a title="x > y"><![CDATA[<not a tag>]]></a>');
    assert.deepEqual(pretty?.lines, ['<a title="x > y">', '  <![CDATA[<not a tag>]]>', '</a>']);
  });

  test('gives up on malformed XML so the raw text is shown', () => {
    assert.equal(prettyPrintXml('<a><b></a>'), undefined);
    assert.equal(prettyPrintXml('<a>'), undefined);
    assert.equal(prettyPrintXml('<a attr="unclosed'), undefined);
  });

  test('colours tags, attributes, values and comments, keeping every character', () => {
    const line = '  <item id="x" ok>text</item> <!-- c -->';
    const tokens = markupTokens(line);
    assert.equal(tokens.map((token) => token.text).join(''), line);
    assert.deepEqual(
      tokens.filter((token) => token.kind !== 'text' && token.kind !== 'punctuation').map((token) => [token.kind, token.text]),
      [['tag', 'item'], ['attribute', 'id'], ['value', '"x"'], ['attribute', 'ok'], ['tag', 'item'], ['comment', '<!-- c -->']],
    );
  });
});

describe('folds', () => {
  test('map rows to lines and back around collapsed ranges, nested ones included', () => {
    const folds = new FoldState();
    folds.toggle(2, 5);
    folds.toggle(3, 4); // inside the collapsed range: no extra effect
    folds.toggle(8, 9);
    assert.equal(folds.rowCount(12), 8);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((row) => folds.lineOfRow(row)), [0, 1, 2, 6, 7, 8, 10, 11]);
    assert.deepEqual([0, 2, 4, 6, 8, 9, 10].map((line) => folds.rowOfLine(line)), [0, 2, 2, 3, 5, 5, 6]);
    folds.reveal(5);
    assert.equal(folds.isCollapsed(2), false);
    assert.equal(folds.isCollapsed(3), true, 'the inner fold stays collapsed unless it hides the line');
  });
});

describe('search', () => {
  test('finds every case-insensitive match in the full line model, in slices', () => {
    const model = new ArrayLineModel(['Alpha beta', 'nothing', 'BETA beta'], new Map(), plainTokens);
    const search = new Search(model, 'beta');
    assert.equal(search.step(1), false);
    assert.equal(search.matches.length, 1);
    assert.equal(search.step(10), true);
    assert.deepEqual(search.matches, [
      { line: 0, start: 6, length: 4 },
      { line: 2, start: 0, length: 4 },
      { line: 2, start: 5, length: 4 },
    ]);
    assert.deepEqual(search.matchesOn(2).map((match) => match.start), [0, 5]);
    assert.deepEqual(search.matchesOn(1), []);
  });

  test('stops counting at the match cap', () => {
    const model = new ArrayLineModel(Array.from({ length: maxMatches + 10 }, () => 'x'), new Map(), plainTokens);
    const search = new Search(model, 'x');
    search.step(Number.MAX_SAFE_INTEGER);
    assert.equal(search.matches.length, maxMatches);
    assert.equal(search.done, true);
  });
});

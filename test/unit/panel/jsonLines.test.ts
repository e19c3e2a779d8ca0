import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { JsonLineModel } from '../../../client/webview/jsonLines';
import { TextStore } from '../../../client/webview/lineModel';

/** Feeds `chunks` one at a time, as postMessage delivers them, and returns the pretty lines. */
function pretty(chunks: readonly string[], complete = true): { lines: string[]; model: JsonLineModel } {
  const store = new TextStore();
  const model = new JsonLineModel(store);
  for (const chunk of chunks) {
    store.append(chunk);
    model.scan();
  }
  model.finish(complete);
  return { lines: Array.from({ length: model.lineCount }, (_, line) => model.text(line)), model };
}

describe('JSON streaming formatter', () => {
  test('pretty-prints nested objects and arrays like JSON.stringify(value, null, 2)', () => {
    const value = { name: 'courier', tags: ['a', 'b'], nested: { deep: { n: -1.5e3, t: true, f: false, z: null } }, empty: {}, none: [] };
    const { lines, model } = pretty([JSON.stringify(value)]);
    assert.equal(model.error, undefined);
    assert.deepEqual(lines, JSON.stringify(value, null, 2).split('\n'));
  });

  test('a scan given a deadline stops after one step and resumes where it stopped, giving the same lines', () => {
    const value = Array.from({ length: 3000 }, (_, index) => ({ index, name: `item "${index}"`, tags: ['a', 'b'], nested: { n: index * 1.5 } }));
    const text = JSON.stringify(value);
    const store = new TextStore();
    const model = new JsonLineModel(store);
    store.append(text);
    let scans = 0;
    // A deadline already past: each call scans one step of the chunk and returns.
    for (const past = performance.now() - 1; !model.scanned; scans++) {
      assert.equal(model.scan(past), true);
      assert.ok(scans < 1000, 'each scan makes progress');
    }
    assert.ok(scans > 3, `${text.length} characters were scanned in ${scans} steps`);
    model.finish(true);
    assert.equal(model.error, undefined);
    assert.deepEqual(Array.from({ length: model.lineCount }, (_, line) => model.text(line)), JSON.stringify(value, null, 2).split('\n'));
  });

  test('gives the same lines whatever the chunk boundaries, even inside strings, escapes and numbers', () => {
    const text = JSON.stringify({ 'k\\"ey': 'va"l\\ue', n: 12345.678, list: [1, [2, [3, {}]]], u: 'héllo 🌍 \u2028' });
    const whole = pretty([text]).lines;
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let offset = 0; offset < text.length; offset += size) chunks.push(text.slice(offset, offset + size));
      assert.deepEqual(pretty(chunks).lines, whole, `chunks of ${size}`);
    }
    assert.deepEqual(whole, JSON.stringify(JSON.parse(text), null, 2).split('\n'));
  });

  test('colours keys, strings, numbers, literals and punctuation', () => {
    const { model } = pretty(['{"id": 7, "ok": true, "name": "x\\"y"}']);
    assert.deepEqual(model.tokens(1), [
      { text: '  ', kind: 'punctuation' },
      { text: '"id"', kind: 'key' },
      { text: ': ', kind: 'punctuation' },
      { text: '7', kind: 'number' },
      { text: ',', kind: 'punctuation' },
    ]);
    assert.deepEqual(model.tokens(2).map((token) => token.kind), ['punctuation', 'key', 'punctuation', 'literal', 'punctuation']);
    assert.deepEqual(model.tokens(3).map((token) => [token.text, token.kind]), [['  ', 'punctuation'], ['"name"', 'key'], [': ', 'punctuation'], ['"x\\"y"', 'string']]);
  });

  test('records folds from each opening line to its closing line', () => {
    const { model } = pretty(['{"a": {"b": [1, 2]}, "c": {}}']);
    // {, "a": {, "b": [, 1,, 2, ], }, "c": {}, }
    assert.equal(model.foldEnd(0), 8);
    assert.equal(model.foldEnd(1), 6);
    assert.equal(model.foldEnd(2), 5);
    assert.equal(model.foldEnd(3), -1);
    assert.equal(model.foldEnd(7), -1, 'an empty object does not fold');
  });

  test('reports invalid JSON with its offset, so the panel falls back to raw lines', () => {
    for (const [text, reason] of [
      ['{"a": 1,}', 'unexpected `}`'],
      ['{"a" 1}', 'unexpected'],
      ['[1, 2', 'ends before'],
      ['{"a": tru}', '`tru` is not a JSON value'],
      ['{"a": 1} {"b": 2}', 'more text after'],
      ['<html></html>', 'unexpected `<`'],
      ['"unterminated', 'inside a string'],
      ['', 'no JSON value'],
    ] as const) {
      const { model } = pretty([text]);
      assert.match(model.error ?? 'valid', new RegExp(reason.replace(/[`[\]()]/g, '\\$&')), text);
      assert.match(model.error ?? '', /^Not valid JSON at character \d+/);
    }
  });

  test('a body cut at the panel limit is still pretty-printed, not rejected', () => {
    const { model, lines } = pretty(['{"items": [1, 2, 3'], false);
    assert.equal(model.error, undefined);
    assert.deepEqual(lines, ['{', '  "items": [', '    1,', '    2,', '    3']);
  });

  test('cuts very long lines so one huge string is not one huge DOM node', () => {
    const { model } = pretty([JSON.stringify({ big: 'x'.repeat(50_000) })]);
    const tokens = model.tokens(1);
    assert.equal(tokens[tokens.length - 1].kind, 'ellipsis');
    assert.ok(model.text(1).length < 11_000);
  });

  test('indexes a few MB quickly and shows lines before the body has finished arriving', () => {
    const record = JSON.stringify({ id: 1, name: 'item', tags: ['x', 'y'], price: 9.99 });
    const store = new TextStore();
    const model = new JsonLineModel(store);
    store.append(`[${record},${record}`);
    model.scan();
    assert.equal(model.text(1), '  {');
    assert.equal(model.text(2), '    "id": 1,');
    const rest = `,${record}`.repeat(60_000) + ']';
    store.append(rest);
    model.scan();
    model.finish(true);
    assert.equal(model.error, undefined);
    assert.equal(model.text(model.lineCount - 1), ']');
  });
});

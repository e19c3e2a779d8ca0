import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseJson } from '../../../language/jsonTree';

/** The text an error points at, so assertions read as the user would see them. */
function errorAt(text: string, allowTemplates = false): { readonly at: string; readonly offset: number; readonly message: string } | undefined {
  const { error } = parseJson(text, { allowTemplates });
  return error === undefined ? undefined : { at: text.slice(error.start, error.end), offset: error.start, message: error.message };
}

describe('parseJson', () => {
  test('accepts what JSON.parse accepts and keeps offsets', () => {
    const text = ' {"a": [1, -2.5e3, true, false, null], "b\\n": "x\\u0041"} ';
    const { root, error } = parseJson(text);
    assert.equal(error, undefined);
    assert.equal(root?.kind, 'object');
    if (root?.kind !== 'object') return;
    assert.deepEqual(root.properties.map((p) => p.key.value), ['a', 'b\n']);
    assert.equal(text.slice(root.start, root.end), text.trim());
    const b = root.properties[1]?.value;
    assert.equal(b?.kind === 'string' ? b.value : undefined, 'xA');
  });

  test('points at the offending character', () => {
    assert.deepEqual(errorAt('{"a": 1,}'), { at: '}', offset: 8, message: 'Trailing comma in object: remove the comma before }.' });
    assert.equal(errorAt('{"a" 1}')?.at, '1', 'missing colon');
    assert.equal(errorAt('{"a": tru}')?.at, 'tru', 'misspelled literal');
    assert.equal(errorAt('{a: 1}')?.at, 'a', 'unquoted key');
    assert.equal(errorAt('[1 2]')?.at, '2', 'missing comma');
    assert.equal(errorAt('[1,]')?.at, ']', 'trailing comma in array');
    assert.equal(errorAt('{"a": 01}')?.at, '01', 'leading zero');
    assert.equal(errorAt('{"a": "x\\q"}')?.at, '\\q', 'bad escape');
    assert.equal(errorAt('{} {}')?.offset, 3, 'second value');
    assert.equal(errorAt('')?.offset, 0, 'empty text');
  });

  test('reports an unterminated object or string at its opening', () => {
    assert.equal(errorAt('{"a": 1')?.offset, 0);
    assert.equal(errorAt('{"a": "b')?.offset, 6);
  });

  test('accepts {{ }} as a value only when templates are allowed', () => {
    assert.equal(errorAt('{"id": {{id}}, "s": "{{x}}"}', true), undefined);
    assert.equal(errorAt('{"id": {{id}}}')?.offset, 8, 'without templates the inner { is not a key');
    assert.equal(errorAt('{"id": {{id}', true)?.at, '{{id}', 'unterminated template');
  });

  test('refuses absurd nesting instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.match(errorAt(deep)?.message ?? '', /nested more than/);
  });
});

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Code } from '../../../language/codes';

test('problem codes are unique and namespaced, so users can match on them', () => {
  const values = Object.values(Code);
  assert.equal(new Set(values).size, values.length, 'a code is used twice');
  // `http.env.auth.unknown-key`: a family of an area takes a third part.
  for (const value of values) assert.match(value, /^http(\.[a-z-]+){2,3}$/, value);
});

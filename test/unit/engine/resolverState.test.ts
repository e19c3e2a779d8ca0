// A resolver keeps state only for values that need expanding (literal values are returned as
// written): the expanded values it remembers and the chain it is resolving must behave the same
// whatever it looked up before.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Resolver, VariableError, type VariableScope } from '../../../engine/variables';

function resolver(fileVariables: Record<string, string>): Resolver {
  let uuids = 0;
  const scope: VariableScope = {
    overrides: new Map(),
    fileVariables: new Map(Object.entries(fileVariables)),
    environment: new Map(),
    prompted: new Map(),
    sentRequest: () => undefined,
    system: { now: () => new Date(0), random: () => 0.5, uuid: () => `uuid-${++uuids}`, processEnv: () => undefined, dotenv: () => undefined },
  };
  return new Resolver(scope);
}

describe('resolver state', () => {
  test('literal values, empty ones included, are returned as written, again and again', () => {
    const literal = resolver({ host: 'api.test', empty: '', braces: 'a { b } c' });
    for (let round = 0; round < 2; round++) {
      assert.equal(literal.variable('host'), 'api.test');
      assert.equal(literal.variable('empty'), '');
      assert.equal(literal.variable('braces'), 'a { b } c');
      assert.equal(literal.variable('missing'), undefined);
    }
  });

  test('after literal lookups, an expanded value is still computed once per resolver', () => {
    const mixed = resolver({ host: 'api.test', id: '{{$uuid}}', url: 'https://{{host}}/{{id}}' });
    assert.equal(mixed.substitute('{{host}}'), 'api.test');
    assert.equal(mixed.substitute('{{url}} {{id}} {{url}}'), 'https://api.test/uuid-1 uuid-1 https://api.test/uuid-1');
  });

  test('a cycle fails every time it is met, and leaves the other variables resolvable', () => {
    const cyclic = resolver({ host: 'api.test', a: '{{b}}', b: '{{a}}', c: '{{host}}!' });
    for (let round = 0; round < 2; round++) {
      assert.throws(() => cyclic.substitute('{{a}}'), (error: unknown) => error instanceof VariableError && /cycle: a -> b -> a/.test(error.message));
      assert.equal(cyclic.substitute('{{c}}'), 'api.test!');
    }
  });
});

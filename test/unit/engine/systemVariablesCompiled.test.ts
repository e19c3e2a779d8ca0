// System variable expressions are compiled once and cached by their text: the cached
// evaluation must still consult the context it is handed every time, never the first one.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { evaluateSystemVariable, type SystemVariableContext } from '../../../engine/systemVariables';

function context(overrides: Partial<SystemVariableContext>): SystemVariableContext {
  return {
    now: () => new Date('2024-02-29T13:05:09.007Z'),
    random: () => 0.5,
    uuid: () => 'uuid',
    processEnv: () => undefined,
    dotenv: () => undefined,
    variable: () => undefined,
    ...overrides,
  };
}

function value(expression: string, ctx: SystemVariableContext): string {
  const result = evaluateSystemVariable(expression, ctx);
  assert.ok('value' in result, `${expression}: ${'problem' in result ? result.problem : ''}`);
  return result.value;
}

describe('compiled system variables', () => {
  test('the same expression evaluated again draws from the context it is given', () => {
    assert.equal(value('$randomInt 1 11', context({ random: () => 0 })), '1');
    assert.equal(value('$randomInt 1 11', context({ random: () => 0.99 })), '10');
    assert.equal(value('$random.float(0, 4)', context({ random: () => 0.25 })), '1');
    assert.equal(value('$random.float(0, 4)', context({ random: () => 0.5 })), '2');
    assert.equal(value('$uuid', context({ uuid: () => 'first' })), 'first');
    assert.equal(value('$uuid', context({ uuid: () => 'second' })), 'second');
    assert.equal(value('$timestamp 1 d', context({ now: () => new Date(0) })), '86400');
    assert.equal(value('$timestamp 1 d', context({ now: () => new Date(1000) })), '86401');
    assert.equal(value('$datetime "YYYY" 1 y', context({ now: () => new Date('2000-06-01T00:00:00Z') })), '2001');
    assert.equal(value('$datetime "YYYY" 1 y', context({ now: () => new Date('2010-06-01T00:00:00Z') })), '2011');
  });

  test('lookups read the source and the %variable of each evaluation', () => {
    const env = (values: Record<string, string>): SystemVariableContext => context({ processEnv: (name) => values[name], variable: (name) => (name === 'key' ? values.KEY_NAME : undefined) });
    assert.equal(value('$processEnv HOME', env({ HOME: '/a' })), '/a');
    assert.equal(value('$processEnv HOME', env({ HOME: '/b' })), '/b');
    assert.equal(value('$processEnv %key', env({ KEY_NAME: 'X', X: 'x1' })), 'x1');
    assert.equal(value('$processEnv %key', env({ KEY_NAME: 'Y', Y: 'y1' })), 'y1');
    const missing = evaluateSystemVariable('$processEnv %key', env({}));
    assert.ok('problem' in missing && /variable key is not defined/.test(missing.problem));
  });

  test('a malformed call fails the same way every time, without consulting the context', () => {
    const untouchable = context({
      random: () => assert.fail('random consulted'),
      now: () => assert.fail('clock consulted'),
    });
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(evaluateSystemVariable('$randomInt 5 1', untouchable), {
        problem: '$randomInt needs two integers min < max (min included, max excluded), e.g. $randomInt 1 100',
      });
      assert.deepEqual(evaluateSystemVariable('$timestamp 1 fortnight', untouchable), {
        problem: '$timestamp: the offset must be an integer and a unit (y, Q, M, w, d, h, m, s, ms), e.g. $timestamp -1 d',
      });
    }
  });
});

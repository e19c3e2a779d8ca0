// An exchange's test results matched to the tests discovery knew: what the Test Explorer shows.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { countOutcomes, knownTestKeys, requestOutcomes } from '../../../client/testing/testOutcomes';
import type { DiscoveredTest } from '../../../language/testDiscovery';

const known: DiscoveredTest[] = [
  { name: 'logged in', kind: 'script', line: 7, character: 2 },
  { name: 'has a token', kind: 'script', line: 8, character: 2 },
  { name: 'status == 200', kind: 'assertion', line: 10, character: 0 },
];

describe('requestOutcomes', () => {
  test('passes, a failed ?? with a diff at its line, a failed script test at the engine\'s 1-based place', () => {
    const outcomes = requestOutcomes(known, {
      error: undefined,
      tests: [
        { name: 'logged in', outcome: 'passed', kind: 'script' },
        { name: 'has a token', outcome: 'failed', kind: 'script', message: 'no token', location: { file: '/w/a.http', line: 9, column: 5 } },
        { name: 'status == 200', outcome: 'failed', kind: 'assertion', message: 'status is 404, expected == 200', expected: '200', actual: '404', location: { file: '/w/a.http', line: 11 } },
      ],
    });
    assert.deepEqual(outcomes, [
      { key: 'script:logged in', name: 'logged in', kind: 'script', state: 'passed', message: undefined, diff: undefined, location: { file: undefined, line: 7, character: 2 }, known: true },
      { key: 'script:has a token', name: 'has a token', kind: 'script', state: 'failed', message: 'no token', diff: undefined, location: { file: '/w/a.http', line: 8, character: 4 }, known: true },
      { key: 'assertion:status == 200', name: 'status == 200', kind: 'assertion', state: 'failed', message: 'status is 404, expected == 200', diff: { expected: '200', actual: '404' }, location: { file: '/w/a.http', line: 10, character: 0 }, known: true },
    ]);
  });

  test('tests only the run knew are added; a script error is an error; known tests the run did not report are skipped', () => {
    const outcomes = requestOutcomes(known, {
      error: undefined,
      tests: [
        { name: 'logged in', outcome: 'passed', kind: 'script' },
        { name: 'item 1', outcome: 'passed', kind: 'script' },
        { name: 'response handler', outcome: 'failed', kind: 'script-error', message: 'ReferenceError: x is not defined', location: { file: '/w/check.js', line: 3, column: 1 } },
        { name: 'status == 200', outcome: 'passed', kind: 'assertion' },
      ],
    });
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.key, outcome.state, outcome.known, outcome.message]),
      [
        ['script:logged in', 'passed', true, undefined],
        ['script:item 1', 'passed', false, undefined],
        ['script-error:response handler', 'errored', false, 'ReferenceError: x is not defined'],
        ['assertion:status == 200', 'passed', true, undefined],
        ['script:has a token', 'skipped', true, '"has a token" did not run: the response handler failed (ReferenceError: x is not defined)'],
      ],
    );
    assert.deepEqual(outcomes[2].location, { file: '/w/check.js', line: 2, character: 0 });
  });

  test('a request that failed errors its known tests with the reason', () => {
    const outcomes = requestOutcomes(known.slice(2), { error: { code: 'refused', message: 'connection refused by 127.0.0.1:9' }, tests: undefined });
    assert.deepEqual(outcomes.map((outcome) => [outcome.state, outcome.message]), [['errored', 'the request failed: connection refused by 127.0.0.1:9']]);
  });

  test('in an untrusted workspace the skipped handler gives its reason to the tests it holds; ?? js is matched by its line', () => {
    const withJs: DiscoveredTest[] = [...known, { name: 'response.status === 200 isTrue', kind: 'assertion', line: 11, character: 0 }];
    const reason = 'scripts run only in a trusted workspace';
    const outcomes = requestOutcomes(withJs, {
      error: undefined,
      tests: [
        { name: 'response handler (line 7)', outcome: 'skipped', kind: 'script-error', message: reason, location: { file: '/w/a.http', line: 7 } },
        { name: 'status == 200', outcome: 'passed', kind: 'assertion', location: { file: '/w/a.http', line: 11 } },
        { name: 'js response.status === 200 isTrue', outcome: 'skipped', kind: 'assertion', message: reason, location: { file: '/w/a.http', line: 12 } },
      ],
    });
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.key, outcome.state, outcome.message ?? null]),
      [
        ['script-error:response handler (line 7)', 'skipped', reason],
        ['assertion:status == 200', 'passed', null],
        ['assertion:response.status === 200 isTrue', 'skipped', reason],
        ['script:logged in', 'skipped', reason],
        ['script:has a token', 'skipped', reason],
      ],
    );
    assert.equal(outcomes[2].name, 'response.status === 200 isTrue', 'the known item keeps its name');
  });

  test('repeated names are told apart by order, in discovery and in results alike', () => {
    const twice: DiscoveredTest[] = [
      { name: 'ok', kind: 'script', line: 1, character: 0 },
      { name: 'ok', kind: 'script', line: 2, character: 0 },
    ];
    assert.deepEqual(knownTestKeys(twice), ['script:ok', 'script:ok#2']);
    const outcomes = requestOutcomes(twice, { error: undefined, tests: [{ name: 'ok', outcome: 'passed', kind: 'script' }, { name: 'ok', outcome: 'failed', kind: 'script', message: 'second' }] });
    assert.deepEqual(outcomes.map((outcome) => [outcome.key, outcome.state, outcome.location?.line]), [['script:ok', 'passed', 1], ['script:ok#2', 'failed', 2]]);
    assert.deepEqual(countOutcomes(outcomes), { passed: 1, failed: 1, skipped: 0, errored: 0 });
  });
});

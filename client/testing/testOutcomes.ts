// What a request's run means for its tests, free of VS Code so it is unit-tested in plain Node:
// the engine's `TestResult`s of an exchange matched to the tests discovery knew before the run
// (language/testDiscovery.ts), each with the state, message, expected/actual and place the Test
// Explorer shows. testExplorer.ts turns these into `TestRun` calls.
import type { Exchange, TestResult } from '../../engine/model';
import type { DiscoveredTest } from '../../language/testDiscovery';

export type TestState = 'passed' | 'failed' | 'skipped' | 'errored';

/** Where a test is shown: a file (undefined: the `.http` document that ran) and a 0-based line and character. */
export interface OutcomeLocation {
  readonly file: string | undefined;
  readonly line: number;
  readonly character: number;
}

/** One test of a request after a run. */
export interface TestOutcome {
  /** The test within its request: kind and name, numbered from the second test of the same name on. */
  readonly key: string;
  readonly name: string;
  readonly kind: TestResult['kind'];
  readonly state: TestState;
  /** Why it failed, errored or was skipped. */
  readonly message: string | undefined;
  /** For a failed `??`: the expected value and the actual one, shown as a diff. */
  readonly diff: { readonly expected: string; readonly actual: string } | undefined;
  readonly location: OutcomeLocation | undefined;
  /** Whether discovery knew it before the run; a test only known now is added to its request. */
  readonly known: boolean;
}

/** The key of the `ordinal`-th (0-based) test named `name` of a kind within one request. */
export function testKey(kind: TestResult['kind'], name: string, ordinal: number): string {
  return ordinal === 0 ? `${kind}:${name}` : `${kind}:${name}#${ordinal + 1}`;
}

/** Keys for tests in order: a repeated kind and name gets the next ordinal. */
function keysOf(tests: readonly { readonly kind: TestResult['kind']; readonly name: string }[]): string[] {
  const seen = new Map<string, number>();
  return tests.map(({ kind, name }) => {
    const base = `${kind}:${name}`;
    const ordinal = seen.get(base) ?? 0;
    seen.set(base, ordinal + 1);
    return testKey(kind, name, ordinal);
  });
}

/** The keys of a request's statically known tests, in order. */
export function knownTestKeys(tests: readonly DiscoveredTest[]): string[] {
  return keysOf(tests);
}

/**
 * Every test of one request after its exchange: each reported result, then each known test the
 * run did not report (errored when the request failed, else skipped: its handler ended before it).
 */
export function requestOutcomes(known: readonly DiscoveredTest[], exchange: Pick<Exchange, 'tests' | 'error'>): TestOutcome[] {
  const knownKeys = knownTestKeys(known);
  const knownByKey = new Map(knownKeys.map((key, index) => [key, known[index]]));
  const results = exchange.tests ?? [];
  const outcomes: TestOutcome[] = keysOf(results).map((key, index) => outcomeOf(key, results[index], knownByKey.get(key)));
  const reported = new Set(outcomes.map((outcome) => outcome.key));
  knownKeys.forEach((key, index) => {
    if (reported.has(key)) return;
    const test = known[index];
    const message = exchange.error !== undefined ? `the request failed: ${exchange.error.message}` : `"${test.name}" did not run: the request's scripts ended before it`;
    outcomes.push({ key, name: test.name, kind: test.kind, state: exchange.error !== undefined ? 'errored' : 'skipped', message, diff: undefined, location: { file: undefined, line: test.line, character: test.character }, known: true });
  });
  return outcomes;
}

function outcomeOf(key: string, result: TestResult, known: DiscoveredTest | undefined): TestOutcome {
  const state: TestState = result.kind === 'script-error' && result.outcome === 'failed' ? 'errored' : result.outcome;
  const diff = result.kind === 'assertion' && result.outcome === 'failed' && result.expected !== undefined && result.actual !== undefined ? { expected: result.expected, actual: result.actual } : undefined;
  // The engine's location is 1-based; a result without one is shown where discovery found it.
  const location: OutcomeLocation | undefined =
    result.location !== undefined
      ? { file: result.location.file, line: Math.max(0, result.location.line - 1), character: Math.max(0, (result.location.column ?? 1) - 1) }
      : known !== undefined
        ? { file: undefined, line: known.line, character: known.character }
        : undefined;
  return { key, name: result.name, kind: result.kind, state, message: result.message, diff, location, known: known !== undefined };
}

/** How many tests ended in each state. */
export interface OutcomeCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly errored: number;
}

export function countOutcomes(outcomes: readonly { readonly state: TestState }[]): OutcomeCounts {
  const counts = { passed: 0, failed: 0, skipped: 0, errored: 0 };
  for (const outcome of outcomes) counts[outcome.state]++;
  return counts;
}

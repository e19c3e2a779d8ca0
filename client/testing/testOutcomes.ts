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
 * run did not report. A `??` result is matched to the known line it came from (its name may be
 * written differently, as for a skipped `?? js`), a script's test by name and order. A known test
 * not reported errored when the request failed; else it is skipped, with the reason its scripts
 * gave (skipped in an untrusted workspace, or a script that failed before it).
 */
export function requestOutcomes(known: readonly DiscoveredTest[], exchange: Pick<Exchange, 'tests' | 'error'>): TestOutcome[] {
  const knownKeys = knownTestKeys(known);
  const unmatched = new Set(known.map((_, index) => index));
  const results = exchange.tests ?? [];
  const ownKeys = keysOf(results);
  const outcomes = results.map((result, resultIndex) => {
    const index = matchKnown(known, knownKeys, unmatched, result, ownKeys[resultIndex]);
    if (index === undefined) return outcomeOf(ownKeys[resultIndex], result, undefined);
    unmatched.delete(index);
    return outcomeOf(knownKeys[index], result, known[index]);
  });
  const scriptTrouble = results.find((result) => result.kind === 'script-error');
  for (const index of unmatched) {
    const test = known[index];
    let state: TestState = 'skipped';
    let message = `"${test.name}" did not run: the request's scripts ended before it`;
    if (exchange.error !== undefined) {
      state = 'errored';
      message = `the request failed: ${exchange.error.message}`;
    } else if (test.kind === 'script' && scriptTrouble?.outcome === 'skipped' && scriptTrouble.message !== undefined) {
      message = scriptTrouble.message;
    } else if (test.kind === 'script' && scriptTrouble?.outcome === 'failed') {
      message = `"${test.name}" did not run: the ${scriptTrouble.name} failed (${scriptTrouble.message ?? 'no reason given'})`;
    }
    outcomes.push({ key: knownKeys[index], name: test.name, kind: test.kind, state, message, diff: undefined, location: { file: undefined, line: test.line, character: test.character }, known: true });
  }
  return outcomes;
}

/** The index of the known test a result reports, if any is still unmatched. */
function matchKnown(known: readonly DiscoveredTest[], knownKeys: readonly string[], unmatched: ReadonlySet<number>, result: TestResult, key: string): number | undefined {
  if (result.kind === 'assertion' && result.location !== undefined) {
    const line = result.location.line - 1;
    for (const index of unmatched) if (known[index].kind === 'assertion' && known[index].line === line) return index;
  }
  for (const index of unmatched) if (knownKeys[index] === key) return index;
  return undefined;
}

function outcomeOf(key: string, result: TestResult, known: DiscoveredTest | undefined): TestOutcome {
  const state: TestState = result.kind === 'script-error' && result.outcome === 'failed' ? 'errored' : result.outcome;
  const diff = (result.kind === 'assertion' || result.kind === 'openapi') && result.outcome === 'failed' && result.expected !== undefined && result.actual !== undefined ? { expected: result.expected, actual: result.actual } : undefined;
  // The engine's location is 1-based; a result without one is shown where discovery found it.
  const location: OutcomeLocation | undefined =
    result.location !== undefined
      ? { file: result.location.file, line: Math.max(0, result.location.line - 1), character: Math.max(0, (result.location.column ?? 1) - 1) }
      : known !== undefined
        ? { file: undefined, line: known.line, character: known.character }
        : undefined;
  return { key, name: known?.name ?? result.name, kind: result.kind, state, message: result.message, diff, location, known: known !== undefined };
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

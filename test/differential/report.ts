// Tallies and prints a differential run: each difference with its document, request line and a
// byte diff, then the summary. Expected differences (by id) are counted, shown briefly, and do
// not fail the run; anything else does.

import { type ComparableRequest, type Comparison, escape } from './compare';
import { type ExpectedDifference, expectedFor } from './expectedDifferences';
import type { RequestTag } from './generator';
import type { CliRun } from './processes';

/** A compared request with the tags its document gave it (generated documents only). */
export type TaggedComparison = Comparison & { readonly tags: readonly RequestTag[] };

// Printing a thousand diffs helps no one: the first ones in full, the rest counted.
const maxUnexpectedShown = 40;
const maxExpectedShownPerId = 2;

export class Report {
  private documents = 0;
  private baseRequests = 0;
  private headRequests = 0;
  private identical = 0;
  private different = 0;
  private onlyBase = 0;
  private onlyHead = 0;
  private unexpected = 0;
  private readonly expected = new Map<string, number>();
  private readonly shown: string[] = [];
  private unexpectedShown = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly strict: boolean,
  ) {}

  get unexpectedCount(): number {
    return this.unexpected;
  }

  /** The comparisons of one document (or one sample file). */
  addDocument(document: string, comparisons: readonly TaggedComparison[]): void {
    this.documents++;
    for (const comparison of comparisons) {
      if (comparison.kind !== 'only-head') this.baseRequests++;
      if (comparison.kind !== 'only-base') this.headRequests++;
      if (comparison.kind === 'identical') {
        this.identical++;
        continue;
      }
      if (comparison.kind === 'different') this.different++;
      else if (comparison.kind === 'only-base') this.onlyBase++;
      else this.onlyHead++;
      this.finding(document, comparison, this.strict ? undefined : expectedFor(comparison.tags, comparison.kind !== 'different' || comparison.sameFields));
    }
  }

  /** A difference of a whole CLI run (its exit code), expected when the run had an expected difference. */
  addRunDifference(what: string, detail: string, expected: ExpectedDifference | undefined): void {
    if (expected !== undefined && !this.strict) {
      this.count(expected);
      return;
    }
    this.unexpected++;
    this.show(`[unexpected] ${what}\n${detail}`);
  }

  print(): void {
    for (const text of this.shown) this.write(`${text}\n`);
    if (this.unexpectedShown < this.unexpected) this.write(`... and ${this.unexpected - this.unexpectedShown} more unexpected differences not shown\n\n`);
    const expectedTotal = [...this.expected.values()].reduce((sum, count) => sum + count, 0);
    const expectedList = [...this.expected].map(([id, count]) => `${id} x${count}`).join(', ');
    this.write(
      [
        'Summary',
        `  documents     ${this.documents}`,
        `  requests      base ${this.baseRequests}, head ${this.headRequests}`,
        `  identical     ${this.identical}`,
        `  different     ${this.different}`,
        `  only in base  ${this.onlyBase}`,
        `  only in head  ${this.onlyHead}`,
        `  expected      ${expectedTotal}${expectedTotal === 0 ? '' : ` (${expectedList})`}`,
        `  unexpected    ${this.unexpected}`,
        '',
      ].join('\n'),
    );
  }

  private finding(document: string, comparison: Exclude<TaggedComparison, { kind: 'identical' }>, expected: ExpectedDifference | undefined): void {
    const request: ComparableRequest = comparison.kind === 'only-head' ? comparison.head : comparison.base;
    const origin = comparison.kind === 'different' && comparison.base.origin !== comparison.head.origin ? `${comparison.base.origin} (head: ${comparison.head.origin})` : request.origin;
    const where = origin.startsWith(document) ? origin : `${document}: ${origin}`;
    const what = comparison.kind === 'different' ? 'sent differently' : comparison.kind === 'only-base' ? 'sent by the base only' : 'sent by the head only';
    const tags = comparison.tags.length === 0 ? '' : ` (tags: ${comparison.tags.join(', ')})`;
    const title = `${expected === undefined ? '[unexpected]' : `[expected: ${expected.id}]`} ${document}: ${where}: ${request.requestLine}: ${what}${tags}`;
    const body = comparison.kind === 'different' ? comparison.diff : firstLines(comparison.kind === 'only-base' ? '-' : '+', request.bytes);
    if (expected !== undefined) {
      if (this.count(expected) <= maxExpectedShownPerId) this.shown.push(`${title}\n${body}`);
      return;
    }
    this.unexpected++;
    this.show(`${title}\n${body}`);
  }

  private count(expected: ExpectedDifference): number {
    const count = (this.expected.get(expected.id) ?? 0) + 1;
    this.expected.set(expected.id, count);
    return count;
  }

  private show(text: string): void {
    if (this.unexpectedShown >= maxUnexpectedShown) return;
    this.unexpectedShown++;
    this.shown.push(text);
  }
}

/** The first lines of a request sent by one side only, escaped as in a diff. */
function firstLines(mark: string, bytes: string): string {
  const lines = bytes.split('\n');
  const shown = lines.slice(0, 12).map((line) => `  ${mark} ${escape(line)}`);
  if (lines.length > 12) shown.push(`  ... ${lines.length - 12} more lines`);
  return `${shown.join('\n')}\n`;
}

/**
 * How the head's CLI run ended differently from the base's, if it did. Exit codes 0 and 1 (a
 * request failed) may differ because of an expected difference in the run; a hang, a crash or
 * bad usage may not.
 */
export function runDifference(
  base: Pick<CliRun, 'exitCode' | 'timedOut'>,
  head: Pick<CliRun, 'exitCode' | 'timedOut' | 'stderr'>,
  comparisons: readonly TaggedComparison[],
  timeoutMs: number,
): { readonly what: string; readonly detail: string; readonly expected: ExpectedDifference | undefined } | undefined {
  if (base.exitCode === head.exitCode && !head.timedOut) return undefined;
  const ordinary = (run: Pick<CliRun, 'exitCode'>): boolean => run.exitCode === 0 || run.exitCode === 1;
  const expected = ordinary(base) && ordinary(head) ? comparisons.map((comparison) => (comparison.kind === 'identical' ? undefined : expectedFor(comparison.tags, comparison.kind !== 'different' || comparison.sameFields))).find((found) => found !== undefined) : undefined;
  const describe = (run: Pick<CliRun, 'exitCode' | 'timedOut'>): string =>
    run.timedOut ? `killed after ${timeoutMs / 1000} s (it hung)` : run.exitCode === null ? 'killed by a signal' : `exit code ${run.exitCode}`;
  const stderr = head.stderr.trim().split('\n').slice(-8).join('\n    ');
  return {
    what: head.timedOut ? 'the head CLI hung' : 'the CLI exited differently',
    detail: `  base: ${describe(base)}; head: ${describe(head)}\n  head stderr (end): ${stderr === '' ? '(empty)' : stderr}\n`,
    expected,
  };
}

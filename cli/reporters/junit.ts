// `--reporter junit`: JUnit XML, written to stdout when the run ends (redirect it:
// `> report.xml`). One <testsuite> per .http file; one <testcase> per test of a request
// (`client.test`, `??`, a failed script), named `request › test`, and one per request without
// tests. A request that failed for another reason (no response, or --fail and status >= 400)
// keeps a <testcase> of its own with a <failure>.

import type { ResponseSummary, TestResult } from '../../engine/model';
import { originLabel } from '../originLabel';
import { describeStreamEnd } from '../../engine/streamMessages';
import { formatBytes, formatDuration } from '../units';
import type { ReportedExchange, Reporter, RunSummary, Write } from './reporter';

export function createJunitReporter(write: Write): Reporter {
  return {
    exchange() {
      // JUnit is one document: everything is written at the end.
    },
    finish(summary) {
      write(junitXml(summary));
    },
  };
}

export function junitXml({ results, durationMs }: RunSummary): string {
  const files = new Map<string, ReportedExchange[]>();
  for (const result of results) {
    const group = files.get(result.file) ?? [];
    group.push(result);
    files.set(result.file, group);
  }
  const cases = results.flatMap(casesOf);
  const failures = cases.filter((item) => item.failure !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="courier" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds(durationMs)}">`,
  ];
  for (const [file, group] of files) {
    const suiteCases = group.flatMap(casesOf);
    const suiteFailures = suiteCases.filter((item) => item.failure !== undefined).length;
    const skipped = suiteCases.filter((item) => item.skipped !== undefined).length;
    const suiteTime = group.reduce((sum, result) => sum + result.exchange.timings.total, 0);
    lines.push(`  <testsuite name="${attribute(file)}" tests="${suiteCases.length}" failures="${suiteFailures}" errors="0" skipped="${skipped}" time="${seconds(suiteTime)}">`);
    for (const item of suiteCases) lines.push(...testcaseLines(item));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/** One <testcase>, before it is written. */
interface JunitCase {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly timeMs: number;
  readonly failure?: { readonly message: string; readonly type: string; readonly detail: string };
  readonly skipped?: string;
  readonly output: string;
}

/** A request's testcases: one per test, and one for the request when it has no tests or failed for another reason. */
function casesOf({ exchange, verdict, file }: ReportedExchange): JunitCase[] {
  const { request, response, origin } = exchange;
  const title = `${originLabel(origin) ?? `${request.method} ${request.url}`} (line ${origin.line})`;
  const outcome = response === undefined
    ? `${request.method} ${request.url}: no response (${exchange.error?.code ?? 'error'})`
    : `${request.method} ${request.url}: ${response.status} ${response.statusText} in ${formatDuration(exchange.timings.total)}, ${received(response)}`;
  const output = [outcome, ...exchange.warnings.map((warning) => `warning: ${warning}`), ...(exchange.log ?? []).map((line) => `log: ${line}`)].join('\n');
  const tests = exchange.tests ?? [];
  const cases = tests.map((test): JunitCase => testCase(title, test, file, origin.line, output));
  const testsFailed = tests.some((test) => test.outcome === 'failed');
  // A request's own failure (no response, --fail) is reported even when it has tests; a failure of its tests is already theirs.
  const ownFailure = verdict.failed && !(testsFailed && response !== undefined);
  if (tests.length === 0 || ownFailure) {
    const type = response === undefined ? (exchange.error?.code ?? 'error') : 'http-status';
    cases.unshift({
      name: title,
      file,
      line: origin.line,
      timeMs: exchange.timings.total,
      output,
      ...(ownFailure ? { failure: { message: verdict.reason ?? 'failed', type, detail: outcome } } : {}),
    });
  }
  return cases;
}

function testCase(title: string, test: TestResult, file: string, requestLine: number, output: string): JunitCase {
  const base = { name: `${title} › ${test.name}`, file, line: test.location?.line ?? requestLine, timeMs: 0, output };
  if (test.outcome === 'skipped') return { ...base, skipped: test.message ?? 'not run' };
  if (test.outcome === 'passed') return base;
  const comparison = test.expected === undefined ? '' : `\nexpected: ${test.expected}\nactual:   ${test.actual ?? 'undefined'}`;
  const where = test.location === undefined ? '' : `\nat ${test.location.file}:${test.location.line}${test.location.column === undefined ? '' : `:${test.location.column}`}`;
  return { ...base, failure: { message: test.message ?? 'failed', type: test.kind, detail: `${test.message ?? 'failed'}${comparison}${where}` } };
}

function testcaseLines(item: JunitCase): string[] {
  const lines = [`    <testcase name="${attribute(item.name)}" classname="${attribute(item.file)}" file="${attribute(item.file)}" line="${item.line}" time="${seconds(item.timeMs)}">`];
  if (item.failure !== undefined) lines.push(`      <failure message="${attribute(item.failure.message)}" type="${attribute(item.failure.type)}">${text(item.failure.detail)}</failure>`);
  if (item.skipped !== undefined) lines.push(`      <skipped message="${attribute(item.skipped)}"/>`);
  lines.push(`      <system-out>${text(item.output)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

/** `1.2 KiB`, or for a stream `3 messages (websocket), closed by the server (code 1000: bye)`. */
function received(response: ResponseSummary): string {
  if (response.shape !== 'stream') return formatBytes(response.body.size);
  const { count, protocol, end } = response.stream;
  return `${count} ${count === 1 ? 'message' : 'messages'} (${protocol}), stream ${describeStreamEnd(end)}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Characters XML 1.0 cannot carry at all, even escaped. */
const forbidden = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  // Shown as `\u0001`, so the report still says which byte was there.
  return value.replace(forbidden, (character) => `\\u${character.codePointAt(0)?.toString(16).padStart(4, '0') ?? ''}`).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

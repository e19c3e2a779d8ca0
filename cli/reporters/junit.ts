// `--reporter junit`: JUnit XML, written to stdout when the run ends (redirect it:
// `> report.xml`). One <testsuite> per .http file, one <testcase> per request;
// a request that failed (no response, or --fail and status >= 400) gets a <failure>.

import type { ResponseSummary } from '../../engine/model';
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
  const failures = results.filter((result) => result.verdict.failed).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="courier" tests="${results.length}" failures="${failures}" errors="0" time="${seconds(durationMs)}">`,
  ];
  for (const [file, group] of files) {
    const suiteFailures = group.filter((result) => result.verdict.failed).length;
    const suiteTime = group.reduce((sum, result) => sum + result.exchange.timings.total, 0);
    lines.push(`  <testsuite name="${attribute(file)}" tests="${group.length}" failures="${suiteFailures}" errors="0" skipped="0" time="${seconds(suiteTime)}">`);
    for (const result of group) lines.push(...testcase(result));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase({ exchange, verdict, file }: ReportedExchange): string[] {
  const { request, response, origin } = exchange;
  const title = `${origin.name ?? `${request.method} ${request.url}`} (line ${origin.line})`;
  const open = `    <testcase name="${attribute(title)}" classname="${attribute(file)}" file="${attribute(file)}" line="${origin.line}" time="${seconds(exchange.timings.total)}">`;
  const outcome = response === undefined
    ? `${request.method} ${request.url}: no response (${exchange.error?.code ?? 'error'})`
    : `${request.method} ${request.url}: ${response.status} ${response.statusText} in ${formatDuration(exchange.timings.total)}, ${received(response)}`;
  const lines = [open];
  if (verdict.failed) {
    const type = response === undefined ? (exchange.error?.code ?? 'error') : 'http-status';
    lines.push(`      <failure message="${attribute(verdict.reason ?? 'failed')}" type="${attribute(type)}">${text(outcome)}</failure>`);
  }
  lines.push(`      <system-out>${text([outcome, ...exchange.warnings.map((warning) => `warning: ${warning}`)].join('\n'))}</system-out>`);
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

// The default reporter: one status line per request, for people. With `--verbose`
// it adds the headers sent and received, the timings and the body.

import type { Exchange, ResponseSummary, TestResult, Timings } from '../../engine/model';
import { binarySummary, describeStreamEnd, messageHeading } from '../../engine/streamMessages';
import { liveMessageData } from '../liveOutput';
import { previewBody } from '../bodyPreview';
import { originLabel } from '../originLabel';
import { previewStream } from '../streamPreview';
import type { Style } from '../style';
import { formatBytes, formatDuration } from '../units';
import type { LiveRequest, ReportedExchange, Reporter, RunSummary, Write } from './reporter';

export interface PrettyOptions {
  readonly style: Style;
  readonly verbose: boolean;
  /** Where a stream's messages are printed as they arrive (batched per turn of the loop in the CLI); `write` by default. */
  readonly writeLive?: Write;
}

export function createPrettyReporter(write: Write, options: PrettyOptions): Reporter {
  const { style, verbose } = options;
  const writeLive = options.writeLive ?? write;
  /** Streams whose messages were printed as they came: `--verbose` does not print them again. */
  const printedLive = new Set<string>();
  return {
    streamOpened(request, protocol) {
      printedLive.add(liveKey(request));
      writeLive(`${style.cyan('~')} ${request.method} ${request.url} ${style.dim(`${protocol} stream  ${liveWhere(request)}`)}\n`);
    },
    message(request, message) {
      const heading = style.dim(`  ${messageHeading(message, 8)}`);
      // `# @noLog`: when and what, never the data.
      if (request.origin.noLog === true) writeLive(`${heading}\n`);
      else writeLive(`${heading}  ${liveMessageData(message.data, binarySummary)}\n`);
    },
    exchange(result) {
      write(`${statusLine(result, style)}\n`);
      const { exchange, verdict } = result;
      if (verdict.reason !== undefined) write(`  ${style.red(verdict.reason)}\n`);
      for (const test of exchange.tests ?? []) write(testLines(test, style, (file) => (file === exchange.origin.file ? result.file : file)));
      for (const line of exchange.log ?? []) write(`  ${style.dim(`log: ${line}`)}\n`);
      for (const warning of exchange.warnings) write(`  ${style.yellow(`warning: ${warning}`)}\n`);
      for (const path of result.savedTo) write(`  ${style.dim(`saved to ${path}`)}\n`);
      const messagesPrinted = printedLive.delete(liveKey({ file: result.file, origin: exchange.origin }));
      // `# @noLog`: the status line only, never the headers and body.
      if (verbose && exchange.origin.noLog !== true) write(details(exchange, style, messagesPrinted));
    },
    finish(summary) {
      write(summaryLine(summary, style));
    },
  };
}

/** `✓ name`, `✗ name: why` with expected and actual for `??`, `- name (skipped: why)`. */
function testLines(test: TestResult, style: Style, shownPath: (file: string) => string): string {
  if (test.outcome === 'passed') return `  ${style.green('✓')} ${test.name}\n`;
  if (test.outcome === 'skipped') return `  ${style.dim(`- ${test.name} (skipped: ${test.message ?? 'not run'})`)}\n`;
  const lines = [`  ${style.red('✗')} ${test.name}${test.message === undefined ? '' : `: ${style.red(test.message)}`}`];
  if (test.kind === 'assertion' && test.expected !== undefined) lines.push(`      ${style.dim('expected')} ${test.expected}`, `      ${style.dim('actual  ')} ${test.actual ?? 'undefined'}`);
  const location = test.location;
  // A script error's message names its place already; a failed client.test's does not.
  if (location !== undefined && test.kind === 'script') lines.push(`      ${style.dim(`at ${shownPath(location.file)}:${location.line}${location.column === undefined ? '' : `:${location.column}`}`)}`);
  return `${lines.join('\n')}\n`;
}

function statusLine({ exchange, verdict, file }: ReportedExchange, style: Style): string {
  const { response, request, origin } = exchange;
  const mark = verdict.failed ? style.red('✗') : style.green('✓');
  if (exchange.skipped !== undefined) return `${style.dim('-')} ${style.bold('SKIPPED')} ${request.method} ${style.dim(`${exchange.skipped}  ${[originLabel(origin), `${file}:${origin.line}`].filter((part) => part !== undefined).join(' · ')}`)}`;
  const status = response === undefined ? style.red(`ERR ${exchange.error?.code ?? ''}`.trim()) : colourStatus(`${response.status} ${response.statusText}`.trim(), response.status, style);
  const measures = [formatDuration(exchange.timings.total), ...(response === undefined ? [] : responseMeasures(response))].join(' · ');
  const where = [originLabel(origin), `${file}:${origin.line}`].filter((part) => part !== undefined).join(' · ');
  return `${mark} ${style.bold(status)} ${request.method} ${request.url} ${style.dim(`${measures}  ${where}`)}`;
}

/** A body's size; a stream's message count and how it ended. */
function responseMeasures(response: ResponseSummary): string[] {
  if (response.shape !== 'stream') return [formatBytes(response.body.size)];
  const { count, end } = response.stream;
  return [`${count} ${count === 1 ? 'message' : 'messages'}`, describeStreamEnd(end)];
}

function colourStatus(text: string, status: number, style: Style): string {
  if (status >= 500) return style.red(text);
  if (status >= 400) return style.yellow(text);
  if (status >= 300) return style.cyan(text);
  return style.green(text);
}

/** One request's place, the same for its live lines and its report. */
function liveKey(request: Pick<LiveRequest, 'file' | 'origin'>): string {
  return `${request.file}:${request.origin.line}:${request.origin.iteration ?? ''}`;
}

function liveWhere({ origin, file }: LiveRequest): string {
  return [originLabel(origin), `${file}:${origin.line}`].filter((part) => part !== undefined).join(' · ');
}

function details(exchange: Exchange, style: Style, messagesPrinted: boolean): string {
  const lines: string[] = [];
  for (const redirect of exchange.redirects) lines.push(style.dim(`  ↪ ${redirect.status} ${redirect.url}`));
  lines.push(style.dim(`  ${timingsLine(exchange.timings)}`));
  lines.push(style.cyan(`> ${exchange.request.method} ${exchange.request.url}`));
  for (const [name, value] of exchange.request.headers) lines.push(style.cyan(`> ${name}: ${value}`));
  if (exchange.request.bodySize > 0) lines.push(style.cyan(`> [body: ${formatBytes(exchange.request.bodySize)}]`));
  const { response } = exchange;
  if (response !== undefined) {
    lines.push(`< ${httpVersionLabel(response.httpVersion)} ${response.status} ${response.statusText}`.trimEnd());
    response.headers.forEach(([name, value], index) => {
      if (index === response.trailersFrom) lines.push('< [trailers]');
      lines.push(`< ${name}: ${value}`);
    });
    // A stream's messages say what its body's bytes say, one message at a time; printed already when they came live.
    const body = response.shape === 'stream' ? (messagesPrinted ? '' : previewStream(response.stream)) : previewBody(response.body);
    if (body !== '') lines.push('', body);
  }
  return `${lines.join('\n')}\n\n`;
}

/** `HTTP/1.1` whether the engine says `1.1` or `HTTP/1.1`. */
function httpVersionLabel(version: string): string {
  return version.startsWith('HTTP/') ? version : `HTTP/${version}`;
}

const phases: readonly (readonly [keyof Timings, string])[] = [
  ['dns', 'dns'],
  ['connect', 'connect'],
  ['tls', 'tls'],
  ['firstByte', 'first byte'],
  ['download', 'download'],
  ['total', 'total'],
];

function timingsLine(timings: Timings): string {
  return phases
    .filter(([key]) => timings[key] !== undefined)
    .map(([key, label]) => `${label} ${formatDuration(timings[key] ?? 0)}`)
    .join(' · ');
}

const stopReasons = { bail: ' (stopped at the first failure: --bail)', interrupt: ' (interrupted)', 'stream-stopped': ' (a stream was stopped with Ctrl+C; nothing after it was sent)' } as const;

function summaryLine({ results, durationMs, stoppedBy }: RunSummary, style: Style): string {
  const failed = results.filter((result) => result.verdict.failed).length;
  const passed = results.length - failed;
  const counts = [style.green(`${passed} passed`), ...(failed > 0 ? [style.red(`${failed} failed`)] : [])].join(', ');
  const noun = results.length === 1 ? 'request' : 'requests';
  const stopped = stoppedBy === undefined ? '' : style.yellow(stopReasons[stoppedBy]);
  return `\n${results.length} ${noun}: ${counts}${testCounts(results, style)} in ${formatDuration(durationMs)}${stopped}\n`;
}

/** `; 12 tests: 11 passed, 1 failed` when any request had tests. */
function testCounts(results: RunSummary['results'], style: Style): string {
  const tests = results.flatMap((result) => result.exchange.tests ?? []);
  if (tests.length === 0) return '';
  const count = (outcome: TestResult['outcome']): number => tests.filter((test) => test.outcome === outcome).length;
  const parts = [style.green(`${count('passed')} passed`), ...(count('failed') > 0 ? [style.red(`${count('failed')} failed`)] : []), ...(count('skipped') > 0 ? [style.yellow(`${count('skipped')} skipped`)] : [])];
  return `; ${tests.length} ${tests.length === 1 ? 'test' : 'tests'}: ${parts.join(', ')}`;
}

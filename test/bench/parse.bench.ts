// `npm run bench`: how long parsing a large `.http` file takes, and how much memory
// the tree keeps, next to a baseline measured in the same process (split into
// lines plus one pass over each line), so a slow machine shows as a slow
// baseline rather than a slow parser. Run with `node --expose-gc`.

import { parse } from '../../language/parser';
import type { HttpDocument } from '../../language/syntax';
import { generateCorpus } from './corpus';

const requestCount = 20_000;
const warmupRuns = 5;
const measuredRuns = 15;

const collectGarbage = (globalThis as { gc?: () => void }).gc;
if (collectGarbage === undefined) {
  console.error('parse.bench: run with `node --expose-gc` (npm run bench does) to measure memory.');
  process.exit(1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median wall time of `run`, after warm-up so the JIT has optimised it; a GC before each run keeps them independent. */
function time(run: () => unknown): number {
  for (let index = 0; index < warmupRuns; index++) run();
  const durations: number[] = [];
  for (let index = 0; index < measuredRuns; index++) {
    collectGarbage?.();
    const start = performance.now();
    run();
    durations.push(performance.now() - start);
  }
  return median(durations);
}

/** The least work any line-based parser must do: split, then look at each line's first characters. */
function baseline(text: string): number {
  let signature = 0;
  for (const line of text.split('\n')) {
    signature += line.length === 0 ? 1 : line.charCodeAt(0) + line.charCodeAt(line.length - 1);
  }
  return signature;
}

/** Bytes the tree keeps alive beyond the text itself. */
function retainedBytes(text: string): number {
  collectGarbage?.();
  collectGarbage?.();
  const before = process.memoryUsage().heapUsed;
  const document: HttpDocument = parse(text);
  collectGarbage?.();
  collectGarbage?.();
  const after = process.memoryUsage().heapUsed;
  if (document.requests.length !== requestCount) throw new Error(`expected ${requestCount} requests, parsed ${document.requests.length}`);
  return after - before;
}

const text = generateCorpus(requestCount);
const megabytes = (text.length / 1e6).toFixed(1);
const check = parse(text);
if (check.problems.length > 0) {
  throw new Error(`the corpus should parse cleanly, but has ${check.problems.length} problems; first: ${check.problems[0].message}`);
}

const parseMs = time(() => parse(text));
const baselineMs = time(() => baseline(text));
const heapRatio = retainedBytes(text) / text.length;

console.log(
  `parse ${requestCount} requests (${megabytes} MB): ${parseMs.toFixed(1)} ms median; ` +
    `baseline split+scan ${baselineMs.toFixed(1)} ms; ratio ${(parseMs / baselineMs).toFixed(1)}x; ` +
    `tree heap ${heapRatio.toFixed(1)}x file size`,
);
console.log(`targets: parse well under 60 ms on an idle machine; tree heap under 10x file size`);

// `npm run bench`: how long parsing a large `.http` file takes, and how much memory
// the tree keeps, next to a baseline measured in the same process (split into
// lines plus one pass over each line), so a slow machine shows as a slow
// baseline rather than a slow parser. Run with `node --expose-gc`.

import { parse } from '../../language/parser';
import type { HttpDocument } from '../../language/syntax';
import { generateCorpus } from './corpus';
import { medianTiming, type Timing } from './measure';

const requestCount = 20_000;
const warmupRuns = 5;
const measuredRuns = 15;

const collectGarbage = (globalThis as { gc?: () => void }).gc;
if (collectGarbage === undefined) {
  console.error('parse.bench: run with `node --expose-gc` (npm run bench does) to measure memory.');
  process.exit(1);
}

/** Median times of `run`; a GC before each run keeps them independent. */
function time(run: () => unknown): Timing {
  return medianTiming(run, { warmupRuns, measuredRuns, beforeEach: collectGarbage });
}

/** The least work any line-based parser must do: split, then look at each line's first characters. */
function baseline(text: string): number {
  let signature = 0;
  for (const line of text.split('\n')) {
    signature += line.length === 0 ? 1 : line.charCodeAt(0) + line.charCodeAt(line.length - 1);
  }
  return signature;
}

/**
 * Bytes the tree keeps alive beyond the text itself: the parser's tables, and with `objects`,
 * the object tree the features read too (built on first read).
 */
function retainedBytes(text: string, objects: boolean): number {
  collectGarbage?.();
  collectGarbage?.();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const document: HttpDocument = parse(text);
  if (objects) void document.blocks;
  collectGarbage?.();
  collectGarbage?.();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  if (document.tables.requests.count !== requestCount) throw new Error(`expected ${requestCount} requests, parsed ${document.tables.requests.count}`);
  return after - before;
}

const text = generateCorpus(requestCount);
const megabytes = (text.length / 1e6).toFixed(1);
const check = parse(text);
if (check.problems.length > 0) {
  throw new Error(`the corpus should parse cleanly, but has ${check.problems.length} problems; first: ${check.problems[0].message}`);
}

const parsing = time(() => parse(text));
const scanning = time(() => baseline(text));
// What the first feature other than diagnostics to read a large file waits for, on top of the parse.
const building = time(() => parse(text).blocks);
const heapRatio = retainedBytes(text, false) / text.length;
const objectHeapRatio = retainedBytes(text, true) / text.length;

console.log(
  `parse ${requestCount} requests (${megabytes} MB): ${parsing.wallMs.toFixed(1)} ms median; ` +
    `baseline split+scan ${scanning.wallMs.toFixed(1)} ms; ratio ${(parsing.wallMs / scanning.wallMs).toFixed(1)}x; ` +
    `tree heap ${heapRatio.toFixed(1)}x file size (with the object tree formatting and sending build: ${objectHeapRatio.toFixed(1)}x; ` +
    `parse and build the objects: ${building.wallMs.toFixed(1)} ms)`,
);
console.log(
  `cpu time: parse ${parsing.cpuMs.toFixed(1)} ms, baseline ${scanning.cpuMs.toFixed(1)} ms, ratio ${(parsing.cpuMs / scanning.cpuMs).toFixed(1)}x ` +
    `(wall time also counts waiting for a core on a busy machine)`,
);
console.log('targets: parse well under 60 ms on an idle machine; tree heap under 10x file size');

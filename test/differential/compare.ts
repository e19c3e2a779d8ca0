// Compares what the base and the head CLI sent for one document: requests are paired by their
// request line (a longest common subsequence, so one missing request does not shift every later
// pair), then compared byte for byte, and by the origin (listener) that received them. Differences are
// rendered as a line diff of the escaped bytes, CR and all.

/** One recorded request, normalised, with what the report says about it. */
export interface ComparableRequest {
  /** `POST /d1/r0/ok HTTP/1.1`: what pairs requests. */
  readonly requestLine: string;
  /** Normalised bytes, one latin1 character per byte. */
  readonly bytes: string;
  /** The same request as protocol-independent fields (`requestFields`). */
  readonly fields: string;
  /** `main` or `other` listener (origin). */
  readonly listener: string;
  /** Where it came from, e.g. `d003.http:12` or `01-basics.http:6 (hop 2)`. */
  readonly origin: string;
}

export type Comparison =
  | { readonly kind: 'identical'; readonly base: ComparableRequest; readonly head: ComparableRequest }
  | {
      readonly kind: 'different';
      readonly base: ComparableRequest;
      readonly head: ComparableRequest;
      readonly diff: string;
      /** Different bytes, same fields: e.g. the same request over HTTP/2 instead of HTTP/1.1. */
      readonly sameFields: boolean;
    }
  | { readonly kind: 'only-base'; readonly base: ComparableRequest }
  | { readonly kind: 'only-head'; readonly head: ComparableRequest };

/** Pairs and compares the requests of one document, in the order they were sent. */
export function compareRequests(base: readonly ComparableRequest[], head: readonly ComparableRequest[]): Comparison[] {
  const pairs = pairUnmatched(alignBy(base, head, (request) => request.requestLine));
  return pairs.map(([old, current]): Comparison => {
    if (old === undefined) return { kind: 'only-head', head: current as ComparableRequest };
    if (current === undefined) return { kind: 'only-base', base: old };
    // Whether undici reused a pooled connection depends on timing (a socket freed a moment late
    // means a new one), so only the origin a request went to is compared, not the connection.
    const sameOrigin = old.listener === current.listener;
    if (old.bytes === current.bytes && sameOrigin) return { kind: 'identical', base: old, head: current };
    const originNote = sameOrigin ? '' : `  origin: base sent it to the ${old.listener} origin, head to the ${current.listener} origin\n`;
    const sameFields = sameOrigin && old.fields === current.fields;
    return { kind: 'different', base: old, head: current, diff: originNote + (old.bytes === current.bytes ? '' : renderByteDiff(old.bytes, current.bytes)), sameFields };
  });
}

/**
 * Between two matched pairs, the base's unmatched requests and the head's are paired in order:
 * a request whose URL changed (an encoding fault) is then one difference with a byte diff, not a
 * request sent by the base only and another sent by the head only.
 */
export function pairUnmatched<T>(pairs: readonly [T | undefined, T | undefined][]): [T | undefined, T | undefined][] {
  const result: [T | undefined, T | undefined][] = [];
  let left: T[] = [];
  let right: T[] = [];
  const flush = (): void => {
    for (let index = 0; index < Math.max(left.length, right.length); index++) result.push([left[index], right[index]]);
    left = [];
    right = [];
  };
  for (const [old, current] of pairs) {
    if (old !== undefined && current !== undefined) {
      flush();
      result.push([old, current]);
    } else if (old !== undefined) left.push(old);
    else if (current !== undefined) right.push(current);
  }
  flush();
  return result;
}

/** Longest common subsequence by key; unmatched items pair with undefined, order kept. */
export function alignBy<T>(left: readonly T[], right: readonly T[], key: (item: T) => string): [T | undefined, T | undefined][] {
  const leftKeys = left.map(key);
  const rightKeys = right.map(key);
  const lengths = lcsTable(leftKeys, rightKeys);
  const pairs: [T | undefined, T | undefined][] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (leftKeys[i] === rightKeys[j]) {
      pairs.push([left[i], right[j]]);
      i++;
      j++;
    } else if ((lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0)) {
      pairs.push([left[i++], undefined]);
    } else {
      pairs.push([undefined, right[j++]]);
    }
  }
  while (i < left.length) pairs.push([left[i++], undefined]);
  while (j < right.length) pairs.push([undefined, right[j++]]);
  return pairs;
}

/** lengths[i][j]: LCS length of left[i..] and right[j..]. */
function lcsTable(left: readonly string[], right: readonly string[]): number[][] {
  const lengths = Array.from({ length: left.length + 1 }, () => new Array<number>(right.length + 1).fill(0));
  for (let i = left.length - 1; i >= 0; i--) {
    const row = lengths[i];
    const below = lengths[i + 1];
    for (let j = right.length - 1; j >= 0; j--) {
      row[j] = left[i] === right[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  return lengths;
}

// A diff shows this many unchanged lines around each change, and at most this many lines in all.
const contextLines = 2;
const maxDiffLines = 60;
// Lines longer than this are cut around their first difference.
const maxLineWidth = 160;
// Bodies with more lines than this are not diffed line by line (quadratic): their first differing line is shown.
const maxDiffableLines = 2_000;

/** A readable diff of two byte strings (latin1): `-` base, `+` head, bytes outside printable ASCII escaped. */
export function renderByteDiff(base: string, head: string): string {
  const baseLines = splitKeepingCr(base);
  const headLines = splitKeepingCr(head);
  if (baseLines.length > maxDiffableLines || headLines.length > maxDiffableLines) {
    const first = baseLines.findIndex((line, index) => line !== headLines[index]);
    return `  line ${first + 1} of ${baseLines.length} (base) / ${headLines.length} (head) differs first:\n  - ${clip(escape(baseLines[first] ?? ''), 0)}\n  + ${clip(escape(headLines[first] ?? ''), 0)}\n`;
  }
  const pairs = alignBy(
    baseLines.map((line, index) => ({ line, index })),
    headLines.map((line, index) => ({ line, index })),
    (entry) => entry.line,
  );
  const marked = pairs.map(([old, current]) => (old !== undefined && current !== undefined ? { mark: ' ', line: old.line } : old !== undefined ? { mark: '-', line: old.line } : { mark: '+', line: current?.line ?? '' }));
  const changed = marked.map((entry) => entry.mark !== ' ');
  const output: string[] = [];
  let skipped = false;
  marked.forEach((entry, index) => {
    const near = changed.slice(Math.max(0, index - contextLines), index + contextLines + 1).some(Boolean);
    if (!near) {
      skipped = true;
      return;
    }
    if (skipped) output.push('  ...');
    skipped = false;
    const column = entry.mark === ' ' ? 0 : firstDifferenceColumn(entry, marked[index + (entry.mark === '-' ? 1 : -1)]);
    output.push(`  ${entry.mark} ${clip(escape(entry.line), column)}`);
  });
  if (skipped) output.push('  ...');
  const shown = output.length > maxDiffLines ? [...output.slice(0, maxDiffLines), `  ... ${output.length - maxDiffLines} more lines`] : output;
  return `${shown.join('\n')}\n`;
}

/** Where a removed line and the added line next to it first differ, in escaped characters. */
function firstDifferenceColumn(entry: { mark: string; line: string }, neighbour: { mark: string; line: string } | undefined): number {
  if (neighbour === undefined || neighbour.mark === ' ' || neighbour.mark === entry.mark) return 0;
  const a = escape(entry.line);
  const b = escape(neighbour.line);
  let column = 0;
  while (column < a.length && a[column] === b[column]) column++;
  return column;
}

/** Lines split after each LF, the LF itself dropped and shown as the end of the line; CR stays visible. */
function splitKeepingCr(text: string): string[] {
  return text.split('\n');
}

/** Printable ASCII as is; CR, tab and every other byte escaped (`\r`, `\t`, `\xNN`). */
export function escape(line: string): string {
  let escaped = '';
  for (const char of line) {
    const code = char.charCodeAt(0);
    if (char === '\r') escaped += '\\r';
    else if (char === '\t') escaped += '\\t';
    else if (char === '\\') escaped += '\\\\';
    else if (code < 0x20 || code >= 0x7f) escaped += `\\x${code.toString(16).padStart(2, '0').toUpperCase()}`;
    else escaped += char;
  }
  return escaped;
}

function clip(line: string, column: number): string {
  if (line.length <= maxLineWidth) return line;
  const start = Math.max(0, Math.min(column - 40, line.length - maxLineWidth));
  return `${start > 0 ? '...' : ''}${line.slice(start, start + maxLineWidth)}${start + maxLineWidth < line.length ? '...' : ''}`;
}

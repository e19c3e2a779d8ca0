// Folding: each block (from its separator to its last non-blank line) and each body or script
// that spans more than one line.

import { FoldingRange } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import type { HttpDocument, Span } from './syntax';
import { blockEnd, blockRequest, blockStart, requestBodyEnd, requestBodyStart, requestScriptHandlers } from './tableQueries';

/** Scratch for `requestScriptHandlers`. */
const scripts: number[] = [];

/**
 * Folding ranges in document order: a block first, then the body and scripts inside it.
 * Read from the parser's tables: a file just opened is folded whole, and its object tree need not be built.
 */
export function foldingRanges(context: FeatureContext): FoldingRange[] {
  const { document } = context;
  const { tables } = document;
  const ranges: FoldingRange[] = [];
  const add = (start: number, end: number): void => {
    const lines = lineRange(document, { start, end });
    if (lines !== undefined) ranges.push(FoldingRange.create(lines.start, lines.end));
  };
  for (let block = 0; block < tables.blocks.count; block++) {
    add(blockStart(tables, block), blockEnd(tables, block));
    const request = blockRequest(tables, block);
    if (request === -1) continue;
    if (requestBodyStart(tables, request) !== -1) add(requestBodyStart(tables, request), requestBodyEnd(tables, request));
    const written = requestScriptHandlers(tables, request, scripts);
    for (let index = 0; index < written; index += 2) add(scripts[index], scripts[index + 1]);
  }
  return ranges;
}

/** First and last line holding non-blank text in `span`; undefined when that is a single line. */
function lineRange(document: HttpDocument, span: Span): { readonly start: number; readonly end: number } | undefined {
  let end = span.end;
  while (end > span.start && /\s/.test(document.text[end - 1] ?? '')) end--;
  if (end <= span.start) return undefined;
  const start = offsetToPosition(document, span.start).line;
  const last = offsetToPosition(document, end - 1).line;
  return last > start ? { start, end: last } : undefined;
}

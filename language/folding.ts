// Folding: each block (from its separator to its last non-blank line) and each body or script
// that spans more than one line.

import { FoldingRange } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import type { HttpDocument, Span } from './syntax';

/** Folding ranges in document order: a block first, then the body and scripts inside it. */
export function foldingRanges(context: FeatureContext): FoldingRange[] {
  const { document } = context;
  const ranges: FoldingRange[] = [];
  const add = (span: Span): void => {
    const lines = lineRange(document, span);
    if (lines !== undefined) ranges.push(FoldingRange.create(lines.start, lines.end));
  };
  for (const block of document.blocks) {
    add(block);
    const request = block.request;
    if (request === undefined) continue;
    if (request.body !== undefined) add(request.body);
    for (const handler of request.handlers) if (handler.kind === 'script') add(handler);
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

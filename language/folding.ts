// Folding: each block (from its separator to its last non-blank line) and each body or script
// that spans more than one line.

import { FoldingRange } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import type { HttpDocument, Span } from './syntax';
import { Blk, HandlerKind, Handler, Req } from './syntaxTables';

/**
 * Folding ranges in document order: a block first, then the body and scripts inside it.
 * Read from the parser's tables: a file just opened is folded whole, and its object tree need not be built.
 */
export function foldingRanges(context: FeatureContext): FoldingRange[] {
  const { document } = context;
  const { tables } = document;
  const blocks = tables.blocks.data;
  const requests = tables.requests.data;
  const handlers = tables.handlers.data;
  const ranges: FoldingRange[] = [];
  const add = (start: number, end: number): void => {
    const lines = lineRange(document, { start, end });
    if (lines !== undefined) ranges.push(FoldingRange.create(lines.start, lines.end));
  };
  for (let block = 0; block < tables.blocks.count; block++) {
    const at = block * Blk.size;
    add(blocks[at + Blk.start], blocks[at + Blk.end]);
    if (blocks[at + Blk.request] === -1) continue;
    const request = blocks[at + Blk.request] * Req.size;
    if (requests[request + Req.bodyStart] !== -1) add(requests[request + Req.bodyStart], requests[request + Req.bodyEnd]);
    const firstHandler = requests[request + Req.firstHandler];
    for (let handler = firstHandler; handler < firstHandler + requests[request + Req.handlerCount]; handler++) {
      if (handlers[handler * Handler.size + Handler.kind] === HandlerKind.script) add(handlers[handler * Handler.size + Handler.start], handlers[handler * Handler.size + Handler.end]);
    }
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

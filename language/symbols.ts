// Document symbols: one per request, so the outline and "Go to Symbol" list a file's requests.

import { DocumentSymbol, Range, SymbolKind } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import type { HttpDocument, Span } from './syntax';
import { requestLine } from './documentNames';
import { Blk, Req } from './syntaxTables';

/**
 * One symbol per request: its name when it has one (a Function), else `METHOD target` (a Method).
 * Read from the parser's tables: every request of a file just opened is listed, and its object tree need not be built.
 */
export function documentSymbols(context: FeatureContext): DocumentSymbol[] {
  const { document } = context;
  const { text, tables } = document;
  const blocks = tables.blocks.data;
  const requests = tables.requests.data;
  const symbols: DocumentSymbol[] = [];
  for (let block = 0; block < tables.blocks.count; block++) {
    const at = block * Blk.size;
    if (blocks[at + Blk.request] === -1) continue;
    const request = blocks[at + Blk.request];
    const requestAt = request * Req.size;
    const line = requestLine(document, request).trim();
    const nameStart = requests[requestAt + Req.nameStart];
    const name = nameStart === -1 ? undefined : text.slice(nameStart, requests[requestAt + Req.nameEnd]).trim();
    const named = name !== undefined && name !== '';
    // The block is the request's whole extent (separator, directives, handlers), so the outline follows the cursor there.
    const extent = trimmedSpan(document, { start: blocks[at + Blk.start], end: blocks[at + Blk.end] });
    symbols.push(
      DocumentSymbol.create(
        named ? name : line,
        named ? line : undefined,
        named ? SymbolKind.Function : SymbolKind.Method,
        toRange(document, extent),
        toRange(document, { start: requests[requestAt + Req.start], end: requests[requestAt + Req.requestLineEnd] }),
      ),
    );
  }
  return symbols;
}

/** The block without trailing whitespace, so the range ends on its last meaningful line. */
function trimmedSpan(document: HttpDocument, span: Span): Span {
  let end = span.end;
  while (end > span.start && /\s/.test(document.text[end - 1] ?? '')) end--;
  return { start: span.start, end };
}

function toRange(document: HttpDocument, span: Span): Range {
  return Range.create(offsetToPosition(document, span.start), offsetToPosition(document, span.end));
}

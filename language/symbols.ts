// Document symbols: one per request, so the outline and "Go to Symbol" list a file's requests.

import { DocumentSymbol, Range, SymbolKind } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import type { HttpDocument, Request, Span } from './syntax';

/** One symbol per request: its name when it has one (a Function), else `METHOD target` (a Method). */
export function documentSymbols(context: FeatureContext): DocumentSymbol[] {
  const { document } = context;
  const symbols: DocumentSymbol[] = [];
  for (const block of document.blocks) {
    const request = block.request;
    if (request === undefined) continue;
    const line = requestLineText(request);
    const name = request.name?.text.trim();
    const named = name !== undefined && name !== '';
    // The block is the request's whole extent (separator, directives, handlers), so the outline follows the cursor there.
    const extent = trimmedSpan(document, block);
    symbols.push(
      DocumentSymbol.create(
        named ? name : line,
        named ? line : undefined,
        named ? SymbolKind.Function : SymbolKind.Method,
        toRange(document, extent),
        toRange(document, { start: request.start, end: request.requestLineEnd }),
      ),
    );
  }
  return symbols;
}

function requestLineText(request: Request): string {
  return `${request.methodName} ${request.target.text}`.trim();
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

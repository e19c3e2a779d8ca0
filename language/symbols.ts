// Document symbols: one per request, so the outline and "Go to Symbol" list a file's requests.

import { DocumentSymbol, Range, SymbolKind } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import type { HttpDocument, Span } from './syntax';
import { requestLine } from './documentNames';
import { blockDirectiveCount, blockEnd, blockFirstDirective, blockRequest, blockStart, directiveNameEnd, directiveNameStart, directiveValueEnd, directiveValueStart, requestLineEnd, requestName, requestStart } from './tableQueries';

/**
 * One symbol per request: its name when it has one (a Function), else `METHOD target` (a Method).
 * Read from the parser's tables: every request of a file just opened is listed, and its object tree need not be built.
 */
export function documentSymbols(context: FeatureContext): DocumentSymbol[] {
  const { document } = context;
  const { tables } = document;
  const symbols: DocumentSymbol[] = [];
  for (let block = 0; block < tables.blocks.count; block++) {
    const request = blockRequest(tables, block);
    if (request === -1) continue;
    const line = requestLine(document, request).trim();
    // httpYac's `# @title` names the request in the outline; `# @description` says more beside it.
    const title = blockDirectiveValue(document, block, 'title');
    const description = blockDirectiveValue(document, block, 'description');
    const written = requestName(document, request)?.trim();
    const name = title ?? written;
    const named = name !== undefined && name !== '';
    // The block is the request's whole extent (separator, directives, handlers), so the outline follows the cursor there.
    const extent = trimmedSpan(document, { start: blockStart(tables, block), end: blockEnd(tables, block) });
    symbols.push(
      DocumentSymbol.create(
        named ? name : line,
        [named ? line : undefined, description].filter((part) => part !== undefined).join(' · ') || undefined,
        named ? SymbolKind.Function : SymbolKind.Method,
        toRange(document, extent),
        toRange(document, { start: requestStart(tables, request), end: requestLineEnd(tables, request) }),
      ),
    );
  }
  return symbols;
}

/** The value of the block's last `# @name` directive called `name`, if any. */
function blockDirectiveValue(document: HttpDocument, block: number, name: string): string | undefined {
  const { text, tables } = document;
  const first = blockFirstDirective(tables, block);
  let value: string | undefined;
  for (let index = first; index < first + blockDirectiveCount(tables, block); index++) {
    const nameStart = directiveNameStart(tables, index);
    const valueStart = directiveValueStart(tables, index);
    if (valueStart !== -1 && directiveNameEnd(tables, index) - nameStart === name.length && text.startsWith(name, nameStart)) value = text.slice(valueStart, directiveValueEnd(tables, index));
  }
  return value;
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

// Offsets <-> line/character positions, and "what is at this offset" questions
// about a parsed document. Positions are 0-based and count UTF-16 code units, as
// in LSP; features convert spans with these only at the edge.

import { scanLines } from './scanner';
import { referenceView } from './references';
import type { Block, HttpDocument, Request, VariableReference } from './syntax';
import { Blk, forEachBlockRef, Ref } from './syntaxTables';

/** A 0-based line and character, shaped like an LSP `Position`. */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/** Offset of the first character of each line (`\n`, `\r\n` and `\r` end lines). */
export function lineStarts(text: string): Uint32Array {
  return scanLines(text).starts;
}

/** Index of the line containing `offset`, for line starts as in `HttpDocument.lineStarts`. */
export function lineAt(starts: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The position of `offset`, clamped to the document. */
export function offsetToPosition(document: HttpDocument, offset: number): LinePosition {
  const clamped = clamp(offset, 0, document.text.length);
  const line = lineAt(document.lineStarts, clamped);
  return { line, character: clamped - document.lineStarts[line] };
}

/** The offset of `position`; a line past the end clamps to the text's end, a character past the line's end to that end. */
export function positionToOffset(document: HttpDocument, position: LinePosition): number {
  const { lineStarts: starts, text } = document;
  if (position.line < 0) return 0;
  if (position.line >= starts.length) return text.length;
  const lineStart = starts[position.line];
  return clamp(lineStart + position.character, lineStart, contentEnd(document, position.line));
}

/** Where a line's content ends, before its line break. */
function contentEnd(document: HttpDocument, line: number): number {
  const { lineStarts: starts, text } = document;
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  if (end > starts[line] && text.charCodeAt(end - 1) === 0x0a) end--;
  if (end > starts[line] && text.charCodeAt(end - 1) === 0x0d) end--;
  return end;
}

/** The block containing `offset` (blocks cover the whole text; the end of the text belongs to the last), built alone if need be. */
export function blockAt(document: HttpDocument, offset: number): Block {
  return document.block(blockIndexAt(document, offset));
}

/** Index of the block containing `offset`, found in the parser's tables. */
export function blockIndexAt(document: HttpDocument, offset: number): number {
  const { blocks } = document.tables;
  let low = 0;
  let high = blocks.count - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (blocks.data[middle * Blk.size + Blk.start] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The request whose block contains `offset`, so a cursor anywhere between two `###` finds it. */
export function requestAt(document: HttpDocument, offset: number): Request | undefined {
  return blockAt(document, offset).request;
}

/** The request whose block contains the 0-based `line`. */
export function findRequestAtLine(document: HttpDocument, line: number): Request | undefined {
  if (line < 0 || line >= document.lineStarts.length) return undefined;
  return requestAt(document, document.lineStarts[line]);
}

/**
 * The reference under `offset`: from its `{{` up to, not including, the offset after
 * its `}}`. An unterminated one also matches at its end, where the user is typing.
 */
export function referenceAt(document: HttpDocument, offset: number): VariableReference | undefined {
  const { tables } = document;
  const refs = tables.refs.data;
  let found = -1;
  forEachBlockRef(tables, blockIndexAt(document, offset), (at) => {
    if (refs[at + Ref.start] > offset) return true;
    if (offset < refs[at + Ref.end] || (refs[at + Ref.terminated] !== 1 && offset === refs[at + Ref.end])) found = at;
    return found !== -1;
  });
  return found === -1 ? undefined : referenceOf(document, found);
}

/** Every reference in the document, in document order (each once: those multipart parts and GraphQL queries read again are left out). */
export function allReferences(document: HttpDocument): VariableReference[] {
  const references: VariableReference[] = [];
  for (let block = 0; block < document.tables.blocks.count; block++) {
    forEachBlockRef(document.tables, block, (at) => {
      references.push(referenceOf(document, at));
      return false;
    });
  }
  return references;
}

/** The reference whose fields start at `at` in the refs table, as an object. */
function referenceOf({ text, tables }: HttpDocument, at: number): VariableReference {
  const refs = tables.refs.data;
  return referenceView(refs, at, tables.targets, text.slice(refs[at + Ref.expressionStart], refs[at + Ref.expressionEnd]));
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

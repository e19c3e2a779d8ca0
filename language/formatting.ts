// Formatting: tidy request lines and headers, and space requests evenly. Bodies, handler
// scripts and pasted responses are sent or shown byte for byte, so they are never touched.

import { Range, TextEdit } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import type { Block, HttpDocument, Request } from './syntax';

/**
 * Edits that normalise `Name:value` to `Name: value`, trim trailing whitespace on request and
 * header lines, put one space between method, target and version, and leave exactly one blank
 * line before each `###`. Applying them twice changes nothing.
 */
export function formatDocument(context: FeatureContext): TextEdit[] {
  const { document } = context;
  const lines = new LineReader(document);
  const edits: TextEdit[] = [];
  const replace = (start: number, end: number, text: string): void => {
    if (document.text.slice(start, end) === text) return;
    edits.push(TextEdit.replace(Range.create(offsetToPosition(document, start), offsetToPosition(document, end)), text));
  };
  for (const [index, block] of document.blocks.entries()) {
    if (index > 0) spaceBeforeSeparator(document, lines, block, replace);
    if (block.request !== undefined) formatRequest(lines, block.request, replace);
  }
  return edits;
}

type Replace = (start: number, end: number, text: string) => void;

function formatRequest(lines: LineReader, request: Request, replace: Replace): void {
  const target = request.target;
  const firstLine = lines.lineOf(request.start);
  const lastLine = lines.lineOf(Math.max(request.start, request.requestLineEnd - 1));
  const single = firstLine === lastLine && target.continuedPieces.length === 0;
  if (single && target.text !== '') {
    const parts = [request.method?.text, target.text, request.httpVersion?.text].filter((part): part is string => part !== undefined);
    const start = lines.start(firstLine);
    const indent = /^[ \t]*/.exec(lines.text(firstLine))?.[0] ?? '';
    replace(start, lines.contentEnd(firstLine), indent + parts.join(' '));
  } else {
    for (let line = firstLine; line <= lastLine; line++) trimLine(lines, line, replace);
  }
  for (const header of request.headers) {
    const headerFirst = lines.lineOf(header.start);
    const headerLast = lines.lineOf(Math.max(header.start, header.end - 1));
    if (header.colon !== undefined && header.name.text !== '' && lines.lineOf(header.colon) === headerFirst) {
      const rest = lines.text(headerFirst).slice(header.colon + 1 - lines.start(headerFirst)).trim();
      replace(lines.start(headerFirst), lines.contentEnd(headerFirst), rest === '' ? `${header.name.text}:` : `${header.name.text}: ${rest}`);
    } else {
      trimLine(lines, headerFirst, replace);
    }
    for (let line = headerFirst + 1; line <= headerLast; line++) trimLine(lines, line, replace);
  }
}

function trimLine(lines: LineReader, line: number, replace: Replace): void {
  replace(lines.start(line), lines.contentEnd(line), lines.text(line).trimEnd());
}

/** Exactly one blank line between the previous block's last text and this block's `###`. */
function spaceBeforeSeparator(document: HttpDocument, lines: LineReader, block: Block, replace: Replace): void {
  if (block.separator === undefined) return;
  const separatorStart = block.separator.start;
  let lastText = separatorStart;
  while (lastText > 0 && /\s/.test(document.text[lastText - 1] ?? '')) lastText--;
  if (lastText === 0) return;
  const previousLine = lines.lineOf(lastText - 1);
  replace(lines.contentEnd(previousLine), separatorStart, lines.newline.repeat(2));
}

/** Line arithmetic over the document's line starts. */
class LineReader {
  readonly newline: string;

  constructor(private readonly document: HttpDocument) {
    this.newline = document.text.includes('\r\n') ? '\r\n' : '\n';
  }

  lineOf(offset: number): number {
    return offsetToPosition(this.document, offset).line;
  }

  start(line: number): number {
    return this.document.lineStarts[line] ?? this.document.text.length;
  }

  /** End of the line's text, before its line break. */
  contentEnd(line: number): number {
    const text = this.document.text;
    let end = this.document.lineStarts[line + 1] ?? text.length;
    if (end > this.start(line) && text[end - 1] === '\n') end--;
    if (end > this.start(line) && text[end - 1] === '\r') end--;
    return end;
  }

  text(line: number): string {
    return this.document.text.slice(this.start(line), this.contentEnd(line));
  }
}

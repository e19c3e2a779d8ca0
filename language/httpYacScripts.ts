// httpYac's script blocks: a line `{{` (or `{{+`, `{{@response`, `{{+after`, ...), JavaScript
// lines, then a line `}}`. The line break after `{{` is what tells a script from a `{{ name }}`
// reference. httpYac runs a block above the request line before the request, one below it once
// the response is in, and a block in a region without a request (a global script) once before
// the requests of each send; `+` registers a block for every request of the file, and `@event`
// hooks it into one step (`request`, `streaming`, `response`, `after`, `responseLogging`).
// The parser records the blocks in their own table (`ScriptBlk`); this module recognises their
// lines for it and reads the rows back as objects for the engine and the features.

import type { HttpDocument, Request, ScriptBlock, ScriptBlockEventName } from './syntax';
import { ScriptBlk, ScriptBlockEvent, scriptBlockEvents } from './syntaxTables';

/**
 * httpYac's start line: optional `@js `, then `+` or `@`, then an event name, and nothing else.
 * The pattern ignores case, as httpYac's does; only the event names as written below are events
 * (httpYac compares them exactly), so `{{@Response` is a plain script there and here.
 */
const startLine = /^\s*\{\{(?:@js\s+)?([+@])?(request|streaming|response|after|responseLogging)?\s*$/iu;

const eventCodes: Readonly<Record<string, number>> = {
  request: ScriptBlockEvent.request,
  streaming: ScriptBlockEvent.streaming,
  response: ScriptBlockEvent.response,
  after: ScriptBlockEvent.after,
  responseLogging: ScriptBlockEvent.responseLogging,
};

/** A recognised start line: its event code and whether it has the `+` modifier. */
export interface ScriptBlockStart {
  readonly event: number;
  readonly everyRequest: boolean;
}

/** Whether `text[first, lineEnd)` (from the line's first non-blank character) opens a script block, and how. */
export function scriptBlockStart(text: string, first: number, lineEnd: number): ScriptBlockStart | undefined {
  // Every line of a preamble and a body may be asked: two character tests before any regex.
  if (text.charCodeAt(first) !== OPEN_BRACE || text.charCodeAt(first + 1) !== OPEN_BRACE) return undefined;
  const match = startLine.exec(text.slice(first, lineEnd));
  if (match === null) return undefined;
  return { event: eventCodes[match[2] ?? ''] ?? ScriptBlockEvent.none, everyRequest: match[1] === '+' };
}

/** Whether the line `text[lineStart, lineEnd)` is `}}` alone (blanks around it allowed). */
export function isScriptBlockEnd(text: string, lineStart: number, lineEnd: number): boolean {
  let offset = lineStart;
  while (offset < lineEnd && isBlank(text.charCodeAt(offset))) offset++;
  if (text.charCodeAt(offset) !== CLOSE_BRACE || text.charCodeAt(offset + 1) !== CLOSE_BRACE) return false;
  offset += 2;
  while (offset < lineEnd && isBlank(text.charCodeAt(offset))) offset++;
  return offset >= lineEnd;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d;
}

/** Whether the document has any script block: the cheap question asked first. */
export function hasScriptBlocks(document: HttpDocument): boolean {
  return document.tables.scriptBlocks.count > 0;
}

/** Row `row` of the script block table as an object. */
export function scriptBlockAt(document: HttpDocument, row: number): ScriptBlock {
  const data = document.tables.scriptBlocks.data;
  const at = row * ScriptBlk.size;
  const contentStart = data[at + ScriptBlk.contentStart];
  const contentEnd = data[at + ScriptBlk.contentEnd];
  return {
    start: data[at + ScriptBlk.start],
    end: data[at + ScriptBlk.end],
    script: { start: contentStart, end: contentEnd, text: document.text.slice(contentStart, contentEnd) },
    event: scriptBlockEvents[data[at + ScriptBlk.event]],
    everyRequest: data[at + ScriptBlk.everyRequest] === 1,
    afterRequest: data[at + ScriptBlk.afterRequest] === 1,
    terminated: data[at + ScriptBlk.terminated] === 1,
  };
}

/** The rows of the script blocks inside `[start, end)`, as `[first, end)` row indexes. */
export function scriptBlockRowsIn(document: HttpDocument, start: number, end: number): { readonly first: number; readonly end: number } {
  const { data, count } = document.tables.scriptBlocks;
  let first = 0;
  while (first < count && data[first * ScriptBlk.size + ScriptBlk.start] < start) first++;
  let last = first;
  while (last < count && data[last * ScriptBlk.size + ScriptBlk.start] < end) last++;
  return { first, end: last };
}

/** The script blocks inside `[start, end)` (a block's span), in order. */
export function scriptBlocksIn(document: HttpDocument, start: number, end: number): ScriptBlock[] {
  const rows = scriptBlockRowsIn(document, start, end);
  const blocks: ScriptBlock[] = [];
  for (let row = rows.first; row < rows.end; row++) blocks.push(scriptBlockAt(document, row));
  return blocks;
}

/** A file's script blocks as httpYac registers them beyond their own request. */
export interface FileScriptBlocks {
  /** Blocks of regions without a request (global scripts): run once before the requests of each run. */
  readonly global: readonly ScriptBlock[];
  /** `{{+...` blocks anywhere, and `{{@event` blocks of regions without a request: for every request. */
  readonly everyRequest: readonly ScriptBlock[];
}

/** What of a file's script blocks applies beyond one request. */
export function fileScriptBlocks(document: HttpDocument): FileScriptBlocks {
  const global: ScriptBlock[] = [];
  const everyRequest: ScriptBlock[] = [];
  if (!hasScriptBlocks(document)) return { global, everyRequest };
  for (const block of document.blocks) {
    const scripts = scriptBlocksIn(document, block.start, block.end);
    if (scripts.length === 0) continue;
    // httpYac: a region is global when it has neither a request nor a name.
    const isGlobal = block.request === undefined && !block.directives.some((directive) => directive.name.text === 'name');
    for (const script of scripts) {
      if (script.everyRequest) everyRequest.push(script);
      // A global region's event hooks are merged into every request's; its `@after` ends the region's own run.
      else if (isGlobal && script.event !== '' && script.event !== 'after') everyRequest.push(script);
      else if (isGlobal) global.push(script);
    }
  }
  return { global, everyRequest };
}

/** The script blocks of the block holding `request`, in order (its own, `+` ones included). */
export function requestScriptBlocks(document: HttpDocument, request: Request): ScriptBlock[] {
  if (!hasScriptBlocks(document)) return [];
  const block = document.blocks.find((candidate) => candidate.request === request);
  return block === undefined ? [] : scriptBlocksIn(document, block.start, block.end);
}

/** Why Courier does not run a block with this event, or undefined when it does. */
export function unsupportedEventReason(event: ScriptBlockEventName): string | undefined {
  switch (event) {
    case 'request':
      return "'{{@request' scripts change the request after its variables are replaced, and Courier does not let a script change a prepared request: use a plain '{{' block above the request line and 'exports' to set what the request reads";
    case 'streaming':
      return "'{{@streaming' scripts send messages through httpYac's request client while a stream is open, which Courier does not have";
    case 'responseLogging':
      return "'{{@responseLogging' scripts change how httpYac prints a response, which Courier does not do";
    default:
      return undefined;
  }
}

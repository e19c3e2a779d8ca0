// Named questions about the parser's tables, for the features that read them (diagnostics, the
// outline, folding, CodeLens).
//
// The record layout (`index * Kind.size + Kind.field`) is known here, in the parser that writes
// the tables, in `syntaxTables.ts` and in `syntaxViews.ts`, and nowhere else: a feature asks
// "the first header of request 7" or "the value of header 12", by index. Each query is a few
// array reads, small enough for V8 to inline into the loops over 20,000 requests that call them.

import { equalsIgnoringCaseAt, sameNameIgnoringCase } from './scanner';
import type { HttpDocument, Span } from './syntax';
import { Assert, Blk, Dir, Handler, HandlerKind, HandlerPhase, Hdr, joinedText, MPart, Multi, Part, PartKind, Ref, Req, type ReadonlySyntaxTables, type SharedTarget, type TargetForm, Tpl, Var } from './syntaxTables';

// ---- Blocks -------------------------------------------------------------------

/** The index of block `block`'s request, or -1 when it has none. */
export function blockRequest(tables: ReadonlySyntaxTables, block: number): number {
  return tables.blocks.data[block * Blk.size + Blk.request];
}

/** Where block `block` starts: its separator, or the document's start. */
export function blockStart(tables: ReadonlySyntaxTables, block: number): number {
  return tables.blocks.data[block * Blk.size + Blk.start];
}

/** Where block `block` ends: at the next separator, or the document's end. */
export function blockEnd(tables: ReadonlySyntaxTables, block: number): number {
  return tables.blocks.data[block * Blk.size + Blk.end];
}

/** The index of block `block`'s first directive; it has `blockDirectiveCount` of them. */
export function blockFirstDirective(tables: ReadonlySyntaxTables, block: number): number {
  return tables.blocks.data[block * Blk.size + Blk.firstDirective];
}

export function blockDirectiveCount(tables: ReadonlySyntaxTables, block: number): number {
  return tables.blocks.data[block * Blk.size + Blk.directiveCount];
}

// ---- Directives and variables -------------------------------------------------

/** Where directive `directive`'s name (after the `@`) is. */
export function directiveNameStart(tables: ReadonlySyntaxTables, directive: number): number {
  return tables.directives.data[directive * Dir.size + Dir.nameStart];
}

export function directiveNameEnd(tables: ReadonlySyntaxTables, directive: number): number {
  return tables.directives.data[directive * Dir.size + Dir.nameEnd];
}

/** Where directive `directive`'s value is, -1 when it has none. */
export function directiveValueStart(tables: ReadonlySyntaxTables, directive: number): number {
  return tables.directives.data[directive * Dir.size + Dir.valueStart];
}

export function directiveValueEnd(tables: ReadonlySyntaxTables, directive: number): number {
  return tables.directives.data[directive * Dir.size + Dir.valueEnd];
}

/** Where file variable `variable` starts: its `@`. */
export function variableStart(tables: ReadonlySyntaxTables, variable: number): number {
  return tables.variables.data[variable * Var.size + Var.start];
}

/** Where file variable `variable`'s name (after the `@`) is. */
export function variableNameStart(tables: ReadonlySyntaxTables, variable: number): number {
  return tables.variables.data[variable * Var.size + Var.nameStart];
}

export function variableNameEnd(tables: ReadonlySyntaxTables, variable: number): number {
  return tables.variables.data[variable * Var.size + Var.nameEnd];
}

/** The name of file variable `variable` (`@name = value`). */
export function variableName({ text, tables }: HttpDocument, variable: number): string {
  const at = variable * Var.size;
  return text.slice(tables.variables.data[at + Var.nameStart], tables.variables.data[at + Var.nameEnd]);
}

/** The value of file variable `variable` as written (references not expanded). */
export function variableValue({ text, tables }: HttpDocument, variable: number): string {
  const template = tables.variables.data[variable * Var.size + Var.value];
  return text.slice(templateStart(tables, template), templateEnd(tables, template));
}

// ---- Requests ------------------------------------------------------------------

/** Where request `request`'s name (`# @name` value or separator title) is, -1 when it has none. */
export function requestNameStart(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.nameStart];
}

export function requestNameEnd(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.nameEnd];
}

/** The name of request `request` (`# @name` or the separator's title), or undefined. */
export function requestName({ text, tables }: HttpDocument, request: number): string | undefined {
  const at = request * Req.size;
  const start = tables.requests.data[at + Req.nameStart];
  return start === -1 ? undefined : text.slice(start, tables.requests.data[at + Req.nameEnd]);
}

/** Where request `request` starts: its request line. */
export function requestStart(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.start];
}

/** Where request `request`'s request line ends (its continuation lines included). */
export function requestLineEnd(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.requestLineEnd];
}

/** Where request `request`'s method is written, or -1 when the line has none. */
export function requestMethodStart(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.methodStart];
}

export function requestMethodEnd(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.methodEnd];
}

/** The first template of request `request`'s target; it has `requestTargetCount` (one per line). */
export function requestFirstTarget(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.firstTarget];
}

export function requestTargetCount(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.targetCount];
}

/** The form of request `request`'s target as written (`TargetForm`). */
export function requestTargetForm(tables: ReadonlySyntaxTables, request: number): TargetForm {
  return tables.requests.data[request * Req.size + Req.form] as TargetForm;
}

/** Where request `request`'s target is written: from its first line's start to its last line's end. */
export function requestTargetSpan(tables: ReadonlySyntaxTables, request: number): Span {
  const first = requestFirstTarget(tables, request);
  return { start: templateStart(tables, first), end: templateEnd(tables, first + requestTargetCount(tables, request) - 1) };
}

/** The index of request `request`'s first header; it has `requestHeaderCount`. */
export function requestFirstHeader(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.firstHeader];
}

export function requestHeaderCount(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.headerCount];
}

/** Where request `request`'s body starts, or -1 when it has none. */
export function requestBodyStart(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.bodyStart];
}

export function requestBodyEnd(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.bodyEnd];
}

/** Whether request `request`'s body was read as multipart parts. */
export function requestHasMultipart(tables: ReadonlySyntaxTables, request: number): boolean {
  return tables.requests.data[request * Req.size + Req.multipart] !== -1;
}

/** Whether request `request`'s body was read as a GraphQL query. */
export function requestHasGraphql(tables: ReadonlySyntaxTables, request: number): boolean {
  return tables.requests.data[request * Req.size + Req.graphql] !== -1;
}

/** The template of request `request`'s body when it is one piece of inline text (no file parts), or -1. */
export function requestSingleTextBody(tables: ReadonlySyntaxTables, request: number): number {
  const at = request * Req.size;
  if (tables.requests.data[at + Req.partCount] !== 1) return -1;
  const part = tables.requests.data[at + Req.firstPart] * Part.size;
  return tables.parts.data[part + Part.kind] === PartKind.text ? tables.parts.data[part + Part.template] : -1;
}

/**
 * The templates of request `request`'s inline text body parts, written to `out` from index 0;
 * returns how many (`out` is the caller's to reuse).
 */
export function requestTextParts(tables: ReadonlySyntaxTables, request: number, out: number[]): number {
  const at = request * Req.size;
  const first = tables.requests.data[at + Req.firstPart];
  let written = 0;
  for (let index = first; index < first + tables.requests.data[at + Req.partCount]; index++) {
    if (tables.parts.data[index * Part.size + Part.kind] === PartKind.text) out[written++] = tables.parts.data[index * Part.size + Part.template];
  }
  return written;
}

/** What a file named by a request is (see `requestNamedFiles`). */
export const NamedFile = {
  /** A `< path` of the body or of a multipart part. */
  body: 0,
  /** A `< path` whose path holds references: known only when sent. */
  bodyWithReferences: 1,
  /** A `> path.js` response handler. */
  handler: 2,
  /** A `< path.js` pre-request script (above the request line). */
  preRequestScript: 3,
} as const;

/**
 * The files request `request` names: the `< path` parts of its body and of its multipart parts,
 * then its `< path.js` pre-request scripts and `> path.js` handlers, each as `start, end, kind` (a `NamedFile`) in `out`, from index
 * 0; returns how many numbers it wrote (`out` is the caller's to reuse).
 */
export function requestNamedFiles(tables: ReadonlySyntaxTables, request: number, out: number[]): number {
  const at = request * Req.size;
  const requests = tables.requests.data;
  let written = filePartsInto(tables, requests[at + Req.firstPart], requests[at + Req.partCount], out, 0);
  const multipart = requests[at + Req.multipart];
  if (multipart !== -1) {
    const firstPart = tables.multiparts.data[multipart * Multi.size + Multi.firstPart];
    const parts = tables.multipartParts.data;
    for (let index = firstPart; index < firstPart + tables.multiparts.data[multipart * Multi.size + Multi.partCount]; index++) {
      written = filePartsInto(tables, parts[index * MPart.size + MPart.firstPart], parts[index * MPart.size + MPart.partCount], out, written);
    }
  }
  const handlers = tables.handlers.data;
  const firstHandler = requests[at + Req.firstHandler];
  for (let index = firstHandler; index < firstHandler + requests[at + Req.handlerCount]; index++) {
    const handler = index * Handler.size;
    if (handlers[handler + Handler.kind] !== HandlerKind.file) continue;
    out[written++] = handlers[handler + Handler.contentStart];
    out[written++] = handlers[handler + Handler.contentEnd];
    out[written++] = handlers[handler + Handler.phase] === HandlerPhase.preRequest ? NamedFile.preRequestScript : NamedFile.handler;
  }
  return written;
}

function filePartsInto(tables: ReadonlySyntaxTables, first: number, count: number, out: number[], written: number): number {
  const parts = tables.parts.data;
  for (let index = first; index < first + count; index++) {
    if (parts[index * Part.size + Part.kind] !== PartKind.file) continue;
    const template = parts[index * Part.size + Part.template];
    out[written++] = templateStart(tables, template);
    out[written++] = templateEnd(tables, template);
    out[written++] = templateRefCount(tables, template) > 0 ? NamedFile.bodyWithReferences : NamedFile.body;
  }
  return written;
}

/**
 * Where request `request`'s `< {% script %}` and `> {% script %}` scripts are, written to `out` from index 0 as
 * `start, end` pairs; returns how many numbers it wrote (`out` is the caller's to reuse).
 */
export function requestScriptHandlers(tables: ReadonlySyntaxTables, request: number, out: number[]): number {
  const at = request * Req.size;
  const first = tables.requests.data[at + Req.firstHandler];
  const handlers = tables.handlers.data;
  let written = 0;
  for (let index = first; index < first + tables.requests.data[at + Req.handlerCount]; index++) {
    const handler = index * Handler.size;
    if (handlers[handler + Handler.kind] !== HandlerKind.script) continue;
    out[written++] = handlers[handler + Handler.start];
    out[written++] = handlers[handler + Handler.end];
  }
  return written;
}

// ---- Scripts and assertions -------------------------------------------------

/** Whether handler `handler` (a row of both phases) is inline, `{% ... %}`, rather than a file. */
export function handlerIsScript(tables: ReadonlySyntaxTables, handler: number): boolean {
  return tables.handlers.data[handler * Handler.size + Handler.kind] === HandlerKind.script;
}

/** Whether handler `handler` runs before its request (`<`) rather than on its response (`>`). */
export function handlerIsPreRequest(tables: ReadonlySyntaxTables, handler: number): boolean {
  return tables.handlers.data[handler * Handler.size + Handler.phase] === HandlerPhase.preRequest;
}

/** Whether handler `handler`'s script has its `%}` (the parser reports one that does not). */
export function handlerTerminated(tables: ReadonlySyntaxTables, handler: number): boolean {
  return tables.handlers.data[handler * Handler.size + Handler.terminated] === 1;
}

/** Where handler `handler`'s script (between `{%` and `%}`) or path starts. */
export function handlerContentStart(tables: ReadonlySyntaxTables, handler: number): number {
  return tables.handlers.data[handler * Handler.size + Handler.contentStart];
}

export function handlerContentEnd(tables: ReadonlySyntaxTables, handler: number): number {
  return tables.handlers.data[handler * Handler.size + Handler.contentEnd];
}

/** The index of request `request`'s first handler row (pre-request scripts, then handlers); it has `requestHandlerCount`. */
export function requestFirstHandler(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.firstHandler];
}

export function requestHandlerCount(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.handlerCount];
}

/** The index of request `request`'s first `??` line; it has `requestAssertionCount`. */
export function requestFirstAssertion(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.firstAssertion];
}

export function requestAssertionCount(tables: ReadonlySyntaxTables, request: number): number {
  return tables.requests.data[request * Req.size + Req.assertionCount];
}

/** Where `??` line `assertion` starts (its `??`). */
export function assertionStart(tables: ReadonlySyntaxTables, assertion: number): number {
  return tables.assertions.data[assertion * Assert.size + Assert.start];
}

/** Where `??` line `assertion` ends (its trimmed end). */
export function assertionEnd(tables: ReadonlySyntaxTables, assertion: number): number {
  return tables.assertions.data[assertion * Assert.size + Assert.end];
}

/** Whether a body part, a multipart part or a handler of the tables names a file. */
export function namesAnyFile(tables: ReadonlySyntaxTables): boolean {
  for (let index = 0; index < tables.parts.count; index++) if (tables.parts.data[index * Part.size + Part.kind] === PartKind.file) return true;
  for (let index = 0; index < tables.handlers.count; index++) if (tables.handlers.data[index * Handler.size + Handler.kind] === HandlerKind.file) return true;
  return false;
}

// ---- Headers -------------------------------------------------------------------

/** Whether header `header` has its colon (a line without one is a problem of its own, not a header to check). */
export function headerHasColon(tables: ReadonlySyntaxTables, header: number): boolean {
  return tables.headers.data[header * Hdr.size + Hdr.colon] !== -1;
}

export function headerNameStart(tables: ReadonlySyntaxTables, header: number): number {
  return tables.headers.data[header * Hdr.size + Hdr.nameStart];
}

export function headerNameEnd(tables: ReadonlySyntaxTables, header: number): number {
  return tables.headers.data[header * Hdr.size + Hdr.nameEnd];
}

/** Where header `header` is: from its name to its last value line's end. */
export function headerSpan(tables: ReadonlySyntaxTables, header: number): Span {
  return { start: tables.headers.data[header * Hdr.size + Hdr.start], end: tables.headers.data[header * Hdr.size + Hdr.end] };
}

/** Whether header `header` (with a colon) is named `lowerName`, ignoring case. */
export function headerIsNamed({ text, tables }: HttpDocument, header: number, lowerName: string): boolean {
  const at = header * Hdr.size;
  const data = tables.headers.data;
  return data[at + Hdr.colon] !== -1 && equalsIgnoringCaseAt(text, data[at + Hdr.nameStart], data[at + Hdr.nameEnd], lowerName);
}

/** The first header in `[first, before)` (with a colon) whose name is `text[nameStart, nameEnd)`, ignoring case; -1 if none. */
export function firstHeaderNamedLike({ text, tables }: HttpDocument, first: number, before: number, nameStart: number, nameEnd: number): number {
  const headers = tables.headers.data;
  for (let index = first; index < before; index++) {
    const header = index * Hdr.size;
    if (headers[header + Hdr.colon] !== -1 && sameNameIgnoringCase(text, headers[header + Hdr.nameStart], headers[header + Hdr.nameEnd], nameStart, nameEnd)) return index;
  }
  return -1;
}

/** The first header of request `request` (with a colon) named `lowerName`, ignoring case; -1 if none. */
export function findHeader(document: HttpDocument, request: number, lowerName: string): number {
  const first = requestFirstHeader(document.tables, request);
  const end = first + requestHeaderCount(document.tables, request);
  for (let index = first; index < end; index++) if (headerIsNamed(document, index, lowerName)) return index;
  return -1;
}

/** The value of header `header`: its lines joined by one space. */
export function headerValue({ text, tables }: HttpDocument, header: number): string {
  const at = header * Hdr.size;
  return joinedText(text, tables.templates.data, tables.headers.data[at + Hdr.firstValue], tables.headers.data[at + Hdr.valueCount], ' ');
}

/** The first template of header `header`'s value; it has `headerValueCount` (the line, then continuation lines). */
export function headerFirstValue(tables: ReadonlySyntaxTables, header: number): number {
  return tables.headers.data[header * Hdr.size + Hdr.firstValue];
}

export function headerValueCount(tables: ReadonlySyntaxTables, header: number): number {
  return tables.headers.data[header * Hdr.size + Hdr.valueCount];
}

/** Where the value of header `header` is: from its first non-empty line to its last line's end. */
export function headerValueSpan(tables: ReadonlySyntaxTables, header: number): Span {
  const first = headerFirstValue(tables, header);
  const last = first + headerValueCount(tables, header) - 1;
  const firstStart = templateStart(tables, first);
  const firstEmpty = templateEnd(tables, first) === firstStart;
  return { start: firstEmpty && last > first ? templateStart(tables, first + 1) : firstStart, end: templateEnd(tables, last) };
}

// ---- Templates and references ---------------------------------------------------

export function templateStart(tables: ReadonlySyntaxTables, template: number): number {
  return tables.templates.data[template * Tpl.size + Tpl.start];
}

export function templateEnd(tables: ReadonlySyntaxTables, template: number): number {
  return tables.templates.data[template * Tpl.size + Tpl.end];
}

/** The index of template `template`'s first reference; it has `templateRefCount`, contiguous. */
export function templateFirstRef(tables: ReadonlySyntaxTables, template: number): number {
  return tables.templates.data[template * Tpl.size + Tpl.firstRef];
}

export function templateRefCount(tables: ReadonlySyntaxTables, template: number): number {
  return tables.templates.data[template * Tpl.size + Tpl.refCount];
}

/** References in the `count` templates from `first`. */
export function referenceCount(tables: ReadonlySyntaxTables, first: number, count: number): number {
  let references = 0;
  for (let template = first; template < first + count; template++) references += templateRefCount(tables, template);
  return references;
}

/** Where reference `ref`'s `{{` is. */
export function refStart(tables: ReadonlySyntaxTables, ref: number): number {
  return tables.refs.data[ref * Ref.size + Ref.start];
}

/** Where reference `ref` ends: after its `}}`, or at its line's end when unterminated. */
export function refEnd(tables: ReadonlySyntaxTables, ref: number): number {
  return tables.refs.data[ref * Ref.size + Ref.end];
}

/** Where the trimmed text between reference `ref`'s braces is. */
export function refExpressionStart(tables: ReadonlySyntaxTables, ref: number): number {
  return tables.refs.data[ref * Ref.size + Ref.expressionStart];
}

export function refExpressionEnd(tables: ReadonlySyntaxTables, ref: number): number {
  return tables.refs.data[ref * Ref.size + Ref.expressionEnd];
}

/** Whether reference `ref` is closed by `}}` on its line. */
export function refTerminated(tables: ReadonlySyntaxTables, ref: number): boolean {
  return tables.refs.data[ref * Ref.size + Ref.terminated] === 1;
}

/** The index in `tables.targets` of what reference `ref` names (shared by every reference with the same expression). */
export function refTargetIndex(tables: ReadonlySyntaxTables, ref: number): number {
  return tables.refs.data[ref * Ref.size + Ref.target];
}

/** What reference `ref` names. */
export function refTarget(tables: ReadonlySyntaxTables, ref: number): SharedTarget {
  return tables.targets[tables.refs.data[ref * Ref.size + Ref.target]];
}

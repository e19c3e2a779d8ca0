// The parser's output: the syntax tree in typed arrays, one table per kind of node.
//
// A large document holds hundreds of thousands of nodes, and as JavaScript objects they cost
// more to allocate and to collect than the parse itself costs to scan the text. Here each node
// is a fixed-size record of offsets and indexes in one `Int32Array` per kind, so a parse
// allocates a few arrays, whatever the document's size. Diagnostics read these tables
// directly; the other features read the object tree of `syntax.ts`, which `syntaxViews.ts`
// builds from them when first asked for. Texts are never stored: they are the document's text
// between a record's offsets. A record refers to its children by index ranges
// (`first`, `count`) into their tables, where each parent's children are contiguous.
//
// Absent offsets and indexes are -1.

import type { HttpDocument, ReferenceTarget } from './syntax';

/** Records of one kind: `stride` numbers each, record `i` at `data[i * stride]`. */
export class Table {
  data: Int32Array;
  count = 0;

  constructor(
    readonly stride: number,
    capacity: number,
  ) {
    this.data = new Int32Array(stride * capacity);
  }

  /** Appends a record and returns where its fields start in `data` (which may be a new array: read it after). */
  add(): number {
    const at = this.count * this.stride;
    if (at + this.stride > this.data.length) this.grow();
    this.count++;
    return at;
  }

  private grow(): void {
    const grown = new Int32Array(this.data.length * 2);
    grown.set(this.data);
    this.data = grown;
  }
}

/** `{{ expression }}`: the span covers the braces; `target` indexes `SyntaxTables.targets`. */
export const enum Ref {
  start,
  end,
  expressionStart,
  expressionEnd,
  /** 1 when closed by `}}` on its line. */
  terminated,
  target,
  size,
}

/** A piece of text that may hold references: one line of a value, or a body's lines. */
export const enum Tpl {
  start,
  end,
  firstRef,
  refCount,
  size,
}

export const enum Cmt {
  /** The `#` or `//`. */
  start,
  end,
  textStart,
  size,
}

export const enum Dir {
  start,
  end,
  nameStart,
  nameEnd,
  valueStart,
  valueEnd,
  size,
}

export const enum Var {
  start,
  end,
  nameStart,
  nameEnd,
  value,
  size,
}

/** A header; its value is `valueCount` templates (the line, then indented continuation lines), joined by one space. */
export const enum Hdr {
  start,
  end,
  nameStart,
  nameEnd,
  colon,
  firstValue,
  valueCount,
  size,
}

/** Kinds and forms are plain numbers, as the tables hold them. */
export const PartKind = { text: 0, file: 1 } as const;

/** A body part: inline text (`kind` text) or `< path` / `<@ path` (`kind` file, `substitute` 1 for `<@`). */
export const enum Part {
  kind,
  start,
  end,
  template,
  substitute,
  size,
}

export const HandlerKind = { script: 0, file: 1 } as const;

/** `> {% script %}` (`content` is the script) or `> path.js` (`content` is the path). */
export const enum Hdl {
  kind,
  start,
  end,
  contentStart,
  contentEnd,
  terminated,
  size,
}

export const enum RRef {
  start,
  end,
  pathStart,
  pathEnd,
  size,
}

/** One part of a multipart body: its headers and its content parts. */
export const enum MPart {
  start,
  end,
  firstHeader,
  headerCount,
  firstPart,
  partCount,
  size,
}

/** `boundary` indexes `SyntaxTables.strings`. */
export const enum Multi {
  boundary,
  closed,
  firstPart,
  partCount,
  size,
}

/** `query` and `variables` are templates; `operationName` indexes `SyntaxTables.strings`. */
export const enum Gql {
  query,
  variables,
  operationName,
  size,
}

/** Indexes in `targetForms`. */
export const TargetForm = { absolute: 0, origin: 1, asterisk: 2, other: 3 } as const;
export type TargetForm = (typeof TargetForm)[keyof typeof TargetForm];

export const targetForms = ['absolute', 'origin', 'asterisk', 'other'] as const;

/**
 * A request. Its target is `targetCount` templates joined with nothing (one unless indented
 * lines continue it); its directives are its block's; `name` is the `# @name` value or the
 * separator's title.
 */
export const enum Req {
  start,
  end,
  requestLineEnd,
  methodStart,
  methodEnd,
  versionStart,
  versionEnd,
  firstTarget,
  targetCount,
  form,
  firstHeader,
  headerCount,
  /** Body parts; `bodyStart` is -1 when there is no body. */
  firstPart,
  partCount,
  bodyStart,
  bodyEnd,
  multipart,
  graphql,
  firstHandler,
  handlerCount,
  redirectStart,
  redirectEnd,
  redirectPath,
  redirectOverwrite,
  firstResponseRef,
  responseRefCount,
  nameStart,
  nameEnd,
  size,
}

export const enum Blk {
  start,
  end,
  separatorStart,
  separatorEnd,
  titleStart,
  titleEnd,
  firstComment,
  commentCount,
  firstDirective,
  directiveCount,
  firstVariable,
  variableCount,
  request,
  pastedStart,
  pastedEnd,
  size,
}

/** Every table of one parse. */
export class SyntaxTables {
  /**
   * Keeps the hidden classes of these tables (and of `Table`) alive from one parse to the next,
   * as `DocumentParser.shapeKeeper` does for the parser: otherwise a full GC between two parses
   * frees them and V8 throws away all optimised code that reads the tables (the parser's and
   * diagnostics' hot functions were compiled anew on every pass of diagnostics.bench).
   */
  static readonly shapeKeeper: SyntaxTables = new SyntaxTables(0);

  readonly refs: Table;
  readonly templates: Table;
  readonly comments = new Table(Cmt.size, 8);
  readonly directives: Table;
  readonly variables = new Table(Var.size, 8);
  readonly headers: Table;
  readonly parts = new Table(Part.size, 16);
  readonly handlers = new Table(Hdl.size, 8);
  readonly responseRefs = new Table(RRef.size, 4);
  readonly multipartParts = new Table(MPart.size, 4);
  readonly multiparts = new Table(Multi.size, 4);
  readonly graphqls = new Table(Gql.size, 4);
  readonly requests: Table;
  readonly blocks: Table;
  /**
   * What each distinct reference expression names, in order of first use. A request reference's
   * `requestNameSpan` is where its own expression starts, so views make that object per reference.
   */
  readonly targets: ReferenceTarget[] = [];
  /** Multipart boundaries and GraphQL operation names. */
  readonly strings: string[] = [];

  /**
   * Tables sized for `textLength` characters of a typical document (a request every 180
   * characters, with two headers and two or three references), so a large parse seldom grows them.
   */
  constructor(textLength: number) {
    const blocks = Math.max(8, Math.ceil(textLength / 160));
    this.blocks = new Table(Blk.size, blocks);
    this.requests = new Table(Req.size, blocks);
    this.directives = new Table(Dir.size, blocks);
    this.headers = new Table(Hdr.size, blocks * 2);
    this.templates = new Table(Tpl.size, blocks * 4);
    this.refs = new Table(Ref.size, blocks * 3);
  }
}

/**
 * The text of the `count` templates from `first`, joined by `separator`: `' '` for a header
 * value (whose empty first line, `Name:` alone, is left out), `''` for a target.
 */
export function joinedText(text: string, templates: Int32Array, first: number, count: number, separator: string): string {
  let joined = text.slice(templates[first * Tpl.size + Tpl.start], templates[first * Tpl.size + Tpl.end]);
  for (let index = first + 1; index < first + count; index++) {
    const piece = text.slice(templates[index * Tpl.size + Tpl.start], templates[index * Tpl.size + Tpl.end]);
    joined = joined === '' && separator !== '' ? piece : joined + separator + piece;
  }
  return joined;
}

/** The method of the request whose record is at `request`, as the engine sends it: as written, or `GET`. */
export function methodNameAt({ text, tables }: HttpDocument, request: number): string {
  const start = tables.requests.data[request + Req.methodStart];
  return start === -1 ? 'GET' : text.slice(start, tables.requests.data[request + Req.methodEnd]);
}

/** The target of the request whose record is at `request`, its lines joined. */
export function targetTextAt({ text, tables }: HttpDocument, request: number): string {
  const requests = tables.requests.data;
  return joinedText(text, tables.templates.data, requests[request + Req.firstTarget], requests[request + Req.targetCount], '');
}

/**
 * The templates whose references are block `block`'s own, written to `out` from index 0 as
 * `first, count` pairs in document order: variables' values, the target's lines, each header
 * value's lines, the body's parts and the output redirect (as `forEachBlockReference` in
 * positions.ts walks the objects). Multipart parts and GraphQL queries re-read the body's text,
 * so their templates are left out: each reference comes once. Returns how many numbers it wrote;
 * `out` is the caller's to reuse, so a walk over every block allocates nothing.
 */
export function blockTemplates(tables: SyntaxTables, block: number, out: number[]): number {
  const blocks = tables.blocks.data;
  const at = block * Blk.size;
  let written = 0;
  const variables = tables.variables.data;
  const firstVariable = blocks[at + Blk.firstVariable];
  for (let index = firstVariable; index < firstVariable + blocks[at + Blk.variableCount]; index++) {
    out[written++] = variables[index * Var.size + Var.value];
    out[written++] = 1;
  }
  const request = blocks[at + Blk.request];
  if (request === -1) return written;
  const requests = tables.requests.data;
  const req = request * Req.size;
  out[written++] = requests[req + Req.firstTarget];
  out[written++] = requests[req + Req.targetCount];
  const headers = tables.headers.data;
  const firstHeader = requests[req + Req.firstHeader];
  for (let index = firstHeader; index < firstHeader + requests[req + Req.headerCount]; index++) {
    out[written++] = headers[index * Hdr.size + Hdr.firstValue];
    out[written++] = headers[index * Hdr.size + Hdr.valueCount];
  }
  const parts = tables.parts.data;
  const firstPart = requests[req + Req.firstPart];
  for (let index = firstPart; index < firstPart + requests[req + Req.partCount]; index++) {
    out[written++] = parts[index * Part.size + Part.template];
    out[written++] = 1;
  }
  const redirect = requests[req + Req.redirectPath];
  if (redirect !== -1) {
    out[written++] = redirect;
    out[written++] = 1;
  }
  return written;
}

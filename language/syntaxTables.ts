// The parser's output: the syntax tree in typed arrays, one table per kind of node.
//
// A large document holds hundreds of thousands of nodes, and as JavaScript objects they cost
// more to allocate and to collect than the parse itself costs to scan the text. Here each node
// is a fixed-size record of offsets and indexes in one `Int32Array` per kind, so a parse
// allocates a few arrays, whatever the document's size. Diagnostics, the outline, folding,
// CodeLens and the name lookups of `documentNames.ts` read these tables; the other features
// read the object tree of `syntax.ts`, which `syntaxViews.ts` builds from them when asked for.
// Node texts are not copied: they are the document's text between a record's offsets (only
// what each distinct reference names, multipart boundaries and GraphQL operation names are
// kept as strings). A record refers to its children by index ranges (`first`, `count`) into
// their tables, where each parent's children are contiguous.
//
// Records are referred to by index; `record * Kind.size` is where a record's fields start in its
// table's `data` (code that reads many fields keeps that offset, and names it `at` or after the kind).
// Absent offsets and indexes are -1.

import { forEachRefIn, requestTemplates } from './requestTemplates';
import type { HttpDocument, ReferenceTarget } from './syntax';

/** What a reader may see of a table: records of `stride` numbers, record `i` at `data[i * stride]`. */
export interface ReadonlyTable {
  readonly data: ArrayLike<number>;
  /** How many records there are (`data` may have room for more). */
  readonly count: number;
  readonly stride: number;
}

/** The data of every empty table after `trim`: a table never writes into it, as it grows before its first record. */
const noRecords = new Int32Array(0);

/** Records of one kind, as the parser writes them. */
export class Table implements ReadonlyTable {
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

  /**
   * Gives back the room no record uses when it is worth a copy: all of a small table's, and a
   * large one's when it is over half empty (copying a large file's tables cost 5 ms a parse for
   * a third of their size). An empty table shares one empty array.
   */
  trim(): void {
    const used = this.count * this.stride;
    if (used === this.data.length || (this.data.length > 1024 && used * 2 > this.data.length)) return;
    this.data = used === 0 ? noRecords : this.data.slice(0, used);
  }

  private grow(): void {
    const grown = new Int32Array(Math.max(this.stride, this.data.length * 2));
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

/** `# text`, `// text` or httpYac's block comment `/* text *\/` (over lines): a `Comment`; `start` is the `#`, `//` or `/*`. */
export const enum Cmt {
  start,
  end,
  textStart,
  /** Where the text ends: `end`, or before the closing star-slash of a block comment. */
  textEnd,
  size,
}

/** `# @name value`: a `Directive`; the value's offsets are -1 when there is none. */
export const enum Dir {
  start,
  end,
  nameStart,
  nameEnd,
  valueStart,
  valueEnd,
  size,
}

/** `@name = value`: a `VariableDefinition`; `value` is a template. */
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

/** When a script runs: `>` after the response, `<` (above the request line) before the request is prepared. */
export const HandlerPhase = { response: 0, preRequest: 1 } as const;

/**
 * `> {% script %}` / `< {% script %}` (`content` is the script) or `> path.js` / `< path.js`
 * (`content` is the path). A request's rows hold its pre-request scripts first, then its handlers.
 */
export const enum Handler {
  kind,
  phase,
  start,
  end,
  contentStart,
  contentEnd,
  terminated,
  size,
}

/** `?? target operator expected`: an httpYac assertion line, from `??` to the line's trimmed end (language/assertions.ts reads it). */
export const enum Assert {
  start,
  end,
  size,
}

/**
 * An httpYac script block: a line `{{` (with an optional `+` or `@event`), script lines, a line
 * `}}`. `content` is the script lines; `event` is a `ScriptBlockEvent`; `afterRequest` is 1 when
 * the block follows the request line of its block; `terminated` 0 when no `}}` line closes it.
 * Rows are in document order; a block's rows are those inside its span.
 */
export const enum ScriptBlk {
  start,
  end,
  contentStart,
  contentEnd,
  event,
  everyRequest,
  afterRequest,
  terminated,
  size,
}

/** `{{@event`: indexes in `scriptBlockEvents` (`none` for a plain `{{` or `{{+`). */
export const ScriptBlockEvent = { none: 0, request: 1, streaming: 2, response: 3, after: 4, responseLogging: 5 } as const;

export const scriptBlockEvents = ['', 'request', 'streaming', 'response', 'after', 'responseLogging'] as const;

/** Which composition line a `Comp` row is (JetBrains): `import PATH`, `run #NAME`, `run PATH`. */
export const enum CompKind {
  importFile,
  runRequest,
  runFile,
}

/**
 * A JetBrains composition line, `import ./other.http` or `run #Name (@a=1, @b=2)` / `run ./other.http`:
 * `target` is the path or the name (without `#`), `args` the text inside the parentheses (-1s: none).
 */
export const enum Comp {
  kind,
  start,
  end,
  targetStart,
  targetEnd,
  argsStart,
  argsEnd,
  size,
}

/** `<> path`: a `ResponseReference`. */
export const enum ResponseRef {
  start,
  end,
  pathStart,
  pathEnd,
  size,
}

/** One part of a multipart body (a `MultipartPart`): its headers and its content parts. */
export const enum MPart {
  start,
  end,
  firstHeader,
  headerCount,
  firstPart,
  partCount,
  size,
}

/** A multipart body (`MultipartBody`); `boundary` indexes `SyntaxTables.strings`. */
export const enum Multi {
  boundary,
  closed,
  firstPart,
  partCount,
  size,
}

/** A GraphQL body (`GraphqlBody`): `query` and `variables` are templates; `operationName` indexes `SyntaxTables.strings`. */
export const enum Graphql {
  query,
  variables,
  operationName,
  /** The fragments sent with the query: `fragmentUseCount` entries of `fragmentUses` from `firstFragmentUse`. */
  firstFragmentUse,
  fragmentUseCount,
  size,
}

/** httpYac's `fragment Name on Type { ... }` above a request line: its lines to the first blank one; `template` is that text. */
export const enum Frag {
  start,
  end,
  nameStart,
  nameEnd,
  template,
  size,
}

/** One fragment a GraphQL body sends (`Graphql.firstFragmentUse`): the index of a `Frag` record. */
export const enum FragUse {
  fragment,
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
  /** Pre-request scripts and response handlers, in that order (`Handler.phase` tells them apart). */
  firstHandler,
  handlerCount,
  firstAssertion,
  assertionCount,
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

/** The text from one `###` to the next: a `Block`. `request` is an index, -1 when the block has none. */
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

/**
 * What a reference names, shared by every reference with the same expression: a request
 * reference's `requestNameSpan` is that of one reference only, so it is left out here and made
 * per reference from its `Ref.expressionStart` (see `referenceView`).
 */
export type SharedTarget = Exclude<ReferenceTarget, { kind: 'request' }> | Omit<Extract<ReferenceTarget, { kind: 'request' }>, 'requestNameSpan'>;

/** Every table of one parse, as features see them: to read. */
export interface ReadonlySyntaxTables {
  readonly refs: ReadonlyTable;
  readonly templates: ReadonlyTable;
  readonly comments: ReadonlyTable;
  readonly directives: ReadonlyTable;
  readonly variables: ReadonlyTable;
  readonly headers: ReadonlyTable;
  readonly parts: ReadonlyTable;
  readonly handlers: ReadonlyTable;
  /** httpYac `{{` ... `}}` script blocks, in document order. */
  readonly scriptBlocks: ReadonlyTable;
  readonly assertions: ReadonlyTable;
  readonly responseRefs: ReadonlyTable;
  /** `import` and `run` lines, in document order. */
  readonly compositions: ReadonlyTable;
  readonly multipartParts: ReadonlyTable;
  readonly multiparts: ReadonlyTable;
  readonly graphqls: ReadonlyTable;
  readonly fragments: ReadonlyTable;
  readonly fragmentUses: ReadonlyTable;
  readonly requests: ReadonlyTable;
  readonly blocks: ReadonlyTable;
  /** What each distinct reference expression names, in order of first use. */
  readonly targets: readonly SharedTarget[];
  /** Multipart boundaries and GraphQL operation names. */
  readonly strings: readonly string[];
}

/** Every table of one parse, as the parser writes them. */
export class SyntaxTables implements ReadonlySyntaxTables {
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
  readonly handlers = new Table(Handler.size, 8);
  readonly scriptBlocks = new Table(ScriptBlk.size, 2);
  readonly assertions = new Table(Assert.size, 4);
  readonly responseRefs = new Table(ResponseRef.size, 4);
  readonly compositions = new Table(Comp.size, 2);
  readonly multipartParts = new Table(MPart.size, 4);
  readonly multiparts = new Table(Multi.size, 4);
  readonly graphqls = new Table(Graphql.size, 4);
  readonly fragments = new Table(Frag.size, 0);
  readonly fragmentUses = new Table(FragUse.size, 0);
  readonly requests: Table;
  readonly blocks: Table;
  readonly targets: SharedTarget[] = [];
  /** Multipart boundaries and GraphQL operation names. */
  readonly strings: string[] = [];

  /**
   * Gives back the room the estimate left unused. A document being edited keeps the tables of
   * each of its chunks (see `IncrementalDiagnostics`), most of them small and many empty: untrimmed,
   * the chunks of a 20,000-request file kept 28 MB of arrays for 3.7 MB of text.
   */
  trim(): void {
    this.refs.trim();
    this.templates.trim();
    this.comments.trim();
    this.directives.trim();
    this.variables.trim();
    this.headers.trim();
    this.parts.trim();
    this.handlers.trim();
    this.scriptBlocks.trim();
    this.assertions.trim();
    this.responseRefs.trim();
    this.compositions.trim();
    this.multipartParts.trim();
    this.multiparts.trim();
    this.graphqls.trim();
    this.fragments.trim();
    this.fragmentUses.trim();
    this.requests.trim();
    this.blocks.trim();
  }

  /**
   * Tables sized for `textLength` characters of a typical document (a request every 160 to 180
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
export function joinedText(text: string, templates: ArrayLike<number>, first: number, count: number, separator: string): string {
  let joined = text.slice(templates[first * Tpl.size + Tpl.start], templates[first * Tpl.size + Tpl.end]);
  for (let index = first + 1; index < first + count; index++) {
    const piece = text.slice(templates[index * Tpl.size + Tpl.start], templates[index * Tpl.size + Tpl.end]);
    joined = joined === '' && separator !== '' ? piece : joined + separator + piece;
  }
  return joined;
}

/** The method of request `request` (an index), as the engine sends it: as written, or `GET`. */
export function methodNameAt({ text, tables }: HttpDocument, request: number): string {
  const at = request * Req.size;
  const start = tables.requests.data[at + Req.methodStart];
  return start === -1 ? 'GET' : text.slice(start, tables.requests.data[at + Req.methodEnd]);
}

/** The target of request `request` (an index), its lines joined. */
export function targetTextAt({ text, tables }: HttpDocument, request: number): string {
  const at = request * Req.size;
  const requests = tables.requests.data;
  return joinedText(text, tables.templates.data, requests[at + Req.firstTarget], requests[at + Req.targetCount], '');
}

/**
 * The templates whose references are block `block`'s own, written to `out` from index 0 as
 * `first, count` pairs: its variables' values, then the templates its request reads when sent
 * (`requestTemplates`: the one list the engine reads too). Each reference comes once. Returns how
 * many numbers it wrote; `out` is the caller's to reuse, so a walk over every block allocates nothing.
 */
export function blockTemplates(tables: ReadonlySyntaxTables, block: number, out: number[]): number {
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
  return request === -1 ? written : requestTemplates(tables, request, out, written);
}

/** Scratch for `forEachBlockRef`. */
const blockRanges: number[] = [];

/**
 * Calls `visit` with where each of block `block`'s own references starts in the refs table
 * (see `blockTemplates`), in the list's order, until it returns true.
 */
export function forEachBlockRef(tables: ReadonlySyntaxTables, block: number, visit: (at: number) => boolean | undefined): void {
  // Copied out: `visit` may walk another block.
  forEachRefIn(tables, blockRanges.slice(0, blockTemplates(tables, block, blockRanges)), visit);
}

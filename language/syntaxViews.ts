// The object tree of `syntax.ts`, built from the parser's tables (syntaxTables.ts) when a feature
// asks for it: one block at a time for questions about the cursor, whole for formatting and
// sending. Diagnostics, the outline, folding and CodeLens read the tables and never build it, so
// opening a large file costs no object per node.

import { parseAssertionLine } from './assertions';
import { empty, referenceView } from './references';
import { recentTextSlot, recentTextSlots, sameCharacters } from './scanner';
import type {
  AssertionLine,
  Block,
  Body,
  BodyPart,
  Comment,
  CompositionLine,
  CompositionOverride,
  Directive,
  GraphqlBody,
  GraphqlFragment,
  Header,
  HttpDocument,
  MultipartBody,
  MultipartPart,
  OutputRedirect,
  Request,
  RequestTarget,
  ResponseHandler,
  ResponseReference,
  Separator,
  Span,
  SyntaxProblem,
  Template,
  Token,
  VariableDefinition,
  VariableReference,
} from './syntax';
import { Assert, Blk, Cmt, Comp, Dir, Frag, FragUse, Graphql, HandlerKind, HandlerPhase, Handler, Hdr, MPart, Multi, Part, PartKind, Ref, Req, ResponseRef, SyntaxTables, targetForms, Tpl, Var } from './syntaxTables';

const compositionKinds: readonly CompositionLine['kind'][] = ['import', 'run-request', 'run-file'];
const builtCompositions = new WeakMap<HttpDocument, readonly CompositionLine[]>();

/** The document's `import` and `run` lines, in order (built once per parse, on first read). */
export function compositionLines(document: HttpDocument): readonly CompositionLine[] {
  const known = builtCompositions.get(document);
  if (known !== undefined) return known;
  const { text, tables } = document;
  const table = tables.compositions;
  const lines: CompositionLine[] = [];
  for (let index = 0; index < table.count; index++) {
    const at = index * Comp.size;
    const data = table.data;
    const overrides: CompositionOverride[] = [];
    const malformed: Token[] = [];
    const argsStart = data[at + Comp.argsStart];
    if (argsStart !== -1) readOverrides(text, argsStart, data[at + Comp.argsEnd], overrides, malformed);
    lines.push({
      kind: compositionKinds[data[at + Comp.kind]] ?? 'import',
      start: data[at + Comp.start],
      end: data[at + Comp.end],
      target: token(text, data[at + Comp.targetStart], data[at + Comp.targetEnd]),
      overrides,
      malformed,
    });
  }
  builtCompositions.set(document, lines);
  return lines;
}

/** `@a=1, @b = two` between `start` and `end`: each entry split at its first `=`. */
function readOverrides(text: string, start: number, end: number, overrides: CompositionOverride[], malformed: Token[]): void {
  let entryStart = start;
  for (let at = start; at <= end; at++) {
    if (at < end && text.charCodeAt(at) !== 0x2c) continue; // `,`
    const entry = trimmed(text, entryStart, at);
    entryStart = at + 1;
    if (entry.start === entry.end) continue;
    const equals = text.indexOf('=', entry.start);
    const name = equals === -1 || equals >= entry.end ? undefined : trimmed(text, entry.start, equals);
    if (name === undefined || text.charCodeAt(name.start) !== 0x40 || name.end - name.start < 2) {
      malformed.push(token(text, entry.start, entry.end));
      continue;
    }
    const value = trimmed(text, equals + 1, entry.end);
    overrides.push({ name: token(text, name.start + 1, name.end), value: token(text, value.start, value.end) });
  }
}

function trimmed(text: string, start: number, end: number): Span {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return { start, end };
}

function token(text: string, start: number, end: number): Token {
  return { start, end, text: text.slice(start, end) };
}

interface Tree {
  readonly blocks: readonly Block[];
  readonly requests: readonly Request[];
  readonly variables: readonly VariableDefinition[];
}

/** What `parse` returns: the tables and problems at once, the object tree on first read. */
export class ParsedDocument implements HttpDocument {
  /** Keeps this class's hidden class alive between parses, as `SyntaxTables.shapeKeeper` does. */
  static readonly shapeKeeper: ParsedDocument = new ParsedDocument('', new Uint32Array(1), SyntaxTables.shapeKeeper, []);

  /** Private, so `assert.deepStrictEqual` compares two parses by their tables whether or not either was read. */
  #tree: Tree | undefined;
  /** Blocks built one at a time (see `block`) before the whole tree was. */
  #someBlocks: (Block | undefined)[] | undefined;
  #builder: TreeBuilder | undefined;

  constructor(
    readonly text: string,
    readonly lineStarts: Uint32Array,
    readonly tables: SyntaxTables,
    readonly problems: readonly SyntaxProblem[],
  ) {}

  get blocks(): readonly Block[] {
    return this.tree().blocks;
  }

  get requests(): readonly Request[] {
    return this.tree().requests;
  }

  get variables(): readonly VariableDefinition[] {
    return this.tree().variables;
  }

  block(index: number): Block {
    if (!Number.isInteger(index) || index < 0 || index >= this.tables.blocks.count) throw new RangeError(`no block ${index}: the document has ${this.tables.blocks.count}`);
    if (this.#tree !== undefined) return this.#tree.blocks[index];
    const built = (this.#someBlocks ??= []);
    return (built[index] ??= this.builder().block(index));
  }

  private tree(): Tree {
    if (this.#tree === undefined) {
      this.#tree = this.builder().build(this.#someBlocks);
      this.#someBlocks = undefined;
      this.#builder = undefined;
    }
    return this.#tree;
  }

  private builder(): TreeBuilder {
    this.#builder ??= new TreeBuilder(this.text, this.tables);
    return this.#builder;
  }
}

/** Longer texts are rarely repeated, and V8 slices them without copying. */
const sharedTextLength = 32;

/**
 * Builds the objects of one document's tables. Lists are made at their exact length and short
 * texts repeated across requests (`Accept`, `application/json`, `token`) are mostly one string:
 * the objects of a large file are most of its memory.
 */
/* eslint-disable @typescript-eslint/unbound-method -- `list` calls the methods it is handed on this builder. */
class TreeBuilder {
  /** Keeps this class's hidden class alive between builds (see `SyntaxTables.shapeKeeper`). */
  static readonly shapeKeeper: TreeBuilder = new TreeBuilder('', SyntaxTables.shapeKeeper);

  /** Direct-mapped cache of recent short texts (see `slice`), sized to the text. */
  private readonly recentTexts: (string | undefined)[];
  /** Where each recent text was sliced from. */
  private readonly recentStarts: Int32Array;
  private readonly recentTextMask: number;

  constructor(
    private readonly text: string,
    private readonly tables: SyntaxTables,
  ) {
    const slots = recentTextSlots(text.length);
    // Holes read as undefined, so the array needs no filling.
    this.recentTexts = new Array<string | undefined>(slots);
    this.recentStarts = new Int32Array(slots);
    this.recentTextMask = slots - 1;
  }

  /** The whole tree, with the blocks of `built` where they were built already, so each block is one object. */
  build(built: readonly (Block | undefined)[] | undefined): Tree {
    const { tables } = this;
    const blocks = new Array<Block>(tables.blocks.count);
    const requests = new Array<Request>(tables.requests.count);
    const variables = new Array<VariableDefinition>(tables.variables.count);
    let request = 0;
    let variable = 0;
    for (let index = 0; index < blocks.length; index++) {
      const block = built?.[index] ?? this.block(index);
      blocks[index] = block;
      if (block.request !== undefined) requests[request++] = block.request;
      for (let item = 0; item < block.variables.length; item++) variables[variable++] = block.variables[item];
    }
    return { blocks: orEmpty(blocks), requests: orEmpty(requests), variables: orEmpty(variables) };
  }

  block(index: number): Block {
    const data = this.tables.blocks.data;
    const at = index * Blk.size;
    let separator: Separator | undefined;
    if (data[at + Blk.separatorStart] !== -1) {
      const titleStart = data[at + Blk.titleStart];
      separator = { start: data[at + Blk.separatorStart], end: data[at + Blk.separatorEnd], title: titleStart === -1 ? undefined : this.token(titleStart, data[at + Blk.titleEnd]) };
    }
    const directives = this.list(data[at + Blk.firstDirective], data[at + Blk.directiveCount], this.directive);
    const request = data[at + Blk.request] === -1 ? undefined : this.request(data[at + Blk.request], separator, directives);
    return {
      start: data[at + Blk.start],
      end: data[at + Blk.end],
      separator,
      comments: this.list(data[at + Blk.firstComment], data[at + Blk.commentCount], this.comment),
      directives,
      variables: this.list(data[at + Blk.firstVariable], data[at + Blk.variableCount], this.variable),
      request,
      pastedResponse: data[at + Blk.pastedStart] === -1 ? undefined : { start: data[at + Blk.pastedStart], end: data[at + Blk.pastedEnd] },
    };
  }

  private comment(index: number): Comment {
    const data = this.tables.comments.data;
    const at = index * Cmt.size;
    return { start: data[at + Cmt.start], end: data[at + Cmt.end], text: this.text.slice(data[at + Cmt.textStart], data[at + Cmt.textEnd]) };
  }

  private directive(index: number): Directive {
    const data = this.tables.directives.data;
    const at = index * Dir.size;
    const valueStart = data[at + Dir.valueStart];
    return {
      start: data[at + Dir.start],
      end: data[at + Dir.end],
      name: this.token(data[at + Dir.nameStart], data[at + Dir.nameEnd]),
      value: valueStart === -1 ? undefined : this.token(valueStart, data[at + Dir.valueEnd]),
    };
  }

  private variable(index: number): VariableDefinition {
    const data = this.tables.variables.data;
    const at = index * Var.size;
    return { start: data[at + Var.start], end: data[at + Var.end], name: this.token(data[at + Var.nameStart], data[at + Var.nameEnd]), value: this.template(data[at + Var.value]) };
  }

  private request(index: number, separator: Separator | undefined, directives: readonly Directive[]): Request {
    const data = this.tables.requests.data;
    const at = index * Req.size;
    const methodStart = data[at + Req.methodStart];
    const method = methodStart === -1 ? undefined : this.token(methodStart, data[at + Req.methodEnd]);
    const versionStart = data[at + Req.versionStart];
    const redirectPath = data[at + Req.redirectPath];
    const outputRedirect: OutputRedirect | undefined =
      redirectPath === -1 ? undefined : { start: data[at + Req.redirectStart], end: data[at + Req.redirectEnd], path: this.template(redirectPath), overwrite: data[at + Req.redirectOverwrite] === 1 };
    return {
      start: data[at + Req.start],
      end: data[at + Req.end],
      name: this.requestName(data[at + Req.nameStart], data[at + Req.nameEnd], separator, directives),
      directives,
      requestLineEnd: data[at + Req.requestLineEnd],
      method,
      methodName: method?.text ?? 'GET',
      target: this.target(data[at + Req.firstTarget], data[at + Req.targetCount], data[at + Req.form]),
      httpVersion: versionStart === -1 ? undefined : this.token(versionStart, data[at + Req.versionEnd]),
      headers: this.list(data[at + Req.firstHeader], data[at + Req.headerCount], this.header),
      body: data[at + Req.bodyStart] === -1 ? undefined : this.body(at),
      preRequestScripts: this.handlersOf(data[at + Req.firstHandler], data[at + Req.handlerCount], HandlerPhase.preRequest),
      handlers: this.handlersOf(data[at + Req.firstHandler], data[at + Req.handlerCount], HandlerPhase.response),
      assertions: this.list(data[at + Req.firstAssertion], data[at + Req.assertionCount], this.assertion),
      outputRedirect,
      responseReferences: this.list(data[at + Req.firstResponseRef], data[at + Req.responseRefCount], this.responseReference),
    };
  }

  /** The name token: the last `@name` directive's value, or else the separator's title, as the very object the block holds. */
  private requestName(start: number, end: number, separator: Separator | undefined, directives: readonly Directive[]): Token | undefined {
    if (start === -1) return undefined;
    for (let index = directives.length - 1; index >= 0; index--) {
      const value = directives[index].value;
      if (value !== undefined && value.start === start && value.end === end) return value;
    }
    return separator?.title;
  }

  private target(first: number, count: number, form: number): RequestTarget {
    if (count === 1) {
      const whole = this.template(first);
      return { start: whole.start, end: whole.end, text: whole.text, references: whole.references, continuedPieces: empty, form: targetForms[form] };
    }
    const pieces = this.list(first, count, this.template);
    let text = '';
    const references: VariableReference[] = [];
    for (const piece of pieces) {
      text += piece.text;
      for (const reference of piece.references) references.push(reference);
    }
    return { start: pieces[0].start, end: pieces[pieces.length - 1].end, text, references: orEmpty(references), continuedPieces: pieces, form: targetForms[form] };
  }

  /**
   * Items `[first, first + count)` made by `make`, one of this builder's methods, which it calls
   * on this builder; an array of exactly that length, or the shared empty list. Callers pass the
   * method itself: an arrow function per list made building the tree half again as slow.
   */
  private list<T>(first: number, count: number, make: (this: TreeBuilder, index: number) => T): readonly T[] {
    if (count === 0) return empty;
    const items = new Array<T>(count);
    for (let index = 0; index < count; index++) items[index] = make.call(this, first + index);
    return items;
  }

  private header(index: number): Header {
    const data = this.tables.headers.data;
    const at = index * Hdr.size;
    const colon = data[at + Hdr.colon];
    return {
      start: data[at + Hdr.start],
      end: data[at + Hdr.end],
      name: this.token(data[at + Hdr.nameStart], data[at + Hdr.nameEnd]),
      colon: colon === -1 ? undefined : colon,
      value: this.headerValue(data[at + Hdr.firstValue], data[at + Hdr.valueCount]),
    };
  }

  /** A value continued over indented lines: the lines joined by one space, an empty first line left out. */
  private headerValue(first: number, count: number): Template {
    let value = this.template(first);
    for (let index = first + 1; index < first + count; index++) {
      const piece = this.template(index);
      const references = piece.references.length === 0 ? value.references : value.references.length === 0 ? piece.references : [...value.references, ...piece.references];
      value = value.text === '' ? { start: piece.start, end: piece.end, text: piece.text, references } : { start: value.start, end: piece.end, text: `${value.text} ${piece.text}`, references };
    }
    return value;
  }

  /** The body of the request whose fields start at `at` in the requests table. */
  private body(at: number): Body {
    const data = this.tables.requests.data;
    const parts = this.list(data[at + Req.firstPart], data[at + Req.partCount], this.part);
    const multipart = data[at + Req.multipart];
    const graphql = data[at + Req.graphql];
    return {
      start: data[at + Req.bodyStart],
      end: data[at + Req.bodyEnd],
      parts,
      multipart: multipart === -1 ? undefined : this.multipart(multipart),
      graphql: graphql === -1 ? undefined : this.graphql(graphql, parts),
    };
  }

  private part(index: number): BodyPart {
    const data = this.tables.parts.data;
    const at = index * Part.size;
    const start = data[at + Part.start];
    const end = data[at + Part.end];
    if (data[at + Part.kind] === PartKind.text) return { kind: 'text', start, end, text: this.template(data[at + Part.template]) };
    return { kind: 'file', start, end, path: this.template(data[at + Part.template]), substituteVariables: data[at + Part.substitute] === 1 };
  }

  private multipart(index: number): MultipartBody {
    const { tables } = this;
    const at = index * Multi.size;
    const data = tables.multiparts.data;
    const first = data[at + Multi.firstPart];
    const parts: MultipartPart[] = [];
    for (let part = first; part < first + data[at + Multi.partCount]; part++) {
      const partAt = part * MPart.size;
      const partData = tables.multipartParts.data;
      parts.push({
        start: partData[partAt + MPart.start],
        end: partData[partAt + MPart.end],
        headers: this.list(partData[partAt + MPart.firstHeader], partData[partAt + MPart.headerCount], this.header),
        content: this.list(partData[partAt + MPart.firstPart], partData[partAt + MPart.partCount], this.part),
      });
    }
    return { boundary: tables.strings[data[at + Multi.boundary]], parts: orEmpty(parts), closed: data[at + Multi.closed] === 1 };
  }

  /** The query is the first part's very template when there are no variables. */
  private graphql(index: number, parts: readonly BodyPart[]): GraphqlBody {
    const { tables } = this;
    const at = index * Graphql.size;
    const data = tables.graphqls.data;
    const variables = data[at + Graphql.variables];
    const first = parts[0];
    const query = variables === -1 && first.kind === 'text' ? first.text : this.template(data[at + Graphql.query]);
    const operationName = data[at + Graphql.operationName];
    const fragments: GraphqlFragment[] = [];
    const firstUse = data[at + Graphql.firstFragmentUse];
    for (let use = firstUse; use < firstUse + data[at + Graphql.fragmentUseCount]; use++) {
      const fragment = tables.fragmentUses.data[use * FragUse.size + FragUse.fragment] * Frag.size;
      const records = tables.fragments.data;
      fragments.push({
        start: records[fragment + Frag.start],
        end: records[fragment + Frag.end],
        name: this.text.slice(records[fragment + Frag.nameStart], records[fragment + Frag.nameEnd]),
        text: this.template(records[fragment + Frag.template]),
      });
    }
    return {
      query,
      variables: variables === -1 ? undefined : this.template(variables),
      operationName: operationName === -1 ? undefined : tables.strings[operationName],
      fragments: orEmpty(fragments),
    };
  }

  private handlersOf(first: number, count: number, phase: number): ResponseHandler[] {
    const handlers: ResponseHandler[] = [];
    const data = this.tables.handlers.data;
    for (let index = first; index < first + count; index++) if (data[index * Handler.size + Handler.phase] === phase) handlers.push(this.handler(index));
    return handlers;
  }

  private assertion(index: number): AssertionLine {
    const data = this.tables.assertions.data;
    const start = data[index * Assert.size + Assert.start];
    const end = data[index * Assert.size + Assert.end];
    const text = this.text.slice(start, end);
    return { start, end, text, parsed: parseAssertionLine(text) };
  }

  private handler(index: number): ResponseHandler {
    const data = this.tables.handlers.data;
    const at = index * Handler.size;
    const start = data[at + Handler.start];
    const end = data[at + Handler.end];
    const content = this.token(data[at + Handler.contentStart], data[at + Handler.contentEnd]);
    if (data[at + Handler.kind] === HandlerKind.file) return { kind: 'file', start, end, path: content };
    return { kind: 'script', start, end, script: content, terminated: data[at + Handler.terminated] === 1 };
  }

  private responseReference(index: number): ResponseReference {
    const data = this.tables.responseRefs.data;
    const at = index * ResponseRef.size;
    return { start: data[at + ResponseRef.start], end: data[at + ResponseRef.end], path: this.token(data[at + ResponseRef.pathStart], data[at + ResponseRef.pathEnd]) };
  }

  private template(index: number): Template {
    const { tables } = this;
    const data = tables.templates.data;
    const at = index * Tpl.size;
    const start = data[at + Tpl.start];
    const end = data[at + Tpl.end];
    const firstRef = data[at + Tpl.firstRef];
    const refCount = data[at + Tpl.refCount];
    let references: readonly VariableReference[] = empty;
    if (refCount > 0) {
      const list = new Array<VariableReference>(refCount);
      const refs = tables.refs.data;
      for (let ref = 0; ref < refCount; ref++) {
        const refAt = (firstRef + ref) * Ref.size;
        list[ref] = referenceView(refs, refAt, tables.targets, this.slice(refs[refAt + Ref.expressionStart], refs[refAt + Ref.expressionEnd]));
      }
      references = list;
    }
    return { start, end, text: this.slice(start, end), references };
  }

  private token(start: number, end: number): Token {
    return { start, end, text: this.slice(start, end) };
  }

  /**
   * Text of a span. Short texts repeat across requests and each slice is a separate copy, so
   * recent short texts are reused from a small direct-mapped cache: cheaper than a Map, which
   * would hash every slice.
   */
  private slice(start: number, end: number): string {
    const { text } = this;
    const length = end - start;
    if (length === 0) return '';
    if (length > sharedTextLength) return text.slice(start, end);
    const slot = recentTextSlot(text, start, end, this.recentTextMask);
    const recent = this.recentTexts[slot];
    if (recent !== undefined && recent.length === length && sameCharacters(text, start, this.recentStarts[slot], length)) return recent;
    const fresh = text.slice(start, end);
    this.recentTexts[slot] = fresh;
    this.recentStarts[slot] = start;
    return fresh;
  }
}

/* eslint-enable @typescript-eslint/unbound-method */

function orEmpty<T>(items: readonly T[]): readonly T[] {
  return items.length === 0 ? empty : items;
}

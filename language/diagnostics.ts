// Diagnostics: the parser's problems plus the semantic checks a request needs before it
// can be sent (methods, URLs, headers, bodies, variables, files), with their quick fixes.
//
// Most checks depend only on one block's text and on a few document-wide facts (variable and
// request names, environment values): `IncrementalDiagnostics` caches them per run of blocks, so
// re-diagnosing a large document after a keystroke parses and checks only the edited block.

import { CodeAction, CodeActionKind, DiagnosticSeverity, DiagnosticTag, Range, TextEdit, type Diagnostic } from 'vscode-languageserver-types';
import { Code } from './codes';
import type { EnvironmentSnapshot, FeatureContext, LanguageHost } from './context';
import { lookupDirective, suggestDirective } from './data/directives';
import { isSingleValuedHeader } from './data/headers';
import { isKnownMethod, suggestMethod } from './data/methods';
import { isSystemVariable } from './data/systemVariables';
import { promptedName } from './documentNames';
import { findJsonError } from './jsonTree';
import { offsetToPosition } from './positions';
import { equalsIgnoringCaseAt, isAsciiLetter, sameNameIgnoringCase, startsWithScheme } from './scanner';
import type { HttpDocument, Severity, Span } from './syntax';
import { Blk, blockTemplates, Dir, HandlerKind, Handler, Hdr, joinedText, methodNameAt, MPart, Multi, Part, PartKind, Ref, Req, type ReadonlySyntaxTables, type SharedTarget, TargetForm, targetTextAt, Tpl, Var } from './syntaxTables';

/** What a quick fix needs, carried in `Diagnostic.data`. */
export interface DiagnosticFixData {
  /** The replacement a "did you mean" fix writes over the diagnostic's range. */
  readonly suggestion?: string;
  /** An undefined variable that a fix may define at the top of the file. */
  readonly define?: string;
}

/** A problem found by a check, in offsets into the document it was found in. */
interface Problem extends Span {
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
  readonly unnecessary?: boolean;
  readonly suggestion?: string;
  readonly define?: string;
  /** Another place the message refers to (a header's first occurrence). */
  readonly related?: Span & { readonly message: string };
}

/** Facts about the whole document and its environments that a block's checks may consult. */
interface DocumentScope {
  /** What each chunk adds to the scope (see `scopeKeyOf`): equal lists, equal scopes. */
  readonly keys: readonly string[];
  readonly fileVariables: ReadonlyMap<string, string>;
  readonly requestNames: ReadonlySet<string>;
  readonly environments: EnvironmentSnapshot;
  /** Variables already resolved in this pass (undefined: not resolvable here); many requests share `{{baseUrl}}`. */
  readonly resolved: Map<string, string | undefined>;
  /** URLs already judged in this pass. */
  readonly urlVerdicts: Map<string, string | undefined>;
  /** Whether each variable's value starts with a plain web origin (see `startsWithPlainWebOrigin`), as most targets' `{{baseUrl}}` does. */
  readonly plainOrigins: Map<string, boolean>;
}

function documentScope(documents: readonly HttpDocument[], environments: EnvironmentSnapshot, keys: readonly string[]): DocumentScope {
  const fileVariables = new Map<string, string>();
  const names: string[] = [];
  for (const { text, tables } of documents) {
    // In document order: a later definition overrides an earlier one.
    const variables = tables.variables.data;
    const templates = tables.templates.data;
    for (let index = 0; index < tables.variables.count; index++) {
      const at = index * Var.size;
      const value = variables[at + Var.value] * Tpl.size;
      fileVariables.set(text.slice(variables[at + Var.nameStart], variables[at + Var.nameEnd]), text.slice(templates[value + Tpl.start], templates[value + Tpl.end]));
    }
    const requests = tables.requests.data;
    for (let index = 0; index < tables.requests.count; index++) {
      const at = index * Req.size;
      if (requests[at + Req.nameStart] !== -1) names.push(text.slice(requests[at + Req.nameStart], requests[at + Req.nameEnd]));
    }
  }
  // Built in one call from an array: adding 20,000 names one `add` at a time took 1.5-2 ms more a pass.
  const requestNames = new Set(names);
  return { keys, fileVariables, requestNames, environments, resolved: new Map(), urlVerdicts: new Map(), plainOrigins: new Map() };
}

/** The names and values a document contributes to the scope, as text: equal keys, equal scopes. */
function scopeKeyOf({ text, tables }: HttpDocument): string {
  let key = '';
  const variables = tables.variables.data;
  const templates = tables.templates.data;
  for (let index = 0; index < tables.variables.count; index++) {
    const at = index * Var.size;
    const value = variables[at + Var.value] * Tpl.size;
    key += `@${text.slice(variables[at + Var.nameStart], variables[at + Var.nameEnd])}=${text.slice(templates[value + Tpl.start], templates[value + Tpl.end])}\n`;
  }
  const requests = tables.requests.data;
  for (let index = 0; index < tables.requests.count; index++) {
    const at = index * Req.size;
    if (requests[at + Req.nameStart] !== -1) key += `#${text.slice(requests[at + Req.nameStart], requests[at + Req.nameEnd])}\n`;
  }
  return key;
}

/** Every problem in the document, as LSP diagnostics with stable codes and `source: 'courier'`. */
export function diagnose(context: FeatureContext): Diagnostic[] {
  // Read once: callers build `context` afresh each time, and its hidden class may not outlive a
  // GC, so a read after the long loop below would throw away the optimised code.
  const { uri, document, environments } = context;
  const problems = checkDocument(context, document, documentScope([document], environments, []));
  const diagnostics = document.problems.map((problem) => toDiagnostic(uri, document, problem));
  for (let index = 0; index < problems.length; index++) diagnostics.push(toDiagnostic(uri, document, problems[index]));
  return diagnostics.sort(byPosition);
}

/**
 * The semantic problems of every block. A function of its own, so the long loop V8 compiles while
 * it runs (on-stack replacement) is all it holds: when the lines after such a loop had never run
 * before, `diagnose` was thrown away and compiled again on every pass.
 */
function checkDocument(context: FeatureContext, document: HttpDocument, scope: DocumentScope): ProblemList {
  const problems: ProblemList = [];
  const verdicts = newVerdicts(document);
  const blocks = document.tables.blocks.count;
  for (let block = 0; block < blocks; block++) {
    checkBlock(problems, document, block, scope, verdicts);
    missingFiles(problems, context, block);
  }
  return problems;
}

/** Document order, so both passes agree and lists read top to bottom. */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

const noProblems: readonly Problem[] = [];
/**
 * The one empty list of a chunk's diagnostics, as most chunks have none; the others are grown by
 * `push`. Lists made by `[]`, `sort` and `map` came in several array kinds, and the loop that hands
 * them out was thrown away and compiled again about every tenth edit.
 */
const noDiagnostics: readonly Diagnostic[] = [];

/** A run of whole blocks, parsed on its own, with what its diagnostics depend on. */
interface Chunk {
  readonly document: HttpDocument;
  /** Line breaks in the chunk: the next chunk starts this many lines further down. */
  readonly lineBreaks: number;
  /** What the chunk adds to the document's scope (see `scopeKeyOf`). */
  readonly scopeKey: string;
  /** Whether a body or handler may name a file, whose existence is checked on every pass. */
  readonly namesFiles: boolean;
  /** Names the chunk refers to: its problems change only when what these resolve to changes. */
  readonly variableNames: readonly string[];
  readonly requestNames: readonly string[];
  checked: Checked | undefined;
  /** The last diagnostics handed out when the chunk stood elsewhere than `checked.line`, reused while it stays there. */
  placed: { readonly line: number; readonly source: readonly Diagnostic[]; readonly diagnostics: readonly Diagnostic[] } | undefined;
}

/** A chunk's diagnostics, where they were placed, and the facts they were computed under. */
interface Checked {
  readonly environments: EnvironmentSnapshot;
  /** The line the chunk started at when checked: the diagnostics' lines are final there. */
  readonly line: number;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * What the chunk's names resolved to (see `signatureOf`), worked out only when a later pass
   * must compare, from `scope`, which is then let go: the first pass over a large document
   * never compares, and its signatures cost about 8 ms over 20,000 requests.
   */
  signature: string | undefined;
  scope: DocumentScope | undefined;
}

/** The signature `checked` was computed under (see `Checked.signature`). */
function checkedSignature(chunk: Chunk, checked: Checked): string {
  if (checked.signature === undefined) {
    checked.signature = checked.scope === undefined ? '' : signatureOf(chunk, checked.scope);
    checked.scope = undefined;
  }
  return checked.signature;
}

function chunkOf(document: HttpDocument): Chunk {
  const variables = new Set<string>();
  const requests = new Set<string>();
  // Every reference of the chunk: those of multipart parts and GraphQL queries are read again
  // from the body's text, so they name nothing the body's own references do not.
  const { tables } = document;
  const refs = tables.refs.data;
  for (let index = 0; index < tables.refs.count; index++) {
    const target = tables.targets[refs[index * Ref.size + Ref.target]];
    if (target.kind === 'variable') variables.add(target.name);
    else if (target.kind === 'request') requests.add(target.requestName);
  }
  return {
    document,
    lineBreaks: document.lineStarts.length - 1,
    scopeKey: scopeKeyOf(document),
    variableNames: [...variables],
    requestNames: [...requests],
    namesFiles: namesFiles(tables),
    checked: undefined,
    placed: undefined,
  };
}

/** What the chunk's names resolve to in `scope`: equal signatures give equal diagnostics. */
function signatureOf(chunk: Chunk, scope: DocumentScope): string {
  let signature = '';
  for (const name of chunk.variableNames) {
    const defined = scope.fileVariables.has(name) || scope.environments.variables.has(name);
    signature += `${name}${defined ? '=' : '!'}${defined ? (resolvedVariable(name, scope) ?? '?') : ''}\n`;
  }
  for (const name of chunk.requestNames) signature += `${name}${scope.requestNames.has(name) ? '+' : '-'}\n`;
  return signature;
}

/**
 * A copy of `slice` that does not share the document's memory: V8 slices point into their
 * parent string, so a cached tree of one block would otherwise keep every past version of the
 * whole document alive.
 */
function detached(slice: string): string {
  return ` ${slice}`.slice(1);
}

/** A chunk of a pass and the text it was parsed from. */
interface PlacedChunk {
  readonly text: string;
  readonly chunk: Chunk;
}

/** The chunk of `chunks` (starting at `starts`, searched from `from`) that started at `start` with `text`. */
function sameText(chunks: readonly PlacedChunk[], starts: readonly number[], from: number, start: number, text: string): PlacedChunk | undefined {
  for (let index = from; index < starts.length && starts[index] <= start; index++) {
    if (starts[index] === start) return chunks[index].text === text ? chunks[index] : undefined;
  }
  return undefined;
}

/** Equal lists of scope keys; reused chunks hand out the very same strings, so most compare by identity. */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

const never = (): boolean => false;

/** A sliced `IncrementalDiagnostics.prepare` under way. */
interface Preparing {
  readonly starts: readonly number[];
  readonly placed: PlacedChunk[];
  /** The scope of all the chunks, once they are made. */
  scope: DocumentScope | undefined;
  /** Chunks checked under `scope` so far, and the line the next one starts at. */
  checkedCount: number;
  line: number;
}

/** `chunk`'s diagnostics under `scope`, with `signature` if the caller worked it out (see `Checked`). */
function checkChunk(uri: string, chunk: Chunk, scope: DocumentScope, environments: EnvironmentSnapshot, line: number, signature: string | undefined): Checked {
  // Diagnostics built at the chunk's line, not relative to it and then moved: on a first pass they are handed out as they are.
  const { document } = chunk;
  // One array grown by push: `map` over an empty list made arrays of another kind, and the
  // compiled pass was thrown away at the first push into one (140 times in 1,200 edits).
  const found: Diagnostic[] = [];
  for (const problem of document.problems) found.push(toDiagnostic(uri, document, problem, line));
  const problems: ProblemList = [];
  const verdicts = newVerdicts(document);
  for (let block = 0; block < document.tables.blocks.count; block++) checkBlock(problems, document, block, scope, verdicts);
  for (const problem of problems) found.push(toDiagnostic(uri, document, problem, line));
  return { environments, line, diagnostics: found.length === 0 ? noDiagnostics : found.sort(byPosition), signature, scope: signature === undefined ? scope : undefined };
}

/** Blocks per chunk at most; on average about `1 / chunkBoundaryOdds` of that. */
const maxBlocksPerChunk = 32;
/** A separator starts a new chunk when the hash of its first two lines has these low bits clear: 1 in 8. */
const chunkBoundaryMask = 7;

/**
 * Where chunks start: at some `###` lines, chosen by their own text (content-defined, as rsync
 * does), so an edit moves chunk boundaries only next to itself and the other chunks stay
 * cached. Several blocks per chunk keep the first pass of a large document close to one parse.
 */
function chunkStarts(text: string): number[] {
  const starts = [0];
  let blocks = 1;
  // Every `###` that starts a line after the first, found by `indexOf` rather than a walk over
  // the characters, and with no list of them in between: this runs on every keystroke.
  for (let found = text.indexOf('###', 1); found !== -1; found = text.indexOf('###', found + 3)) {
    const before = text.charCodeAt(found - 1);
    if (before !== 0x0a && before !== 0x0d) continue;
    if (blocks >= maxBlocksPerChunk || (hashOfTwoLines(text, found) & chunkBoundaryMask) === 0) {
      starts.push(found);
      blocks = 1;
    } else {
      blocks++;
    }
  }
  return starts;
}

/** FNV-1a over the separator line and the line after it (at most 120 characters). */
function hashOfTwoLines(text: string, offset: number): number {
  let hash = 0x811c9dc5;
  let lineBreaks = 0;
  const end = Math.min(text.length, offset + 120);
  for (let index = offset; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x0a && ++lineBreaks === 2) break;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Diagnostics for one document as it is edited. The parser splits blocks at `###` lines and
 * nothing crosses them, so runs of blocks (chunks) are parsed and checked on their own and
 * cached by their text: after a keystroke only the edited chunk is parsed and checked again,
 * and other chunks are re-checked only when a name they refer to changes meaning.
 */
export class IncrementalDiagnostics {
  /** The last pass's chunks in document order with the text each was parsed from, and where each started. */
  private placedChunks: readonly PlacedChunk[] = [];
  private placedStarts: readonly number[] = [];
  private lastTextLength = 0;
  private lastScope: DocumentScope | undefined;
  /** A first pass answered from a whole parse (see `diagnoseParsed`) whose chunks are not made yet. */
  private unchunked:
    | { readonly uri: string; readonly text: string; readonly environments: EnvironmentSnapshot; readonly host: LanguageHost; readonly diagnostics: readonly Diagnostic[] }
    | undefined;
  /** How far a sliced `prepare` is with `unchunked.text`: the chunks made, then those checked. */
  private preparing: Preparing | undefined;

  constructor(private readonly parseText: (text: string) => HttpDocument) {}

  /**
   * The first pass over a document the caller has parsed whole (the other features need that
   * parse too): `diagnose` on it, the same diagnostics as the chunked pass in about half the
   * time on a large file. The chunks a pass after an edit reuses are made by `prepare`, which
   * the host calls when idle, or else by that pass. Later passes are chunked as usual.
   */
  diagnoseParsed(context: FeatureContext): Diagnostic[] {
    const { uri, document, environments, host } = context;
    if (this.placedChunks.length > 0) return this.diagnose(uri, document.text, environments, host);
    const last = this.unchunked;
    if (last?.text === document.text) {
      // The same text again (a pull before `prepare` is done): the chunks made so far still fit
      // it, and so do its diagnostics when nothing else changed. Files are checked on every pass.
      if (last.environments === environments && last.host === host && !namesFiles(document.tables)) return [...last.diagnostics];
    } else {
      this.preparing = undefined;
    }
    const diagnostics = diagnose(context);
    this.unchunked = { uri, text: document.text, environments, host, diagnostics };
    return [...diagnostics];
  }

  /** Whether `prepare` has work: chunks of the text `diagnoseParsed` last answered for are still to be made. */
  needsPreparing(): boolean {
    return this.unchunked !== undefined;
  }

  /** Whether `text` is what `diagnoseParsed` last answered for, and `prepare` has not finished with it. */
  isUnprepared(text: string): boolean {
    return this.unchunked !== undefined && this.unchunked.text === text;
  }

  /**
   * Makes and checks the chunks of the text `diagnoseParsed` last answered for, unless a pass
   * already has. Between two chunks it stops when `shouldYield` says so, and the next call goes on
   * from there, so a host can do it in slices between the requests it answers.
   */
  prepare(shouldYield: () => boolean = never): void {
    const unchunked = this.unchunked;
    if (unchunked === undefined) return;
    const { uri, text, environments } = unchunked;
    const preparing = (this.preparing ??= { starts: chunkStarts(text), placed: [], scope: undefined, checkedCount: 0, line: 0 });
    const { starts, placed } = preparing;
    while (placed.length < starts.length) {
      if (shouldYield()) return;
      const index = placed.length;
      const source = detached(text.slice(starts[index], index + 1 < starts.length ? starts[index + 1] : text.length));
      placed.push({ text: source, chunk: chunkOf(this.parseText(source)) });
    }
    // Then checked as a pass over the text would, under the scope of all of them.
    if (preparing.scope?.environments !== environments) {
      if (shouldYield()) return;
      const chunks = placed.map((each) => each.chunk);
      preparing.scope = documentScope(
        chunks.map((chunk) => chunk.document),
        environments,
        chunks.map((chunk) => chunk.scopeKey),
      );
      preparing.checkedCount = 0;
      preparing.line = 0;
    }
    const { scope } = preparing;
    while (preparing.checkedCount < placed.length) {
      if (shouldYield()) return;
      const { chunk } = placed[preparing.checkedCount++];
      if (chunk.checked?.environments !== environments) chunk.checked = checkChunk(uri, chunk, scope, environments, preparing.line, undefined);
      preparing.line += chunk.lineBreaks;
    }
    // What that pass would leave for the next one.
    this.placedChunks = placed;
    this.placedStarts = starts;
    this.lastTextLength = text.length;
    this.lastScope = scope;
    this.preparing = undefined;
    this.unchunked = undefined;
  }

  /** Same diagnostics as `diagnose` on the whole text, redoing only what an edit can have changed. */
  diagnose(uri: string, text: string, environments: EnvironmentSnapshot, host: LanguageHost): Diagnostic[] {
    // The chunks an unfinished `prepare` made serve as the last pass's: an edit keeps those it did not touch.
    if (this.preparing !== undefined && this.unchunked !== undefined && this.placedChunks.length === 0) {
      this.placedChunks = this.preparing.placed;
      this.placedStarts = this.preparing.starts.slice(0, this.preparing.placed.length);
      this.lastTextLength = this.unchunked.text.length;
    }
    this.preparing = undefined;
    this.unchunked = undefined;
    const starts = chunkStarts(text);
    const previous = this.placedChunks;
    const previousStarts = this.placedStarts;
    // An edit leaves the chunks before it where they were and moves those after it by the change in length.
    const shift = text.length - this.lastTextLength;
    const placedChunks: PlacedChunk[] = new Array<PlacedChunk>(starts.length);
    const chunks: Chunk[] = new Array<Chunk>(starts.length);
    const keys: string[] = new Array<string>(starts.length);
    let cursor = 0;
    for (let index = 0; index < starts.length; index++) {
      const start = starts[index];
      const chunkText = text.slice(start, index + 1 < starts.length ? starts[index + 1] : text.length);
      // Found by position and compared, not hashed: hashing every chunk's text cost as much as parsing one.
      while (cursor < previousStarts.length && previousStarts[cursor] < start - Math.max(shift, 0)) cursor++;
      let placed = sameText(previous, previousStarts, cursor, start, chunkText) ?? sameText(previous, previousStarts, cursor, start - shift, chunkText);
      if (placed === undefined) {
        const source = detached(chunkText);
        placed = { text: source, chunk: chunkOf(this.parseText(source)) };
      }
      placedChunks[index] = placed;
      chunks[index] = placed.chunk;
      keys[index] = placed.chunk.scopeKey;
    }
    this.placedChunks = placedChunks;
    this.placedStarts = starts;
    this.lastTextLength = text.length;

    // When no name changed meaning anywhere, the last scope (and what it resolved) still holds,
    // and so does every chunk checked under it.
    const scopeUnchanged = this.lastScope !== undefined && this.lastScope.environments === environments && sameKeys(this.lastScope.keys, keys);
    const scope =
      scopeUnchanged && this.lastScope !== undefined
        ? this.lastScope
        : documentScope(
            chunks.map((chunk) => chunk.document),
            environments,
            keys,
          );
    this.lastScope = scope;
    const diagnostics: Diagnostic[] = [];
    let line = 0;
    for (const chunk of chunks) {
      let checked = chunk.checked;
      // Under an unchanged scope every chunk kept from the last pass was checked under it.
      let signature: string | undefined;
      if (checked !== undefined && (checked.environments !== environments || (!scopeUnchanged && checkedSignature(chunk, checked) !== (signature = signatureOf(chunk, scope))))) {
        checked = undefined;
      }
      if (checked === undefined) {
        checked = checkChunk(uri, chunk, scope, environments, line, signature);
        chunk.checked = checked;
      }
      let placed = checked.diagnostics;
      if (line !== checked.line) {
        if (chunk.placed === undefined || chunk.placed.line !== line || chunk.placed.source !== placed) {
          const lines = line - checked.line;
          const shifted: Diagnostic[] = [];
          for (let index = 0; index < placed.length; index++) shifted.push(shiftLines(placed[index], lines));
          chunk.placed = { line, source: placed, diagnostics: placed.length === 0 ? noDiagnostics : shifted };
        }
        placed = chunk.placed.diagnostics;
      }
      // The file system changes without the text changing: file checks are never cached.
      let missing = noProblems;
      if (chunk.namesFiles) {
        const found: ProblemList = [];
        const context: FeatureContext = { uri, document: chunk.document, environments, host };
        for (let block = 0; block < chunk.document.tables.blocks.count; block++) missingFiles(found, context, block);
        missing = found;
      }
      if (missing.length === 0) {
        // Empty lists are all `noDiagnostics` (see there).
        if (placed !== noDiagnostics) for (let index = 0; index < placed.length; index++) diagnostics.push(placed[index]);
      } else {
        const merged = [...placed, ...missing.map((problem) => toDiagnostic(uri, chunk.document, problem, line))];
        for (const diagnostic of merged.sort(byPosition)) diagnostics.push(diagnostic);
      }
      line += chunk.lineBreaks;
    }
    return diagnostics;
  }
}

function shiftLines(diagnostic: Diagnostic, lines: number): Diagnostic {
  if (lines === 0) return diagnostic;
  const shifted: Diagnostic = { ...diagnostic, range: shiftRange(diagnostic.range, lines) };
  if (diagnostic.relatedInformation !== undefined) {
    shifted.relatedInformation = diagnostic.relatedInformation.map((related) => ({ ...related, location: { uri: related.location.uri, range: shiftRange(related.location.range, lines) } }));
  }
  return shifted;
}

function shiftRange(range: Range, lines: number): Range {
  return Range.create(range.start.line + lines, range.start.character, range.end.line + lines, range.end.character);
}

/** `problem` as a diagnostic, `lineOffset` lines below where it is in `document` (a chunk's own lines start at 0). */
function toDiagnostic(uri: string, document: HttpDocument, problem: Problem, lineOffset = 0): Diagnostic {
  // A literal rather than `Diagnostic.create`, which adds fields one at a time: see `add`.
  const diagnostic: Diagnostic = { range: spanRange(document, problem, lineOffset), message: problem.message, severity: severities[problem.severity], code: problem.code, source: 'courier' };
  if (problem.unnecessary === true) diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (problem.suggestion !== undefined) diagnostic.data = { suggestion: problem.suggestion } satisfies DiagnosticFixData;
  if (problem.define !== undefined) diagnostic.data = { define: problem.define } satisfies DiagnosticFixData;
  if (problem.related !== undefined) diagnostic.relatedInformation = [{ location: { uri, range: spanRange(document, problem.related, lineOffset) }, message: problem.related.message }];
  return diagnostic;
}

function spanRange(document: HttpDocument, span: Span, lineOffset: number): Range {
  const start = offsetToPosition(document, span.start);
  const end = offsetToPosition(document, span.end);
  return Range.create(start.line + lineOffset, start.character, end.line + lineOffset, end.character);
}

const severities: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

type ProblemList = Problem[];

/** What some problems carry besides a span, a code, a severity and a message. */
type ProblemExtras = Pick<Problem, 'unnecessary' | 'suggestion' | 'define' | 'related'>;

const noExtras: ProblemExtras = {};

/**
 * Every problem has every field, so all share one hidden class, which the literal keeps alive.
 * A spread of `extra` made one per combination, alive only while some problem was: each full
 * GC between two passes freed them and V8 threw away the optimised code that used them.
 */
function add(list: ProblemList, span: Span, code: Code, severity: Severity, message: string, extra: ProblemExtras = noExtras): void {
  list.push({ start: span.start, end: span.end, code, severity, message, unnecessary: extra.unnecessary, suggestion: extra.suggestion, define: extra.define, related: extra.related });
}

/** Scratch for `blockTemplates`, reused for every block. */
const templateRanges: number[] = [];

/**
 * Appends the semantic problems of block `block` (an index in the document's tables) to `list`.
 * The checks read the parser's tables, not the object tree: a first pass over a large document
 * then costs no object per node. Indexed loops throughout: every block of a large document comes through.
 */
function checkBlock(list: ProblemList, document: HttpDocument, block: number, scope: DocumentScope, verdicts: Uint8Array): void {
  const { text, tables } = document;
  const blocks = tables.blocks.data;
  const at = block * Blk.size;
  const directives = tables.directives.data;
  let prompts: Set<string> | undefined;
  const firstDirective = blocks[at + Blk.firstDirective];
  for (let index = firstDirective; index < firstDirective + blocks[at + Blk.directiveCount]; index++) {
    const directive = index * Dir.size;
    const nameStart = directives[directive + Dir.nameStart];
    const nameEnd = directives[directive + Dir.nameEnd];
    // `@name` on nearly every request: known without a copy of its text.
    if (nameEnd - nameStart === 4 && text.startsWith('name', nameStart)) continue;
    const prompted = promptedName(document, index);
    if (prompted !== undefined) (prompts ??= new Set()).add(prompted);
    const name = text.slice(nameStart, nameEnd);
    if (lookupDirective(name) !== undefined) continue;
    const suggestion = suggestDirective(name);
    const hint = suggestion === undefined ? 'Courier ignores it.' : `Did you mean @${suggestion}?`;
    add(list, { start: nameStart, end: nameEnd }, Code.DirectiveUnknown, 'hint', `Unknown directive @${name}. ${hint}`, suggestion === undefined ? {} : { suggestion });
  }
  const written = blockTemplates(tables, block, templateRanges);
  for (let index = 0; index < written; index += 2) checkReferences(list, tables, templateRanges[index], templateRanges[index + 1], scope, verdicts, prompts);
  const request = blocks[at + Blk.request];
  if (request === -1) return;
  const req = request * Req.size;
  checkRequest(list, document, req, scope);
}

/** A target's verdict in one pass (see `Verdict`): by its index in the document's `targets`, as most are checked thousands of times. */
const Verdict = {
  unknown: 0,
  /** Defined, or a system variable Courier knows: nothing to report. */
  known: 1,
  /** Nothing defines it, though a block's `@prompt` may. */
  unknownName: 2,
} as const;

/** Verdicts for the targets of `document`'s references, all unknown. */
function newVerdicts(document: HttpDocument): Uint8Array {
  return new Uint8Array(document.tables.targets.length);
}

/** The references of the `count` templates from `first`. */
function checkReferences(
  list: ProblemList,
  tables: ReadonlySyntaxTables,
  first: number,
  count: number,
  scope: DocumentScope,
  verdicts: Uint8Array,
  prompts: ReadonlySet<string> | undefined,
): void {
  const templates = tables.templates.data;
  const refs = tables.refs.data;
  for (let template = first; template < first + count; template++) {
    const firstRef = templates[template * Tpl.size + Tpl.firstRef];
    const end = firstRef + templates[template * Tpl.size + Tpl.refCount];
    for (let ref = firstRef; ref < end; ref++) {
      const at = ref * Ref.size;
      if (refs[at + Ref.terminated] !== 1) continue;
      const index = refs[at + Ref.target];
      let verdict = verdicts[index];
      if (verdict === Verdict.unknown) verdicts[index] = verdict = judge(tables.targets[index], scope);
      if (verdict === Verdict.known) continue;
      reportReference(list, refs, at, tables.targets[index], scope, prompts);
    }
  }
}

/** Whether `target` is known in `scope`, whatever the block it is in. */
function judge(target: SharedTarget, scope: DocumentScope): number {
  switch (target.kind) {
    case 'variable':
      return scope.fileVariables.has(target.name) || scope.environments.variables.has(target.name) ? Verdict.known : Verdict.unknownName;
    case 'system':
      return isSystemVariable(target.name) ? Verdict.known : Verdict.unknownName;
    case 'request':
      return scope.requestNames.has(target.requestName) ? Verdict.known : Verdict.unknownName;
    case 'invalid':
      // The parser reported it.
      return Verdict.known;
  }
}

/** The problem with the reference at `at`, whose target is not known in `scope`, unless the block prompts for it. */
function reportReference(list: ProblemList, refs: ArrayLike<number>, at: number, target: SharedTarget, scope: DocumentScope, prompts: ReadonlySet<string> | undefined): void {
  switch (target.kind) {
    case 'variable':
      if (prompts?.has(target.name) === true) return;
      add(list, { start: refs[at + Ref.expressionStart], end: refs[at + Ref.expressionEnd] }, Code.VariableUndefined, 'warning', undefinedVariableMessage(target.name, scope), { define: target.name });
      return;
    case 'system':
      add(list, { start: refs[at + Ref.expressionStart], end: refs[at + Ref.expressionEnd] }, Code.VariableUndefined, 'warning', `Unknown system variable $${target.name.replace(/^\$/, '')}: see the completion list after {{$ for the supported ones.`);
      return;
    case 'request': {
      // The target is shared by every reference with this expression: the name's span is this one's.
      const nameStart = refs[at + Ref.expressionStart];
      add(list, { start: nameStart, end: nameStart + target.requestName.length }, Code.RequestUndefined, 'warning', `No request is named '${target.requestName}' in this file: name one with '# @name ${target.requestName}' or '### ${target.requestName}'.`);
      return;
    }
    case 'invalid':
      return;
  }
}

function undefinedVariableMessage(name: string, scope: DocumentScope): string {
  const where = scope.environments.active === undefined ? 'an env file' : `environment '${scope.environments.active}'`;
  return `Variable '${name}' is not defined: add '@${name} = value' to this file, define it in ${where}, or ask for it with '# @prompt ${name}'.`;
}

/** Checks of the request whose record starts at `req` in the requests table. */
function checkRequest(list: ProblemList, document: HttpDocument, req: number, scope: DocumentScope): void {
  const { text, tables } = document;
  const requests = tables.requests.data;
  const methodStart = requests[req + Req.methodStart];
  if (methodStart !== -1) {
    const method = text.slice(methodStart, requests[req + Req.methodEnd]);
    if (!isKnownMethod(method)) {
      const span = { start: methodStart, end: requests[req + Req.methodEnd] };
      const suggestion = suggestMethod(method);
      if (suggestion !== undefined) {
        add(list, span, Code.MethodUnknown, 'warning', `Unknown method '${method}'. Did you mean ${suggestion}?`, { suggestion });
      } else {
        add(list, span, Code.MethodUnknown, 'information', `Unknown method '${method}': servers may reject it.`);
      }
    }
  }
  checkHeaders(list, document, req);
  checkTarget(list, document, req, scope);
  checkBody(list, document, req);
}

function checkHeaders(list: ProblemList, document: HttpDocument, req: number): void {
  const { text, tables } = document;
  const requests = tables.requests.data;
  const headers = tables.headers.data;
  const firstHeader = requests[req + Req.firstHeader];
  const end = firstHeader + requests[req + Req.headerCount];
  for (let index = firstHeader; index < end; index++) {
    const header = index * Hdr.size;
    const nameStart = headers[header + Hdr.nameStart];
    const nameEnd = headers[header + Hdr.nameEnd];
    if (headers[header + Hdr.colon] === -1 || nameEnd === nameStart) continue;
    if (equalsIgnoringCaseAt(text, nameStart, nameEnd, 'content-length')) {
      add(list, { start: headers[header + Hdr.start], end: headers[header + Hdr.end] }, Code.ContentLengthComputed, 'hint', 'Courier computes Content-Length from the body; remove this header so it never disagrees.', { unnecessary: true });
    }
    // Requests have a handful of headers: a scan back finds the first of a name without a map or lower-cased copies.
    const first = firstHeaderNamed(document, firstHeader, index, nameStart, nameEnd);
    if (first !== -1) {
      const name = text.slice(nameStart, nameEnd);
      if (isSingleValuedHeader(name)) {
        const firstStart = headers[first * Hdr.size + Hdr.nameStart];
        const firstEnd = headers[first * Hdr.size + Hdr.nameEnd];
        add(list, { start: nameStart, end: nameEnd }, Code.HeaderDuplicate, 'warning', `${name} may appear only once per request: servers reject or ignore the repeat. Keep one.`, {
          related: { start: firstStart, end: firstEnd, message: `first ${text.slice(firstStart, firstEnd)}` },
        });
      }
    }
    if (equalsIgnoringCaseAt(text, nameStart, nameEnd, 'content-type')) {
      const value = headerValue(document, index);
      if (/^\s*multipart\//i.test(value) && !/;\s*boundary\s*=/i.test(value)) {
        const written = boundaryInBody(document, req);
        const example = `${mediaType(value)}; boundary=${written ?? '----CourierBoundary'}`;
        const message = `Multipart Content-Type needs a boundary parameter matching the body's '--' lines, e.g. '${example}'.`;
        add(list, headerValueSpan(document, index), Code.MultipartNoBoundary, 'error', message, written === undefined ? {} : { suggestion: `${value.trim()}; boundary=${written}` });
      }
    }
  }
}

/** The first header in `[first, before)` (with a colon) whose name is `text[nameStart, nameEnd)`, ignoring case; -1 if none. */
function firstHeaderNamed(document: HttpDocument, first: number, before: number, nameStart: number, nameEnd: number): number {
  const { text } = document;
  const headers = document.tables.headers.data;
  for (let index = first; index < before; index++) {
    const header = index * Hdr.size;
    if (headers[header + Hdr.colon] !== -1 && sameNameIgnoringCase(text, headers[header + Hdr.nameStart], headers[header + Hdr.nameEnd], nameStart, nameEnd)) return index;
  }
  return -1;
}

/** The first header of the request at `req` (with a colon) named `lowerName`, ignoring case; -1 if none. */
function findHeader(document: HttpDocument, req: number, lowerName: string): number {
  const { text } = document;
  const requests = document.tables.requests.data;
  const headers = document.tables.headers.data;
  const first = requests[req + Req.firstHeader];
  for (let index = first; index < first + requests[req + Req.headerCount]; index++) {
    const header = index * Hdr.size;
    if (headers[header + Hdr.colon] !== -1 && equalsIgnoringCaseAt(text, headers[header + Hdr.nameStart], headers[header + Hdr.nameEnd], lowerName)) return index;
  }
  return -1;
}

/** The value of header `index`: its lines joined by one space. */
function headerValue(document: HttpDocument, index: number): string {
  const headers = document.tables.headers.data;
  return joinedText(document.text, document.tables.templates.data, headers[index * Hdr.size + Hdr.firstValue], headers[index * Hdr.size + Hdr.valueCount], ' ');
}

/** Where the value of header `index` is: from its first non-empty line to its last line's end. */
function headerValueSpan(document: HttpDocument, index: number): Span {
  const headers = document.tables.headers.data;
  const templates = document.tables.templates.data;
  const first = headers[index * Hdr.size + Hdr.firstValue];
  const last = first + headers[index * Hdr.size + Hdr.valueCount] - 1;
  const firstStart = templates[first * Tpl.size + Tpl.start];
  const firstEmpty = templates[first * Tpl.size + Tpl.end] === firstStart;
  const start = firstEmpty && last > first ? templates[(first + 1) * Tpl.size + Tpl.start] : firstStart;
  return { start, end: templates[last * Tpl.size + Tpl.end] };
}


/** The boundary the body's first `--boundary` line uses, if it has one. */
function boundaryInBody(document: HttpDocument, req: number): string | undefined {
  const { text, tables } = document;
  const requests = tables.requests.data;
  const parts = tables.parts.data;
  const templates = tables.templates.data;
  const firstPart = requests[req + Req.firstPart];
  for (let index = firstPart; index < firstPart + requests[req + Req.partCount]; index++) {
    if (parts[index * Part.size + Part.kind] !== PartKind.text) continue;
    const template = parts[index * Part.size + Part.template] * Tpl.size;
    const match = /^--([^\s]+?)(?:--)?[ \t]*$/m.exec(text.slice(templates[template + Tpl.start], templates[template + Tpl.end]));
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/** `mediaType(contentType)`, without its three copies for the usual `application/json[;...]`: every body with a Content-Type asks. */
function bodyMediaType(contentType: string): string {
  const json = 'application/json';
  if (contentType.startsWith(json) && (contentType.length === json.length || contentType.charCodeAt(json.length) === 0x3b /* ; */)) return json;
  return mediaType(contentType);
}

function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function checkTarget(list: ProblemList, document: HttpDocument, req: number, scope: DocumentScope): void {
  const { tables } = document;
  const requests = tables.requests.data;
  const templates = tables.templates.data;
  const first = requests[req + Req.firstTarget];
  const count = requests[req + Req.targetCount];
  const form = requests[req + Req.form];
  const span = { start: templates[first * Tpl.size + Tpl.start], end: templates[(first + count - 1) * Tpl.size + Tpl.end] };
  if ((count === 1 && span.start === span.end) || form === TargetForm.asterisk) return;
  const targetText = targetTextAt(document, req / Req.size);
  if (targetText === '') return;
  const host = findHeader(document, req, 'host');
  if (form === TargetForm.origin && host === -1) {
    add(list, span, Code.HostMissing, 'warning', `'${targetText}' has no host: add a 'Host: example.com' header or write the absolute URL.`);
    return;
  }
  // Most targets are `{{baseUrl}}/...`: when that value alone is a plain web URL up to its path,
  // the whole target is one or does not resolve; either way there is nothing to report, and no
  // URL to build (about -5 ms a pass over 20,000 requests).
  const leading = count === 1 ? leadingVariableOfLine(document, first) : leadingVariable(targetText);
  if (leading !== undefined && hasPlainWebOrigin(leading, scope)) return;
  const path = count === 1 ? substituteLine(document, first, scope) : substituteText(targetText, scope);
  if (path === undefined) return;
  // `{{base}}/x` only shows its form once substituted.
  const hasReferences = countReferences(templates, first, count) > 0;
  const substitutedForm = !hasReferences ? form : startsWithScheme(path) ? TargetForm.absolute : path.startsWith('/') ? TargetForm.origin : TargetForm.other;
  let url: string;
  if (substitutedForm === TargetForm.absolute) url = path;
  else if (substitutedForm === TargetForm.origin) {
    const hostValue = host === -1 ? undefined : substituteHeaderValue(document, host, scope);
    if (hostValue === undefined) return;
    url = `http://${hostValue}${path}`;
  } else url = `http://${path}`;
  const problem = urlProblem(url, scope);
  if (problem !== undefined) {
    const shown = path === targetText ? `'${targetText}'` : `'${targetText}' (= '${path}')`;
    add(list, span, Code.UrlInvalid, 'error', `${shown} is ${problem}; check the scheme, host and port.`);
  }
}

function countReferences(templates: ArrayLike<number>, first: number, count: number): number {
  let references = 0;
  for (let template = first; template < first + count; template++) references += templates[template * Tpl.size + Tpl.refCount];
  return references;
}

/** The value of variable `name` with every reference substituted; undefined when that is not possible here. */
function resolvedVariable(name: string, scope: DocumentScope): string | undefined {
  if (scope.resolved.has(name)) return scope.resolved.get(name);
  scope.resolved.set(name, undefined); // a variable defined through itself resolves to nothing
  const value = scope.fileVariables.get(name) ?? scope.environments.variables.get(name)?.value;
  const result = value === undefined ? undefined : substituteText(value, scope);
  scope.resolved.set(name, result);
  return result;
}

/** Whether variable `name`'s value starts with a plain web origin; remembered for the pass, since most targets start with the same variable. */
function hasPlainWebOrigin(name: string, scope: DocumentScope): boolean {
  let verdict = scope.plainOrigins.get(name);
  if (verdict === undefined) {
    verdict = startsWithPlainWebOrigin(resolvedVariable(name, scope));
    scope.plainOrigins.set(name, verdict);
  }
  return verdict;
}

/** What is wrong with `url`, if anything; remembered for the pass, since requests share URLs. */
function urlProblem(url: string, scope: DocumentScope): string | undefined {
  // Most targets are plain web URLs, each different (ids in paths): no parse, and nothing to remember.
  if (isPlainWebUrl(url)) return undefined;
  if (scope.urlVerdicts.has(url)) return scope.urlVerdicts.get(url);
  let problem: string | undefined;
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) problem = `unsupported scheme '${parsed.protocol}' (use http or https)`;
  } catch {
    problem = 'not a valid URL';
  }
  scope.urlVerdicts.set(url, problem);
  return problem;
}

/**
 * Whether `url` is certainly one `new URL` accepts with an http, https, ws or wss scheme:
 * `scheme://host[:port]` then nothing or `/`, `?`, `#` and anything (paths, queries and
 * fragments never fail to parse). The host is plain dot-separated labels of letters, digits
 * and `-`, its last label starting with a letter (so it is no IPv4 address) and none starting
 * with `xn--` (punycode, which may fail to decode). Anything else is left to `new URL`.
 */
export function isPlainWebUrl(url: string): boolean {
  const offset = plainWebOriginEnd(url);
  if (offset === -1) return false;
  if (offset === url.length) return true;
  return isAfterOrigin(url.charCodeAt(offset));
}

/** Whether `value` starts with what `isPlainWebUrl` accepts, followed by `/`, `?` or `#`: whatever is appended, it stays plain. */
function startsWithPlainWebOrigin(value: string | undefined): boolean {
  if (value === undefined) return false;
  const offset = plainWebOriginEnd(value);
  return offset !== -1 && offset < value.length && isAfterOrigin(value.charCodeAt(offset));
}

function isAfterOrigin(code: number): boolean {
  return code === 0x2f /* / */ || code === 0x3f /* ? */ || code === 0x23 /* # */;
}

/** Where the plain `scheme://host[:port]` that `url` starts with ends (see `isPlainWebUrl`), or -1. */
function plainWebOriginEnd(url: string): number {
  const hostStart = webSchemeLength(url);
  if (hostStart === 0) return -1;
  let offset = hostStart;
  let labelStart = offset;
  for (; offset < url.length; offset++) {
    const code = url.charCodeAt(offset);
    if (code === 0x2e /* . */) {
      if (!isPlainLabel(url, labelStart, offset)) return -1;
      labelStart = offset + 1;
    } else if (!isLabelCharacter(code)) break;
  }
  if (!isPlainLabel(url, labelStart, offset) || !isAsciiLetter(url.charCodeAt(labelStart) | 0x20)) return -1;
  if (offset < url.length && url.charCodeAt(offset) === 0x3a /* : */) {
    const portStart = offset + 1;
    let port = 0;
    for (offset = portStart; offset < url.length && isAsciiDigit(url.charCodeAt(offset)); offset++) port = port * 10 + url.charCodeAt(offset) - 0x30;
    if (offset === portStart || offset - portStart > 5 || port > 65535) return -1;
  }
  return offset;
}

/** Length of a leading `http://`, `https://`, `ws://` or `wss://` (any case), or 0. Char codes, no copies: every target asks. */
function webSchemeLength(url: string): number {
  const colon = url.indexOf('://');
  if (colon !== 2 && colon !== 3 && colon !== 4 && colon !== 5) return 0;
  const isHttp = colon >= 4 && hasAt(url, 0, 'http') && (colon === 4 || (url.charCodeAt(4) | 0x20) === 0x73 /* s */);
  const isWs = colon <= 3 && hasAt(url, 0, 'ws') && (colon === 2 || (url.charCodeAt(2) | 0x20) === 0x73 /* s */);
  return isHttp || isWs ? colon + 3 : 0;
}

/** Whether `url` has `lowerWord` at `offset`, ignoring ASCII case. */
function hasAt(url: string, offset: number, lowerWord: string): boolean {
  for (let index = 0; index < lowerWord.length; index++) {
    if ((url.charCodeAt(offset + index) | 0x20) !== lowerWord.charCodeAt(index)) return false;
  }
  return true;
}

function isPlainLabel(url: string, start: number, end: number): boolean {
  return end > start && !(end - start >= 4 && hasAt(url, start, 'xn--'));
}

function isLabelCharacter(code: number): boolean {
  return isAsciiLetter(code | 0x20) || isAsciiDigit(code) || code === 0x2d /* - */;
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * The variable whose value the one-line template `template` starts with, when its text starts
 * with a reference to one, as `substitute` reads it; undefined otherwise.
 */
function leadingVariableOfLine(document: HttpDocument, template: number): string | undefined {
  const { text, tables } = document;
  const at = template * Tpl.size;
  const start = tables.templates.data[at + Tpl.start];
  if (!text.startsWith('{{', start) || tables.templates.data[at + Tpl.end] - start < 2) return undefined;
  if (tables.templates.data[at + Tpl.refCount] === 0) return undefined;
  const ref = tables.templates.data[at + Tpl.firstRef] * Ref.size;
  const refs = tables.refs.data;
  const target = tables.targets[refs[ref + Ref.target]];
  return refs[ref + Ref.start] === start && refs[ref + Ref.terminated] === 1 && target.kind === 'variable' ? target.name : undefined;
}

/** `leadingVariableOfLine` for a text joined from several lines. */
function leadingVariable(text: string): string | undefined {
  if (!text.startsWith('{{')) return undefined;
  const close = referenceClose(text, 0);
  return text.startsWith('}}', close) ? text.slice(2, close).trim() : undefined;
}

/** Where the reference opened at `open` closes, as `substituteText` reads it: the first brace after `{{`. */
function referenceClose(text: string, open: number): number {
  let close = open + 2;
  while (close < text.length && text.charCodeAt(close) !== 0x7b /* { */ && text.charCodeAt(close) !== 0x7d /* } */) close++;
  return close;
}

/** The one-line template's text with known variables substituted; undefined when any reference cannot be resolved here. */
function substituteLine(document: HttpDocument, template: number, scope: DocumentScope): string | undefined {
  const { text, tables } = document;
  const at = template * Tpl.size;
  const templates = tables.templates.data;
  const start = templates[at + Tpl.start];
  const end = templates[at + Tpl.end];
  const firstRef = templates[at + Tpl.firstRef];
  const refCount = templates[at + Tpl.refCount];
  if (refCount === 0) return text.slice(start, end);
  // The text is its source, so references are spliced by offset, without a regex.
  const refs = tables.refs.data;
  let result = '';
  let from = start;
  for (let ref = firstRef; ref < firstRef + refCount; ref++) {
    const target = tables.targets[refs[ref * Ref.size + Ref.target]];
    if (target.kind !== 'variable' || refs[ref * Ref.size + Ref.terminated] !== 1) return undefined;
    const value = resolvedVariable(target.name, scope);
    if (value === undefined) return undefined;
    result += text.slice(from, refs[ref * Ref.size + Ref.start]) + value;
    from = refs[ref * Ref.size + Ref.end];
  }
  return result + text.slice(from, end);
}

/** Header `index`'s value with known variables substituted; undefined when that is not possible here. */
function substituteHeaderValue(document: HttpDocument, index: number, scope: DocumentScope): string | undefined {
  const headers = document.tables.headers.data;
  if (headers[index * Hdr.size + Hdr.valueCount] === 1) return substituteLine(document, headers[index * Hdr.size + Hdr.firstValue], scope);
  return substituteText(headerValue(document, index), scope);
}

/**
 * Longest value a variable resolves to here. Definitions that each repeat the next twice
 * (`@a = {{b}}{{b}}`, `@b = {{c}}{{c}}`, ...) double at every level: forty levels would
 * otherwise take minutes to build and then throw `Invalid string length`.
 */
const maxResolvedLength = 65_536;

/**
 * `text` with every `{{ name }}` (no braces inside) replaced by its resolved value; undefined when
 * one cannot be resolved here or the result grows past `maxResolvedLength`. Scanned by hand: the
 * regular expression it replaces (`\{\{\s*([^{}]*?)\s*\}\}`) backtracks polynomially on long blank runs.
 */
function substituteText(text: string, scope: DocumentScope): string | undefined {
  let open = text.indexOf('{{');
  if (open === -1) return text;
  let result = '';
  let copiedUpTo = 0;
  let resolvable = true;
  while (open !== -1) {
    const close = referenceClose(text, open);
    if (!text.startsWith('}}', close)) {
      open = text.indexOf('{{', open + 1);
      continue;
    }
    // Every reference is resolved, even after one fails, so what is remembered does not depend on order.
    const resolved = resolvedVariable(text.slice(open + 2, close).trim(), scope);
    if (resolved === undefined) resolvable = false;
    else if (resolvable) {
      result += text.slice(copiedUpTo, open) + resolved;
      if (result.length > maxResolvedLength) resolvable = false;
    }
    copiedUpTo = close + 2;
    open = text.indexOf('{{', copiedUpTo);
  }
  if (!resolvable) return undefined;
  result += text.slice(copiedUpTo);
  return result.length > maxResolvedLength || result.includes('{{') ? undefined : result;
}

function checkBody(list: ProblemList, document: HttpDocument, req: number): void {
  const { text, tables } = document;
  const requests = tables.requests.data;
  const bodyStart = requests[req + Req.bodyStart];
  if (bodyStart === -1) return;
  const method = methodNameAt(document, req / Req.size).toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    add(list, { start: bodyStart, end: requests[req + Req.bodyEnd] }, Code.BodyOnGetOrHead, 'warning', `A ${method} request with a body: many servers and proxies drop or reject it. Use POST, or move the data into the query string.`);
  }
  const contentType = findHeader(document, req, 'content-type');
  if (contentType === -1 || requests[req + Req.graphql] !== -1 || requests[req + Req.multipart] !== -1) return;
  const type = bodyMediaType(headerValue(document, contentType));
  if (type !== 'application/json' && !type.endsWith('+json')) return;
  const part = requests[req + Req.firstPart] * Part.size;
  if (requests[req + Req.partCount] !== 1 || tables.parts.data[part + Part.kind] !== PartKind.text) return;
  const template = tables.parts.data[part + Part.template] * Tpl.size;
  const start = tables.templates.data[template + Tpl.start];
  const error = findJsonError(text.slice(start, tables.templates.data[template + Tpl.end]), { allowTemplates: true });
  if (error === undefined) return;
  const errorStart = start + error.start;
  add(list, { start: errorStart, end: Math.max(start + error.end, errorStart) }, Code.BodyInvalidJson, 'warning', `Invalid JSON body (Content-Type is ${type}): ${error.message}`);
}

/** Files named in block `block`'s bodies and handlers that do not exist; never cached, the file system changes. */
function missingFiles(problems: ProblemList, context: FeatureContext, block: number): void {
  const { text, tables } = context.document;
  const request = tables.blocks.data[block * Blk.size + Blk.request];
  if (request === -1) return;
  const req = request * Req.size;
  const requests = tables.requests.data;
  const check = (start: number, end: number, hasReferences: boolean, what: string): void => {
    const name = text.slice(start, end).trim();
    if (name === '' || hasReferences) return;
    if (context.host.fileExists(context.uri, name)) return;
    add(problems, { start, end }, Code.FileMissing, 'warning', `${what} '${name}' does not exist (paths are relative to this file's folder).`);
  };
  const checkParts = (first: number, count: number): void => {
    const parts = tables.parts.data;
    const templates = tables.templates.data;
    for (let index = first; index < first + count; index++) {
      if (parts[index * Part.size + Part.kind] !== PartKind.file) continue;
      const template = parts[index * Part.size + Part.template] * Tpl.size;
      check(templates[template + Tpl.start], templates[template + Tpl.end], templates[template + Tpl.refCount] > 0, 'Body file');
    }
  };
  checkParts(requests[req + Req.firstPart], requests[req + Req.partCount]);
  const multipart = requests[req + Req.multipart];
  if (multipart !== -1) {
    const multiparts = tables.multiparts.data;
    const firstPart = multiparts[multipart * Multi.size + Multi.firstPart];
    const parts = tables.multipartParts.data;
    for (let index = firstPart; index < firstPart + multiparts[multipart * Multi.size + Multi.partCount]; index++) {
      checkParts(parts[index * MPart.size + MPart.firstPart], parts[index * MPart.size + MPart.partCount]);
    }
  }
  const handlers = tables.handlers.data;
  const firstHandler = requests[req + Req.firstHandler];
  for (let index = firstHandler; index < firstHandler + requests[req + Req.handlerCount]; index++) {
    const handler = index * Handler.size;
    if (handlers[handler + Handler.kind] === HandlerKind.file) check(handlers[handler + Handler.contentStart], handlers[handler + Handler.contentEnd], false, 'Response handler');
  }
}

/** Whether a body part, a multipart part or a handler of the document names a file. */
function namesFiles(tables: ReadonlySyntaxTables): boolean {
  for (let index = 0; index < tables.parts.count; index++) if (tables.parts.data[index * Part.size + Part.kind] === PartKind.file) return true;
  for (let index = 0; index < tables.handlers.count; index++) if (tables.handlers.data[index * Handler.size + Handler.kind] === HandlerKind.file) return true;
  return false;
}

/** Quick fixes for the given diagnostics: "did you mean" replacements and removing a needless Content-Length. */
export function codeActions(context: FeatureContext, _range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const suggestion = (diagnostic.data as DiagnosticFixData | undefined)?.suggestion;
    const fixable = diagnostic.code === Code.MethodUnknown || diagnostic.code === Code.DirectiveUnknown || diagnostic.code === Code.MultipartNoBoundary;
    if (fixable && typeof suggestion === 'string') {
      const action = CodeAction.create(`Change to '${suggestion}'`, { changes: { [context.uri]: [TextEdit.replace(diagnostic.range, suggestion)] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    const define = (diagnostic.data as DiagnosticFixData | undefined)?.define;
    if (diagnostic.code === Code.VariableUndefined && typeof define === 'string') {
      const action = CodeAction.create(`Define @${define} at the top of this file`, { changes: { [context.uri]: [TextEdit.insert({ line: 0, character: 0 }, `@${define} = \n`)] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
    if (diagnostic.code === Code.ContentLengthComputed) {
      const line = diagnostic.range.start.line;
      const action = CodeAction.create('Remove Content-Length header', { changes: { [context.uri]: [TextEdit.del(Range.create(line, 0, line + 1, 0))] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
  }
  return actions;
}

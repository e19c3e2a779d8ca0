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
import { findJsonError } from './jsonTree';
import { offsetToPosition } from './positions';
import { startsWithScheme } from './scanner';
import type { Block, BodyPart, Header, HttpDocument, Request, ResponseHandler, Severity, Span, Template, VariableReference } from './syntax';

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
  for (const document of documents) {
    for (const variable of document.variables) fileVariables.set(variable.name.text, variable.value.text);
    // Indexed, as in `checkBlock`.
    const requests = document.requests;
    for (let index = 0; index < requests.length; index++) {
      const name = requests[index].name;
      if (name !== undefined) names.push(name.text);
    }
  }
  // Built in one call from an array: adding 20,000 names one `add` at a time took 1.5-2 ms more a pass.
  const requestNames = new Set(names);
  return { keys, fileVariables, requestNames, environments, resolved: new Map(), urlVerdicts: new Map(), plainOrigins: new Map() };
}

/** The names and values a document contributes to the scope, as text: equal keys, equal scopes. */
function scopeKeyOf(document: HttpDocument): string {
  let key = '';
  for (const variable of document.variables) key += `@${variable.name.text}=${variable.value.text}\n`;
  for (const request of document.requests) if (request.name !== undefined) key += `#${request.name.text}\n`;
  return key;
}

/** Every problem in the document, as LSP diagnostics with stable codes and `source: 'courier'`. */
export function diagnose(context: FeatureContext): Diagnostic[] {
  // Read once: callers build `context` afresh each time, and its hidden class may not outlive a
  // GC, so a read after the long loop below would throw away the optimised code.
  const { uri, document, environments } = context;
  const scope = documentScope([document], environments, []);
  const problems: ProblemList = [];
  // Indexed loops, as in `checkBlock`.
  const blocks = document.blocks;
  for (let index = 0; index < blocks.length; index++) {
    checkBlock(problems, blocks[index], scope);
    missingFiles(problems, context, blocks[index]);
  }
  const diagnostics = document.problems.map((problem) => toDiagnostic(uri, document, problem));
  for (let index = 0; index < problems.length; index++) diagnostics.push(toDiagnostic(uri, document, problems[index]));
  return diagnostics.sort(byPosition);
}

/** Document order, so both passes agree and lists read top to bottom. */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

const noProblems: readonly Problem[] = [];

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
  const names: ReferencedNames = { variables: new Set(), requests: new Set() };
  // The templates of `forEachBlockReference`, walked without a callback per block, as in `checkBlock`.
  const blocks = document.blocks;
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    const variables = block.variables;
    for (let item = 0; item < variables.length; item++) addReferencedNames(names, variables[item].value);
    const request = block.request;
    if (request === undefined) continue;
    addReferencedNames(names, request.target);
    const headers = request.headers;
    for (let item = 0; item < headers.length; item++) addReferencedNames(names, headers[item].value);
    if (request.body !== undefined) {
      const parts = request.body.parts;
      for (let item = 0; item < parts.length; item++) {
        const part = parts[item];
        addReferencedNames(names, part.kind === 'text' ? part.text : part.path);
      }
    }
    if (request.outputRedirect !== undefined) addReferencedNames(names, request.outputRedirect.path);
  }
  let namesFiles = false;
  const requests = document.requests;
  for (let index = 0; index < requests.length && !namesFiles; index++) namesFiles = namesFile(requests[index]);
  return {
    document,
    lineBreaks: document.lineStarts.length - 1,
    scopeKey: scopeKeyOf(document),
    variableNames: [...names.variables],
    requestNames: [...names.requests],
    namesFiles,
    checked: undefined,
    placed: undefined,
  };
}

/** The distinct names a chunk refers to. */
interface ReferencedNames {
  readonly variables: Set<string>;
  readonly requests: Set<string>;
}

function addReferencedNames(names: ReferencedNames, template: Template): void {
  const references = template.references;
  for (let index = 0; index < references.length; index++) {
    const target = references[index].target;
    if (target.kind === 'variable') names.variables.add(target.name);
    else if (target.kind === 'request') names.requests.add(target.requestName);
  }
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
  private unchunked: { readonly uri: string; readonly text: string; readonly environments: EnvironmentSnapshot; readonly host: LanguageHost } | undefined;

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
    this.unchunked = { uri, text: document.text, environments, host };
    return diagnose(context);
  }

  /** Makes and checks the chunks of the text `diagnoseParsed` last answered for, unless a pass already has. */
  prepare(): void {
    const unchunked = this.unchunked;
    if (unchunked === undefined) return;
    this.diagnose(unchunked.uri, unchunked.text, unchunked.environments, unchunked.host);
  }

  /** Same diagnostics as `diagnose` on the whole text, redoing only what an edit can have changed. */
  diagnose(uri: string, text: string, environments: EnvironmentSnapshot, host: LanguageHost): Diagnostic[] {
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
        // Diagnostics built at the chunk's line, not relative to it and then moved: on a first pass they are handed out as they are.
        const { document } = chunk;
        const found = document.problems.map((problem) => toDiagnostic(uri, document, problem, line));
        const problems: ProblemList = [];
        for (const block of document.blocks) checkBlock(problems, block, scope);
        for (const problem of problems) found.push(toDiagnostic(uri, document, problem, line));
        checked = { environments, line, diagnostics: found.sort(byPosition), signature, scope: signature === undefined ? scope : undefined };
        chunk.checked = checked;
      }
      let placed = checked.diagnostics;
      if (line !== checked.line) {
        if (chunk.placed === undefined || chunk.placed.line !== line || chunk.placed.source !== placed) {
          const lines = line - checked.line;
          chunk.placed = { line, source: placed, diagnostics: placed.map((diagnostic) => shiftLines(diagnostic, lines)) };
        }
        placed = chunk.placed.diagnostics;
      }
      // The file system changes without the text changing: file checks are never cached.
      let missing = noProblems;
      if (chunk.namesFiles) {
        const found: ProblemList = [];
        const context: FeatureContext = { uri, document: chunk.document, environments, host };
        for (const block of chunk.document.blocks) missingFiles(found, context, block);
        missing = found;
      }
      if (missing.length === 0) {
        for (const diagnostic of placed) diagnostics.push(diagnostic);
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

/**
 * Appends the block's semantic problems to `list`. Indexed loops, not `for...of`: every block of
 * a large document comes through, and a loop that V8 does not inline allocates an iterator and a
 * result per item (7 MB a pass over 20,000 blocks while the tree's empty list was frozen).
 */
function checkBlock(list: ProblemList, block: Block, scope: DocumentScope): void {
  const directives = block.directives;
  let prompts: Set<string> | undefined;
  for (let index = 0; index < directives.length; index++) {
    const directive = directives[index];
    const name = directive.name.text;
    if (name === 'prompt' && directive.value !== undefined) {
      const variable = directive.value.text.split(/\s/, 1)[0];
      if (variable !== undefined && variable !== '') (prompts ??= new Set()).add(variable);
    }
    if (lookupDirective(name) !== undefined) continue;
    const suggestion = suggestDirective(name);
    const hint = suggestion === undefined ? 'Courier ignores it.' : `Did you mean @${suggestion}?`;
    add(list, directive.name, Code.DirectiveUnknown, 'hint', `Unknown directive @${name}. ${hint}`, suggestion === undefined ? {} : { suggestion });
  }
  // The templates of `forEachBlockReference`, walked here without a callback per block: every block of large documents comes through.
  const variables = block.variables;
  for (let index = 0; index < variables.length; index++) checkReferences(list, variables[index].value, scope, prompts);
  const request = block.request;
  if (request === undefined) return;
  checkReferences(list, request.target, scope, prompts);
  const headers = request.headers;
  for (let index = 0; index < headers.length; index++) checkReferences(list, headers[index].value, scope, prompts);
  if (request.body !== undefined) {
    const parts = request.body.parts;
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index];
      checkReferences(list, part.kind === 'text' ? part.text : part.path, scope, prompts);
    }
  }
  if (request.outputRedirect !== undefined) checkReferences(list, request.outputRedirect.path, scope, prompts);
  checkRequest(list, request, scope);
}

function checkReferences(list: ProblemList, template: Template, scope: DocumentScope, prompts: ReadonlySet<string> | undefined): void {
  const references = template.references;
  for (let index = 0; index < references.length; index++) checkReference(list, references[index], scope, prompts);
}

function checkReference(list: ProblemList, reference: VariableReference, scope: DocumentScope, prompts: ReadonlySet<string> | undefined): void {
  if (!reference.terminated) return;
  const target = reference.target;
  switch (target.kind) {
    case 'variable':
      if (scope.fileVariables.has(target.name) || scope.environments.variables.has(target.name) || prompts?.has(target.name) === true) return;
      add(list, { start: reference.expressionStart, end: reference.expressionEnd }, Code.VariableUndefined, 'warning', undefinedVariableMessage(target.name, scope), { define: target.name });
      return;
    case 'system':
      if (isSystemVariable(target.name)) return;
      add(list, { start: reference.expressionStart, end: reference.expressionEnd }, Code.VariableUndefined, 'warning', `Unknown system variable $${target.name.replace(/^\$/, '')}: see the completion list after {{$ for the supported ones.`);
      return;
    case 'request':
      if (scope.requestNames.has(target.requestName)) return;
      add(list, target.requestNameSpan, Code.RequestUndefined, 'warning', `No request is named '${target.requestName}' in this file: name one with '# @name ${target.requestName}' or '### ${target.requestName}'.`);
      return;
    case 'invalid':
      return;
  }
}

function undefinedVariableMessage(name: string, scope: DocumentScope): string {
  const where = scope.environments.active === undefined ? 'an env file' : `environment '${scope.environments.active}'`;
  return `Variable '${name}' is not defined: add '@${name} = value' to this file, define it in ${where}, or ask for it with '# @prompt ${name}'.`;
}

function checkRequest(list: ProblemList, request: Request, scope: DocumentScope): void {
  if (request.method !== undefined && !isKnownMethod(request.method.text)) {
    const suggestion = suggestMethod(request.method.text);
    if (suggestion !== undefined) {
      add(list, request.method, Code.MethodUnknown, 'warning', `Unknown method '${request.method.text}'. Did you mean ${suggestion}?`, { suggestion });
    } else {
      add(list, request.method, Code.MethodUnknown, 'information', `Unknown method '${request.method.text}': servers may reject it.`);
    }
  }
  checkHeaders(list, request);
  checkTarget(list, request, scope);
  checkBody(list, request);
}

function checkHeaders(list: ProblemList, request: Request): void {
  const headers = request.headers;
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index];
    const name = header.name.text;
    if (header.colon === undefined || name === '') continue;
    if (equalsIgnoringCase(name, 'content-length')) {
      add(list, header, Code.ContentLengthComputed, 'hint', 'Courier computes Content-Length from the body; remove this header so it never disagrees.', { unnecessary: true });
    }
    // Requests have a handful of headers: a scan back finds the first of a name without a map or lower-cased copies.
    const first = firstHeaderNamed(headers, name, index);
    if (first !== undefined && isSingleValuedHeader(name)) {
      add(list, header.name, Code.HeaderDuplicate, 'warning', `${name} may appear only once per request: servers reject or ignore the repeat. Keep one.`, {
        related: { start: first.name.start, end: first.name.end, message: `first ${first.name.text}` },
      });
    }
    if (equalsIgnoringCase(name, 'content-type')) {
      const value = header.value.text;
      if (/^\s*multipart\//i.test(value) && !/;\s*boundary\s*=/i.test(value)) {
        const written = boundaryInBody(request);
        const example = `${mediaType(value)}; boundary=${written ?? '----CourierBoundary'}`;
        const message = `Multipart Content-Type needs a boundary parameter matching the body's '--' lines, e.g. '${example}'.`;
        add(list, header.value, Code.MultipartNoBoundary, 'error', message, written === undefined ? {} : { suggestion: `${value.trim()}; boundary=${written}` });
      }
    }
  }
}

/** The first of `headers[0, before)` (with a colon) named `name`, ignoring case. */
function firstHeaderNamed(headers: readonly Header[], name: string, before: number): Header | undefined {
  for (let index = 0; index < before; index++) {
    const header = headers[index];
    if (header.colon !== undefined && equalsIgnoringCase(header.name.text, name)) return header;
  }
  return undefined;
}

/** `text.toLowerCase() === other.toLowerCase()`, without the copies for ASCII text (header names are ASCII tokens). */
function equalsIgnoringCase(text: string, other: string): boolean {
  if (text.length !== other.length) return false;
  for (let index = 0; index < text.length; index++) {
    const a = text.charCodeAt(index);
    const b = other.charCodeAt(index);
    if (a === b) continue;
    // Beyond ASCII, case folding has surprises (the Kelvin sign lowers to 'k'): ask the real thing.
    if (a >= 0x80 || b >= 0x80) return text.toLowerCase() === other.toLowerCase();
    if ((a | 0x20) !== (b | 0x20) || !isAsciiLetter(a | 0x20)) return false;
  }
  return true;
}

function isAsciiLetter(lower: number): boolean {
  return lower >= 0x61 && lower <= 0x7a;
}

/** The boundary the body's first `--boundary` line uses, if it has one. */
function boundaryInBody(request: Request): string | undefined {
  for (const part of request.body?.parts ?? []) {
    if (part.kind !== 'text') continue;
    const match = /^--([^\s]+?)(?:--)?[ \t]*$/m.exec(part.text.text);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function findHeader(request: Request, lowerName: string): Header | undefined {
  return firstHeaderNamed(request.headers, lowerName, request.headers.length);
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

function checkTarget(list: ProblemList, request: Request, scope: DocumentScope): void {
  const target = request.target;
  if (target.text === '' || target.form === 'asterisk') return;
  const host = findHeader(request, 'host');
  if (target.form === 'origin' && host === undefined) {
    add(list, target, Code.HostMissing, 'warning', `'${target.text}' has no host: add a 'Host: example.com' header or write the absolute URL.`);
    return;
  }
  // Most targets are `{{baseUrl}}/...`: when that value alone is a plain web URL up to its path,
  // the whole target is one or does not resolve; either way there is nothing to report, and no
  // URL to build (about -5 ms a pass over 20,000 requests).
  const leading = leadingVariable(target);
  if (leading !== undefined && hasPlainWebOrigin(leading, scope)) return;
  const path = substitute(target, scope);
  if (path === undefined) return;
  // `{{base}}/x` only shows its form once substituted.
  const form = target.references.length === 0 ? target.form : startsWithScheme(path) ? 'absolute' : path.startsWith('/') ? 'origin' : 'other';
  let url: string;
  if (form === 'absolute') url = path;
  else if (form === 'origin') {
    const hostValue = host === undefined ? undefined : substitute(host.value, scope);
    if (hostValue === undefined) return;
    url = `http://${hostValue}${path}`;
  } else url = `http://${path}`;
  const problem = urlProblem(url, scope);
  if (problem !== undefined) {
    const shown = path === target.text ? `'${target.text}'` : `'${target.text}' (= '${path}')`;
    add(list, target, Code.UrlInvalid, 'error', `${shown} is ${problem}; check the scheme, host and port.`);
  }
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
 * The variable whose value `substitute(template)` starts with, when the template's text starts
 * with a reference to one, as `substitute` reads it; undefined otherwise.
 */
function leadingVariable(template: Template): string | undefined {
  const text = template.text;
  if (!text.startsWith('{{')) return undefined;
  if (template.end - template.start === text.length) {
    const first = template.references[0];
    return first !== undefined && first.start === template.start && first.terminated && first.target.kind === 'variable' ? first.target.name : undefined;
  }
  const close = referenceClose(text, 0);
  return text.startsWith('}}', close) ? text.slice(2, close).trim() : undefined;
}

/** Where the reference opened at `open` closes, as `substituteText` reads it: the first brace after `{{`. */
function referenceClose(text: string, open: number): number {
  let close = open + 2;
  while (close < text.length && text.charCodeAt(close) !== 0x7b /* { */ && text.charCodeAt(close) !== 0x7d /* } */) close++;
  return close;
}

/** The template's text with known variables substituted; undefined when any reference cannot be resolved here. */
function substitute(template: Template, scope: DocumentScope): string | undefined {
  const references = template.references;
  if (references.length === 0) return template.text;
  // A one-line template's text is its source, so references can be spliced by offset, without a regex.
  if (template.end - template.start !== template.text.length) return substituteText(template.text, scope);
  let result = '';
  let from = 0;
  for (const reference of references) {
    if (reference.target.kind !== 'variable' || !reference.terminated) return undefined;
    const value = resolvedVariable(reference.target.name, scope);
    if (value === undefined) return undefined;
    result += template.text.slice(from, reference.start - template.start) + value;
    from = reference.end - template.start;
  }
  return result + template.text.slice(from);
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

function checkBody(list: ProblemList, request: Request): void {
  const body = request.body;
  if (body === undefined || body.parts.length === 0) return;
  const method = request.methodName.toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    add(list, body, Code.BodyOnGetOrHead, 'warning', `A ${method} request with a body: many servers and proxies drop or reject it. Use POST, or move the data into the query string.`);
  }
  const contentType = findHeader(request, 'content-type');
  if (contentType === undefined || body.graphql !== undefined || body.multipart !== undefined) return;
  const type = bodyMediaType(contentType.value.text);
  if (type !== 'application/json' && !type.endsWith('+json')) return;
  if (body.parts.length !== 1 || body.parts[0]?.kind !== 'text') return;
  const text = body.parts[0].text;
  const error = findJsonError(text.text, { allowTemplates: true });
  if (error === undefined) return;
  const start = text.start + error.start;
  add(list, { start, end: Math.max(text.start + error.end, start) }, Code.BodyInvalidJson, 'warning', `Invalid JSON body (Content-Type is ${type}): ${error.message}`);
}

/** Files named in bodies and handlers that do not exist; never cached, the file system changes. */
function missingFiles(problems: ProblemList, context: FeatureContext, block: Block): void {
  const request = block.request;
  if (request === undefined || !namesFile(request)) return;
  const check = (path: Template | { readonly text: string; readonly start: number; readonly end: number; readonly references?: undefined }, what: string): void => {
    const name = path.text.trim();
    if (name === '' || (path.references?.length ?? 0) > 0) return;
    if (context.host.fileExists(context.uri, name)) return;
    add(problems, path, Code.FileMissing, 'warning', `${what} '${name}' does not exist (paths are relative to this file's folder).`);
  };
  const checkParts = (parts: readonly BodyPart[]): void => {
    for (const part of parts) if (part.kind === 'file') check(part.path, 'Body file');
  };
  if (request.body !== undefined) {
    checkParts(request.body.parts);
    for (const part of request.body.multipart?.parts ?? []) checkParts(part.content);
  }
  for (const handler of request.handlers) if (handler.kind === 'file') check(handler.path, 'Response handler');
}

/** Whether a body part, a multipart part or a handler names a file. */
function namesFile(request: Request): boolean {
  if (hasFile(request.handlers)) return true;
  const body = request.body;
  if (body === undefined) return false;
  if (hasFile(body.parts)) return true;
  const multipart = body.multipart?.parts;
  if (multipart !== undefined) for (let index = 0; index < multipart.length; index++) if (hasFile(multipart[index].content)) return true;
  return false;
}

/** Indexed loops, not `some` with a callback nor `for...of` (see `checkBlock`): every request of every pass asks. */
function hasFile(items: readonly (BodyPart | ResponseHandler)[]): boolean {
  for (let index = 0; index < items.length; index++) if (items[index].kind === 'file') return true;
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

// Diagnostics for a document as it is edited: the document is cut into chunks of whole blocks
// (content-defined, at some `###` lines), each parsed and checked on its own and cached by its
// text, so after a keystroke only the edited chunk is parsed and checked again, and other chunks
// are re-checked only when a name they refer to changes meaning.

import type { Diagnostic } from 'vscode-languageserver-types';
import { type CancellationToken, notCancellable, throwIfCancelled } from './cancellation';
import type { EnvironmentSnapshot, FeatureContext, LanguageHost } from './context';
import { diagnose } from './diagnostics';
import { checkBlock } from './diagnosticsBlock';
import { compositionProblems, hasCompositionChecks } from './composition';
import { missingFiles } from './diagnosticsFiles';
import { byPosition, noProblems, type ProblemList, shiftLines, toDiagnostic } from './diagnosticsProblems';
import { environmentsNeededFor, isDefinedVariable, newVerdicts } from './diagnosticsReferences';
import { type DocumentScope, documentScope, resolvedVariable, scopeKeyOf } from './diagnosticsScope';
import { assertionReferenceNames } from './diagnosticsScripts';
import type { HttpDocument } from './syntax';
import { TargetForm } from './syntaxTables';
import { namesAnyFile, refTarget, requestTargetForm } from './tableQueries';

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
  for (let index = 0; index < tables.refs.count; index++) {
    const target = refTarget(tables, index);
    if (target.kind === 'variable') variables.add(target.name);
    else if (target.kind === 'request') requests.add(target.requestName);
  }
  // The expected values of `??` lines hold references the parser does not record.
  if (tables.assertions.count > 0) assertionReferenceNames(document, variables, requests);
  // `GET /path` without a Host header reads the `host` variable (httpYac): its checks depend on it too.
  for (let request = 0; request < tables.requests.count; request++) {
    if (requestTargetForm(tables, request) === TargetForm.origin) {
      variables.add('host');
      break;
    }
  }
  return {
    document,
    lineBreaks: document.lineStarts.length - 1,
    scopeKey: scopeKeyOf(document),
    variableNames: [...variables],
    requestNames: [...requests],
    namesFiles: namesAnyFile(tables) || hasCompositionChecks(document),
    checked: undefined,
    placed: undefined,
  };
}

/** What the chunk's names resolve to in `scope`: equal signatures give equal diagnostics. */
function signatureOf(chunk: Chunk, scope: DocumentScope): string {
  let signature = '';
  for (const name of chunk.variableNames) {
    const defined = isDefinedVariable(name, scope);
    // A variable only environments define is reported while none is selected, whatever its value.
    const needs = defined && environmentsNeededFor(name, scope) !== undefined ? '~' : '';
    signature += `${name}${defined ? '=' : '!'}${needs}${defined ? (resolvedVariable(name, scope) ?? '?') : ''}\n`;
  }
  for (const name of chunk.requestNames) signature += `${name}${scope.requestNames.has(name) ? '+' : '-'}\n`;
  // Undefined variables are reported a level lower in a document whose scripts set computed names.
  if (scope.computedScriptNames) signature += '$(computed)\n';
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
  diagnoseParsed(context: FeatureContext, token: CancellationToken = notCancellable): Diagnostic[] {
    const { uri, document, environments, host } = context;
    if (this.placedChunks.length > 0) return this.diagnose(uri, document.text, environments, host, token);
    const last = this.unchunked;
    if (last?.text === document.text) {
      // The same text again (a pull before `prepare` is done): the chunks made so far still fit
      // it, and so do its diagnostics when nothing else changed. Files are checked on every pass.
      if (last.environments === environments && last.host === host && !namesAnyFile(document.tables) && !hasCompositionChecks(document)) return [...last.diagnostics];
    } else {
      this.preparing = undefined;
      this.unchunked = undefined;
    }
    // Remembered only once answered: a cancelled pass leaves nothing to hand out again or prepare.
    const diagnostics = diagnose(context, token);
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
   * from there, so a host can do it in slices between the requests it answers. (Background work
   * has no request to cancel: `shouldYield` is its only way to stop.)
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

  /**
   * Same diagnostics as `diagnose` on the whole text, redoing only what an edit can have changed.
   * Cancelled between chunks (`OperationCancelled`): what was checked is kept for the next pass.
   */
  diagnose(uri: string, text: string, environments: EnvironmentSnapshot, host: LanguageHost, token: CancellationToken = notCancellable): Diagnostic[] {
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
    // A new scope becomes the last one only once every chunk is checked under it: a pass cancelled
    // halfway leaves chunks checked under the old one, which the next pass must compare again.
    this.lastScope = scopeUnchanged ? scope : undefined;
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
        throwIfCancelled(token);
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
        for (let block = 0; block < chunk.document.tables.blocks.count; block++) {
          missingFiles(found, context, block);
          compositionProblems(found, context, block, scope.requestNames);
        }
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
    this.lastScope = scope;
    return diagnostics;
  }
}

// The language service facade: one frozen object whose methods take a text document and an
// LSP position, parse it once per version, and call the feature functions. Hosts (the LSP
// server, tests) supply environments and file checks; nothing here touches the file system.

import type { CodeAction, CodeLens, CompletionList, Diagnostic, DocumentSymbol, FoldingRange, Hover, Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { codeLenses } from './codeLens';
import { complete } from './completion';
import { type CancellationToken, notCancellable, throwIfCancelled } from './cancellation';
import type { EnvironmentSnapshot, FeatureContext, LanguageHost } from './context';
import { applySeverityOverrides, noSeverityOverrides, type SeverityOverrides } from './diagnosticSeverity';
import { IncrementalDiagnostics } from './diagnosticsIncremental';
import { byPosition, toDiagnostic } from './diagnosticsProblems';
import { openApiCompletions } from './openapi/openApiCompletion';
import { openApiProblems } from './openapi/openApiDiagnostics';
import { openApiHover } from './openapi/openApiHover';
import { codeActions } from './diagnosticsQuickFixes';
import { foldingRanges } from './folding';
import { formatDocument } from './formatting';
import { hover } from './hover';
import { definition, prepareRename, references, rename, type ExternalLocator, type RenameRejection } from './navigation';
import { parse } from './parser';
import { offsetToPosition, positionToOffset, requestAt } from './positions';
import { documentSymbols } from './symbols';
import type { HttpDocument } from './syntax';

/** The part of a text document the service reads (vscode-languageserver-textdocument's TextDocument fits). */
export interface TextDocumentLike {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

/** What the host knows beyond the document. Implementations must not throw. */
export interface LanguageServiceHost extends LanguageHost {
  /** The environments visible from the document; return the same object until they change, so caches hold. */
  environments(documentUri: string): EnvironmentSnapshot;
  /** Maps a span of an env file to a range in it, for go-to-definition; undefined when unknown. */
  readonly locateExternal?: ExternalLocator;
  /** Severities by problem code for the document (`courier.diagnostics.severity`); none overridden when absent. */
  diagnosticSeverities?(documentUri: string): SeverityOverrides;
}

/** The request at a position, as "Send Request" needs it. */
export interface RequestSummary {
  readonly uri: string;
  /** 0-based line of the request line. */
  readonly line: number;
  readonly name: string | undefined;
  readonly method: string;
  readonly target: string;
}

/**
 * The features over a document. Those that may loop over a large document (diagnostics,
 * references, rename) take the LSP request's cancellation token and then throw
 * `OperationCancelled` (cancellation.ts) instead of answering.
 */
export interface LanguageService {
  parse(document: TextDocumentLike): HttpDocument;
  /** Diagnostics with the host's severities per code applied (`diagnosticSeverities`). */
  diagnose(document: TextDocumentLike, token?: CancellationToken): Diagnostic[];
  /**
   * Prepares what re-diagnosing `uri` after an edit reuses, when its first diagnostics came from a
   * whole parse; a host calls it when idle (it takes about as long as that first pass). With
   * `shouldYield` it stops when that says so, and the next call goes on (see `needsPreparing`).
   */
  prepareIncremental(uri: string, shouldYield?: () => boolean): void;
  /** Whether `prepareIncremental` has work left for `uri`. */
  needsPreparing(uri: string): boolean;
  complete(document: TextDocumentLike, position: Position): CompletionList;
  hover(document: TextDocumentLike, position: Position): Hover | null;
  definition(document: TextDocumentLike, position: Position): Location[];
  references(document: TextDocumentLike, position: Position, includeDeclaration: boolean, token?: CancellationToken): Location[];
  prepareRename(document: TextDocumentLike, position: Position): { readonly range: Range; readonly placeholder: string } | RenameRejection | undefined;
  rename(document: TextDocumentLike, position: Position, newName: string, token?: CancellationToken): WorkspaceEdit | RenameRejection | undefined;
  documentSymbols(document: TextDocumentLike): DocumentSymbol[];
  foldingRanges(document: TextDocumentLike): FoldingRange[];
  codeLenses(document: TextDocumentLike): CodeLens[];
  format(document: TextDocumentLike): TextEdit[];
  codeActions(document: TextDocumentLike, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[];
  requestAt(document: TextDocumentLike, position: Position): RequestSummary | undefined;
  /** Drops what is cached for a closed document. */
  forget(uri: string): void;
}

interface CacheEntry {
  readonly version: number;
  readonly text: string;
  readonly document: HttpDocument;
}

/** Creates the service; parse results are cached by uri and version, diagnostics per block. */
export function createLanguageService(host: LanguageServiceHost): LanguageService {
  const parsed = new Map<string, CacheEntry>();
  const diagnosticsByUri = new Map<string, IncrementalDiagnostics>();

  const parseCached = (textDocument: TextDocumentLike): HttpDocument => {
    const entry = parsed.get(textDocument.uri);
    if (entry !== undefined && entry.version === textDocument.version) return entry.document;
    const text = textDocument.getText();
    // Same text under a new version (a save, an undo back): the tree is still right.
    if (entry !== undefined && entry.text === text) {
      parsed.set(textDocument.uri, { ...entry, version: textDocument.version });
      return entry.document;
    }
    const document = parse(text);
    parsed.set(textDocument.uri, { version: textDocument.version, text, document });
    return document;
  };

  const contextOf = (textDocument: TextDocumentLike): FeatureContext => ({
    uri: textDocument.uri,
    document: parseCached(textDocument),
    environments: host.environments(textDocument.uri),
    host,
  });

  const at = (context: FeatureContext, position: Position): number => positionToOffset(context.document, position);

  const diagnoseDocument = (textDocument: TextDocumentLike, token: CancellationToken): Diagnostic[] => {
    // Block by block: after an edit only the edited block is parsed and checked again.
    let diagnostics = diagnosticsByUri.get(textDocument.uri);
    if (diagnostics === undefined) {
      diagnostics = new IncrementalDiagnostics(parse);
      diagnosticsByUri.set(textDocument.uri, diagnostics);
      // A document just opened: one whole parse serves its diagnostics and the features asked for next.
      return diagnostics.diagnoseParsed(contextOf(textDocument), token);
    }
    const text = textDocument.getText();
    // Asked again before its chunks are all made (a pull while the host prepares them): the whole
    // parse is still cached, and checking it costs a fraction of making the chunks that are left.
    if (diagnostics.isUnprepared(text)) return diagnostics.diagnoseParsed(contextOf(textDocument), token);
    return diagnostics.diagnose(textDocument.uri, text, host.environments(textDocument.uri), host, token);
  };

  /**
   * The checks against the workspace's OpenAPI specs, after the others: they read the whole tree
   * (remembering each request's problems by its text), so a document is parsed whole on each pass
   * only while a spec is loaded.
   */
  const withOpenApi = (textDocument: TextDocumentLike, diagnostics: Diagnostic[]): Diagnostic[] => {
    if ((host.openApi?.specsFor(textDocument.uri).length ?? 0) === 0) return diagnostics;
    const context = contextOf(textDocument);
    const problems = openApiProblems(context);
    if (problems.length === 0) return diagnostics;
    return [...diagnostics, ...problems.map((problem) => toDiagnostic(textDocument.uri, context.document, problem))].sort(byPosition);
  };

  return Object.freeze({
    parse: parseCached,
    diagnose(textDocument: TextDocumentLike, token: CancellationToken = notCancellable): Diagnostic[] {
      const severities = host.diagnosticSeverities?.(textDocument.uri) ?? noSeverityOverrides;
      return applySeverityOverrides(withOpenApi(textDocument, diagnoseDocument(textDocument, token)), severities);
    },
    prepareIncremental(uri: string, shouldYield?: () => boolean): void {
      diagnosticsByUri.get(uri)?.prepare(shouldYield);
    },
    needsPreparing(uri: string): boolean {
      return diagnosticsByUri.get(uri)?.needsPreparing() ?? false;
    },
    complete(textDocument: TextDocumentLike, position: Position): CompletionList {
      const context = contextOf(textDocument);
      const offset = at(context, position);
      const list = complete(context, offset);
      const fromSpec = openApiCompletions(context, offset);
      if (fromSpec === undefined || fromSpec.length === 0) return list;
      // The spec's items first; a method or header it also knows is listed once, with the spec's detail.
      const labels = new Set(fromSpec.map((item) => item.label.toLowerCase()));
      return { isIncomplete: list.isIncomplete, items: [...fromSpec, ...list.items.filter((item) => !labels.has(item.label.toLowerCase()))] };
    },
    hover(textDocument: TextDocumentLike, position: Position): Hover | null {
      const context = contextOf(textDocument);
      const offset = at(context, position);
      const general = hover(context, offset);
      const fromSpec = openApiHover(context, offset);
      if (general === null || fromSpec === undefined) return general ?? fromSpec ?? null;
      // On the method: what the method is, then what the spec says of this operation.
      const value = (hover: Hover): string => (typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '');
      return { contents: { kind: 'markdown', value: `${value(general)}\n\n---\n\n${value(fromSpec)}` }, range: general.range };
    },
    definition(textDocument: TextDocumentLike, position: Position): Location[] {
      const context = contextOf(textDocument);
      return definition(context, at(context, position), host.locateExternal);
    },
    references(textDocument: TextDocumentLike, position: Position, includeDeclaration: boolean, token: CancellationToken = notCancellable): Location[] {
      const context = contextOf(textDocument);
      return references(context, at(context, position), includeDeclaration, token);
    },
    prepareRename(textDocument: TextDocumentLike, position: Position) {
      const context = contextOf(textDocument);
      return prepareRename(context, at(context, position));
    },
    rename(textDocument: TextDocumentLike, position: Position, newName: string, token: CancellationToken = notCancellable) {
      const context = contextOf(textDocument);
      throwIfCancelled(token);
      return rename(context, at(context, position), newName, token);
    },
    documentSymbols: (textDocument: TextDocumentLike) => documentSymbols(contextOf(textDocument)),
    foldingRanges: (textDocument: TextDocumentLike) => foldingRanges(contextOf(textDocument)),
    codeLenses: (textDocument: TextDocumentLike) => codeLenses(contextOf(textDocument)),
    format: (textDocument: TextDocumentLike) => formatDocument(contextOf(textDocument)),
    codeActions: (textDocument: TextDocumentLike, range: Range, diagnostics: readonly Diagnostic[]) => codeActions(contextOf(textDocument), range, diagnostics),
    requestAt(textDocument: TextDocumentLike, position: Position): RequestSummary | undefined {
      const document = parseCached(textDocument);
      const request = requestAt(document, positionToOffset(document, position));
      if (request === undefined) return undefined;
      return {
        uri: textDocument.uri,
        line: offsetToPosition(document, request.start).line,
        name: request.name?.text,
        method: request.methodName,
        target: request.target.text,
      };
    },
    forget(uri: string): void {
      parsed.delete(uri);
      diagnosticsByUri.delete(uri);
    },
  });
}

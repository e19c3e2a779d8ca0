// The LSP adapter: each handler fetches the document, returns an empty answer when it is missing,
// asks the language service inside try/catch, logs what went wrong and answers anyway. The
// connection is handed in, so tests can run the server in-process over streams.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CodeActionRequest,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  LSPErrorCodes,
  Range,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createSchemaValidator } from '../engine/openapi/schemaValidator';
import { loadOpenApiSpec } from '../engine/openapi/specLoader';
import { loadOpenApiSpecInWorker } from '../engine/openapi/specWorkerLoader';
import { Code } from '../language/codes';
import type { SchemaValidator } from '../language/openapi/schemaValidation';
import { OperationCancelled } from '../language/cancellation';
import { environmentFileCodeActions, type DiagnosticFixData } from '../language/diagnosticsQuickFixes';
import { noSeverityOverrides } from '../language/diagnosticSeverity';
import { environmentAuthProblems } from '../language/environmentAuth';
import { COMPLETION_TRIGGER_CHARACTERS } from '../language/completion';
import type { ScriptGlobal } from '../language/context';
import { inPrecedenceOrder, type EnvironmentFile } from '../language/environments';
import { createLanguageService, type LanguageService, type LanguageServiceHost } from '../language/service';
import type { Span } from '../language/syntax';
import { EnvironmentFiles, readTextIfExists, type DocumentEnvironments } from './environmentFiles';
import { OpenApiSpecs, specLikeFile, type LoadSpec, type SpecProblem } from './openApiSpecs';
import { EnvironmentsRequest, RequestAtRequest, SetEnvironmentNotification } from './protocol';
import { defaultSettings, environmentsWithSettings, normalizeSettings, type ServerSettings } from './settings';
import { type ListHttpFiles, WorkspaceScripts } from './workspaceScripts';

export interface LanguageServerOptions {
  /** Builds the language service; tests pass one that fails on purpose. */
  readonly createService?: (host: LanguageServiceHost) => LanguageService;
  /** Reads env files and the workspace's `.http` files; defaults to the file system. */
  readonly readText?: (path: string) => string | undefined;
  /** Lists the workspace's `.http` files, read for the globals their scripts set; defaults to the file system. */
  readonly listHttpFiles?: ListHttpFiles;
  /** How long after `initialized` the server starts reading the workspace's `.http` files (see `scanWorkspaceScripts`). */
  readonly scanWorkspaceAfterMs?: number;
  /** How long the server waits, idle, before preparing incremental diagnostics (see `prepareIncremental`). */
  readonly idleBeforePreparingMs?: number;
  /** Loads an OpenAPI spec; defaults to a worker thread (dist/openApiSpecWorker.js beside the server), or this thread when that file is absent (tests). */
  readonly loadOpenApiSpec?: LoadSpec;
}

/** The worker the bundled server loads OpenAPI specs in, beside dist/server.js. */
function defaultSpecLoader(): LoadSpec {
  const workerFile = join(__dirname, 'openApiSpecWorker.js');
  return existsSync(workerFile) ? (file) => loadOpenApiSpecInWorker(file, workerFile) : loadOpenApiSpec;
}

/** Long enough for the requests an editor sends when a document opens (lenses, folding, symbols). */
const defaultIdleBeforePreparingMs = 300;
/**
 * The longest the server works at preparing before it looks at its messages again: preparing a
 * 20,000-request file takes 300-500 ms in a fresh process, and in one piece a hover or a pull
 * sent meanwhile waited for all of it. A request takes several turns of the event loop to be
 * read, answered and written, and a slice runs on each turn: with 10 ms slices a hover waited
 * 50-80 ms, with 3 ms about 20-30 (in-process, client and server sharing one loop).
 */
const preparingSliceMs = 3;
/** Time for an editor's first requests (diagnostics, lenses, folding of what it opened) before the workspace is read. */
const defaultScanWorkspaceAfterMs = 1000;
/** Largest `.http` file an `import` or `run` line may name that diagnostics read for its request names. */
const maxImportedFileBytes = 1024 * 1024;

/** The env files: watched for changes, and served code actions for their problems. */
const environmentFileSelector: { pattern: string }[] = [{ pattern: '**/http-client*.env.json' }, { pattern: '**/http-client.env.json.user' }];

/** Whether `uri` names an env file (`http-client.env.json`, its private file, Visual Studio's `.user` file). */
function isEnvironmentFileUri(uri: string): boolean {
  return /(^|\/)http-client[^/]*\.env\.json(\.user)?$/i.test(uri);
}

/** Wires a language server onto `connection` and starts listening. */
export function startLanguageServer(connection: Connection, options: LanguageServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let capabilities: ClientCapabilities = {};
  let workspaceFolderUris: string[] = [];
  let workspaceRoots: string[] = [];
  const setWorkspaceFolders = (uris: readonly string[]): void => {
    workspaceFolderUris = [...uris];
    workspaceRoots = uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
  };
  const settingsByUri = new Map<string, ServerSettings>();
  const publishedEnvironmentFiles = new Set<string>();
  // `courier/setEnvironment` wins over the setting until sent again; `null` inside means "none".
  let chosenEnvironment: { readonly name: string | null } | undefined;

  const log = (message: string): void => {
    try {
      connection.console.error(message);
    } catch {
      // The connection is gone (the client quit): there is no one left to tell.
    }
  };
  const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

  /** Env files are not documents the client syncs, so their problems are pushed whenever they are parsed. */
  const publishEnvironmentProblems = (file: EnvironmentFile, folderFiles: readonly EnvironmentFile[]): void => {
    const range = (span: Span): Range => environmentFiles.locate(file.uri, span) ?? Range.create(0, 0, 0, 0);
    const diagnostics = file.problems.map((problem) => Diagnostic.create(range(problem), problem.message, problem.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, problem.code, 'courier'));
    for (const problem of environmentAuthProblems(file, folderFiles)) {
      const diagnostic = Diagnostic.create(range(problem), problem.message, problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, problem.code, 'courier');
      if (problem.replacement !== undefined) diagnostic.data = { suggestion: problem.replacement } satisfies DiagnosticFixData;
      diagnostics.push(diagnostic);
    }
    publishedEnvironmentFiles.add(file.uri);
    connection.sendDiagnostics({ uri: file.uri, diagnostics }).catch((error: unknown) => log(`Cannot publish problems of ${file.uri}: ${describe(error)}`));
  };
  const environmentFiles: EnvironmentFiles = new EnvironmentFiles(publishEnvironmentProblems, options.readText);
  /** A spec file is not a document the client syncs either: its problem is pushed when it is read. */
  const publishSpecProblem = (file: string, problem: SpecProblem | undefined): void => {
    const diagnostics = problem === undefined ? [] : [Diagnostic.create(problem.line === undefined ? Range.create(0, 0, 0, 0) : Range.create(problem.line - 1, 0, problem.line - 1, 2 ** 31 - 1), problem.message, DiagnosticSeverity.Error, Code.OpenApiSpecInvalid, 'courier')];
    connection.sendDiagnostics({ uri: pathToFileURL(problem?.file ?? file).href, diagnostics }).catch((error: unknown) => log(`Cannot publish problems of ${file}: ${describe(error)}`));
  };
  const openApiSpecs = new OpenApiSpecs(options.loadOpenApiSpec ?? defaultSpecLoader(), () => refreshDiagnostics(), publishSpecProblem, log);
  // ajv is made on the first check of a body against a schema, not at start-up.
  let schemaValidator: SchemaValidator | undefined;
  const workspaceScripts = new WorkspaceScripts(options.readText ?? readTextIfExists, options.listHttpFiles);

  const activeEnvironment = (uri: string): string | undefined => {
    if (chosenEnvironment !== undefined) return chosenEnvironment.name ?? undefined;
    return (settingsByUri.get(uri) ?? defaultSettings).environment;
  };

  // Merged snapshots by document, reused while the env files, the settings and the choice are the
  // same objects, so the language service's caches keyed on the snapshot hold.
  const mergedEnvironments = new Map<string, { readonly fromFiles: DocumentEnvironments; readonly settings: ServerSettings; readonly merged: DocumentEnvironments }>();
  // Snapshots with the globals of the workspace's other files, by document, reused while both are the same objects.
  const withScriptGlobals = new Map<string, { readonly base: DocumentEnvironments; readonly globals: ReadonlyMap<string, ScriptGlobal>; readonly merged: DocumentEnvironments }>();
  /** What `uri` sees: its env files with `courier.environments` merged under them, and the globals other files' scripts set. */
  const environmentsFor = (uri: string): DocumentEnvironments => {
    const base = environmentsFromFilesAndSettings(uri);
    const globals = workspaceScripts.forDocument(uri);
    if (globals === undefined) return base;
    let cached = withScriptGlobals.get(uri);
    if (cached?.base !== base || cached.globals !== globals) {
      cached = { base, globals, merged: { snapshot: { ...base.snapshot, scriptGlobals: globals }, files: base.files } };
      withScriptGlobals.set(uri, cached);
    }
    return cached.merged;
  };
  const environmentsFromFilesAndSettings = (uri: string): DocumentEnvironments => {
    const settings = settingsByUri.get(uri) ?? defaultSettings;
    const active = activeEnvironment(uri);
    const fromFiles = environmentFiles.forDocument(uri, workspaceRoots, active);
    if (settings.environments.size === 0) return fromFiles;
    let cached = mergedEnvironments.get(uri);
    if (cached?.fromFiles !== fromFiles || cached.settings !== settings) {
      cached = { fromFiles, settings, merged: { snapshot: environmentsWithSettings(fromFiles.files, active, settings.environments), files: fromFiles.files } };
      mergedEnvironments.set(uri, cached);
    }
    return cached.merged;
  };

  const host: LanguageServiceHost = {
    fileExists(documentUri: string, path: string): boolean {
      try {
        if (isAbsolute(path)) return existsSync(path);
        if (!documentUri.startsWith('file:')) return true; // unsaved: nothing to resolve against, so do not complain
        return existsSync(join(dirname(fileURLToPath(documentUri)), path));
      } catch {
        return true;
      }
    },
    readFile(documentUri: string, path: string): string | undefined {
      try {
        const file = isAbsolute(path) ? path : documentUri.startsWith('file:') ? join(dirname(fileURLToPath(documentUri)), path) : undefined;
        // `import` and `run` name `.http` files: a few kilobytes; anything huge is not read on a keystroke.
        if (file === undefined || statSync(file).size > maxImportedFileBytes) return undefined;
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    environments: (documentUri: string) => environmentsFor(documentUri).snapshot,
    locateExternal: (uri, span) => environmentFiles.locate(uri, span),
    diagnosticSeverities: (documentUri: string) => (settingsByUri.get(documentUri) ?? defaultSettings).diagnosticSeverities ?? noSeverityOverrides,
    openApi: {
      specsFor: () => openApiSpecs.specs(),
      get validator(): SchemaValidator {
        return (schemaValidator ??= createSchemaValidator());
      },
    },
  };
  const service = (options.createService ?? createLanguageService)(host);

  /** Fetches the `courier` settings (and REST Client's, where Courier's are not set) for `uri` once, when the client can answer. */
  const loadSettings = async (uri: string): Promise<void> => {
    if (settingsByUri.has(uri) || capabilities.workspace?.configuration !== true) return;
    try {
      const [courier, restClient] = (await connection.workspace.getConfiguration([
        { scopeUri: uri, section: 'courier' },
        { scopeUri: uri, section: 'rest-client' },
      ])) as unknown[];
      settingsByUri.set(uri, normalizeSettings(courier, restClient));
    } catch (error) {
      log(`Cannot read the courier settings for ${uri}: ${describe(error)}`);
      settingsByUri.set(uri, defaultSettings);
    }
  };

  /** Runs one feature for an open document; any failure is logged and answered with `empty`. */
  const answer = async <T>(feature: string, uri: string, empty: T, run: (document: TextDocument) => T): Promise<T> => {
    const document = documents.get(uri);
    if (document === undefined) return empty;
    try {
      await loadSettings(uri);
      return run(document);
    } catch (error) {
      // A cancelled request is answered as cancelled, not as empty: an empty list would clear the editor's diagnostics.
      if (error instanceof OperationCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, error.message);
      log(`${feature} failed for ${uri}: ${describe(error)}`);
      return empty;
    }
  };

  const pullDiagnostics = (): boolean => capabilities.textDocument?.diagnostic !== undefined;

  /**
   * A document's first diagnostics come from one whole parse; what its next pass reuses is made
   * once the server has been idle a moment, so an open is not kept waiting for it and neither,
   * usually, is the first keystroke.
   */
  const idleBeforePreparingMs = options.idleBeforePreparingMs ?? defaultIdleBeforePreparingMs;
  const incrementalTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents being prepared slice by slice, with the next slice. */
  const preparingSlices = new Map<string, ReturnType<typeof setImmediate>>();
  const stopPreparing = (uri: string): void => {
    clearTimeout(incrementalTimers.get(uri));
    incrementalTimers.delete(uri);
    clearImmediate(preparingSlices.get(uri));
    preparingSlices.delete(uri);
  };
  /** One slice of preparing `uri`, then the next after the messages that came meanwhile. */
  const prepareSlice = (uri: string): void => {
    preparingSlices.delete(uri);
    const sliceEnd = performance.now() + preparingSliceMs;
    try {
      service.prepareIncremental(uri, () => performance.now() >= sliceEnd);
      // Kept referenced: an unreferenced immediate runs only when something else wakes the event
      // loop, so an idle server stopped preparing until the next request, which then waited
      // behind a slice per turn of the loop. The slices end when the document is prepared or closed.
      if (service.needsPreparing(uri)) preparingSlices.set(uri, setImmediate(prepareSlice, uri));
    } catch (error) {
      log(`Preparing incremental diagnostics failed for ${uri}: ${describe(error)}`);
    }
  };
  const prepareIncrementalWhenIdle = (uri: string): void => {
    clearTimeout(incrementalTimers.get(uri));
    // Already under way: the slices go on (a pull of the same text keeps what they made).
    if (preparingSlices.has(uri)) return;
    const timer = setTimeout(() => {
      incrementalTimers.delete(uri);
      prepareSlice(uri);
    }, idleBeforePreparingMs);
    timer.unref();
    incrementalTimers.set(uri, timer);
  };
  const diagnose = (document: TextDocument, token?: CancellationToken): Diagnostic[] => {
    const diagnostics = service.diagnose(document, token);
    prepareIncrementalWhenIdle(document.uri);
    return diagnostics;
  };

  const pushDiagnostics = async (document: TextDocument): Promise<void> => {
    const diagnostics = await answer('diagnostics', document.uri, [], diagnose);
    await connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  };

  /** Asks for fresh diagnostics everywhere, after environments or settings changed. */
  const refreshDiagnostics = (): void => {
    if (pullDiagnostics()) {
      if (capabilities.workspace?.diagnostics?.refreshSupport === true) {
        connection.languages.diagnostics.refresh().catch((error: unknown) => log(`Diagnostics refresh failed: ${describe(error)}`));
      }
      return;
    }
    for (const document of documents.all()) pushDiagnostics(document).catch((error: unknown) => log(`Publishing diagnostics failed: ${describe(error)}`));
  };

  const environmentsChanged = (): void => {
    environmentFiles.invalidate();
    // Clear what was published for env files; re-reading publishes again for files that still exist.
    for (const uri of publishedEnvironmentFiles) connection.sendDiagnostics({ uri, diagnostics: [] }).catch((error: unknown) => log(describe(error)));
    publishedEnvironmentFiles.clear();
    refreshDiagnostics();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities;
    setWorkspaceFolders(params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri === null ? [] : [params.rootUri]));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        ...(pullDiagnostics() ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        completionProvider: { triggerCharacters: [...COMPLETION_TRIGGER_CHARACTERS], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        ...(capabilities.workspace?.workspaceFolders === true ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'courier-language-server' },
    };
  });

  connection.onInitialized(() => {
    if (capabilities.workspace?.workspaceFolders === true) {
      // Env files are searched up to a workspace root, so a new root can change what a document sees.
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((folder) => folder.uri));
        const uris = [...workspaceFolderUris.filter((uri) => !removed.has(uri)), ...event.added.map((folder) => folder.uri)];
        setWorkspaceFolders(uris);
        environmentsChanged();
        scanWorkspaceScripts();
        scanOpenApiSpecs();
      });
    }
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: ['courier', 'rest-client'] }).catch((error: unknown) => log(describe(error)));
    }
    if (capabilities.textDocument?.codeAction?.dynamicRegistration === true) {
      // The client's document selector is `.http` files: the fixes of env files' problems are registered for them here.
      connection.client.register(CodeActionRequest.type, { documentSelector: environmentFileSelector, codeActionKinds: [CodeActionKind.QuickFix] }).catch((error: unknown) => log(describe(error)));
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [...environmentFileSelector.map(({ pattern }) => ({ globPattern: pattern })), { globPattern: '**/*.{http,rest}' }, { globPattern: '**/*.{js,cjs,mjs}' }, { globPattern: '**/*.{json,yaml,yml}' }] })
        .catch((error: unknown) => log(describe(error)));
    }
    // Later than the first requests an editor sends for the documents it opens: reading a large
    // workspace would compete with them for the one thread.
    setTimeout(scanWorkspaceScripts, options.scanWorkspaceAfterMs ?? defaultScanWorkspaceAfterMs).unref();
    // The same for the OpenAPI specs: starting their worker and reading the folders wait for the open's requests.
    setTimeout(scanOpenApiSpecs, options.scanWorkspaceAfterMs ?? defaultScanWorkspaceAfterMs).unref();
  });

  /** Finds and loads the workspace's OpenAPI specs in the background (by name and `courier.openapi.specs`). */
  const scanOpenApiSpecs = (): void => {
    const configured = async (): Promise<readonly string[]> => {
      if (capabilities.workspace?.configuration !== true) return [];
      try {
        const [courier] = (await connection.workspace.getConfiguration([{ section: 'courier' }])) as unknown[];
        return normalizeSettings(courier).openApiSpecs ?? [];
      } catch (error) {
        log(`Cannot read courier.openapi.specs: ${describe(error)}`);
        return [];
      }
    };
    configured()
      .then((specs) => openApiSpecs.scan(workspaceRoots, specs))
      .catch((error: unknown) => log(`Finding the OpenAPI specs failed: ${describe(error)}`));
  };

  /** Reads the workspace's `.http` files for the globals their scripts set, in the background; refreshes diagnostics when it finds some. */
  const scanWorkspaceScripts = (): void => {
    workspaceScripts
      .scan(workspaceRoots)
      .then((found) => {
        if (found) refreshDiagnostics();
      })
      .catch((error: unknown) => log(`Reading the workspace's .http files failed: ${describe(error)}`));
  };

  connection.onDidChangeConfiguration(() => {
    settingsByUri.clear();
    refreshDiagnostics();
    scanOpenApiSpecs();
  });
  connection.onDidChangeWatchedFiles((params) => {
    let globalsChanged = false;
    let environmentFileChanged = false;
    let specFilesComeOrGo = false;
    for (const change of params.changes) {
      if (/\.[cm]?js$/i.test(change.uri)) {
        // A handler or pre-request script file: only those an .http file names are read.
        if (change.uri.startsWith('file:') && workspaceScripts.updateScriptFile(change.uri, change.type === 3 ? undefined : (options.readText ?? readTextIfExists)(fileURLToPath(change.uri)))) globalsChanged = true;
      } else if (isEnvironmentFileUri(change.uri)) {
        environmentFileChanged = true;
      } else if (specLikeFile.test(change.uri)) {
        // A spec, or a file beside one that its `$ref`s may name; a new spec file is found by a scan.
        if (change.uri.startsWith('file:')) openApiSpecs.changed(fileURLToPath(change.uri)).catch((error: unknown) => log(describe(error)));
        if (change.type !== 2) specFilesComeOrGo = true;
      } else if (!/\.(http|rest)$/i.test(change.uri)) {
        environmentFileChanged = true;
      } else if (change.uri.startsWith('file:')) {
        // Deleted (3): its globals go; created or changed: read again.
        const text = change.type === 3 ? undefined : (options.readText ?? readTextIfExists)(fileURLToPath(change.uri));
        if (workspaceScripts.update(change.uri, text)) globalsChanged = true;
      }
    }
    if (specFilesComeOrGo) scanOpenApiSpecs();
    if (environmentFileChanged) environmentsChanged();
    else if (globalsChanged) refreshDiagnostics();
  });

  connection.languages.diagnostics.on(async (params, token) => ({
    kind: DocumentDiagnosticReportKind.Full,
    items: await answer('diagnostics', params.textDocument.uri, [], (document) => diagnose(document, token)),
  }));
  documents.onDidChangeContent((change) => {
    if (!pullDiagnostics()) pushDiagnostics(change.document).catch((error: unknown) => log(`Publishing diagnostics failed: ${describe(error)}`));
  });
  documents.onDidClose((event) => {
    stopPreparing(event.document.uri);
    service.forget(event.document.uri);
    settingsByUri.delete(event.document.uri);
    mergedEnvironments.delete(event.document.uri);
    withScriptGlobals.delete(event.document.uri);
    workspaceScripts.forget(event.document.uri);
    if (!pullDiagnostics()) connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }).catch((error: unknown) => log(describe(error)));
  });

  connection.onCompletion((params) => answer('completion', params.textDocument.uri, null, (document) => service.complete(document, params.position)));
  connection.onHover((params) => answer('hover', params.textDocument.uri, null, (document) => service.hover(document, params.position)));
  connection.onDefinition((params) => answer('definition', params.textDocument.uri, [], (document) => service.definition(document, params.position)));
  connection.onReferences((params, token) => answer('references', params.textDocument.uri, [], (document) => service.references(document, params.position, params.context.includeDeclaration, token)));
  connection.onPrepareRename((params) =>
    answer('prepareRename', params.textDocument.uri, null, (document) => {
      const prepared = service.prepareRename(document, params.position);
      if (prepared === undefined) return null;
      if ('rejected' in prepared) return new ResponseError(ErrorCodes.InvalidRequest, prepared.rejected);
      return prepared;
    }),
  );
  connection.onRenameRequest((params, token) =>
    answer('rename', params.textDocument.uri, null, (document) => {
      const edit = service.rename(document, params.position, params.newName, token);
      if (edit === undefined) return null;
      if ('rejected' in edit) return new ResponseError(ErrorCodes.InvalidRequest, edit.rejected);
      return edit;
    }),
  );
  connection.onDocumentSymbol((params) => answer('documentSymbol', params.textDocument.uri, [], (document) => service.documentSymbols(document)));
  connection.onFoldingRanges((params) => answer('foldingRange', params.textDocument.uri, [], (document) => service.foldingRanges(document)));
  connection.onCodeLens((params) => answer('codeLens', params.textDocument.uri, [], (document) => service.codeLenses(document)));
  connection.onDocumentFormatting((params) => answer('formatting', params.textDocument.uri, [], (document) => service.format(document)));
  connection.onCodeAction((params) => {
    // Env files are not synced: their fixes come from the diagnostics the server published for them.
    if (documents.get(params.textDocument.uri) === undefined && isEnvironmentFileUri(params.textDocument.uri)) return environmentFileCodeActions(params.textDocument.uri, params.context.diagnostics);
    return answer('codeAction', params.textDocument.uri, [], (document) => service.codeActions(document, params.range, params.context.diagnostics));
  });

  connection.onRequest(RequestAtRequest.method, (params: RequestAtRequest.Params) =>
    answer<RequestAtRequest.Result | null>(RequestAtRequest.method, params.uri, null, (document) => service.requestAt(document, params.position) ?? null),
  );
  connection.onRequest(EnvironmentsRequest.method, async (params: EnvironmentsRequest.Params): Promise<EnvironmentsRequest.Result> => {
    const empty: EnvironmentsRequest.Result = { names: [], files: [], active: undefined };
    try {
      await loadSettings(params.uri);
      const { snapshot, files } = environmentsFor(params.uri);
      return { names: snapshot.names, files: inPrecedenceOrder(files).map((file) => file.uri), active: snapshot.active };
    } catch (error) {
      log(`${EnvironmentsRequest.method} failed for ${params.uri}: ${describe(error)}`);
      return empty;
    }
  });
  connection.onNotification(SetEnvironmentNotification.method, (params: SetEnvironmentNotification.Params) => {
    chosenEnvironment = { name: typeof params.name === 'string' && params.name !== '' ? params.name : null };
    refreshDiagnostics();
  });

  documents.listen(connection);
  connection.listen();
}

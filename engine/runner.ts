// The runner: the one place where "run these requests of this file" happens, for the CLI and
// the extension alike. It parses the file, loads its environment, sends named requests a
// request depends on first, asks prompts, prepares and sends each request through a session,
// and remembers named requests so `{{login.response.body.$.token}}` works across runs.
//
// Every request yields an `Exchange`, in the order sent: a problem before sending (undefined
// variable, missing file, unknown environment) is an exchange with `error` and no response.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from '../language/parser';
import { findRequestAtLine, lineAt } from '../language/positions';
import type { CompositionLine, HttpDocument, OutputRedirect, Request } from '../language/syntax';
import { compositionLines } from '../language/syntaxViews';
import { scanReferences } from '../language/references';
import { referencesNamedRequests } from '../language/requestTemplates';
import { findNamedRequest, sendOrder } from './dependencies';
import { loadDotenv, loadEnvironment, type LoadedEnvironment } from './environments';
import { environmentCertificate, environmentCertificates, skipsHostVerification, type CertificateState } from './environmentTls';
import type { EngineError, Exchange, ExchangeObserver, PreparedRequest, RequestOrigin, SendOptions } from './model';
import { openApiTests, type OpenApiValidation } from './openapi/responseValidation';
import { exportedText, hasChecks, RequestChecks, RequestScripts, scriptExports, scriptGlobals, scriptRequestOf, type ScriptRunner, type ScriptSettings } from './scripts/requestScripts';
import { ScriptSandbox } from './scripts/sandbox';
import { SessionState } from './sessionState';
import { prepareRequest } from './prepare';
import { delay, evaluateExpression, maxWhilePasses, passValue, rateLimitSlots, requestDirectives, throttle, type LoopPass, type RequestDirectives } from './requestDirectives';
import type { SentRequest } from './requestVariables';
import type { SystemVariableContext } from './systemVariables';
import { Resolver, VariableError } from './variables';
import { noValues, PromptSource, readReferences, type PromptQuestion, type ReadReferences, type SourceContext, type SourceOutcome, type VariableSource } from './variableSources';

export type { PromptQuestion, SourceContext, SourceOutcome, VariableSource } from './variableSources';

/** How runs behave; the CLI builds it from flags, the extension from settings. */
export interface RunSettings {
  /** Environment of `http-client.env.json` to use; only `$shared` applies when undefined. */
  readonly environment?: string;
  /** `--var name=value`: wins over every other source. */
  readonly overrides?: ReadonlyMap<string, string>;
  /** Send options for requests whose directives do not say otherwise. */
  readonly defaults?: Partial<SendOptions>;
  /** Env files are searched from the `.http` file's folder up to this folder (inclusive). */
  readonly searchRoot?: string;
  /** The environment for a run of `httpFile`, when the caller has read the env files already (the extension, once per send); by default they are read here. */
  readonly loadedEnvironment?: (httpFile: string) => LoadedEnvironment;
  /** Answers `# @prompt` variables; undefined answer cancels the request. Without it, prompts must be given by `--var`. */
  readonly prompt?: (question: PromptQuestion) => Promise<string | undefined>;
  /** Answers the passphrase of an environment's client certificate key (`SSLConfiguration`); `prompt` when not given. */
  readonly certificatePassphrase?: (question: PromptQuestion) => Promise<string | undefined>;
  /** Asked before sending a request with `# @note`; false cancels it. Without it, such requests are sent. */
  readonly confirm?: (note: string) => Promise<boolean>;
  /**
   * Asynchronous variable sources after prompts in the documented order (OAuth tokens and script
   * globals plug in here); each resolves before the request is prepared.
   */
  readonly variableSources?: readonly VariableSource[];
  /** Clock, random and environment sources for system variables; tests inject fixed ones. */
  readonly system?: Partial<Omit<SystemVariableContext, 'variable'>>;
  /** Pre-request scripts, response handlers and `??` lines: the sandbox, its time limit, or why scripts must not run. */
  readonly scripts?: ScriptSettings;
  /**
   * Who is told about each exchange while it happens (a stream's messages as they arrive): asked
   * once per request sent, with the request as prepared; undefined for an exchange nobody watches.
   */
  readonly observe?: (request: PreparedRequest) => ExchangeObserver | undefined;
  /** Responses checked against OpenAPI specs (`--openapi`, the workspace's specs); each violation a failing test. Off when undefined; `# @no-openapi` turns it off per request. */
  readonly openapi?: OpenApiValidation;
  /** How a user of this front end chooses `environment`, for a variable only environments define when none is chosen; `pass --env NAME` by default. */
  readonly environmentAdvice?: (environment: string) => string;
}

/** Which requests of a file to run. */
export type Selection =
  | { readonly kind: 'all' }
  | { readonly kind: 'names'; readonly names: readonly string[] }
  /** The request whose block holds this 1-based line. */
  | { readonly kind: 'line'; readonly line: number };

/** Sends prepared requests: a `Session`, or anything shaped like one. */
export interface RequestSender {
  /** `observer` hears of the exchange as it happens (a stream's messages as they come). */
  send(request: PreparedRequest, signal?: AbortSignal, observer?: ExchangeObserver): Promise<Exchange>;
  /** The session's state, where script globals live beside the cookies; a runner keeps its own without it. */
  readonly state?: SessionState;
}

/**
 * One `.http` file as the runner receives it: its path (for env files and relative bodies) and its
 * current text, or the text already parsed when the caller has it (the CLI parses to check syntax first).
 */
export type HttpFile = { readonly path: string; readonly text: string } | { readonly path: string; readonly document: HttpDocument };

/** Where `>> file` (`overwrite` false) or `>>! file` under a request says to save its body. */
export interface SaveTarget {
  /** Absolute: variables substituted (request variables included), then resolved against the `.http` file's folder. */
  readonly path: string;
  readonly overwrite: boolean;
}

/** What the runner knows about an exchange besides the exchange itself. */
export interface ExchangeDetails {
  /** The request's `>>` target when it has one and a response arrived; `problem` says why the path could not be named. */
  readonly saveTo: SaveTarget | { readonly problem: string } | undefined;
}

/** A request ready to send, or a sentence saying why it is not (naming file, line and what to do). */
export type Preparation = { readonly prepared: PreparedRequest } | { readonly problem: string };

/** Called with each exchange as it completes. */
export type ExchangeListener = (exchange: Exchange, details: ExchangeDetails) => void;

const noDetails: ExchangeDetails = { saveTo: undefined };

/** Runs requests of `.http` files through one session, remembering named requests between runs. */
export class Runner {
  private readonly sent = new Map<string, SentRequest>();
  private readonly state: RunnerState;
  private ownSandbox: ScriptSandbox | undefined;
  /** Where a sender without a session's state keeps what lasts a session (certificates and passphrases). */
  private ownState: SessionState | undefined;

  constructor(sender: RequestSender, settings: RunSettings) {
    this.state = {
      sender,
      settings,
      sent: this.sent,
      // Beside the cookies when the sender is a session; for the runner's life otherwise.
      globals: sender.state?.get(scriptGlobals) ?? new Map<string, string>(),
      exports: sender.state?.get(scriptExports) ?? new Map<string, Map<string, unknown>>(),
      sandbox: () => settings.scripts?.sandbox ?? (this.ownSandbox ??= new ScriptSandbox()),
      rateLimits: sender.state?.get(rateLimitSlots) ?? new Map<string, number[]>(),
      certificates: (sender.state ?? (this.ownState ??= new SessionState())).get(environmentCertificates),
    };
  }

  /** Runs the selected requests (and the named requests they need that were not sent yet); resolves to every exchange, in the order sent. */
  async run(file: HttpFile, selection: Selection, signal?: AbortSignal, onExchange?: ExchangeListener): Promise<Exchange[]> {
    const document = 'document' in file ? file.document : parse(file.text);
    const exchanges: Exchange[] = [];
    const scope = newRunScope(signal, (exchange, details) => {
      exchanges.push(exchange);
      onExchange?.(exchange, details);
    });
    const path = resolve(file.path);
    scope.documents.set(path, document);
    scope.fileChain.push(path);
    await new FileRun(this.state, path, document, scope, undefined).execute(selection);
    return exchanges;
  }

  /** Prepares the request holding a 1-based line without sending anything or asking anyone: other requests' responses come from what this runner remembers. */
  async prepare(file: HttpFile, line: number): Promise<Preparation> {
    const document = 'document' in file ? file.document : parse(file.text);
    return new FileRun(this.state, resolve(file.path), document, newRunScope(undefined, () => undefined), undefined).prepareAt(line);
  }

  /** Ends the script worker the runner started, if any (a sandbox given in the settings is its owner's to close). */
  async close(): Promise<void> {
    await this.ownSandbox?.close();
    this.ownSandbox = undefined;
  }

  /** Forgets the named requests sent so far, so their dependants send them again. */
  forget(): void {
    this.sent.clear();
  }
}

/** What a run shares with its runner; `sent` is keyed by file path and request name. */
interface RunnerState {
  readonly sender: RequestSender;
  readonly settings: RunSettings;
  readonly sent: Map<string, SentRequest>;
  /** `client.global`: the session's script globals. */
  readonly globals: Map<string, string>;
  /** httpYac's `exports`, per file path. */
  readonly exports: Map<string, Map<string, unknown>>;
  readonly sandbox: () => ScriptRunner;
  /** `# @ratelimit` slots: beside the cookies when the sender is a session. */
  readonly rateLimits: Map<string, number[]>;
  /** Environments' client certificates and their passphrases: the session's, in memory only. */
  readonly certificates: CertificateState;
}

/** Tells both (the front end's first, then the stream handlers') of everything; either may be absent. */
export function bothObservers(first: ExchangeObserver | undefined, second: ExchangeObserver | undefined): ExchangeObserver | undefined {
  if (first === undefined || second === undefined) return first ?? second;
  return {
    onResponseHead: (head) => {
      first.onResponseHead?.(head);
      second.onResponseHead?.(head);
    },
    onStreamOpen: (control) => {
      first.onStreamOpen?.(control);
      second.onStreamOpen?.(control);
    },
    onMessage: (message) => {
      first.onMessage?.(message);
      second.onMessage?.(message);
    },
  };
}

/**
 * What one call of `Runner.run` shares across the files it reaches through `import`, `run` and
 * `# @import`: where exchanges go, the files read (once per run: they may change between runs),
 * and the chains that make a cycle an error instead of a hang.
 */
interface RunScope {
  readonly signal: AbortSignal | undefined;
  readonly record: ExchangeListener;
  readonly documents: Map<string, HttpDocument | { readonly problem: string }>;
  /** The files being run, outermost first (`run ./other.http` pushes one). */
  readonly fileChain: string[];
  /** The requests whose `# @ref`s are being sent, outermost first. */
  readonly refChain: Request[];
}

function newRunScope(signal: AbortSignal | undefined, record: ExchangeListener): RunScope {
  return { signal, record, documents: new Map(), fileChain: [], refChain: [] };
}

/** A request and the run of the file that holds it. */
interface FoundRequest {
  readonly run: FileRun;
  readonly request: Request;
}

/** One call of `Runner.run`: the file's parsed state and what was sent during it. */
class FileRun {
  private readonly attempted = new Set<Request>();
  /** `--var` overrides, with a `run` line's `(@name=value)` over them. */
  private readonly overrides: ReadonlyMap<string, string>;
  /** The runs of the files this one imports (`import`, `# @import`), made on first need. */
  private imports: readonly (FileRun | { readonly problem: string })[] | undefined;
  /** Whether the file has `import`/`run` lines or `# @import`: asked per reference, so known once. */
  private readonly importsFiles: boolean;
  /** `$index` and the loop variable of the `# @loop` pass being sent. */
  private passValues: ReadonlyMap<string, string> | undefined;
  private readonly environment: LoadedEnvironment;
  private readonly fileVariables: ReadonlyMap<string, string>;
  private readonly system: Omit<SystemVariableContext, 'variable'>;
  /** False when nothing in the file or the environment references a named request: then no request has dependencies to look for. */
  private readonly hasDependencies: boolean;
  /** The asynchronous sources, in the documented order: named requests (sent first), prompts, then those the settings add. */
  private readonly sources: readonly VariableSource[];
  private dotenv: ReadonlyMap<string, string> | undefined;
  private scripts: RequestScripts | undefined;
  /** `request.variables.set` by each request's pre-request scripts, while it is being sent. */
  private readonly requestVariables = new Map<Request, ReadonlyMap<string, string>>();
  /** httpYac's `exports` of this file, kept by the session. */
  private readonly exports: Map<string, unknown>;
  /** The tests and log of httpYac's global scripts, shown with the run's first exchange. */
  private globalChecks: RequestChecks | undefined;

  constructor(
    private readonly runner: RunnerState,
    readonly path: string,
    readonly document: HttpDocument,
    private readonly scope: RunScope,
    runOverrides: ReadonlyMap<string, string> | undefined,
  ) {
    const settings = runner.settings;
    this.importsFiles = document.tables.compositions.count > 0 || hasImportDirective(document);
    this.overrides = runOverrides === undefined || runOverrides.size === 0 ? (settings.overrides ?? noOverrides) : new Map([...(settings.overrides ?? noOverrides), ...runOverrides]);
    this.environment = settings.loadedEnvironment?.(path) ?? loadEnvironment(path, settings.environment, settings.searchRoot);
    // A later definition overrides an earlier one; this file's over those of the files it imports.
    this.fileVariables = new Map([...this.importedVariables(), ...document.variables.map((variable): [string, string] => [variable.name.text, variable.value.text])]);
    // `# @ref` and imports need the dependency source too: a request may read an imported request's response.
    this.hasDependencies = referencesNamedRequests(document.tables) || environmentReferencesRequests(this.environment.variables) || this.importsFiles;
    const prompts = new PromptSource(settings.prompt);
    const later = settings.variableSources ?? [];
    let exports = runner.exports.get(path);
    if (exports === undefined) runner.exports.set(path, (exports = new Map<string, unknown>()));
    this.exports = exports;
    const scriptVariables = new ScriptVariables(runner.globals, this.requestVariables, exports);
    this.sources = this.hasDependencies ? [new RequestDependencies(this), prompts, scriptVariables, ...later] : [prompts, scriptVariables, ...later];
    this.system = {
      now: () => new Date(),
      random: Math.random,
      uuid: randomUUID,
      processEnv: (name) => process.env[name],
      dotenv: (name) => this.dotenvValue(name),
      ...settings.system,
    };
  }

  async execute(selection: Selection): Promise<void> {
    const entries = this.select(selection);
    if (this.environment.error === undefined && entries.some((entry) => !('error' in entry))) {
      const stopped = await this.runGlobalScripts();
      if (stopped !== undefined) {
        // httpYac sends nothing of a run whose global script failed.
        for (const entry of entries) this.record('error' in entry ? entry.error : this.failure('request' in entry ? entry.request : undefined, 'line' in entry ? lineAt(this.document.lineStarts, entry.line.start) + 1 : undefined, undefined, stopped));
        return;
      }
    }
    for (const entry of entries) {
      if (this.aborted) break;
      if ('error' in entry) this.record(entry.error);
      else if ('line' in entry) await this.runLine(entry.line);
      else if (!this.attempted.has(entry.request)) await this.send(entry.request);
    }
  }

  private select(selection: Selection): ({ readonly request: Request } | { readonly line: CompositionLine } | { readonly error: Exchange })[] {
    const requests = this.document.requests;
    switch (selection.kind) {
      case 'all': {
        // `run` lines run where they stand, between the requests.
        const runs = compositionLines(this.document).filter((line) => line.kind !== 'import');
        if (runs.length === 0) return requests.map((request) => ({ request }));
        const steps: ({ readonly request: Request } | { readonly line: CompositionLine })[] = [...requests.map((request) => ({ request })), ...runs.map((line) => ({ line }))];
        return steps.sort((a, b) => ('request' in a ? a.request.start : a.line.start) - ('request' in b ? b.request.start : b.line.start));
      }
      case 'names':
        return selection.names.map((name) => {
          const request = findNamedRequest(this.document, name);
          if (request !== undefined) return { request };
          const known = requests.flatMap((candidate) => (candidate.name === undefined ? [] : [candidate.name.text]));
          return { error: this.failure(undefined, 1, name, { code: 'other', message: `${this.path}: no request is named ${name} (named: ${known.length === 0 ? 'none' : known.join(', ')})` }) };
        });
      case 'line': {
        const runLine = compositionLines(this.document).find((line) => line.kind !== 'import' && lineAt(this.document.lineStarts, line.start) === selection.line - 1);
        if (runLine !== undefined) return [{ line: runLine }];
        const request = findRequestAtLine(this.document, selection.line - 1);
        if (request !== undefined) return [{ request }];
        return [{ error: this.failure(undefined, selection.line, undefined, { code: 'other', message: `${this.path}:${selection.line}: there is no request at this line` }) }];
      }
    }
  }

  /** The request at a 1-based line prepared with what was already sent; never sends or asks. */
  async prepareAt(line: number): Promise<Preparation> {
    const request = findRequestAtLine(this.document, line - 1);
    if (request === undefined) return { problem: `${this.path}:${line}: there is no request at this line` };
    if (this.environment.error !== undefined) return { problem: this.environment.error.message };
    const resolved = await this.resolveSources(request, false);
    if ('error' in resolved) return { problem: resolved.error.message };
    const result = this.prepare(request, this.resolver(resolved.values));
    if ('error' in result) return { problem: result.needs === undefined ? result.error.message : this.unsentMessage(request, result.needs) };
    return { prepared: result.prepared };
  }

  unsentMessage(request: Request, name: string): string {
    return `${this.where(request)}: this request reads the response of ${name}, which was not sent in this session yet: send ${name} first`;
  }

  /** The unsent named requests `request` needs, in sending order, or why they cannot be sent. */
  dependencyOrder(request: Request): { readonly requests: readonly Request[] } | { readonly error: EngineError } {
    // Requests of imported files are sent by their own file's run (`RequestDependencies`), not ordered here.
    const order = sendOrder(this.document, request, (name) => this.sentRequest(name) !== undefined || (findNamedRequest(this.document, name) === undefined && this.findImported(name) !== undefined));
    switch (order.kind) {
      case 'cycle':
        return { error: { code: 'variable', message: `${this.where(request)}: requests depend on each other in a cycle: ${order.names.join(' -> ')}` } };
      case 'missing':
        return { error: { code: 'variable', message: `${this.where(order.by)}: no request in this file is named ${order.name}: add # @name ${order.name} above the request to use` } };
      case 'order':
        return order;
    }
  }

  /** Whether `request` was sent or tried in this run (a dependency is sent once). */
  wasAttempted(request: Request): boolean {
    return this.attempted.has(request);
  }

  get aborted(): boolean {
    return this.scope.signal?.aborted === true;
  }

  // ---- Composition: `import`, `run`, `# @import`, `# @ref` ------------------------------------

  /** The request named `name` in this file, else in the files it imports (the first found). */
  findRequest(name: string): FoundRequest | undefined {
    const own = findNamedRequest(this.document, name);
    return own === undefined ? this.findImported(name) : { run: this, request: own };
  }

  findImported(name: string): FoundRequest | undefined {
    for (const imported of this.importedRuns()) {
      if ('problem' in imported) continue;
      const request = findNamedRequest(imported.document, name);
      if (request !== undefined) return { run: imported, request };
    }
    return undefined;
  }

  /** The `@variables` of the files this one imports (not of the files they import), in import order. */
  private importedVariables(): [string, string][] {
    if (!this.importsFiles) return [];
    const variables: [string, string][] = [];
    for (const { path, node } of importsOf(this.document)) {
      const imported = this.readDocument(resolve(dirname(this.path), path), node, 'import');
      if (!('problem' in imported)) for (const variable of imported.variables) variables.push([variable.name.text, variable.value.text]);
    }
    return variables;
  }

  /** Why an imported file cannot be used, for the first one that cannot. */
  private importProblem(): string | undefined {
    for (const imported of this.importedRuns()) if ('problem' in imported) return imported.problem;
    return undefined;
  }

  private importedRuns(): readonly (FileRun | { readonly problem: string })[] {
    if (this.imports !== undefined) return this.imports;
    const runs: (FileRun | { readonly problem: string })[] = [];
    for (const { path, node } of importsOf(this.document)) {
      const file = resolve(dirname(this.path), path);
      if (file === this.path) continue;
      const document = this.readDocument(file, node, 'import');
      runs.push('problem' in document ? document : new FileRun(this.runner, file, document, this.scope, undefined));
    }
    this.imports = runs;
    return runs;
  }

  /** The `.http` file at `file`, read and parsed once per run, or why it cannot be read. */
  private readDocument(file: string, node: { readonly start: number }, verb: string): HttpDocument | { readonly problem: string } {
    let document = this.scope.documents.get(file);
    if (document === undefined) {
      try {
        document = parse(readFileSync(file, 'utf8'));
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
        document = { problem: `${this.where(node)}: cannot ${verb} ${file}: ${reason}: fix the path (relative to this file's folder)` };
      }
      this.scope.documents.set(file, document);
    }
    return document;
  }

  /** `run #Name (@a=1)` or `run ./file.http (@a=1)`, where it stands. */
  private async runLine(line: CompositionLine): Promise<void> {
    const overrides = new Map(line.overrides.map((entry) => [entry.name.text, entry.value.text]));
    const fail = (message: string): void => this.record(this.failure(undefined, lineAt(this.document.lineStarts, line.start) + 1, undefined, { code: 'other', message }));
    if (line.kind === 'run-request') {
      const found = this.findRequest(line.target.text);
      if (found === undefined) {
        const problem = this.importProblem();
        fail(problem ?? `${this.where(line)}: no request is named ${line.target.text} in this file or the files it imports: name one with # @name ${line.target.text} or ### ${line.target.text}, or import its file with import ./file.http at the top`);
        return;
      }
      // The request runs in its own file (its variables and folder), with the line's overrides: always, like a click on it.
      const run = overrides.size === 0 ? found.run : new FileRun(this.runner, found.run.path, found.run.document, this.scope, overrides);
      await run.send(found.request);
      return;
    }
    const file = resolve(dirname(this.path), line.target.text);
    const chain = this.scope.fileChain;
    if (chain.includes(file)) {
      fail(`${this.where(line)}: run ${line.target.text} would run files in a cycle: ${[...chain.slice(chain.indexOf(file)), file].join(' -> ')}: remove one of these run lines`);
      return;
    }
    const document = this.readDocument(file, line, 'run');
    if ('problem' in document) {
      fail(document.problem);
      return;
    }
    chain.push(file);
    try {
      await new FileRun(this.runner, file, document, this.scope, overrides).execute({ kind: 'all' });
    } finally {
      chain.pop();
    }
  }

  /** `# @ref` and `# @forceRef`: the named requests sent first (`@ref` only when not sent in this session); a problem stops the request. */
  private async sendReferences(request: Request, directives: RequestDirectives): Promise<EngineError | undefined> {
    for (const ref of directives.refs) {
      if (this.aborted) return undefined;
      const found = this.findRequest(ref.name);
      if (found === undefined) {
        return { code: 'variable', message: this.importProblem() ?? `${this.where(ref.directive)}: no request is named ${ref.name} in this file or the files it imports: name one with # @name ${ref.name}, or import its file with # @import ./file.http` };
      }
      const chain = this.scope.refChain;
      if (chain.includes(found.request) || found.request === request) {
        // The chain holds the requests whose references are being sent, this one not yet.
        const names = [...chain.slice(Math.max(0, chain.indexOf(found.request))), request, found.request].map((step) => step.name?.text ?? `line ${lineAt(found.run.document.lineStarts, step.start) + 1}`);
        return { code: 'variable', message: `${this.where(ref.directive)}: requests reference each other in a cycle: ${names.join(' -> ')}: remove one of these # @ref lines` };
      }
      if (!ref.force && found.run.sentRequest(ref.name) !== undefined) continue;
      chain.push(request);
      try {
        await found.run.send(found.request);
      } finally {
        chain.pop();
      }
    }
    return undefined;
  }

  /** `# @disabled EXPR`: whether the expression is truthy (a failing expression is an error). */
  private async disabledBy(expression: string, directive: { readonly start: number }): Promise<{ readonly disabled: boolean } | { readonly error: EngineError }> {
    const evaluated = await this.evaluate(expression, directive, '@disabled');
    return 'problem' in evaluated ? { error: { code: 'script', message: evaluated.problem } } : { disabled: Boolean(evaluated.value) };
  }

  /** Evaluates a directive's expression in the sandbox, its names bound to the request's variables. */
  private evaluate(expression: string, node: { readonly start: number }, label: string): Promise<{ readonly value: unknown } | { readonly problem: string }> {
    const skipReason = this.runner.settings.scripts?.skipReason;
    if (skipReason !== undefined) return Promise.resolve({ problem: `${this.where(node)}: the expression of ${label} was not evaluated: ${skipReason}` });
    const resolver = this.resolver(noPromptedValues);
    const values = (name: string): string | undefined => {
      const passed = this.passValues?.get(name) ?? this.runner.globals.get(name);
      if (passed !== undefined) return passed;
      try {
        return resolver.variable(name);
      } catch {
        return undefined;
      }
    };
    const site = { file: this.path, line: lineAt(this.document.lineStarts, node.start) + 1, label };
    return evaluateExpression(this.runner.sandbox(), expression, values, site, this.runner.settings.scripts?.timeoutMs);
  }

  /** The passes of a `# @loop`, one at a time (a `while` condition is checked before each), or why the loop cannot go on. */
  private async *loopPasses(plan: NonNullable<RequestDirectives['loop']>): AsyncGenerator<LoopPass | { readonly error: EngineError }> {
    const { plan: loop, directive } = plan;
    if (loop.kind === 'count') {
      for (let index = 0; index < loop.count; index++) yield { index, values: new Map([['$index', String(index)]]) };
      return;
    }
    if (loop.kind === 'each') {
      const evaluated = await this.evaluate(loop.iterable, directive, '@loop');
      if ('problem' in evaluated) {
        yield { error: { code: 'script', message: evaluated.problem } };
        return;
      }
      if (!Array.isArray(evaluated.value)) {
        yield { error: { code: 'script', message: `${this.where(directive)}: @loop for ${loop.variable} of ${loop.iterable} needs an array, but the expression gave ${JSON.stringify(evaluated.value) ?? 'undefined'}: define it as a JSON array, e.g. @${loop.iterable} = [1, 2, 3]` } };
        return;
      }
      const elements: unknown[] = evaluated.value;
      for (let index = 0; index < elements.length; index++) yield { index, values: new Map([['$index', String(index)], [loop.variable, passValue(elements[index])]]) };
      return;
    }
    for (let index = 0; ; index++) {
      if (index === maxWhilePasses) {
        yield { error: { code: 'script', message: `${this.where(directive)}: @loop while ${loop.condition} was still true after ${maxWhilePasses} passes: make the condition turn false (a response handler can set a global it reads)` } };
        return;
      }
      this.passValues = new Map([['$index', String(index)]]);
      const evaluated = await this.evaluate(loop.condition, directive, '@loop');
      if ('problem' in evaluated) {
        yield { error: { code: 'script', message: evaluated.problem } };
        return;
      }
      if (!evaluated.value) return;
      yield { index, values: new Map([['$index', String(index)]]) };
    }
  }

  /**
   * The asynchronous step before preparation: each source in order, with what the request reads.
   * The values they give are looked up after the environment; the first error stops the request.
   * Synchronous while every source answers at once: most requests wait for nothing, and a promise
   * per request showed in run.bench's profile.
   */
  private resolveSources(request: Request, mayAct: boolean): SourceOutcome | Promise<SourceOutcome> {
    let reads: ReadReferences | undefined;
    const overrides = this.overrides;
    const context: SourceContext = {
      request,
      reads: () => (reads ??= readReferences(this.document, request, this.environment.variables)),
      definedEarlier: (name) => overrides?.has(name) === true || this.fileVariables.has(name) || this.environment.variables.has(name),
      mayAct,
      where: (node) => this.where(node),
      environmentName: this.runner.settings.environment,
      environmentValue: (name) => this.environment.variables.get(name),
      substitute: (text) => this.resolver(noPromptedValues).substitute(text),
      ...(this.scope.signal === undefined ? {} : { signal: this.scope.signal }),
    };
    const gathered: GatheredValues = { values: undefined };
    for (let index = 0; index < this.sources.length; index++) {
      const outcome = this.sources[index]?.resolve(context);
      if (outcome instanceof Promise) return this.resolveRest(outcome, index + 1, context, gathered);
      if (outcome === undefined) continue;
      if ('error' in outcome) return outcome;
      gather(gathered, outcome);
    }
    return gathered.values === undefined ? noValues : { values: gathered.values };
  }

  /** `resolveSources` from the first source that answered with a promise. */
  private async resolveRest(pending: Promise<SourceOutcome>, next: number, context: SourceContext, gathered: GatheredValues): Promise<SourceOutcome> {
    const first = await pending;
    if ('error' in first) return first;
    gather(gathered, first);
    for (const source of this.sources.slice(next)) {
      const outcome = await source.resolve(context);
      if ('error' in outcome) return outcome;
      gather(gathered, outcome);
    }
    return gathered.values === undefined ? noValues : { values: gathered.values };
  }

  /** httpYac's global scripts, once per run before its first request; why nothing is sent when one fails or cancels. */
  private async runGlobalScripts(): Promise<EngineError | undefined> {
    const scripts = this.requestScripts();
    if (!scripts.hasGlobalScripts) return undefined;
    const checks = new RequestChecks();
    const stopped = await scripts.beforeRun(checks);
    if (checks.tests.length > 0 || checks.log.length > 0) this.globalChecks = checks;
    return stopped === undefined ? undefined : { code: checks.cancelled ? 'aborted' : 'script', message: stopped };
  }

  /** Sends `request` after its sources resolved (named requests it reads are sent first). */
  async send(request: Request): Promise<void> {
    this.attempted.add(request);
    if (this.environment.error !== undefined) {
      this.record(this.failure(request, undefined, undefined, this.environment.error));
      return;
    }
    const directives = requestDirectives(request);
    if (directives.problem !== undefined) {
      this.record(this.failure(request, undefined, undefined, { code: 'variable', message: `${this.where(directives.problem.directive)}: ${directives.problem.message}` }));
      return;
    }
    const referenceError = directives.refs.length === 0 ? undefined : await this.sendReferences(request, directives);
    if (referenceError !== undefined) {
      this.record(this.failure(request, undefined, undefined, referenceError));
      return;
    }
    if (directives.disabled !== undefined) {
      const decided = directives.disabled === true ? { disabled: true } : await this.disabledBy(directives.disabled.expression, directives.disabled.directive);
      if ('error' in decided) {
        this.record(this.failure(request, undefined, undefined, decided.error));
        return;
      }
      if (decided.disabled) {
        this.record({ ...this.failure(request, undefined, undefined, { code: 'aborted', message: `${this.where(request)}: not sent: disabled by # @disabled` }), error: undefined, skipped: 'disabled by # @disabled' });
        return;
      }
    }
    if (directives.loop === undefined) {
      await this.sendPass(request, directives, undefined);
      return;
    }
    for await (const pass of this.loopPasses(directives.loop)) {
      if (this.aborted) break;
      if ('error' in pass) {
        this.record(this.failure(request, undefined, undefined, pass.error));
        break;
      }
      await this.sendPass(request, directives, pass);
    }
    this.passValues = undefined;
  }

  /** One send of `request` (one pass of its `# @loop`): sleep, rate limit, confirmation, scripts, the exchange. */
  private async sendPass(request: Request, directives: RequestDirectives, pass: LoopPass | undefined): Promise<void> {
    this.passValues = pass?.values;
    if (directives.sleep !== undefined) {
      const sleep = directives.sleep;
      let ms: number;
      if ('ms' in sleep.delay) ms = sleep.delay.ms;
      else {
        const evaluated = await this.evaluate(sleep.delay.expression, sleep.directive, '@sleep');
        if ('problem' in evaluated || typeof evaluated.value !== 'number' || !Number.isFinite(evaluated.value)) {
          const problem = 'problem' in evaluated ? evaluated.problem : `${this.where(sleep.directive)}: @sleep ${sleep.delay.expression} gave ${JSON.stringify(evaluated.value) ?? 'undefined'}, not a number of milliseconds`;
          this.record(this.failure(request, undefined, undefined, { code: 'script', message: problem }));
          return;
        }
        ms = evaluated.value;
      }
      await delay(ms, this.scope.signal);
      if (this.aborted) return;
    }
    if (directives.rateLimit !== undefined) {
      await throttle(this.runner.rateLimits, directives.rateLimit, this.scope.signal);
      if (this.aborted) return;
    }
    const settings = this.runner.settings;
    const note = request.directives.find((directive) => directive.name.text === 'note');
    if (note !== undefined && settings.confirm !== undefined) {
      const confirmed = await settings.confirm(note.value?.text ?? `Send ${request.methodName} ${request.target.text}?`);
      if (!confirmed) {
        this.record(this.failure(request, undefined, undefined, { code: 'aborted', message: `${this.where(request)}: not sent: cancelled at the confirmation` }));
        return;
      }
    }
    const checks = hasChecks(request) || this.requestScripts().hasScriptBlocks(request) ? new RequestChecks() : undefined;
    if (checks !== undefined) this.requestScripts().iteration = pass?.index ?? 0;
    const fail = (error: EngineError): void => {
      const failure = this.failure(request, undefined, undefined, error);
      this.record(checks === undefined ? failure : checks.attachTo(failure));
    };
    if (checks !== undefined && (request.preRequestScripts.length > 0 || this.requestScripts().hasScriptBlocks(request))) {
      // What the script reads as `tryGetSubstituted`: what can be expanded before it runs.
      const early = this.resolver(noPromptedValues);
      const problem = await this.requestScripts().beforeRequest(request, scriptRequestOf(this.document, request, (text) => early.substitute(text)), checks);
      if (problem !== undefined) {
        fail({ code: checks.cancelled ? 'aborted' : 'script', message: problem });
        return;
      }
      this.requestVariables.set(request, checks.requestVariables);
    }
    try {
      await this.sendPrepared(request, checks, fail, directives, pass);
    } finally {
      this.requestVariables.delete(request);
    }
  }

  /** `send` once the pre-request scripts ran: sources, preparation, the exchange, then handlers and `??` lines. */
  private async sendPrepared(request: Request, checks: RequestChecks | undefined, fail: (error: EngineError) => void, directives: RequestDirectives, pass: LoopPass | undefined): Promise<void> {
    const resolving = this.resolveSources(request, true);
    const resolved = resolving instanceof Promise ? await resolving : resolving;
    if ('error' in resolved) {
      fail(resolved.error);
      return;
    }
    if (this.aborted) return;
    let resolver = this.resolver(resolved.values);
    let result = this.prepare(request, resolver);
    // A `<@` file's content is read only while preparing: a named request referenced there is found then.
    while ('error' in result && result.needs !== undefined) {
      const dependency = findNamedRequest(this.document, result.needs);
      if (dependency === undefined || this.attempted.has(dependency)) break;
      await this.send(dependency);
      resolver = this.resolver(resolved.values);
      result = this.prepare(request, resolver);
    }
    if ('error' in result) {
      fail(result.error);
      return;
    }
    let prepared = withOrigin(result.prepared, directives, pass);
    if (this.environment.ssl?.clientCertificate !== undefined && !prepared.url.startsWith('http:')) {
      const settings = this.runner.settings;
      const loaded = await environmentCertificate(this.environment.ssl, settings.certificatePassphrase ?? settings.prompt, this.runner.certificates);
      if ('error' in loaded) {
        fail({ code: loaded.error.code, message: `${this.where(request)}: ${loaded.error.message}` });
        return;
      }
      if (loaded.certificate !== undefined) prepared = { ...prepared, options: { ...prepared.options, clientCertificate: loaded.certificate } };
    }
    if (this.aborted) return;
    const sent = checks === undefined ? undefined : scriptRequestOf(this.document, request, (text) => resolver.substitute(text), prepared);
    // Handlers on a stream start when it opens, told by the session's observer.
    const streamHandlers = checks === undefined || sent === undefined || request.handlers.length === 0 ? undefined : await this.requestScripts().streamHandlers(request, sent, checks);
    let exchange: Exchange;
    try {
      exchange = await this.runner.sender.send(prepared, this.scope.signal, bothObservers(this.runner.settings.observe?.(prepared), streamHandlers?.observer));
    } catch (error) {
      // A session never throws by contract; if one does, the run goes on.
      exchange = this.failure(request, undefined, undefined, { code: 'other', message: `${this.where(request)}: ${(error as Error).message}` });
    }
    if (checks !== undefined && sent !== undefined) {
      // Expected values of `??` lines see what the handlers just set.
      const afterHandlers = (text: string): string => this.resolver(withScriptValues(resolved.values, checks.requestVariables, this.runner.globals, this.exports)).substitute(text);
      await this.requestScripts().afterResponse(request, exchange, sent, afterHandlers, checks, streamHandlers);
      exchange = checks.attachTo(exchange);
    }
    if (this.runner.settings.openapi !== undefined && exchange.response !== undefined && !directives.noOpenApi) exchange = await this.withOpenApiTests(exchange, this.runner.settings.openapi);
    if (request.name !== undefined) {
      const name = request.name.text;
      // A loop's passes are `name0`, `name1`, ...; `name` is the first pass's, as in httpYac.
      if (pass !== undefined) this.runner.sent.set(sentKey(this.path, `${name}${pass.index}`), { prepared, exchange });
      if (pass === undefined || pass.index === 0) this.runner.sent.set(sentKey(this.path, name), { prepared, exchange });
    }
    const redirect = request.outputRedirect;
    // Named after sending, with the request's own resolver, so `>> {{me.response.body.$.id}}.json` works.
    this.record(exchange, redirect === undefined || exchange.response === undefined ? noDetails : { saveTo: this.saveTarget(redirect, resolver) });
  }

  /** The exchange with its response's checks against the specs of this file appended to its tests. */
  private async withOpenApiTests(exchange: Exchange, validation: OpenApiValidation): Promise<Exchange> {
    const specs = await validation.specsFor(this.path);
    const tests = specs.length === 0 ? [] : await openApiTests(specs, exchange, validation.maxBodyBytes);
    return tests.length === 0 ? exchange : { ...exchange, tests: [...(exchange.tests ?? []), ...tests] };
  }

  private requestScripts(): RequestScripts {
    this.scripts ??= new RequestScripts({
      file: this.path,
      document: this.document,
      settings: this.runner.settings.scripts,
      sandbox: this.runner.sandbox,
      globals: this.runner.globals,
      environment: this.environment.variables,
      exports: this.exports,
      fileVariables: () => this.substitutedFileVariables(),
    });
    return this.scripts;
  }

  /** The file variables as httpYac scripts see them: substituted where they can be, as written where not. */
  private substitutedFileVariables(): Record<string, string> {
    const resolver = this.resolver(noPromptedValues);
    const values: Record<string, string> = {};
    for (const [name, value] of this.fileVariables) {
      try {
        values[name] = resolver.substitute(value);
      } catch {
        values[name] = value;
      }
    }
    return values;
  }

  private resolver(prompted: ReadonlyMap<string, string>): Resolver {
    const passValues = this.passValues;
    return new Resolver({
      // A loop pass's `$index` and loop variable win, as httpYac puts them over the variables.
      overrides: passValues === undefined ? this.overrides : new Map([...this.overrides, ...passValues]),
      fileVariables: this.fileVariables,
      environment: this.environment.variables,
      prompted,
      sentRequest: (name) => this.sentRequest(name),
      system: this.system,
      ...(this.environment.definedInEnvironments === undefined ? {} : { unchosenEnvironments: { definedIn: this.environment.definedInEnvironments, advice: this.runner.settings.environmentAdvice } }),
    });
  }

  private prepare(request: Request, resolver: Resolver): ReturnType<typeof prepareRequest> {
    const defaults = this.runner.settings.defaults;
    // `"verifyHostCertificate": false` sends every request of the environment as `# @insecure` does.
    const environmentDefaults = skipsHostVerification(this.environment.ssl) ? { ...defaults, insecure: true } : defaults;
    return prepareRequest({ document: this.document, request, file: this.path, resolver, defaults: environmentDefaults });
  }

  /** The `>>` path with its variables substituted, resolved against the file's folder, or why it cannot be named. */
  private saveTarget(redirect: OutputRedirect, resolver: Resolver): SaveTarget | { readonly problem: string } {
    const written = redirect.path.text;
    try {
      return { path: resolve(dirname(this.path), resolver.substitute(written)), overwrite: redirect.overwrite };
    } catch (error) {
      return { problem: `${this.where(redirect)}: cannot name the file of '>> ${written}': ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  sentRequest(name: string): SentRequest | undefined {
    const own = this.runner.sent.get(sentKey(this.path, name));
    if (own !== undefined || !this.importsFiles) return own;
    for (const imported of this.importedRuns()) {
      const sent = 'problem' in imported ? undefined : this.runner.sent.get(sentKey(imported.path, name));
      if (sent !== undefined) return sent;
    }
    return undefined;
  }

  private dotenvValue(name: string): string | undefined {
    try {
      this.dotenv ??= loadDotenv(this.path);
    } catch (error) {
      throw new VariableError(`$dotenv ${name}`, `cannot read the .env file beside ${this.path}: ${(error as Error).message}`);
    }
    return this.dotenv.get(name);
  }

  where(node: { readonly start: number }): string {
    return `${this.path}:${lineAt(this.document.lineStarts, node.start) + 1}`;
  }

  /** An exchange for a request that was not sent. */
  private failure(request: Request | undefined, line: number | undefined, name: string | undefined, error: EngineError): Exchange {
    return {
      request: { method: request?.methodName ?? 'GET', url: request?.target.text ?? '', headers: [], bodySize: 0 },
      origin: {
        file: this.path,
        line: request === undefined ? (line ?? 1) : lineAt(this.document.lineStarts, request.start) + 1,
        name: request?.name?.text ?? name,
        ...(request === undefined ? {} : originExtras(requestDirectives(request), this.passValues === undefined ? undefined : Number(this.passValues.get('$index')))),
      },
      response: undefined,
      redirects: [],
      timings: { total: 0 },
      error,
      warnings: [],
    };
  }

  private record(given: Exchange, details: ExchangeDetails = noDetails): void {
    let exchange = given;
    // httpYac's global scripts report with the run's first exchange.
    const global = this.globalChecks;
    if (global !== undefined) {
      this.globalChecks = undefined;
      exchange = { ...exchange, tests: [...global.tests, ...(exchange.tests ?? [])], log: [...global.log, ...(exchange.log ?? [])] };
    }
    this.scope.record(exchange, details);
  }
}

/**
 * The first source in the documented order after `--var`: a request that reads another's response
 * (`{{login.response.body.$.token}}`) sends it first, once per session, in dependency order.
 */
class RequestDependencies implements VariableSource {
  constructor(private readonly run: FileRun) {}

  async resolve(context: SourceContext): Promise<SourceOutcome> {
    const order = this.run.dependencyOrder(context.request);
    if ('error' in order) return order;
    const needed = [...order.requests];
    // Names reached only through environment values are not in the file's own dependency order.
    for (const name of context.reads().requestNames) {
      if (this.run.sentRequest(name) !== undefined) continue;
      const dependency = findNamedRequest(this.run.document, name);
      if (dependency === undefined) {
        const imported = this.run.findImported(name);
        if (imported === undefined) return { error: { code: 'variable', message: `${context.where(context.request)}: no request in this file is named ${name}: add # @name ${name} above the request to use` } };
        if (!context.mayAct) return { error: { code: 'variable', message: this.run.unsentMessage(context.request, name) } };
        // Sent by its own file's run: its variables, environment and folder.
        if (!this.run.aborted) await imported.run.send(imported.request);
        continue;
      }
      if (dependency !== context.request && !needed.includes(dependency)) needed.push(dependency);
    }
    if (!context.mayAct) {
      const unsent = needed[0]?.name?.text;
      return unsent === undefined ? noValues : { error: { code: 'variable', message: this.run.unsentMessage(context.request, unsent) } };
    }
    for (const dependency of needed) {
      if (this.run.aborted) break;
      if (!this.run.wasAttempted(dependency)) await this.run.send(dependency);
    }
    return noValues;
  }
}

/**
 * `request.variables` of the request being sent, then `client.global`: after the environment in
 * the lookup order, as JetBrains ranks globals below environment variables. Answers at once, and
 * with nothing while no script has set anything.
 */
class ScriptVariables implements VariableSource {
  constructor(
    private readonly globals: ReadonlyMap<string, string>,
    private readonly requestVariables: ReadonlyMap<Request, ReadonlyMap<string, string>>,
    /** httpYac's `exports` of the file: between request variables and globals. */
    private readonly exports: ReadonlyMap<string, unknown>,
  ) {}

  resolve(context: SourceContext): SourceOutcome {
    const own = this.requestVariables.get(context.request);
    if (this.globals.size === 0 && this.exports.size === 0 && (own === undefined || own.size === 0)) return noValues;
    const values = new Map<string, string>();
    for (const name of context.reads().variableNames) {
      if (context.definedEarlier(name)) continue;
      const exported = this.exports.has(name) ? exportedText(this.exports.get(name)) : undefined;
      const value = own?.get(name) ?? exported ?? this.globals.get(name);
      if (value !== undefined) values.set(name, value);
    }
    return { values };
  }
}

/** The sources' values with the scripts' current ones over them: a handler may just have replaced a global the request read. */
function withScriptValues(values: ReadonlyMap<string, string>, requestVariables: ReadonlyMap<string, string>, globals: ReadonlyMap<string, string>, exports: ReadonlyMap<string, unknown>): ReadonlyMap<string, string> {
  if (requestVariables.size === 0 && globals.size === 0 && exports.size === 0) return values;
  const merged = new Map(values);
  for (const [name, value] of globals) merged.set(name, value);
  for (const [name, value] of exports) merged.set(name, exportedText(value));
  for (const [name, value] of requestVariables) merged.set(name, value);
  return merged;
}

const noPromptedValues: ReadonlyMap<string, string> = new Map();

/** The values sources gave so far; the first source to give a name wins, as in the documented order. */
interface GatheredValues {
  values: Map<string, string> | undefined;
}

function gather(gathered: GatheredValues, outcome: { readonly values: ReadonlyMap<string, string> }): void {
  for (const [name, value] of outcome.values) {
    gathered.values ??= new Map();
    if (!gathered.values.has(name)) gathered.values.set(name, value);
  }
}

const noOverrides: ReadonlyMap<string, string> = new Map();

/** Whether an environment value references a named request (`"auth": "Bearer {{login.response...}}"`). */
function environmentReferencesRequests(environment: ReadonlyMap<string, string>): boolean {
  for (const value of environment.values()) {
    if (value.includes('{{') && scanReferences(value, 0, value.length, []).some((reference) => reference.target.kind === 'request')) return true;
  }
  return false;
}

function sentKey(file: string, name: string): string {
  return `${file}\n${name}`;
}

/** The prepared request's origin with what the metadata adds: `# @title`, the loop pass, `# @noLog`, `# @save`. */
function withOrigin(prepared: PreparedRequest, directives: RequestDirectives, pass: LoopPass | undefined): PreparedRequest {
  const extras = originExtras(directives, pass?.index);
  return Object.keys(extras).length === 0 ? prepared : { ...prepared, origin: { ...prepared.origin, ...extras } };
}

function originExtras(directives: RequestDirectives, iteration: number | undefined): Partial<Pick<RequestOrigin, 'title' | 'iteration' | 'noLog' | 'save'>> {
  return {
    ...(directives.title === undefined ? {} : { title: directives.title }),
    ...(iteration === undefined || Number.isNaN(iteration) ? {} : { iteration }),
    ...(directives.noLog ? { noLog: true } : {}),
    ...(directives.save ? { save: true } : {}),
  };
}

/** The files a document imports: `import PATH` lines and httpYac's `# @import PATH`, with where each is written. */
function importsOf(document: HttpDocument): { readonly path: string; readonly node: { readonly start: number } }[] {
  const found: { path: string; node: { readonly start: number } }[] = compositionLines(document)
    .filter((line) => line.kind === 'import')
    .map((line) => ({ path: line.target.text, node: line }));
  if (!hasImportDirective(document)) return found;
  for (const block of document.blocks) {
    for (const directive of block.directives) if (directive.name.text === 'import' && directive.value !== undefined) found.push({ path: directive.value.text, node: directive });
  }
  return found;
}

/** Whether any `# @import` is written: a scan of the text, so files without one never build their blocks for it. */
function hasImportDirective(document: HttpDocument): boolean {
  return document.text.includes('@import');
}

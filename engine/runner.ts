// The runner: the one place where "run these requests of this file" happens, for the CLI and
// the extension alike. It parses the file, loads its environment, sends named requests a
// request depends on first, asks prompts, prepares and sends each request through a session,
// and remembers named requests so `{{login.response.body.$.token}}` works across runs.
//
// Every request yields an `Exchange`, in the order sent: a problem before sending (undefined
// variable, missing file, unknown environment) is an exchange with `error` and no response.

import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { parse } from '../language/parser';
import { findRequestAtLine, lineAt } from '../language/positions';
import type { HttpDocument, OutputRedirect, Request } from '../language/syntax';
import { scanReferences } from '../language/references';
import { referencesNamedRequests } from '../language/requestTemplates';
import { findNamedRequest, sendOrder } from './dependencies';
import { loadDotenv, loadEnvironment, type LoadedEnvironment } from './environments';
import type { EngineError, Exchange, PreparedRequest, SendOptions } from './model';
import { exportedText, hasChecks, RequestChecks, RequestScripts, scriptExports, scriptGlobals, scriptRequestOf, type ScriptRunner, type ScriptSettings } from './scripts/requestScripts';
import { ScriptSandbox } from './scripts/sandbox';
import type { SessionState } from './sessionState';
import { prepareRequest } from './prepare';
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
  send(request: PreparedRequest, signal?: AbortSignal): Promise<Exchange>;
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

  constructor(sender: RequestSender, settings: RunSettings) {
    this.state = {
      sender,
      settings,
      sent: this.sent,
      // Beside the cookies when the sender is a session; for the runner's life otherwise.
      globals: sender.state?.get(scriptGlobals) ?? new Map<string, string>(),
      exports: sender.state?.get(scriptExports) ?? new Map<string, Map<string, unknown>>(),
      sandbox: () => settings.scripts?.sandbox ?? (this.ownSandbox ??= new ScriptSandbox()),
    };
  }

  /** Runs the selected requests (and the named requests they need that were not sent yet); resolves to every exchange, in the order sent. */
  async run(file: HttpFile, selection: Selection, signal?: AbortSignal, onExchange?: ExchangeListener): Promise<Exchange[]> {
    const document = 'document' in file ? file.document : parse(file.text);
    const run = new FileRun(this.state, resolve(file.path), document, signal, onExchange);
    return run.execute(selection);
  }

  /** Prepares the request holding a 1-based line without sending anything or asking anyone: other requests' responses come from what this runner remembers. */
  async prepare(file: HttpFile, line: number): Promise<Preparation> {
    const document = 'document' in file ? file.document : parse(file.text);
    return new FileRun(this.state, resolve(file.path), document, undefined, undefined).prepareAt(line);
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
}

/** One call of `Runner.run`: the file's parsed state and what was sent during it. */
class FileRun {
  private readonly exchanges: Exchange[] = [];
  private readonly attempted = new Set<Request>();
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
    private readonly path: string,
    readonly document: HttpDocument,
    private readonly signal: AbortSignal | undefined,
    private readonly onExchange: ExchangeListener | undefined,
  ) {
    const settings = runner.settings;
    this.environment = settings.loadedEnvironment?.(path) ?? loadEnvironment(path, settings.environment, settings.searchRoot);
    // A later definition overrides an earlier one.
    this.fileVariables = new Map(document.variables.map((variable) => [variable.name.text, variable.value.text]));
    this.hasDependencies = referencesNamedRequests(document.tables) || environmentReferencesRequests(this.environment.variables);
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

  async execute(selection: Selection): Promise<Exchange[]> {
    const entries = this.select(selection);
    if (this.environment.error === undefined && entries.some((entry) => 'request' in entry)) {
      const stopped = await this.runGlobalScripts();
      if (stopped !== undefined) {
        for (const entry of entries) this.record('error' in entry ? entry.error : this.failure(entry.request, undefined, undefined, stopped));
        return this.exchanges;
      }
    }
    for (const entry of entries) {
      if (this.signal?.aborted === true) break;
      if ('error' in entry) this.record(entry.error);
      else if (!this.attempted.has(entry.request)) await this.send(entry.request);
    }
    return this.exchanges;
  }

  private select(selection: Selection): ({ readonly request: Request } | { readonly error: Exchange })[] {
    const requests = this.document.requests;
    switch (selection.kind) {
      case 'all':
        return requests.map((request) => ({ request }));
      case 'names':
        return selection.names.map((name) => {
          const request = findNamedRequest(this.document, name);
          if (request !== undefined) return { request };
          const known = requests.flatMap((candidate) => (candidate.name === undefined ? [] : [candidate.name.text]));
          return { error: this.failure(undefined, 1, name, { code: 'other', message: `${this.path}: no request is named ${name} (named: ${known.length === 0 ? 'none' : known.join(', ')})` }) };
        });
      case 'line': {
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
    const order = sendOrder(this.document, request, (name) => this.sentRequest(name) !== undefined);
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
    return this.signal?.aborted === true;
  }

  /**
   * The asynchronous step before preparation: each source in order, with what the request reads.
   * The values they give are looked up after the environment; the first error stops the request.
   * Synchronous while every source answers at once: most requests wait for nothing, and a promise
   * per request showed in run.bench's profile.
   */
  private resolveSources(request: Request, mayAct: boolean): SourceOutcome | Promise<SourceOutcome> {
    let reads: ReadReferences | undefined;
    const overrides = this.runner.settings.overrides;
    const context: SourceContext = {
      request,
      reads: () => (reads ??= readReferences(this.document, request, this.environment.variables)),
      definedEarlier: (name) => overrides?.has(name) === true || this.fileVariables.has(name) || this.environment.variables.has(name),
      mayAct,
      where: (node) => this.where(node),
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
      await this.sendPrepared(request, checks, fail);
    } finally {
      this.requestVariables.delete(request);
    }
  }

  /** `send` once the pre-request scripts ran: sources, preparation, the exchange, then handlers and `??` lines. */
  private async sendPrepared(request: Request, checks: RequestChecks | undefined, fail: (error: EngineError) => void): Promise<void> {
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
    let exchange: Exchange;
    try {
      exchange = await this.runner.sender.send(result.prepared, this.signal);
    } catch (error) {
      // A session never throws by contract; if one does, the run goes on.
      exchange = this.failure(request, undefined, undefined, { code: 'other', message: `${this.where(request)}: ${(error as Error).message}` });
    }
    if (checks !== undefined) {
      const sent = scriptRequestOf(this.document, request, (text) => resolver.substitute(text), result.prepared);
      // Expected values of `??` lines see what the handlers just set.
      const afterHandlers = (text: string): string => this.resolver(withScriptValues(resolved.values, checks.requestVariables, this.runner.globals, this.exports)).substitute(text);
      await this.requestScripts().afterResponse(request, exchange, sent, afterHandlers, checks);
      exchange = checks.attachTo(exchange);
    }
    if (request.name !== undefined) this.runner.sent.set(sentKey(this.path, request.name.text), { prepared: result.prepared, exchange });
    const redirect = request.outputRedirect;
    // Named after sending, with the request's own resolver, so `>> {{me.response.body.$.id}}.json` works.
    this.record(exchange, redirect === undefined || exchange.response === undefined ? noDetails : { saveTo: this.saveTarget(redirect, resolver) });
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
    return new Resolver({
      overrides: this.runner.settings.overrides ?? noOverrides,
      fileVariables: this.fileVariables,
      environment: this.environment.variables,
      prompted,
      sentRequest: (name) => this.sentRequest(name),
      system: this.system,
      ...(this.environment.definedInEnvironments === undefined ? {} : { unchosenEnvironments: { definedIn: this.environment.definedInEnvironments, advice: this.runner.settings.environmentAdvice } }),
    });
  }

  private prepare(request: Request, resolver: Resolver): ReturnType<typeof prepareRequest> {
    return prepareRequest({ document: this.document, request, file: this.path, resolver, defaults: this.runner.settings.defaults });
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
    return this.runner.sent.get(sentKey(this.path, name));
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
    const global = this.globalChecks;
    if (global !== undefined) {
      this.globalChecks = undefined;
      exchange = { ...exchange, tests: [...global.tests, ...(exchange.tests ?? [])], log: [...global.log, ...(exchange.log ?? [])] };
    }
    this.exchanges.push(exchange);
    this.onExchange?.(exchange, details);
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
        return { error: { code: 'variable', message: `${context.where(context.request)}: no request in this file is named ${name}: add # @name ${name} above the request to use` } };
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

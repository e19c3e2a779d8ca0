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
import { referencesNamedRequests } from '../language/requestTemplates';
import { findNamedRequest, sendOrder, type SendOrder } from './dependencies';
import { loadDotenv, loadEnvironment, type LoadedEnvironment } from './environments';
import type { EngineError, Exchange, PreparedRequest, SendOptions } from './model';
import { prepareRequest } from './prepare';
import type { SentRequest } from './requestVariables';
import type { SystemVariableContext } from './systemVariables';
import { Resolver, VariableError } from './variables';

/** What a prompt asks the user for: `# @prompt name description`. */
export interface PromptQuestion {
  readonly name: string;
  readonly description: string | undefined;
  /** Mask the input: the name looks like a password, token or secret. */
  readonly secret: boolean;
}

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
  /** Answers `# @prompt` variables; undefined answer cancels the request. Without it, prompts must be given by `--var`. */
  readonly prompt?: (question: PromptQuestion) => Promise<string | undefined>;
  /** Asked before sending a request with `# @note`; false cancels it. Without it, such requests are sent. */
  readonly confirm?: (note: string) => Promise<boolean>;
  /** Clock, random and environment sources for system variables; tests inject fixed ones. */
  readonly system?: Partial<Omit<SystemVariableContext, 'variable'>>;
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

// Names whose values should not be echoed while typed.
const secretName = /pass(word)?|pwd|token|secret|api[-_]?key|credential/i;

/** Runs requests of `.http` files through one session, remembering named requests between runs. */
export class Runner {
  private readonly sent = new Map<string, SentRequest>();

  constructor(
    private readonly sender: RequestSender,
    private readonly settings: RunSettings,
  ) {}

  /** Runs the selected requests (and the named requests they need that were not sent yet); resolves to every exchange, in the order sent. */
  async run(file: HttpFile, selection: Selection, signal?: AbortSignal, onExchange?: ExchangeListener): Promise<Exchange[]> {
    const document = 'document' in file ? file.document : parse(file.text);
    const run = new FileRun({ sender: this.sender, settings: this.settings, sent: this.sent }, resolve(file.path), document, signal, onExchange);
    return run.execute(selection);
  }

  /** Prepares the request holding a 1-based line without sending anything or asking anyone: other requests' responses come from what this runner remembers. */
  prepare(file: HttpFile, line: number): Preparation {
    const document = 'document' in file ? file.document : parse(file.text);
    return new FileRun({ sender: this.sender, settings: this.settings, sent: this.sent }, resolve(file.path), document, undefined, undefined).prepareAt(line);
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
}

/** One call of `Runner.run`: the file's parsed state and what was sent during it. */
class FileRun {
  private readonly exchanges: Exchange[] = [];
  private readonly attempted = new Set<Request>();
  private readonly environment: LoadedEnvironment;
  private readonly fileVariables: ReadonlyMap<string, string>;
  private readonly system: Omit<SystemVariableContext, 'variable'>;
  /** False when nothing in the file references a named request: then no request has dependencies to look for. */
  private readonly hasDependencies: boolean;
  private dotenv: ReadonlyMap<string, string> | undefined;

  constructor(
    private readonly runner: RunnerState,
    private readonly path: string,
    private readonly document: HttpDocument,
    private readonly signal: AbortSignal | undefined,
    private readonly onExchange: ExchangeListener | undefined,
  ) {
    const settings = runner.settings;
    this.environment = loadEnvironment(path, settings.environment, settings.searchRoot);
    // A later definition overrides an earlier one.
    this.fileVariables = new Map(document.variables.map((variable) => [variable.name.text, variable.value.text]));
    this.hasDependencies = referencesNamedRequests(document.tables);
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
    for (const entry of this.select(selection)) {
      if (this.signal?.aborted === true) break;
      if ('error' in entry) this.record(entry.error);
      else if (!this.attempted.has(entry.request)) await this.withDependencies(entry.request);
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
  prepareAt(line: number): Preparation {
    const request = findRequestAtLine(this.document, line - 1);
    if (request === undefined) return { problem: `${this.path}:${line}: there is no request at this line` };
    if (this.environment.error !== undefined) return { problem: this.environment.error.message };
    const order = this.dependencyOrder(request);
    if ('error' in order) return { problem: order.error.message };
    const unsent = order.requests[0]?.name?.text;
    if (unsent !== undefined) return { problem: this.unsentMessage(request, unsent) };
    for (const directive of request.directives) {
      const name = directive.name.text === 'prompt' ? (directive.value?.text ?? '').split(/\s+/)[0] : undefined;
      if (name === undefined || name === '' || this.runner.settings.overrides?.has(name) === true || this.fileVariables.has(name) || this.environment.variables.has(name)) continue;
      return { problem: `${this.where(directive)}: ${name} is asked by @prompt only when the request is sent: define ${name} in the file or the environment to prepare it without sending` };
    }
    const result = this.prepare(request, this.resolver(noPrompts.values));
    if ('error' in result) return { problem: result.needs === undefined ? result.error.message : this.unsentMessage(request, result.needs) };
    return { prepared: result.prepared };
  }

  private unsentMessage(request: Request, name: string): string {
    return `${this.where(request)}: this request reads the response of ${name}, which was not sent in this session yet: send ${name} first`;
  }

  /** The unsent named requests `request` needs, in sending order, or why they cannot be sent. */
  private dependencyOrder(request: Request): { readonly requests: readonly Request[] } | { readonly error: EngineError } {
    const order = this.hasDependencies ? sendOrder(this.document, request, (name) => this.sentRequest(name) !== undefined) : noDependencies;
    switch (order.kind) {
      case 'cycle':
        return { error: { code: 'variable', message: `${this.where(request)}: requests depend on each other in a cycle: ${order.names.join(' -> ')}` } };
      case 'missing':
        return { error: { code: 'variable', message: `${this.where(order.by)}: no request in this file is named ${order.name}: add # @name ${order.name} above the request to use` } };
      case 'order':
        return order;
    }
  }

  /** Sends the unsent named requests `request` needs, then `request`. */
  private async withDependencies(request: Request): Promise<void> {
    const order = this.dependencyOrder(request);
    if ('error' in order) {
      this.record(this.failure(request, undefined, undefined, order.error));
      return;
    }
    for (const dependency of order.requests) {
      if (this.signal?.aborted === true) return;
      if (!this.attempted.has(dependency)) await this.send(dependency);
    }
    if (this.signal?.aborted !== true) await this.send(request);
  }

  private async send(request: Request): Promise<void> {
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
    // Most requests ask nothing: skip a promise per request for them.
    const prompted = request.directives.length === 0 ? noPrompts : await this.askPrompts(request);
    if ('error' in prompted) {
      this.record(this.failure(request, undefined, undefined, prompted.error));
      return;
    }
    let resolver = this.resolver(prompted.values);
    let result = this.prepare(request, resolver);
    // A request variable reached through the environment or a `<@` file is only found while preparing.
    while ('error' in result && result.needs !== undefined) {
      const dependency = findNamedRequest(this.document, result.needs);
      if (dependency === undefined || this.attempted.has(dependency)) break;
      await this.withDependencies(dependency);
      resolver = this.resolver(prompted.values);
      result = this.prepare(request, resolver);
    }
    if ('error' in result) {
      this.record(this.failure(request, undefined, undefined, result.error));
      return;
    }
    let exchange: Exchange;
    try {
      exchange = await this.runner.sender.send(result.prepared, this.signal);
    } catch (error) {
      // A session never throws by contract; if one does, the run goes on.
      exchange = this.failure(request, undefined, undefined, { code: 'other', message: `${this.where(request)}: ${(error as Error).message}` });
    }
    if (request.name !== undefined) this.runner.sent.set(sentKey(this.path, request.name.text), { prepared: result.prepared, exchange });
    const redirect = request.outputRedirect;
    // Named after sending, with the request's own resolver, so `>> {{me.response.body.$.id}}.json` works.
    this.record(exchange, redirect === undefined || exchange.response === undefined ? noDetails : { saveTo: this.saveTarget(redirect, resolver) });
  }

  private resolver(prompted: ReadonlyMap<string, string>): Resolver {
    return new Resolver({
      overrides: this.runner.settings.overrides ?? noOverrides,
      fileVariables: this.fileVariables,
      environment: this.environment.variables,
      prompted,
      sentRequest: (name) => this.sentRequest(name),
      system: this.system,
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

  /** Asks each `# @prompt name description` not already defined by `--var`, the file or the environment. */
  private async askPrompts(request: Request): Promise<{ readonly values: ReadonlyMap<string, string> } | { readonly error: EngineError }> {
    const values = new Map<string, string>();
    const settings = this.runner.settings;
    for (const directive of request.directives) {
      if (directive.name.text !== 'prompt') continue;
      const [name = '', ...words] = (directive.value?.text ?? '').split(/\s+/);
      if (name === '') return { error: { code: 'variable', message: `${this.where(directive)}: @prompt needs a variable name, e.g. # @prompt password Your password` } };
      if (settings.overrides?.has(name) === true || this.fileVariables.has(name) || this.environment.variables.has(name)) continue;
      if (settings.prompt === undefined) {
        return { error: { code: 'variable', message: `${this.where(directive)}: variable ${name} is asked by @prompt, but nobody can answer here: pass --var ${name}=value` } };
      }
      const answer = await settings.prompt({ name, description: words.length === 0 ? undefined : words.join(' '), secret: secretName.test(name) });
      if (answer === undefined) return { error: { code: 'aborted', message: `${this.where(directive)}: not sent: no value was given for ${name}` } };
      values.set(name, answer);
    }
    return { values };
  }

  private sentRequest(name: string): SentRequest | undefined {
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

  private where(node: { readonly start: number }): string {
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

  private record(exchange: Exchange, details: ExchangeDetails = noDetails): void {
    this.exchanges.push(exchange);
    this.onExchange?.(exchange, details);
  }
}

const noOverrides: ReadonlyMap<string, string> = new Map();
const noDependencies: SendOrder = { kind: 'order', requests: [] };
const noPrompts: { readonly values: ReadonlyMap<string, string> } = { values: new Map() };

function sentKey(file: string, name: string): string {
  return `${file}\n${name}`;
}

// A request's scripts and assertions around its exchange, for the runner: pre-request scripts
// (`< {% %}`, `< file.js`) before the request is prepared, response handlers (`> {% %}`,
// `> file.js`) and then `??` lines once the response is in. What they report becomes the
// exchange's tests and log; what they set becomes variables: `request.variables` for this
// request, `client.global` for every later request of the session (a `SessionState` slot, so
// globals live exactly as long as the cookies do and are never written into the user's files).
//
// This module never loads QuickJS: the sandbox starts its worker on the first script, so a run
// without scripts pays nothing.

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileScriptBlocks, requestScriptBlocks, unsupportedEventReason, type FileScriptBlocks } from '../../language/httpYacScripts';
import { isLuaScript } from '../../language/luaScripts';
import { lineAt } from '../../language/positions';
import type { AssertionLine, HttpDocument, Request, ResponseHandler, ScriptBlock } from '../../language/syntax';
import { assertionName } from '../../language/assertions';
import { evaluateAssertion, ResponseSubject } from '../assertions';
import type { Exchange, PreparedRequest, TestLocation, TestResult } from '../model';
import { bodyText } from '../responseBody';
import type { SessionSlot } from '../sessionState';
import type { ScriptSandbox } from './sandbox';
import type { ScriptInput, ScriptLimits, ScriptRequest, ScriptResponse, ScriptResult } from './scriptTypes';
import { StreamHandlers, watchesStream, type StreamWatcher, type WatchedStream } from './streamHandlers';

/** `client.global`: the session's script globals, by name. */
export const scriptGlobals: SessionSlot<Map<string, string>> = { name: 'script globals', create: () => new Map() };

/** httpYac's `exports` of each file (by absolute path): variables of that file for the rest of the session, as JSON data. */
export const scriptExports: SessionSlot<Map<string, Map<string, unknown>>> = { name: 'script exports', create: () => new Map() };

/** An exported value as `{{name}}` reads it: text as itself, anything else as JSON. */
export function exportedText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** What runs scripts: a `ScriptSandbox`, or anything shaped like one (without `openStream`, handlers on streams run once the stream is over). */
export type ScriptRunner = Pick<ScriptSandbox, 'run'> & Partial<Pick<ScriptSandbox, 'openStream'>>;

/** How a run treats scripts; the CLI builds it from flags, the extension from settings and workspace trust. */
export interface ScriptSettings {
  /** When set, no script runs (an untrusted workspace): each script and each `?? js` line is a skipped test with this reason. */
  readonly skipReason?: string;
  /** `courier.scripts.timeout`: milliseconds per script. */
  readonly timeoutMs?: number;
  /** The sandbox to run in (shared for a session's warm worker); the runner makes one on its first script otherwise. */
  readonly sandbox?: ScriptRunner;
}

/** What a request's scripts and assertions reported, gathered for its exchange. */
export class RequestChecks {
  readonly tests: TestResult[] = [];
  readonly log: string[] = [];
  /** `request.variables.set` by its pre-request scripts: `{{name}}` in this request only. */
  readonly requestVariables = new Map<string, string>();
  /** An httpYac script exported `$cancel`: what follows is not sent, and that is no failure. */
  cancelled = false;

  /** The exchange with the tests and log, when there are any. */
  attachTo(exchange: Exchange): Exchange {
    if (this.tests.length === 0 && this.log.length === 0) return exchange;
    return { ...exchange, ...(this.tests.length === 0 ? {} : { tests: this.tests }), ...(this.log.length === 0 ? {} : { log: this.log }) };
  }
}

/** Whether a request has anything for `RequestScripts` to do. */
export function hasChecks(request: Request): boolean {
  return request.preRequestScripts.length > 0 || request.handlers.length > 0 || request.assertions.length > 0;
}

/** What the scripts of one file's requests share. */
export interface ScriptContext {
  /** Absolute path of the `.http` file. */
  readonly file: string;
  readonly document: HttpDocument;
  readonly settings: ScriptSettings | undefined;
  readonly sandbox: () => ScriptRunner;
  readonly globals: Map<string, string>;
  /** `request.environment.get`. */
  readonly environment: ReadonlyMap<string, string>;
  /** httpYac's `exports` of this file: scripts add to it, later requests read it. */
  readonly exports: Map<string, unknown>;
  /** The file's `@name = value` variables, substituted as far as they can be: httpYac scripts see them as globals. */
  readonly fileVariables: () => Readonly<Record<string, string>>;
}

/** Where a script's text comes from and where its line 1 is. */
type ScriptSource = Pick<ScriptInput, 'source' | 'fileName' | 'lineOffset' | 'columnOffset'>;

export class RequestScripts {
  private environmentRecord: Record<string, string> | undefined;
  private fileBlocks: FileScriptBlocks | undefined;
  /** `request.iteration()`: the `# @loop` pass of the request being sent (0 outside loops). */
  iteration = 0;

  constructor(private readonly context: ScriptContext) {}

  /** `request.environment`, made once: the environment does not change during a run. */
  private get environment(): Record<string, string> {
    this.environmentRecord ??= Object.fromEntries(this.context.environment);
    return this.environmentRecord;
  }

  /** httpYac's `{{` blocks of the file that apply beyond their own request: found once per run. */
  private get blocks(): FileScriptBlocks {
    this.fileBlocks ??= fileScriptBlocks(this.context.document);
    return this.fileBlocks;
  }

  /** Whether the file has httpYac global scripts (`{{` blocks of regions without a request). */
  get hasGlobalScripts(): boolean {
    return this.blocks.global.length > 0;
  }

  /** Whether `request` has httpYac script blocks to run, its own or the file's. */
  hasScriptBlocks(request: Request): boolean {
    return this.blocks.everyRequest.length > 0 || requestScriptBlocks(this.context.document, request).length > 0;
  }

  /**
   * httpYac's global scripts (`{{` blocks of regions without a request), once before the requests
   * of a run. Undefined when they ran; otherwise why no request of the run is sent.
   */
  async beforeRun(checks: RequestChecks): Promise<string | undefined> {
    for (const block of this.blocks.global) {
      const outcome = await this.runBlock(block, checks);
      if (outcome !== 'ran') return this.stopped(block, outcome, 'the global script', 'no request of the file was sent', checks);
    }
    return undefined;
  }

  /**
   * Runs the request's pre-request scripts in order: httpYac's `{{+` blocks, then the request's own
   * scripts above its request line (JetBrains' and httpYac's, as written). Undefined when they all
   * ran; otherwise the sentence that says why the request is not sent (its failure is in `checks` too).
   */
  async beforeRequest(request: Request, scriptRequest: ScriptRequest, checks: RequestChecks): Promise<string | undefined> {
    const own = this.ownBlocks(request);
    const steps: (ResponseHandler | ScriptBlock)[] = [
      ...this.blocks.everyRequest.filter((block) => block.event === ''),
      ...[...request.preRequestScripts, ...own.filter((block) => block.event === '' && !block.afterRequest)].sort((a, b) => a.start - b.start),
    ];
    for (const block of [...this.blocks.everyRequest, ...own]) this.reportUnsupported(block, checks);
    for (const step of steps) {
      if ('event' in step) {
        const outcome = await this.runBlock(step, checks, { request: scriptRequest });
        if (outcome !== 'ran') return this.stopped(step, outcome, 'the pre-request script', 'the request was not sent', checks);
        continue;
      }
      const label = `pre-request script (line ${this.lineOf(step)})`;
      if (this.skipped(step, label, checks)) continue;
      const result = await this.run(step, label, { request: scriptRequest, requestVariables: Object.fromEntries(checks.requestVariables) }, checks);
      if (result === undefined) return `${this.context.file}:${this.lineOf(step)}: the pre-request script failed, so the request was not sent: ${this.failureOf(checks)}`;
      for (const [name, value] of Object.entries(result.requestVariables)) checks.requestVariables.set(name, value);
      if (result.exited) break;
    }
    return undefined;
  }

  /** The sentence for a script that stopped what follows: by failing, or by exporting `$cancel`. */
  private stopped(block: ScriptBlock, outcome: 'failed' | 'cancelled', what: string, consequence: string, checks: RequestChecks): string {
    const where = `${this.context.file}:${this.lineOf(block)}`;
    if (outcome === 'cancelled') return `${where}: ${what} exported $cancel, so ${consequence}`;
    return `${where}: ${what} failed, so ${consequence}: ${this.failureOf(checks)}`;
  }

  /** The request's own httpYac blocks (`{{+` ones run for every request, with the file's). */
  private ownBlocks(request: Request): ScriptBlock[] {
    return requestScriptBlocks(this.context.document, request).filter((block) => !block.everyRequest);
  }

  /** A block whose event Courier does not run: a skipped test that says why. */
  private reportUnsupported(block: ScriptBlock, checks: RequestChecks): void {
    const reason = unsupportedEventReason(block.event);
    if (reason === undefined) return;
    checks.tests.push({ name: blockLabel(block, this.lineOf(block)), outcome: 'skipped', kind: 'script-error', message: `${this.context.file}:${this.lineOf(block)}: not run: ${reason}`, location: this.locationOf(block) });
  }

  /**
   * Runs one httpYac block in the sandbox, keeps what it exports as the file's variables and
   * applies its `$global` changes: `ran`, `failed` (reported in `checks`) or `cancelled` (`exports.$cancel`).
   */
  private async runBlock(block: ScriptBlock, checks: RequestChecks, input: Pick<ScriptInput, 'request' | 'response'> = {}): Promise<'ran' | 'failed' | 'cancelled'> {
    const label = blockLabel(block, this.lineOf(block));
    if (this.skipped(block, label, checks)) return 'ran';
    const { document, file, exports } = this.context;
    const line = lineAt(document.lineStarts, block.script.start);
    const result = await this.sandboxRun({
      source: block.script.text,
      fileName: file,
      lineOffset: line,
      columnOffset: block.script.start - document.lineStarts[line],
      globals: Object.fromEntries(this.context.globals),
      environment: this.environment,
      requestVariables: {},
      dialect: 'httpyac',
      variables: { ...this.environment, ...this.context.fileVariables(), ...Object.fromEntries(exports) },
      ...input,
    });
    if (this.applied(result, file, label, block, checks) === undefined) return 'failed';
    let cancelled = false;
    for (const [name, value] of Object.entries(result.exports ?? {})) {
      // httpYac reads `$cancel` as the order to stop, not as a variable.
      if (name === '$cancel') cancelled = value !== false && value !== null && value !== 0 && value !== '';
      else exports.set(name, value);
    }
    if (!cancelled) return 'ran';
    checks.cancelled = true;
    checks.tests.push({ name: 'request is skipped', outcome: 'skipped', kind: 'script', message: `${file}:${this.lineOf(block)}: the script exported $cancel`, location: this.locationOf(block) });
    return 'cancelled';
  }

  /**
   * Runs what follows the response, as httpYac orders it: `{{@response` blocks (the file's, then
   * the request's own), then the response handlers and `{{` blocks below the request line as
   * written, the `??` lines, and last `{{@after` blocks (the request's own, then the file's `{{+after`).
   */
  /**
   * The request's JetBrains handlers that watch a stream (`response.body.onEachLine`/`onEachMessage`
   * in their text), to start when the stream opens: hand the answer's `observer` to the session,
   * then the answer to `afterResponse`. Undefined when there are none (or scripts do not run).
   */
  async streamHandlers(request: Request, sent: ScriptRequest, checks: RequestChecks): Promise<StreamHandlers | undefined> {
    const sandbox = this.context.sandbox();
    const open = sandbox.openStream;
    if (this.context.settings?.skipReason !== undefined || open === undefined) return undefined;
    const watchers: StreamWatcher[] = [];
    for (const handler of request.handlers) {
      if (handler.kind === 'script' && isLuaScript(handler.script.text)) continue;
      const source = await this.sourceOf(handler);
      if ('problem' in source || !watchesStream(source.source)) continue;
      watchers.push({
        handler,
        input: (response) => ({
          ...source,
          globals: Object.fromEntries(this.context.globals),
          environment: this.environment,
          iteration: this.iteration,
          request: sent,
          response,
          requestVariables: Object.fromEntries(checks.requestVariables),
        }),
      });
    }
    if (watchers.length === 0) return undefined;
    const timeoutMs = this.context.settings?.timeoutMs;
    return new StreamHandlers(watchers, () => open.call(sandbox, timeoutMs === undefined ? undefined : { timeoutMs }), `${this.context.file}:${this.lineOf(request)}`);
  }

  async afterResponse(request: Request, exchange: Exchange, sent: ScriptRequest, substitute: (text: string) => string, checks: RequestChecks, streamHandlers?: StreamHandlers): Promise<void> {
    // Read once, when the first script needs it: `??` lines without `js` never do.
    let read: Promise<ScriptResponse> | undefined;
    const response = (): Promise<ScriptResponse> | undefined => (exchange.response === undefined ? undefined : (read ??= scriptResponse(exchange)));
    // Handlers that watched the stream have run already: what they did is applied in their turn below.
    const watched: WatchedStream | undefined = await streamHandlers?.finish(exchange.response === undefined ? undefined : { head: exchange.response, items: () => itemsOf(exchange, response) });
    const own = this.ownBlocks(request);
    const everyRequest = this.blocks.everyRequest;
    const onResponse = [...everyRequest.filter((block) => block.event === 'response'), ...own.filter((block) => block.event === 'response')];
    const after = [...own.filter((block) => block.event === 'after'), ...everyRequest.filter((block) => block.event === 'after')];
    const handlers: (ResponseHandler | ScriptBlock)[] = [...request.handlers, ...own.filter((block) => block.event === '' && block.afterRequest)].sort((a, b) => a.start - b.start);
    const runBlocks = async (blocks: readonly ScriptBlock[]): Promise<void> => {
      for (const block of blocks) {
        const handled = response();
        if (handled === undefined) return;
        await this.runBlock(block, checks, { request: sent, response: await handled });
      }
    };
    await runBlocks(onResponse);
    for (const handler of handlers) {
      if ('event' in handler) {
        await runBlocks([handler]);
        continue;
      }
      const label = `response handler (line ${this.lineOf(handler)})`;
      if (this.skipped(handler, label, checks)) continue;
      const watchedResult = watched?.results.get(handler);
      if (watchedResult !== undefined) {
        const scriptFile = handler.kind === 'file' ? resolve(dirname(this.context.file), handler.path.text) : this.context.file;
        if (watched?.problem !== undefined) checks.tests.push({ name: label, outcome: 'failed', kind: 'script-error', message: watched.problem, location: this.locationOf(handler) });
        if (this.applied(watchedResult, scriptFile, label, handler, checks)?.exited === true) break;
        continue;
      }
      // No response, nothing to handle: the exchange's error already says why.
      const handled = response();
      if (handled === undefined) break;
      const result = await this.run(handler, label, { request: sent, response: await handled, requestVariables: Object.fromEntries(checks.requestVariables) }, checks);
      if (result?.exited === true) break;
    }
    if (request.assertions.length > 0) await this.assert(request.assertions, exchange, sent, substitute, response, checks);
    await runBlocks(after);
  }

  /** In an untrusted workspace, or a Lua script (kulala's): the script is a skipped test with the reason, and does not run. */
  private skipped(script: { readonly start: number; readonly script?: { readonly text: string } }, label: string, checks: RequestChecks): boolean {
    const reason = script.script !== undefined && isLuaScript(script.script.text) ? `${this.context.file}:${this.lineOf(script)}: not run: a Lua script (kulala's); Courier runs JavaScript scripts only` : this.context.settings?.skipReason;
    if (reason === undefined) return false;
    checks.tests.push({ name: label, outcome: 'skipped', kind: 'script-error', message: reason, location: this.locationOf(script) });
    return true;
  }

  private async assert(
    lines: readonly AssertionLine[],
    exchange: Exchange,
    sent: ScriptRequest,
    substitute: (text: string) => string,
    response: () => Promise<ScriptResponse> | undefined,
    checks: RequestChecks,
  ): Promise<void> {
    const subject = new ResponseSubject(exchange);
    for (const line of lines) {
      const location = this.locationOf(line);
      const { assertion, problem } = line.parsed;
      if (assertion === undefined) {
        checks.tests.push({ name: line.text, outcome: 'failed', kind: 'assertion', message: `${this.context.file}:${location.line}: ${problem.message}`, location });
        continue;
      }
      if (assertion.target.kind === 'js' && this.context.settings?.skipReason !== undefined) {
        checks.tests.push({ name: assertionName(assertion), outcome: 'skipped', kind: 'assertion', message: this.context.settings.skipReason, location });
        continue;
      }
      const result = await evaluateAssertion(assertion, subject, {
        substitute,
        evaluateJs: async (expression) => {
          const answered = response();
          const evaluated = await this.sandboxRun({
            source: expression,
            expression: true,
            fileName: this.context.file,
            lineOffset: location.line - 2,
            columnOffset: 0,
            globals: Object.fromEntries(this.context.globals),
            environment: this.environment,
            requestVariables: Object.fromEntries(checks.requestVariables),
            request: sent,
            ...(answered === undefined ? {} : { response: await answered }),
          });
          if (evaluated.error !== undefined) throw new Error(evaluated.error.message);
          return evaluated.value;
        },
      });
      checks.tests.push({
        name: result.name,
        outcome: result.ok ? 'passed' : 'failed',
        kind: 'assertion',
        ...(result.message === undefined ? {} : { message: result.message }),
        ...(result.ok ? {} : { expected: shown(result.expected), actual: shown(result.actual) }),
        location,
      });
    }
  }

  /** Runs one script, applies its globals and gathers its tests and log; undefined when it failed (reported in `checks`). */
  private async run(script: ResponseHandler, label: string, input: Pick<ScriptInput, 'request' | 'response' | 'requestVariables'>, checks: RequestChecks): Promise<ScriptResult | undefined> {
    const source = await this.sourceOf(script);
    if ('problem' in source) {
      checks.tests.push({ name: label, outcome: 'failed', kind: 'script-error', message: source.problem, location: this.locationOf(script) });
      return undefined;
    }
    const result = await this.sandboxRun({
      ...source,
      globals: Object.fromEntries(this.context.globals),
      environment: this.environment,
      iteration: this.iteration,
      ...input,
    });
    return this.applied(result, script.kind === 'file' ? source.fileName : this.context.file, label, script, checks);
  }

  /** Applies a script's globals and gathers its tests and log; undefined when it failed (reported in `checks`). */
  private applied(result: ScriptResult, scriptFile: string, label: string, script: { readonly start: number }, checks: RequestChecks): ScriptResult | undefined {
    for (const change of result.globalChanges) {
      if (change.kind === 'set') this.context.globals.set(change.name, change.value);
      else if (change.kind === 'clear') this.context.globals.delete(change.name);
      else this.context.globals.clear();
    }
    for (const test of result.tests) {
      const location: TestLocation | undefined = test.position === undefined ? undefined : { file: scriptFile, line: test.position.line, column: test.position.column };
      checks.tests.push({
        name: test.name,
        outcome: test.ok ? 'passed' : 'failed',
        kind: 'script',
        ...(test.error === undefined ? {} : { message: test.error }),
        ...(location === undefined ? {} : { location }),
      });
    }
    checks.log.push(...result.log);
    if (result.error === undefined) return result;
    const position = result.error.position;
    checks.tests.push({
      name: label,
      outcome: 'failed',
      kind: 'script-error',
      message: result.error.message,
      location: position === undefined ? this.locationOf(script) : { file: scriptFile, line: position.line, column: position.column },
    });
    return undefined;
  }

  private sandboxRun(input: ScriptInput): Promise<ScriptResult> {
    const timeoutMs = this.context.settings?.timeoutMs;
    const limits: Partial<ScriptLimits> | undefined = timeoutMs === undefined ? undefined : { timeoutMs };
    return this.context.sandbox().run(input, limits);
  }

  /** The script's text and where it starts: inline in the `.http` file, or a `.js` file beside it. */
  private async sourceOf(script: ResponseHandler): Promise<ScriptSource | { readonly problem: string }> {
    const { file, document } = this.context;
    if (script.kind === 'script') {
      const start = script.script.start;
      const line = lineAt(document.lineStarts, start);
      return { source: script.script.text, fileName: file, lineOffset: line, columnOffset: start - document.lineStarts[line] };
    }
    const path = resolve(dirname(file), script.path.text);
    try {
      return { source: await readFile(path, 'utf8'), fileName: path, lineOffset: 0, columnOffset: 0 };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
      return { problem: `${file}:${this.lineOf(script)}: cannot read the script file ${script.path.text} (${path}): ${reason}; fix the path, relative to the .http file` };
    }
  }

  private failureOf(checks: RequestChecks): string {
    for (let index = checks.tests.length - 1; index >= 0; index--) {
      const message = checks.tests[index]?.outcome === 'failed' ? checks.tests[index]?.message : undefined;
      if (message !== undefined) return message;
    }
    return 'see its test results';
  }

  private lineOf(node: { readonly start: number }): number {
    return lineAt(this.context.document.lineStarts, node.start) + 1;
  }

  private locationOf(node: { readonly start: number }): TestLocation {
    return { file: this.context.file, line: this.lineOf(node) };
  }
}

/** The request as a script sees it: as written in the file, and as it was (or would be) sent. */
export function scriptRequestOf(document: HttpDocument, request: Request, substitute: (text: string) => string, prepared?: PreparedRequest): ScriptRequest {
  const tryToSubstitute = (text: string): string => {
    try {
      return substitute(text);
    } catch {
      return text;
    }
  };
  const body = request.body === undefined ? undefined : document.text.slice(request.body.start, request.body.end);
  return {
    method: prepared?.method ?? request.methodName,
    url: { raw: request.target.text, substituted: prepared?.url ?? tryToSubstitute(request.target.text) },
    ...(body === undefined ? {} : { body: { raw: body, substituted: preparedBodyText(prepared) ?? tryToSubstitute(body) } }),
    headers: request.headers.map((header) => ({ name: header.name.text, raw: header.value.text, substituted: tryToSubstitute(header.value.text) })),
  };
}

/** The prepared body as text when it is all in memory and small; undefined otherwise (the raw text is substituted instead). */
function preparedBodyText(prepared: PreparedRequest | undefined): string | undefined {
  const chunks = prepared?.body;
  if (chunks === undefined) return undefined;
  let size = 0;
  for (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) return undefined;
    size += chunk.byteLength;
  }
  if (size > maxScriptBodyBytes) return undefined;
  return Buffer.concat(chunks as Uint8Array[]).toString('utf8');
}

/** Bodies a script reads whole: larger ones are cut there, with a note in the text. */
const maxScriptBodyBytes = 16 * 1024 * 1024;

async function scriptResponse(exchange: Exchange): Promise<ScriptResponse> {
  const response = exchange.response;
  if (response === undefined) throw new Error('no response');
  const body = response.body;
  let text: string;
  if (body.file === undefined || body.size > maxScriptBodyBytes) {
    text = bodyText(body);
  } else {
    try {
      text = bodyText({ ...body, prefix: await readFile(body.file) });
    } catch {
      text = bodyText(body);
    }
  }
  return { status: response.status, headers: response.headers, body: text, statusMessage: response.statusText, httpVersion: response.httpVersion, totalMs: exchange.timings.total };
}

/** What a watching handler gets when nothing streamed as it went: the messages received that were kept, or the body's lines. */
async function itemsOf(exchange: Exchange, response: () => Promise<ScriptResponse> | undefined): Promise<readonly string[]> {
  const summary = exchange.response;
  if (summary?.shape === 'stream') {
    return summary.stream.messages.filter((message) => message.direction === 'received').map((message) => (typeof message.data === 'string' ? message.data : Buffer.from(message.data).toString('utf8')));
  }
  const body = (await response())?.body ?? '';
  return body.split(/\r?\n/).filter((line) => line !== '');
}

/** How a `{{` block is named in results: by its opening line's form and its line. */
function blockLabel(block: ScriptBlock, line: number): string {
  return `${block.everyRequest ? '{{+' : block.event === '' ? '{{' : '{{@'}${block.event} script (line ${line})`;
}

/** A value as the Test Explorer's diff shows it: text as itself, anything else as JSON. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return Object.prototype.toString.call(value);
  }
}

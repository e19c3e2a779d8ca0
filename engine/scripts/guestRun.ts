// Runs scripts in QuickJS inside the script worker: the prelude (the JetBrains API) once per
// context, then each script wrapped in a function of its own, its pending jobs, and what it did
// read back as JSON.
// The time limit is enforced twice: here by QuickJS's interrupt handler (checked between
// bytecodes, so it names the script's line), and by the host terminating the worker when one
// long native call (a huge `Array.prototype.fill`) never returns to the interpreter.

import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { answerHostCall } from './hostBridge';
import { timeLimitSentence } from './workerProtocol';
import { guestSource, prelude, preludeFileName, scriptFileName } from './prelude';
import { type GlobalChange, type ScriptError, type ScriptErrorKind, type ScriptInput, type ScriptLimits, type ScriptPosition, type ScriptResult, type ScriptTestResult, type StreamStep } from './scriptTypes';

/** What `__courierFinish()` answers. */
interface GuestReport extends Omit<ScriptResult, 'error'> {
  readonly unsettled: readonly string[];
  /** The script changed a built-in or left a global that cannot be deleted: its context must not serve another script. */
  readonly tainted: boolean;
}

/**
 * A script runs as the body of an async function: its `var`, `let`, `const` and functions are its
 * own (not properties of the shared global object), and a top-level `await` just works. The
 * prefix shares the script's first line, so only that line's columns move (by its length).
 */
const scriptPrefix = '(async function () {';
const scriptSuffix = '\n})()';

/** A thrown guest value, dumped: an Error's fields, or anything else. */
interface DumpedError {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly stack?: unknown;
}

const scriptFrame = /courier-script\.js:(\d+)(?::(\d+))?/;

/** A context with the prelude evaluated, waiting for its next script. */
interface PreparedContext {
  readonly context: QuickJSContext;
  /** `__courierStart(inputJson)`, `__courierFinish()`, `__courierIsExit(error)`: taken as handles and deleted from the global object, so the script can neither call nor replace them. */
  readonly start: QuickJSHandle;
  readonly finish: QuickJSHandle;
  readonly isExit: QuickJSHandle;
  /** `__courierSettle()`: for an httpYac script, a promise of its exported promises' values. */
  readonly settle: QuickJSHandle;
  /** `__courierDeliver(text)` and `__courierStreamEnd()`: a live stream's messages to its subscribers, and its end. */
  readonly deliver: QuickJSHandle;
  readonly streamEnd: QuickJSHandle;
}

/**
 * Runs scripts one at a time. A context, with the prelude and the API's code compiled, serves
 * script after script while each ends cleanly: each script is a function of its own, the globals
 * it leaves are removed before the next, and one that changes a built-in (or fails, hits a
 * limit, or leaves jobs queued) gets its context dropped, so no script sees what another did.
 * After a failure the runtime is replaced too. `prepare()` readies a context while the worker
 * waits (the host is sending the next request meanwhile), so even the first script of a fresh
 * context seldom waits for the prelude.
 */
export class GuestScripts {
  private runtime: QuickJSRuntime | undefined;
  private runtimeLimits: ScriptLimits | undefined;
  private prepared: PreparedContext | undefined;
  private deadline = Number.POSITIVE_INFINITY;
  private interrupted = false;
  private contextsMade = 0;

  constructor(private readonly quickjs: QuickJSWASMModule) {}

  /** The QuickJS module, for a handler that watches a stream in this worker. */
  get module(): QuickJSWASMModule {
    return this.quickjs;
  }

  /** How many contexts this worker has made: one while scripts behave (tests read it). */
  get contexts(): number {
    return this.contextsMade;
  }

  /** Runs `input` (`inputJson` when the caller has it as text already) under `limits`; never throws for anything the script does. */
  run(input: ScriptInput, limits: ScriptLimits, inputJson = JSON.stringify(input)): ScriptResult {
    const runtime = this.runtimeFor(limits);
    const prepared = this.prepared ?? this.newContext(runtime);
    this.prepared = undefined;
    this.deadline = Date.now() + limits.timeoutMs;
    this.interrupted = false;
    let outcome: { readonly result: ScriptResult; readonly reusable: boolean } | undefined;
    try {
      outcome = runPrepared(runtime, prepared, input, inputJson, limits, () => this.interrupted);
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
      const clean = outcome !== undefined && outcome.result.error === undefined && !runtime.hasPendingJob();
      if (clean && outcome?.reusable === true) {
        this.prepared = prepared;
      } else {
        disposePrepared(prepared);
        if (!clean) this.dispose();
      }
    }
    return outcome.result;
  }

  /** Readies a context for the next script, under the limits of the last one. */
  prepare(): void {
    if (this.prepared !== undefined || this.runtimeLimits === undefined) return;
    this.prepared = this.newContext(this.runtimeFor(this.runtimeLimits));
  }

  private newContext(runtime: QuickJSRuntime): PreparedContext {
    this.contextsMade++;
    return prepareContext(runtime, (ms) => this.sleep(ms), () => undefined);
  }

  /**
   * httpYac's `sleep(ms)`: the worker waits, but never past the script's deadline, after which the
   * interrupt handler stops the script with the time limit's message.
   */
  private sleep(ms: number): boolean {
    const wanted = Number.isFinite(ms) ? Math.max(0, ms) : 0;
    const left = Math.max(0, this.deadline - Date.now());
    if (Math.min(wanted, left) > 0) Atomics.wait(sleeper, 0, 0, Math.min(wanted, left));
    if (wanted <= left) return true;
    this.interrupted = true;
    return false;
  }

  dispose(): void {
    if (this.prepared !== undefined) disposePrepared(this.prepared);
    this.prepared = undefined;
    this.runtime?.dispose();
    this.runtime = undefined;
  }

  private runtimeFor(limits: ScriptLimits): QuickJSRuntime {
    const same = this.runtimeLimits !== undefined && this.runtimeLimits.memoryBytes === limits.memoryBytes && this.runtimeLimits.stackBytes === limits.stackBytes;
    this.runtimeLimits = limits;
    if (this.runtime !== undefined && same) return this.runtime;
    this.dispose();
    const runtime = this.quickjs.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    runtime.setInterruptHandler(() => (this.interrupted = Date.now() > this.deadline));
    this.runtime = runtime;
    return runtime;
  }
}

/**
 * A handler that watches a live stream (`response.body.onEachLine`, `onEachMessage`), in a worker
 * of its own: one context lives from `start` (the handler's top level, which registers its
 * subscribers) through one `deliver` per message to `end` (the `onFinish` callbacks, then the
 * report). Each step has the whole time limit, so a runaway callback stops with its message; after
 * a failure or `unsubscribe()` nothing more is delivered. Never throws for anything the script does.
 */
export class GuestStream {
  private readonly runtime: QuickJSRuntime;
  private readonly prepared: PreparedContext;
  private deadline = Number.POSITIVE_INFINITY;
  private interrupted = false;
  private placed: ScriptInput | undefined;
  private error: ScriptError | undefined;
  private done = false;
  /** Tells the host a batch is still moving; when it last did. */
  private alive: () => void = () => undefined;
  private beat = 0;

  constructor(quickjs: QuickJSWASMModule, private readonly limits: ScriptLimits) {
    const runtime = quickjs.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    runtime.setInterruptHandler(() => (this.interrupted = Date.now() > this.deadline));
    this.runtime = runtime;
    // httpYac's `sleep` is not in a JetBrains handler, the only kind that watches streams.
    this.prepared = prepareContext(runtime, () => false, () => this.tick());
  }

  /** Runs the handler's top level: it registers subscribers, and may test the response head. */
  start(input: ScriptInput, inputJson: string): StreamStep {
    const { context, start } = this.prepared;
    this.placed = { ...input, columnOffset: input.columnOffset - scriptPrefix.length };
    return this.step(() => {
      const inputText = context.newString(inputJson);
      context.unwrapResult(context.callFunction(start, context.undefined, inputText)).dispose();
      inputText.dispose();
      const evaluation = evaluateScript(this.runtime, context, `${scriptPrefix}${input.source}${scriptSuffix}`, false);
      // A top level awaiting what a subscriber resolves later is fine: only a thrown value counts here.
      return evaluation !== undefined && 'thrown' in evaluation ? evaluation.thrown : undefined;
    });
  }

  /**
   * Messages' data, in order, to every subscriber, each message a step with the whole time limit,
   * until one unsubscribes or fails. `alive` is called every quarter of the limit, so the host's
   * watchdog, which ends a worker stuck in one native call, knows a long batch is still moving.
   */
  deliverAll(items: readonly string[], alive: () => void): StreamStep {
    if (this.done) return { unsubscribed: true, outputs: [] };
    const { context, deliver } = this.prepared;
    this.alive = alive;
    this.beat = Date.now();
    let answer: StreamStep = { unsubscribed: false, outputs: [] };
    const outcome = this.step(() => {
      // One call for the batch: the guest loops, and its 'tick' before each message restarts the clock.
      const data = context.newString(JSON.stringify(items));
      const tickMs = context.newNumber(this.tickMs);
      const called = context.callFunction(deliver, context.undefined, data, tickMs);
      data.dispose();
      tickMs.dispose();
      if (called.error !== undefined) return called.error;
      const json = context.typeof(called.value) === 'string' ? context.getString(called.value) : '';
      called.value.dispose();
      answer = stepOf(json);
      return drainJobs(this.runtime);
    });
    return outcome.error !== undefined || outcome.unsubscribed ? outcome : answer;
  }

  /** The stream ended: its `onFinish` callbacks (not after a failure or `client.exit()`), then what the handler did in all. */
  end(): ScriptResult {
    const { context, streamEnd, finish } = this.prepared;
    try {
      if (this.error === undefined) {
        this.step(() => {
          const called = context.callFunction(streamEnd, context.undefined);
          if (called.error !== undefined) return called.error;
          called.value.dispose();
          return drainJobs(this.runtime);
        });
      }
      const input = this.placed;
      const report = readReport(context, finish);
      if (input === undefined || report === undefined) {
        const error = this.error ?? { kind: 'sandbox' as const, message: `${input?.fileName ?? 'the handler'}: the script left the sandbox unable to report its results` };
        return { tests: [], log: [], globalChanges: [], requestVariables: {}, exited: false, error };
      }
      const { unsettled, tainted: _tainted, exports: _exports, ...rest } = report;
      const error = this.error ?? (unsettled.length > 0 ? unsettledError(input, false, unsettled) : undefined);
      return { ...rest, tests: rest.tests.map((test) => mapTestPosition(input, test)), ...(error === undefined ? {} : { error }) };
    } finally {
      disposePrepared(this.prepared);
      this.runtime.dispose();
    }
  }

  /** How often the guest restarts the clock during a batch: a message's callbacks get the limit and at most this much more. */
  private get tickMs(): number {
    return Math.max(1, Math.floor(this.limits.timeoutMs / 8));
  }

  /** The guest's clock restarts: the messages up to the next tick get the whole time limit, and the host hears the batch is moving. */
  private tick(): void {
    const now = Date.now();
    this.deadline = now + this.limits.timeoutMs + this.tickMs;
    if (now - this.beat > this.limits.timeoutMs / 4) {
      this.beat = now;
      this.alive();
    }
  }

  /** Runs one step under the time limit; a thrown value ends the handler (`client.exit()` without an error). */
  private step(body: () => QuickJSHandle | undefined): StreamStep {
    if (this.done) return { unsubscribed: true, outputs: [] };
    this.deadline = Date.now() + this.limits.timeoutMs;
    this.interrupted = false;
    let thrown: QuickJSHandle | undefined;
    try {
      thrown = body();
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
    }
    if (thrown === undefined) return { unsubscribed: false, outputs: [] };
    this.done = true;
    if (isExitSignal(this.prepared.context, this.prepared.isExit, thrown)) {
      thrown.dispose();
      return { unsubscribed: true, outputs: [] };
    }
    const dumped = dumpAndDispose(this.prepared.context, thrown);
    const input = this.placed ?? { source: '', fileName: 'the handler', lineOffset: 0, columnOffset: 0, globals: {}, environment: {}, requestVariables: {} };
    this.error = describeThrown(input, this.limits, dumped, this.interrupted);
    return { unsubscribed: true, outputs: [], error: this.error };
  }
}

/** `__courierDeliver`'s answer, checked: a script may have disturbed what the prelude relies on. */
function stepOf(json: string): StreamStep {
  try {
    const value: unknown = JSON.parse(json);
    if (isRecord(value) && typeof value.unsubscribed === 'boolean' && isStringArray(value.outputs)) return { unsubscribed: value.unsubscribed, outputs: value.outputs };
  } catch {
    // Reported below as a step that asks nothing.
  }
  return { unsubscribed: false, outputs: [] };
}

/** What `Atomics.wait` waits on for `sleep`: nothing ever wakes it, so it waits its time out. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** `sleep` answers false when the script's deadline came first; `tick` is a live stream's next message. */
function prepareContext(runtime: QuickJSRuntime, sleep: (ms: number) => boolean, tick: () => void): PreparedContext {
  const context = runtime.newContext();
  const hostFunction = context.newFunction('__courierHost', (operation, payload) => {
    const name = context.getString(operation);
    if (name === 'tick') {
      tick();
      return context.undefined;
    }
    if (name !== 'sleep') return context.newString(answerHostCall(name, context.getString(payload)));
    const slept = sleep(Number((JSON.parse(context.getString(payload)) as { ms?: unknown }).ms));
    // Past the deadline the script stops as the interrupt handler stops it, with the time limit's message.
    return context.newString(slept ? '{"ok":true,"value":null}' : '{"ok":false,"error":"interrupted"}');
  });
  context.setProp(context.global, '__courierHost', hostFunction);
  hostFunction.dispose();
  const sourceFunction = context.newFunction('__courierSource', (name) => context.newString(guestSource(context.getString(name)) ?? 'undefined'));
  context.setProp(context.global, '__courierSource', sourceFunction);
  sourceFunction.dispose();
  context.unwrapResult(context.evalCode(prelude, preludeFileName, { type: 'global' })).dispose();
  const prepared = {
    context,
    start: context.getProp(context.global, '__courierStart'),
    finish: context.getProp(context.global, '__courierFinish'),
    isExit: context.getProp(context.global, '__courierIsExit'),
    settle: context.getProp(context.global, '__courierSettle'),
    deliver: context.getProp(context.global, '__courierDeliver'),
    streamEnd: context.getProp(context.global, '__courierStreamEnd'),
  };
  context.unwrapResult(
    context.evalCode('delete globalThis.__courierStart; delete globalThis.__courierFinish; delete globalThis.__courierIsExit; delete globalThis.__courierSettle; delete globalThis.__courierDeliver; delete globalThis.__courierStreamEnd;', preludeFileName),
  ).dispose();
  return prepared;
}

function disposePrepared({ context, start, finish, isExit, settle, deliver, streamEnd }: PreparedContext): void {
  deliver.dispose();
  streamEnd.dispose();
  settle.dispose();
  start.dispose();
  finish.dispose();
  isExit.dispose();
  context.dispose();
}

function runPrepared(
  runtime: QuickJSRuntime,
  { context, start, finish, isExit, settle }: PreparedContext,
  input: ScriptInput,
  inputJson: string,
  limits: ScriptLimits,
  wasInterrupted: () => boolean,
): { readonly result: ScriptResult; readonly reusable: boolean } {
  const inputText = context.newString(inputJson);
  context.unwrapResult(context.callFunction(start, context.undefined, inputText)).dispose();
  inputText.dispose();
  // Positions in the wrapped text: the first line is shifted by the prefix.
  const placed: ScriptInput = { ...input, columnOffset: input.columnOffset - scriptPrefix.length };
  const body = input.expression === true ? expressionBody(input.source) : input.source;
  let evaluation = evaluateScript(runtime, context, `${scriptPrefix}${body}${scriptSuffix}`, input.expression === true);
  if (evaluation === undefined && input.dialect === 'httpyac') evaluation = settleExports(runtime, context, settle);
  let thrown = evaluation !== undefined && 'thrown' in evaluation ? evaluation.thrown : undefined;
  if (thrown !== undefined && isExitSignal(context, isExit, thrown)) {
    thrown.dispose();
    thrown = undefined;
  }
  const thrownError = thrown === undefined ? undefined : dumpAndDispose(context, thrown);
  const report = readReport(context, finish);
  const topLevelPending = evaluation !== undefined && 'pendingTopLevel' in evaluation;
  const unsettledTests = report?.unsettled ?? [];
  const exportsPending = evaluation !== undefined && 'pendingExports' in evaluation;
  const error =
    thrownError !== undefined ? describeThrown(placed, limits, thrownError, wasInterrupted())
    : exportsPending ? { kind: 'unsettled' as const, message: `${input.fileName}: a promise the script exports never settles (nothing is left in the script that could resolve it); resolve or reject it` }
    : topLevelPending || unsettledTests.length > 0 ? unsettledError(input, topLevelPending, unsettledTests)
    : undefined;
  if (report === undefined) {
    return { result: { tests: [], log: [], globalChanges: [], requestVariables: {}, exited: false, error: error ?? sandboxError(input, 'the script left the sandbox unable to report its results') }, reusable: false };
  }
  const { unsettled: _unsettled, tainted, ...rest } = report;
  const value = evaluation !== undefined && 'value' in evaluation ? { value: evaluation.value } : {};
  // A script that failed exports nothing, as in httpYac, where its exports are never read.
  const { exports, ...reported } = rest;
  const exported = error === undefined && exports !== undefined ? { exports } : {};
  return { result: { ...reported, ...exported, ...value, tests: rest.tests.map((test) => mapTestPosition(placed, test)), ...(error === undefined ? {} : { error }) }, reusable: !tainted };
}

/**
 * One expression as the body whose returned value is the expression's: on its own line (the
 * second), so a trailing `//` comment ends there.
 */
function expressionBody(expression: string): string {
  return ` return (\n${expression}\n);`;
}

/** How the script's evaluation ended: a thrown value (a handle to dispose), a top-level await or an exported promise left pending, or an expression's value. */
type Evaluation = { readonly thrown: QuickJSHandle } | { readonly pendingTopLevel: true } | { readonly pendingExports: true } | { readonly value: unknown } | undefined;

/** Waits for an httpYac script's exported promises, as httpYac does before it reads the exports. */
function settleExports(runtime: QuickJSRuntime, context: QuickJSContext, settle: QuickJSHandle): Evaluation {
  const called = context.callFunction(settle, context.undefined);
  if (called.error !== undefined) return { thrown: called.error };
  const promise = called.value;
  try {
    const jobsError = drainJobs(runtime);
    if (jobsError !== undefined) return { thrown: jobsError };
    if (context.typeof(promise) !== 'object') return undefined;
    const state = context.getPromiseState(promise);
    if (state.type === 'rejected') return { thrown: state.error };
    if (state.type === 'pending') return { pendingExports: true };
    if (state.notAPromise !== true) state.value.dispose();
    return undefined;
  } finally {
    promise.dispose();
  }
}

/** Evaluates the wrapped script and drives its promise jobs to the end; with `wantValue`, answers what it resolved to. */
function evaluateScript(runtime: QuickJSRuntime, context: QuickJSContext, source: string, wantValue: boolean): Evaluation {
  const evaluated = context.evalCode(source, scriptFileName, { type: 'global' });
  if (evaluated.error !== undefined) return { thrown: evaluated.error };
  const completion = evaluated.value;
  try {
    const jobsError = drainJobs(runtime);
    if (jobsError !== undefined) return { thrown: jobsError };
    // The wrapper is an async function: its completion is always a promise.
    const state = context.getPromiseState(completion);
    if (state.type === 'rejected') return { thrown: state.error };
    if (state.type === 'pending') return { pendingTopLevel: true };
    const value = wantValue ? dumpedValue(context, state.value) : undefined;
    if (state.notAPromise !== true) state.value.dispose();
    return wantValue ? { value } : undefined;
  } finally {
    completion.dispose();
  }
}

/** A guest value as plain data: `dump` goes through JSON for objects, so no guest object reaches the host. */
function dumpedValue(context: QuickJSContext, handle: QuickJSHandle): unknown {
  const kind = context.typeof(handle);
  if (kind === 'function' || kind === 'symbol' || kind === 'undefined') return undefined;
  return context.dump(handle) as unknown;
}

function drainJobs(runtime: QuickJSRuntime): QuickJSHandle | undefined {
  for (;;) {
    const jobs = runtime.executePendingJobs();
    if (jobs.error !== undefined) return jobs.error;
    const executed = jobs.value;
    if (executed === 0) return undefined;
  }
}

function isExitSignal(context: QuickJSContext, isExit: QuickJSHandle, thrown: QuickJSHandle): boolean {
  const answer = context.callFunction(isExit, context.undefined, thrown);
  if (answer.error !== undefined) {
    answer.error.dispose();
    return false;
  }
  const yes = context.dump(answer.value) === true;
  answer.value.dispose();
  return yes;
}

function dumpAndDispose(context: QuickJSContext, handle: QuickJSHandle): DumpedError {
  try {
    const dumped: unknown = context.dump(handle);
    return dumped !== null && typeof dumped === 'object' ? (dumped) : { message: dumped };
  } finally {
    handle.dispose();
  }
}

function readReport(context: QuickJSContext, finish: QuickJSHandle): GuestReport | undefined {
  const answer = context.callFunction(finish, context.undefined);
  if (answer.error !== undefined) {
    answer.error.dispose();
    return undefined;
  }
  const json = context.typeof(answer.value) === 'string' ? context.getString(answer.value) : '';
  answer.value.dispose();
  try {
    return checkedReport(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/**
 * The report as the host relies on it. A script can disturb the prelude's own objects (a
 * `toJSON` on Object.prototype, say); whatever comes back is checked, never trusted.
 */
function checkedReport(value: unknown): GuestReport | undefined {
  if (!isRecord(value)) return undefined;
  const { tests, log, globalChanges, requestVariables, exited, unsettled, tainted, exports } = value;
  if (exports !== undefined && !isRecord(exports)) return undefined;
  if (!Array.isArray(tests) || !tests.every(isTestResult)) return undefined;
  if (!isStringArray(log) || !isStringArray(unsettled) || typeof exited !== 'boolean' || typeof tainted !== 'boolean') return undefined;
  if (!Array.isArray(globalChanges) || !globalChanges.every(isGlobalChange)) return undefined;
  if (!isRecord(requestVariables) || !Object.values(requestVariables).every((item) => typeof item === 'string')) return undefined;
  return { tests, log, globalChanges, requestVariables: requestVariables as Record<string, string>, exited, unsettled, tainted, ...(exports === undefined ? {} : { exports }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isTestResult(value: unknown): value is ScriptTestResult {
  if (!isRecord(value) || typeof value.name !== 'string' || typeof value.ok !== 'boolean') return false;
  if (value.error !== undefined && typeof value.error !== 'string') return false;
  return value.position === undefined || (isRecord(value.position) && typeof value.position.line === 'number' && typeof value.position.column === 'number');
}

function isGlobalChange(value: unknown): value is GlobalChange {
  if (!isRecord(value)) return false;
  if (value.kind === 'clearAll') return true;
  if (value.kind === 'clear') return typeof value.name === 'string';
  return value.kind === 'set' && typeof value.name === 'string' && typeof value.value === 'string';
}

/** Names the limit that stopped the script, or the script's own error, with its place in the file. */
function describeThrown(input: ScriptInput, limits: ScriptLimits, thrown: DumpedError, interrupted: boolean): ScriptError {
  const name = typeof thrown.name === 'string' ? thrown.name : 'Error';
  const message = typeof thrown.message === 'string' ? thrown.message : String(thrown.message);
  // QuickJS records positions at calls and throws, not at every statement: an interrupted loop
  // would be placed at its last call, maybe lines away, so a timeout names no place.
  if (interrupted && message === 'interrupted') return { kind: 'timeout', message: `${input.fileName}: ${timeLimitSentence(limits)}` };
  const position = positionIn(input, typeof thrown.stack === 'string' ? thrown.stack : '', name === 'SyntaxError' ? (thrown as { lineNumber?: unknown }).lineNumber : undefined);
  const where = position === undefined ? input.fileName : `${input.fileName}:${position.line}:${position.column}`;
  const at = (kind: ScriptErrorKind, sentence: string): ScriptError => ({ kind, message: `${where}: ${sentence}`, ...(position === undefined ? {} : { position }) });
  if (message === 'out of memory') return at('memory', `the script used more than its memory limit of ${Math.round(limits.memoryBytes / 1024 / 1024)} MB and was stopped`);
  if (message === 'string too long') return at('memory', 'the script built a string longer than the sandbox allows and was stopped');
  if (message.includes('stack overflow')) return at('stack', 'the script recursed too deeply (stack overflow) and was stopped; look for a function that calls itself without end');
  return at('script', `${name}: ${message}`);
}

function unsettledError(input: ScriptInput, topLevelPending: boolean, testNames: readonly string[]): ScriptError {
  // The sandbox has no timers and no I/O: once no job is left, a pending promise can never settle,
  // so this is reported at once rather than at the deadline.
  const what = [...(topLevelPending ? ["the script's top-level await"] : []), ...testNames.map((name) => `the promise of client.test ${JSON.stringify(name)}`)].join(' and ');
  return { kind: 'unsettled', message: `${input.fileName}: ${what} never settles (nothing is left in the script that could resolve it); resolve or reject it` };
}

function sandboxError(input: ScriptInput, sentence: string): ScriptError {
  return { kind: 'sandbox', message: `${input.fileName}: ${sentence}` };
}

function mapTestPosition(input: ScriptInput, test: ScriptTestResult): ScriptTestResult {
  return test.position === undefined ? test : { ...test, position: toFilePosition(input, test.position) };
}

function positionIn(input: ScriptInput, stack: string, syntaxErrorLine: unknown): ScriptPosition | undefined {
  const match = scriptFrame.exec(stack);
  if (match !== null) return toFilePosition(input, { line: Number(match[1]), column: match[2] === undefined ? 1 : Number(match[2]) });
  if (typeof syntaxErrorLine === 'number') return toFilePosition(input, { line: syntaxErrorLine, column: 1 });
  return undefined;
}

/** A 1-based position in the script to one in the file the script sits in. */
export function toFilePosition(input: Pick<ScriptInput, 'lineOffset' | 'columnOffset'>, position: ScriptPosition): ScriptPosition {
  return { line: position.line + input.lineOffset, column: position.line === 1 ? position.column + input.columnOffset : position.column };
}

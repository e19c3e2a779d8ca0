// Runs one script in a fresh QuickJS runtime and context, inside the script worker: the prelude
// (the JetBrains API), then the script, then its pending jobs, then reads what it did as JSON.
// The time limit is enforced twice: here by QuickJS's interrupt handler (checked between
// bytecodes, so it names the script's line), and by the host terminating the worker when one
// long native call (a huge `Array.prototype.fill`) never returns to the interpreter.

import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { answerHostCall } from './hostBridge';
import { timeLimitSentence } from './workerProtocol';
import { guestModules, prelude, preludeFileName, scriptFileName } from './prelude';
import { type GlobalChange, type ScriptError, type ScriptErrorKind, type ScriptInput, type ScriptLimits, type ScriptPosition, type ScriptResult, type ScriptTestResult } from './scriptTypes';

/** What `__courierFinish()` answers. */
interface GuestReport extends Omit<ScriptResult, 'error'> {
  readonly unsettled: readonly string[];
}

/** A thrown guest value, dumped: an Error's fields, or anything else. */
interface DumpedError {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly stack?: unknown;
}

const scriptFrame = /courier-script\.js:(\d+)(?::(\d+))?/;

/** A fresh context with the prelude evaluated, waiting for its one script. */
interface PreparedContext {
  readonly context: QuickJSContext;
  /** `__courierStart(inputJson)`, `__courierFinish()`, `__courierIsExit(error)`: taken as handles and deleted from the global object, so the script can neither call nor replace them. */
  readonly start: QuickJSHandle;
  readonly finish: QuickJSHandle;
  readonly isExit: QuickJSHandle;
}

/**
 * Runs scripts one at a time, each in its own QuickJS context. The runtime under the contexts is
 * kept from one script to the next while scripts end cleanly (creating and freeing a runtime was
 * a quarter of a small script's cost); contexts share no objects, so nothing of one script is
 * visible to the next. After a script that hit a limit, threw, or left jobs queued, the runtime
 * is replaced.
 * Compiling the prelude and the `client` and `response` code is most of a small script's cost,
 * and needs nothing of the script: `prepare()` does it for the next script while the worker
 * waits (the host is sending the next request meanwhile), so a script finds its context ready.
 */
export class GuestScripts {
  private runtime: QuickJSRuntime | undefined;
  private runtimeLimits: ScriptLimits | undefined;
  private prepared: PreparedContext | undefined;
  private deadline = Number.POSITIVE_INFINITY;
  private interrupted = false;

  constructor(private readonly quickjs: QuickJSWASMModule) {}

  /** Runs `input` under `limits`; never throws for anything the script does. */
  run(input: ScriptInput, limits: ScriptLimits): ScriptResult {
    const runtime = this.runtimeFor(limits);
    const prepared = this.prepared ?? prepareContext(runtime);
    this.prepared = undefined;
    this.deadline = Date.now() + limits.timeoutMs;
    this.interrupted = false;
    let result: ScriptResult | undefined;
    try {
      result = runPrepared(runtime, prepared, input, limits, () => this.interrupted);
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
      disposePrepared(prepared);
      if (result === undefined || result.error !== undefined || runtime.hasPendingJob()) this.dispose();
    }
    return result;
  }

  /** Readies a context for the next script, under the limits of the last one. */
  prepare(): void {
    if (this.prepared !== undefined || this.runtimeLimits === undefined) return;
    this.prepared = prepareContext(this.runtimeFor(this.runtimeLimits));
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

function prepareContext(runtime: QuickJSRuntime): PreparedContext {
  const context = runtime.newContext();
  const hostFunction = context.newFunction('__courierHost', (operation, payload) => context.newString(answerHostCall(context.getString(operation), context.getString(payload))));
  context.setProp(context.global, '__courierHost', hostFunction);
  hostFunction.dispose();
  const sourceFunction = context.newFunction('__courierSource', (name) => context.newString(guestModules[context.getString(name)] ?? 'undefined'));
  context.setProp(context.global, '__courierSource', sourceFunction);
  sourceFunction.dispose();
  context.unwrapResult(context.evalCode(prelude, preludeFileName, { type: 'global' })).dispose();
  const prepared = {
    context,
    start: context.getProp(context.global, '__courierStart'),
    finish: context.getProp(context.global, '__courierFinish'),
    isExit: context.getProp(context.global, '__courierIsExit'),
  };
  context.unwrapResult(context.evalCode('delete globalThis.__courierStart; delete globalThis.__courierFinish; delete globalThis.__courierIsExit;', preludeFileName)).dispose();
  return prepared;
}

function disposePrepared({ context, start, finish, isExit }: PreparedContext): void {
  start.dispose();
  finish.dispose();
  isExit.dispose();
  context.dispose();
}

function runPrepared(runtime: QuickJSRuntime, { context, start, finish, isExit }: PreparedContext, input: ScriptInput, limits: ScriptLimits, wasInterrupted: () => boolean): ScriptResult {
  const inputJson = context.newString(JSON.stringify(input));
  context.unwrapResult(context.callFunction(start, context.undefined, inputJson)).dispose();
  inputJson.dispose();
  const evaluation = evaluateScript(runtime, context, input.expression === true ? expressionSource(input.source) : input.source, input.expression === true);
  let thrown = evaluation !== undefined && 'thrown' in evaluation ? evaluation.thrown : undefined;
  if (thrown !== undefined && isExitSignal(context, isExit, thrown)) {
    thrown.dispose();
    thrown = undefined;
  }
  const thrownError = thrown === undefined ? undefined : dumpAndDispose(context, thrown);
  const report = readReport(context, finish);
  const topLevelPending = evaluation !== undefined && 'pendingTopLevel' in evaluation;
  const unsettledTests = report?.unsettled ?? [];
  const error = thrownError !== undefined ? describeThrown(input, limits, thrownError, wasInterrupted()) : topLevelPending || unsettledTests.length > 0 ? unsettledError(input, topLevelPending, unsettledTests) : undefined;
  if (report === undefined) return { tests: [], log: [], globalChanges: [], requestVariables: {}, exited: false, error: error ?? sandboxError(input, 'the script left the sandbox unable to report its results') };
  const { unsettled: _unsettled, ...result } = report;
  const value = evaluation !== undefined && 'value' in evaluation ? { value: evaluation.value } : {};
  return { ...result, ...value, tests: result.tests.map((test) => mapTestPosition(input, test)), ...(error === undefined ? {} : { error }) };
}

/**
 * One expression as a script whose completion value is the expression's: in parentheses so an
 * object literal is not read as a block, on its own lines so a trailing `//` comment ends there.
 */
function expressionSource(expression: string): string {
  return `(\n${expression}\n)`;
}

/** How the script's evaluation ended: a thrown value (a handle to dispose), a top-level await left pending, or an expression's value. */
type Evaluation = { readonly thrown: QuickJSHandle } | { readonly pendingTopLevel: true } | { readonly value: unknown } | undefined;

/** Evaluates the script and drives its promise jobs to the end; with `wantValue`, answers its completion value (awaited). */
function evaluateScript(runtime: QuickJSRuntime, context: QuickJSContext, source: string, wantValue: boolean): Evaluation {
  let evaluated = context.evalCode(source, scriptFileName, { type: 'global' });
  if (evaluated.error !== undefined && usesTopLevelAwait(context, evaluated.error, source)) {
    // A top-level `await` is a syntax error in a script: run it as a module, whose evaluation is a promise.
    evaluated.error.dispose();
    evaluated = context.evalCode(source, scriptFileName, { type: 'module' });
  }
  if (evaluated.error !== undefined) return { thrown: evaluated.error };
  const completion = evaluated.value;
  try {
    const jobsError = drainJobs(runtime);
    if (jobsError !== undefined) return { thrown: jobsError };
    if (context.typeof(completion) !== 'object') return wantValue ? { value: dumpedValue(context, completion) } : undefined;
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

function usesTopLevelAwait(context: QuickJSContext, error: QuickJSHandle, source: string): boolean {
  if (!/\bawait\b/.test(source)) return false;
  const dumped = context.dump(error) as DumpedError;
  return dumped.name === 'SyntaxError';
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
  const { tests, log, globalChanges, requestVariables, exited, unsettled } = value;
  if (!Array.isArray(tests) || !tests.every(isTestResult)) return undefined;
  if (!isStringArray(log) || !isStringArray(unsettled) || typeof exited !== 'boolean') return undefined;
  if (!Array.isArray(globalChanges) || !globalChanges.every(isGlobalChange)) return undefined;
  if (!isRecord(requestVariables) || !Object.values(requestVariables).every((item) => typeof item === 'string')) return undefined;
  return { tests, log, globalChanges, requestVariables: requestVariables as Record<string, string>, exited, unsettled };
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

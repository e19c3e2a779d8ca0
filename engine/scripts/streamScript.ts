// The host side of a handler that watches a live stream (`response.body.onEachLine`,
// `onEachMessage`): a worker of its own, which holds the handler's QuickJS context from the
// stream's opening to its end. Each step (the top level, one message, the end) gets the whole
// time limit; a step that outlives it ends the worker, as `ScriptSandbox` does for a script (a
// batch of messages tells it is still moving, so only one stuck step ends it). Only
// JSON text crosses: the input, each message's data, and the steps' answers.

import { Worker } from 'node:worker_threads';
import type { ScriptError, ScriptInput, ScriptLimits, ScriptResult, StreamStep } from './scriptTypes';
import { timeLimitSentence, type ScriptWorkerData, type ScriptWorkerMessage, type StreamJob } from './workerProtocol';

/**
 * Time past the deadline the interrupt handler gets to stop a step (with its line) before the
 * worker is ended. The watchdog counts from the host's post, so it also covers making the
 * handler's context and a busy machine's scheduling: a runaway loop is stopped at the limit by
 * the interrupt handler anyway; only a step stuck in one native call waits this long.
 */
const terminationGraceMs = 1_000;
/** Loading QuickJS takes tens of milliseconds; this only catches a worker that cannot start. */
const workerStartLimitMs = 30_000;

/** Distributes `Omit` over a union, so each job keeps its own fields. */
type JobWithoutId<Job> = Job extends unknown ? Omit<Job, 'id'> : never;

export class StreamScript {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private nextId = 1;
  /** Why the worker can serve no more steps: it failed, was ended at a deadline, or was closed. */
  private broken: ScriptError | undefined;
  private fileName = 'the handler';

  constructor(private readonly workerFile: string, wasmFile: string | undefined, private readonly limits: ScriptLimits) {
    const workerData: ScriptWorkerData = wasmFile === undefined ? {} : { wasmFile };
    this.worker = new Worker(workerFile, { workerData, env: {}, argv: [], stdin: false, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer from ${this.workerFile} within ${workerStartLimitMs / 1000} s`)), workerStartLimitMs);
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        this.worker.off('message', onReady);
        this.worker.off('error', settle);
        this.worker.off('exit', onExit);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = (message: ScriptWorkerMessage): void => {
        if ('ready' in message) settle();
      };
      const onExit = (code: number): void => settle(new Error(`the worker exited with code ${code}`));
      this.worker.on('message', onReady);
      this.worker.on('error', settle);
      this.worker.on('exit', onExit);
    });
  }

  /** Runs the handler's top level, where it registers its subscribers. */
  async start(input: ScriptInput): Promise<StreamStep> {
    this.fileName = input.fileName;
    return stepOf(await this.call({ stream: 'start', inputJson: JSON.stringify(input), limits: this.limits }));
  }

  /** Hands messages' data to the subscribers, in order, until one unsubscribes or fails. */
  async deliver(items: readonly string[]): Promise<StreamStep> {
    return stepOf(await this.call({ stream: 'deliver', items }));
  }

  /** Calls `onFinish` and answers everything the handler did; the worker is ended after. */
  async end(): Promise<ScriptResult> {
    try {
      const answer = await this.call({ stream: 'end' });
      if ('result' in answer) return answer.result;
      const error = 'error' in answer ? answer.error : { kind: 'sandbox' as const, message: `${this.fileName}: the handler's sandbox answered out of turn` };
      return { tests: [], log: [], globalChanges: [], requestVariables: {}, exited: false, error };
    } finally {
      await this.close();
    }
  }

  /** Ends the worker (what the handler did is lost unless `end` answered first). */
  async close(): Promise<void> {
    this.broken ??= { kind: 'sandbox', message: `${this.fileName}: the handler's sandbox was closed` };
    await this.worker.terminate();
  }

  private async call(job: JobWithoutId<StreamJob>): Promise<Answer> {
    if (this.broken !== undefined) return { error: this.broken };
    try {
      await this.ready;
    } catch (error) {
      this.broken = { kind: 'sandbox', message: `${this.fileName}: the script sandbox could not start (${error instanceof Error ? error.message : String(error)})` };
      return { error: this.broken };
    }
    const id = this.nextId++;
    const { worker } = this;
    return new Promise((resolve) => {
      const finish = (answer: Answer): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(answer);
      };
      const fail = (error: ScriptError): void => {
        this.broken = error;
        finish({ error });
      };
      const onMessage = (message: ScriptWorkerMessage): void => {
        if ('alive' in message && message.id === id) timer.refresh();
        else if ('step' in message && message.id === id) finish({ step: message.step });
        else if ('result' in message && message.id === id) finish({ result: message.result });
      };
      const onError = (error: Error): void => fail({ kind: 'sandbox', message: `${this.fileName}: the script sandbox failed (${error.message})` });
      const onExit = (): void => fail({ kind: 'sandbox', message: `${this.fileName}: the script sandbox stopped unexpectedly` });
      const timer = setTimeout(() => {
        // Stuck in one native call: only ending the thread stops it; what the handler did is lost with it.
        void worker.terminate();
        fail({ kind: 'timeout', message: `${this.fileName}: ${timeLimitSentence(this.limits)}` });
      }, this.limits.timeoutMs + terminationGraceMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ ...job, id });
    });
  }
}

/** What the worker answered a job, or why it could not. */
type Answer = { readonly step: StreamStep } | { readonly result: ScriptResult } | { readonly error: ScriptError };

function stepOf(answer: Answer): StreamStep {
  if ('step' in answer) return answer.step;
  const error = 'error' in answer ? answer.error : undefined;
  return { unsubscribed: true, outputs: [], ...(error === undefined ? {} : { error }) };
}

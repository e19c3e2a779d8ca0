// The host side of the script sandbox: runs scripts one at a time in a worker thread that holds
// QuickJS, and terminates that worker when a script outlives its deadline (QuickJS checks its
// interrupt handler only between bytecodes, so one long native call would run on). The worker is
// started on the first script and kept warm for the next ones: every script still gets its own
// QuickJS runtime and context, so nothing of one script is visible to the next.
// This module imports only node:worker_threads: QuickJS is loaded by the worker, never here.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { scriptWorkerBundleName, timeLimitSentence, type ScriptJob, type ScriptWorkerData, type ScriptWorkerMessage } from './workerProtocol';
import { StreamScript } from './streamScript';
import { defaultScriptLimits, type ScriptError, type ScriptInput, type ScriptLimits, type ScriptResult } from './scriptTypes';

export interface ScriptSandboxOptions {
  /** The worker bundle; `scriptWorker.js` beside the running bundle by default (dist/). */
  readonly workerFile?: string;
  /** The QuickJS WebAssembly file; beside the worker bundle by default. */
  readonly wasmFile?: string;
  /** Limits for every script; each `run` may override them. */
  readonly limits?: Partial<ScriptLimits>;
}

/** Time past the deadline the interrupt handler gets to stop a script (with its line) before the worker is ended. */
const terminationGraceMs = 200;
/** Loading QuickJS takes tens of milliseconds; this only catches a worker that cannot start. */
const workerStartLimitMs = 30_000;

/** A started worker and the job it is running. */
interface LiveWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
}

export class ScriptSandbox {
  private readonly workerFile: string;
  private readonly wasmFile: string | undefined;
  private readonly limits: ScriptLimits;
  private live: LiveWorker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextJobId = 1;
  private workersStarted = 0;

  constructor(options: ScriptSandboxOptions = {}) {
    this.workerFile = options.workerFile ?? join(__dirname, scriptWorkerBundleName);
    this.wasmFile = options.wasmFile;
    this.limits = { ...defaultScriptLimits, ...options.limits };
  }

  /** How many workers this sandbox has started: 0 until the first script, 1 while scripts behave. */
  get startedWorkers(): number {
    return this.workersStarted;
  }

  /** Runs one script after those already queued. Resolves with its result; a script's failure is `result.error`, never a rejection. */
  run(input: ScriptInput, limits?: Partial<ScriptLimits>): Promise<ScriptResult> {
    const effective = limits === undefined ? this.limits : { ...this.limits, ...limits };
    const result = this.queue.then(() => this.runNow(input, effective));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * A handler that watches a live stream, in a worker of its own: it waits on the stream for as long
   * as the stream lasts, and the warm worker stays free for every other script meanwhile.
   */
  openStream(limits?: Partial<ScriptLimits>): StreamScript {
    const effective = limits === undefined ? this.limits : { ...this.limits, ...limits };
    return new StreamScript(this.workerFile, this.wasmFile, effective);
  }

  /** Ends the worker; a later `run` starts a new one. */
  async close(): Promise<void> {
    await this.queue;
    await this.endWorker();
  }

  private async runNow(input: ScriptInput, limits: ScriptLimits): Promise<ScriptResult> {
    const live = this.live ?? this.startWorker();
    try {
      await live.ready;
    } catch (error) {
      await this.endWorker();
      return failed({ kind: 'sandbox', message: `${input.fileName}: the script sandbox could not start (${error instanceof Error ? error.message : String(error)})` });
    }
    const id = this.nextJobId++;
    const { worker } = live;
    worker.ref();
    try {
      return await new Promise<ScriptResult>((resolve) => {
        const finish = (result: ScriptResult): void => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          resolve(result);
        };
        const onMessage = (message: ScriptWorkerMessage): void => {
          if ('result' in message && message.id === id) finish(message.result);
        };
        const onError = (error: Error): void => {
          this.forget(live);
          finish(failed({ kind: 'sandbox', message: `${input.fileName}: the script sandbox failed (${error.message}); the next script starts a new one` }));
        };
        const onExit = (): void => {
          this.forget(live);
          finish(failed({ kind: 'sandbox', message: `${input.fileName}: the script sandbox stopped unexpectedly; the next script starts a new one` }));
        };
        const timer = setTimeout(() => {
          // Stuck in one native call: only ending the thread stops it. The next script starts a new worker.
          this.forget(live);
          void worker.terminate();
          finish(failed({ kind: 'timeout', message: `${input.fileName}: ${timeLimitSentence(limits)}` }));
        }, limits.timeoutMs + terminationGraceMs);
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage({ id, inputJson: JSON.stringify(input), limits } satisfies ScriptJob);
      });
    } finally {
      // Between scripts the idle worker must not keep the CLI's process alive.
      if (this.live === live) worker.unref();
    }
  }

  private startWorker(): LiveWorker {
    const workerData: ScriptWorkerData = this.wasmFile === undefined ? {} : { wasmFile: this.wasmFile };
    // No environment, no argv, no stdin: the worker needs none of the host's, and a script never sees them anyway.
    const worker = new Worker(this.workerFile, { workerData, env: {}, argv: [], stdin: false, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    this.workersStarted++;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer from ${this.workerFile} within ${workerStartLimitMs / 1000} s`)), workerStartLimitMs);
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        worker.off('message', onReady);
        worker.off('error', settle);
        worker.off('exit', onExit);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = (message: ScriptWorkerMessage): void => {
        if ('ready' in message) settle();
      };
      const onExit = (code: number): void => settle(new Error(`the worker exited with code ${code}`));
      worker.on('message', onReady);
      worker.on('error', settle);
      worker.on('exit', onExit);
    });
    const live = { worker, ready };
    this.live = live;
    return live;
  }

  private forget(live: LiveWorker): void {
    if (this.live === live) this.live = undefined;
  }

  private async endWorker(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (live !== undefined) await live.worker.terminate();
  }
}

function failed(error: ScriptError): ScriptResult {
  return { tests: [], log: [], globalChanges: [], requestVariables: {}, exited: false, error };
}

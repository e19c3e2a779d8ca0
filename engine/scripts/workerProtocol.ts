// The messages between the host (`sandbox.ts`) and the script worker (`scriptWorker.ts`), in a
// file of their own so the host never imports the worker's module (and QuickJS with it).

import { type ScriptLimits, type ScriptResult, type StreamStep } from './scriptTypes';

/**
 * What the host posts: one script to run, its input as JSON text. The guest reads that very text,
 * and a string crosses the thread boundary as one copy where an object is cloned field by field.
 */
export interface ScriptJob {
  readonly id: number;
  readonly inputJson: string;
  readonly limits: ScriptLimits;
}

/**
 * A handler watching a live stream, in a worker of its own (`StreamScript`): `start` its top level,
 * `deliver` messages' data (a batch of what is queued), `end` for the report.
 */
export type StreamJob =
  | { readonly id: number; readonly stream: 'start'; readonly inputJson: string; readonly limits: ScriptLimits }
  | { readonly id: number; readonly stream: 'deliver'; readonly items: readonly string[] }
  | { readonly id: number; readonly stream: 'end' };

/**
 * What the worker posts: `ready` once QuickJS is loaded, then one result per job (a `StreamStep`
 * for a stream's start and messages; `alive` while a long batch of messages is still moving).
 */
export type ScriptWorkerMessage =
  | { readonly ready: true }
  | { readonly id: number; readonly result: ScriptResult }
  | { readonly id: number; readonly step: StreamStep }
  | { readonly id: number; readonly alive: true };

/** Where the host says the WebAssembly file is (tests); beside the worker bundle otherwise. */
export interface ScriptWorkerData {
  readonly wasmFile?: string;
}

/** The worker bundle and the QuickJS WebAssembly file, as esbuild.mjs writes them into dist/. */
export const scriptWorkerBundleName = 'scriptWorker.js';
export const quickJsWasmName = 'quickjs.wasm';

/** The sentence for a script stopped at its time limit, the same from the worker and the host. */
export function timeLimitSentence(limits: ScriptLimits): string {
  const limit = limits.timeoutMs % 1000 === 0 ? `${limits.timeoutMs / 1000} s` : `${limits.timeoutMs} ms`;
  return `the script ran longer than its time limit of ${limit} and was stopped; make it do less, or raise courier.scripts.timeout`;
}

// Entry of the script worker bundle (dist/scriptWorker.js): loads QuickJS once, from the
// WebAssembly file beside this bundle, then runs the scripts the host posts, one at a time.
// Only this bundle contains QuickJS: the CLI and the extension load it by starting the worker,
// on the first script of a run, so a run without scripts pays nothing for it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import RELEASE_SYNC from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import { GuestScripts, GuestStream } from './guestRun';
import { type ScriptInput, type ScriptResult } from './scriptTypes';
import { quickJsWasmName, type ScriptJob, type ScriptWorkerData, type ScriptWorkerMessage, type StreamJob } from './workerProtocol';

async function loadQuickJs(): Promise<GuestScripts> {
  const data = workerData as ScriptWorkerData | undefined;
  const wasmFile = data?.wasmFile ?? join(__dirname, quickJsWasmName);
  const bytes = readFileSync(wasmFile);
  const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return new GuestScripts(await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmBinary })));
}

let quickjs: Promise<GuestScripts> | undefined;

/**
 * A bug of ours (or a QuickJS abort) in one script is that script's error; the module may be left
 * broken, so the next script gets a freshly instantiated one.
 */
function runSafely(scripts: GuestScripts, job: ScriptJob): ScriptResult {
  const input = JSON.parse(job.inputJson) as ScriptInput;
  try {
    return scripts.run(input, job.limits, job.inputJson);
  } catch (error) {
    quickjs = loadQuickJs();
    const message = `${input.fileName}: the script sandbox failed (${error instanceof Error ? error.message : String(error)})`;
    return { tests: [], log: [], globalChanges: [], requestVariables: {}, exited: false, error: { kind: 'sandbox', message } };
  }
}

function prepareSafely(scripts: GuestScripts): void {
  try {
    scripts.prepare();
  } catch {
    // The next run prepares again, and reports what fails then.
    scripts.dispose();
  }
}

/** The handler watching a live stream: a worker that serves one never runs other scripts. */
let stream: { readonly guest: GuestStream; readonly fileName: string } | undefined;

function streamAnswer(quickjs: GuestScripts['module'] | undefined, job: StreamJob, alive: () => void, loadError?: unknown): ScriptWorkerMessage {
  const fileName = stream?.fileName ?? (job.stream === 'start' ? (JSON.parse(job.inputJson) as ScriptInput).fileName : 'the handler');
  const failure = (error: unknown): ScriptWorkerMessage => {
    const message = `${fileName}: the script sandbox failed (${error instanceof Error ? error.message : String(error)})`;
    const result: ScriptResult = { tests: [], log: [], globalChanges: [], requestVariables: {}, exited: false, error: { kind: 'sandbox', message } };
    return job.stream === 'end' ? { id: job.id, result } : { id: job.id, step: { unsubscribed: true, outputs: [], error: result.error } };
  };
  if (quickjs === undefined) return failure(loadError);
  try {
    if (job.stream === 'start') {
      stream = { guest: new GuestStream(quickjs, job.limits), fileName };
      return { id: job.id, step: stream.guest.start(JSON.parse(job.inputJson) as ScriptInput, job.inputJson) };
    }
    if (stream === undefined) return failure(new Error('no handler was started'));
    if (job.stream === 'deliver') return { id: job.id, step: stream.guest.deliverAll(job.items, alive) };
    const result = stream.guest.end();
    stream = undefined;
    return { id: job.id, result };
  } catch (error) {
    return failure(error);
  }
}

if (parentPort !== null) {
  const port = parentPort;
  quickjs = loadQuickJs();
  // The host starts a script's clock only once QuickJS is loaded, so compiling it never counts against a script.
  void quickjs.then(() => port.postMessage({ ready: true } satisfies ScriptWorkerMessage), () => port.postMessage({ ready: true } satisfies ScriptWorkerMessage));
  port.on('message', (job: ScriptJob | StreamJob) => {
    if ('stream' in job) {
      void (quickjs ??= loadQuickJs()).then(
        (scripts) => port.postMessage(streamAnswer(scripts.module, job, () => port.postMessage({ id: job.id, alive: true } satisfies ScriptWorkerMessage))),
        (error: unknown) => port.postMessage(streamAnswer(undefined, job, () => undefined, error)),
      );
      return;
    }
    void (quickjs ??= loadQuickJs()).then(
      (scripts) => {
        port.postMessage({ id: job.id, result: runSafely(scripts, job) } satisfies ScriptWorkerMessage);
        // Once the result is on its way: ready the next script's context while the host sends its request.
        setImmediate(() => prepareSafely(scripts));
      },
      (error: unknown) => {
        const { fileName } = JSON.parse(job.inputJson) as ScriptInput;
        const message = `${fileName}: the script sandbox could not start (${error instanceof Error ? error.message : String(error)})`;
        port.postMessage({ id: job.id, result: { tests: [], log: [], globalChanges: [], requestVariables: {}, exited: false, error: { kind: 'sandbox', message } } } satisfies ScriptWorkerMessage);
      },
    );
  });
}

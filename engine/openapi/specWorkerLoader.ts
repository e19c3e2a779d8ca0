// Loads a spec in a worker thread (specWorker.ts) and takes the model over in batches, asking for
// the next one a turn of the event loop after reading the last: a structured clone is read on the
// receiving thread when its message is dispatched, and Node dispatches every queued message in one
// go, so batches sent unasked would again hold the loop for the whole spec.

import { Worker } from 'node:worker_threads';
import type { OpenApiSpec, SpecOperation } from '../../language/openapi/specModel';
import { OpenApiSpecError } from './specLoader';
import type { SpecWorkerReply, SpecWorkerRequest } from './specWorkerProtocol';

/** Loads `file` in a worker started from `workerFile` (dist/openApiSpecWorker.js); rejects with `OpenApiSpecError`. */
export function loadOpenApiSpecInWorker(file: string, workerFile: string): Promise<OpenApiSpec> {
  return new Promise<OpenApiSpec>((resolve, reject) => {
    const worker = new Worker(workerFile);
    let header: Extract<SpecWorkerReply, { kind: 'header' }> | undefined;
    const operations: SpecOperation[] = [];
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      outcome();
    };
    const send = (request: SpecWorkerRequest): void => worker.postMessage(request);
    worker.on('message', (reply: SpecWorkerReply) => {
      switch (reply.kind) {
        case 'header':
          header = reply;
          setImmediate(() => send({ kind: 'more' }));
          return;
        case 'operations':
          operations.push(...reply.operations);
          setImmediate(() => send({ kind: 'more' }));
          return;
        case 'done':
          finish(() => resolve({ file: header?.file ?? file, version: header?.version ?? '3.0', title: header?.title ?? '', servers: header?.servers ?? [], operations }));
          return;
        case 'error':
          finish(() => reject(new OpenApiSpecError(reply.file, reply.line, reply.message)));
      }
    });
    worker.on('error', (error) => finish(() => reject(new OpenApiSpecError(file, undefined, `Loading the spec failed: ${error.message}`))));
    worker.on('exit', (code) => finish(() => reject(new OpenApiSpecError(file, undefined, `Loading the spec stopped (worker exit code ${code}).`))));
    send({ kind: 'load', file });
  });
}

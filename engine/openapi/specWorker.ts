// The worker thread that loads an OpenAPI spec (dist/openApiSpecWorker.js): resolving a large
// description takes seconds of one thread (GitHub's, 13 MB: about 3 s), which the language server's
// message loop cannot give. It hands the model back in small batches of operations, one per
// request of the loading thread, since a structured clone is read on the receiving thread and the
// whole of GitHub's takes 300-400 ms to read there (see specWorkerLoader.ts).

import { parentPort } from 'node:worker_threads';
import type { OpenApiSpec } from '../../language/openapi/specModel';
import { OpenApiSpecError, loadOpenApiSpec } from './specLoader';
import type { SpecWorkerReply, SpecWorkerRequest } from './specWorkerProtocol';

/** Operations per message: about 3 ms of reading on the other side, for GitHub's. */
const operationsPerBatch = 12;

const port = parentPort;
if (port) {
  let spec: OpenApiSpec | undefined;
  let sent = 0;
  const post = (reply: SpecWorkerReply): void => port.postMessage(reply);
  const next = (): void => {
    if (!spec) return;
    if (sent >= spec.operations.length) {
      post({ kind: 'done' });
      return;
    }
    post({ kind: 'operations', operations: spec.operations.slice(sent, sent + operationsPerBatch) });
    sent += operationsPerBatch;
  };
  port.on('message', (request: SpecWorkerRequest) => {
    if (request.kind === 'more') {
      next();
      return;
    }
    loadOpenApiSpec(request.file).then((loaded) => {
      spec = loaded;
      post({ kind: 'header', file: loaded.file, version: loaded.version, title: loaded.title, servers: loaded.servers, count: loaded.operations.length });
    }, (error: unknown) => {
      post(error instanceof OpenApiSpecError
        ? { kind: 'error', file: error.file, line: error.line, message: error.message }
        : { kind: 'error', file: request.file, line: undefined, message: error instanceof Error ? error.message : String(error) });
    });
  });
}

// The messages between the loading thread and the spec worker (specWorker.ts), both ways.
import type { OpenApiVersion, SpecOperation, SpecServer } from '../../language/openapi/specModel';

export type SpecWorkerRequest =
  | { readonly kind: 'load'; readonly file: string }
  /** The last batch is read: send the next. */
  | { readonly kind: 'more' };

export type SpecWorkerReply =
  | { readonly kind: 'header'; readonly file: string; readonly version: OpenApiVersion; readonly title: string; readonly servers: readonly SpecServer[]; readonly count: number }
  | { readonly kind: 'operations'; readonly operations: readonly SpecOperation[] }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly file: string; readonly line: number | undefined; readonly message: string };

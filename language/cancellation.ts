// Cancellation for long computations of the language service. The host hands in the LSP
// request's token (anything with `isCancellationRequested` fits, vscode-jsonrpc's included);
// loops over a large document check it now and then and stop by throwing `OperationCancelled`,
// which the host answers as a cancelled request.

/** What the service reads of a cancellation token. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

/** A token that is never cancelled, for callers with none. */
export const notCancellable: CancellationToken = Object.freeze({ isCancellationRequested: false });

/** Thrown when a computation stops because its token was cancelled; nothing it had computed is returned. */
export class OperationCancelled extends Error {
  constructor() {
    super('The operation was cancelled.');
    this.name = 'OperationCancelled';
  }
}

/** Throws `OperationCancelled` when `token` is cancelled. */
export function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new OperationCancelled();
}

/** Blocks between two looks at a token in loops over a document's blocks: rare enough to cost nothing, about a millisecond apart. */
export const blocksPerCancellationCheck = 256;

// A plain LSP client over JSON-RPC streams, for the server tests: the server as any editor sees it.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface PublishedDiagnostics {
  readonly uri: string;
  readonly diagnostics: readonly { readonly code?: string | number; readonly message: string; readonly range: unknown }[];
}

/** A JSON-RPC connection that records what the server pushes and logs. */
export interface TestClient {
  readonly connection: MessageConnection;
  readonly published: PublishedDiagnostics[];
  readonly logs: string[];
  /** How many times the server asked the client to pull diagnostics again. */
  readonly refreshes: { count: number };
}

export function connectTo(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): TestClient {
  return connectWith(createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output)));
}

/** Answers the requests a server makes of its client, and records what it pushes. */
export function connectWith(connection: MessageConnection): TestClient {
  const published: PublishedDiagnostics[] = [];
  const logs: string[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
    published.push(params);
  });
  connection.onNotification('window/logMessage', (params: { readonly message: string }) => {
    logs.push(params.message);
  });
  connection.onRequest('workspace/configuration', (params: { readonly items: readonly unknown[] }) => params.items.map(() => ({ environment: 'dev' })));
  connection.onRequest('client/registerCapability', () => null);
  const refreshes = { count: 0 };
  connection.onRequest('workspace/diagnostic/refresh', () => {
    refreshes.count++;
    return null;
  });
  connection.listen();
  return { connection, published, logs, refreshes };
}

export function connectToProcess(child: ChildProcessWithoutNullStreams): TestClient {
  return connectTo(child.stdout, child.stdin);
}

/** Polls `condition` until it holds or the deadline passes; never a fixed sleep. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const pullClientCapabilities = {
  textDocument: { diagnostic: { dynamicRegistration: false }, completion: { completionItem: { snippetSupport: true } } },
  workspace: { configuration: true, diagnostics: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
};

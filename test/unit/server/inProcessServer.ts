// The real language server in-process, over a pair of streams, driven by the tests' plain LSP
// client: a service can be injected and env files read from memory, with no child process.
import { PassThrough } from 'node:stream';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startLanguageServer, type LanguageServerOptions } from '../../../server/languageServer';
import { connectTo, pullClientCapabilities, type TestClient } from './lspClient';

export interface InProcessStart {
  /** The client's capabilities; pull diagnostics by default. */
  readonly capabilities?: object;
  /** The workspace root `initialize` names; `file:///w` by default, null for none. */
  readonly root?: string | null;
  /** Runs before `initialize`, e.g. to answer requests the server makes of its client. */
  readonly beforeInitialize?: (client: TestClient) => void;
}

/** Starts the server with `options`, initializes it, and returns the client and how to stop both. */
export async function startInProcess(options: LanguageServerOptions = {}, start: InProcessStart = {}): Promise<{ client: TestClient; stop: () => void }> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startLanguageServer(connection, options);
  const client = connectTo(toClient, toServer);
  const stop = (): void => {
    client.connection.dispose();
    connection.dispose();
  };
  try {
    start.beforeInitialize?.(client);
    const root = start.root === undefined ? 'file:///w' : start.root;
    const workspaceFolders = root === null ? null : [{ uri: root, name: root.slice(root.lastIndexOf('/') + 1) }];
    await client.connection.sendRequest('initialize', { processId: null, rootUri: root, workspaceFolders, capabilities: start.capabilities ?? pullClientCapabilities });
    await client.connection.sendNotification('initialized', {});
  } catch (error) {
    stop();
    throw error;
  }
  return { client, stop };
}

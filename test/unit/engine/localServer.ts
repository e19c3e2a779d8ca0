// Real servers on 127.0.0.1 for tests: each test starts its own and closes it. The engine and CLI
// unit tests, the integration suite's local API and the harness's UI test server all listen through here.
import { once } from 'node:events';
import * as http from 'node:http';
import type * as https from 'node:https';
import type * as net from 'node:net';
import { type PreparedRequest, type SendOptions } from '../../../engine/model';

/** A listening server, its base URL, and every socket it accepted. */
export interface Running<S extends net.Server> {
  readonly server: S;
  readonly url: string;
  readonly port: number;
  readonly sockets: net.Socket[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 on a free port and tracks sockets so `close` never hangs on keep-alive. */
export async function listen<S extends net.Server>(server: S, scheme = 'http'): Promise<Running<S>> {
  const sockets: net.Socket[] = [];
  server.on(scheme === 'https' ? 'secureConnection' : 'connection', (socket: net.Socket) => sockets.push(socket));
  if (scheme === 'https') server.on('connection', (socket: net.Socket) => socket.on('error', () => undefined));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    server,
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      (server as unknown as http.Server).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Resolves when `socket` has closed. A client that cancels may reach the server's end as
 * ECONNRESET before 'close'; `events.once` would reject on that 'error', which the http
 * server handles itself (it failed about 1 run in 10).
 */
export async function closed(socket: net.Socket): Promise<void> {
  if (socket.destroyed) return;
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
}

/** An http server answering with `handler`. */
export async function httpServer(handler: http.RequestListener): Promise<Running<http.Server>> {
  return listen(http.createServer(handler));
}

/** An https server answering with `handler`. */
export async function httpsServer(options: https.ServerOptions, handler: http.RequestListener): Promise<Running<https.Server>> {
  const { createServer } = await import('node:https');
  return listen(createServer(options, handler), 'https');
}

/** Reads a request body fully. */
export async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const sendDefaults: SendOptions = {
  followRedirects: true,
  maxRedirects: 5,
  useCookieJar: true,
  timeoutMs: 10_000,
  connectTimeoutMs: undefined,
  insecure: false,
  retries: 0,
};

/** A PreparedRequest with test defaults; override what the test is about. */
export function prepared(
  url: string,
  overrides: Partial<Omit<PreparedRequest, 'options'>> & { readonly options?: Partial<SendOptions> } = {},
): PreparedRequest {
  return {
    method: overrides.method ?? 'GET',
    url,
    headers: overrides.headers ?? [],
    body: overrides.body,
    options: { ...sendDefaults, ...overrides.options },
    origin: overrides.origin ?? { file: '/tests/requests.http', line: 1, name: undefined },
    httpVersion: overrides.httpVersion,
  };
}

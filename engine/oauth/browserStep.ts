// The user's step of a browser grant (Authorization Code, Implicit): the authorization URL opens
// in the user's browser, and the provider sends the browser back to the Redirect URL. A loopback
// Redirect URL (`http://127.0.0.1:PORT/path`, `http://localhost:PORT/path`; RFC 8252 §7.3) is
// received here by a listener that lives for one authorization; any other URL the front end must
// receive itself (the extension's `vscode://` URI handler), or the grant cannot finish.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The user code of a Device Authorization grant, to show while the engine polls. */
export interface DeviceCodePrompt {
  readonly configuration: string;
  readonly userCode: string;
  readonly verificationUri: string;
  /** The verification URL with the code in it, when the provider gives one. */
  readonly verificationUriComplete: string | undefined;
  readonly expiresInSeconds: number;
}

/** The engine's wait for the browser to come back, as a front end sees it while it shows that wait. */
export interface BrowserWait {
  /** Settles when the wait ends, however it ends (the redirect arrived, cancelled, timed out, failed). */
  readonly ended: Promise<void>;
  /** Stops waiting: the grant fails as cancelled. */
  cancel(): void;
}

/** What a front end does for the user steps of a grant. */
export interface AuthInteraction {
  /** False when nobody can take part (`courier run --no-interactive`, CI): a grant that needs the user fails at once. */
  readonly interactive: boolean;
  /**
   * Opens `url` in the user's browser (the CLI prints it). `wait` says when the engine stops
   * waiting for the browser and lets the front end give up on the user's behalf (a Cancel button).
   */
  openBrowser(configuration: string, url: string, wait: BrowserWait): Promise<void>;
  /** Shows a device code; the function returned hides it again. */
  showDeviceCode(prompt: DeviceCodePrompt): () => void;
  /**
   * Waits for the browser to arrive at a Redirect URL that is not loopback (the extension's own
   * `vscode://` URI); undefined when this front end cannot receive such a URL.
   */
  readonly receiveRedirect?: (redirectUrl: string, signal: AbortSignal) => Promise<URL>;
  /** How long to wait for the user before giving up (ms). */
  readonly timeoutMs: number;
}

/** Whether the browser can come back to `url` through a listener of this process. */
export function isLoopbackRedirect(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

/** A listener waiting for one redirect. */
export interface LoopbackRedirect {
  /** The Redirect URL with the port the listener got (the one written, or a free one when none is). */
  readonly redirectUri: string;
  /** The parameters the browser brought: the query, or for Implicit the fragment, which the page posts back. */
  readonly parameters: Promise<URLSearchParams>;
  close(): Promise<void>;
}

const fragmentMarker = '__courier_fragment';

/**
 * Listens on the Redirect URL's host and port (a free port when it names none) for the browser's
 * return to its path. The first request with parameters ends the wait and gets a page saying the
 * tab can be closed; for Implicit, whose answer is in the URL's fragment (which browsers never
 * send), the page first sends the fragment back as a query.
 */
export async function listenForRedirect(redirectUrl: URL): Promise<LoopbackRedirect> {
  let settle: { resolve: (parameters: URLSearchParams) => void; reject: (error: Error) => void } | undefined;
  const parameters = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be waiting yet when the listener fails.
  parameters.catch(() => undefined);
  const path = redirectUrl.pathname;
  const server = createServer((request, response) => answer(request, response, path, (received) => settle?.resolve(received)));
  const host = redirectUrl.hostname === 'localhost' ? '127.0.0.1' : redirectUrl.hostname.replace(/^\[|\]$/g, '');
  const port = redirectUrl.port === '' ? 0 : Number(redirectUrl.port);
  await listen(server, host, port).catch((error: NodeJS.ErrnoException) => {
    const hint = error.code === 'EADDRINUSE' ? ': another program uses that port; stop it or change the port in the Redirect URL (and at the provider)' : '';
    throw new Error(`cannot receive the browser's redirect on ${redirectUrl.origin}: ${error.message}${hint}`);
  });
  const actualPort = (server.address() as AddressInfo).port;
  const extra: Server[] = [];
  if (redirectUrl.hostname === 'localhost') {
    // A browser may resolve localhost to ::1 first; the same port there too, when it is free.
    const ipv6 = createServer((request, response) => answer(request, response, path, (received) => settle?.resolve(received)));
    if (await listen(ipv6, '::1', actualPort).then(() => true, () => false)) extra.push(ipv6);
  }
  const withPort = new URL(redirectUrl.href);
  withPort.port = String(actualPort);
  return {
    redirectUri: withPort.href,
    parameters,
    close: async () => {
      settle?.reject(new Error('the wait for the browser ended'));
      await Promise.all([server, ...extra].map((listening) => close(listening)));
    },
  };
}

function answer(request: IncomingMessage, response: ServerResponse, path: string, received: (parameters: URLSearchParams) => void): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== path || request.method !== 'GET') {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not the redirect Courier waits for.');
    return;
  }
  const query = url.searchParams;
  if (query.size === 0) {
    // No query: the answer may be in the fragment (Implicit). Send it back as a query.
    response.writeHead(200, pageHeaders).end(fragmentPage(path));
    return;
  }
  query.delete(fragmentMarker);
  const failed = query.get('error');
  const title = failed === null ? 'Courier received the authorization' : 'The authorization failed';
  const detail = failed === null ? 'You can close this tab and go back to your editor or terminal.' : `The provider answered ${failed}${query.get('error_description') === null ? '' : `: ${query.get('error_description') ?? ''}`}. Courier reports it where you sent the request.`;
  response.writeHead(200, pageHeaders).end(resultPage(title, detail));
  received(query);
}

const pageHeaders = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
};

function resultPage(title: string, detail: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;margin:4em auto;max-width:36em;line-height:1.5}</style></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
}

function fragmentPage(path: string): string {
  // The fragment never reaches a server; this page reads it and comes back with it as the query.
  const target = JSON.stringify(path);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Courier</title></head><body><p id="status">Finishing the authorization...</p><script>
const fragment = location.hash.slice(1);
if (fragment === '') document.getElementById('status').textContent = 'The provider sent no authorization here. Close this tab and try again.';
else location.replace(${target} + '?' + fragment + '&${fragmentMarker}=1');
</script></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

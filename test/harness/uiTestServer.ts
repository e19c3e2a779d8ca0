// The API the UI checks send to: a node:http server on 127.0.0.1 that answers a small JSON
// object and a generated 50 MB JSON document, streamed with back-pressure so the harness
// never holds it in memory. It records what it saw and when the large body was fully written.
import { once } from 'node:events';
import * as http from 'node:http';
import { listen } from '../unit/engine/localServer';

/** Path of the small JSON answer, and the answer itself. */
export const smallJsonPath = '/ui-check';
export const smallJsonBody = { courier: 'ui-check', items: [1, 2, 3] } as const;

/** Path of the large JSON document. */
export const largeJsonPath = '/large.json';
/** The large document is at least this many bytes (50 MiB). */
export const largeJsonMinimumBytes = 50 * 1024 * 1024;
/** The first key of the large document, so a check can tell its lines from the small one's. */
export const largeJsonMarker = 'ui-large';

export interface SeenUiRequest {
  readonly method: string;
  readonly path: string;
  readonly userAgent: string | undefined;
  /** `Date.now()` when the request's head arrived. */
  readonly receivedAt: number;
}

export interface LargeResponseWritten {
  readonly bytes: number;
  /** `Date.now()` when the last byte was handed to the socket. */
  readonly finishedAt: number;
}

export interface UiTestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  readonly seen: readonly SeenUiRequest[];
  /** Every large body written so far, in order. */
  readonly largeResponses: readonly LargeResponseWritten[];
  close(): Promise<void>;
}

/** One array item; the id varies so the document is not one repeated line. */
function largeItem(id: number): string {
  return JSON.stringify({ id, name: `item ${id}`, active: id % 3 !== 0, score: (id % 1000) / 10, tags: ['courier', `group-${id % 17}`], owner: { id: id % 251, email: `user${id % 251}@example.test` } });
}

/** Writes the large document (ASCII) in ~64 KB chunks, waiting for `drain` when the socket is full; resolves once the last byte is handed over. */
async function writeLargeJson(response: http.ServerResponse): Promise<LargeResponseWritten | undefined> {
  const chunkBytes = 64 * 1024;
  let written = 0;
  let nextId = 0;
  let chunk = `{"courier":"${largeJsonMarker}","items":[`;
  while (written + chunk.length < largeJsonMinimumBytes) {
    const item = largeItem(nextId);
    chunk += (nextId === 0 ? '' : ',') + item;
    nextId++;
    if (chunk.length >= chunkBytes) {
      written += chunk.length;
      const flushed = response.write(chunk);
      chunk = '';
      if (!flushed) await once(response, 'drain');
      if (response.destroyed) return undefined;
    }
  }
  chunk += ']}';
  written += chunk.length;
  const finished = once(response, 'finish');
  response.end(chunk);
  await finished;
  return { bytes: written, finishedAt: Date.now() };
}

export async function startUiTestServer(): Promise<UiTestServer> {
  const seen: SeenUiRequest[] = [];
  const largeResponses: LargeResponseWritten[] = [];
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    seen.push({ method: request.method ?? '', path, userAgent: request.headers['user-agent'], receivedAt: Date.now() });
    request.resume();
    const [pathname, query] = path.split('?');
    if (pathname === smallJsonPath) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      // `?request=name` is echoed, so a check can tell which of several requests a body answers.
      const request = new URLSearchParams(query ?? '').get('request');
      response.end(JSON.stringify(request === null ? smallJsonBody : { ...smallJsonBody, request }));
    } else if (path === largeJsonPath) {
      // Chunked: the size is only known once written, like a generated export.
      response.writeHead(200, { 'Content-Type': 'application/json' });
      void writeLargeJson(response).then(
        (written) => written !== undefined && largeResponses.push(written),
        () => response.destroy(),
      );
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end(`The UI test server has no ${path}; it answers ${smallJsonPath} and ${largeJsonPath}.`);
    }
  });
  const running = await listen(server);
  return {
    origin: running.url,
    seen,
    largeResponses,
    close: () => running.close(),
  };
}

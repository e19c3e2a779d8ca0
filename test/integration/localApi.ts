// A node:http server the integration tests start inside the extension host, on 127.0.0.1:
// it records every request it sees, sets and reads a cookie, and has an endpoint that never answers.
import * as http from 'node:http';
import { listen } from '../unit/engine/localServer';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface LocalApi {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

export async function startLocalApi(): Promise<LocalApi> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      seen.push({ method: request.method ?? '', path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (path.startsWith('/slow')) return; // never answers: the client must cancel
      if (path === '/login') response.setHeader('Set-Cookie', 'sid=s3cret-session; Path=/; HttpOnly');
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ path, cookie: request.headers.cookie ?? null }));
    });
  });
  const running = await listen(server);
  return {
    url: running.url,
    seen,
    close: () => running.close(),
  };
}

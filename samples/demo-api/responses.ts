// Endpoints that produce a chosen kind of response: a status, redirects, a
// delay, a large streamed body. They exercise a client's edge cases on demand.
import { STATUS_CODES } from 'node:http';
import { DemoError, type Route, integerParam, sendJson } from './exchange';

const mebibyte = 1024 * 1024;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Deterministic bytes (`0123456789abcdef...`), so a client can check what it saved. */
function downloadChunk(size: number): Buffer {
  const pattern = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_\n', 'latin1');
  const chunk = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += pattern.length) pattern.copy(chunk, offset);
  return chunk;
}

export function responseRoutes(): readonly Route[] {
  return [
    {
      methods: 'any',
      path: '/status/:code',
      handler: ({ params, response }) => {
        const code = Number(params.code);
        if (!Number.isInteger(code) || code < 200 || code > 599) throw new DemoError(400, `status must be an integer from 200 to 599, got "${params.code}"`);
        const headers: Record<string, string> = redirectStatuses.has(code) ? { Location: '/get' } : {};
        if (code === 401) headers['WWW-Authenticate'] = 'Basic realm="courier-demo"';
        if (code === 204 || code === 304) {
          response.writeHead(code, headers).end();
          return;
        }
        sendJson(response, code, { status: code, statusText: STATUS_CODES[code] ?? 'Unknown' }, headers);
      },
    },
    {
      methods: 'any',
      path: '/redirect/:n',
      handler: ({ params, response }) => {
        const remaining = Number(params.n);
        if (!Number.isInteger(remaining) || remaining < 1 || remaining > 50) throw new DemoError(400, `redirect count must be an integer from 1 to 50, got "${params.n}"`);
        const location = remaining === 1 ? '/get' : `/redirect/${remaining - 1}`;
        sendJson(response, 302, { redirectingTo: location, remaining: remaining - 1 }, { Location: location });
      },
    },
    {
      methods: 'any',
      path: '/slow',
      handler: ({ url, request, response }) => {
        const waitMs = integerParam(url, 'ms', 1000, 0, 60_000);
        return new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            sendJson(response, 200, { waitedMs: waitMs });
            resolve();
          }, waitMs);
          // A client that gives up (a timeout) must not leave the timer answering a closed socket.
          request.socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      },
    },
    {
      methods: ['GET', 'HEAD'],
      path: '/download',
      handler: ({ url, request, response }) => {
        const raw = url.searchParams.get('mb') ?? '1';
        const megabytes = Number(raw);
        if (raw === '' || !Number.isFinite(megabytes) || megabytes < 0 || megabytes > 4096) throw new DemoError(400, `mb must be a number from 0 to 4096, got "${raw}"`);
        const total = Math.round(megabytes * mebibyte);
        response.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': total,
          'Content-Disposition': `attachment; filename="download-${raw}mb.bin"`,
        });
        if (request.method === 'HEAD') {
          response.end();
          return;
        }
        // Streamed with backpressure: only one 64 KiB chunk is ever held, whatever the size.
        const chunk = downloadChunk(64 * 1024);
        let sent = 0;
        const pump = (): void => {
          while (sent < total) {
            const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
            sent += piece.length;
            if (!response.write(piece)) {
              response.once('drain', pump);
              return;
            }
          }
          response.end();
        };
        response.once('close', () => response.removeListener('drain', pump));
        pump();
      },
    },
  ];
}

// Streamed responses: Server-Sent Events that end, that never end, that answer a POST the way LLM
// APIs do, and that exercise the event-stream format's corners; and an NDJSON export. Each one
// stops writing when the client goes away (Stop, a timeout), so no timer outlives its socket.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DemoError, type Route, integerParam, isObject, readJson } from './exchange';

const eventStreamHeaders = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' } as const;

/** Calls `step` every `intervalMs` until it returns false or the client leaves; resolves then. */
function every(intervalMs: number, request: IncomingMessage, response: ServerResponse, step: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const tick = (): void => {
      if (response.destroyed || !step()) {
        stop();
        return;
      }
      timer = setTimeout(tick, intervalMs);
    };
    request.socket.once('close', stop);
    tick();
  });
}

/** The words of the chat endpoint's answer: a sentence about what was asked. */
function answerTokens(prompt: string): string[] {
  const subject = prompt.trim() === '' ? 'nothing in particular' : `"${prompt.trim().slice(0, 80)}"`;
  return `You asked about ${subject}. Streams arrive token by token, so a client can show each one as it comes.`.split(/(?<= )/);
}

/** The prompt of a chat body: `{ "prompt": "..." }`, or the last of OpenAI-style `messages`. */
function promptOf(body: unknown): string {
  if (!isObject(body)) throw new DemoError(400, 'expected a JSON object such as { "prompt": "Hello" } or { "messages": [{ "role": "user", "content": "Hello" }] }');
  if (typeof body.prompt === 'string') return body.prompt;
  const messages = body.messages;
  if (Array.isArray(messages)) {
    const last: unknown = messages[messages.length - 1];
    if (isObject(last) && typeof last.content === 'string') return last.content;
  }
  throw new DemoError(400, 'the body needs "prompt" (a string) or "messages" (an array of { role, content })');
}

/**
 * The event-stream format's corners, written in pieces a few milliseconds apart so they reach the
 * client in separate TCP reads: a BOM, a comment, multi-line data, ids (one kept by the next event),
 * named events, a `retry` field, CRLF and lone CR line ends, a line and a UTF-8 character split
 * across writes, and a last event without its blank line (which a client must not dispatch).
 */
const formatPieces: readonly (string | Buffer)[] = [
  '\uFEFF: the demo API speaks the event-stream format\n',
  'retry: 2500\n\n',
  'id: 1\nevent: greeting\ndata: first line\ndata: second line\n\n',
  'data: {"n":2,',
  '"text":"split across writes"}\n\n',
  'event: crlf\r\nid: 3\r\ndata: carriage returns and line feeds\r\n\r\n',
  'event: cr\rdata: lone carriage returns\r\r',
  'data: keeps id 3 (no id field)\n\n',
  'data: caf',
  Buffer.from([0xc3]),
  Buffer.concat([Buffer.from([0xa9]), Buffer.from(' and an empty data line follows\ndata\n\n')]),
  'id: 4\ndata:no space after the colon\n\n',
  'data: this last event has no blank line, so it is never dispatched\n',
];

export function streamRoutes(): readonly Route[] {
  return [
    {
      methods: ['GET'],
      path: '/sse/countdown',
      handler: ({ url, request, response }) => {
        const from = integerParam(url, 'from', 5, 0, 10_000);
        const intervalMs = integerParam(url, 'intervalMs', 200, 0, 60_000);
        response.writeHead(200, eventStreamHeaders);
        let remaining = from;
        return every(intervalMs, request, response, () => {
          if (remaining === 0) {
            response.end('event: done\ndata: liftoff\n\n');
            return false;
          }
          response.write(`id: ${remaining}\nevent: countdown\ndata: {"remaining":${remaining}}\n\n`);
          remaining -= 1;
          return true;
        });
      },
    },
    {
      methods: ['GET'],
      path: '/sse/ticks',
      handler: ({ url, request, response }) => {
        const intervalMs = integerParam(url, 'intervalMs', 500, 1, 60_000);
        response.writeHead(200, eventStreamHeaders);
        // A comment first: the headers and the stream's start reach the client before the first tick.
        response.write(': ticking until you stop\n\n');
        let tick = 0;
        return every(intervalMs, request, response, () => {
          tick += 1;
          response.write(`id: ${tick}\nevent: tick\ndata: {"tick":${tick},"at":"${new Date().toISOString()}"}\n\n`);
          return true;
        });
      },
    },
    {
      methods: ['POST'],
      path: '/sse/chat',
      handler: async ({ url, request, response }) => {
        const intervalMs = integerParam(url, 'intervalMs', 40, 0, 10_000);
        const tokens = answerTokens(promptOf(await readJson(request)));
        response.writeHead(200, eventStreamHeaders);
        let index = 0;
        await every(intervalMs, request, response, () => {
          if (index === tokens.length) {
            response.end('data: [DONE]\n\n');
            return false;
          }
          const chunk = { id: 'chat-demo', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: tokens[index] } }] };
          response.write(`data: ${JSON.stringify(chunk)}\n\n`);
          index += 1;
          return true;
        });
      },
    },
    {
      methods: ['GET'],
      path: '/sse/format',
      handler: ({ url, request, response }) => {
        const intervalMs = integerParam(url, 'intervalMs', 15, 0, 10_000);
        response.writeHead(200, eventStreamHeaders);
        let index = 0;
        return every(intervalMs, request, response, () => {
          if (index === formatPieces.length) {
            response.end();
            return false;
          }
          response.write(formatPieces[index]);
          index += 1;
          return true;
        });
      },
    },
    {
      methods: ['GET'],
      path: '/export.ndjson',
      handler: ({ url, request, response }) => {
        const count = integerParam(url, 'count', 10, 0, 10_000_000);
        const intervalMs = integerParam(url, 'intervalMs', 0, 0, 60_000);
        response.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache' });
        let line = 0;
        if (intervalMs > 0) {
          return every(intervalMs, request, response, () => {
            if (line === count) {
              response.end();
              return false;
            }
            line += 1;
            response.write(`${JSON.stringify({ line, sku: `SKU-${String(line).padStart(6, '0')}`, inStock: line % 3 !== 0 })}\n`);
            return true;
          });
        }
        // As fast as the client reads: written with backpressure, a batch of lines at a time.
        return new Promise<void>((resolve) => {
          const pump = (): void => {
            while (line < count) {
              let batch = '';
              for (let end = Math.min(count, line + 500); line < end; ) {
                line += 1;
                batch += `${JSON.stringify({ line, sku: `SKU-${String(line).padStart(6, '0')}`, inStock: line % 3 !== 0 })}\n`;
              }
              if (!response.write(batch)) {
                response.once('drain', pump);
                return;
              }
            }
            response.end();
            resolve();
          };
          response.once('close', () => {
            response.removeListener('drain', pump);
            resolve();
          });
          pump();
        });
      },
    },
  ];
}

// Endpoints that answer with what they received: `/get`, `/post`, `/anything`,
// `/gzip` and `/cookies`, so a client can see exactly what it sent.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import { type Route, type RouteContext, parseCookies, queryObject, readBody, sendJson } from './exchange';

/** Header names and values as received (repeated headers joined as Node does). */
function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index];
    const value = request.rawHeaders[index + 1];
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

function requestSummary({ request, url }: RouteContext): Record<string, unknown> {
  return {
    method: request.method,
    url: url.href,
    path: url.pathname,
    query: queryObject(url),
    headers: headersOf(request),
    cookies: parseCookies(request.headers.cookie),
  };
}

/** The body as text when it is valid UTF-8, parsed JSON when it parses, and always its size and hash. */
function bodySummary(body: Buffer): Record<string, unknown> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  const isText = Buffer.from(text, 'utf8').equals(body);
  let json: unknown = null;
  if (isText && text.trim() !== '') {
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = null;
    }
  }
  return {
    body: isText ? text : undefined,
    bodyBase64: isText ? undefined : body.toString('base64'),
    json,
    bodySize: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

async function echoWithBody(context: RouteContext): Promise<void> {
  const body = await readBody(context.request);
  sendJson(context.response, 200, { ...requestSummary(context), ...bodySummary(body) });
}

export function echoRoutes(): readonly Route[] {
  return [
    { methods: 'any', path: '/get', handler: (context) => sendJson(context.response, 200, requestSummary(context)) },
    { methods: ['POST'], path: '/post', handler: echoWithBody },
    { methods: 'any', path: '/anything', handler: echoWithBody },
    { methods: 'any', path: '/anything/*', handler: echoWithBody },
    {
      methods: ['GET', 'HEAD'],
      path: '/gzip',
      handler: (context) => {
        const body = gzipSync(JSON.stringify({ gzipped: true, ...requestSummary(context) }, null, 2));
        context.response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Encoding': 'gzip', 'Content-Length': body.length });
        context.response.end(body);
      },
    },
    {
      methods: ['GET', 'HEAD'],
      path: '/cookies',
      handler: ({ request, response }) => sendJson(response, 200, { cookies: parseCookies(request.headers.cookie) }),
    },
    {
      methods: ['GET'],
      path: '/cookies/set',
      handler: ({ url, response }) => {
        const set = Object.fromEntries(url.searchParams);
        const cookies = Object.entries(set).map(([name, value]) => `${name}=${encodeURIComponent(value)}; Path=/`);
        sendJson(response, 200, { set }, { 'Set-Cookie': cookies });
      },
    },
    {
      methods: ['GET'],
      path: '/cookies/delete',
      handler: ({ url, response }) => {
        const names = [...new Set(url.searchParams.keys())];
        sendJson(response, 200, { deleted: names }, { 'Set-Cookie': names.map((name) => `${name}=; Path=/; Max-Age=0`) });
      },
    },
  ];
}

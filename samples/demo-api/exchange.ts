// The plumbing every demo endpoint shares: routes, JSON replies, bounded body
// reading, and errors that become clear 4xx JSON answers instead of crashes.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler receives for one request. */
export interface RouteContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** Values of `:name` segments in the route's path. */
  readonly params: Readonly<Record<string, string>>;
}

export type RouteHandler = (context: RouteContext) => Promise<void> | void;

export interface Route {
  /** Upper-case methods, or `any`. */
  readonly methods: readonly string[] | 'any';
  /** `/items/:id`; a trailing `/*` also matches any deeper path. */
  readonly path: string;
  readonly handler: RouteHandler;
}

/** A failure the client caused: answered as `{ error, details? }` with `status`. */
export class DemoError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: readonly string[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Bodies above this are refused with 413, so a runaway client cannot exhaust memory. */
export const maxBodyBytes = 32 * 1024 * 1024;

export function sendJson(response: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string | readonly string[]>> = {}): void {
  const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  response.end(body);
}

/** Reads the whole request body, refusing more than `limit` bytes. */
export async function readBody(request: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new DemoError(413, `request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads the body as JSON; an empty or malformed body is a 400 that says what was wrong. */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  const text = (await readBody(request)).toString('utf8');
  if (text.trim() === '') throw new DemoError(400, 'expected a JSON body, got an empty one');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DemoError(400, `body is not valid JSON: ${(error as Error).message}`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a=1; b=2` -> `{ a: '1', b: '2' }`. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of (header ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    cookies[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim();
  }
  return cookies;
}

/** Query parameters, repeated ones as arrays, as httpbin-style echoes show them. */
export function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}

/** An integer query parameter within `[min, max]`, or `fallback` when absent. */
export function integerParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DemoError(400, `query parameter ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** Matches `pathname` against a route path, returning its parameters or undefined. */
export function matchPath(routePath: string, pathname: string): Record<string, string> | undefined {
  const wildcard = routePath.endsWith('/*');
  const routeSegments = (wildcard ? routePath.slice(0, -2) : routePath).split('/').filter(Boolean);
  const segments = pathname.split('/').filter(Boolean);
  if (wildcard ? segments.length < routeSegments.length : segments.length !== routeSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, routeSegment] of routeSegments.entries()) {
    const segment = segments[index];
    if (routeSegment.startsWith(':')) {
      try {
        params[routeSegment.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (routeSegment !== segment) {
      return undefined;
    }
  }
  return params;
}

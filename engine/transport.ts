// Transports put one hop (one request/response round trip) on the wire. The session picks one by
// the URL's scheme and the HTTP version the request line asks for; the exchange policy above it
// (redirects, auth challenges, retries, cookies per hop) is the same whatever the transport.
//
// A new protocol is a new `Transport`, a line in `transportKindFor` and its scheme in
// `language/data/urlSchemes.ts`, the one table of what Courier can send (diagnostics read it too).

import { opensWebSocket, schemeMethodProblem, sendableScheme, sendableSchemesText } from '../language/data/urlSchemes';
import type { BodyChunk, ExchangeObserver, PreparedRequest, ResponseSummary } from './model';
import type { Readable } from 'node:stream';
import type { TimingRecorder } from './timings';

export type HeaderList = readonly (readonly [name: string, value: string])[];

/** Values of a header, case-insensitively, in order. */
export function headerValues(headers: HeaderList, lowerName: string): string[] {
  return headers.filter(([name]) => name.toLowerCase() === lowerName).map(([, value]) => value);
}

/** One request/response round trip: where, how, and what the request carries before header rules apply. */
export interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly headers: HeaderList;
  readonly body: readonly BodyChunk[] | undefined;
}

/** A request body as undici takes it: bytes in memory, or a stream for files and chunked encoding. */
export type OutgoingBody = Uint8Array | Readable;

/** A hop as it goes on the wire: headers exactly as sent (cookies, Content-Length, User-Agent added). */
export interface OutgoingHop {
  readonly hop: Hop;
  readonly headers: HeaderList;
  readonly body: OutgoingBody | undefined;
}

/** What a transport hands back for one hop. */
export type HopResponse = ResponseSummary & {
  /** Warnings from opening the connection (e.g. verification skipped). */
  readonly connectionWarnings: readonly string[];
};

/** What one round trip may use besides the hop itself. */
export interface HopContext {
  readonly request: PreparedRequest;
  readonly timings: TimingRecorder;
  /** Aborts the round trip (the caller's cancel or the exchange's timeout). */
  readonly signal: AbortSignal | undefined;
  /** Called as soon as the response headers arrive, before the body: cookies are stored then. */
  readonly onHeaders: (headers: HeaderList) => void;
  readonly observer: ExchangeObserver | undefined;
}

/** Puts hops on the wire for one kind of connection. */
export interface Transport {
  roundTrip(outgoing: OutgoingHop, context: HopContext): Promise<HopResponse>;
  /** Stops connections still being opened: closing waits for nothing that may never finish. */
  abortPending(): void;
  close(): Promise<void>;
}

/**
 * The kinds of transport a session has; `h2c` is cleartext HTTP/2 with prior knowledge,
 * `websocket` and `graphql-ws` open WebSockets (a conversation, a GraphQL subscription).
 */
export type TransportKind = 'http1' | 'h2' | 'h2c' | 'websocket' | 'graphql-ws';

/**
 * Why `written` cannot be sent by a request with `method`, or undefined when it can: the one scheme
 * rule, used by preparation, the session and redirects alike, over the table diagnostics read too
 * (`language/data/urlSchemes.ts`): http and https for HTTP methods, ws and wss for the methods that
 * open a WebSocket and for GraphQL. `url` is undefined when `written` did not parse as a URL.
 */
export function unsendableUrlProblem(written: string, url: URL | undefined, method = 'GET'): string | undefined {
  if (url === undefined) return `"${written}" is not an absolute http:// or https:// URL`;
  const scheme = sendableScheme(url.protocol);
  if (scheme === undefined) return `"${written}" uses ${url.protocol}, which Courier cannot send: it sends ${sendableSchemesText()} URLs, and ws: and wss: for WebSocket and GraphQL subscriptions`;
  const problem = schemeMethodProblem(scheme, method);
  return problem === undefined ? undefined : `"${written}": ${problem}`;
}

/** What the request line's version asks for: `HTTP/2`, `HTTP/2 (Prior Knowledge)`, or nothing in particular. */
export type RequestedVersion = PreparedRequest['httpVersion'];

/**
 * The transport for a hop to `url` of a request with `method` asking for `version`, with a warning
 * when it cannot be honoured as written. ws: and wss: open a WebSocket: GraphQL's a subscription.
 */
export function transportKindFor(url: URL, version: RequestedVersion, method = 'GET'): { readonly kind: TransportKind; readonly warning?: string } {
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return { kind: method.toUpperCase() === 'GRAPHQL' ? 'graphql-ws' : 'websocket' };
  if (opensWebSocket(method)) return { kind: 'websocket' };
  if (version === '2') {
    if (url.protocol === 'https:') return { kind: 'h2' };
    return {
      kind: 'http1',
      warning:
        `HTTP/2 over cleartext (${url.host}) starts with an Upgrade that Courier does not send; this request went over HTTP/1.1. ` +
        'Write "HTTP/2 (Prior Knowledge)" to speak HTTP/2 to a server known to accept it without TLS',
    };
  }
  if (version === '2-prior-knowledge') return { kind: url.protocol === 'https:' ? 'h2' : 'h2c' };
  return { kind: 'http1' };
}

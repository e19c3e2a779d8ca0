// The URL schemes Courier can send a request to, and which requests may go to each. Diagnostics
// report any other scheme (or a request that cannot go to the scheme written) where it is written,
// and the engine refuses it with the same words: this table is the one rule for both.

export interface UrlScheme {
  /** Lower case, without the colon: `https`. */
  readonly name: string;
  /** The port a URL without one goes to. */
  readonly defaultPort: number;
  /** Whether the connection is TLS. */
  readonly secure: boolean;
  /**
   * What goes to it: `http` for every HTTP method; `websocket` for the methods that open a
   * WebSocket (`WEBSOCKET_METHODS`) and GraphQL requests, which become subscriptions over it.
   */
  readonly opens: 'http' | 'websocket';
}

/** Every scheme Courier sends, in the order messages list them. */
export const SENDABLE_SCHEMES: readonly UrlScheme[] = [
  { name: 'http', defaultPort: 80, secure: false, opens: 'http' },
  { name: 'https', defaultPort: 443, secure: true, opens: 'http' },
  { name: 'ws', defaultPort: 80, secure: false, opens: 'websocket' },
  { name: 'wss', defaultPort: 443, secure: true, opens: 'websocket' },
];

/** Request-line methods that open a WebSocket: JetBrains' `WEBSOCKET` and httpYac's `WS`. */
export const WEBSOCKET_METHODS: readonly string[] = ['WEBSOCKET', 'WS'];

/** Whether `method` (any case) opens a WebSocket. */
export function opensWebSocket(method: string): boolean {
  return WEBSOCKET_METHODS.includes(method.toUpperCase());
}

/** Whether `method` (any case) is Courier's GraphQL shorthand, which may also open a subscription over a WebSocket. */
function isGraphqlMethod(method: string): boolean {
  return method.toUpperCase() === 'GRAPHQL';
}

/**
 * The scheme named `protocol` (`https:` as `URL.protocol` gives it, or `https`), any case, when a
 * request with `method` can be sent to it; undefined otherwise. Without a method, the question is
 * whether Courier sends to the scheme at all.
 */
export function sendableScheme(protocol: string, method?: string): UrlScheme | undefined {
  const name = (protocol.endsWith(':') ? protocol.slice(0, -1) : protocol).toLowerCase();
  const scheme = SENDABLE_SCHEMES.find((candidate) => candidate.name === name);
  if (scheme === undefined || method === undefined) return scheme;
  return schemeMethodProblem(scheme, method) === undefined ? scheme : undefined;
}

/** `http and https`: the schemes a plain HTTP request can go to, for messages. */
export function sendableSchemesText(): string {
  const names = SENDABLE_SCHEMES.filter((scheme) => scheme.opens === 'http').map((scheme) => scheme.name);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Why a request with `method` cannot go to `scheme`, or undefined when it can: `GET ws://` must be
 * written WEBSOCKET. The methods that open a WebSocket and GraphQL go to both kinds: an http(s) URL
 * is sent as ws(s), as `{{baseUrl}}/socket` is often written.
 */
export function schemeMethodProblem(scheme: UrlScheme, method: string): string | undefined {
  if (scheme.opens === 'http' || isGraphqlMethod(method) || opensWebSocket(method)) return undefined;
  return `${scheme.name}: URLs open a WebSocket: write WEBSOCKET (or WS) instead of ${method}, or GRAPHQL for a subscription`;
}

/** What to say about a URL whose scheme is `protocol` (`ftp:`) when a request with `method` (GET when not given) cannot go to it. */
export function unsupportedSchemeMessage(protocol: string, method = 'GET'): string {
  const name = (protocol.endsWith(':') ? protocol.slice(0, -1) : protocol).toLowerCase();
  const scheme = SENDABLE_SCHEMES.find((candidate) => candidate.name === name);
  const problem = scheme === undefined ? undefined : schemeMethodProblem(scheme, method);
  if (problem !== undefined) return `${problem}.`;
  return `Courier cannot send ${name}: requests; it sends ${sendableSchemesText()} URLs, and ws and wss URLs for WebSocket and GraphQL subscriptions.`;
}

// The request methods Courier knows: the HTTP core, WebDAV and CalDAV extensions,
// and the pseudo-methods other `.http` clients accept. Completion offers them,
// hover explains them and diagnostics suggest the closest one for a typo.

import { closestName } from './spelling';

export interface MethodInfo {
  readonly name: string;
  /** One line, shown in completion details and hovers. */
  readonly description: string;
  /** Where the method is defined. */
  readonly spec: string;
  /** Whether requests with this method usually carry a body. */
  readonly expectsBody: boolean;
}

const RFC9110 = 'https://www.rfc-editor.org/rfc/rfc9110#name-method-definitions';
const WEBDAV = 'https://www.rfc-editor.org/rfc/rfc4918';

/** Every known method, the common ones first (completion keeps this order). */
export const KNOWN_METHODS: readonly MethodInfo[] = [
  { name: 'GET', description: 'Transfer a current representation of the target resource.', spec: `${RFC9110}`, expectsBody: false },
  { name: 'POST', description: 'Perform resource-specific processing on the request content.', spec: RFC9110, expectsBody: true },
  { name: 'PUT', description: 'Replace all current representations of the target resource with the request content.', spec: RFC9110, expectsBody: true },
  { name: 'PATCH', description: 'Apply partial modifications described by the request content to the target resource.', spec: 'https://www.rfc-editor.org/rfc/rfc5789', expectsBody: true },
  { name: 'DELETE', description: 'Remove all current representations of the target resource.', spec: RFC9110, expectsBody: false },
  { name: 'HEAD', description: 'Same as GET, but the server sends only the status line and header section.', spec: RFC9110, expectsBody: false },
  { name: 'OPTIONS', description: 'Describe the communication options for the target resource.', spec: RFC9110, expectsBody: false },
  { name: 'CONNECT', description: 'Establish a tunnel to the server identified by the target resource.', spec: RFC9110, expectsBody: false },
  { name: 'TRACE', description: 'Perform a message loop-back test along the path to the target resource.', spec: RFC9110, expectsBody: false },
  { name: 'QUERY', description: 'Safe, idempotent query whose parameters are sent in the request content.', spec: 'https://datatracker.ietf.org/doc/draft-ietf-httpbis-safe-method-w-body/', expectsBody: true },
  { name: 'GRAPHQL', description: 'Courier shorthand: POST the body as a GraphQL query (query, then optional JSON variables).', spec: 'https://graphql.org/learn/serving-over-http/', expectsBody: true },
  { name: 'WEBSOCKET', description: 'Open a WebSocket to a ws:// or wss:// URL; the body holds the messages to send, separated by === lines (as in JetBrains HTTP Client).', spec: 'https://www.rfc-editor.org/rfc/rfc6455', expectsBody: false },
  { name: 'WS', description: "httpYac's spelling of WEBSOCKET: open a WebSocket to a ws:// or wss:// URL and send the body's messages.", spec: 'https://www.rfc-editor.org/rfc/rfc6455', expectsBody: false },
  { name: 'SSE', description: "httpYac's Server-Sent Events request: GET the URL and show each event as it arrives.", spec: 'https://html.spec.whatwg.org/multipage/server-sent-events.html', expectsBody: false },
  { name: 'GRPC', description: 'Call a gRPC method, `GRPC host:port/package.Service/Method`, with a JSON body (as in JetBrains HTTP Client and httpYac).', spec: 'https://grpc.io/docs/what-is-grpc/core-concepts/', expectsBody: true },
  { name: 'PROPFIND', description: 'WebDAV: retrieve properties of the resource (and its members, per Depth).', spec: WEBDAV, expectsBody: true },
  { name: 'PROPPATCH', description: 'WebDAV: set and remove properties of the resource.', spec: WEBDAV, expectsBody: true },
  { name: 'MKCOL', description: 'WebDAV: create a new collection at the target.', spec: WEBDAV, expectsBody: false },
  { name: 'COPY', description: 'WebDAV: copy the resource to the Destination header URI.', spec: WEBDAV, expectsBody: false },
  { name: 'MOVE', description: 'WebDAV: move the resource to the Destination header URI.', spec: WEBDAV, expectsBody: false },
  { name: 'LOCK', description: 'WebDAV: take out a lock on the resource.', spec: WEBDAV, expectsBody: true },
  { name: 'UNLOCK', description: 'WebDAV: remove the lock identified by the Lock-Token header.', spec: WEBDAV, expectsBody: false },
  { name: 'SEARCH', description: 'WebDAV: run a server-side search described by the request content.', spec: 'https://www.rfc-editor.org/rfc/rfc5323', expectsBody: true },
  { name: 'REPORT', description: 'WebDAV versioning: obtain a report on the resource.', spec: 'https://www.rfc-editor.org/rfc/rfc3253', expectsBody: true },
  { name: 'MKCALENDAR', description: 'CalDAV: create a new calendar collection.', spec: 'https://www.rfc-editor.org/rfc/rfc4791', expectsBody: true },
  { name: 'MKACTIVITY', description: 'WebDAV versioning: create a new activity resource.', spec: 'https://www.rfc-editor.org/rfc/rfc3253', expectsBody: true },
  { name: 'CHECKOUT', description: 'WebDAV versioning: allow modifications to a checked-in resource.', spec: 'https://www.rfc-editor.org/rfc/rfc3253', expectsBody: true },
  { name: 'CHECKIN', description: 'WebDAV versioning: create a new version from a checked-out resource.', spec: 'https://www.rfc-editor.org/rfc/rfc3253', expectsBody: true },
  { name: 'MERGE', description: 'WebDAV versioning: merge a source version into the target.', spec: 'https://www.rfc-editor.org/rfc/rfc3253', expectsBody: true },
  { name: 'BIND', description: 'WebDAV: add a new binding to a resource.', spec: 'https://www.rfc-editor.org/rfc/rfc5842', expectsBody: true },
  { name: 'UNBIND', description: 'WebDAV: remove a binding to a resource.', spec: 'https://www.rfc-editor.org/rfc/rfc5842', expectsBody: true },
  { name: 'REBIND', description: 'WebDAV: move a binding to another collection.', spec: 'https://www.rfc-editor.org/rfc/rfc5842', expectsBody: true },
  { name: 'ACL', description: 'WebDAV: modify the access control list of the resource.', spec: 'https://www.rfc-editor.org/rfc/rfc3744', expectsBody: true },
  { name: 'PURGE', description: 'Cache extension (Varnish, Squid, CDNs): evict the target from the cache.', spec: 'https://varnish-cache.org/docs/trunk/users-guide/purging.html', expectsBody: false },
];

const byName = new Map(KNOWN_METHODS.map((method) => [method.name, method]));
const methodNames = KNOWN_METHODS.map((method) => method.name);

/** The method named exactly `name` (methods are case-sensitive on the wire). */
export function lookupMethod(name: string): MethodInfo | undefined {
  return byName.get(name);
}

/** Whether `name` is a known method, exactly as written. */
export function isKnownMethod(name: string): boolean {
  return byName.has(name);
}

/**
 * The known method closest to `word`, for "did you mean" fixes: a different-case
 * spelling wins, then the smallest edit distance (transpositions count once) if
 * it is small for the word's length. Undefined when nothing is close enough.
 */
export function suggestMethod(word: string): string | undefined {
  return closestName(word, methodNames, (name) => name.toUpperCase());
}

// HTTP header fields Courier knows, from the IANA HTTP Field Name Registry and the
// de-facto `X-` fields people type into `.http` files. Completion offers the request
// fields, hover explains any of them, and diagnostics flag a repeated single-valued one.

export interface HeaderInfo {
  /** Canonical spelling. Field names are case-insensitive; see `lookupHeader`. */
  readonly name: string;
  /** One or two sentences, plain text (rendered as markdown). */
  readonly description: string;
  /** The defining specification. */
  readonly spec: string;
  /**
   * True when the field may appear only once and its value is not a comma-separated
   * list, so a second line is an error rather than a continuation (RFC 9110 §5.3).
   */
  readonly singleValued: boolean;
  /** Who sends it: completion of request headers skips `response`-only fields. */
  readonly usage: 'request' | 'response' | 'both';
}

const RFC9110 = 'https://www.rfc-editor.org/rfc/rfc9110';
const RFC9111 = 'https://www.rfc-editor.org/rfc/rfc9111';
const FETCH = 'https://fetch.spec.whatwg.org/';
const MDN = 'https://developer.mozilla.org/docs/Web/HTTP/Reference/Headers/';

function field(name: string, description: string, spec: string, singleValued: boolean, usage: HeaderInfo['usage'] = 'request'): HeaderInfo {
  return { name, description, spec, singleValued, usage };
}

/** Every known field, request fields first, in the order completion offers them. */
export const KNOWN_HEADERS: readonly HeaderInfo[] = [
  field('Accept', 'Media types the client can handle in the response, with optional `q` weights.', `${RFC9110}#name-accept`, false),
  field('Accept-Charset', 'Character encodings the client accepts (obsolete in browsers, still honoured by some servers).', `${RFC9110}#name-accept-charset`, false),
  field('Accept-Encoding', 'Content codings the client can decode, e.g. `gzip, deflate, br, zstd`. Courier decompresses the response for display.', `${RFC9110}#name-accept-encoding`, false),
  field('Accept-Language', 'Natural languages the client prefers, e.g. `en-US, en;q=0.8`.', `${RFC9110}#name-accept-language`, false),
  field('Accept-Datetime', 'Ask a Memento server for the resource as it was at the given HTTP date.', 'https://www.rfc-editor.org/rfc/rfc7089', true),
  field('Access-Control-Request-Headers', 'CORS preflight: the header names the actual request will send.', `${FETCH}#http-access-control-request-headers`, false),
  field('Access-Control-Request-Method', 'CORS preflight: the method the actual request will use.', `${FETCH}#http-access-control-request-method`, true),
  field('Authorization', 'Credentials for the target resource, e.g. `Basic user:pass` (Courier encodes it), `Bearer <token>`, or `AWS <accessKeyId> <secretKey>` (Courier signs with AWS Signature Version 4).', `${RFC9110}#name-authorization`, true),
  field('Cache-Control', 'Caching directives for caches along the path, e.g. `no-cache`, `max-age=0`.', `${RFC9111}#name-cache-control`, false),
  field('Connection', 'Hop-by-hop options, e.g. `keep-alive` or `close`. Ignored over HTTP/2.', `${RFC9110}#name-connection`, false),
  field('Content-Disposition', 'In a multipart part: the form field name and optional file name.', 'https://www.rfc-editor.org/rfc/rfc6266', true, 'both'),
  field('Content-Encoding', 'Codings applied to the request content, e.g. `gzip`.', `${RFC9110}#name-content-encoding`, false, 'both'),
  field('Content-Language', 'Natural language of the intended audience of the content.', `${RFC9110}#name-content-language`, false, 'both'),
  field('Content-Length', 'Size of the content in bytes. Courier computes it from the body; writing it by hand risks a mismatch.', `${RFC9110}#name-content-length`, true, 'both'),
  field('Content-Location', 'A URI for the representation enclosed in the message.', `${RFC9110}#name-content-location`, true, 'both'),
  field('Content-MD5', 'Base64 MD5 digest of the content (obsolete; prefer Content-Digest).', 'https://www.rfc-editor.org/rfc/rfc1864', true, 'both'),
  field('Content-Digest', 'Digest of the content, e.g. `sha-256=:...:`.', 'https://www.rfc-editor.org/rfc/rfc9530', false, 'both'),
  field('Content-Range', 'Where a partial body belongs in the full representation.', `${RFC9110}#name-content-range`, true, 'both'),
  field('Content-Type', 'Media type of the content, e.g. `application/json` or `multipart/form-data; boundary=...`.', `${RFC9110}#name-content-type`, true, 'both'),
  field('Cookie', 'Cookies for the target. Courier adds the cookie jar\'s cookies; a hand-written Cookie header is sent as well.', 'https://www.rfc-editor.org/rfc/rfc6265#section-5.4', false),
  field('Date', 'When the message was originated, as an HTTP date.', `${RFC9110}#name-date`, true, 'both'),
  field('Depth', 'WebDAV: how far a PROPFIND, COPY or LOCK applies: `0`, `1` or `infinity`.', 'https://www.rfc-editor.org/rfc/rfc4918#section-10.2', true),
  field('Destination', 'WebDAV: the target URI of a COPY or MOVE.', 'https://www.rfc-editor.org/rfc/rfc4918#section-10.3', true),
  field('DNT', 'Do Not Track preference: `1` to opt out of tracking (deprecated).', 'https://www.w3.org/TR/tracking-dnt/', true),
  field('Early-Data', 'Set to `1` by an intermediary that forwarded the request in TLS early data.', 'https://www.rfc-editor.org/rfc/rfc8470', true),
  field('Expect', 'Expectations the server must meet, in practice only `100-continue`.', `${RFC9110}#name-expect`, false),
  field('Forwarded', 'Client-side information lost at proxies: `for=`, `proto=`, `host=`.', 'https://www.rfc-editor.org/rfc/rfc7239', false),
  field('From', 'Email address of the human controlling the user agent.', `${RFC9110}#name-from`, true),
  field('Host', 'Host and port of the target. Courier takes it from the URL; write it for origin-form targets (`GET /path`).', `${RFC9110}#name-host`, true),
  field('If', 'WebDAV: state tokens and ETags the request is conditional on.', 'https://www.rfc-editor.org/rfc/rfc4918#section-10.4', true),
  field('If-Match', 'Only perform the request if the resource\'s ETag matches one listed (optimistic locking).', `${RFC9110}#name-if-match`, false),
  field('If-Modified-Since', 'Only send the representation if it changed after this HTTP date; else 304.', `${RFC9110}#name-if-modified-since`, true),
  field('If-None-Match', 'Only perform the request if no listed ETag matches; with GET, a match gives 304.', `${RFC9110}#name-if-none-match`, false),
  field('If-Range', 'Send the requested range only if the representation is unchanged (ETag or date), else all of it.', `${RFC9110}#name-if-range`, true),
  field('If-Unmodified-Since', 'Only perform the request if the resource has not changed since this HTTP date.', `${RFC9110}#name-if-unmodified-since`, true),
  field('Idempotency-Key', 'A unique key that lets the server recognise a retried non-idempotent request.', 'https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/', true),
  field('Lock-Token', 'WebDAV: the lock to remove with UNLOCK.', 'https://www.rfc-editor.org/rfc/rfc4918#section-10.5', true),
  field('Max-Forwards', 'Limit on how many proxies may forward a TRACE or OPTIONS request.', `${RFC9110}#name-max-forwards`, true),
  field('Origin', 'The origin that caused the request; servers use it for CORS and CSRF checks.', 'https://www.rfc-editor.org/rfc/rfc6454#section-7', true),
  field('Overwrite', 'WebDAV: whether COPY or MOVE may replace an existing destination: `T` or `F`.', 'https://www.rfc-editor.org/rfc/rfc4918#section-10.6', true),
  field('Pragma', 'HTTP/1.0 caching directive; `no-cache` for old caches.', `${RFC9111}#name-pragma`, false),
  field('Prefer', 'Preferences the server may honour, e.g. `return=minimal`, `respond-async`, `wait=10`.', 'https://www.rfc-editor.org/rfc/rfc7240', false),
  field('Priority', 'Urgency and incremental delivery hints, e.g. `u=1, i`.', 'https://www.rfc-editor.org/rfc/rfc9218', false),
  field('Proxy-Authorization', 'Credentials for the proxy, same syntax as Authorization.', `${RFC9110}#name-proxy-authorization`, true),
  field('Range', 'Request part of the representation, e.g. `bytes=0-1023`.', `${RFC9110}#name-range`, true),
  field('Referer', 'The URI of the resource from which the target was obtained (sic, misspelt in the spec).', `${RFC9110}#name-referer`, true),
  field('Sec-Fetch-Dest', 'Fetch metadata: the request\'s destination, e.g. `document`, `empty`.', 'https://www.w3.org/TR/fetch-metadata/', true),
  field('Sec-Fetch-Mode', 'Fetch metadata: the request\'s mode, e.g. `cors`, `navigate`.', 'https://www.w3.org/TR/fetch-metadata/', true),
  field('Sec-Fetch-Site', 'Fetch metadata: relation of the initiator to the target: `same-origin`, `cross-site`, ...', 'https://www.w3.org/TR/fetch-metadata/', true),
  field('Sec-WebSocket-Key', 'WebSocket handshake nonce (base64 of 16 random bytes).', 'https://www.rfc-editor.org/rfc/rfc6455#section-11.3.1', true),
  field('Sec-WebSocket-Protocol', 'WebSocket subprotocols the client supports, in preference order.', 'https://www.rfc-editor.org/rfc/rfc6455#section-11.3.4', false),
  field('Sec-WebSocket-Version', 'WebSocket protocol version; `13`.', 'https://www.rfc-editor.org/rfc/rfc6455#section-11.3.5', true),
  field('TE', 'Transfer codings the client accepts; over HTTP/2 only `trailers` is allowed.', `${RFC9110}#name-te`, false),
  field('Timeout', 'WebDAV: the lock duration requested, e.g. `Second-3600`.', 'https://www.rfc-editor.org/rfc/rfc4918#section-10.7', false),
  field('Traceparent', 'W3C Trace Context: the trace and parent span this request belongs to.', 'https://www.w3.org/TR/trace-context/#traceparent-header', true),
  field('Tracestate', 'W3C Trace Context: vendor-specific trace data.', 'https://www.w3.org/TR/trace-context/#tracestate-header', false),
  field('Trailer', 'Field names that will be sent in the trailer section after chunked content.', `${RFC9110}#name-trailer`, false, 'both'),
  field('Transfer-Encoding', 'Transfer codings applied to the message, e.g. `chunked`. Courier manages it; HTTP/2 forbids it.', 'https://www.rfc-editor.org/rfc/rfc9112#name-transfer-encoding', false, 'both'),
  field('Upgrade', 'Ask to switch protocols on this connection, e.g. `websocket`.', `${RFC9110}#name-upgrade`, false),
  field('Upgrade-Insecure-Requests', 'Signals that the client prefers an encrypted response: `1`.', 'https://www.w3.org/TR/upgrade-insecure-requests/', true),
  field('User-Agent', 'Identifies the client software. Courier sends its own unless you write one.', `${RFC9110}#name-user-agent`, true),
  field('Via', 'Intermediate protocols and recipients the message passed through.', `${RFC9110}#name-via`, false, 'both'),
  field('X-API-Key', 'A common (non-standard) header carrying an API key.', `${MDN}`, true),
  field('X-Correlation-ID', 'A common (non-standard) identifier that ties log lines of one transaction together.', `${MDN}`, true),
  field('X-CSRF-Token', 'A common (non-standard) anti-CSRF token echoed from a cookie or page.', 'https://owasp.org/www-community/attacks/csrf', true),
  field('X-Forwarded-For', 'De-facto: the originating client address as seen by proxies (standardised as Forwarded).', `${MDN}X-Forwarded-For`, false),
  field('X-Forwarded-Host', 'De-facto: the Host the client originally asked for.', `${MDN}X-Forwarded-Host`, true),
  field('X-Forwarded-Proto', 'De-facto: the scheme (`http` or `https`) the client used.', `${MDN}X-Forwarded-Proto`, true),
  field('X-HTTP-Method-Override', 'De-facto: tunnel a method such as PATCH or DELETE through POST.', 'https://learn.microsoft.com/openspecs/windows_protocols/ms-odata/bdbabfa6-8c4a-4741-85a9-8d93ffd66c41', true),
  field('X-Real-IP', 'De-facto: the client address set by a reverse proxy.', `${MDN}`, true),
  field('X-Request-ID', 'A common (non-standard) unique identifier for the request, echoed in logs.', `${MDN}`, true),
  field('X-Request-Type', 'Courier, REST Client: `GraphQL` sends the body as a GraphQL query with optional variables.', 'https://github.com/Huachao/vscode-restclient#graphql', true),
  field('X-Requested-With', 'De-facto: `XMLHttpRequest` marks an AJAX request; some frameworks depend on it.', `${MDN}`, true),
  // Response fields: hover explains them and `{{name.response.headers.|}}` completes them.
  field('Access-Control-Allow-Origin', 'CORS: the origin allowed to read the response, or `*`.', `${FETCH}#http-access-control-allow-origin`, true, 'response'),
  field('Age', 'Seconds the response has been in a cache.', `${RFC9111}#name-age`, true, 'response'),
  field('Allow', 'Methods the target resource supports.', `${RFC9110}#name-allow`, false, 'response'),
  field('ETag', 'Opaque validator of the representation, for If-None-Match and If-Match.', `${RFC9110}#name-etag`, true, 'response'),
  field('Expires', 'HTTP date after which the response is stale.', `${RFC9111}#name-expires`, true, 'response'),
  field('Last-Modified', 'When the origin believes the representation last changed.', `${RFC9110}#name-last-modified`, true, 'response'),
  field('Link', 'Typed links to related resources, e.g. pagination `rel="next"`.', 'https://www.rfc-editor.org/rfc/rfc8288', false, 'response'),
  field('Location', 'Where a redirect points, or the URI of a resource a POST created.', `${RFC9110}#name-location`, true, 'response'),
  field('Retry-After', 'How long to wait before retrying (seconds or an HTTP date).', `${RFC9110}#name-retry-after`, true, 'response'),
  field('Server', 'The software the origin server runs.', `${RFC9110}#name-server`, true, 'response'),
  field('Set-Cookie', 'A cookie for the client to store; Courier\'s jar keeps it for later requests.', 'https://www.rfc-editor.org/rfc/rfc6265#section-4.1', false, 'response'),
  field('Strict-Transport-Security', 'Tells clients to use HTTPS only for this host for `max-age` seconds.', 'https://www.rfc-editor.org/rfc/rfc6797', true, 'response'),
  field('Vary', 'Request fields that selected this representation, for caches.', `${RFC9110}#name-vary`, false, 'response'),
  field('WWW-Authenticate', 'The authentication schemes and parameters the server accepts (with 401).', `${RFC9110}#name-www-authenticate`, false, 'response'),
];

const byLowerName = new Map(KNOWN_HEADERS.map((header) => [header.name.toLowerCase(), header]));

/** The known field named `name`, ignoring case (field names are case-insensitive). */
export function lookupHeader(name: string): HeaderInfo | undefined {
  return byLowerName.get(name.trim().toLowerCase());
}

/** Whether a second `name:` line in one request is a mistake. Unknown fields are not judged. */
export function isSingleValuedHeader(name: string): boolean {
  return lookupHeader(name)?.singleValued ?? false;
}

/** Markdown for a known header: its description, whether it may repeat, and its specification. */
export function headerMarkdown(header: HeaderInfo): string {
  const repeat = header.singleValued ? 'Single value: write it at most once per request.' : 'May carry a comma-separated list, or appear more than once.';
  return `**${header.name}**\n\n${header.description}\n\n${repeat}\n\n[Specification](${header.spec})`;
}

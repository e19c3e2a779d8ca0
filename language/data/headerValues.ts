// Values offered after `Header-Name: `, per header. Media types come from
// `mimeTypes.ts`; the rest are the tokens each field's specification defines.

import { KNOWN_METHODS } from './methods';
import { MIME_TYPES } from './mimeTypes';

export interface HeaderValueInfo {
  /** The value as the user sees it in the list, e.g. `Bearer`. */
  readonly value: string;
  readonly description: string;
  /** Snippet (VS Code syntax) inserted instead of `value`, e.g. `Bearer ${1:token}`. */
  readonly snippet?: string;
  /** The whole value's syntax, shown by hover, e.g. `AWS <accessKeyId> <secretKey> [token:<sessionToken>]`. */
  readonly usage?: string;
}

export interface HeaderValueSet {
  readonly values: readonly HeaderValueInfo[];
  /** True when the field is a comma-separated list, so each item after a comma completes on its own. */
  readonly list: boolean;
}

function value(text: string, description: string, snippet?: string): HeaderValueInfo {
  return snippet === undefined ? { value: text, description } : { value: text, description, snippet };
}

const mediaTypes: readonly HeaderValueInfo[] = MIME_TYPES.map((type) => (type.snippet === undefined ? value(type.name, type.description) : value(type.name, type.description, type.snippet)));

const mediaRanges: readonly HeaderValueInfo[] = [
  value('*/*', 'Any media type.'),
  value('application/json', 'JSON.'),
  value('application/xml', 'XML.'),
  value('text/html', 'HTML.'),
  value('text/plain', 'Plain text.'),
  value('text/event-stream', 'Server-sent events.'),
  value('application/*', 'Any application type.'),
  value('text/*', 'Any text type.'),
  value('image/*', 'Any image type.'),
  ...MIME_TYPES.filter((type) => !['application/json', 'application/xml', 'text/html', 'text/plain', 'text/event-stream'].includes(type.name)).map((type) => value(type.name, type.description)),
];

const credentials: readonly HeaderValueInfo[] = [
  value('Bearer', 'A bearer token (OAuth 2.0, JWT).', 'Bearer ${1:token}'),
  value('Basic', 'User name and password; Courier base64-encodes `user:password` (or `user password`) when it is not encoded yet.', 'Basic ${1:username}:${2:password}'),
  value('Digest', 'HTTP Digest: Courier answers the server\'s challenge with these credentials.', 'Digest ${1:username} ${2:password}'),
  // The one value whose options are worth a syntax line in hover.
  {
    value: 'AWS',
    description:
      'AWS Signature Version 4, as REST Client and httpYac write it: Courier signs each request with these credentials (the secret key is never sent). Add `token:<sessionToken>` for temporary credentials, and `region:<region>` and `service:<service>` when the host does not tell them (`dynamodb.eu-west-1.amazonaws.com` does).',
    snippet: 'AWS ${1:accessKeyId} ${2:secretKey}',
    usage: 'AWS <accessKeyId> <secretKey> [token:<sessionToken>] [region:<region>] [service:<service>]',
  },
  value('AWS4-HMAC-SHA256', 'AWS Signature Version 4 computed outside Courier (write `AWS <accessKeyId> <secretKey>` to have Courier sign).', 'AWS4-HMAC-SHA256 Credential=${1:access-key}/${2:scope}, SignedHeaders=${3:host}, Signature=${4:signature}'),
  value('Negotiate', 'SPNEGO / Kerberos token.', 'Negotiate ${1:token}'),
];

const cacheDirectives: readonly HeaderValueInfo[] = [
  value('no-cache', 'Caches must revalidate with the origin before using a stored response.'),
  value('no-store', 'Caches must not store the request or its response.'),
  value('max-age', 'Accept a stored response no older than this many seconds.', 'max-age=${1:0}'),
  value('max-stale', 'Accept a stale response, optionally stale by at most this many seconds.', 'max-stale=${1:60}'),
  value('min-fresh', 'Want a response that stays fresh for at least this many seconds.', 'min-fresh=${1:60}'),
  value('no-transform', 'Intermediaries must not transform the content.'),
  value('only-if-cached', 'Only a stored response will do; otherwise 504.'),
  value('stale-if-error', 'Accept a stale response for this many seconds if the origin errors.', 'stale-if-error=${1:60}'),
];

const contentCodings: readonly HeaderValueInfo[] = [
  value('gzip', 'GZIP (LZ77 + CRC-32).'),
  value('deflate', 'zlib-wrapped DEFLATE.'),
  value('br', 'Brotli.'),
  value('zstd', 'Zstandard.'),
  value('identity', 'No encoding.'),
  value('*', 'Any coding not listed otherwise.'),
];

const methodNames: readonly HeaderValueInfo[] = KNOWN_METHODS.map((method) => value(method.name, method.description));

const fetchMetadata = (values: readonly string[], what: string): HeaderValueSet => ({ values: values.map((text) => value(text, `${what}: ${text}.`)), list: false });

/** Value completions by lower-case field name. */
const VALUES = new Map<string, HeaderValueSet>([
  ['content-type', { values: mediaTypes, list: false }],
  ['accept', { values: mediaRanges, list: true }],
  ['authorization', { values: credentials, list: false }],
  // Courier signs requests, not proxy handshakes, with AWS credentials.
  ['proxy-authorization', { values: credentials.filter((credential) => credential.value !== 'AWS'), list: false }],
  ['cache-control', { values: cacheDirectives, list: true }],
  ['pragma', { values: [value('no-cache', 'Ask HTTP/1.0 caches to revalidate.')], list: true }],
  ['accept-encoding', { values: contentCodings, list: true }],
  ['content-encoding', { values: contentCodings.filter((coding) => coding.value !== '*' && coding.value !== 'identity'), list: true }],
  ['te', { values: [value('trailers', 'The client accepts trailer fields (the only value HTTP/2 allows).'), ...contentCodings.filter((coding) => coding.value === 'gzip' || coding.value === 'deflate')], list: true }],
  ['transfer-encoding', { values: [value('chunked', 'Content sent in length-prefixed chunks.'), ...contentCodings.filter((coding) => coding.value === 'gzip' || coding.value === 'deflate')], list: true }],
  ['accept-charset', { values: ['utf-8', 'iso-8859-1', 'utf-16', '*'].map((charset) => value(charset, charset === '*' ? 'Any charset.' : `The ${charset} character encoding.`)), list: true }],
  ['accept-language', { values: ['en-US', 'en-GB', 'en', 'fr', 'de', 'es', 'it', 'pt-BR', 'ja', 'zh-CN', '*'].map((tag) => value(tag, tag === '*' ? 'Any language.' : `Language tag ${tag} (BCP 47).`)), list: true }],
  ['connection', { values: [value('keep-alive', 'Keep the connection open for further requests (the default in HTTP/1.1).'), value('close', 'Close the connection after this response.'), value('Upgrade', 'Hop-by-hop: the Upgrade field applies to this connection.')], list: true }],
  ['upgrade', { values: [value('websocket', 'Switch to the WebSocket protocol.'), value('h2c', 'Switch to cleartext HTTP/2.')], list: true }],
  ['expect', { values: [value('100-continue', 'Wait for an interim 100 response before sending the content.')], list: false }],
  ['x-request-type', { values: [value('GraphQL', 'Send the body as a GraphQL query: the query, a blank line, then optional JSON variables.')], list: false }],
  ['x-requested-with', { values: [value('XMLHttpRequest', 'Mark the request as AJAX.')], list: false }],
  ['x-http-method-override', { values: methodNames, list: false }],
  ['access-control-request-method', { values: methodNames, list: false }],
  ['depth', { values: [value('0', 'The resource only.'), value('1', 'The resource and its immediate members.'), value('infinity', 'The resource and all its descendants.')], list: false }],
  ['overwrite', { values: [value('T', 'Replace an existing destination.'), value('F', 'Fail with 412 if the destination exists.')], list: false }],
  ['prefer', { values: [value('return=minimal', 'An empty response is fine.'), value('return=representation', 'Return the resulting resource.'), value('respond-async', 'Answer 202 and process asynchronously.'), value('wait', 'How long the client is willing to wait, in seconds.', 'wait=${1:10}'), value('handling=strict', 'Reject the request on any error.'), value('handling=lenient', 'Process what can be processed.')], list: true }],
  ['range', { values: [value('bytes', 'A byte range, inclusive on both ends.', 'bytes=${1:0}-${2:1023}')], list: false }],
  ['content-disposition', { values: [value('form-data', 'A multipart form field.', 'form-data; name="${1:field}"'), value('form-data (file)', 'A multipart file upload.', 'form-data; name="${1:file}"; filename="${2:name.txt}"'), value('attachment', 'Content to be saved as a file.', 'attachment; filename="${1:name}"'), value('inline', 'Content to be displayed inline.')], list: false }],
  ['dnt', { values: [value('1', 'The user prefers not to be tracked.'), value('0', 'The user consents to tracking.')], list: false }],
  ['upgrade-insecure-requests', { values: [value('1', 'Prefer an encrypted, authenticated response.')], list: false }],
  ['sec-fetch-dest', fetchMetadata(['empty', 'document', 'iframe', 'image', 'script', 'style', 'font', 'worker'], 'Destination')],
  ['sec-fetch-mode', fetchMetadata(['cors', 'navigate', 'no-cors', 'same-origin', 'websocket'], 'Mode')],
  ['sec-fetch-site', fetchMetadata(['same-origin', 'same-site', 'cross-site', 'none'], 'Site relation')],
  ['sec-websocket-version', { values: [value('13', 'The only WebSocket version in use (RFC 6455).')], list: false }],
]);

/** The values to offer for the field `headerName` (any case), or undefined when Courier knows none. */
export function headerValues(headerName: string): HeaderValueSet | undefined {
  return VALUES.get(headerName.trim().toLowerCase());
}

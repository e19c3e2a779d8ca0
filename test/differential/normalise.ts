// What is rewritten in the recorded bytes before the base and the head are compared. Most
// non-determinism never reaches the bytes: the CLI runs with a fixed clock, a fixed Math.random
// and a fixed crypto.randomUUID (fixedSources.cjs), and the demo API with seeded random bytes.
// What is left, and only that, is normalised here:
//
// - the version in a `User-Agent: courier/<version>` header (the package version may move);
// - `cnonce="..."` and `response="..."` of a Digest `Authorization` header: the client nonce
//   comes from crypto.randomBytes, which the CLI also uses for temporary file names, so it is
//   not fixed, and the response is a hash over it;
// - a multipart boundary that the document does not spell out (a generated one), in the
//   Content-Type header and wherever it appears in the body.
//
// The bytes are handled as latin1 text: one character per byte, so nothing is lost.

/** The request's bytes with the rules above applied; `documentText` is the `.http` file it came from. */
export function normaliseRequest(raw: Buffer, documentText: string): string {
  const text = raw.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const normalisedHead = head
    .replace(/^(User-Agent:[ \t]*courier\/)[^\r\n]*/im, '$1<version>')
    .replace(/^(Authorization:[ \t]*Digest\b[^\r\n]*)$/im, (line) => line.replace(/\b(cnonce|response)="[^"]*"/gi, '$1="<$1>"'));
  let normalised = normalisedHead + text.slice(head.length);
  const boundary = /^Content-Type:[^\r\n]*;\s*boundary="?([^";\r\n]+)"?/im.exec(head)?.[1];
  if (boundary !== undefined && !documentText.includes(boundary)) normalised = normalised.split(boundary).join('<boundary>');
  return normalised;
}

// Fields that belong to the connection, not the request: HTTP/2 forbids them or moves them into
// pseudo-headers (`host` -> `:authority`), and Content-Length is the body's length.
const connectionFields = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'proxy-connection', 'content-length']);

// 1804f58 reads `HTTP/2 (Prior Knowledge)` after a URL as part of it (issue 12 makes it a version).
const priorKnowledgeInTarget = /%20HTTP\/2%20\(Prior%20Knowledge\)$/;

/**
 * The request as fields, whatever the protocol carried it: `METHOD target` (without a misread
 * `HTTP/2 (Prior Knowledge)`), the header fields lower-cased, repeated ones combined as RFC 9110
 * allows (`a, b`; cookies `a; b`), sorted by name, connection fields left out, and the de-chunked
 * body; then normalised like the bytes. An HTTP/2 request and the HTTP/1.1 request it replaces
 * have the same fields.
 */
export function requestFields(request: { readonly requestLine: string; readonly headers: readonly (readonly [string, string])[]; readonly body: Buffer }, documentText: string): string {
  const [method = '', target = ''] = request.requestLine.split(' ');
  const fields = new Map<string, string[]>();
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower.startsWith(':') || connectionFields.has(lower)) continue;
    const values = fields.get(lower);
    if (values === undefined) fields.set(lower, [value]);
    else values.push(value);
  }
  const lines = [...fields]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, values]) => `${name}: ${values.join(name === 'cookie' ? '; ' : ', ')}`);
  const head = [`${method} ${target.replace(priorKnowledgeInTarget, '')}`, ...lines].join('\r\n');
  return normaliseRequest(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), request.body]), documentText);
}

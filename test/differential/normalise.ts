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

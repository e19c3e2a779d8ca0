// The URL schemes Courier can send a request to. Diagnostics report any other scheme where it is
// written, and the engine refuses it with the same words; a protocol that learns to send (ws:
// and wss: with the streams issue) is one line here.

export interface UrlScheme {
  /** Lower case, without the colon: `https`. */
  readonly name: string;
  /** The port a URL without one goes to. */
  readonly defaultPort: number;
  /** Whether the connection is TLS. */
  readonly secure: boolean;
}

/** Every scheme Courier sends, in the order messages list them. */
export const SENDABLE_SCHEMES: readonly UrlScheme[] = [
  { name: 'http', defaultPort: 80, secure: false },
  { name: 'https', defaultPort: 443, secure: true },
];

/** The scheme named `protocol` (`https:` as `URL.protocol` gives it, or `https`), any case; undefined when Courier cannot send to it. */
export function sendableScheme(protocol: string): UrlScheme | undefined {
  const name = (protocol.endsWith(':') ? protocol.slice(0, -1) : protocol).toLowerCase();
  return SENDABLE_SCHEMES.find((scheme) => scheme.name === name);
}

/** `http and https`: the sendable schemes, for messages. */
export function sendableSchemesText(): string {
  const names = SENDABLE_SCHEMES.map((scheme) => scheme.name);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What to say about a URL whose scheme is `protocol` (`ws:`), which Courier cannot send to. */
export function unsupportedSchemeMessage(protocol: string): string {
  const name = protocol.endsWith(':') ? protocol.slice(0, -1) : protocol;
  return `Courier cannot send ${name}: requests yet; it sends ${sendableSchemesText()} URLs.`;
}

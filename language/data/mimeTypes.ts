// Media types for Content-Type and Accept values: the ones people use in API
// requests first, then every other type `mime-db` knows, so rarer types still complete.

import mimeDb from 'mime-db';

export interface MimeTypeInfo {
  /** The value to insert, e.g. `application/json`. */
  readonly name: string;
  /** Why it is offered, or where it comes from for the long tail. */
  readonly description: string;
  /** Snippet (VS Code syntax) when the type needs parameters, e.g. a multipart boundary. */
  readonly snippet?: string;
  /** True for the curated list shown first. */
  readonly common: boolean;
}

const COMMON_MIME_TYPES: readonly MimeTypeInfo[] = [
  { name: 'application/json', description: 'JSON. Courier formats and validates JSON bodies.', common: true },
  { name: 'application/x-www-form-urlencoded', description: 'HTML form fields: `a=1&b=2`, percent-encoded.', common: true },
  { name: 'multipart/form-data', description: 'Form fields and file uploads, each part between `--boundary` lines.', snippet: 'multipart/form-data; boundary=${1:CourierBoundary}', common: true },
  { name: 'text/plain', description: 'Plain text.', common: true },
  { name: 'application/xml', description: 'XML. Courier formats XML responses and supports XPath in request variables.', common: true },
  { name: 'text/html', description: 'HTML.', common: true },
  { name: 'application/graphql', description: 'A bare GraphQL query (most servers prefer JSON with `X-Request-Type: GraphQL`).', common: true },
  { name: 'application/octet-stream', description: 'Arbitrary bytes, e.g. a file sent with `< path`.', common: true },
  { name: 'application/ld+json', description: 'JSON-LD linked data.', common: true },
  { name: 'application/problem+json', description: 'RFC 9457 problem details.', common: true },
  { name: 'application/merge-patch+json', description: 'RFC 7396 JSON merge patch, for PATCH.', common: true },
  { name: 'application/json-patch+json', description: 'RFC 6902 JSON patch operations, for PATCH.', common: true },
  { name: 'application/vnd.api+json', description: 'JSON:API documents.', common: true },
  { name: 'application/x-ndjson', description: 'Newline-delimited JSON, one value per line.', common: true },
  { name: 'text/csv', description: 'Comma-separated values.', common: true },
  { name: 'text/xml', description: 'XML (text/xml defaults to US-ASCII without a charset; prefer application/xml).', common: true },
  { name: 'text/event-stream', description: 'Server-sent events (usually in Accept).', common: true },
  { name: 'application/yaml', description: 'YAML.', common: true },
  { name: 'application/pdf', description: 'PDF document.', common: true },
  { name: 'application/zip', description: 'ZIP archive.', common: true },
  { name: 'application/javascript', description: 'JavaScript.', common: true },
  { name: 'application/grpc-web+proto', description: 'gRPC-Web, binary protobuf framing.', common: true },
  { name: 'application/soap+xml', description: 'SOAP 1.2 envelope.', common: true },
  { name: 'image/png', description: 'PNG image.', common: true },
  { name: 'image/jpeg', description: 'JPEG image.', common: true },
  { name: 'multipart/mixed', description: 'Parts of different types, e.g. OData batch requests.', snippet: 'multipart/mixed; boundary=${1:CourierBoundary}', common: true },
];

const commonNames = new Set(COMMON_MIME_TYPES.map((type) => type.name));

/** Curated types first, then the rest of mime-db in alphabetical order. */
export const MIME_TYPES: readonly MimeTypeInfo[] = [
  ...COMMON_MIME_TYPES,
  ...Object.keys(mimeDb)
    .filter((name) => !commonNames.has(name))
    .sort()
    .map((name): MimeTypeInfo => {
      const extensions = mimeDb[name].extensions ?? [];
      const files = extensions.length > 0 ? ` Files: ${extensions.map((extension) => `.${extension}`).join(', ')}.` : '';
      return { name, description: `Registered media type (${mimeDb[name].source ?? 'custom'}).${files}`, common: false };
    }),
];

/** Whether `type` (parameters ignored, any case) is a media type mime-db or the curated list knows. */
export function isKnownMimeType(type: string): boolean {
  const essence = type.split(';')[0].trim().toLowerCase();
  return commonNames.has(essence) || Object.hasOwn(mimeDb, essence);
}

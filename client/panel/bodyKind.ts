// Chooses how the panel shows a body from its Content-Type, sniffing the first bytes
// when the server sent none, and which editor language opens it.
import { type BodyKind } from './messages';

/** `application/json; charset=utf-8` -> `application/json`. */
export function mimeEssence(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const essence = contentType.split(';')[0].trim().toLowerCase();
  return essence === '' ? undefined : essence;
}

const textualApplicationTypes = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/graphql',
  'application/sql',
  'application/x-sh',
  'application/csv',
]);

/** The kind for a MIME type alone; undefined when the type says nothing (missing or octet-stream), so the bytes decide. */
export function kindOfMimeType(essence: string | undefined): BodyKind | undefined {
  if (essence === undefined || essence === 'application/octet-stream') return undefined;
  if (essence === 'application/json' || essence === 'text/json' || essence.endsWith('+json') || essence === 'application/x-ndjson') return essence === 'application/x-ndjson' ? 'text' : 'json';
  if (essence === 'text/html' || essence === 'application/xhtml+xml') return 'html';
  if (essence.startsWith('image/')) return 'image';
  if (essence === 'application/xml' || essence === 'text/xml' || essence.endsWith('+xml')) return 'xml';
  if (essence.startsWith('text/') || textualApplicationTypes.has(essence)) return 'text';
  return 'binary';
}

/** True when the bytes look like text: no NUL and few control characters in the first KiB. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 1024);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  return control <= sample.length / 100;
}

/** How the panel shows a body of this type whose first bytes are `prefix`. */
export function bodyKind(contentType: string | undefined, size: number, prefix: Uint8Array): BodyKind {
  if (size === 0) return 'empty';
  const declared = kindOfMimeType(mimeEssence(contentType));
  if (declared !== undefined) return declared;
  if (!looksLikeText(prefix)) return 'binary';
  const first = String.fromCharCode(prefix.find((byte) => byte > 0x20) ?? 0);
  if (first === '{' || first === '[') return 'json';
  if (first === '<') return 'xml';
  return 'text';
}

const languageByEssence: Readonly<Record<string, string>> = {
  'application/javascript': 'javascript',
  'text/javascript': 'javascript',
  'text/css': 'css',
  'text/markdown': 'markdown',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/csv': 'csv',
  'application/graphql': 'graphql',
  'application/sql': 'sql',
};

/** The VS Code language id for an editor tab showing this body. */
export function languageIdFor(kind: BodyKind, contentType: string | undefined): string {
  if (kind === 'json') return 'json';
  if (kind === 'xml') return 'xml';
  if (kind === 'html') return 'html';
  return languageByEssence[mimeEssence(contentType) ?? ''] ?? 'plaintext';
}

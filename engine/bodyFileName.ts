// Names a saved body, for the panel's Save and `Courier: Save Response Body` alike: the server's
// Content-Disposition file name (RFC 6266, with RFC 8187's `filename*=UTF-8''...`), else the URL's
// last path segment with the MIME type's extension. Separate from `bodySaver.ts` so the CLI, which
// names `--output` files its own way, does not load mime-db on every run.
import mimeDb from 'mime-db';
import type { Exchange } from './model';

/** Splits a header value on `;` outside quoted strings. */
function parameters(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (quoted && char === '\\' && index + 1 < value.length) {
      current += char + value[++index];
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Decodes an RFC 8187 ext-value (`UTF-8'en'%e2%82%ac.txt`); undefined when malformed or in a charset we do not know. */
function decodeExtValue(value: string): string | undefined {
  const match = /^([\w!#$%&+^`{}~-]+)'[\w-]*'(.*)$/.exec(value);
  if (match === null) return undefined;
  const charset = match[1].toLowerCase();
  const bytes: number[] = [];
  const encoded = match[2];
  for (let index = 0; index < encoded.length; index++) {
    if (encoded[index] === '%' && /^[0-9a-fA-F]{2}$/.test(encoded.slice(index + 1, index + 3))) {
      bytes.push(parseInt(encoded.slice(index + 1, index + 3), 16));
      index += 2;
    } else {
      bytes.push(encoded.charCodeAt(index) & 0xff);
    }
  }
  if (charset === 'utf-8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    } catch {
      return undefined;
    }
  }
  if (charset === 'iso-8859-1') return String.fromCharCode(...bytes);
  return undefined;
}

/** The file name a Content-Disposition header suggests, unsanitised; `filename*` wins over `filename`. */
export function fileNameFromContentDisposition(header: string): string | undefined {
  let plain: string | undefined;
  let extended: string | undefined;
  for (const parameter of parameters(header).slice(1)) {
    const equals = parameter.indexOf('=');
    if (equals < 0) continue;
    const name = parameter.slice(0, equals).trim().toLowerCase();
    const value = parameter.slice(equals + 1).trim();
    if (name === 'filename*') extended ??= decodeExtValue(value);
    else if (name === 'filename') plain ??= unquote(value);
  }
  return extended ?? plain;
}

/** A name safe on every file system: no directories, no reserved characters, no leading dots. */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 200);
  return cleaned;
}

/** The usual extension (without dot) for a MIME type, or undefined when it has none. */
export function extensionForMimeType(contentType: string | undefined): string | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  if (essence === undefined || essence === '') return undefined;
  const preferred: Readonly<Record<string, string>> = { 'image/jpeg': 'jpg', 'text/plain': 'txt', 'application/octet-stream': 'bin' };
  if (preferred[essence] !== undefined) return preferred[essence];
  const extensions = mimeDb[essence]?.extensions;
  if (extensions !== undefined && extensions.length > 0) return extensions[0];
  if (essence.endsWith('+json')) return 'json';
  if (essence.endsWith('+xml')) return 'xml';
  return undefined;
}

/** The file name offered when saving a response body. */
export function suggestedFileName(contentDisposition: string | undefined, contentType: string | undefined, url: string): string {
  const fromHeader = contentDisposition === undefined ? undefined : fileNameFromContentDisposition(contentDisposition);
  if (fromHeader !== undefined) {
    const safe = sanitizeFileName(fromHeader);
    if (safe !== '') return safe;
  }
  const extension = extensionForMimeType(contentType);
  let stem = 'response';
  try {
    const segment = decodeURIComponent(new URL(url).pathname.split('/').filter((part) => part !== '').pop() ?? '');
    const safe = sanitizeFileName(segment);
    if (safe !== '') stem = safe;
  } catch {
    // A URL that does not parse or decode still gets the default name.
  }
  if (extension === undefined || stem.toLowerCase().endsWith(`.${extension}`)) return stem;
  const withoutOwnExtension = /\.[a-z0-9]{1,5}$/i.test(stem) && stem !== 'response' ? stem.replace(/\.[a-z0-9]{1,5}$/i, '') : stem;
  return `${withoutOwnExtension}.${extension}`;
}

/** The file name offered for the body of `exchange`, from its response's headers and its request's URL. */
export function suggestedFileNameFor(exchange: Exchange): string {
  const response = exchange.response;
  const disposition = response?.headers.find(([name]) => name.toLowerCase() === 'content-disposition')?.[1];
  return suggestedFileName(disposition, response?.body.contentType, exchange.request.url);
}

// A response body as text for `--verbose`: decoded by its charset when it is text,
// summarised when it is binary, cut at a limit with a note saying so.

import { TextDecoder } from 'node:util';
import type { ResponseBody } from '../engine/model';
import { formatBytes } from './units';

/** Bytes of a body shown by `--verbose` before it is cut. */
export const previewLimit = 32 * 1024;

const textualType = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|x-yaml|csv|x-ndjson|problem\+json|ld\+json)\b|image\/svg\+xml)/i;

/** Whether a body is text: by its content type, else by the absence of NUL bytes in its start. */
export function isTextBody(body: ResponseBody): boolean {
  const type = body.contentType?.split(';')[0]?.trim();
  if (type !== undefined && type !== '') {
    if (textualType.test(type)) return true;
    if (type.toLowerCase() !== 'application/octet-stream') return false;
  }
  return !body.prefix.subarray(0, 1024).includes(0);
}

/** The body for a person to read; empty string for an empty body. */
export function previewBody(body: ResponseBody, limit = previewLimit): string {
  if (body.size === 0) return '';
  const what = body.contentType ?? 'no content type';
  if (!isTextBody(body)) {
    return `[binary body: ${formatBytes(body.size)}, ${what}; save it with --output FILE]`;
  }
  const shown = body.prefix.subarray(0, limit);
  // `stream: true` holds back a multi-byte character cut in half at the limit.
  const text = decoderFor(body.charset).decode(shown, { stream: shown.length < body.size });
  if (shown.length >= body.size) return text;
  return `${text}\n[showing the first ${formatBytes(shown.length)} of ${formatBytes(body.size)}; save the whole body with --output FILE]`;
}

function decoderFor(charset: string): TextDecoder {
  try {
    return new TextDecoder(charset);
  } catch {
    // An unknown label: show something rather than nothing.
    return new TextDecoder('utf-8');
  }
}

// The few things a script asks of the host, as data in and data out: hashing and HMAC with
// node:crypto, JSONPath with jsonpath-plus, XPath with xpath and @xmldom/xmldom, Base64. It runs
// in the script worker; the guest reaches it through one function that takes and returns JSON
// text, so no host object or function other than that one ever enters QuickJS.

import { createHash, createHmac, getHashes } from 'node:crypto';
import { JSONPath } from 'jsonpath-plus';
import { parseXml, selectXPath } from '../xmlQuery';

/** Bytes given to a digest: text (UTF-8 or Latin-1), hex or Base64 (standard or URL-safe). */
interface DigestPart {
  readonly kind: 'text' | 'hex' | 'base64';
  readonly data: string;
  readonly encoding?: string;
  readonly urlSafe?: boolean;
}

interface DigestRequest {
  readonly algorithm: string;
  readonly secret?: DigestPart;
  readonly parts: readonly DigestPart[];
}

const digestAlgorithms = new Set(['sha1', 'sha256', 'sha384', 'sha512', 'md5']);

/** Answers one guest call: `{"ok":true,"value":...}` or `{"ok":false,"error":"..."}`. */
export function answerHostCall(operation: string, payloadJson: string): string {
  try {
    const payload: unknown = JSON.parse(payloadJson);
    return JSON.stringify({ ok: true, value: perform(operation, payload) ?? null });
  } catch (error) {
    return JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

function perform(operation: string, payload: unknown): unknown {
  switch (operation) {
    case 'digest':
      return digest(payload as DigestRequest);
    case 'jsonPath':
      return jsonPath(payload as { value: unknown; path: string });
    case 'xpath':
      return xpathOf(payload as { text: unknown; expression: unknown });
    case 'btoa':
      return btoaOf(String((payload as { text: unknown }).text));
    case 'atob':
      return atobOf(String((payload as { text: unknown }).text));
    default:
      throw new Error(`unknown host operation ${operation}`);
  }
}

function digest(request: DigestRequest): { hex: string; base64: string } {
  if (!digestAlgorithms.has(request.algorithm) || !getHashes().includes(request.algorithm)) {
    throw new Error(`crypto: unknown hash ${request.algorithm}; use sha1, sha256, sha384, sha512 or md5`);
  }
  const hash = request.secret === undefined ? createHash(request.algorithm) : createHmac(request.algorithm, bytesOf(request.secret));
  for (const part of request.parts) hash.update(bytesOf(part));
  const bytes = hash.digest();
  return { hex: bytes.toString('hex'), base64: bytes.toString('base64') };
}

function bytesOf(part: DigestPart): Buffer {
  switch (part.kind) {
    case 'text':
      return Buffer.from(part.data, textEncoding(part.encoding));
    case 'hex':
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(part.data)) throw new Error('crypto: updateWithHex needs an even number of hexadecimal digits');
      return Buffer.from(part.data, 'hex');
    case 'base64':
      return Buffer.from(part.data, part.urlSafe === true ? 'base64url' : 'base64');
  }
}

function textEncoding(encoding: string | undefined): BufferEncoding {
  const name = (encoding ?? 'UTF-8').toLowerCase().replace(/[-_]/g, '');
  if (name === 'utf8') return 'utf8';
  if (name === 'iso88591' || name === 'latin1' || name === 'ascii' || name === 'usascii') return 'latin1';
  if (name === 'utf16le') return 'utf16le';
  throw new Error(`crypto: unsupported text encoding ${encoding}; use UTF-8, ISO-8859-1 or UTF-16LE`);
}

/** One match as itself, several as an array, none as `undefined` (JetBrains' `jsonPath`). */
function jsonPath({ value, path }: { value: unknown; path: string }): unknown {
  if (typeof path !== 'string' || !path.startsWith('$')) throw new Error(`jsonPath: the path must start with $ (e.g. $.id), got ${JSON.stringify(path)}`);
  const data: unknown = typeof value === 'string' ? parseJsonOrKeep(value) : value;
  if (data === null || typeof data !== 'object') return undefined;
  // `eval: false`: a path in a script must never run code on the host.
  const found: unknown = JSONPath<unknown>({ path, json: data, wrap: true, eval: false });
  const matches = Array.isArray(found) ? (found as unknown[]) : [];
  if (matches.length === 0) return undefined;
  return matches.length === 1 ? matches[0] : matches;
}

/** JetBrains' `xpath(data, expression)`: what the expression selects in the XML text. */
function xpathOf({ text, expression }: { text: unknown; expression: unknown }): unknown {
  if (typeof text !== 'string') throw new Error('xpath: the first argument must be the XML text (e.g. response.body)');
  const parsed = parseXml(text);
  if ('problem' in parsed) throw new Error(`xpath: ${parsed.problem}`);
  const selected = selectXPath(parsed.document, String(expression));
  if ('problem' in selected) throw new Error(`xpath: ${selected.problem}`);
  return selected.value;
}

function parseJsonOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function btoaOf(text: string): string {
  // As in browsers: each character is one byte, so characters above U+00FF are an error.
  if ([...text].some((character) => character.charCodeAt(0) > 0xff)) throw new Error('btoa: the string has characters outside Latin-1; encode it as UTF-8 first');
  return Buffer.from(text, 'latin1').toString('base64');
}

function atobOf(text: string): string {
  const compact = text.replace(/[\t\n\f\r ]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new Error('atob: the string is not valid Base64');
  return Buffer.from(compact, 'base64').toString('latin1');
}

// Request variables: values taken from a named request sent earlier in the session,
// e.g. `{{login.response.body.$.token}}` (JSONPath), `{{feed.response.body.//item[1]/id}}`
// (XPath), `{{login.response.headers.Location}}`, `{{login.request.body.*}}`.

import { readFileSync } from 'node:fs';
import type * as XPath from 'xpath';
import type { BodyChunk, Exchange, PreparedRequest } from './model';
import { loadJsonPath, loadXmlDom, loadXPath } from './lazyLibraries';

/** A named request as sent, and what came back: the source of its request variables. */
export interface SentRequest {
  readonly prepared: PreparedRequest;
  readonly exchange: Exchange;
}

/** The part of a request reference after the request name. */
export interface RequestVariablePath {
  readonly requestName: string;
  readonly source: 'request' | 'response';
  readonly part: 'body' | 'headers';
  /** `*`, a JSONPath (`$.a`), an XPath (`//id`), or a header name. */
  readonly path: string;
}

/** A value, or a sentence saying why there is none. */
export type RequestVariableResult = { readonly value: string } | { readonly problem: string };

/** Evaluates a request reference against the request it names. */
export function evaluateRequestVariable(reference: RequestVariablePath, sent: SentRequest): RequestVariableResult {
  const { requestName, source, part, path } = reference;
  const where = `${requestName}.${source}.${part}.${path}`;
  if (source === 'response' && sent.exchange.response === undefined) {
    const reason = sent.exchange.error?.message ?? 'no response arrived';
    return { problem: `${where}: request ${requestName} has no response (${reason})` };
  }
  if (part === 'headers') {
    const headers = source === 'response' ? (sent.exchange.response?.headers ?? []) : sent.prepared.headers;
    const wanted = path.toLowerCase();
    const values = headers.filter(([name]) => name.toLowerCase() === wanted).map(([, value]) => value);
    if (values.length === 0) return { problem: `${where}: the ${source} of ${requestName} has no ${path} header` };
    return { value: values.join(', ') };
  }
  const body = source === 'response' ? responseText(sent.exchange) : requestText(sent.prepared.body);
  if (path === '*') return { value: body };
  if (path.startsWith('$')) return jsonPathValue(where, body, path);
  if (path.startsWith('/')) return xpathValue(where, body, path);
  return { problem: `${where}: write * for the whole body, a JSONPath starting with $ (e.g. $.id) or an XPath starting with / (e.g. //id)` };
}

/** The decoded response body; the whole of it, read from the spill file when it was large. */
function responseText(exchange: Exchange): string {
  const body = exchange.response?.body;
  if (body === undefined) return '';
  const bytes = body.file !== undefined ? readFileSync(body.file) : body.prefix;
  return decode(bytes, body.charset);
}

function requestText(chunks: readonly BodyChunk[] | undefined): string {
  if (chunks === undefined) return '';
  const parts = chunks.map((chunk) => (chunk instanceof Uint8Array ? chunk : readFileSync(chunk.path)));
  return decode(Buffer.concat(parts), 'utf-8');
}

function decode(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is the best guess and never throws.
    return new TextDecoder().decode(bytes);
  }
}

function jsonPathValue(where: string, body: string, path: string): RequestVariableResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { problem: `${where}: the body is not JSON (${(error as Error).message}), so the JSONPath ${path} cannot apply` };
  }
  let matches: unknown[];
  try {
    // `eval: false`: a JSONPath in a .http file must never run code.
    const found: unknown = loadJsonPath().JSONPath<unknown>({ path, json: json as object, wrap: true, eval: false });
    matches = Array.isArray(found) ? (found as unknown[]) : [];
  } catch (error) {
    return { problem: `${where}: invalid JSONPath ${path} (${(error as Error).message})` };
  }
  if (matches.length === 0) return { problem: `${where}: the JSONPath ${path} matched nothing in the body` };
  return { value: asText(matches.length === 1 ? matches[0] : matches) };
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

interface XmlNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly nodeValue: string | null;
}

function xpathValue(where: string, body: string, path: string): RequestVariableResult {
  let parseProblem: string | undefined;
  let document: unknown;
  try {
    const parser = new (loadXmlDom().DOMParser)({
      onError: (level, message) => {
        if (level !== 'warning') parseProblem ??= message;
      },
    });
    document = parser.parseFromString(body, 'text/xml');
  } catch (error) {
    parseProblem ??= (error as Error).message;
  }
  if (parseProblem !== undefined || document === undefined) {
    return { problem: `${where}: the body is not XML (${parseProblem ?? 'empty'}), so the XPath ${path} cannot apply` };
  }
  let selected: unknown;
  try {
    selected = loadXPath().select(path, document as Parameters<typeof XPath.select>[1]);
  } catch (error) {
    return { problem: `${where}: invalid XPath ${path} (${(error as Error).message})` };
  }
  if (Array.isArray(selected)) {
    const first = selected[0] as XmlNode | undefined;
    if (first === undefined) return { problem: `${where}: the XPath ${path} matched nothing in the body` };
    return { value: first.textContent ?? first.nodeValue ?? '' };
  }
  return { value: String(selected) };
}

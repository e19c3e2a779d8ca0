// Preparation: a request of the syntax tree plus a resolver becomes a `PreparedRequest`:
// variables substituted, the URL percent-encoded exactly once, the body assembled as chunks
// (bytes, or files streamed later), directives turned into `SendOptions`.
//
// Nothing is sent here and nothing throws out: a problem is an `EngineError` naming the file,
// the line and what to do.

import { httpYacOAuthValueKey, parseHttpYacOAuthHeader } from '../language/authConfigurations';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { contentTypeHeaderIndex, isContentTypeName } from '../language/contentType';
import { opensWebSocket } from '../language/data/urlSchemes';
import { lineAt } from '../language/positions';
import type { BodyPart, Directive, GraphqlBody, HttpDocument, MultipartBody, Request, Span, Template } from '../language/syntax';
import type { BodyChunk, EngineError, PreparedRequest, SendOptions } from './model';
import { graphqlOperationKind } from './streams/graphqlOperation';
import { unsendableUrlProblem } from './transport';
import { UnsentRequestError, VariableError, type Resolver } from './variables';

/** What preparing one request needs. */
export interface PrepareInput {
  readonly document: HttpDocument;
  readonly request: Request;
  /** Absolute path of the `.http` file (relative body files resolve from its folder); undefined for an unsaved document. */
  readonly file: string | undefined;
  readonly resolver: Resolver;
  /** Settings and CLI flags; directives win over them. */
  readonly defaults?: Partial<SendOptions>;
}

/** The request ready to send, or why it cannot be; `needs` names an unsent request it references. */
export type PrepareResult = { readonly prepared: PreparedRequest } | { readonly error: EngineError; readonly needs?: string };

/** Options when neither a directive nor a setting says otherwise. */
export const defaultSendOptions: SendOptions = {
  followRedirects: true,
  maxRedirects: 10,
  useCookieJar: true,
  timeoutMs: undefined,
  connectTimeoutMs: undefined,
  insecure: false,
  retries: 0,
};

/** Turns one request of the tree into a `PreparedRequest`; never throws. */
export function prepareRequest(input: PrepareInput): PrepareResult {
  try {
    return { prepared: new Preparation(input).run() };
  } catch (error) {
    if (error instanceof PrepareFailure) return error.needs === undefined ? { error: error.engineError } : { error: error.engineError, needs: error.needs };
    // A bug or an unexpected I/O failure still becomes a value the user can read.
    return { error: { code: 'other', message: `${describeFile(input.file)}:${lineOf(input.document, input.request)}: cannot prepare the request: ${(error as Error).message}` } };
  }
}

class PrepareFailure extends Error {
  constructor(
    readonly engineError: EngineError,
    readonly needs?: string,
  ) {
    super(engineError.message);
  }
}

/** What `HTTP/2` or `HTTP/2 (Prior Knowledge)` on the request line asks for; other versions go over HTTP/1.1. */
function requestedVersion(written: string | undefined): PreparedRequest['httpVersion'] {
  if (written === undefined || !written.startsWith('HTTP/2')) return undefined;
  return /\(prior knowledge\)$/i.test(written) ? '2-prior-knowledge' : '2';
}

function describeFile(file: string | undefined): string {
  return file ?? 'untitled';
}

function lineOf(document: HttpDocument, span: Span): number {
  return lineAt(document.lineStarts, span.start) + 1;
}

const CRLF = '\r\n';
const encoder = new TextEncoder();

class Preparation {
  constructor(private readonly input: PrepareInput) {}

  run(): PreparedRequest {
    const { request, document, file } = this.input;
    const headers = request.headers.map((header): [string, string] => {
      if (header.colon === undefined || header.name.text === '') this.fail('other', header, `"${document.text.slice(header.start, header.end)}" is not a header: write Name: value`);
      const value = this.expand(header.value).trim();
      return [header.name.text, header.name.text.toLowerCase() === 'authorization' ? this.httpYacOAuth(value, header) : value];
    });
    const isGraphql = request.body?.graphql !== undefined || request.methodName.toUpperCase() === 'GRAPHQL';
    // httpYac's `SSE url`: a GET that asks for an event stream and reads the answer as events.
    const isSse = request.methodName.toUpperCase() === 'SSE';
    if (isSse && !headers.some(([name]) => name.toLowerCase() === 'accept')) headers.push(['Accept', 'text/event-stream']);
    const body = this.body(headers, isGraphql);
    const { url, method } = this.target(headers, isGraphql);
    return {
      method: isSse ? 'GET' : method,
      url,
      headers,
      body,
      options: this.options(isSse),
      origin: { file, line: lineOf(document, request), name: request.name?.text },
      httpVersion: requestedVersion(request.httpVersion?.text),
    };
  }

  private fail(code: EngineError['code'], at: Span, message: string, needs?: string): never {
    throw new PrepareFailure({ code, message: `${describeFile(this.input.file)}:${lineOf(this.input.document, at)}: ${message}` }, needs);
  }

  /** Substitutes a template; a failure names the line of the reference that failed. */
  /** httpYac's `Authorization: oauth2 client_credentials`: the token the OAuth source obtained, as a bearer token. */
  private httpYacOAuth(value: string, header: Span): string {
    const httpYac = parseHttpYacOAuthHeader(value);
    if (httpYac === undefined) return value;
    const token = this.input.resolver.variable(httpYacOAuthValueKey(httpYac));
    if (token === undefined) this.fail('variable', header, `Authorization: ${value} needs an OAuth token, which is obtained only when the request is sent`);
    return `Bearer ${token}`;
  }

  private expand(template: Template): string {
    try {
      return this.input.resolver.substituteTemplate(template);
    } catch (error) {
      this.failVariable(error, template);
    }
  }

  /** Substitutes text that comes from `at` (a `<@` file's content comes from its path). */
  private substitute(text: string, at: Template): string {
    try {
      return this.input.resolver.substitute(text);
    } catch (error) {
      this.failVariable(error, at);
    }
  }

  private failVariable(error: unknown, at: Template): never {
    if (!(error instanceof VariableError)) throw error;
    const reference = at.references.find((candidate) => candidate.expression === error.expression) ?? at;
    this.fail('variable', reference, error.message, error instanceof UnsentRequestError ? error.requestName : undefined);
  }

  /** The `host` variable's value (httpYac's origin for `GET /path`), trimmed; undefined when nothing defines it. */
  private hostVariable(): string | undefined {
    let value: string | undefined;
    try {
      value = this.input.resolver.variable('host')?.trim();
    } catch (error) {
      this.failVariable(error, this.input.request.target);
    }
    return value === '' ? undefined : value;
  }

  /**
   * The URL and the method on the wire. A GraphQL request is POSTed, unless it goes to a ws:// or
   * wss:// URL or runs a subscription (then http becomes ws): it stays `GRAPHQL`, which the session
   * sends over graphql-transport-ws.
   */
  private target(headers: readonly (readonly [string, string])[], isGraphql: boolean): { readonly url: string; readonly method: string } {
    const written = this.input.request.methodName;
    if (!isGraphql) {
      const url = this.url(headers, written);
      // WEBSOCKET {{baseUrl}}/socket: an http(s) URL opens the WebSocket as ws(s).
      return { url: opensWebSocket(written) ? url.replace(/^http/i, 'ws') : url, method: written };
    }
    const over = this.url(headers, 'GRAPHQL');
    if (/^wss?:/i.test(over)) return { url: over, method: 'GRAPHQL' };
    if (this.graphqlQuery !== undefined && graphqlOperationKind(this.graphqlQuery.text, this.graphqlQuery.operationName) === 'subscription') {
      return { url: over.replace(/^http/i, 'ws'), method: 'GRAPHQL' };
    }
    return { url: over, method: written.toUpperCase() === 'GRAPHQL' ? 'POST' : written };
  }

  /** The query of a GraphQL body, as sent: read by `target` to send a subscription over a WebSocket. */
  private graphqlQuery: { readonly text: string; readonly operationName: string | undefined } | undefined;

  private url(headers: readonly (readonly [string, string])[], method: string): string {
    const { target } = this.input.request;
    let written = this.expand(target).trim();
    if (target.form === 'asterisk') this.fail('other', target, 'the asterisk-form target * cannot be sent: write the full URL, e.g. OPTIONS https://example.com/');
    if (target.form === 'origin') {
      const host = headers.find(([name]) => name.toLowerCase() === 'host')?.[1];
      if (host === undefined || host === '') {
        // httpYac sends `GET /path` to the `host` variable's origin when there is no Host header.
        const hostVariable = this.hostVariable();
        if (hostVariable === undefined) this.fail('other', target, `${written} has no host: add a Host header, define a host variable (@host = https://example.com), or write the full URL, e.g. https://example.com${written}`);
        written = `${/^[a-z][a-z0-9+.-]*:\/\//i.test(hostVariable) ? '' : 'http://'}${hostVariable}${written}`;
      } else {
        const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? '' : host.endsWith(':443') ? 'https://' : 'http://';
        written = `${scheme}${host}${written}`;
      }
    } else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(written)) {
      // `other`-form (`localhost:3000/x`), or a variable that held a bare host.
      written = `${opensWebSocket(method) ? 'ws' : 'http'}://${written}`;
    }
    const plain = opensWebSocket(method) ? undefined : plainHttpHref(written);
    if (plain !== undefined) return plain;
    let url: URL;
    try {
      url = new URL(encodeOnce(written));
    } catch {
      this.fail('other', target, `${written} is not a valid URL: check the host and port`);
    }
    const problem = unsendableUrlProblem(written, url, method);
    if (problem !== undefined) this.fail('other', target, problem);
    // The fragment is never sent.
    if (url.hash !== '') url.hash = '';
    return url.href;
  }

  private options(isSse: boolean): SendOptions {
    // Most requests have no directive: they share the run's merged options.
    if (this.input.request.directives.length === 0 && !isSse) return baseOptions(this.input.defaults);
    const options: { -readonly [K in keyof SendOptions]: SendOptions[K] } = { ...baseOptions(this.input.defaults) };
    if (isSse) options.stream = 'events';
    for (const directive of this.input.request.directives) {
      switch (directive.name.text) {
        case 'no-redirect':
          options.followRedirects = false;
          break;
        case 'no-cookie-jar':
          options.useCookieJar = false;
          break;
        case 'insecure':
          options.insecure = true;
          break;
        case 'timeout':
          options.timeoutMs = this.duration(directive);
          break;
        case 'connection-timeout':
          options.connectTimeoutMs = this.duration(directive);
          break;
        case 'stream':
          options.stream ??= 'lines';
          break;
      }
    }
    return options;
  }

  /** `30`, `30 s`, `500 ms`, `2 m`: seconds unless a unit says otherwise, as JetBrains and REST Client read it. */
  private duration(directive: Directive): number {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(directive.value?.text ?? '');
    if (match === null) this.fail('other', directive, `@${directive.name.text} needs a duration such as 30 (seconds), 500 ms, 5 s or 2 m`);
    const unit = match[2] ?? 's';
    return Math.round(Number(match[1]) * (unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1));
  }

  private body(headers: [string, string][], isGraphql: boolean): BodyChunk[] | undefined {
    const { body } = this.input.request;
    if (body === undefined || body.parts.length === 0) return undefined;
    // The first Content-Type counts, as for the parser and diagnostics (language/contentType.ts).
    const contentTypeIndex = contentTypeHeaderIndex(headers.length, (index) => isContentTypeName(headers[index][0]));
    const contentType = contentTypeIndex === -1 ? undefined : headers[contentTypeIndex][1];
    if (isGraphql && body.graphql !== undefined) {
      if (contentType === undefined) headers.push(['Content-Type', 'application/json']);
      return [encoder.encode(this.graphql(body.graphql))];
    }
    if (body.multipart !== undefined) return this.multipart(body.multipart);
    if (contentType !== undefined && /^\s*application\/x-www-form-urlencoded\b/i.test(contentType) && body.parts.every((part) => part.kind === 'text')) {
      // One `&key=value` per line, joined into one line.
      const joined = body.parts.map((part) => (part.kind === 'text' ? this.expand(part.text) : '')).join('\n');
      return [encoder.encode(joined.split(/\r?\n/).map((line) => line.trim()).join(''))];
    }
    return this.parts(body.parts, (text) => text);
  }

  /** Text and file parts in order; the line breaks written between them are kept, the body's outer blank lines are not. */
  private parts(parts: readonly BodyPart[], lineEndings: (text: string) => string): BodyChunk[] {
    const chunks = new ChunkBuilder();
    const { text } = this.input.document;
    parts.forEach((part, index) => {
      if (index > 0) chunks.text(lineEndings(text.slice(parts[index - 1]?.end ?? part.start, part.start)));
      if (part.kind === 'text') {
        let value = this.expand(part.text);
        if (index === 0) value = value.replace(/^(?:[ \t]*\r?\n)+/, '');
        if (index === parts.length - 1) value = value.replace(/(?:\r?\n)+$/, '');
        chunks.text(lineEndings(value));
        return;
      }
      const path = this.bodyFile(part.path);
      if (part.substituteVariables) {
        chunks.text(this.substitute(readFileSync(path, 'utf8'), part.path));
      } else {
        chunks.file(path);
      }
    });
    return chunks.done();
  }

  /** Resolves a body file from the `.http` file's folder; a missing one fails naming both paths. */
  private bodyFile(template: Template): string {
    const written = this.expand(template).trim();
    // The folder is found here, not per request: most requests have no body file, and dirname showed in profiles.
    const folder = this.input.file === undefined ? process.cwd() : dirname(this.input.file);
    const path = isAbsolute(written) ? written : resolve(folder, written);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      this.fail('file', template, `file ${written} not found (looked for ${path}): fix the path, relative to the .http file's folder`);
    }
    if (!isFile) this.fail('file', template, `${written} is not a file (${path})`);
    return path;
  }

  /** RFC 2046: `--boundary` CRLF, part headers, CRLF, content, CRLF ... `--boundary--` CRLF. */
  private multipart(multipart: MultipartBody): BodyChunk[] {
    const chunks = new ChunkBuilder();
    const toCrlf = (text: string): string => text.replace(/\r?\n/g, CRLF);
    for (const part of multipart.parts) {
      chunks.text(`--${multipart.boundary}${CRLF}`);
      for (const header of part.headers) chunks.text(`${header.name.text}: ${this.expand(header.value).trim()}${CRLF}`);
      chunks.text(CRLF);
      for (const chunk of this.parts(part.content, toCrlf)) {
        if (chunk instanceof Uint8Array) chunks.bytes(chunk);
        else chunks.file(chunk.path);
      }
      chunks.text(CRLF);
    }
    chunks.text(`--${multipart.boundary}--${CRLF}`);
    return chunks.done();
  }

  private graphql({ query, variables, operationName, fragments }: GraphqlBody): string {
    let queryText = this.expand(query).trim();
    // httpYac's fragments written above the request line follow the query, one line break apart.
    for (const fragment of fragments) queryText += `\n${this.expand(fragment.text)}`;
    const payload: { query: string; variables?: unknown; operationName?: string } = { query: queryText };
    if (variables !== undefined) {
      const text = this.expand(variables);
      try {
        payload.variables = JSON.parse(text) as unknown;
      } catch (error) {
        this.fail('other', variables, `the GraphQL variables are not valid JSON (${(error as Error).message}): write a JSON object after the blank line that follows the query`);
      }
    }
    if (operationName !== undefined) payload.operationName = operationName;
    this.graphqlQuery = { text: queryText, operationName };
    return JSON.stringify(payload);
  }
}

/** Collects body chunks, merging adjacent text into one buffer. */
class ChunkBuilder {
  private readonly chunks: BodyChunk[] = [];
  private pending: Uint8Array[] = [];

  text(value: string): void {
    if (value !== '') this.pending.push(encoder.encode(value));
  }

  bytes(value: Uint8Array): void {
    this.pending.push(value);
  }

  file(path: string): void {
    this.flush();
    this.chunks.push({ path });
  }

  done(): BodyChunk[] {
    this.flush();
    return this.chunks;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending));
    this.pending = [];
  }
}

// A run passes the same defaults object for every request: merge it once.
const mergedDefaults = new WeakMap<Partial<SendOptions>, SendOptions>();

/** `defaultSendOptions` overlaid with the settings that are set (an undefined setting keeps the default). */
function baseOptions(defaults: Partial<SendOptions> | undefined): SendOptions {
  if (defaults === undefined) return defaultSendOptions;
  let merged = mergedDefaults.get(defaults);
  if (merged === undefined) {
    merged = { ...defaultSendOptions, ...Object.fromEntries(Object.entries(defaults).filter(([, value]) => value !== undefined)) };
    mergedDefaults.set(defaults, merged);
  }
  return merged;
}

// Characters a URL may hold as they are (RFC 3986 unreserved and reserved).
const urlSafe = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/;

// A URL with only safe characters and complete `%XX` escapes, as most are: nothing to encode.
const alreadyEncoded = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

// What a plain http(s) URL may hold, part by part: characters of `urlSafe` other than the part's
// delimiters, and `%XX` escapes, all of which URL parsing keeps as written. A path segment must not
// start with `.` or `%2e` (it may be a dot segment, which parsing removes), and a query must not
// hold an apostrophe (which parsing encodes). No fragment.
const percentEscape = '%[0-9A-Fa-f]{2}';
const authorityOrSegmentChar = `[A-Za-z0-9\\-._~:@!$&'()*+,;=[\\]]|${percentEscape}`;
const queryChar = `[A-Za-z0-9\\-._~:@!$&()*+,;=[\\]/?]|${percentEscape}`;
const plainHttpUrl = new RegExp(`^https?://(?:${authorityOrSegmentChar})+(?:/(?!\\.|%2[eE])(?:${authorityOrSegmentChar})*)+(?:\\?(?:${queryChar})*)?$`);

// The normalised form of each `http(s)://authority` seen, e.g. `http://Example.COM:80` -> `http://example.com`.
// Bounded so a long-lived session does not grow without limit.
const normalisedOrigins = new Map<string, string>();
const normalisedOriginsLimit = 1_000;

/** The normalised origin of `url`, whose path starts at `pathStart`; undefined when the origin is not valid. */
function normalisedOrigin(url: string, pathStart: number): string | undefined {
  const written = url.slice(0, pathStart);
  let normalised = normalisedOrigins.get(written);
  if (normalised === undefined) {
    let parsed: URL;
    try {
      parsed = new URL(`${written}/`);
    } catch {
      return undefined;
    }
    if (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '' || !parsed.href.endsWith('/')) return undefined;
    normalised = parsed.href.slice(0, -1);
    // An origin with credentials (`https://user:secret@host`) is not remembered: the secret
    // must not outlive the request in a module-wide cache.
    if (parsed.username !== '' || parsed.password !== '' || written.includes('@')) return normalised;
    if (normalisedOrigins.size >= normalisedOriginsLimit) normalisedOrigins.clear();
    normalisedOrigins.set(written, normalised);
  }
  return normalised;
}

/**
 * `new URL(encodeOnce(url)).href` without parsing the URL, when that is sure to change nothing
 * but the origin (normalised once per origin): an `http://` or `https://` URL with a path, made
 * only of characters that need no encoding and that the URL standard keeps as written, without a
 * fragment, a dot segment or, in the query, an apostrophe (which it encodes). Undefined for any
 * other URL: the caller parses it. Parsing, with its getters and regexes, was the largest cost
 * of preparing a request: about 40% of preparing run.bench's requests.
 */
export function plainHttpHref(url: string): string | undefined {
  if (!plainHttpUrl.test(url)) return undefined;
  const pathStart = url.indexOf('/', url.charCodeAt(4) === 0x73 /* https */ ? 8 : 7);
  const origin = normalisedOrigin(url, pathStart);
  return origin === undefined ? undefined : origin + url.slice(pathStart);
}

/** Percent-encodes spaces, non-ASCII and other unsafe characters; `%XX` already written stays as is. */
export function encodeOnce(url: string): string {
  // Checking the whole URL at once costs a fraction of the character-by-character walk below.
  if (alreadyEncoded.test(url)) return url;
  let encoded = '';
  for (let index = 0; index < url.length; index++) {
    const char = url[index] ?? '';
    if (char === '%' && /^[0-9A-Fa-f]{2}$/.test(url.slice(index + 1, index + 3))) {
      encoded += char;
    } else if (urlSafe.test(char)) {
      encoded += char;
    } else {
      const code = url.codePointAt(index) ?? 0;
      const whole = code > 0xffff ? String.fromCodePoint(code) : char;
      if (code > 0xffff) index++;
      try {
        encoded += encodeURIComponent(whole);
      } catch {
        // A lone surrogate: encode the replacement character rather than fail.
        encoded += '%EF%BF%BD';
      }
    }
  }
  return encoded;
}

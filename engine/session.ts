// A Session sends PreparedRequests and returns Exchanges: always a value, never a thrown error.
// It keeps the state that outlives one request: a transport per kind (undici pools, keep-alive per
// origin), the cookie jar, TLS settings, proxy routes, temp files of large bodies and the slots
// later features fill. Each request goes through the exchange policy (exchangePolicy.ts:
// redirects, Digest, AWS signatures, retries, cookies per hop) over the transport its URL and version choose.
import { stat, unlink } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { isKnownMethod } from '../language/data/methods';
import { opensWebSocket } from '../language/data/urlSchemes';
import { applyAuthorization } from './auth';
import { hideAwsSecrets } from './awsSignature';
import type * as CookieJarModule from './cookieJar';
import type { CookieStore, PersistentCookieJar } from './cookieJar';
import { EngineFailure, toEngineError } from './errors';
import { exchangeHops, type ExchangeProgress, type ExchangeRun, type PolicySession, type PreparedHop } from './exchangePolicy';
import type { BodyChunk, EngineError, Exchange, ExchangeObserver, PreparedRequest, ResponseSummary } from './model';
import { declareBodyLength, planOutgoingHeaders } from './outgoingHeaders';
import { ProxyRoutes } from './proxy';
import type { BodyLimits } from './responseBody';
import { SessionState } from './sessionState';
import { TimingRecorder } from './timings';
import { TlsSettings, type ClientCertificate } from './tls';
import { headerValues, transportKindFor, unsendableUrlProblem, type Hop, type HopResponse, type OutgoingBody, type Transport, type TransportKind } from './transport';
import { UndiciTransport, type UndiciTransportOptions } from './transports/undici';
import { WebSocketTransport } from './transports/websocket';

// tough-cookie and its public-suffix list load in more time than many local exchanges take, and
// most runs never see a cookie: the jar module is required when the first cookie needs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- `import` would load it at start-up
const cookieJarModule = (): typeof CookieJarModule => require('./cookieJar') as typeof CookieJarModule;

export type { ClientCertificate } from './tls';
export type { SessionSlot } from './sessionState';
export type { Transport, TransportKind } from './transport';
export type { UndiciTransportOptions } from './transports/undici';
export { headerValues } from './transport';
export type { CookieStore, StoredCookie } from './cookieJar';

/** How a session connects, trusts, proxies, stores cookies and keeps bodies. */
export interface SessionOptions {
  /** Parallel connections per origin (default 6). */
  readonly connectionsPerOrigin?: number;
  /** How long an idle keep-alive connection stays open (default 4 s). */
  readonly keepAliveTimeoutMs?: number;
  /** PEM files of CAs trusted in addition to the system ones. */
  readonly caFiles?: readonly string[];
  /** Client certificates, chosen by host. */
  readonly clientCertificates?: readonly ClientCertificate[];
  /** Hosts (`name`, `name:port`, globs) whose certificates are not verified. */
  readonly insecureHosts?: readonly string[];
  /** Proxy URL for every request; when undefined, HTTP_PROXY / HTTPS_PROXY / NO_PROXY from `environment`. */
  readonly proxy?: string | undefined;
  /** Where proxy variables are read (default `process.env`). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Cookie jar file: loaded on open and saved atomically after each change; in memory only when undefined. */
  readonly cookieJarFile?: string | undefined;
  /** Response bytes kept in memory; larger bodies also go to a temp file (default 1 MiB). */
  readonly maxInMemoryBodyBytes?: number;
  /** Decoded size allowed for a compressed body before it is refused as `body-too-large` (default 1 GiB). */
  readonly maxDecompressedBytes?: number;
  /** Where large bodies are written (default the OS temp dir); files are deleted when the session closes. */
  readonly tempDir?: string;
  /** Messages of a streamed response kept in memory; the rest of them go to a temp file (default 1,000). */
  readonly messagesInMemory?: number;
  /** Delay before the first retry of a failed connection, doubled for each further retry (default 200 ms). */
  readonly retryDelayMs?: number;
  /** The clock AWS signatures are made by (default: the system's); tests fix it. */
  readonly clock?: () => Date;
  /**
   * Makes the transport of each kind (default: undici). Where a new protocol plugs in before it has
   * a scheme of its own, and how tests put a transport that answers with a stream under a session.
   */
  readonly createTransport?: (kind: TransportKind, options: UndiciTransportOptions) => Transport;
}

const defaults = {
  connectionsPerOrigin: 6,
  keepAliveTimeoutMs: 4_000,
  maxInMemoryBodyBytes: 1024 * 1024,
  maxDecompressedBytes: 1024 * 1024 * 1024,
  retryDelayMs: 200,
  /** Hard limit for opening one connection when a request sets no connect timeout. */
  connectLimitMs: 30_000,
};

/** Sends requests with shared connections, cookies and TLS settings. Open with `Session.open`. */
export class Session {
  /** Problems found while opening (e.g. a corrupt cookie jar set aside); also reported on the first exchange. */
  readonly warnings: readonly string[];
  private pendingWarnings: readonly string[];
  private readonly tempFiles = new Set<string>();
  /** One transport per kind, made when a request first needs it. */
  private readonly transports = new Map<TransportKind, Transport>();
  private closed = false;
  private readonly bodyLimits: BodyLimits;
  private readonly clock: () => Date;
  /** What the exchange policy asks of this session; made once, not per request. */
  private readonly policySession: PolicySession;
  /**
   * False while the jar is known to be empty: asking tough-cookie for a Cookie header costs more than
   * the rest of a local exchange, so requests skip it until a response stores a cookie.
   */
  private jarMayHoldCookies: boolean;
  /** The in-memory jar of a session without a jar file, made when the first cookie arrives. */
  private jarOpening: Promise<PersistentCookieJar> | undefined;
  /** The jar, or undefined while a session without a jar file has stored no cookie. */
  private jar: PersistentCookieJar | undefined;
  /** What later features keep per session beside the cookies (OAuth tokens, script globals). */
  readonly state = new SessionState();
  /** The jar as users see it; while there is none, it is empty. */
  readonly cookies: CookieStore = {
    list: async () => (this.jar === undefined ? [] : this.jar.list()),
    clear: async () => this.jar?.clear(),
    clearDomain: async (domain) => (this.jar === undefined ? 0 : this.jar.clearDomain(domain)),
  };

  private constructor(
    private readonly options: SessionOptions,
    jar: PersistentCookieJar | undefined,
    private readonly tls: TlsSettings,
    private readonly proxies: ProxyRoutes,
    warnings: readonly string[],
    jarMayHoldCookies: boolean,
  ) {
    this.jar = jar;
    this.warnings = warnings;
    this.pendingWarnings = warnings;
    this.clock = options.clock ?? (() => new Date());
    this.jarMayHoldCookies = jarMayHoldCookies;
    this.bodyLimits = {
      maxInMemoryBytes: options.maxInMemoryBodyBytes ?? defaults.maxInMemoryBodyBytes,
      maxDecompressedBytes: options.maxDecompressedBytes ?? defaults.maxDecompressedBytes,
      tempDir: options.tempDir ?? tmpdir(),
    };
    this.policySession = {
      transportFor: (url, request, warnings) => this.transportFor(url, request, warnings),
      prepareHop: (hop, initiator, request, warnings) => this.prepareHop(hop, initiator, request, warnings),
      cookieSink: (hop, initiator, request) => this.cookieSink(hop, initiator, request),
      retryDelayMs: options.retryDelayMs ?? defaults.retryDelayMs,
    };
    // The HTTP/1.1 pool is made now: almost every session sends over it.
    this.transports.set('http1', this.createTransport('http1'));
  }

  /** Opens a session; rejects with a message naming the setting when a CA, certificate or proxy setting is unusable. */
  static async open(options: SessionOptions = {}): Promise<Session> {
    const tls = await TlsSettings.load(options);
    const proxies = ProxyRoutes.from(options.proxy, options.environment ?? process.env);
    if (options.cookieJarFile === undefined) return new Session(options, undefined, tls, proxies, [], false);
    const { jar, warnings } = await cookieJarModule().PersistentCookieJar.open(options.cookieJarFile);
    return new Session(options, jar, tls, proxies, warnings, (await jar.list()).length > 0);
  }

  /** Sends `request` through the exchange policy (redirects, Digest challenges, retries); never throws. */
  async send(request: PreparedRequest, signal?: AbortSignal, observer?: ExchangeObserver): Promise<Exchange> {
    const timings = new TimingRecorder();
    const warnings: string[] = [...this.pendingWarnings];
    this.pendingWarnings = [];
    const progress: ExchangeProgress = {
      sent: { method: request.method, url: request.url, headers: hideAwsSecrets(request.headers), bodySize: 0 },
      redirects: [],
      target: undefined,
    };
    let response: ResponseSummary | undefined;
    let error: EngineError | undefined;
    const deadline = armDeadline(request, signal);
    try {
      if (this.closed) throw new EngineFailure('other', 'the session is closed; open a new one to send requests');
      const initiator = parseUrl(request.url, request);
      const { headers, digest, aws } = applyAuthorization(request.headers, where(request));
      const run: ExchangeRun = { request, initiator, digest, aws, now: this.clock, timings, signal: deadline.signal, observer, warnings, progress };
      const hopResponse = await exchangeHops(this.policySession, run, { url: initiator, method: methodOnTheWire(request.method), headers, body: request.body });
      response = withoutConnectionWarnings(hopResponse);
    } catch (caught) {
      error = toEngineError(deadline.reason() ?? caught, describeTarget(progress.target, this.proxies));
    } finally {
      deadline.disarm();
    }
    return { request: progress.sent, origin: request.origin, response, redirects: progress.redirects, timings: timings.finish(), error, warnings };
  }

  /** Closes every connection and deletes the temp files of large bodies. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Sends still in flight are cancelled: closing waits for nothing that may never finish.
    for (const transport of this.transports.values()) transport.abortPending();
    await Promise.allSettled([...this.transports.values()].map((transport) => transport.close()));
    await Promise.allSettled([...this.tempFiles].map((file) => unlink(file)));
    this.tempFiles.clear();
    this.state.clear();
  }

  private transportFor(url: URL, request: PreparedRequest, warnings: string[]): Transport {
    const problem = unsendableUrlProblem(url.href, url, request.method);
    if (problem !== undefined) throw new EngineFailure('other', `${where(request)}: ${problem}`);
    if (request.httpVersion === undefined && (url.protocol === 'http:' || url.protocol === 'https:') && !opensWebSocket(request.method)) return this.transports.get('http1') as Transport;
    const { kind, warning } = transportKindFor(url, request.httpVersion, request.method);
    if (warning !== undefined && !warnings.includes(warning)) warnings.push(warning);
    let transport = this.transports.get(kind);
    if (transport === undefined) {
      transport = this.createTransport(kind);
      this.transports.set(kind, transport);
    }
    return transport;
  }

  private createTransport(kind: TransportKind): Transport {
    const options: UndiciTransportOptions = {
      kind,
      tls: this.tls,
      proxies: this.proxies,
      connectionsPerOrigin: this.options.connectionsPerOrigin ?? defaults.connectionsPerOrigin,
      keepAliveTimeoutMs: this.options.keepAliveTimeoutMs ?? defaults.keepAliveTimeoutMs,
      connectLimitMs: defaults.connectLimitMs,
      bodyLimits: this.bodyLimits,
      onTempFile: (file) => this.tempFiles.add(file),
      ...(this.options.messagesInMemory === undefined ? {} : { messagesInMemory: this.options.messagesInMemory }),
    };
    return this.options.createTransport?.(kind, options) ?? (kind === 'websocket' || kind === 'graphql-ws' ? new WebSocketTransport(options, kind) : new UndiciTransport(options));
  }

  /** The headers exactly as they will be sent, with the body to send and its size. */
  private async prepareHop(hop: Hop, initiator: URL, request: PreparedRequest, warnings: string[]): Promise<PreparedHop> {
    const useJar = request.options.useCookieJar;
    const { headers: outgoing, chunked, userCookie } = planOutgoingHeaders(hop.headers, useJar, warnings);
    if (useJar) {
      const fromJar = this.jarMayHoldCookies && this.jar !== undefined ? await this.jar.cookieHeader(hop.url, cookieJarModule().sameSiteContextFor(hop.url, initiator, hop.method)) : undefined;
      const cookie = [userCookie, fromJar].filter((part) => part !== undefined).join('; ');
      if (cookie !== '') outgoing.push(['Cookie', cookie]);
    }
    const bodySize = await bodyLength(hop.body, request);
    if (hop.body !== undefined) {
      const declared = request.headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1];
      if (declared !== undefined && !chunked && Number(declared) !== bodySize && hop.body === request.body) {
        warnings.push(`Content-Length ${declared} was replaced by the body's actual size, ${bodySize} bytes`);
      }
      declareBodyLength(outgoing, chunked, bodySize);
    }
    return { outgoing: { hop, headers: outgoing, body: requestBody(hop.body, chunked) }, bodySize, bodyAgain: () => requestBody(hop.body, chunked) };
  }

  /** Stores a hop's cookies as soon as its headers arrive, and saves the jar once the hop is over. */
  private cookieSink(hop: Hop, initiator: URL, request: PreparedRequest): ReturnType<PolicySession['cookieSink']> {
    const storing: Promise<string[]>[] = [];
    return {
      onHeaders: (received) => {
        const setCookies = headerValues(received, 'set-cookie');
        if (!request.options.useCookieJar || setCookies.length === 0) return;
        this.jarMayHoldCookies = true;
        const context = cookieJarModule().sameSiteContextFor(hop.url, initiator, hop.method);
        storing.push(this.openJar().then((jar) => jar.storeFromResponse(hop.url, setCookies, context)));
      },
      settle: async (warnings) => {
        if (storing.length === 0) return;
        for (const rejected of await Promise.all(storing)) warnings.push(...rejected);
        await this.saveCookies(warnings);
      },
    };
  }

  private async openJar(): Promise<PersistentCookieJar> {
    if (this.jar !== undefined) return this.jar;
    this.jarOpening ??= cookieJarModule()
      .PersistentCookieJar.open(undefined)
      .then(({ jar }) => (this.jar = jar));
    return this.jarOpening;
  }

  private async saveCookies(warnings: string[]): Promise<void> {
    try {
      await this.jar?.save();
    } catch (error) {
      warnings.push(error instanceof Error ? error.message : String(error));
    }
  }
}

/** The response as an exchange carries it: the connection's warnings were moved to the exchange's. */
function withoutConnectionWarnings(response: HopResponse): ResponseSummary {
  // Written out: a rest spread per exchange showed in profiles.
  const { status, statusText, httpVersion, headers, body } = response;
  return response.shape === 'stream' ? { shape: 'stream', status, statusText, httpVersion, headers, body, stream: response.stream } : { status, statusText, httpVersion, headers, body };
}

/** What stops an exchange early: the caller's signal, the whole-exchange timeout, or neither. */
interface Deadline {
  /** Undefined when nothing can stop the exchange, so no listener or controller is made for it. */
  readonly signal: AbortSignal | undefined;
  /** Why the exchange was stopped, as an `EngineFailure`; undefined while it was not. */
  reason(): unknown;
  disarm(): void;
}

/**
 * Combines the caller's signal and the whole-exchange timeout. Without a timeout the caller's
 * signal is used as it is: a controller, a listener and a timer per request showed in profiles.
 */
function armDeadline(request: PreparedRequest, signal: AbortSignal | undefined): Deadline {
  const cancelled = (): EngineFailure => new EngineFailure('aborted', `the request to ${safeHost(request.url)} was cancelled`);
  const timeoutMs = request.options.timeoutMs;
  if (timeoutMs === undefined) {
    return { signal, reason: () => (signal?.aborted === true ? cancelled() : undefined), disarm: () => undefined };
  }
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(cancelled());
  if (signal?.aborted === true) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new EngineFailure('timeout', `no complete response from ${safeHost(request.url)} within ${timeoutMs} ms (timeoutMs)`)), timeoutMs);
  return {
    signal: controller.signal,
    reason: () => (controller.signal.aborted ? (controller.signal.reason as unknown) : undefined),
    disarm: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

async function bodyLength(body: readonly BodyChunk[] | undefined, request: PreparedRequest): Promise<number> {
  let total = 0;
  for (const chunk of body ?? []) {
    if (chunk instanceof Uint8Array) {
      total += chunk.byteLength;
      continue;
    }
    try {
      const info = await stat(chunk.path);
      if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
      total += info.size;
    } catch (error) {
      const where = request.origin.file === undefined ? `line ${request.origin.line}` : `${request.origin.file}:${request.origin.line}`;
      const reason = error instanceof Error ? error.message : String(error);
      throw new EngineFailure('file', `${where}: cannot read the body file ${chunk.path} (${reason}); check the path after "<"`);
    }
  }
  return total;
}

/** Bodies up to this size that are all in memory are handed to undici as one buffer. */
const maxBufferedBodyBytes = 1024 * 1024;

/**
 * The body for one attempt. A small in-memory body goes as bytes: a stream per request costs an
 * async generator and a Readable, and undici must treat a streamed body as unrepeatable.
 */
function requestBody(body: readonly BodyChunk[] | undefined, chunked: boolean): OutgoingBody | undefined {
  if (body === undefined) return undefined;
  if (!chunked && body.every((chunk): chunk is Uint8Array => chunk instanceof Uint8Array)) {
    const size = body.reduce((total, chunk) => total + chunk.byteLength, 0);
    if (size <= maxBufferedBodyBytes) return body.length === 1 ? body[0] : Buffer.concat(body);
  }
  return Readable.from(streamChunks(body), { objectMode: false });
}

async function* streamChunks(body: readonly BodyChunk[]): AsyncGenerator<Uint8Array> {
  for (const chunk of body) {
    if (chunk instanceof Uint8Array) {
      if (chunk.byteLength > 0) yield chunk;
      continue;
    }
    for await (const piece of createReadStream(chunk.path, { highWaterMark: 64 * 1024 })) yield piece as Buffer;
  }
}

function parseUrl(url: string, request: PreparedRequest): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below with the request's location.
  }
  const problem = unsendableUrlProblem(url, parsed, request.method);
  if (problem !== undefined || parsed === undefined) throw new EngineFailure('other', `${where(request)}: ${problem}`);
  return parsed;
}

/** The request's file and line, for messages. */
function where(request: PreparedRequest): string {
  return request.origin.file === undefined ? `line ${request.origin.line}` : `${request.origin.file}:${request.origin.line}`;
}

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The host (and proxy) a failure is about; empty before the first hop. */
function describeTarget(url: URL | undefined, proxies: ProxyRoutes): { host: string; port: number; proxy: string | undefined } {
  if (url === undefined) return { host: '', port: 0, proxy: undefined };
  const proxy = proxies.proxyFor(url.protocol, url.hostname, portOf(url));
  return { host: url.hostname, port: portOf(url), proxy: proxy === undefined ? undefined : `${proxy.host}:${proxy.port}` };
}

/**
 * The method a request line's name sends. Methods are case-sensitive on the wire: a method the
 * `.http` language knows (GET, the WebDAV ones, ...) is sent upper-cased, as a file may write
 * `get` or `propfind`; any other is sent as written, as curl sends `-X wHat`.
 */
export function methodOnTheWire(written: string): string {
  const upper = written.toUpperCase();
  return isKnownMethod(upper) ? upper : written;
}


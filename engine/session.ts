// A Session sends PreparedRequests and returns Exchanges: always a value, never a thrown error.
// It owns undici connection pools (keep-alive per origin), the cookie jar, TLS settings and the
// proxy routes, follows redirects itself so every hop gets its cookies, and streams bodies both
// ways so memory stays bounded.
import { stat, unlink } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { applyAuthorization, digestAuthorization, parseDigestChallenge } from './auth';
import type * as CookieJarModule from './cookieJar';
import type { CookieStore, PersistentCookieJar } from './cookieJar';
import { EngineFailure, errorCode, toEngineError } from './errors';
import { type BodyChunk, type EngineError, type Exchange, type PreparedRequest, type ResponseBody, type ResponseSummary } from './model';
import { ProxyRoutes, type Proxy } from './proxy';
import { followRedirect, isRedirect } from './redirects';
import { ResponseBodyCollector, type BodyLimits } from './responseBody';
import { withRetries } from './retry';
import { claimNextSocket, createTimedConnector, TimingRecorder, type TimedConnector } from './timings';
import { TlsSettings, type ClientCertificate } from './tls';
import { defaultUserAgent } from './version';

// undici's index also builds fetch, WebSocket, caches, mocks and interceptors on load, which took
// more CPU than 1,000 local exchanges' share of the Agent itself; the Agent is all Courier uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- undici declares no types for its own modules
const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;

// tough-cookie and its public-suffix list load in more time than many local exchanges take, and
// most runs never see a cookie: the jar module is required when the first cookie needs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- `import` would load it at start-up
const cookieJarModule = (): typeof CookieJarModule => require('./cookieJar') as typeof CookieJarModule;

export type { ClientCertificate } from './tls';
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
  /** Delay before the first retry of a failed connection, doubled for each further retry (default 200 ms). */
  readonly retryDelayMs?: number;
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

type HeaderList = readonly (readonly [name: string, value: string])[];
type MutableHeaders = [name: string, value: string][];

/** One request/response round trip on the wire. */
interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly headers: HeaderList;
  readonly body: readonly BodyChunk[] | undefined;
}

interface HopResponse extends ResponseSummary {
  /** Warnings from opening the connection (e.g. verification skipped). */
  readonly connectionWarnings: readonly string[];
}

/** Sends requests with shared connections, cookies and TLS settings. Open with `Session.open`. */
export class Session {
  /** Problems found while opening (e.g. a corrupt cookie jar set aside); also reported on the first exchange. */
  readonly warnings: readonly string[];
  private pendingWarnings: readonly string[];
  private readonly tempFiles = new Set<string>();
  private insecurePool: Pool | undefined;
  private closed = false;
  private readonly bodyLimits: BodyLimits;
  /**
   * False while the jar is known to be empty: asking tough-cookie for a Cookie header costs more than
   * the rest of a local exchange, so requests skip it until a response stores a cookie.
   */
  private jarMayHoldCookies: boolean;
  /** The in-memory jar of a session without a jar file, made when the first cookie arrives. */
  private jarOpening: Promise<PersistentCookieJar> | undefined;
  /** The jar, or undefined while a session without a jar file has stored no cookie. */
  private jar: PersistentCookieJar | undefined;
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
    private readonly pool: Pool,
    warnings: readonly string[],
    jarMayHoldCookies: boolean,
  ) {
    this.jar = jar;
    this.warnings = warnings;
    this.pendingWarnings = warnings;
    this.jarMayHoldCookies = jarMayHoldCookies;
    this.bodyLimits = {
      maxInMemoryBytes: options.maxInMemoryBodyBytes ?? defaults.maxInMemoryBodyBytes,
      maxDecompressedBytes: options.maxDecompressedBytes ?? defaults.maxDecompressedBytes,
      tempDir: options.tempDir ?? tmpdir(),
    };
  }

  /** Opens a session; rejects with a message naming the setting when a CA, certificate or proxy setting is unusable. */
  static async open(options: SessionOptions = {}): Promise<Session> {
    const tls = await TlsSettings.load(options);
    const proxies = ProxyRoutes.from(options.proxy, options.environment ?? process.env);
    const pool = createPool(options, tls, proxies, false);
    if (options.cookieJarFile === undefined) return new Session(options, undefined, tls, proxies, pool, [], false);
    const { jar, warnings } = await cookieJarModule().PersistentCookieJar.open(options.cookieJarFile);
    return new Session(options, jar, tls, proxies, pool, warnings, (await jar.list()).length > 0);
  }

  /** Sends `request`, following redirects and answering Digest challenges; never throws. */
  async send(request: PreparedRequest, signal?: AbortSignal): Promise<Exchange> {
    const timings = new TimingRecorder();
    const warnings: string[] = [...this.pendingWarnings];
    this.pendingWarnings = [];
    const redirects: { status: number; url: string }[] = [];
    let sent: Exchange['request'] = { method: request.method, url: request.url, headers: request.headers, bodySize: 0 };
    let response: ResponseSummary | undefined;
    let error: EngineError | undefined;
    let target = { host: '', port: 0, proxy: undefined as string | undefined };
    const deadline = armDeadline(request, signal);
    try {
      if (this.closed) throw new EngineFailure('other', 'the session is closed; open a new one to send requests');
      const initiator = parseUrl(request.url, request);
      const { headers, digest } = applyAuthorization(request.headers);
      let hop: Hop = { url: initiator, method: request.method.toUpperCase(), headers, body: request.body };
      let digestAnswered = false;
      for (;;) {
        target = describeTarget(hop.url, this.proxies);
        const { outgoing, bodySize, body, chunked } = await this.prepareHop(hop, initiator, request, warnings);
        sent = { method: hop.method, url: hop.url.href, headers: outgoing, bodySize };
        // Cookies are stored as soon as headers arrive, so a body that fails later never loses them.
        const storing: Promise<string[]>[] = [];
        const currentHop = hop;
        const onHeaders = (received: HeaderList): void => {
          const setCookies = headerValues(received, 'set-cookie');
          if (!request.options.useCookieJar || setCookies.length === 0) return;
          this.jarMayHoldCookies = true;
          const context = cookieJarModule().sameSiteContextFor(currentHop.url, initiator, currentHop.method);
          storing.push(this.openJar().then((jar) => jar.storeFromResponse(currentHop.url, setCookies, context)));
        };
        let hopResponse: HopResponse;
        try {
          hopResponse = await withRetries(
            { method: hop.method, retries: request.options.retries, baseDelayMs: this.options.retryDelayMs ?? defaults.retryDelayMs, signal: deadline.signal ?? neverAborted },
            async (retry) => {
              if (retry > 0) timings.nextHop();
              const attemptBody = retry === 0 ? body : requestBody(hop.body, chunked);
              return this.dispatchHop(hop, outgoing, attemptBody, request, timings, deadline.signal, onHeaders);
            },
          );
        } finally {
          if (storing.length > 0) {
            for (const rejected of await Promise.all(storing)) warnings.push(...rejected);
            await this.saveCookies(warnings);
          }
        }
        response = hopResponse;
        warnings.push(...hopResponse.connectionWarnings);
        if (hopResponse.status === 401 && digest !== undefined && !digestAnswered) {
          const challenge = parseDigestChallenge(headerValues(hopResponse.headers, 'www-authenticate'));
          if (challenge === undefined) {
            warnings.push(`${hop.url.host} answered 401 without a Digest challenge Courier can answer (MD5 or SHA-256 with qop=auth)`);
            break;
          }
          digestAnswered = true;
          const authorization = digestAuthorization(challenge, digest, hop.method, `${hop.url.pathname}${hop.url.search}`);
          hop = { ...hop, headers: [...hop.headers, ['Authorization', authorization]] };
          timings.nextHop();
          continue;
        }
        if (!request.options.followRedirects || !isRedirect(hopResponse.status)) break;
        redirects.push({ status: hopResponse.status, url: hop.url.href });
        if (redirects.length > request.options.maxRedirects) {
          throw new EngineFailure(
            'too-many-redirects',
            `stopped after ${request.options.maxRedirects} redirects (last: ${hopResponse.status} from ${hop.url.href}); raise maxRedirects or check for a redirect loop`,
          );
        }
        const next = followRedirect(hopResponse.status, headerValues(hopResponse.headers, 'location')[0], hop.url, hop.method);
        hop = {
          url: next.url,
          method: next.method,
          headers: hop.headers.filter(([name]) => keepHeaderOnRedirect(name.toLowerCase(), next.keepBody, next.crossOrigin)),
          body: next.keepBody ? hop.body : undefined,
        };
        timings.nextHop();
      }
    } catch (caught) {
      error = toEngineError(deadline.reason() ?? caught, target);
    } finally {
      deadline.disarm();
    }
    return { request: sent, origin: request.origin, response, redirects, timings: timings.finish(), error, warnings };
  }

  /** Closes every connection and deletes the temp files of large bodies. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Sends still in flight are cancelled: closing waits for nothing that may never finish.
    for (const pool of [this.pool, this.insecurePool]) pool?.connector.abortPending();
    await Promise.allSettled([this.pool.agent.destroy(), this.insecurePool?.agent.destroy()]);
    await Promise.allSettled([...this.tempFiles].map((file) => unlink(file)));
    this.tempFiles.clear();
  }

  /** The headers exactly as they will be sent, with the body to send and its size. */
  private async prepareHop(
    hop: Hop,
    initiator: URL,
    request: PreparedRequest,
    warnings: string[],
  ): Promise<{ outgoing: HeaderList; bodySize: number; body: OutgoingBody | undefined; chunked: boolean }> {
    const outgoing: MutableHeaders = [];
    let chunked = false;
    let userCookie: string | undefined;
    for (const [name, value] of hop.headers) {
      const lower = name.toLowerCase();
      if (lower === 'content-length') continue;
      if (lower === 'transfer-encoding') {
        if (/(^|,)\s*chunked\s*$/i.test(value)) chunked = true;
        else warnings.push(`Transfer-Encoding "${value}" is not supported and was not sent`);
        continue;
      }
      if (lower === 'keep-alive' || lower === 'upgrade' || lower === 'expect') {
        warnings.push(`the ${name} header is managed by the connection and was not sent`);
        continue;
      }
      if (lower === 'cookie' && request.options.useCookieJar) {
        userCookie = userCookie === undefined ? value : `${userCookie}; ${value}`;
        continue;
      }
      outgoing.push([name, value]);
    }
    if (!outgoing.some(([name]) => name.toLowerCase() === 'user-agent')) outgoing.push(['User-Agent', defaultUserAgent]);
    if (request.options.useCookieJar) {
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
      outgoing.push(chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(bodySize)]);
    }
    return { outgoing, bodySize, body: requestBody(hop.body, chunked), chunked };
  }

  /** One round trip through undici with a streaming, backpressured body collector. */
  private async dispatchHop(
    hop: Hop,
    outgoing: HeaderList,
    body: OutgoingBody | undefined,
    request: PreparedRequest,
    timings: TimingRecorder,
    signal: AbortSignal | undefined,
    onHeaders: (headers: HeaderList) => void,
  ): Promise<HopResponse> {
    signal?.throwIfAborted();
    const proxy = hop.url.protocol === 'http:' ? this.proxies.proxyFor('http:', hop.url.hostname, portOf(hop.url)) : undefined;
    const insecure = request.options.insecure || this.tls.isInsecureHost(hop.url.hostname, portOf(hop.url));
    const agent = insecure ? this.insecurePoolFor().agent : this.pool.agent;
    const headers: string[] = [];
    for (const [name, value] of outgoing) {
      // undici writes Content-Length and Transfer-Encoding itself from the body it is given.
      const lower = name.toLowerCase();
      if (lower === 'content-length' && body !== undefined) {
        headers.push(name, value);
      } else if (lower !== 'transfer-encoding') {
        headers.push(name, value);
      }
    }
    if (proxy?.authorization !== undefined) headers.push('Proxy-Authorization', proxy.authorization);
    const options: Dispatcher.DispatchOptions = {
      origin: proxy === undefined ? hop.url.origin : proxy.url.origin,
      // Through a plain proxy the request target is the absolute URL.
      path: proxy === undefined ? `${hop.url.pathname}${hop.url.search}` : hop.url.href.replace(/#.*$/, ''),
      method: hop.method,
      headers: proxy === undefined ? headers : ['Host', hop.url.host, ...headers],
      body: body ?? null,
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    return new Promise<HopResponse>((resolve, reject) => {
      let controller: Dispatcher.DispatchController | undefined;
      let collector: ResponseBodyCollector | undefined;
      let summary: Omit<ResponseSummary, 'body'> | undefined;
      let connectionWarnings: readonly string[] = [];
      let socketError: () => Error | undefined = () => undefined;
      let freshTlsWithoutClientCertificate = false;
      let settled = false;
      let connected = false;
      const connectTimeoutMs = request.options.connectTimeoutMs;
      const connectTimer =
        connectTimeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              if (!connected) fail(new EngineFailure('timeout', `could not connect to ${hop.url.host} within ${connectTimeoutMs} ms (connectTimeoutMs)`));
            }, connectTimeoutMs);
      const finish = (): void => {
        settled = true;
        clearTimeout(connectTimer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (reported: unknown): void => {
        if (settled) return;
        // undici says "other side closed" where the socket saw the real cause, such as a TLS alert.
        let error = errorCode(reported) === 'UND_ERR_SOCKET' ? (socketError() ?? reported) : reported;
        if (error === reported && summary === undefined && freshTlsWithoutClientCertificate && errorCode(reported) === 'UND_ERR_SOCKET') {
          error = new EngineFailure(
            'reset',
            `${hop.url.host} closed the TLS connection right after the handshake, before answering. ` +
              'Servers do this when they require a client certificate: configure one for this host in clientCertificates.',
          );
        }
        finish();
        collector?.destroy();
        if (body instanceof Readable) body.destroy();
        // Closing the socket is the only way to stop an HTTP/1.1 exchange midway.
        controller?.abort(error instanceof Error ? error : new Error(String(error)));
        reject(summary !== undefined && !(error instanceof EngineFailure) ? responseCutShort(error, hop.url) : asError(error));
      };
      const onAbort = (): void => fail(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (started) => {
          controller = started;
          if (settled) {
            started.abort(new Error('request abandoned'));
            return;
          }
          claimNextSocket((use) => {
            connected = true;
            timings.connectionUsed(use.phases);
            connectionWarnings = use.warnings;
            socketError = use.socketError;
            freshTlsWithoutClientCertificate = use.freshTlsWithoutClientCertificate;
          });
        },
        onResponseStart: (started, statusCode, _parsed, statusMessage) => {
          if (statusCode < 200 || settled) return;
          timings.responseStarted();
          const rawHeaders = rawHeaderPairs(started.rawHeaders);
          summary = { status: statusCode, statusText: statusMessage ?? '', httpVersion: '1.1', headers: rawHeaders };
          onHeaders(rawHeaders);
          collector = new ResponseBodyCollector(
            headerValues(rawHeaders, 'content-type')[0],
            headerValues(rawHeaders, 'content-encoding').join(', ') || undefined,
            this.bodyLimits,
            (file) => this.tempFiles.add(file),
          );
        },
        onResponseData: (started, chunk) => {
          if (settled || collector === undefined) return;
          if (!collector.write(chunk)) {
            started.pause();
            collector.onDrain(() => started.resume());
          }
        },
        onResponseEnd: () => {
          if (settled || collector === undefined || summary === undefined) return;
          const done = summary;
          const unsupported = collector.unsupportedEncodings;
          collector.end().then(
            (collected: ResponseBody) => {
              if (settled) return;
              timings.bodyReceived();
              finish();
              const warnings =
                unsupported.length === 0 ? connectionWarnings : [...connectionWarnings, `Content-Encoding ${unsupported.join(', ')} is not supported; the body is shown as received`];
              // Written out: spreading `done` here cost microseconds per exchange in profiles.
              const { status, statusText, httpVersion, headers: responseHeaders } = done;
              const answer: HopResponse = { status, statusText, httpVersion, headers: responseHeaders, body: collected, connectionWarnings: warnings };
              // undici frees a keep-alive socket one event-loop turn after the response (setImmediate);
              // answering after that turn lets the next request reuse it instead of opening another.
              setImmediate(resolve, answer);
            },
            (error: unknown) => fail(error),
          );
        },
        onResponseError: (_started, error) => fail(error),
      };
      try {
        agent.dispatch(options, handler);
      } catch (error) {
        fail(error);
      }
    });
  }

  private async openJar(): Promise<PersistentCookieJar> {
    if (this.jar !== undefined) return this.jar;
    this.jarOpening ??= cookieJarModule()
      .PersistentCookieJar.open(undefined)
      .then(({ jar }) => (this.jar = jar));
    return this.jarOpening;
  }

  private insecurePoolFor(): Pool {
    this.insecurePool ??= createPool(this.options, this.tls, this.proxies, true);
    return this.insecurePool;
  }

  private async saveCookies(warnings: string[]): Promise<void> {
    try {
      await this.jar?.save();
    } catch (error) {
      warnings.push(error instanceof Error ? error.message : String(error));
    }
  }
}

/** An undici Agent and its connector, which can stop connections undici is still waiting for. */
interface Pool {
  readonly agent: UndiciAgent;
  readonly connector: TimedConnector;
}

/** What stops an exchange early: the caller's signal, the whole-exchange timeout, or neither. */
interface Deadline {
  /** Undefined when nothing can stop the exchange, so no listener or controller is made for it. */
  readonly signal: AbortSignal | undefined;
  /** Why the exchange was stopped, as an `EngineFailure`; undefined while it was not. */
  reason(): unknown;
  disarm(): void;
}

/** Passed where a signal is required but nothing can abort. */
const neverAborted = new AbortController().signal;

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

function createPool(options: SessionOptions, tls: TlsSettings, proxies: ProxyRoutes, insecure: boolean): Pool {
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? defaults.keepAliveTimeoutMs;
  const connector = createTimedConnector({ tls, proxies, insecure, connectLimitMs: defaults.connectLimitMs });
  const agent = new Agent({
    connections: options.connectionsPerOrigin ?? defaults.connectionsPerOrigin,
    keepAliveTimeout,
    keepAliveMaxTimeout: Math.max(keepAliveTimeout, 600_000),
    pipelining: 1,
    allowH2: false,
    connect: connector.connect,
  });
  return { agent, connector };
}

function parseUrl(url: string, request: PreparedRequest): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed;
  } catch {
    // Reported below with the request's location.
  }
  const where = request.origin.file === undefined ? `line ${request.origin.line}` : `${request.origin.file}:${request.origin.line}`;
  throw new EngineFailure('other', `${where}: "${url}" is not an absolute http:// or https:// URL`);
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

function describeTarget(url: URL, proxies: ProxyRoutes): { host: string; port: number; proxy: string | undefined } {
  const proxy: Proxy | undefined = proxies.proxyFor(url.protocol, url.hostname, portOf(url));
  return { host: url.hostname, port: portOf(url), proxy: proxy === undefined ? undefined : `${proxy.host}:${proxy.port}` };
}

/** After a redirect, body headers go with the body, and credentials never cross origins. */
function keepHeaderOnRedirect(lower: string, keepBody: boolean, crossOrigin: boolean): boolean {
  if (!keepBody && (lower === 'content-type' || lower === 'content-encoding' || lower === 'content-language' || lower === 'content-location')) return false;
  if (crossOrigin && (lower === 'authorization' || lower === 'cookie' || lower === 'proxy-authorization')) return false;
  return true;
}

/** Values of a header, case-insensitively, in order. */
export function headerValues(headers: HeaderList, lowerName: string): string[] {
  return headers.filter(([name]) => name.toLowerCase() === lowerName).map(([, value]) => value);
}

function rawHeaderPairs(raw: Dispatcher.DispatchController['rawHeaders']): HeaderList {
  const pairs: [string, string][] = [];
  if (!Array.isArray(raw)) return pairs;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index];
    const value = raw[index + 1];
    pairs.push([headerText(name), headerText(value)]);
  }
  return pairs;
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

/** A request body as undici takes it: bytes in memory, or a stream for files and chunked encoding. */
type OutgoingBody = Uint8Array | Readable;

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

/** A failure after the response started: the connection broke mid-body. */
function responseCutShort(error: unknown, url: URL): EngineFailure {
  const reason = error instanceof Error ? error.message : String(error);
  return new EngineFailure('reset', `the response from ${url.host} was cut short: ${reason}`);
}

function headerText(raw: Buffer | string | undefined): string {
  return typeof raw === 'string' ? raw : (raw?.toString('latin1') ?? '');
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

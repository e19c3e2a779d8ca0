// HTTP/1.1 and HTTP/2 over undici. Both are one undici handler (`dispatch`) over a different pool:
// HTTP/1.1 connections offer only `http/1.1` in ALPN; HTTP/2 ones offer `h2` and refuse a server
// that does not take it; cleartext HTTP/2 (prior knowledge) speaks h2 on a plain TCP socket.
// Connections are opened by the timed connector, so every kind reports DNS, connect and TLS times.
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { Readable } from 'node:stream';
import { EngineFailure, errorCode } from '../errors';
import type { PresentedCertificate, ResponseBody, ResponseHead, StreamEnd } from '../model';
import type { ProxyRoutes } from '../proxy';
import { isRedirect } from '../redirects';
import { ResponseBodyCollector, type BodyLimits } from '../responseBody';
import { HttpMessageStream, httpStreamProtocol } from '../streams/httpStream';
import { streamEndOfAbort } from '../streams/streamRecorder';
import { claimNextSocket, createTimedConnector, type TimedConnector } from '../timings';
import type { TlsSettings } from '../tls';
import { headerValues, type HeaderList, type HopContext, type HopResponse, type OutgoingBody, type OutgoingHop, type Transport, type TransportKind } from '../transport';

// undici's index also builds fetch, WebSocket, caches, mocks and interceptors on load, which took
// more CPU than 1,000 local exchanges' share of the Agent itself; the Agent is all Courier uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- undici declares no types for its own modules
const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;

/** What an undici transport shares with its session. */
export interface UndiciTransportOptions {
  readonly kind: TransportKind;
  readonly tls: TlsSettings;
  readonly proxies: ProxyRoutes;
  readonly connectionsPerOrigin: number;
  readonly keepAliveTimeoutMs: number;
  /** Hard limit for opening one connection when a request sets no connect timeout. */
  readonly connectLimitMs: number;
  readonly bodyLimits: BodyLimits;
  /** Told of each temp file a large body is written to, so the session deletes it on close. */
  readonly onTempFile: (file: string) => void;
  /** Messages of a streamed response kept in memory (the rest go to a temp file); the recorder's default when undefined. */
  readonly messagesInMemory?: number;
}

/** An undici Agent and its connector, which can stop connections undici is still waiting for. */
interface Pool {
  readonly agent: UndiciAgent;
  readonly connector: TimedConnector;
}

/** Sends hops through undici connection pools of one kind (HTTP/1.1, HTTP/2 over TLS, or h2c). */
export class UndiciTransport implements Transport {
  /** Verified connections with the settings' certificates: what almost every request uses. */
  private readonly pool: Pool;
  /**
   * The other pools, made on first need, by the environment's client certificate (undefined for
   * the settings'): a connection is never shared across verification or certificate.
   */
  private readonly otherPools = new Map<PresentedCertificate | undefined, { verified?: Pool; insecure?: Pool }>();

  constructor(private readonly options: UndiciTransportOptions) {
    this.pool = this.createPool(false, undefined);
  }

  abortPending(): void {
    for (const pool of this.allPools()) pool.connector.abortPending();
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.allPools().map((pool) => pool.agent.destroy()));
  }

  /** One round trip through undici with a streaming, backpressured body collector. */
  roundTrip(outgoing: OutgoingHop, context: HopContext): Promise<HopResponse> {
    const { hop, body } = outgoing;
    const { request, timings, signal, onHeaders } = context;
    signal?.throwIfAborted();
    const { proxies, tls } = this.options;
    const proxy = hop.url.protocol === 'http:' ? proxies.proxyFor('http:', hop.url.hostname, portOf(hop.url)) : undefined;
    if (proxy !== undefined && this.options.kind === 'h2c') {
      throw new EngineFailure('protocol', `cleartext HTTP/2 (prior knowledge) cannot go through the HTTP proxy ${proxy.host}:${proxy.port}: send over https, or set NO_PROXY for ${hop.url.hostname}`);
    }
    const insecure = request.options.insecure || tls.isInsecureHost(hop.url.hostname, portOf(hop.url));
    const agent = this.poolFor(insecure, request.options.clientCertificate).agent;
    const headers: string[] = [];
    for (const [name, value] of outgoing.headers) {
      // undici writes Content-Length and Transfer-Encoding itself from the body it is given.
      const lower = name.toLowerCase();
      if (lower === 'content-length' && body !== undefined) {
        headers.push(name, value);
      } else if (lower !== 'transfer-encoding') {
        headers.push(name, value);
      }
    }
    if (proxy?.authorization !== undefined) headers.push('Proxy-Authorization', proxy.authorization);
    const sentBody = this.options.kind === 'http1' ? body : http2Body(hop.method, body, hop.url);
    const options: Dispatcher.DispatchOptions = {
      origin: proxy === undefined ? hop.url.origin : proxy.url.origin,
      // Through a plain proxy the request target is the absolute URL.
      path: proxy === undefined ? `${hop.url.pathname}${hop.url.search}` : hop.url.href.replace(/#.*$/, ''),
      method: hop.method,
      headers: proxy === undefined ? headers : ['Host', hop.url.host, ...headers],
      body: sentBody ?? null,
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    const kind = this.options.kind;
    return new Promise<HopResponse>((resolve, reject) => {
      let controller: Dispatcher.DispatchController | undefined;
      let collector: ResponseBodyCollector | undefined;
      let head: ResponseHead | undefined;
      /** Set when the response is read as a stream of messages (SSE, NDJSON, `# @stream`). */
      let stream: HttpMessageStream | undefined;
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
        if (error === reported && head === undefined && freshTlsWithoutClientCertificate && errorCode(reported) === 'UND_ERR_SOCKET') {
          error = new EngineFailure(
            'reset',
            `${hop.url.host} closed the TLS connection right after the handshake, before answering. ` +
              'Servers do this when they require a client certificate: configure one for this host in clientCertificates, or in the environment\'s SSLConfiguration.',
          );
        }
        if (kind === 'h2c' && head === undefined && !(error instanceof EngineFailure) && isProtocolMismatch(error)) {
          error = new EngineFailure(
            'protocol',
            `${hop.url.host} did not answer in HTTP/2: it does not speak cleartext HTTP/2 with prior knowledge. Remove "(Prior Knowledge)" from the request line to send over HTTP/1.1`,
          );
        }
        finish();
        collector?.destroy();
        if (sentBody instanceof Readable) sentBody.destroy();
        // Closing the socket (or the HTTP/2 stream) is the only way to stop an exchange midway.
        controller?.abort(error instanceof Error ? error : new Error(String(error)));
        reject(head !== undefined && !(error instanceof EngineFailure) ? responseCutShort(error, hop.url) : asError(error));
      };
      /**
       * Ends a streamed response: `completed` when its body ended, else cut off here (Stop, Ctrl+C,
       * the timeout, a broken connection), which is a normal end that keeps what arrived.
       */
      const endStream = (end: StreamEnd, completed: boolean): void => {
        if (settled || stream === undefined || collector === undefined || head === undefined) return;
        const messages = stream;
        const body = collector;
        const { status, statusText, httpVersion: version, headers: responseHeaders } = head;
        const unsupported = body.unsupportedEncodings;
        finish();
        if (!completed) controller?.abort(new Error('the stream was ended'));
        // The body first: with a Content-Encoding, its last decoded bytes hold the last messages.
        const ended = body.end().then(async (collected) => ({ collected, received: await messages.finish(end, completed) }));
        ended.then(
          ({ collected, received }) => {
            timings.bodyReceived();
            const warnings = [...connectionWarnings, ...(unsupported.length === 0 ? [] : [`Content-Encoding ${unsupported.join(', ')} is not supported; the body is shown as received`]), ...messages.warnings()];
            const answer: HopResponse = { shape: 'stream', status, statusText, httpVersion: version, headers: responseHeaders, body: collected, stream: received, connectionWarnings: warnings };
            // As for a body: after undici's turn that frees a keep-alive socket.
            if (completed) setImmediate(resolve, answer);
            else resolve(answer);
          },
          (error: unknown) => {
            body.destroy();
            reject(asError(error));
          },
        );
      };
      const onAbort = (): void => {
        // Once a stream has opened, the caller's abort or the timeout ends it as a normal, reported end.
        if (stream !== undefined && signal !== undefined) endStream(streamEndOfAbort(signal), false);
        else fail(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let httpVersion = kind === 'http1' ? '1.1' : '2';
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
            httpVersion = use.httpVersion;
          });
        },
        onResponseStart: (started, statusCode, _parsed, statusMessage) => {
          if (statusCode < 200 || settled) return;
          timings.responseStarted();
          const rawHeaders = rawHeaderPairs(started.rawHeaders);
          head = { status: statusCode, statusText: statusMessage ?? '', httpVersion, headers: rawHeaders };
          onHeaders(rawHeaders);
          context.observer?.onResponseHead?.(head);
          const contentType = headerValues(rawHeaders, 'content-type')[0];
          // A redirect the policy follows is not the response: its body is never shown.
          const protocol = request.options.followRedirects && isRedirect(statusCode) ? undefined : httpStreamProtocol(contentType, request.options.stream);
          let opened: HttpMessageStream | undefined;
          if (protocol !== undefined) {
            const { bodyLimits, onTempFile, messagesInMemory } = this.options;
            opened = new HttpMessageStream({ protocol, elapsed: () => timings.elapsed(), observer: context.observer, tempDir: bodyLimits.tempDir, onTempFile, ...(messagesInMemory === undefined ? {} : { messagesInMemory }) });
            stream = opened;
          }
          collector = new ResponseBodyCollector(
            contentType,
            headerValues(rawHeaders, 'content-encoding').join(', ') || undefined,
            this.options.bodyLimits,
            this.options.onTempFile,
            opened === undefined ? undefined : (chunk) => opened.write(chunk),
          );
          if (protocol !== undefined) {
            context.observer?.onStreamOpen?.({
              protocol,
              canSend: false,
              send: () => undefined,
              stop: () => endStream({ reason: 'stopped' }, false),
            });
          }
        },
        onResponseData: (started, chunk) => {
          if (settled || collector === undefined) return;
          if (!collector.write(chunk)) {
            started.pause();
            collector.onDrain(() => started.resume());
          }
        },
        onResponseEnd: () => {
          if (stream !== undefined) {
            endStream({ reason: 'completed' }, true);
            return;
          }
          if (settled || collector === undefined || head === undefined) return;
          const done = head;
          const unsupported = collector.unsupportedEncodings;
          collector.end().then(
            (collected: ResponseBody) => {
              if (settled) return;
              timings.bodyReceived();
              finish();
              const warnings =
                unsupported.length === 0 ? connectionWarnings : [...connectionWarnings, `Content-Encoding ${unsupported.join(', ')} is not supported; the body is shown as received`];
              // Written out: spreading `done` here cost microseconds per exchange in profiles.
              const { status, statusText, httpVersion: version, headers: responseHeaders } = done;
              const answer: HopResponse = { status, statusText, httpVersion: version, headers: responseHeaders, body: collected, connectionWarnings: warnings };
              // undici frees a keep-alive socket one event-loop turn after the response (setImmediate);
              // answering after that turn lets the next request reuse it instead of opening another.
              setImmediate(resolve, answer);
            },
            (error: unknown) => fail(error),
          );
        },
        onResponseError: (_started, error) => {
          // A stream that breaks keeps what arrived: its end says why.
          if (stream !== undefined) endStream({ reason: 'closed-by-server', detail: `the connection broke: ${asError(socketError() ?? error).message}` }, false);
          else fail(error);
        },
      };
      try {
        agent.dispatch(options, handler);
      } catch (error) {
        fail(error);
      }
    });
  }

  private poolFor(insecure: boolean, certificate: PresentedCertificate | undefined): Pool {
    if (!insecure && certificate === undefined) return this.pool;
    let pools = this.otherPools.get(certificate);
    if (pools === undefined) this.otherPools.set(certificate, (pools = {}));
    if (insecure) return (pools.insecure ??= this.createPool(true, certificate));
    return (pools.verified ??= this.createPool(false, certificate));
  }

  private allPools(): Pool[] {
    const pools = [this.pool];
    for (const { verified, insecure } of this.otherPools.values()) for (const pool of [verified, insecure]) if (pool !== undefined) pools.push(pool);
    return pools;
  }

  private createPool(insecure: boolean, clientCertificate: PresentedCertificate | undefined): Pool {
    const { kind, tls, proxies, connectLimitMs, keepAliveTimeoutMs, connectionsPerOrigin } = this.options;
    const connector = createTimedConnector({ tls, proxies, insecure, connectLimitMs, protocol: kind === 'h2' || kind === 'h2c' ? kind : 'http1', ...(clientCertificate === undefined ? {} : { clientCertificate }) });
    const agent = new Agent({
      connections: connectionsPerOrigin,
      keepAliveTimeout: keepAliveTimeoutMs,
      keepAliveMaxTimeout: Math.max(keepAliveTimeoutMs, 600_000),
      pipelining: 1,
      // The connector negotiates the protocol; undici speaks h2 on a socket whose ALPN says so.
      allowH2: kind !== 'http1',
      connect: connector.connect,
    });
    return { agent, connector };
  }
}

/**
 * A body as undici's HTTP/2 client can send it. It ends the stream of a GET or HEAD at once, so
 * their body could never go out; and for methods other than POST, PUT and PATCH it drops the
 * length of a buffer and then fails an assertion, leaving the connection unusable for the next
 * request. A stream has no such check, and the Content-Length header still says the size.
 */
function http2Body(method: string, body: OutgoingBody | undefined, url: URL): OutgoingBody | undefined {
  if (body === undefined) return undefined;
  if (method === 'GET' || method === 'HEAD') {
    throw new EngineFailure('protocol', `${method} ${url.host}: a ${method} request with a body cannot be sent over HTTP/2 here; remove the body, or HTTP/2 from the request line to send it over HTTP/1.1`);
  }
  if (method === 'POST' || method === 'PUT' || method === 'PATCH' || !(body instanceof Uint8Array)) return body;
  return Readable.from([body], { objectMode: false });
}

/** Errors of a peer that answered something other than HTTP/2 frames. */
function isProtocolMismatch(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ERR_HTTP2_ERROR' || code === 'ERR_HTTP2_SESSION_ERROR' || code === 'ERR_HTTP2_STREAM_ERROR' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_INFO';
}

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
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

// WebSocket over `ws`, for `WEBSOCKET ws://...` (JetBrains) and `WS ws://...` (httpYac), and GraphQL
// subscriptions over graphql-transport-ws (`graphql-ws`'s client on the same handshake).
//
// The handshake is one hop like any other: its headers are the request's (the session adds the
// jar's cookies), Set-Cookie on the 101 is stored, the connection is opened by the session's timed
// connector (its CAs, client certificates, `# @insecure`, the environment's certificate, an
// HTTPS proxy for wss), and an answer other than 101 is a plain body response. After the 101 the
// conversation is a stream: each frame sent or received is recorded by a `StreamRecorder`.
//
// A WebSocket conversation sends the body's scripted messages (`===`, `=== wait-for-server`),
// then ends once the server has been quiet for `streamQuietMs` (1 s by default), unless the front
// end keeps it open for the user to type (`keepStreamOpen`: then only Stop, a close from either
// side or `# @timeout` end it). A subscription ends when the server completes it, fails it or
// closes the connection.

import type { Socket } from 'node:net';
import type * as GraphqlWsClient from 'graphql-ws/client';
import type WebSocketClass from 'ws';
import { splitMessageScript } from '../../language/streamScript';
import { EngineFailure, errorCode } from '../errors';
import type { MessageStream, ResponseBody, ResponseHead, StreamControl, StreamEnd, StreamProtocol } from '../model';
import { ResponseBodyCollector } from '../responseBody';
import { StreamRecorder, streamEndOfAbort } from '../streams/streamRecorder';
import { claimSocket, createTimedConnector, type TimedConnector } from '../timings';
import { headerValues, type HeaderList, type HopContext, type HopResponse, type OutgoingBody, type OutgoingHop, type Transport } from '../transport';
import type { UndiciTransportOptions } from './undici';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded by the first WebSocket, never at start-up */
const loadWs = (): typeof WebSocketClass => require('ws') as typeof WebSocketClass;
const loadGraphqlWs = (): typeof GraphqlWsClient => require('graphql-ws/client') as typeof GraphqlWsClient;
/* eslint-enable @typescript-eslint/no-require-imports */

type WebSocket = WebSocketClass;

/** How long the server may be quiet after the script before a WebSocket ends, unless `streamQuietMs` says otherwise. */
export const defaultStreamQuietMs = 1000;

/** How long a close handshake may take before the socket is dropped. */
const closeGraceMs = 1000;

/** The subprotocol graphql-ws speaks (its `GRAPHQL_TRANSPORT_WS_PROTOCOL`). */
const graphqlTransportWs = 'graphql-transport-ws';

/**
 * Handshake headers `ws` writes itself, and body headers a handshake never carries (a GraphQL
 * request's Content-Type, the Content-Length the session declares for its body).
 */
const handshakeOwnHeaders = new Set(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol', 'content-length', 'transfer-encoding']);

/** What a WebSocket transport shares with its session: the undici transports' options (TLS, proxies, limits, temp files). */
export type WebSocketTransportOptions = Pick<UndiciTransportOptions, 'tls' | 'proxies' | 'connectLimitMs' | 'bodyLimits' | 'onTempFile'>;

/** Opens WebSockets: plain conversations (`websocket`) or GraphQL subscriptions (`graphql-ws`). */
export class WebSocketTransport implements Transport {
  private readonly connectors = new Set<TimedConnector>();
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly options: WebSocketTransportOptions,
    private readonly protocol: Extract<StreamProtocol, 'websocket' | 'graphql-ws'>,
  ) {}

  abortPending(): void {
    for (const connector of this.connectors) connector.abortPending();
    for (const socket of this.sockets) socket.terminate();
  }

  close(): Promise<void> {
    this.abortPending();
    return Promise.resolve();
  }

  roundTrip(outgoing: OutgoingHop, context: HopContext): Promise<HopResponse> {
    context.signal?.throwIfAborted();
    return this.protocol === 'websocket' ? this.converse(outgoing, context) : this.subscribe(outgoing, context);
  }

  /** The options `ws` opens a handshake with: the hop's headers, the session's connector, no redirects of its own. */
  private socketOptions(outgoing: OutgoingHop, context: HopContext): { readonly protocols: string[]; readonly options: WebSocketClass.ClientOptions } {
    const { hop } = outgoing;
    const headers: Record<string, string> = {};
    for (const [name, value] of outgoing.headers) {
      const lower = name.toLowerCase();
      if (handshakeOwnHeaders.has(lower)) continue;
      // A header written twice goes once with both values, as HTTP allows (cookies joined as a Cookie header joins them).
      const before = headers[lower];
      headers[lower] = before === undefined ? value : `${before}${lower === 'cookie' ? '; ' : ', '}${value}`;
    }
    const protocols = headerValues(outgoing.headers, 'sec-websocket-protocol')
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter((value) => value !== '');
    const { request } = context;
    const secure = hop.url.protocol === 'wss:';
    const insecure = request.options.insecure || this.options.tls.isInsecureHost(hop.url.hostname, portOf(hop.url));
    const connector = createTimedConnector({
      tls: this.options.tls,
      proxies: this.options.proxies,
      insecure,
      connectLimitMs: this.options.connectLimitMs,
      protocol: 'http1',
      ...(request.options.clientCertificate === undefined ? {} : { clientCertificate: request.options.clientCertificate }),
    });
    this.connectors.add(connector);
    const createConnection = (_options: unknown, callback: (error: Error | null, socket: Socket | null) => void): undefined => {
      const hostname = hop.url.hostname.replace(/^\[|\]$/g, '');
      connector.connect({ hostname, host: hop.url.host, protocol: secure ? 'https:' : 'http:', port: String(portOf(hop.url)), servername: undefined }, (error, socket) => {
        this.connectors.delete(connector);
        if (socket !== null) {
          const use = claimSocket(socket);
          context.timings.connectionUsed(use.phases);
          connectionWarnings.push(...use.warnings);
        }
        callback(error, socket);
      });
      return undefined;
    };
    const connectionWarnings: string[] = [];
    this.connectionWarnings.set(context, connectionWarnings);
    const options: WebSocketClass.ClientOptions = {
      headers,
      followRedirects: false,
      createConnection: createConnection as unknown as WebSocketClass.ClientOptions['createConnection'],
      ...(request.options.connectTimeoutMs === undefined ? {} : { handshakeTimeout: request.options.connectTimeoutMs }),
    };
    return { protocols, options };
  }

  /** Warnings of the connection each exchange opened (verification skipped), by its hop context. */
  private readonly connectionWarnings = new WeakMap<HopContext, string[]>();

  private warningsOf(context: HopContext): readonly string[] {
    return this.connectionWarnings.get(context) ?? [];
  }

  /** A WebSocket conversation: the handshake, the scripted messages, then the front end's until it ends. */
  private async converse(outgoing: OutgoingHop, context: HopContext): Promise<HopResponse> {
    const WebSocketImpl = loadWs();
    const { protocols, options } = this.socketOptions(outgoing, context);
    const script = await messageScript(outgoing.body);
    const socket = new WebSocketImpl(outgoing.hop.url, protocols, options);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // Listening from the start: a greeting may come in the same packet as the 101.
    const conversation = new Conversation(socket, context, this.recorder('websocket', context), script);
    const opened = await this.handshake(socket, outgoing, context);
    if (opened.refused !== undefined) return opened.refused;
    const stream = await conversation.run();
    return this.streamResponse(opened.head, stream, context);
  }

  /** A GraphQL subscription over graphql-transport-ws: the request's query, each result a message. */
  private async subscribe(outgoing: OutgoingHop, context: HopContext): Promise<HopResponse> {
    const payload = graphqlPayload(await bodyText(outgoing.body), outgoing.hop.url);
    const { options } = this.socketOptions(outgoing, context);
    const WebSocketImpl = loadWs();
    let created: ((socket: WebSocket) => void) | undefined;
    const socketCreated = new Promise<WebSocket>((resolve) => (created = resolve));
    const sockets = this.sockets;
    // graphql-ws makes its socket from a class: this one opens it the way every hop is opened.
    class HandshakeSocket extends WebSocketImpl {
      constructor(url: string | URL, subprotocols?: string | string[]) {
        super(url, subprotocols, options);
        sockets.add(this);
        this.once('close', () => sockets.delete(this));
        created?.(this);
      }
    }
    const connectionParams = Object.fromEntries(outgoing.headers.filter(([name]) => !handshakeOwnHeaders.has(name.toLowerCase()) && name.toLowerCase() !== 'content-type'));
    const client = loadGraphqlWs().createClient({
      url: outgoing.hop.url.href,
      webSocketImpl: HandshakeSocket,
      connectionParams,
      lazy: true,
      retryAttempts: 0,
      shouldRetry: () => false,
      generateID: () => '1',
      // The client closes the socket itself once the subscription is over.
      lazyCloseTimeout: 0,
    });
    const subscription = new Subscription(client, payload, context, this.recorder('graphql-ws', context));
    const ended = subscription.run();
    const socket = await Promise.race([socketCreated, ended.then(() => undefined)]);
    if (socket === undefined) {
      // Failed before a socket was made (graphql-ws refused the options): what it said is the error.
      const stream = await ended;
      throw new EngineFailure('protocol', `the GraphQL subscription to ${outgoing.hop.url.host} could not start: ${stream.end.detail ?? 'no reason given'}`);
    }
    let opened: Awaited<ReturnType<WebSocketTransport['handshake']>>;
    try {
      opened = await this.handshake(socket, outgoing, context, graphqlTransportWs);
    } catch (error) {
      subscription.abandon();
      throw error;
    }
    if (opened.refused !== undefined) {
      subscription.abandon();
      return opened.refused;
    }
    subscription.opened(socket);
    return this.streamResponse(opened.head, await ended, context);
  }

  private recorder(protocol: StreamProtocol, context: HopContext): StreamRecorder {
    return new StreamRecorder({
      protocol,
      elapsed: () => context.timings.elapsed(),
      observer: context.observer,
      tempDir: this.options.bodyLimits.tempDir,
      onTempFile: this.options.onTempFile,
    });
  }

  private streamResponse(head: ResponseHead, stream: MessageStream, context: HopContext): HopResponse {
    context.timings.bodyReceived();
    const { status, statusText, httpVersion, headers } = head;
    return { shape: 'stream', status, statusText, httpVersion, headers, body: emptyBody, stream, connectionWarnings: this.warningsOf(context) };
  }

  /**
   * Waits for the handshake's answer: the 101's head once the socket is open (its cookies stored),
   * or the whole response to a handshake the server refused. Rejects when no answer came.
   */
  private handshake(socket: WebSocket, outgoing: OutgoingHop, context: HopContext, requiredProtocol?: string): Promise<{ readonly head: ResponseHead; readonly refused?: undefined } | { readonly refused: HopResponse; readonly head?: undefined }> {
    const { hop } = outgoing;
    const { signal } = context;
    return new Promise((resolve, reject) => {
      let head: ResponseHead | undefined;
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        // Dropping a socket still connecting makes `ws` report it as an error: nothing to say by then.
        socket.on('error', () => undefined);
        return true;
      };
      const onAbort = (): void => {
        if (!settle()) return;
        socket.terminate();
        reject(signal?.reason instanceof Error ? signal.reason : new EngineFailure('aborted', `the WebSocket handshake with ${hop.url.host} was cancelled`));
      };
      const onError = (error: Error): void => {
        if (!settle()) return;
        reject(handshakeFailure(error, hop.url));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.on('error', onError);
      socket.once('upgrade', (response) => {
        context.timings.responseStarted();
        head = { status: response.statusCode ?? 101, statusText: response.statusMessage ?? 'Switching Protocols', httpVersion: response.httpVersion, headers: rawHeaderPairs(response.rawHeaders) };
        context.onHeaders(head.headers);
        context.observer?.onResponseHead?.(head);
      });
      socket.once('open', () => {
        if (head === undefined || !settle()) return;
        if (requiredProtocol !== undefined && socket.protocol !== requiredProtocol) {
          socket.terminate();
          reject(new EngineFailure('protocol', `${hop.url.host} did not accept the ${requiredProtocol} subprotocol for GraphQL subscriptions: is ${hop.url.pathname} a graphql-ws endpoint?`));
          return;
        }
        resolve({ head });
      });
      socket.once('unexpected-response', (_request, response) => {
        context.timings.responseStarted();
        const refusedHead: ResponseHead = { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', httpVersion: response.httpVersion, headers: rawHeaderPairs(response.rawHeaders) };
        context.onHeaders(refusedHead.headers);
        context.observer?.onResponseHead?.(refusedHead);
        const collector = new ResponseBodyCollector(headerValues(refusedHead.headers, 'content-type')[0], headerValues(refusedHead.headers, 'content-encoding').join(', ') || undefined, this.options.bodyLimits, this.options.onTempFile);
        response.on('data', (chunk: Buffer) => {
          if (!collector.write(chunk)) {
            response.pause();
            collector.onDrain(() => response.resume());
          }
        });
        response.once('error', (error) => onError(error));
        response.once('end', () => {
          collector.end().then(
            (body: ResponseBody) => {
              socket.terminate();
              if (!settle()) return;
              context.timings.bodyReceived();
              resolve({ refused: { ...refusedHead, body, connectionWarnings: this.warningsOf(context) } });
            },
            (error: unknown) => onError(error instanceof Error ? error : new Error(String(error))),
          );
        });
      });
    });
  }
}

/** A scripted WebSocket conversation from the 101 to the close. */
class Conversation {
  private readonly quietMs: number;
  private readonly keepOpen: boolean;
  private next = 0;
  private receivedSinceSent = 0;
  private scriptDone = false;
  /** Set once the stream is ending: how it ends wins over whatever the close says later. */
  private end: StreamEnd | undefined;
  private lastReceivedAt = 0;
  private quietTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  /** Messages that arrived before `run`, in order; undefined once running. */
  private early: [WebSocketClass.RawData, boolean][] | undefined = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly context: HopContext,
    private readonly recorder: StreamRecorder,
    private readonly script: ReturnType<typeof splitMessageScript>,
  ) {
    this.quietMs = context.request.options.streamQuietMs ?? defaultStreamQuietMs;
    this.keepOpen = context.request.options.keepStreamOpen === true;
    socket.on('message', (data, isBinary) => {
      if (this.early === undefined) this.received(data, isBinary);
      else this.early.push([data, isBinary]);
    });
  }

  run(): Promise<MessageStream> {
    const { socket, context } = this;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.endWith(context.signal === undefined ? { reason: 'stopped' } : streamEndOfAbort(context.signal), 1000, '');
      context.signal?.addEventListener('abort', onAbort, { once: true });
      socket.on('error', (error) => {
        // The connection broke: the stream ends with what it had, and says why.
        this.end ??= { reason: 'closed-by-server', code: 1006, detail: error.message };
        socket.terminate();
      });
      socket.once('close', (code, reason) => {
        context.signal?.removeEventListener('abort', onAbort);
        clearTimeout(this.quietTimer);
        clearTimeout(this.closeTimer);
        const text = reason.toString('utf8');
        const end = this.end ?? { reason: 'closed-by-server', code, ...(text === '' ? {} : { detail: text }) };
        this.recorder.finish(end).then(resolve, reject);
      });
      const control: StreamControl = {
        protocol: 'websocket',
        canSend: true,
        send: (data) => this.send(data),
        stop: (code = 1000, reason = '') => this.endWith({ reason: 'stopped', ...(code === 1000 ? {} : { code }), ...(reason === '' ? {} : { detail: reason }) }, code, reason),
      };
      context.observer?.onStreamOpen?.(control);
      const early = this.early ?? [];
      this.early = undefined;
      for (const [data, isBinary] of early) this.received(data, isBinary);
      if (context.signal?.aborted === true) onAbort();
      else this.pump();
    });
  }

  private send(data: string | Uint8Array): void {
    if (this.end !== undefined || this.socket.readyState !== this.socket.OPEN) return;
    const binary = typeof data !== 'string';
    this.socket.send(data, { binary });
    this.recorder.record('sent', binary ? 'binary' : 'text', undefined, data);
  }

  private received(data: WebSocketClass.RawData, isBinary: boolean): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    this.recorder.record('received', isBinary ? 'binary' : 'text', undefined, isBinary ? bytes : bytes.toString('utf8'));
    this.receivedSinceSent++;
    this.lastReceivedAt = performance.now();
    if (!this.scriptDone) this.pump();
  }

  /** Sends every scripted message whose wait for the server is over; once all are sent (and waited for), the quiet period starts. */
  private pump(): void {
    const { messages, trailingWaits } = this.script;
    while (this.next < messages.length && this.receivedSinceSent >= messages[this.next].waitForServer) {
      this.send(messages[this.next].text);
      this.next++;
      this.receivedSinceSent = 0;
    }
    if (this.next < messages.length || this.receivedSinceSent < trailingWaits || this.end !== undefined) return;
    this.scriptDone = true;
    this.lastReceivedAt = performance.now();
    if (!this.keepOpen) this.armQuietEnd(this.quietMs);
  }

  /** Ends the conversation once nothing has arrived for `quietMs`; one timer, moved on by the messages that came meanwhile. */
  private armQuietEnd(delayMs: number): void {
    this.quietTimer = setTimeout(() => {
      const quietFor = performance.now() - this.lastReceivedAt;
      if (quietFor + 1 < this.quietMs) this.armQuietEnd(this.quietMs - quietFor);
      else this.endWith({ reason: 'completed' }, 1000, '');
    }, Math.max(0, delayMs));
  }

  /** Closes the socket (dropping it if the server does not answer the close) and ends the stream as `end`. */
  private endWith(end: StreamEnd, code: number, reason: string): void {
    if (this.end !== undefined) return;
    this.end = end;
    clearTimeout(this.quietTimer);
    try {
      this.socket.close(code, reason);
    } catch {
      // An invalid code from a front end: closed plainly instead.
      this.socket.close(1000);
    }
    this.closeTimer = setTimeout(() => this.socket.terminate(), closeGraceMs);
  }
}

/** One GraphQL subscription through graphql-ws's client, recorded as messages. */
class Subscription {
  private end: StreamEnd | undefined;
  private unsubscribe: (() => void) | undefined;
  private finish: ((end: StreamEnd) => void) | undefined;
  private abandoned = false;

  constructor(
    private readonly client: GraphqlWsClient.Client,
    private readonly payload: GraphqlWsClient.SubscribePayload,
    private readonly context: HopContext,
    private readonly recorder: StreamRecorder,
  ) {}

  /** Subscribes at once (the client connects for it); resolves with the messages when the subscription is over. */
  run(): Promise<MessageStream> {
    const { context, recorder } = this;
    return new Promise<MessageStream>((resolve, reject) => {
      const onAbort = (): void => this.endWith(context.signal === undefined ? { reason: 'stopped' } : streamEndOfAbort(context.signal));
      this.finish = (end) => {
        context.signal?.removeEventListener('abort', onAbort);
        this.end ??= end;
        void this.client.dispose();
        recorder.finish(this.end).then(resolve, reject);
      };
      context.signal?.addEventListener('abort', onAbort, { once: true });
      this.client.on('connected', () => recorder.record('sent', 'subscribe', '1', JSON.stringify(this.payload)));
      this.unsubscribe = this.client.subscribe(this.payload, {
        next: (result) => recorder.record('received', 'next', '1', JSON.stringify(result)),
        error: (error: unknown) => this.failed(error),
        complete: () => {
          if (this.end === undefined) recorder.record('received', 'complete', '1', '');
          this.finish?.({ reason: 'completed' });
        },
      });
    });
  }

  /** The socket is open: the front end may stop the subscription from now on. */
  opened(socket: WebSocket): void {
    const control: StreamControl = {
      protocol: 'graphql-ws',
      canSend: false,
      send: () => undefined,
      stop: (code = 1000, reason = '') => {
        this.endWith({ reason: 'stopped', ...(code === 1000 ? {} : { code }), ...(reason === '' ? {} : { detail: reason }) });
        socket.close(code, reason);
      },
    };
    this.context.observer?.onStreamOpen?.(control);
    if (this.context.signal?.aborted === true) this.endWith(streamEndOfAbort(this.context.signal));
  }

  /** The handshake failed or was refused: what the client says about it is not the exchange's answer. */
  abandon(): void {
    this.abandoned = true;
    this.endWith({ reason: 'stopped' });
  }

  private endWith(end: StreamEnd): void {
    if (this.end !== undefined) return;
    this.end = end;
    // Tells the server (a `complete` message); the client then completes the sink.
    this.unsubscribe?.();
    this.finish?.(end);
  }

  /** An `error` message (GraphQL errors), a close event, or a failure of the client. */
  private failed(error: unknown): void {
    if (this.abandoned || this.end !== undefined) {
      this.finish?.(this.end ?? { reason: 'stopped' });
      return;
    }
    if (Array.isArray(error)) {
      const messages = error.map((entry: unknown) => (typeof entry === 'object' && entry !== null && 'message' in entry ? String((entry).message) : String(entry)));
      this.recorder.record('received', 'error', '1', JSON.stringify(error));
      this.finish?.({ reason: 'closed-by-server', detail: `GraphQL error: ${messages.join('; ')}` });
      return;
    }
    if (isCloseEvent(error)) {
      this.finish?.({ reason: 'closed-by-server', code: error.code, ...(error.reason === '' ? {} : { detail: error.reason }) });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.finish?.({ reason: 'closed-by-server', code: 1006, detail: message });
  }
}

function isCloseEvent(value: unknown): value is { readonly code: number; readonly reason: string } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number' && typeof (value as { reason?: unknown }).reason === 'string';
}

/** The query, variables and operation name of a GraphQL request's body (prepared as JSON). */
function graphqlPayload(text: string, url: URL): GraphqlWsClient.SubscribePayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { query?: unknown }).query !== 'string') {
    throw new EngineFailure('other', `the GraphQL subscription to ${url.host} has no query: write the subscription as the body`);
  }
  const { query, variables, operationName } = parsed as { query: string; variables?: Record<string, unknown>; operationName?: string };
  return { query, ...(variables === undefined ? {} : { variables }), ...(operationName === undefined ? {} : { operationName }) };
}

/** The body's messages: the script's, split on `===` lines. */
async function messageScript(body: OutgoingBody | undefined): Promise<ReturnType<typeof splitMessageScript>> {
  return splitMessageScript(await bodyText(body));
}

async function bodyText(body: OutgoingBody | undefined): Promise<string> {
  if (body === undefined) return '';
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** A handshake that got no answer, in words: connection errors keep their codes for `toEngineError`. */
function handshakeFailure(error: Error, url: URL): Error {
  if (error instanceof EngineFailure || errorCode(error) !== undefined) return error;
  if (/timed out|timeout/i.test(error.message)) return new EngineFailure('timeout', `the WebSocket handshake with ${url.host} timed out (connectTimeoutMs)`);
  return new EngineFailure('protocol', `${url.host} did not complete the WebSocket handshake: ${error.message}`);
}

const emptyBody: ResponseBody = { size: 0, encodedSize: 0, prefix: new Uint8Array(0), file: undefined, contentType: undefined, charset: 'utf-8' };

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'wss:' || url.protocol === 'https:' ? 443 : 80));
}

function rawHeaderPairs(raw: readonly string[]): HeaderList {
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) pairs.push([raw[index], raw[index + 1]]);
  return pairs;
}

// Timings need DNS, TCP and TLS measured separately, which undici's own connector cannot do,
// so sessions connect through `createTimedConnector`: it resolves, connects, tunnels through a
// proxy when one applies, and runs the TLS handshake, stamping each phase on the socket.
// A request learns which socket it got from undici's `undici:client:sendHeaders` channel.
import { lookup } from 'node:dns/promises';
import diagnosticsChannel from 'node:diagnostics_channel';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type buildConnector } from 'undici';
import { EngineFailure, toEngineError } from './errors';
import type { PresentedCertificate, Timings } from './model';
import { openTunnel, type ProxyRoutes } from './proxy';
import { secureConnection, type TlsSettings } from './tls';

/** When each phase of opening a connection ended, as `performance.now()` values. */
export interface ConnectionPhases {
  dnsEnd?: number;
  connectEnd?: number;
  tlsEnd?: number;
}

interface SocketRecord {
  readonly phases: ConnectionPhases;
  /** The first request on a socket pays for its setup; later ones reuse it and report no dns/connect/tls. */
  claimed: boolean;
  readonly warnings: readonly string[];
  /** The socket's own last error: undici reports a TLS alert only as "other side closed". */
  lastError: Error | undefined;
  readonly tlsWithoutClientCertificate: boolean;
  /** `2` when the socket speaks HTTP/2, else `1.1`. */
  readonly httpVersion: string;
}

const socketRecords = new WeakMap<Socket, SocketRecord>();

/** What a request learns about its connection. */
export interface ConnectionUse {
  /** Phases of opening the connection, only when this request opened it. */
  readonly phases: ConnectionPhases | undefined;
  /** Warnings from opening it (e.g. verification skipped), for the request that opened it. */
  readonly warnings: readonly string[];
  /** The error the socket itself saw, if any (e.g. a TLS alert from a server refusing our certificate). */
  readonly socketError: () => Error | undefined;
  /** This request opened a TLS connection without offering a client certificate. */
  readonly freshTlsWithoutClientCertificate: boolean;
  /** The HTTP version the connection speaks: `1.1` or `2`. */
  readonly httpVersion: string;
}

let awaitingSocket: ((socket: Socket) => void) | undefined;
let subscribed = false;

function onSendHeaders(message: unknown): void {
  const take = awaitingSocket;
  awaitingSocket = undefined;
  const socket = (message as { socket?: unknown }).socket;
  if (take !== undefined && socket !== undefined) take(socket as Socket);
}

/**
 * Call from a handler's `onRequestStart`: undici then writes that request's headers synchronously,
 * publishing the socket on `undici:client:sendHeaders`, which is handed to `onUse`.
 */
export function claimNextSocket(onUse: (use: ConnectionUse) => void): void {
  if (!subscribed) {
    diagnosticsChannel.subscribe('undici:client:sendHeaders', onSendHeaders);
    subscribed = true;
  }
  awaitingSocket = (socket) => onUse(claimSocket(socket));
  // If undici aborts before writing (so never publishes), do not hand this request's claim to another one.
  queueMicrotask(() => {
    awaitingSocket = undefined;
  });
}

/** What the first request on `socket` (opened by a timed connector) learns about it; later ones get no phases. */
export function claimSocket(socket: Socket): ConnectionUse {
  const record = socketRecords.get(socket);
  const socketError = (): Error | undefined => record?.lastError;
  const httpVersion = record?.httpVersion ?? '1.1';
  if (record === undefined || record.claimed) return { phases: undefined, warnings: [], socketError, freshTlsWithoutClientCertificate: false, httpVersion };
  record.claimed = true;
  return { phases: record.phases, warnings: record.warnings, socketError, freshTlsWithoutClientCertificate: record.tlsWithoutClientCertificate, httpVersion };
}

/** Measures an exchange's phases as offsets from its start, the way curl reports them. */
export class TimingRecorder {
  private readonly start = performance.now();
  private connection: ConnectionPhases | undefined;
  private firstByteAt: number | undefined;
  private downloadEndAt: number | undefined;

  /** Records the connection a hop used; a reused connection clears dns/connect/tls. */
  connectionUsed(phases: ConnectionPhases | undefined): void {
    this.connection = phases;
  }

  /** Milliseconds since the exchange started: when a stream's message arrived or left. */
  elapsed(): number {
    return round(performance.now() - this.start);
  }

  responseStarted(): void {
    this.firstByteAt = performance.now();
  }

  bodyReceived(): void {
    this.downloadEndAt = performance.now();
  }

  /** A new hop (redirect, retry, digest challenge): its phases replace the previous hop's. */
  nextHop(): void {
    this.connection = undefined;
    this.firstByteAt = undefined;
    this.downloadEndAt = undefined;
  }

  finish(): Timings {
    const offset = (at: number | undefined): number | undefined => (at === undefined ? undefined : round(Math.max(0, at - this.start)));
    const timings: { -readonly [K in keyof Timings]: Timings[K] } = { total: round(performance.now() - this.start) };
    const entries: [keyof Timings, number | undefined][] = [
      ['dns', offset(this.connection?.dnsEnd)],
      ['connect', offset(this.connection?.connectEnd)],
      ['tls', offset(this.connection?.tlsEnd)],
      ['firstByte', offset(this.firstByteAt)],
      ['download', offset(this.downloadEndAt)],
    ];
    for (const [phase, value] of entries) if (value !== undefined) timings[phase] = value;
    return timings;
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** What a connector needs to know about the session. */
export interface ConnectorSettings {
  readonly tls: TlsSettings;
  readonly proxies: ProxyRoutes;
  /** Skip certificate verification for every host (the session's insecure agent). */
  readonly insecure: boolean;
  /** The client certificate every TLS connection of this connector presents (an environment's `SSLConfiguration`). */
  readonly clientCertificate?: PresentedCertificate;
  /** Upper bound for opening one connection; per-request connect timeouts are enforced by the session. */
  readonly connectLimitMs: number;
  /** What the connection speaks: HTTP/1.1, HTTP/2 negotiated by ALPN (required), or cleartext HTTP/2 with prior knowledge. */
  readonly protocol: 'http1' | 'h2' | 'h2c';
}

/** An undici `connect` function, and a way to stop connections still being opened when the session closes. */
export interface TimedConnector {
  readonly connect: buildConnector.connector;
  /** Destroys sockets still resolving, connecting or handshaking (undici cannot cancel a connect). */
  abortPending(): void;
}

/** A connector that stamps dns/connect/tls phases on each socket it opens. */
export function createTimedConnector(settings: ConnectorSettings): TimedConnector {
  const pending = new Set<Socket>();
  return {
    connect: (options, callback) => {
      openConnection(options, settings, pending).then(
        (socket) => callback(null, socket),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
      );
    },
    abortPending: () => {
      for (const socket of pending) socket.destroy(new Error('the session was closed'));
      pending.clear();
    },
  };
}

async function openConnection(options: buildConnector.Options, settings: ConnectorSettings, pending: Set<Socket>): Promise<Socket> {
  const phases: ConnectionPhases = {};
  const warnings: string[] = [];
  const hostname = options.hostname.replace(/^\[|\]$/g, '');
  const secure = options.protocol === 'https:';
  const port = Number(options.port) || (secure ? 443 : 80);
  // Plain http through a proxy is dispatched to the proxy's origin; only https needs a tunnel here.
  const proxy = secure ? settings.proxies.proxyFor('https:', hostname, port) : undefined;
  let socket: Socket;
  const track = (opened: Socket): Socket => {
    pending.add(opened);
    opened.once('close', () => pending.delete(opened));
    return opened;
  };
  if (proxy === undefined) {
    socket = track(await openTcp(hostname, port, phases, settings.connectLimitMs));
  } else {
    try {
      socket = track(await openTcp(proxy.host, proxy.port, phases, settings.connectLimitMs));
    } catch (error) {
      const reason = toEngineError(error, { host: proxy.host, port: proxy.port, proxy: undefined }).message;
      throw new EngineFailure('proxy', `could not reach proxy ${proxy.host}:${proxy.port}: ${reason}`);
    }
    socket = await openTunnel(socket, proxy, hostname, port);
  }
  const tcp = socket;
  let tlsWithoutClientCertificate = false;
  if (secure) {
    const offered = settings.tls.optionsFor(hostname, port, settings.clientCertificate);
    tlsWithoutClientCertificate = offered.cert === undefined && offered.pfx === undefined;
    const insecure = settings.insecure || settings.tls.isInsecureHost(hostname, port);
    // HTTP/2 offers http/1.1 too, so a server without h2 completes the handshake and is named below.
    const alpn = settings.protocol === 'http1' ? undefined : ['h2', 'http/1.1'];
    const secured = await secureConnection({ socket, hostname, port, servername: options.servername, settings: settings.tls, insecure, alpn, clientCertificate: settings.clientCertificate });
    phases.tlsEnd = performance.now();
    if (alpn !== undefined && secured.alpnProtocol !== 'h2') {
      secured.destroy();
      const chosen = typeof secured.alpnProtocol === 'string' ? secured.alpnProtocol : 'no protocol';
      throw new EngineFailure(
        'protocol',
        `${hostname}:${port} does not speak HTTP/2 (TLS negotiated ${chosen}): remove HTTP/2 from the request line to send over HTTP/1.1`,
      );
    }
    socket = secured;
    if (insecure) warnings.push(`TLS certificate verification is disabled for ${hostname}:${port}: the server's identity was not checked`);
  } else if (settings.protocol === 'h2c') {
    // undici speaks HTTP/2 on any socket whose ALPN says h2: prior knowledge, as its own h2c client does.
    (socket as Socket & { alpnProtocol?: string }).alpnProtocol = 'h2';
  }
  // Opened: neither the TCP socket nor the TLS socket over it may be destroyed by `abortPending`
  // now (tearing the TCP socket from under a live HTTP/2 session left undici waiting for a close).
  pending.delete(socket);
  pending.delete(tcp);
  const httpVersion = (socket as Socket & { alpnProtocol?: string | false }).alpnProtocol === 'h2' ? '2' : '1.1';
  const record: SocketRecord = { phases, claimed: false, warnings, lastError: undefined, tlsWithoutClientCertificate, httpVersion };
  socket.on('error', (error) => {
    record.lastError = error;
  });
  socketRecords.set(socket, record);
  return socket;
}

/** Resolves (trying each address in turn) and connects, stamping the end of each phase. */
async function openTcp(hostname: string, port: number, phases: ConnectionPhases, limitMs: number): Promise<Socket> {
  let addresses: { address: string; family: number }[];
  if (isIP(hostname) !== 0) {
    addresses = [{ address: hostname, family: isIP(hostname) }];
  } else {
    addresses = await lookup(hostname, { all: true });
    phases.dnsEnd = performance.now();
  }
  let lastError: unknown;
  for (const { address } of addresses) {
    try {
      const socket = await connectOnce(address, port, limitMs);
      phases.connectEnd = performance.now();
      return socket;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function connectOnce(address: string, port: number, limitMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: address, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 });
    socket.setTimeout(limitMs, () => socket.destroy(Object.assign(new Error(`connect timed out after ${limitMs} ms`), { code: 'ETIMEDOUT' })));
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

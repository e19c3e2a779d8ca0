// A loopback TCP server that records the exact bytes a CLI run sends, connection by connection and
// request by request. In front of the demo API it forwards both ways (a transparent proxy); for the
// generated documents it answers itself (`responder.ts`). It listens on three ports for the whole
// harness run (cleartext, a second cleartext origin, TLS), so the base and the head CLI see the
// same `Host` and the same origins.
//
// HTTP/2 (a cleartext prior-knowledge preface, or `h2` chosen by ALPN) is served by Node's http2
// and recorded as text: the request line `METHOD :path HTTP/2`, the header fields in the order
// they were decoded (pseudo-headers included), a blank line and the body. Its frames are not
// compared byte for byte: HPACK's encoding of the same fields may legitimately vary.

import { type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream, createServer as createHttp2Server } from 'node:http2';
import { type AddressInfo, type Server, type Socket, createServer, connect } from 'node:net';
import { type Server as TlsServer, type TLSSocket, createServer as createTlsServer } from 'node:tls';
import { type FramedRequest, RequestFramer } from './httpFraming';
import { answer, respond } from './responder';

/** A request as the server received it, with the connection it came on. */
export interface RecordedRequest extends FramedRequest {
  /** Which listener received it: the main origin, the second one (cross-origin redirects), TLS. */
  readonly listener: 'main' | 'other' | 'secure';
  /** 0 for the first request of its connection: a second request means the connection was reused. */
  readonly indexInConnection: number;
}

export type RecorderMode = { readonly kind: 'proxy'; readonly port: number } | { readonly kind: 'answer' };

// Once a CLI has exited its sockets close at once; this is only a bound for a stuck one.
const closeWaitMs = 5_000;

export class Recorder {
  private mode: RecorderMode = { kind: 'answer' };
  private recorded: RecordedRequest[] = [];
  private readonly open = new Set<Socket>();
  private readonly finishers = new Set<() => void>();

  private constructor(
    private readonly main: Server,
    private readonly other: Server,
    private readonly secure: TlsServer,
  ) {
    main.on('connection', (socket) => this.accept(socket, 'main'));
    other.on('connection', (socket) => this.accept(socket, 'other'));
    secure.on('secureConnection', (socket: TLSSocket) => this.accept(socket, 'secure'));
  }

  /** Listens on three free ports of 127.0.0.1; `certificate` serves TLS (offering h2 and http/1.1). */
  static async start(certificate: { readonly key: Buffer; readonly cert: Buffer }): Promise<Recorder> {
    const secure = createTlsServer({ ...certificate, ALPNProtocols: ['h2', 'http/1.1'] });
    const [main, other] = await Promise.all([listen(createServer()), listen(createServer()), listen(secure)]);
    return new Recorder(main, other, secure);
  }

  get securePort(): number {
    return (this.secure.address() as AddressInfo).port;
  }

  get mainPort(): number {
    return (this.main.address() as AddressInfo).port;
  }

  get otherPort(): number {
    return (this.other.address() as AddressInfo).port;
  }

  /** Starts a new recording; connections of the previous one must have closed. */
  begin(mode: RecorderMode): void {
    this.mode = mode;
    this.recorded = [];
  }

  /** Waits for the run's connections to close and returns what they carried, in order of arrival. */
  async end(): Promise<RecordedRequest[]> {
    if (this.open.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const socket of this.open) socket.destroy();
          resolve();
        }, closeWaitMs);
        const check = (): void => {
          if (this.open.size > 0) return;
          clearTimeout(timer);
          this.finishers.delete(check);
          resolve();
        };
        this.finishers.add(check);
      });
    }
    return this.recorded;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await Promise.all([this.main, this.other, this.secure].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private accept(socket: Socket, listener: RecordedRequest['listener']): void {
    this.open.add(socket);
    const recorded = this.recorded;
    const framer = new RequestFramer();
    let indexInConnection = 0;
    const record = (request: FramedRequest): void => {
      recorded.push({ ...request, listener, indexInConnection: indexInConnection++ });
    };
    const mode = this.mode;
    let backend: Socket | undefined;
    if (mode.kind === 'proxy') {
      backend = connect(mode.port, '127.0.0.1');
      backend.on('error', () => socket.destroy());
      backend.on('close', () => socket.end());
      backend.pipe(socket);
      socket.pipe(backend);
    }
    socket.on('error', () => backend?.destroy());
    socket.on('close', () => {
      const rest = framer.end();
      if (rest !== undefined) record(rest);
      backend?.destroy();
      this.open.delete(socket);
      for (const finisher of [...this.finishers]) finisher();
    });
    if (mode.kind === 'answer' && (socket as Partial<TLSSocket>).alpnProtocol === 'h2') {
      this.serveHttp2(socket, record);
      return;
    }
    const onData = (chunk: Buffer): void => {
      for (const request of framer.push(chunk)) {
        record(request);
        if (mode.kind === 'answer') {
          if (!request.framed) continue;
          const { bytes, close } = respond(request, { otherOrigin: this.otherOrigin });
          socket.write(bytes);
          if (close) socket.end();
        }
      }
      if (mode.kind !== 'answer' || !framer.isUnframed) return;
      const preface = framer.takeHttp2Connection();
      if (preface === undefined) {
        // Bytes that are neither HTTP/1.1 nor HTTP/2 get no answer: close so the client gives up.
        socket.end();
        return;
      }
      socket.off('data', onData);
      socket.pause();
      socket.unshift(preface);
      this.serveHttp2(socket, record);
    };
    socket.on('data', onData);
  }

  private get otherOrigin(): string {
    return `http://127.0.0.1:${this.otherPort}`;
  }

  /** Serves an HTTP/2 connection whose socket has not been read yet (or whose bytes were put back). */
  private serveHttp2(socket: Socket, record: (request: FramedRequest) => void): void {
    const server = createHttp2Server();
    // Node passes the fields in their order as a fourth argument, which @types/node leaves out.
    server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders?: string[]) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const fields: [string, string][] = [];
        const raw = rawHeaders ?? Object.entries(headers).flatMap(([name, value]) => [name, String(value)]);
        for (let index = 0; index + 1 < raw.length; index += 2) fields.push([raw[index] ?? '', raw[index + 1] ?? '']);
        const field = (name: string): string => fields.find(([candidate]) => candidate === name)?.[1] ?? '';
        const requestLine = `${field(':method')} ${field(':path')} HTTP/2`;
        const body = Buffer.concat(chunks);
        const head = `${requestLine}\r\n${fields.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
        record({ raw: Buffer.concat([Buffer.from(head, 'latin1'), body]), requestLine, headers: fields, body, framed: true });
        const answered = answer({ requestLine, headers: fields }, { otherOrigin: this.otherOrigin });
        const response: OutgoingHttpHeaders = { ':status': answered.status, 'content-type': 'application/json' };
        for (const [name, value] of answered.headers) {
          const key = name.toLowerCase();
          const existing = response[key];
          response[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [String(existing)]), value];
        }
        // A client may reset the stream once it has sent it (undici does when it gives up on a body).
        if (stream.destroyed || stream.closed) return;
        stream.respond(response);
        stream.end(field(':method') === 'HEAD' ? undefined : answered.body);
      });
      stream.on('error', () => undefined);
    });
    server.on('sessionError', () => socket.destroy());
    server.emit('connection', socket);
  }
}

function listen<T extends Server>(server: T): Promise<T> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

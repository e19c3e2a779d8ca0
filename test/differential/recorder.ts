// A loopback TCP server that records the exact bytes a CLI run sends, connection by connection and
// request by request. In front of the demo API it forwards both ways (a transparent proxy); for the
// generated documents it answers itself (`responder.ts`). It listens on two ports for the whole
// harness run, so the base and the head CLI see the same `Host` and the same origins.

import { type AddressInfo, type Server, type Socket, createServer, connect } from 'node:net';
import { type FramedRequest, RequestFramer } from './httpFraming';
import { respond } from './responder';

/** A request as the server received it, with the connection it came on. */
export interface RecordedRequest extends FramedRequest {
  /** Which listener received it: the main origin or the second one (cross-origin redirects). */
  readonly listener: 'main' | 'other';
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
  ) {
    main.on('connection', (socket) => this.accept(socket, 'main'));
    other.on('connection', (socket) => this.accept(socket, 'other'));
  }

  /** Listens on two free ports of 127.0.0.1. */
  static async start(): Promise<Recorder> {
    const [main, other] = await Promise.all([listen(), listen()]);
    return new Recorder(main, other);
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
    await Promise.all([this.main, this.other].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
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
    socket.on('data', (chunk: Buffer) => {
      for (const request of framer.push(chunk)) {
        record(request);
        if (mode.kind === 'answer') {
          if (!request.framed) continue;
          const { bytes, close } = respond(request, { otherOrigin: `http://127.0.0.1:${this.otherPort}` });
          socket.write(bytes);
          if (close) socket.end();
        }
      }
      // Bytes that are not HTTP/1.1 (an HTTP/2 preface) get no answer: close so the client gives up.
      if (mode.kind === 'answer' && framer.isUnframed) socket.end();
    });
    socket.on('error', () => backend?.destroy());
    socket.on('close', () => {
      const rest = framer.end();
      if (rest !== undefined) record(rest);
      backend?.destroy();
      this.open.delete(socket);
      for (const finisher of [...this.finishers]) finisher();
    });
  }
}

function listen(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// The demo API's gRPC service, `demo.Greeter` of samples/streams/greeter.proto, with server
// reflection: a unary call, a server stream, a client stream, a bidirectional chat and a method
// that fails with a status and google.rpc rich details. It listens on a port of its own (gRPC
// needs HTTP/2; the demo's HTTP server speaks HTTP/1.1).

import { Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerDuplexStream, type ServerReadableStream, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A running gRPC demo server. */
export interface GrpcDemo {
  readonly port: number;
  close(): Promise<void>;
}

/** samples/streams/greeter.proto, found from wherever this file was bundled to (dist/, out/test/...). */
export function greeterProtoPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'samples', 'streams', 'greeter.proto');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('cannot find samples/streams/greeter.proto above ' + __dirname);
  }
}

interface HelloRequest {
  readonly name: string;
}
interface CountdownRequest {
  readonly from: number;
  readonly intervalMs: number;
}
interface FailRequest {
  readonly code: number;
  readonly reason: string;
}

/** A server with the Greeter service and reflection, not yet listening. */
export function createGrpcDemoServer(): Server {
  const definition: PackageDefinition = loadSync(greeterProtoPath(), { keepCase: false, longs: Number, defaults: true });
  const server = new Server();
  new ReflectionService(definition).addToServer(server);
  const greeter = definition['demo.Greeter'] as Parameters<Server['addService']>[0];
  server.addService(greeter, {
    SayHello: (call: ServerUnaryCall<HelloRequest, object>, callback: sendUnaryData<object>) => {
      // Request metadata `x-request-id` comes back as a header, and the reply ends with a trailer.
      const headers = new Metadata();
      const requestId = call.metadata.get('x-request-id')[0];
      if (requestId !== undefined) headers.set('x-request-id', String(requestId));
      headers.set('x-greeter', 'demo');
      call.sendMetadata(headers);
      const trailers = new Metadata();
      trailers.set('x-served-by', 'courier-demo');
      callback(null, { message: `Hello, ${call.request.name === '' ? 'stranger' : call.request.name}!` }, trailers);
    },
    Countdown: (call: ServerWritableStream<CountdownRequest, object>) => {
      let remaining = call.request.from;
      const interval = call.request.intervalMs > 0 ? call.request.intervalMs : 10;
      const tick = (): void => {
        if (call.cancelled) return;
        if (remaining <= 0) {
          call.end();
          return;
        }
        call.write({ remaining });
        remaining--;
        setTimeout(tick, interval);
      };
      tick();
    },
    Sum: (call: ServerReadableStream<{ value: number }, object>, callback: sendUnaryData<object>) => {
      let total = 0;
      let count = 0;
      call.on('data', (number: { value: number }) => {
        total += number.value;
        count++;
      });
      call.on('end', () => callback(null, { total, count }));
    },
    Chat: (call: ServerDuplexStream<{ text: string }, object>) => {
      call.on('data', (message: { text: string }) => call.write({ text: `echo: ${message.text}` }));
      call.on('end', () => call.end());
    },
    Fail: (call: ServerUnaryCall<FailRequest, object>, callback: sendUnaryData<object>) => {
      const code = call.request.code === 0 ? status.NOT_FOUND : call.request.code;
      const message = call.request.reason === '' ? 'no greeting for that name' : call.request.reason;
      const metadata = new Metadata();
      metadata.set('grpc-status-details-bin', richStatus(code, message));
      callback({ code, details: message, metadata });
    },
  });
  return server;
}

/** Starts the service on 127.0.0.1:`port` (0: a free port), plaintext unless given TLS credentials. */
export async function startGrpcDemo(port = 0, credentials = ServerCredentials.createInsecure()): Promise<GrpcDemo> {
  const server = createGrpcDemoServer();
  const actualPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, credentials, (error, bound) => (error === null ? resolve(bound) : reject(error)));
  });
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((closed) => {
        server.tryShutdown(() => closed());
        // Open streams (an endless countdown) would hold a graceful shutdown.
        setImmediate(() => server.forceShutdown());
      }),
  };
}

// google.rpc.Status { code = 1; message = 2; repeated google.protobuf.Any details = 3 } with an
// ErrorInfo and a BadRequest, encoded by hand: the demo does not share the decoder it tests.
function richStatus(code: number, message: string): Buffer {
  const errorInfo = Buffer.concat([stringField(1, 'NO_GREETING'), stringField(2, 'demo.courier.example'), bytesField(3, Buffer.concat([stringField(1, 'name'), stringField(2, 'unknown')]))]);
  const badRequest = bytesField(1, Buffer.concat([stringField(1, 'name'), stringField(2, 'must be a known name')]));
  const any = (type: string, value: Buffer): Buffer => Buffer.concat([stringField(1, `type.googleapis.com/google.rpc.${type}`), bytesField(2, value)]);
  return Buffer.concat([Buffer.from([0x08]), varint(code), stringField(2, message), bytesField(3, any('ErrorInfo', errorInfo)), bytesField(3, any('BadRequest', badRequest))]);
}

function stringField(field: number, value: string): Buffer {
  return bytesField(field, Buffer.from(value, 'utf8'));
}

function bytesField(field: number, value: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(value.length), value]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

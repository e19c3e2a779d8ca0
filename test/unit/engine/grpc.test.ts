// gRPC calls against the demo API's real gRPC server (samples/demo-api/grpcService.ts): each kind
// of call through the runner, the session and the gRPC transport, types from reflection and from
// `# @proto` files, metadata both ways, trailers, an error status with rich details, the deadline,
// Stop, and TLS.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange, ExchangeObserver, PreparedRequest, SendOptions, StreamControl, StreamMessage, StreamResponse } from '../../../engine/model';
import { Runner } from '../../../engine/runner';
import { Session, type SessionOptions } from '../../../engine/session';
import { greeterProtoPath, startGrpcDemo, type GrpcDemo } from '../../../samples/demo-api/grpcService';

const tlsFixture = (name: string): string => join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls', name);

let demo: GrpcDemo;
let folder: string;

before(async () => {
  demo = await startGrpcDemo(0);
  folder = mkdtempSync(join(tmpdir(), 'courier-grpc-'));
});

after(async () => {
  await demo.close();
});

interface CallOptions {
  readonly observer?: ExchangeObserver;
  readonly signal?: AbortSignal;
  readonly session?: SessionOptions;
  readonly defaults?: Partial<SendOptions>;
  readonly file?: string;
}

/** Runs the one request of `text` (a `.http` file in the test folder) and returns its exchange. */
async function call(text: string, options: CallOptions = {}): Promise<Exchange> {
  const path = options.file ?? join(folder, 'grpc.http');
  writeFileSync(path, text);
  const session = await Session.open(options.session ?? {});
  try {
    const sender = { send: (request: PreparedRequest, signal?: AbortSignal) => session.send(request, signal, options.observer), state: session.state };
    const [exchange] = await new Runner(sender, { defaults: options.defaults ?? {} }).run({ path, text }, { kind: 'all' }, options.signal);
    assert.ok(exchange !== undefined);
    return exchange;
  } finally {
    await session.close();
  }
}

function streamOf(exchange: Exchange): StreamResponse {
  assert.equal(exchange.error, undefined, exchange.error?.message);
  assert.equal(exchange.response?.shape, 'stream');
  return exchange.response;
}

function conversation(response: StreamResponse): string[] {
  return response.stream.messages.map((message) => `${message.direction} ${message.type} ${String(message.data)}`);
}

function target(method: string): string {
  return `127.0.0.1:${demo.port}/demo.Greeter/${method}`;
}

describe('gRPC calls to the demo service', () => {
  test('a unary call through reflection: the reply, metadata both ways, trailers and status', async () => {
    const exchange = await call(`GRPC ${target('SayHello')}\nx-request-id: r-17\n\n{ "name": "Ada" }\n`);
    const response = streamOf(exchange);
    assert.equal(exchange.request.method, 'GRPC');
    assert.equal(exchange.request.url, `grpc://127.0.0.1:${demo.port}/demo.Greeter/SayHello`);
    assert.equal(response.status, 200);
    assert.equal(response.statusText, 'OK');
    assert.deepEqual(conversation(response), ['sent SayHello {"name":"Ada"}', 'received SayHello {"message":"Hello, Ada!"}']);
    assert.deepEqual(response.stream.end, { reason: 'completed', code: 0, detail: 'OK' });
    const headers = response.headers.slice(0, response.trailersFrom);
    const trailers = response.headers.slice(response.trailersFrom);
    assert.ok(headers.some(([name, value]) => name === 'x-request-id' && value === 'r-17'), 'the request metadata came back as a header');
    assert.ok(headers.some(([name, value]) => name === 'x-greeter' && value === 'demo'));
    assert.deepEqual(trailers.slice(0, 1), [['grpc-status', '0']]);
    assert.ok(trailers.some(([name, value]) => name === 'x-served-by' && value === 'courier-demo'), 'trailing metadata is among the trailers');
    assert.equal(Buffer.from(response.body.prefix).toString(), '{"message":"Hello, Ada!"}', 'a unary reply is the body too');
    assert.equal(response.body.contentType, 'application/json');
  });

  test('a named unary call\'s reply is read by the next request like any response body', async () => {
    const text = `# @name hello\nGRPC ${target('SayHello')}\n\n{ "name": "Ada" }\n\n###\nGRPC ${target('SayHello')}\n\n{ "name": "{{hello.response.body.$.message}}" }\n`;
    const path = join(folder, 'chain.http');
    writeFileSync(path, text);
    const session = await Session.open();
    try {
      const exchanges = await new Runner(session, {}).run({ path, text }, { kind: 'all' });
      assert.deepEqual(conversation(streamOf(exchanges[1])).at(-1), 'received SayHello {"message":"Hello, Hello, Ada!!"}');
    } finally {
      await session.close();
    }
  });

  test('types from a # @proto file, relative to the .http file, with an import found through the import paths', async () => {
    const protoFolder = join(folder, 'protos');
    const shared = join(folder, 'shared');
    mkdirSync(protoFolder, { recursive: true });
    mkdirSync(shared, { recursive: true });
    // The same service, its messages in a file of another folder: wire-compatible with the demo.
    writeFileSync(join(shared, 'greetings.proto'), 'syntax = "proto3";\npackage demo;\nmessage HelloRequest { string name = 1; }\nmessage HelloReply { string message = 1; }\n');
    writeFileSync(join(protoFolder, 'greeter.proto'), 'syntax = "proto3";\npackage demo;\nimport "greetings.proto";\nservice Greeter { rpc SayHello (HelloRequest) returns (HelloReply); }\n');
    const exchange = await call(`# @proto ./protos/greeter.proto\nGRPC ${target('SayHello')}\n\n{ "name": "Grace" }\n`, { defaults: { protoImportPaths: [shared] } });
    assert.deepEqual(conversation(streamOf(exchange)), ['sent SayHello {"name":"Grace"}', 'received SayHello {"message":"Hello, Grace!"}']);

    const missingImport = await call(`# @proto ./protos/greeter.proto\nGRPC ${target('SayHello')}\n\n{ "name": "Grace" }\n`);
    assert.equal(missingImport.error?.code, 'file');
    assert.match(missingImport.error?.message ?? '', /greetings\.proto/);
    assert.match(missingImport.error?.message ?? '', /protoImportPaths or --proto-path/);
  });

  test('a server stream: each message told to the observer as it comes, then the end', async () => {
    copyFileSync(greeterProtoPath(), join(folder, 'greeter.proto'));
    const seen: StreamMessage[] = [];
    const controls: StreamControl[] = [];
    const exchange = await call(`# @proto ./greeter.proto\nGRPC ${target('Countdown')}\n\n{ "from": 3 }\n`, { observer: { onMessage: (message) => seen.push(message), onStreamOpen: (control) => controls.push(control) } });
    const response = streamOf(exchange);
    assert.deepEqual(conversation(response), ['sent Countdown {"from":3}', 'received Countdown {"remaining":3}', 'received Countdown {"remaining":2}', 'received Countdown {"remaining":1}']);
    assert.deepEqual(seen, response.stream.messages);
    assert.deepEqual(controls.map((control) => [control.protocol, control.canSend]), [['grpc', false]]);
    assert.equal(response.stream.end.reason, 'completed');
    assert.equal(response.body.size, 0, 'a streamed reply has no single body');
  });

  test('a client stream sends the === separated messages and gets one reply', async () => {
    const exchange = await call(`GRPC ${target('Sum')}\n\n{ "value": 1 }\n===\n{ "value": 2 }\n===\n{ "value": 39 }\n`);
    const response = streamOf(exchange);
    assert.deepEqual(conversation(response), ['sent Sum {"value":1}', 'sent Sum {"value":2}', 'sent Sum {"value":39}', 'received Sum {"total":"42","count":3}']);
    assert.equal(Buffer.from(response.body.prefix).toString(), '{"total":"42","count":3}');
  });

  test('a bidirectional call waits for the server where the script says, and StreamControl.send adds a message', async () => {
    let control: StreamControl | undefined;
    let added = false;
    const observer: ExchangeObserver = {
      onStreamOpen: (opened) => (control = opened),
      onMessage: (message) => {
        if (message.direction === 'received' && message.data === '{"text":"echo: b"}' && !added) {
          added = true;
          control?.send('{ "text": "typed" }');
        }
      },
    };
    const exchange = await call(`GRPC ${target('Chat')}\n\n{ "text": "a" }\n=== wait-for-server\n{ "text": "b" }\n`, { observer });
    assert.equal(control?.canSend, true);
    assert.deepEqual(conversation(streamOf(exchange)), [
      'sent Chat {"text":"a"}',
      'received Chat {"text":"echo: a"}',
      'sent Chat {"text":"b"}',
      'received Chat {"text":"echo: b"}',
      'sent Chat {"text":"typed"}',
      'received Chat {"text":"echo: typed"}',
    ]);
  });

  test('an error status: its code and message, the rich details of grpc-status-details-bin, and the trailers', async () => {
    const exchange = await call(`GRPC ${target('Fail')}\n\n{ "code": 5, "reason": "nobody by that name" }\n`);
    const response = streamOf(exchange);
    assert.equal(response.statusText, 'NOT_FOUND');
    const { end } = response.stream;
    assert.equal(end.reason, 'closed-by-server');
    assert.equal(end.code, 5);
    assert.match(end.detail ?? '', /^NOT_FOUND: nobody by that name; details: /);
    const details = JSON.parse((end.detail ?? '').replace(/^.*?; details: /, '')) as { code: number; details: Record<string, unknown>[] };
    assert.equal(details.code, 5);
    assert.deepEqual(details.details[0], { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'NO_GREETING', domain: 'demo.courier.example', metadata: { name: 'unknown' } });
    assert.deepEqual(details.details[1], { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'name', description: 'must be a known name' }] });
    const trailers = response.headers.slice(response.trailersFrom);
    assert.deepEqual(trailers.slice(0, 2), [
      ['grpc-status', '5'],
      ['grpc-message', 'nobody by that name'],
    ]);
    assert.ok(trailers.some(([name]) => name === 'grpc-status-details-bin'));
  });

  test('# @timeout is the deadline: an endless stream ends as timed out, with what came', async () => {
    const exchange = await call(`# @timeout 300 ms\nGRPC ${target('Countdown')}\n\n{ "from": 100000, "intervalMs": 5 }\n`);
    const response = streamOf(exchange);
    assert.equal(response.stream.end.reason, 'timeout');
    assert.ok(response.stream.count > 2, `messages came before the deadline (${response.stream.count})`);
  });

  test('stopping a stream (the signal, or StreamControl.stop) is a normal end', async () => {
    const controller = new AbortController();
    const bySignal = await call(`GRPC ${target('Countdown')}\n\n{ "from": 100000, "intervalMs": 5 }\n`, {
      signal: controller.signal,
      observer: { onMessage: (message) => message.data === '{"remaining":99997}' && controller.abort() },
    });
    assert.equal(streamOf(bySignal).stream.end.reason, 'stopped');
    assert.ok(streamOf(bySignal).stream.count >= 4);

    let control: StreamControl | undefined;
    const byControl = await call(`GRPC ${target('Countdown')}\n\n{ "from": 100000, "intervalMs": 5 }\n`, {
      observer: { onStreamOpen: (opened) => (control = opened), onMessage: (message) => message.data === '{"remaining":99998}' && control?.stop() },
    });
    assert.equal(streamOf(byControl).stream.end.reason, 'stopped');
  });

  test('mistakes are errors that say what to write: an unknown method, a field the type lacks, several messages for a unary call', async () => {
    const unknownMethod = await call(`GRPC ${target('SayGoodbye')}\n\n{}\n`);
    assert.match(unknownMethod.error?.message ?? '', /demo\.Greeter has no method SayGoodbye; its methods: SayHello, Countdown, Sum, Chat, Fail/);
    const unknownService = await call(`GRPC 127.0.0.1:${demo.port}/demo.Nobody/Call\n\n{}\n`);
    assert.match(unknownService.error?.message ?? '', /has no service demo\.Nobody/);
    const unknownField = await call(`GRPC ${target('SayHello')}\n\n{ "nmae": "Ada" }\n`);
    assert.match(unknownField.error?.message ?? '', /message 1 of the body has "nmae", which HelloRequest does not define; its fields: name/);
    const twoMessages = await call(`GRPC ${target('SayHello')}\n\n{ "name": "a" }\n===\n{ "name": "b" }\n`);
    assert.match(twoMessages.error?.message ?? '', /takes one request message, and the body has 2/);
    const notJson = await call(`GRPC ${target('SayHello')}\n\n{ name: a }\n`);
    assert.match(notJson.error?.message ?? '', /message 1 of the body is not JSON/);
  });

  test('a server that is not there is refused; one without reflection asks for a # @proto file', async () => {
    const closed = await startGrpcDemo(0);
    const port = closed.port;
    await closed.close();
    const refused = await call(`GRPC 127.0.0.1:${port}/demo.Greeter/SayHello\n\n{}\n`);
    assert.equal(refused.error?.code, 'refused');
    assert.match(refused.error?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));

    const bare = new Server();
    const barePort = await new Promise<number>((resolve, reject) => bare.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error === null ? resolve(bound) : reject(error))));
    try {
      const noReflection = await call(`GRPC 127.0.0.1:${barePort}/demo.Greeter/SayHello\n\n{}\n`);
      assert.match(noReflection.error?.message ?? '', /does not offer server reflection.*# @proto/);
    } finally {
      bare.forceShutdown();
    }
  });

  test('grpcs:// calls over TLS, verified against the session\'s CA files', async () => {
    const credentials = ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(tlsFixture('server.pem')), private_key: readFileSync(tlsFixture('server.key')) }], false);
    const secure = await startGrpcDemo(0, credentials);
    try {
      const text = `GRPC grpcs://localhost:${secure.port}/demo.Greeter/SayHello\n\n{ "name": "TLS" }\n`;
      const trusted = await call(text, { session: { caFiles: [tlsFixture('ca.pem')] } });
      assert.deepEqual(conversation(streamOf(trusted)).at(-1), 'received SayHello {"message":"Hello, TLS!"}');
      assert.equal(trusted.request.url, `grpcs://localhost:${secure.port}/demo.Greeter/SayHello`);
      const untrusted = await call(text);
      assert.equal(untrusted.error?.code, 'tls', untrusted.error?.message);
      const insecure = await call(`# @insecure\n${text}`);
      assert.equal(streamOf(insecure).statusText, 'OK');
      assert.ok(insecure.warnings.some((warning) => warning.includes('verification is disabled')));
    } finally {
      await secure.close();
    }
  });
});

// WebSocket conversations and GraphQL subscriptions against the demo API's real servers (its
// /ws/echo, /ws/chat and /graphql endpoints), through a real session: scripts with
// `=== wait-for-server`, binary frames, close codes, the quiet end, timeouts, Stop, messages sent
// by a front end, cookies on the handshake, wss with the test CA, and a refused handshake.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange, ExchangeObserver, MessageStream, PreparedRequest, SendOptions, StreamControl, StreamMessage } from '../../../engine/model';
import { prepareRequest } from '../../../engine/prepare';
import { Session } from '../../../engine/session';
import { Resolver } from '../../../engine/variables';
import { parse } from '../../../language/parser';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';
import { webSocketEndpoints } from '../../../samples/demo-api/websockets';
import { listen } from './localServer';

const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');

let api: DemoApi;
before(async () => {
  api = await startDemoApi(0);
});
after(async () => {
  await api.close();
});

/** The first request of `text` (`{{url}}` is the demo API's http URL), prepared with `defaults`. */
function prepare(text: string, defaults: Partial<SendOptions> = {}, url = api.url): PreparedRequest {
  const document = parse(text);
  const request = document.requests[0];
  assert.ok(request, 'no request in the text');
  const resolver = new Resolver({
    overrides: new Map(),
    fileVariables: new Map(),
    environment: new Map([['url', url]]),
    prompted: new Map(),
    sentRequest: () => undefined,
    system: { now: () => new Date(0), random: () => 0, uuid: () => 'u-1', processEnv: () => undefined, dotenv: () => undefined },
  });
  const result = prepareRequest({ document, request, file: '/w/ws.http', resolver, defaults });
  assert.ok('prepared' in result, 'error' in result ? result.error.message : '');
  return result.prepared;
}

/** Sends and returns the exchange and its stream (asserting it is one). */
async function converse(session: Session, request: PreparedRequest, observer?: ExchangeObserver, signal?: AbortSignal): Promise<{ exchange: Exchange; stream: MessageStream }> {
  const exchange = await session.send(request, signal, observer);
  assert.equal(exchange.error, undefined, exchange.error?.message);
  assert.equal(exchange.response?.shape, 'stream');
  if (exchange.response?.shape !== 'stream') throw new Error('not a stream');
  return { exchange, stream: exchange.response.stream };
}

const conversation = (messages: readonly StreamMessage[]): string[] => messages.map((message) => `${message.direction === 'sent' ? '>' : '<'} ${typeof message.data === 'string' ? message.data : `[${message.data.join(',')}]`}`);

describe('WebSocket conversations', () => {
  test('wait-for-server holds each message until the server has answered; a close from the server reports its code and reason', async () => {
    const session = await Session.open({});
    try {
      const text = 'WEBSOCKET {{url}}/ws/chat\n\n=== wait-for-server\nhello\n=== wait-for-server\n/close 4001 see you\n';
      const { exchange, stream } = await converse(session, prepare(text));
      assert.equal(exchange.request.method, 'WEBSOCKET');
      assert.equal(exchange.response?.status, 101);
      assert.equal(stream.protocol, 'websocket');
      assert.deepEqual(conversation(stream.messages), [
        '< {"type":"welcome","name":"guest-1","online":1}',
        '> hello',
        '< {"type":"message","from":"guest-1","text":"hello"}',
        '> /close 4001 see you',
      ]);
      assert.deepEqual(stream.end, { reason: 'closed-by-server', code: 4001, detail: 'see you' });
      const times = stream.messages.map((message) => message.at);
      assert.deepEqual([...times].sort((a, b) => a - b), times, 'messages in the order they happened');
    } finally {
      await session.close();
    }
  });

  test("httpYac's WS sends the script and ends when the server has been quiet for streamQuietMs", async () => {
    const session = await Session.open({});
    try {
      const started = Date.now();
      const { stream } = await converse(session, prepare('WS {{url}}/ws/echo\n\none\n===\ntwo\n', { streamQuietMs: 150 }));
      assert.deepEqual(conversation(stream.messages).sort(), ['< one', '< two', '> one', '> two']);
      assert.deepEqual(stream.end, { reason: 'completed' });
      assert.ok(Date.now() - started >= 150, 'the quiet period was waited for');
      assert.deepEqual(stream.messages.map((message) => message.type), ['text', 'text', 'text', 'text']);
    } finally {
      await session.close();
    }
  });

  test('a front end sends text and binary frames mid-conversation and stops it; keepStreamOpen outlasts the quiet period', async () => {
    const session = await Session.open({});
    try {
      let control: StreamControl | undefined;
      const bytes = Uint8Array.from([0, 1, 2, 254, 255]);
      let received = 0;
      const observer: ExchangeObserver = {
        onStreamOpen: (opened) => (control = opened),
        onMessage: (message) => {
          if (message.direction !== 'received') return;
          received++;
          // After the scripted echo, a quiet moment longer than streamQuietMs, then a binary frame.
          if (received === 1) setTimeout(() => control?.send(bytes), 80);
          if (received === 2) control?.stop();
        },
      };
      const { stream } = await converse(session, prepare('WEBSOCKET {{url}}/ws/echo\n\nscripted\n', { streamQuietMs: 20, keepStreamOpen: true }), observer);
      assert.equal(control?.canSend, true);
      assert.equal(control?.protocol, 'websocket');
      assert.deepEqual(conversation(stream.messages), ['> scripted', '< scripted', '> [0,1,2,254,255]', '< [0,1,2,254,255]']);
      assert.deepEqual(stream.messages.map((message) => message.type), ['text', 'text', 'binary', 'binary']);
      assert.ok(stream.messages[3]?.data instanceof Uint8Array);
      assert.deepEqual(stream.end, { reason: 'stopped' });
    } finally {
      await session.close();
    }
  });

  test('# @timeout ends an open conversation as a normal timeout; aborting ends it as stopped', async () => {
    const session = await Session.open({});
    try {
      const timedOut = await converse(session, prepare('# @timeout 300 ms\nWEBSOCKET {{url}}/ws/chat\n', { keepStreamOpen: true }));
      assert.equal(timedOut.stream.end.reason, 'timeout');
      assert.equal(timedOut.stream.count, 1, 'the greeting was kept');
      const controller = new AbortController();
      const stopped = await converse(session, prepare('WEBSOCKET {{url}}/ws/chat\n', { keepStreamOpen: true }), { onMessage: () => controller.abort() }, controller.signal);
      assert.deepEqual(stopped.stream.end, { reason: 'stopped' });
      assert.equal(stopped.exchange.error, undefined);
    } finally {
      await session.close();
    }
  });

  test("the session's cookies go on the handshake and Set-Cookie on the 101 is stored", async () => {
    const session = await Session.open({});
    try {
      const request = prepare('WEBSOCKET {{url}}/ws/echo\n', { streamQuietMs: 10 });
      const first = await converse(session, request);
      assert.ok(first.exchange.response?.headers.some(([name, value]) => name.toLowerCase() === 'set-cookie' && value.startsWith('ws-visits=1')));
      const second = await converse(session, request);
      assert.ok(second.exchange.request.headers.some(([name, value]) => name === 'Cookie' && value === 'ws-visits=1'), 'the stored cookie was sent');
      assert.deepEqual((await session.cookies.list()).map((cookie) => `${cookie.name}=${cookie.value}`), ['ws-visits=2']);
      // A Cookie header of the request goes too: the chat greets by name.
      const named = await converse(session, prepare('WEBSOCKET {{url}}/ws/chat\nCookie: name=Ada\n', { streamQuietMs: 10 }));
      assert.match(String(named.stream.messages[0]?.data), /"name":"Ada"/);
    } finally {
      await session.close();
    }
  });

  test('a handshake answered with another status is a plain response with its body', async () => {
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepare('WEBSOCKET {{url}}/ws/nowhere\n'));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(exchange.response?.status, 404);
      assert.notEqual(exchange.response?.shape, 'stream');
      assert.match(Buffer.from(exchange.response?.body.prefix ?? []).toString(), /no WebSocket endpoint at \/ws\/nowhere/);
    } finally {
      await session.close();
    }
  });

  test('a server that is not there is a refused connection, named', async () => {
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepare('WEBSOCKET ws://127.0.0.1:9/ws\n'));
      assert.equal(exchange.error?.code, 'refused', exchange.error?.message);
    } finally {
      await session.close();
    }
  });

  test("wss uses the session's TLS settings: extra CAs, and # @insecure with its warning", async () => {
    const endpoints = webSocketEndpoints();
    const server = createServer({ cert: readFileSync(join(fixtures, 'server.pem')), key: readFileSync(join(fixtures, 'server.key')) });
    server.on('upgrade', (request, socket, head) => endpoints.handleUpgrade(request, socket, head));
    const running = await listen(server, 'https');
    const wss = running.url.replace(/^https/, 'wss');
    const untrusting = await Session.open({});
    const trusting = await Session.open({ caFiles: [join(fixtures, 'ca.pem')] });
    try {
      const refused = await untrusting.send(prepare(`WEBSOCKET ${wss}/ws/echo\n\nsecret\n`, { streamQuietMs: 10 }));
      assert.equal(refused.error?.code, 'tls', refused.error?.message);
      assert.match(refused.error?.message ?? '', /issuer CN=Courier Test CA/);
      const trusted = await converse(trusting, prepare(`WEBSOCKET ${wss}/ws/echo\n\nsecret\n`, { streamQuietMs: 10 }));
      assert.deepEqual(conversation(trusted.stream.messages), ['> secret', '< secret']);
      assert.ok(trusted.exchange.timings.tls !== undefined, 'the TLS handshake was timed');
      const insecure = await converse(untrusting, prepare(`# @insecure\nWEBSOCKET ${wss}/ws/echo\n\nsecret\n`, { streamQuietMs: 10 }));
      assert.equal(insecure.stream.count, 2);
      assert.ok(insecure.exchange.warnings.some((warning) => /verification is disabled/.test(warning)), insecure.exchange.warnings.join('\n'));
    } finally {
      await untrusting.close();
      await trusting.close();
      await endpoints.close();
      await running.close();
    }
  });
});

describe('GraphQL subscriptions', () => {
  test('a GRAPHQL subscription to an http URL goes over graphql-transport-ws: each result a message, complete ends it', async () => {
    const session = await Session.open({});
    try {
      const request = prepare('GRAPHQL {{url}}/graphql\n\nsubscription Countdown { countdown(from: 3) }\n');
      assert.equal(request.url, `${api.url.replace(/^http/, 'ws')}/graphql`);
      let control: StreamControl | undefined;
      const { exchange, stream } = await converse(session, request, { onStreamOpen: (opened) => (control = opened) });
      assert.equal(exchange.response?.status, 101);
      assert.equal(control?.canSend, false);
      assert.equal(stream.protocol, 'graphql-ws');
      assert.deepEqual(
        stream.messages.map((message) => `${message.direction} ${message.type} ${message.id ?? ''} ${String(message.data)}`),
        [
          'sent subscribe 1 {"query":"subscription Countdown { countdown(from: 3) }","operationName":"Countdown"}',
          'received next 1 {"data":{"countdown":3}}',
          'received next 1 {"data":{"countdown":2}}',
          'received next 1 {"data":{"countdown":1}}',
          'received next 1 {"data":{"countdown":0}}',
          'received complete 1 ',
        ],
      );
      assert.deepEqual(stream.end, { reason: 'completed' });
    } finally {
      await session.close();
    }
  });

  test('a GraphQL error ends the subscription, reported as a message and in the end', async () => {
    const session = await Session.open({});
    try {
      const { stream } = await converse(session, prepare('GRAPHQL {{url}}/graphql\n\nsubscription { nosuchfield }\n'));
      const error = stream.messages.find((message) => message.type === 'error');
      assert.match(String(error?.data), /Cannot query field \\"nosuchfield\\"/);
      assert.equal(stream.end.reason, 'closed-by-server');
      assert.match(stream.end.detail ?? '', /^GraphQL error: Cannot query field "nosuchfield"/);
    } finally {
      await session.close();
    }
  });

  test('a subscription that never ends stops at # @timeout, and when aborted', async () => {
    const session = await Session.open({});
    try {
      const timedOut = await converse(session, prepare('# @timeout 250 ms\nPOST {{url}}/graphql\nX-Request-Type: GraphQL\n\nsubscription { ticks(everyMs: 20) }\n'));
      assert.equal(timedOut.exchange.request.url.startsWith('ws://'), true, 'a subscription in a GraphQL body goes over a WebSocket too');
      assert.equal(timedOut.stream.end.reason, 'timeout');
      assert.ok(timedOut.stream.count >= 3, `ticks arrived: ${timedOut.stream.count}`);
      const controller = new AbortController();
      let ticks = 0;
      const stopped = await converse(session, prepare('GRAPHQL ws://{{host}}/graphql\n\nsubscription { ticks(everyMs: 10) }\n'.replace('{{host}}', new URL(api.url).host)), { onMessage: (message) => message.type === 'next' && ++ticks === 2 && controller.abort() }, controller.signal);
      assert.deepEqual(stopped.stream.end, { reason: 'stopped' });
      assert.equal(stopped.stream.messages.filter((message) => message.type === 'next').length >= 2, true);
    } finally {
      await session.close();
    }
  });
});

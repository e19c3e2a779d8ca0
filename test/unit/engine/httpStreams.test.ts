// Streamed HTTP responses against the demo API's real server: Server-Sent Events and NDJSON are
// read as messages while they arrive, told to the observer at once, kept within bounds, and ended
// by the server, the timeout, the caller's abort or the observer's Stop as a normal end.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Exchange, StreamControl, StreamMessage, StreamResponse } from '../../../engine/model';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { messageOfSpilledLine } from '../../../engine/streams/streamRecorder';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';
import { httpServer, prepared } from './localServer';

let api: DemoApi;
let session: Session;
before(async () => {
  api = await startDemoApi(0);
  session = await Session.open();
});
after(async () => {
  await session.close();
  await api.close();
});

function streamOf(exchange: Exchange): StreamResponse {
  assert.equal(exchange.error, undefined, exchange.error?.message);
  const response = exchange.response;
  assert.equal(response?.shape, 'stream');
  return response;
}

/** The `line` field of an NDJSON export line. */
const lineNumber = (message: StreamMessage | undefined): number => (JSON.parse(String(message?.data)) as { line: number }).line;

const shape = (message: StreamMessage): { type: string; id: string | undefined; data: string | Uint8Array } => ({ type: message.type, id: message.id, data: message.data });

/** Resolves with the first message `observed` sees that passes `test`. */
function messageWhere(test: (message: StreamMessage) => boolean): { observer: { onMessage: (message: StreamMessage) => void; onStreamOpen: (control: StreamControl) => void }; seen: StreamMessage[]; reached: Promise<StreamMessage>; control: () => StreamControl | undefined } {
  const seen: StreamMessage[] = [];
  let control: StreamControl | undefined;
  let reach: (message: StreamMessage) => void = () => undefined;
  const reached = new Promise<StreamMessage>((resolve) => (reach = resolve));
  return {
    observer: {
      onMessage: (message) => {
        seen.push(message);
        if (test(message)) reach(message);
      },
      onStreamOpen: (opened) => (control = opened),
    },
    seen,
    reached,
    control: () => control,
  };
}

describe('Server-Sent Events over HTTP', () => {
  test('the format corners, written in pieces: multi-line data, ids, CR/CRLF, a split UTF-8 character, retry reported', async () => {
    const watch = messageWhere(() => false);
    const exchange = await session.send(prepared(`${api.url}/sse/format`), undefined, watch.observer);
    const response = streamOf(exchange);
    const expected = [
      { type: 'greeting', id: '1', data: 'first line\nsecond line' },
      { type: 'message', id: '1', data: '{"n":2,"text":"split across writes"}' },
      { type: 'crlf', id: '3', data: 'carriage returns and line feeds' },
      { type: 'cr', id: '3', data: 'lone carriage returns' },
      { type: 'message', id: '3', data: 'keeps id 3 (no id field)' },
      { type: 'message', id: '3', data: 'café and an empty data line follows\n' },
      { type: 'message', id: '4', data: 'no space after the colon' },
    ];
    assert.deepEqual(response.stream.messages.map(shape), expected);
    assert.deepEqual(watch.seen.map(shape), expected, 'the observer heard each message');
    assert.equal(response.stream.protocol, 'sse');
    assert.deepEqual(response.stream.end, { reason: 'completed' });
    assert.equal(response.stream.count, 7);
    assert.ok(exchange.warnings.some((warning) => warning.includes('reconnect after 2500 ms') && warning.includes('Last-Event-ID: 4')), exchange.warnings.join('; '));
    // The bytes as they came, for Save and request variables.
    assert.ok(new TextDecoder().decode(response.body.prefix).includes('data: this last event has no blank line'));
    // Messages are timed from the exchange's start, in order.
    const times = response.stream.messages.map((message) => message.at);
    assert.deepEqual([...times].sort((a, b) => a - b), times);
    assert.ok(times[0] !== undefined && times[0] > 0);
  });

  test('each event reaches the observer while the stream is still open', async () => {
    const watch = messageWhere((message) => message.id === '1');
    let ended = false;
    const sending = session.send(prepared(`${api.url}/sse/countdown?from=3&intervalMs=100`), undefined, watch.observer).finally(() => (ended = true));
    const last = await watch.reached;
    assert.equal(ended, false, 'countdown 1 arrived before the exchange ended');
    assert.equal(last.data, '{"remaining":1}');
    const response = streamOf(await sending);
    assert.deepEqual(
      response.stream.messages.map((message) => `${message.type} ${message.id} ${String(message.data)}`),
      ['countdown 3 {"remaining":3}', 'countdown 2 {"remaining":2}', 'countdown 1 {"remaining":1}', 'done 1 liftoff'],
    );
  });

  test('a POST answered with text/event-stream streams like a GET: tokens, then [DONE]', async () => {
    const body = [new TextEncoder().encode('{"prompt":"streams"}')];
    const exchange = await session.send(prepared(`${api.url}/sse/chat?intervalMs=1`, { method: 'POST', headers: [['Content-Type', 'application/json']], body }));
    const { messages } = streamOf(exchange).stream;
    assert.equal(messages.at(-1)?.data, '[DONE]');
    const text = messages.slice(0, -1).map((message) => (JSON.parse(String(message.data)) as { choices: { delta: { content: string } }[] }).choices[0]?.delta.content).join('');
    assert.match(text, /^You asked about "streams"\. Streams arrive token by token/);
  });

  test('# @timeout ends an endless stream as a normal, reported end that keeps its messages', async () => {
    const exchange = await session.send(prepared(`${api.url}/sse/ticks?intervalMs=20`, { options: { timeoutMs: 300 } }));
    const { stream } = streamOf(exchange);
    assert.equal(stream.end.reason, 'timeout');
    assert.match(stream.end.detail ?? '', /300 ms/);
    assert.ok(stream.count >= 3, `ticks kept: ${stream.count}`);
    assert.equal(stream.messages[0]?.data.toString().startsWith('{"tick":1,'), true);
    assert.ok(exchange.timings.total >= 300);
  });

  test("the caller's abort (Ctrl+C, the panel's Stop) ends an opened stream as stopped, not an error, and is not retried", async () => {
    const watch = messageWhere((message) => message.id === '3');
    const abort = new AbortController();
    // Retries would send a GET again after a connection failure: an abort must not count as one.
    const sending = session.send(prepared(`${api.url}/sse/ticks?intervalMs=10`, { options: { retries: 3 } }), abort.signal, watch.observer);
    await watch.reached;
    abort.abort();
    const exchange = await sending;
    const { stream } = streamOf(exchange);
    assert.deepEqual(stream.end, { reason: 'stopped' });
    assert.ok(stream.count >= 3);
    assert.deepEqual(stream.messages.slice(0, 3).map((message) => message.id), ['1', '2', '3']);
  });

  test("the observer's StreamControl.stop() ends the stream as stopped; it cannot send", async () => {
    const watch = messageWhere((message) => message.id === '2');
    const sending = session.send(prepared(`${api.url}/sse/ticks?intervalMs=10`), undefined, watch.observer);
    await watch.reached;
    const control = watch.control();
    assert.equal(control?.protocol, 'sse');
    assert.equal(control?.canSend, false);
    control?.stop();
    const { stream } = streamOf(await sending);
    assert.deepEqual(stream.end, { reason: 'stopped' });
    assert.ok(stream.count >= 2);
  });

  test('an abort before the stream opened is still the error it always was', async () => {
    const abort = new AbortController();
    abort.abort();
    const exchange = await session.send(prepared(`${api.url}/sse/ticks`), abort.signal);
    assert.equal(exchange.response, undefined);
    assert.equal(exchange.error?.code, 'aborted');
  });

  test('a compressed event stream is decoded before it is parsed', async () => {
    const server = await httpServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip' });
      response.end(gzipSync('id: 1\ndata: zipped\n\n'));
    });
    try {
      const { stream, body } = streamOf(await session.send(prepared(`${server.url}/`)));
      assert.deepEqual(stream.messages.map(shape), [{ type: 'message', id: '1', data: 'zipped' }]);
      assert.equal(new TextDecoder().decode(body.prefix), 'id: 1\ndata: zipped\n\n');
    } finally {
      await server.close();
    }
  });

  test("a connection that breaks mid-stream keeps what arrived, and the end says why", async () => {
    const server = await httpServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write('data: before\n\n', () => setImmediate(() => response.destroy()));
    });
    try {
      const { stream } = streamOf(await session.send(prepared(`${server.url}/`)));
      assert.deepEqual(stream.messages.map(shape), [{ type: 'message', id: undefined, data: 'before' }]);
      assert.equal(stream.end.reason, 'closed-by-server');
      assert.match(stream.end.detail ?? '', /connection broke/);
    } finally {
      await server.close();
    }
  });
});

describe('NDJSON and # @stream over HTTP', () => {
  test('application/x-ndjson: one message per line', async () => {
    const { stream, body } = streamOf(await session.send(prepared(`${api.url}/export.ndjson?count=5`)));
    assert.equal(stream.protocol, 'ndjson');
    assert.deepEqual(stream.messages.map(lineNumber), [1, 2, 3, 4, 5]);
    assert.equal(stream.messages[0]?.type, 'line');
    assert.equal(new TextDecoder().decode(body.prefix).split('\n').length, 6);
  });

  test('a long stream keeps a bounded window in memory and every line in its file', async () => {
    const small = await Session.open({ messagesInMemory: 50 });
    try {
      const count = 20_000;
      const { stream } = streamOf(await small.send(prepared(`${api.url}/export.ndjson?count=${count}`)));
      assert.equal(stream.count, count);
      assert.equal(stream.messages.length, 50);
      assert.equal(lineNumber(stream.messages.at(-1)), count);
      assert.ok(stream.file !== undefined);
      const spilled = readFileSync(stream.file, 'utf8').trimEnd().split('\n');
      assert.equal(spilled.length, count);
      assert.equal(lineNumber(messageOfSpilledLine(spilled[0] ?? '')), 1);
      assert.equal(lineNumber(messageOfSpilledLine(spilled[count - 1] ?? '')), count);
    } finally {
      await small.close();
    }
  });

  test('# @stream reads any response line by line; SSE url is a GET asking for an event stream', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-streams-'));
    const path = join(folder, 'streams.http');
    const text = [`# @stream`, `GET ${api.url}/download?mb=0.001`, '', '###', `SSE ${api.url}/sse/countdown?from=2&intervalMs=0`, ''].join('\n');
    writeFileSync(path, text);
    const [lines, events] = await new Runner(session, {}).run({ path, text }, { kind: 'all' });
    const lineStream = streamOf(lines).stream;
    assert.equal(lineStream.protocol, 'ndjson');
    // 1,049 bytes (0.001 MiB) of a 65-character line pattern: 16 whole lines and a last one without its end.
    assert.equal(lineStream.count, 17);
    assert.equal(lineStream.messages.at(-1)?.data, '012345678');
    assert.equal(events?.request.method, 'GET');
    assert.ok(events?.request.headers.some(([name, value]) => name === 'Accept' && value === 'text/event-stream'));
    assert.deepEqual(streamOf(events).stream.messages.map((message) => message.type), ['countdown', 'countdown', 'done']);
  });

  test('the runner hands each request to RunSettings.observe, which hears its messages', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-streams-'));
    const path = join(folder, 'observed.http');
    const text = `GET ${api.url}/export.ndjson?count=3\n`;
    writeFileSync(path, text);
    const heard: string[] = [];
    const [exchange] = await new Runner(session, { observe: (request) => ({ onMessage: (message) => heard.push(`${request.origin.line}: ${String(message.data)}`) }) }).run({ path, text }, { kind: 'all' });
    assert.equal(streamOf(exchange).stream.count, 3);
    assert.deepEqual(heard.map((line) => line.slice(0, 12)), ['1: {"line":1', '1: {"line":2', '1: {"line":3']);
  });
});

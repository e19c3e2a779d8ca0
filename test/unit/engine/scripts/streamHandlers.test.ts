// Handlers on streams (JetBrains' `response.body.onEachLine` and `onEachMessage`) through the
// runner and a real session: the callbacks run while the stream is open, `unsubscribe()` ends it
// as a normal `stopped` end, tests inside them are reported, a runaway callback stops that request
// only, and a callback reaches nothing of the host.

import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Exchange, StreamControl } from '../../../../engine/model';
import { StreamHandlers } from '../../../../engine/scripts/streamHandlers';
import { parse } from '../../../../language/parser';
import { httpServer } from '../localServer';
import { Runner } from '../../../../engine/runner';
import { scriptGlobals } from '../../../../engine/scripts/requestScripts';
import { Session } from '../../../../engine/session';
import { PacedStreamTransport, type PacedScript } from '../pacedStreamTransport';
import { scriptInput, testSandbox } from './sandboxHarness';

const sandbox = testSandbox({ timeoutMs: 1_000 });
const folder = mkdtempSync(join(tmpdir(), 'courier-stream-handlers-'));

after(async () => {
  await sandbox.close();
});

const endlessNdjson: PacedScript = { protocol: 'ndjson', contentType: 'application/x-ndjson', messages: [], endless: true };

async function run(script: PacedScript, text: string, timeoutMs?: number): Promise<{ exchanges: Exchange[]; transport: PacedStreamTransport; globals: Map<string, string> }> {
  const path = join(folder, `handlers-${Math.random().toString(36).slice(2)}.http`);
  writeFileSync(path, text);
  const transport = new PacedStreamTransport(script);
  const session = await Session.open({ createTransport: () => transport });
  try {
    const runner = new Runner(session, { scripts: { sandbox, ...(timeoutMs === undefined ? {} : { timeoutMs }) } });
    const exchanges = await runner.run({ path, text }, { kind: 'all' });
    return { exchanges, transport, globals: session.state.get(scriptGlobals) };
  } finally {
    await session.close();
  }
}

function outcomes(exchange: Exchange | undefined): string[] {
  return (exchange?.tests ?? []).map((result) => `${result.name}: ${result.outcome}`);
}

describe('handlers on streams', () => {
  test('onEachLine sees each line while the stream is open, and unsubscribe() ends an endless stream as stopped', async () => {
    const { exchanges, transport } = await run(
      endlessNdjson,
      [
        'GET http://127.0.0.1:9/export.ndjson',
        '',
        '> {%',
        '  client.test("the head is there before the lines", () => client.assert(response.status === 200));',
        '  response.body.onEachLine((line, unsubscribe) => {',
        '    client.test("line " + line.n + " is parsed JSON", () => client.assert(line.n < 3, "line " + line.n + " is past 2"));',
        '    client.log("line", line.n);',
        '    if (line.n === 4) unsubscribe();',
        '  });',
        '%}',
        '',
      ].join('\n'),
    );
    const [exchange] = exchanges;
    assert.equal(exchange?.error, undefined);
    assert.equal(exchange?.response?.shape, 'stream');
    if (exchange?.response?.shape !== 'stream') return;
    assert.equal(exchange.response.stream.end.reason, 'stopped', 'a normal end the handler asked for, not an error');
    assert.deepEqual(outcomes(exchange), [
      'the head is there before the lines: passed',
      'line 1 is parsed JSON: passed',
      'line 2 is parsed JSON: passed',
      'line 3 is parsed JSON: failed',
      'line 4 is parsed JSON: failed',
    ]);
    assert.equal(exchange.tests?.[3]?.message, 'line 3 is past 2');
    assert.equal(exchange.tests?.[3]?.location?.line, 6, 'the failure is placed on its line of the .http file');
    assert.deepEqual(exchange.log, ['line 1', 'line 2', 'line 3', 'line 4']);
    // An endless stream ended: only a callback running while it was open could have ended it.
    assert.equal(transport.ends[0]?.end.reason, 'stopped');
  });

  test('onEachMessage on SSE: text data as text, JSON data parsed; globals set in callbacks and onFinish last the session', async () => {
    const { exchanges, globals } = await run(
      { protocol: 'sse', contentType: 'text/event-stream', messages: ['{"price":9.5}', 'plain text', '[1,2]'] },
      [
        'GET http://127.0.0.1:9/sse/ticks',
        '',
        '> {%',
        '  const seen = [];',
        '  response.body.onEachMessage((message) => {',
        '    seen.push(typeof message === "string" ? message : JSON.stringify(message));',
        '    client.global.set("last", message);',
        '  }, () => {',
        '    client.global.set("seen", seen.join(" | "));',
        '    client.test("every message arrived", () => client.assert(seen.length === 3));',
        '  });',
        '%}',
        '',
      ].join('\n'),
    );
    const [exchange] = exchanges;
    assert.deepEqual(outcomes(exchange), ['every message arrived: passed']);
    assert.equal(globals.get('seen'), '{"price":9.5} | plain text | [1,2]');
    assert.equal(globals.get('last'), '[1,2]');
    if (exchange?.response?.shape === 'stream') assert.equal(exchange.response.stream.end.reason, 'completed');
  });

  test('output() sends on a WebSocket, and the echo reaches the same callback', async () => {
    const { exchanges } = await run(
      { protocol: 'websocket', contentType: '', messages: ['hello'], echo: true },
      [
        'GET http://127.0.0.1:9/ws/echo',
        '',
        '> {%',
        '  response.body.onEachMessage((message, unsubscribe, output) => {',
        '    if (message === "hello") output({ ping: 1 });',
        '    else { client.test("the echo comes back", () => client.assert(message.ping === 1)); unsubscribe(); }',
        '  });',
        '%}',
        '',
      ].join('\n'),
    );
    const [exchange] = exchanges;
    assert.deepEqual(outcomes(exchange), ['the echo comes back: passed']);
    if (exchange?.response?.shape !== 'stream') assert.fail('a stream');
    assert.deepEqual(
      exchange.response.stream.messages.map((message) => `${message.direction} ${String(message.data)}`),
      ['received hello', 'sent {"ping":1}', 'received {"ping":1}'],
    );
    assert.equal(exchange.response.stream.end.reason, 'stopped');
  });

  test('output() on a stream that only receives fails that callback with a sentence', async () => {
    const { exchanges } = await run(endlessNdjson, 'GET http://127.0.0.1:9/export.ndjson\n\n> {%\n  response.body.onEachLine((line, unsubscribe, output) => output("x"));\n%}\n');
    const failure = exchanges[0]?.tests?.find((result) => result.kind === 'script-error');
    assert.match(failure?.message ?? '', /output\(message\) sends to the server on a WebSocket/);
    if (exchanges[0]?.response?.shape === 'stream') assert.equal(exchanges[0].response.stream.end.reason, 'stopped', 'a failed handler stops the stream');
  });

  test('a runaway callback is stopped at the time limit, its stream stopped, and the run goes on', async () => {
    const { exchanges, transport } = await run(
      endlessNdjson,
      [
        '# @name runaway',
        'GET http://127.0.0.1:9/export.ndjson',
        '',
        '> {%',
        '  response.body.onEachLine((line) => {',
        '    client.test("line " + line.n, () => { if (line.n === 2) for (;;) {} });',
        '  });',
        '%}',
        '',
        '###',
        'GET http://127.0.0.1:9/export.ndjson',
        '',
        '> {%',
        '  response.body.onEachLine((line, unsubscribe) => { client.test("the next request is handled", () => {}); unsubscribe(); });',
        '%}',
        '',
      ].join('\n'),
      300,
    );
    assert.equal(exchanges.length, 2);
    const [runaway, next] = exchanges;
    assert.equal(runaway?.error, undefined, 'the exchange itself is fine: its handler failed');
    const failure = runaway?.tests?.find((result) => result.kind === 'script-error');
    assert.match(failure?.message ?? '', /ran longer than its time limit of 300 ms and was stopped/);
    assert.deepEqual(
      runaway?.tests?.filter((result) => result.kind === 'script').map((result) => `${result.name}: ${result.outcome}`),
      ['line 1: passed', 'line 2: failed'],
      'the first line passed; the test the loop was in never finished',
    );
    assert.equal(transport.ends[0]?.end.reason, 'stopped');
    assert.deepEqual(outcomes(next), ["the next request is handled: passed"], JSON.stringify(next?.tests));
  });

  test('a hostile callback reaches nothing of the host: the message is plain data, the API functions lead nowhere', async () => {
    const { exchanges } = await run(
      { protocol: 'ndjson', contentType: 'application/x-ndjson', messages: ['{"a":1}'] },
      [
        'GET http://127.0.0.1:9/export.ndjson',
        '',
        '> {%',
        '  response.body.onEachLine((line, unsubscribe, output) => {',
        '    client.test("no escape", () => {',
        '      client.assert(Object.getPrototypeOf(line) === Object.prototype, "the line is a plain object");',
        '      for (const fn of [unsubscribe, output, response.body.onEachLine]) {',
        '        client.assert(fn.constructor("return typeof process + typeof require + typeof globalThis.__courierHost + typeof globalThis.__courierDeliver")() === "undefinedundefinedundefinedundefined", "nothing of the host");',
        '      }',
        '    });',
        '    line.__proto__.polluted = true;',
        '    client.test("built-ins stay frozen", () => client.assert(({}).polluted === undefined, "Object.prototype changed"));',
        '  });',
        '%}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(outcomes(exchanges[0]), ['no escape: passed', 'built-ins stay frozen: passed']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a plain body (no stream opened) is handed over line by line once it is in, and unsubscribe() stops there', async () => {
    const api = await httpServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      response.end('{"n":1}\n{"n":2}\nplain\n{"n":4}\n');
    });
    const path = join(folder, 'plain.http');
    const text = `GET ${api.url}/export.ndjson\n\n> {%\n  response.body.onEachLine((line, unsubscribe) => {\n    client.log(typeof line === "string" ? line : "n=" + line.n);\n    if (line === "plain") unsubscribe();\n  }, () => client.log("finished"));\n%}\n`;
    const session = await Session.open({});
    try {
      const [exchange] = await new Runner(session, { scripts: { sandbox } }).run({ path, text }, { kind: 'all' });
      assert.deepEqual(exchange?.log, ['n=1', 'n=2', 'plain', 'finished']);
      assert.equal(exchange?.tests, undefined, 'no failure');
    } finally {
      await session.close();
      await api.close();
    }
  });

  test('a handler that falls too far behind stops the stream, with a failed test that says so', async () => {
    const document = parse('GET http://127.0.0.1:9/export.ndjson\n\n> {% %}\n');
    const handler = document.requests[0]?.handlers[0];
    assert.ok(handler !== undefined);
    const slow = 'response.body.onEachLine(() => { const until = Date.now() + 20; while (Date.now() < until) {} });';
    const handlers = new StreamHandlers([{ handler, input: (response) => scriptInput(slow, { response }) }], () => sandbox.openStream(), 'requests.http:1', 3);
    let stops = 0;
    const control: StreamControl = { protocol: 'ndjson', canSend: false, send: () => undefined, stop: () => void stops++ };
    handlers.observer.onResponseHead?.({ status: 200, statusText: 'OK', httpVersion: '1.1', headers: [] });
    handlers.observer.onStreamOpen?.(control);
    // Ten messages at once: the handler has not even started, so the fourth is one too many.
    for (let n = 1; n <= 10; n++) handlers.observer.onMessage?.({ at: n, direction: 'received', type: 'message', id: undefined, data: `{"n":${n}}` });
    const watched = await handlers.finish(undefined);
    assert.equal(stops, 1);
    assert.match(watched?.problem ?? '', /^requests\.http:1: the stream's handler fell more than 3 messages behind the stream, so the stream was stopped/);
    assert.equal(watched?.results.get(handler)?.error, undefined, 'the handler itself did nothing wrong');
  });

  test('the shared sandbox runs other scripts while a handler waits on its open stream', async () => {
    const document = parse('GET http://127.0.0.1:9/export.ndjson\n\n> {% %}\n');
    const handler = document.requests[0]?.handlers[0];
    assert.ok(handler !== undefined);
    const watching = 'response.body.onEachLine((line) => client.log("line " + line.n));';
    const handlers = new StreamHandlers([{ handler, input: (response) => scriptInput(watching, { response }) }], () => sandbox.openStream(), 'requests.http:1');
    const control: StreamControl = { protocol: 'ndjson', canSend: false, send: () => undefined, stop: () => undefined };
    handlers.observer.onResponseHead?.({ status: 200, statusText: 'OK', httpVersion: '1.1', headers: [] });
    handlers.observer.onStreamOpen?.(control);
    handlers.observer.onMessage?.({ at: 1, direction: 'received', type: 'message', id: undefined, data: '{"n":1}' });
    // The stream is still open: another script (another file's request, a ?? js line) runs now, not after it.
    const meanwhile = await sandbox.run(scriptInput('client.log("meanwhile");'));
    assert.deepEqual(meanwhile.log, ['meanwhile']);
    handlers.observer.onMessage?.({ at: 2, direction: 'received', type: 'message', id: undefined, data: '{"n":2}' });
    const watched = await handlers.finish(undefined);
    assert.deepEqual(watched?.results.get(handler)?.log, ['line 1', 'line 2']);
  });

  test('a handler that does not watch the stream runs once it is over, as before', async () => {
    const { exchanges } = await run(
      { protocol: 'ndjson', contentType: 'application/x-ndjson', messages: ['{"a":1}'] },
      'GET http://127.0.0.1:9/export.ndjson\n\n> {%\n  client.test("after the stream", () => client.assert(response.status === 200));\n%}\n',
    );
    assert.deepEqual(outcomes(exchanges[0]), ['after the stream: passed']);
  });
});

// Handlers on streams against the demo API's real SSE and NDJSON endpoints, through the runner and
// a real session: callbacks see events while the stream is open (an endless stream ends only
// because a callback unsubscribed), tests inside callbacks are reported, and a runaway callback
// stops its request only. samples/streams/handlers.http runs in the samples tests.

import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { Runner } from '../../../engine/runner';
import { scriptGlobals } from '../../../engine/scripts/requestScripts';
import { Session } from '../../../engine/session';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';
import { testSandbox } from '../engine/scripts/sandboxHarness';

const folder = mkdtempSync(join(tmpdir(), 'courier-demo-stream-handlers-'));
const sandbox = testSandbox({ timeoutMs: 1_000 });
let api: DemoApi;

before(async () => {
  api = await startDemoApi(0);
});
after(async () => {
  await sandbox.close();
  await api.close();
});

async function run(text: string, timeoutMs?: number): Promise<{ exchanges: Exchange[]; globals: Map<string, string> }> {
  const path = join(folder, `handlers-${Math.random().toString(36).slice(2)}.http`);
  const body = text.replaceAll('{{api}}', api.url);
  writeFileSync(path, body);
  const session = await Session.open({});
  try {
    const runner = new Runner(session, { scripts: { sandbox, ...(timeoutMs === undefined ? {} : { timeoutMs }) } });
    return { exchanges: await runner.run({ path, text: body }, { kind: 'all' }), globals: session.state.get(scriptGlobals) };
  } finally {
    await session.close();
  }
}

function streamOf(exchange: Exchange | undefined): NonNullable<Extract<Exchange['response'], { shape: 'stream' }>>['stream'] {
  assert.equal(exchange?.error, undefined, exchange?.error?.message);
  assert.equal(exchange?.response?.shape, 'stream');
  if (exchange?.response?.shape !== 'stream') throw new Error('not a stream');
  return exchange.response.stream;
}

describe('handlers on the demo API streams', () => {
  test('an endless SSE stream: each tick reaches the callback while it is open, and unsubscribe() ends it as stopped', async () => {
    const { exchanges, globals } = await run(
      [
        'GET {{api}}/sse/ticks?intervalMs=20',
        '',
        '> {%',
        '  response.body.onEachMessage((tick, unsubscribe) => {',
        '    client.test("tick " + tick.tick, () => client.assert(tick.tick < 3, "tick " + tick.tick + " is late"));',
        '    if (tick.tick === 4) { client.global.set("stoppedAt", tick.tick); unsubscribe(); }',
        '  });',
        '%}',
        '',
      ].join('\n'),
    );
    const stream = streamOf(exchanges[0]);
    assert.equal(stream.end.reason, 'stopped');
    assert.deepEqual(
      exchanges[0]?.tests?.map((result) => `${result.name}: ${result.outcome}`),
      ['tick 1: passed', 'tick 2: passed', 'tick 3: failed', 'tick 4: failed'],
    );
    assert.equal(exchanges[0]?.tests?.[2]?.message, 'tick 3 is late');
    assert.equal(globals.get('stoppedAt'), '4');
    // /sse/ticks never ends by itself: only a callback running while it was open could end it.
  });

  test('a million-line NDJSON export: unsubscribe() at line 5 ends it long before its end', async () => {
    const { exchanges } = await run('GET {{api}}/export.ndjson?count=1000000\n\n> {%\n  response.body.onEachLine((item, unsubscribe) => { client.log(item.sku); if (item.line === 5) unsubscribe(); });\n%}\n');
    const stream = streamOf(exchanges[0]);
    assert.equal(stream.end.reason, 'stopped');
    assert.deepEqual(exchanges[0]?.log, ['SKU-000001', 'SKU-000002', 'SKU-000003', 'SKU-000004', 'SKU-000005']);
    assert.ok(stream.count < 1_000_000, `${stream.count} lines of a million were read`);
  });

  test('WebSocket: output() sends from the callback, the echo comes back to it, and unsubscribe() closes the socket', async () => {
    const { exchanges } = await run(
      [
        'WEBSOCKET {{api}}/ws/echo',
        '',
        '{"hello": "server"}',
        '',
        '> {%',
        '  response.body.onEachMessage((message, unsubscribe, output) => {',
        '    if (message.hello === "server") output({ ping: 1 });',
        '    else if (message.ping === 1) output("plain text");',
        '    else { client.test("the text echo comes back as text", () => client.assert(message === "plain text")); unsubscribe(); }',
        '  });',
        '%}',
        '',
      ].join('\n').replace('{{api}}', api.url.replace(/^http/, 'ws')),
    );
    const stream = streamOf(exchanges[0]);
    assert.deepEqual(exchanges[0]?.tests?.map((result) => `${result.name}: ${result.outcome}`), ['the text echo comes back as text: passed']);
    assert.deepEqual(
      stream.messages.map((message) => `${message.direction} ${String(message.data)}`),
      ['sent {"hello": "server"}', 'received {"hello": "server"}', 'sent {"ping":1}', 'received {"ping":1}', 'sent plain text', 'received plain text'],
    );
    assert.equal(stream.end.reason, 'stopped');
  });

  test('a finite stream runs onFinish after its last event, with every event seen in order', async () => {
    const { exchanges } = await run(
      'GET {{api}}/sse/countdown?from=4&intervalMs=5\n\n> {%\n  const seen = [];\n  response.body.onEachMessage((event) => seen.push(typeof event === "object" ? event.remaining : event), () => client.log(seen.join(",")));\n%}\n',
    );
    assert.equal(streamOf(exchanges[0]).end.reason, 'completed');
    assert.deepEqual(exchanges[0]?.log, ['4,3,2,1,liftoff']);
  });

  test('a runaway callback is stopped at the time limit with its message, its stream is stopped, and the next request runs', async () => {
    const { exchanges } = await run(
      [
        'GET {{api}}/sse/ticks?intervalMs=20',
        '',
        '> {%',
        '  response.body.onEachMessage((tick) => { if (tick.tick === 2) while (true) {} });',
        '%}',
        '',
        '###',
        'GET {{api}}/sse/countdown?from=2&intervalMs=5',
        '',
        '> {%',
        '  response.body.onEachMessage((event) => client.test("event " + JSON.stringify(event), () => {}));',
        '%}',
        '',
      ].join('\n'),
      300,
    );
    const [runaway, next] = exchanges;
    assert.equal(streamOf(runaway).end.reason, 'stopped');
    const failure = runaway?.tests?.find((result) => result.outcome === 'failed');
    assert.equal(failure?.kind, 'script-error');
    assert.match(failure?.message ?? '', /^.*handlers-\w+\.http: the script ran longer than its time limit of 300 ms and was stopped; make it do less, or raise courier\.scripts\.timeout$/);
    assert.equal(streamOf(next).end.reason, 'completed');
    assert.deepEqual(next?.tests?.map((result) => result.outcome), ['passed', 'passed', 'passed']);
  });
});

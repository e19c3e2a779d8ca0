// A transport that answers with a stream, under a real session and the runner: the stream-shaped
// response and its messages reach the caller as the transport produced them.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { StreamMessage } from '../../../engine/model';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { prepared } from './localServer';
import { sseScript, StreamTransport, websocketScript } from './streamTransport';

describe('a stream-shaped response through a session', () => {
  test('the session hands back the stream and tells the observer of each message as it comes', async () => {
    const transport = new StreamTransport(websocketScript);
    const session = await Session.open({ createTransport: () => transport });
    try {
      const seen: StreamMessage[] = [];
      const heads: number[] = [];
      const exchange = await session.send(prepared('http://127.0.0.1:9/orders'), undefined, { onMessage: (message) => seen.push(message), onResponseHead: (head) => heads.push(head.status) });
      assert.equal(exchange.error, undefined);
      assert.equal(exchange.response?.shape, 'stream');
      assert.deepEqual(heads, [101]);
      assert.deepEqual(seen, websocketScript.messages);
      if (exchange.response?.shape !== 'stream') return;
      assert.deepEqual(exchange.response.stream, { protocol: 'websocket', messages: websocketScript.messages, count: 3, file: undefined, end: { reason: 'closed-by-server', code: 1000, detail: 'bye' } });
      assert.equal('connectionWarnings' in exchange.response, false);
      // The session's header rules applied to the hop the transport was handed.
      assert.ok(transport.hops[0]?.headers.some(([name]) => name.toLowerCase() === 'user-agent'));
    } finally {
      await session.close();
    }
    assert.equal(transport.closed, true);
  });

  test('the runner sends a file request through the stream transport and returns its stream', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-stream-'));
    const path = join(folder, 'events.http');
    const text = '# @name ticks\nGET http://127.0.0.1:9/ticks\nAccept: text/event-stream\n';
    writeFileSync(path, text);
    const session = await Session.open({ createTransport: () => new StreamTransport({ ...sseScript, keepLast: 2 }) });
    try {
      const [exchange] = await new Runner(session, {}).run({ path, text }, { kind: 'all' });
      assert.equal(exchange?.origin.name, 'ticks');
      assert.equal(exchange?.response?.shape, 'stream');
      if (exchange?.response?.shape !== 'stream') return;
      assert.equal(exchange.response.stream.count, 4);
      assert.deepEqual(exchange.response.stream.messages.map((message) => message.id), ['43', '44'], 'the last messages kept');
      assert.equal(new TextDecoder().decode(exchange.response.body.prefix), sseScript.body, 'the body holds the bytes as they came');
    } finally {
      await session.close();
    }
  });
});

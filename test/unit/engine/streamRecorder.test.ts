import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EngineFailure } from '../../../engine/errors';
import type { StreamMessage } from '../../../engine/model';
import { StreamRecorder, messageOfSpilledLine, streamEndOfAbort } from '../../../engine/streams/streamRecorder';

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'courier-recorder-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a short stream stays in memory: every message kept, observed as it is recorded, no file', async () => {
  await withTempDir(async (tempDir) => {
    const observed: StreamMessage[] = [];
    let clock = 0;
    const recorder = new StreamRecorder({ protocol: 'sse', elapsed: () => (clock += 5), observer: { onMessage: (message) => observed.push(message) }, tempDir, onTempFile: () => assert.fail('no file for a short stream') });
    recorder.record('received', 'tick', '1', '{"n":1}');
    recorder.record('sent', 'text', undefined, 'hi');
    assert.equal(observed.length, 2, 'the observer hears each message before the stream ends');
    const stream = await recorder.finish({ reason: 'completed' });
    assert.deepEqual(stream, { protocol: 'sse', messages: observed, count: 2, file: undefined, end: { reason: 'completed' } });
    assert.deepEqual(
      stream.messages.map((message) => message.at),
      [5, 10],
      'timed by the exchange clock',
    );
    assert.equal(recorder.record('received', 'late', undefined, 'x'), undefined, 'nothing is recorded once finished');
    assert.equal(recorder.count, 2);
  });
});

test('a long stream keeps only the most recent messages in memory and all of them, binary included, in its file', async () => {
  await withTempDir(async (tempDir) => {
    const files: string[] = [];
    const recorder = new StreamRecorder({ protocol: 'websocket', elapsed: () => 1, observer: undefined, tempDir, onTempFile: (file) => files.push(file), messagesInMemory: 10 });
    for (let index = 0; index < 10_000; index++) recorder.record('received', 'text', String(index), `message ${index}`);
    recorder.record('received', 'binary', undefined, Uint8Array.from([0, 255, 7]));
    const stream = await recorder.finish({ reason: 'closed-by-server', code: 1000 });
    assert.equal(stream.count, 10_001);
    assert.equal(stream.messages.length, 10, 'memory holds the window, not the stream');
    assert.equal(stream.messages[0].id, '9991');
    assert.deepEqual(files, [stream.file], 'the session is told of the file, to delete it');
    const lines = (await readFile(stream.file ?? '', 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 10_001, 'the file holds every message, the earliest first');
    assert.deepEqual(messageOfSpilledLine(lines[0]), { at: 1, direction: 'received', type: 'text', id: '0', data: 'message 0' });
    assert.deepEqual(messageOfSpilledLine(lines[10_000]), { at: 1, direction: 'received', type: 'binary', id: undefined, data: Uint8Array.from([0, 255, 7]) });
  });
});

test('an abort after the stream opened ends it normally: timeout for the request timeout, stopped otherwise', () => {
  const timedOut = new AbortController();
  timedOut.abort(new EngineFailure('timeout', 'no complete response from localhost within 50 ms (timeoutMs)'));
  assert.deepEqual(streamEndOfAbort(timedOut.signal), { reason: 'timeout', detail: 'no complete response from localhost within 50 ms (timeoutMs)' });
  const stopped = new AbortController();
  stopped.abort(new EngineFailure('aborted', 'the request to localhost was cancelled'));
  assert.deepEqual(streamEndOfAbort(stopped.signal), { reason: 'stopped' });
  const plain = new AbortController();
  plain.abort();
  assert.deepEqual(streamEndOfAbort(plain.signal), { reason: 'stopped' });
});

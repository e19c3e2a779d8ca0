// The CLI's live output, as a whole process against real servers: a stream's messages reach stdout
// while the stream is still open (the server holds it open until the test has read them), in the
// pretty and json reporters alike; # @timeout and Ctrl+C end a stream as a normal, reported end.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';
import { cliPath, ensureBuilt, jsonLines, runCli, tempFolder } from './cliHarness';

let api: DemoApi;
before(async () => {
  ensureBuilt();
  api = await startDemoApi(0);
});
after(async () => {
  await api.close();
});

/** A CLI process whose stdout is read as it comes, so a test can wait for a line before the run ends. */
interface LiveCli {
  readonly child: ChildProcess;
  /** Resolves with stdout so far once `pattern` matches it; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startLiveCli(args: readonly string[], cwd: string): LiveCli {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined } });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    for (const waiter of [...waiters]) waiter();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return {
    child,
    done,
    waitFor: (pattern, timeoutMs = 10_000) =>
      new Promise<string>((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(stdout)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(stdout);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stdout never matched ${String(pattern)} within ${timeoutMs} ms; it was:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** An event-stream server whose stream the test drives: it writes what `send` is given, and ends on `end`. */
async function heldStream(): Promise<{ url: string; opened: Promise<void>; send(text: string): void; end(): void; close(): Promise<void> }> {
  let response: ServerResponse | undefined;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const server = createServer((_request, answer) => {
    answer.writeHead(200, { 'Content-Type': 'text/event-stream' });
    answer.flushHeaders();
    response = answer;
    open();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    opened,
    send: (text) => response?.write(text),
    end: () => response?.end(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the CLI prints a stream as it arrives', () => {
  test('pretty: each event on its own line while the stream is open, then the status line', async () => {
    const server = await heldStream();
    try {
      const folder = await tempFolder({ 'live.http': `GET ${server.url}/events\n` });
      const cli = startLiveCli(['run', 'live.http'], folder);
      await server.opened;
      server.send('id: 1\nevent: tick\ndata: {"n":1}\n\n');
      // The server holds the stream open: this line can only come from live output.
      const first = await cli.waitFor(/tick #1 +\{"n":1\}/);
      assert.doesNotMatch(first, /200 OK/, 'no status line yet: the stream is still open');
      assert.match(first, /^~ GET http:\/\/127\.0\.0\.1:\d+\/events sse stream {2}live\.http:1$/m);
      server.send('data: line one\ndata: line two\n\n');
      await cli.waitFor(/line one\n {6}line two/);
      server.end();
      const result = await cli.done;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /✓ 200 OK GET \S+ .* 2 messages · completed {2}live\.http:1/);
      assert.match(result.stdout, /1 request: 1 passed/);
    } finally {
      await server.close();
    }
  });

  test('json: one object per message as it arrives, the request\'s record last', async () => {
    const server = await heldStream();
    try {
      const folder = await tempFolder({ 'live.http': `# @name feed\nGET ${server.url}/events\n` });
      const cli = startLiveCli(['run', 'live.http', '--reporter', 'json'], folder);
      await server.opened;
      server.send('id: 7\ndata: first\n\n');
      const early = jsonLines(await cli.waitFor(/"first"/));
      assert.equal(early.length, 1, 'only the message so far: the stream is still open');
      assert.deepEqual(early[0], { file: 'live.http', name: 'feed', line: 2, message: { at: (early[0]?.message as { at: number }).at, direction: 'received', type: 'message', id: '7', data: 'first', encoding: 'text' } });
      server.send('event: last\ndata: {"done":true}\n\n');
      server.end();
      const result = await cli.done;
      assert.equal(result.code, 0, result.stderr);
      const lines = jsonLines(result.stdout);
      assert.equal(lines.length, 3);
      assert.equal((lines[1]?.message as { type: string }).type, 'last');
      const record = lines[2] as { status: number; stream: { count: number; end: { reason: string } }; message?: unknown };
      assert.equal(record.status, 200);
      assert.equal(record.stream.count, 2);
      assert.deepEqual(record.stream.end, { reason: 'completed' });
      assert.equal(record.message, undefined);
    } finally {
      await server.close();
    }
  });

  test('NDJSON, the POST chat and a body response in one run: the body\'s record is as it always was', async () => {
    const folder = await tempFolder({
      'mixed.http': [
        `GET ${api.url}/export.ndjson?count=3`,
        '',
        '###',
        `POST ${api.url}/sse/chat?intervalMs=0`,
        'Content-Type: application/json',
        '',
        '{"prompt":"hi"}',
        '',
        '###',
        `GET ${api.url}/items/1`,
        '',
      ].join('\n'),
    });
    const result = await runCli(['run', 'mixed.http', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    const messages = lines.filter((line) => 'message' in line);
    const records = lines.filter((line) => !('message' in line));
    assert.deepEqual(records.map((record) => record.line), [1, 4, 10]);
    assert.equal(messages.filter((line) => line.line === 1).length, 3);
    assert.equal((messages.filter((line) => line.line === 4).at(-1)?.message as { data: string }).data, '[DONE]');
    // A body's record has exactly the fields it had before streams existed.
    assert.deepEqual(Object.keys(records[2] ?? {}), ['file', 'name', 'line', 'method', 'url', 'status', 'statusText', 'httpVersion', 'ok', 'failed', 'error', 'errorCode', 'timings', 'size', 'redirects', 'warnings', 'savedTo', 'tests', 'log']);
    assert.equal(lines.at(-1), records[2], 'each request\'s record follows its messages');
  });

  test('# @timeout ends an endless stream as a normal end: reported, exit 0', async () => {
    const folder = await tempFolder({ 'ticks.http': `# @timeout 400 ms\nGET ${api.url}/sse/ticks?intervalMs=50\n` });
    const result = await runCli(['run', 'ticks.http'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /← tick #1 +\{"tick":1,/);
    assert.match(result.stdout, /✓ 200 OK GET .* \d+ messages · timed out/);
  });

  test('Ctrl+C during a stream stops it as stopped, reports it and sends nothing after it; the exit code is the usual one', async () => {
    const folder = await tempFolder({ 'ticks.http': `GET ${api.url}/sse/ticks?intervalMs=20\n\n###\nGET ${api.url}/export.ndjson?count=1\n` });
    const cli = startLiveCli(['run', 'ticks.http'], folder);
    await cli.waitFor(/tick #3 /);
    cli.child.kill('SIGINT');
    const result = await cli.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /✓ 200 OK GET \S+\/sse\/ticks\S* .* \d+ messages · stopped/);
    assert.doesNotMatch(result.stdout, /export\.ndjson/, 'the next request was not sent');
    assert.match(result.stdout, /1 request: 1 passed in .*\(a stream was stopped with Ctrl\+C; nothing after it was sent\)/);
  });

  test('the SSE request form and # @stream through the CLI', async () => {
    const folder = await tempFolder({ 'forms.http': `SSE ${api.url}/sse/countdown?from=2&intervalMs=0\n\n###\n# @stream\nGET ${api.url}/download?mb=0.0002\n` });
    const result = await runCli(['run', 'forms.http', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    const records = jsonLines(result.stdout).filter((line) => !('message' in line)) as { method: string; stream: { protocol: string; count: number } }[];
    assert.equal(records[0]?.method, 'GET');
    assert.deepEqual(records.map((record) => [record.stream.protocol, record.stream.count]), [['sse', 3], ['ndjson', 4]]);
  });
});


// The whole path with a stream: a real session over the stream test transport, the runner, and
// each CLI reporter, which must print what the transport produced.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createReporter } from '../../../cli/reporters/create';
import type { ReportedExchange } from '../../../cli/reporters/reporter';
import { createStyle } from '../../../cli/style';
import { judge } from '../../../cli/verdict';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { StreamTransport, websocketScript } from '../engine/streamTransport';

test('session with a stream transport -> runner -> pretty, json and junit reporters', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'courier-stream-cli-'));
  const path = join(folder, 'orders.http');
  const text = '# @name orders\nGET http://127.0.0.1:9/orders\n';
  writeFileSync(path, text);
  const session = await Session.open({ createTransport: () => new StreamTransport(websocketScript) });
  let results: ReportedExchange[];
  try {
    const exchanges = await new Runner(session, {}).run({ path, text }, { kind: 'all' });
    results = exchanges.map((exchange) => ({ exchange, verdict: judge(exchange, true), file: 'orders.http', savedTo: [] }));
  } finally {
    await session.close();
  }
  const outputs = new Map<string, string>();
  for (const name of ['pretty', 'json', 'junit'] as const) {
    let output = '';
    const reporter = createReporter(name, (chunk) => (output += chunk), { style: createStyle(false), verbose: true });
    for (const result of results) reporter.exchange(result);
    reporter.finish({ results, durationMs: 10, stoppedBy: undefined });
    outputs.set(name, output);
  }
  const pretty = outputs.get('pretty') ?? '';
  assert.match(pretty, /✓ 101 Switching Protocols GET http:\/\/127\.0\.0\.1:9\/orders .* · 3 messages · closed by the server \(code 1000: bye\) {2}orders · orders\.http:2/);
  assert.match(pretty, /→ text\n {4}\{\n {6}"subscribe": "orders"\n {4}\}/);
  assert.match(pretty, /← binary {2}\[binary, 6 B\] de ad be ef 00 01/);
  assert.match(pretty, /1 request: 1 passed in 10 ms/);
  const record = JSON.parse(outputs.get('json') ?? '') as { stream: { count: number; messages: { data: string }[]; end: unknown } };
  assert.equal(record.stream.count, 3);
  assert.deepEqual(record.stream.messages.map((message) => message.data), ['{"subscribe":"orders"}', '{"order":7,"status":"new"}', '3q2+7wAB']);
  assert.deepEqual(record.stream.end, { reason: 'closed-by-server', code: 1000, detail: 'bye' });
  assert.match(outputs.get('junit') ?? '', /<testcase name="orders \(line 2\)"[^>]*>\n {6}<system-out>GET http:\/\/127\.0\.0\.1:9\/orders: 101 Switching Protocols in [^,]+, 3 messages \(websocket\), stream closed by the server \(code 1000: bye\)<\/system-out>/);
});

// The reporters with a response that is a stream of messages: pretty lists the messages and how
// the stream ended, json carries a `stream` object, junit reports a testcase with the end in system-out.
import { DOMParser } from '@xmldom/xmldom';
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { createJsonReporter, type JsonRecord } from '../../../cli/reporters/json';
import { junitXml } from '../../../cli/reporters/junit';
import { createPrettyReporter } from '../../../cli/reporters/pretty';
import type { ReportedExchange } from '../../../cli/reporters/reporter';
import { createStyle } from '../../../cli/style';
import { previewStream } from '../../../cli/streamPreview';
import { judge } from '../../../cli/verdict';
import type { Exchange, MessageStream } from '../../../engine/model';
import { sseScript, websocketScript } from '../engine/streamTransport';
import { responseExchange, streamExchange } from './exchangeFixtures';

function reported(exchange: Exchange): ReportedExchange {
  return { exchange, verdict: judge(exchange, false), file: 'api.http', savedTo: [] };
}

function pretty(exchange: Exchange, verbose: boolean): string {
  let text = '';
  createPrettyReporter((chunk) => (text += chunk), { style: createStyle(false), verbose }).exchange(reported(exchange));
  return text;
}

describe('reporters with a stream-shaped response', () => {
  test('pretty: the status line counts the messages and says how the stream ended', () => {
    const text = pretty(streamExchange(websocketScript), false);
    assert.match(text, /^✓ 101 Switching Protocols GET http:\/\/127\.0\.0\.1:9\/events 1\.05 s · 3 messages · closed by the server \(code 1000: bye\) {2}events · api\.http:7$/m);
  });

  test('pretty --verbose: each message with its time, direction, type, id and data; JSON pretty, binary summarised', () => {
    const text = pretty(streamExchange(websocketScript), true);
    assert.match(text, /^\[websocket: 3 messages\]$/m);
    assert.match(text, /^ {4}3 ms → text$/m);
    assert.match(text, /^ {6}"subscribe": "orders"$/m);
    assert.match(text, /^ {4}8 ms ← text$/m);
    assert.match(text, /^ {4}9 ms ← binary {2}\[binary, 6 B\] de ad be ef 00 01$/m);
    assert.match(text, /^\[stream closed by the server \(code 1000: bye\)\]$/m);
    const sse = pretty(streamExchange(sseScript), true);
    assert.match(sse, /^ {2}0\.4 ms → Last-Event-ID {2}41$/m);
    assert.match(sse, /^ {3}26 ms ← message #43 {2}plain text update$/m);
    assert.match(sse, /^ {2}1\.04 s ← tick #44$/m);
    assert.match(sse, /^\[stream completed\]$/m);
    assert.ok(!sse.includes('data: plain text update'), 'the messages are shown instead of the raw event-stream body');
  });

  test('pretty --verbose: a long stream shows its last messages and how many were not shown', () => {
    const messages = Array.from({ length: 120 }, (_, index) => ({ at: index, direction: 'received' as const, type: 'message', id: String(index), data: `event ${index}` }));
    const stream: MessageStream = { protocol: 'sse', messages: messages.slice(20), count: 120, file: '/tmp/courier-stream-1.ndjson', end: { reason: 'timeout' } };
    const text = previewStream(stream, 50);
    assert.match(text, /^\[sse: 120 messages\]$/m);
    assert.match(text, /^\[70 earlier messages not shown; all of them are in \/tmp\/courier-stream-1\.ndjson\]$/m);
    assert.ok(!text.includes('#69 '));
    assert.match(text, /#70 {2}event 70$/m);
    assert.match(text, /#119 {2}event 119$/m);
    assert.match(text, /^\[stream timed out\]$/m);
    const long = previewStream({ ...stream, messages: [{ at: 1, direction: 'received', type: 'message', id: undefined, data: 'x'.repeat(5000) }], count: 1, file: undefined }, 50, 100);
    assert.match(long, /^ +1 ms ← message {2}x{100} \[4900 more characters\]$/m);
  });

  test('json: a stream object with protocol, count, messages (binary as Base64) and end; none for a body', () => {
    let text = '';
    const reporter = createJsonReporter((chunk) => (text += chunk));
    reporter.exchange(reported(streamExchange(websocketScript)));
    reporter.exchange(reported(responseExchange()));
    const [streamed, body] = text.trimEnd().split('\n').map((line) => JSON.parse(line) as JsonRecord);
    assert.equal(streamed?.status, 101);
    assert.deepEqual(streamed?.stream, {
      protocol: 'websocket',
      count: 3,
      messages: [
        { at: 3, direction: 'sent', type: 'text', id: null, data: '{"subscribe":"orders"}', encoding: 'text' },
        { at: 8, direction: 'received', type: 'text', id: null, data: '{"order":7,"status":"new"}', encoding: 'text' },
        { at: 9, direction: 'received', type: 'binary', id: null, data: '3q2+7wAB', encoding: 'base64' },
      ],
      file: null,
      end: { reason: 'closed-by-server', code: 1000, detail: 'bye' },
    });
    assert.equal(body !== undefined && 'stream' in body, false, 'a single-body response has no stream field');
  });

  test('junit: a testcase per stream request, the end reason in system-out', () => {
    const xml = junitXml({ results: [reported(streamExchange(websocketScript)), reported(streamExchange(sseScript))], durationMs: 2100, stoppedBy: undefined });
    const errors: string[] = [];
    const document = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(xml, 'text/xml');
    assert.deepEqual(errors, []);
    const cases = Array.from(document.getElementsByTagName('testcase'));
    assert.equal(cases.length, 2);
    assert.equal(cases[0]?.getAttribute('name'), 'events (line 7)');
    assert.equal(cases[0]?.getElementsByTagName('failure').length, 0);
    assert.equal(cases[0]?.getElementsByTagName('system-out')[0]?.textContent, 'GET http://127.0.0.1:9/events: 101 Switching Protocols in 1.05 s, 3 messages (websocket), stream closed by the server (code 1000: bye)');
    assert.match(cases[1]?.getElementsByTagName('system-out')[0]?.textContent ?? '', /4 messages \(sse\), stream completed$/);
  });
});

// The event-stream format as the WHATWG standard reads it, fed in every possible split: what a
// network may hand the parser is any cut of the stream, so each test's stream is also fed in two
// pieces cut at every position and one character at a time, and must give the same events.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { EventStreamParser, LineSplitter, type ServerSentEvent } from '../../../engine/streams/eventStreamParser';
import { httpStreamProtocol } from '../../../engine/streams/httpStream';

function eventsOf(pieces: readonly string[]): { events: ServerSentEvent[]; retry: number | undefined } {
  const events: ServerSentEvent[] = [];
  const parser = new EventStreamParser((event) => events.push(event));
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return { events, retry: parser.reconnectionTimeMs };
}

/** The events of `stream` whole, and the same cut at every position and char by char. */
function assertEvents(stream: string, expected: readonly ServerSentEvent[], retry?: number): void {
  const whole = eventsOf([stream]);
  assert.deepEqual(whole.events, expected);
  assert.equal(whole.retry, retry);
  for (let cut = 0; cut <= stream.length; cut++) {
    assert.deepEqual(eventsOf([stream.slice(0, cut), stream.slice(cut)]).events, expected, `cut at ${cut}: ${JSON.stringify(stream.slice(0, cut))}`);
  }
  assert.deepEqual(eventsOf([...stream]).events, expected, 'one character at a time');
}

describe('Server-Sent Events parsing', () => {
  test('event, data, id: an event is dispatched at its blank line, `message` by default', () => {
    assertEvents('event: tick\nid: 7\ndata: {"n":1}\n\ndata: plain\n\n', [
      { type: 'tick', id: '7', data: '{"n":1}' },
      // The last event id persists: the standard's lastEventId of the next event is still 7.
      { type: 'message', id: '7', data: 'plain' },
    ]);
  });

  test('multi-line data joins with \\n; an empty data line adds an empty line', () => {
    assertEvents('data: first\ndata: second\ndata\ndata: fourth\n\n', [{ type: 'message', id: undefined, data: 'first\nsecond\n\nfourth' }]);
  });

  test('CRLF, CR and LF line ends alike, mixed in one stream', () => {
    assertEvents('event: a\r\ndata: one\r\n\r\nevent: b\rdata: two\r\rdata: three\n\n', [
      { type: 'a', id: undefined, data: 'one' },
      { type: 'b', id: undefined, data: 'two' },
      { type: 'message', id: undefined, data: 'three' },
    ]);
  });

  test('comments, unknown fields and a BOM are ignored; one space after the colon is dropped, not more', () => {
    assertEvents('\uFEFF: a comment\nfoo: bar\ndata:no space\n\ndata:  two spaces\n\n', [
      { type: 'message', id: undefined, data: 'no space' },
      { type: 'message', id: undefined, data: ' two spaces' },
    ]);
  });

  test('retry takes digits only; a block without data dispatches nothing but still sets the id', () => {
    assertEvents('retry: 3000\n\nretry: soon\nid: 9\n\ndata: after\n\n', [{ type: 'message', id: '9', data: 'after' }], 3000);
  });

  test('an id holding NUL is ignored; an empty id resets it', () => {
    assertEvents('id: 1\ndata: a\n\nid: x\u0000y\ndata: b\n\nid\ndata: c\n\n', [
      { type: 'message', id: '1', data: 'a' },
      { type: 'message', id: '1', data: 'b' },
      { type: 'message', id: '', data: 'c' },
    ]);
  });

  test('an event the stream ends in the middle of is not dispatched', () => {
    assertEvents('data: complete\n\ndata: cut off\n', [{ type: 'message', id: undefined, data: 'complete' }]);
  });

  test('the event type resets after each dispatch', () => {
    assertEvents('event: named\ndata: 1\n\ndata: 2\n\n', [
      { type: 'named', id: undefined, data: '1' },
      { type: 'message', id: undefined, data: '2' },
    ]);
  });
});

describe('line streams (NDJSON, JSON Lines, json-seq, # @stream)', () => {
  function linesOf(pieces: readonly string[], completed = true): string[] {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    for (const piece of pieces) splitter.push(piece);
    if (completed) splitter.end();
    else splitter.discard();
    return lines;
  }

  test('one message per line, in any cut; CRLF and blank lines; a last line without its end counts when the body completes', () => {
    const stream = '{"a":1}\r\n\n{"b":2}\n{"c":3}';
    for (let cut = 0; cut <= stream.length; cut++) {
      assert.deepEqual(linesOf([stream.slice(0, cut), stream.slice(cut)]), ['{"a":1}', '{"b":2}', '{"c":3}'], `cut at ${cut}`);
    }
    assert.deepEqual(linesOf([stream], false), ['{"a":1}', '{"b":2}'], 'a stream cut off drops its half line');
  });

  test('json-seq records lose their record separator', () => {
    assert.deepEqual(linesOf(['\u001e{"a":1}\n\u001e{"b":2}\n']), ['{"a":1}', '{"b":2}']);
  });
});

describe('which responses are streams', () => {
  test('by Content-Type, else by what the request asked', () => {
    assert.equal(httpStreamProtocol('text/event-stream; charset=utf-8', undefined), 'sse');
    assert.equal(httpStreamProtocol('Text/Event-Stream', 'lines'), 'sse', 'the Content-Type wins');
    assert.equal(httpStreamProtocol('application/x-ndjson', undefined), 'ndjson');
    assert.equal(httpStreamProtocol('application/jsonl', undefined), 'ndjson');
    assert.equal(httpStreamProtocol('application/json-seq', undefined), 'ndjson');
    assert.equal(httpStreamProtocol('application/json', undefined), undefined);
    assert.equal(httpStreamProtocol('application/json', 'lines'), 'ndjson');
    assert.equal(httpStreamProtocol(undefined, 'events'), 'sse');
    assert.equal(httpStreamProtocol(undefined, undefined), undefined);
  });
});

// A transport that answers every hop with a stream of messages, as an SSE, WebSocket or gRPC
// transport will: nothing in Courier produces streams yet, so this one shows that a stream-shaped
// response flows from a real `Session` through the runner, the CLI reporters, the panel and history.
// Put it under a session with `Session.open({ createTransport: () => new StreamTransport(script) })`.

import type { HeaderList, HopContext, HopResponse, OutgoingHop, Transport } from '../../../engine/transport';
import type { MessageStream, ResponseBody, StreamEnd, StreamMessage, StreamProtocol } from '../../../engine/model';

/** What the transport answers: a status line, headers, the messages in order and how the stream ends. */
export interface StreamScript {
  readonly protocol: StreamProtocol;
  readonly status: number;
  readonly statusText: string;
  readonly headers: HeaderList;
  readonly messages: readonly StreamMessage[];
  readonly end: StreamEnd;
  /** The bytes received as they came: the event-stream text for SSE, empty for framed protocols. */
  readonly body: string;
  /** Messages kept in memory; the earlier ones are counted but dropped, as a long stream's are. */
  readonly keepLast?: number;
}

const encoder = new TextEncoder();

/** Server-Sent Events: named events with ids, JSON and text data, and the client's `Last-Event-ID` sent. */
export const sseScript: StreamScript = {
  protocol: 'sse',
  status: 200,
  statusText: 'OK',
  headers: [['content-type', 'text/event-stream']],
  messages: [
    { at: 0.4, direction: 'sent', type: 'Last-Event-ID', id: undefined, data: '41' },
    { at: 12, direction: 'received', type: 'tick', id: '42', data: '{"n":1,"price":9.5}' },
    { at: 25.5, direction: 'received', type: 'message', id: '43', data: 'plain text update' },
    { at: 1040, direction: 'received', type: 'tick', id: '44', data: '{"n":2,"tags":["a","b"]}' },
  ],
  end: { reason: 'completed' },
  body: 'id: 42\nevent: tick\ndata: {"n":1,"price":9.5}\n\nid: 43\ndata: plain text update\n\nid: 44\nevent: tick\ndata: {"n":2,"tags":["a","b"]}\n\n',
};

/** WebSocket frames: one sent, text and binary received, closed by the server with a code. */
export const websocketScript: StreamScript = {
  protocol: 'websocket',
  status: 101,
  statusText: 'Switching Protocols',
  headers: [['upgrade', 'websocket'], ['connection', 'Upgrade']],
  messages: [
    { at: 3, direction: 'sent', type: 'text', id: undefined, data: '{"subscribe":"orders"}' },
    { at: 8, direction: 'received', type: 'text', id: undefined, data: '{"order":7,"status":"new"}' },
    { at: 9, direction: 'received', type: 'binary', id: undefined, data: Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]) },
  ],
  end: { reason: 'closed-by-server', code: 1000, detail: 'bye' },
  body: '',
};

function bodyOf(text: string, contentType: string | undefined): ResponseBody {
  const bytes = encoder.encode(text);
  return { size: bytes.length, encodedSize: bytes.length, prefix: bytes, file: undefined, contentType, charset: 'utf-8' };
}

/** Answers each hop with `script`, telling the observer of each message as it goes. */
export class StreamTransport implements Transport {
  /** Each hop as it went on the wire, for tests to look at. */
  readonly hops: OutgoingHop[] = [];
  closed = false;

  constructor(private readonly script: StreamScript) {}

  roundTrip(outgoing: OutgoingHop, context: HopContext): Promise<HopResponse> {
    this.hops.push(outgoing);
    if (context.signal?.aborted === true) return Promise.reject(new Error('aborted before the stream opened'));
    const { script } = this;
    context.timings.connectionUsed(undefined);
    context.timings.responseStarted();
    context.onHeaders(script.headers);
    const head = { status: script.status, statusText: script.statusText, httpVersion: '1.1', headers: script.headers };
    context.observer?.onResponseHead?.(head);
    for (const message of script.messages) context.observer?.onMessage?.(message);
    context.timings.bodyReceived();
    const keepLast = script.keepLast ?? script.messages.length;
    const stream: MessageStream = {
      protocol: script.protocol,
      messages: script.messages.slice(script.messages.length - keepLast),
      count: script.messages.length,
      file: undefined,
      end: script.end,
    };
    const contentType = script.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    return Promise.resolve({ ...head, shape: 'stream', body: bodyOf(script.body, contentType), stream, connectionWarnings: [] });
  }

  abortPending(): void {
    // Nothing is ever pending: each answer is ready at once.
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

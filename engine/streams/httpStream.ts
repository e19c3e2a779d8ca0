// An HTTP response read as a stream of messages while it arrives: Server-Sent Events for
// `text/event-stream`, one message per line for NDJSON, JSON Lines, JSON text sequences and any
// response to a `# @stream` request. The transport hands it the decoded bytes as they come (the
// same bytes still go to the body collector, so Save and request variables see the whole body);
// each complete event or line is recorded at once, which tells the observer.

import type { MessageStream, SendOptions, StreamEnd, StreamProtocol } from '../model';
import { EventStreamParser, LineSplitter } from './eventStreamParser';
import { StreamRecorder, type StreamRecorderOptions } from './streamRecorder';

/** Media types whose body is one JSON value (or text) per line. */
const lineMediaTypes = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines', 'application/json-seq']);

/**
 * Whether a response is read as a stream, and how: by its Content-Type first (an event stream is
 * always events, a line format always lines), else by what the request asked for (`# @stream`:
 * lines; httpYac's `SSE` request line: events). Undefined for an ordinary body.
 */
export function httpStreamProtocol(contentType: string | undefined, requested: SendOptions['stream']): Extract<StreamProtocol, 'sse' | 'ndjson'> | undefined {
  if (contentType !== undefined) {
    const semicolon = contentType.indexOf(';');
    const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
    if (mediaType === 'text/event-stream') return 'sse';
    if (lineMediaTypes.has(mediaType)) return 'ndjson';
  }
  if (requested === 'events') return 'sse';
  if (requested === 'lines') return 'ndjson';
  return undefined;
}

/** What a message of a line stream is called. */
export const lineMessageType = 'line';

/** Reads one response's bytes into messages as they arrive. */
export class HttpMessageStream {
  private readonly recorder: StreamRecorder;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly events: EventStreamParser | undefined;
  private readonly lines: LineSplitter | undefined;

  constructor(options: StreamRecorderOptions & { readonly protocol: 'sse' | 'ndjson' }) {
    this.recorder = new StreamRecorder(options);
    if (options.protocol === 'sse') {
      this.events = new EventStreamParser((event) => this.recorder.record('received', event.type, event.id, event.data));
    } else {
      this.lines = new LineSplitter((line) => this.recorder.record('received', lineMessageType, undefined, line));
    }
  }

  get protocol(): StreamProtocol {
    return this.events === undefined ? 'ndjson' : 'sse';
  }

  /** Decoded body bytes, in order. */
  write(chunk: Uint8Array): void {
    if (this.recorder.finished) return;
    const text = this.decoder.decode(chunk, { stream: true });
    if (this.events !== undefined) this.events.push(text);
    else this.lines?.push(text);
  }

  /**
   * Ends the stream. When the body `completed`, a last line without its line end is a message;
   * when it was cut off (stopped, timed out), a half-received line or event is dropped.
   */
  async finish(end: StreamEnd, completed: boolean): Promise<MessageStream> {
    if (completed) {
      const rest = this.decoder.decode();
      if (this.events !== undefined) {
        this.events.push(rest);
        this.events.end();
      } else {
        this.lines?.push(rest);
        this.lines?.end();
      }
    } else {
      this.events?.end();
      this.lines?.discard();
    }
    return this.recorder.finish(end);
  }

  /** What the exchange should say besides its messages: a reconnection time the server asked for. */
  warnings(): string[] {
    const retry = this.events?.reconnectionTimeMs;
    if (retry === undefined) return [];
    const lastId = this.events?.lastId;
    const resume = lastId === undefined ? 'send the request again to resume' : `send the request again with the header Last-Event-ID: ${lastId} to resume`;
    return [`the event stream asked clients to reconnect after ${retry} ms (retry: ${retry}); Courier does not reconnect: ${resume}`];
  }
}

// Server-Sent Events as the WHATWG HTML standard reads an event stream ("Parsing an event stream",
// "Interpreting an event stream"), fed decoded text in whatever pieces the network gives: lines end
// in CRLF, LF or CR (a CR at the end of one piece may be half of a CRLF), a leading BOM is dropped,
// `:` lines are comments, `data` lines join with `\n`, the last event id persists from event to event,
// `retry` takes only digits, and an event is dispatched at a blank line only if it has data. Pure:
// the caller decodes bytes (`TextDecoder` with `stream: true`) and records what is dispatched.

/** One dispatched event. */
export interface ServerSentEvent {
  /** The `event` field, `message` when the event named none. */
  readonly type: string;
  /** The last event id buffer at dispatch: the latest `id` seen, in this event or an earlier one; undefined before any. */
  readonly id: string | undefined;
  readonly data: string;
}

/** Reads an event stream piece by piece; `onEvent` hears each event as its blank line arrives. */
export class EventStreamParser {
  /** Text after the last complete line: a line split across pieces. */
  private pending = '';
  /** The previous piece ended in CR: an LF starting this one belongs to that line end. */
  private afterCarriageReturn = false;
  private atStart = true;
  private data: string[] = [];
  private eventType = '';
  private lastEventId: string | undefined;
  /** The latest valid `retry` value in ms, undefined while the server sent none. */
  reconnectionTimeMs: number | undefined;

  constructor(private readonly onEvent: (event: ServerSentEvent) => void) {}

  /** The last event id buffer: what a client sends as `Last-Event-ID` to resume. */
  get lastId(): string | undefined {
    return this.lastEventId;
  }

  /** Feeds the next piece of decoded text. */
  push(text: string): void {
    if (text === '') return;
    let start = 0;
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.afterCarriageReturn && text.charCodeAt(start) === 0x0a) start++;
    this.afterCarriageReturn = false;
    const length = text.length;
    let lineStart = start;
    let index = start;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code !== 0x0a && code !== 0x0d) {
        index++;
        continue;
      }
      const line = this.pending === '' ? text.slice(lineStart, index) : this.pending + text.slice(lineStart, index);
      this.pending = '';
      if (code === 0x0d) {
        if (index + 1 === length) this.afterCarriageReturn = true;
        else if (text.charCodeAt(index + 1) === 0x0a) index++;
      }
      index++;
      lineStart = index;
      this.line(line);
    }
    if (lineStart < length) this.pending += text.slice(lineStart);
  }

  /**
   * The stream ended. An event without its blank line is not dispatched, as the standard says
   * ("If the file ends in the middle of an event, before the final empty line, the incomplete
   * event is not dispatched").
   */
  end(): void {
    this.pending = '';
    this.data = [];
    this.eventType = '';
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return;
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.reconnectionTimeMs = Number(value);
        break;
      default:
        // Other fields are ignored.
        break;
    }
  }

  private dispatch(): void {
    const data = this.data;
    const type = this.eventType;
    this.data = [];
    this.eventType = '';
    if (data.length === 0) return;
    this.onEvent({ type: type === '' ? 'message' : type, id: this.lastEventId, data: data.join('\n') });
  }
}

/**
 * Splits text into lines as they complete, for NDJSON, JSON Lines and `# @stream`: LF or CRLF ends a
 * line, blank lines are skipped, and a record separator (RS, U+001E) starting a line is dropped, so
 * `application/json-seq` (RFC 7464) reads as lines too.
 */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    let lineStart = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const line = this.pending === '' ? text.slice(lineStart, newline) : this.pending + text.slice(lineStart, newline);
      this.pending = '';
      this.emit(line);
      lineStart = newline + 1;
      newline = text.indexOf('\n', lineStart);
    }
    if (lineStart < text.length) this.pending += text.slice(lineStart);
  }

  /** The stream ended: a last line without its line end still counts. */
  end(): void {
    const last = this.pending;
    this.pending = '';
    this.emit(last);
  }

  /** The stream was cut off: a last line without its line end may be incomplete, so it is dropped. */
  discard(): void {
    this.pending = '';
  }

  private emit(raw: string): void {
    let line = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    if (line.charCodeAt(0) === 0x1e) line = line.slice(1);
    if (line.trim() === '') return;
    this.onLine(line);
  }
}

// Records the messages of one stream-shaped exchange (SSE events, NDJSON lines, WebSocket frames,
// GraphQL results, gRPC messages) for every transport alike: each message is timed from the
// exchange's start, told to the observer as it happens, and kept so that memory stays bounded on
// an endless stream: the most recent messages in memory, and once there are more than that, every
// message (the earliest included) in a temp file of JSON lines that the session deletes.

import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { EngineFailure } from '../errors';
import type { ExchangeObserver, MessageStream, StreamEnd, StreamMessage, StreamProtocol } from '../model';

/** Messages a stream keeps in memory unless told otherwise: the panel shows at most this many. */
export const defaultMessagesInMemory = 1000;

/** Bytes of JSON lines gathered before one write to the spill file. */
const spillBatchChars = 64 * 1024;

export interface StreamRecorderOptions {
  readonly protocol: StreamProtocol;
  /** Milliseconds since the exchange started (`TimingRecorder.elapsed`). */
  readonly elapsed: () => number;
  readonly observer: ExchangeObserver | undefined;
  /** Where the spill file goes, and who deletes it (the session, when it closes). */
  readonly tempDir: string;
  readonly onTempFile: (path: string) => void;
  /** The most recent messages kept in memory; default `defaultMessagesInMemory`. */
  readonly messagesInMemory?: number;
}

/** One message as a line of the spill file: binary data as Base64 under `dataBase64`. */
export interface SpilledMessage {
  readonly at: number;
  readonly direction: StreamMessage['direction'];
  readonly type: string;
  readonly id?: string;
  readonly data?: string;
  readonly dataBase64?: string;
}

/** Collects a stream's messages as they come and hands back the `MessageStream` when it ends. */
export class StreamRecorder {
  private readonly keep: number;
  /** The most recent messages; trimmed to `keep` when it grows to twice that, so trimming is rare. */
  private window: StreamMessage[] = [];
  private total = 0;
  private spill: { readonly path: string; readonly stream: WriteStream; pending: string; failed: Error | undefined } | undefined;
  private ended = false;

  constructor(private readonly options: StreamRecorderOptions) {
    this.keep = Math.max(1, options.messagesInMemory ?? defaultMessagesInMemory);
  }

  /** How many messages were recorded so far. */
  get count(): number {
    return this.total;
  }

  /** Whether `finish` was called: a transport records nothing after that. */
  get finished(): boolean {
    return this.ended;
  }

  /** Records a message now, tells the observer, and returns it. Ignored (undefined) after `finish`. */
  record(direction: StreamMessage['direction'], type: string, id: string | undefined, data: string | Uint8Array): StreamMessage | undefined {
    if (this.ended) return undefined;
    const message: StreamMessage = { at: this.options.elapsed(), direction, type, id, data };
    this.total++;
    this.window.push(message);
    if (this.spill !== undefined) this.append(message);
    else if (this.total > this.keep) this.startSpill();
    if (this.window.length >= 2 * this.keep) this.window = this.window.slice(this.window.length - this.keep);
    this.options.observer?.onMessage?.(message);
    return message;
  }

  /** Ends the record: the messages in memory and, when some were dropped, the file holding them all. */
  async finish(end: StreamEnd): Promise<MessageStream> {
    this.ended = true;
    const messages = this.window.length > this.keep ? this.window.slice(this.window.length - this.keep) : this.window;
    this.window = [];
    let file: string | undefined;
    if (this.spill !== undefined) {
      const spill = this.spill;
      this.flush();
      await new Promise<void>((resolve) => spill.stream.end(resolve));
      if (spill.failed !== undefined) throw new EngineFailure('file', `could not keep the stream's messages in ${spill.path}: ${spill.failed.message}`);
      file = spill.path;
    }
    return { protocol: this.options.protocol, messages, count: this.total, file, end };
  }

  private startSpill(): void {
    const path = join(this.options.tempDir, `courier-stream-${process.pid}-${randomBytes(6).toString('hex')}.jsonl`);
    const stream = createWriteStream(path, { mode: 0o600 });
    this.options.onTempFile(path);
    const spill = { path, stream, pending: '', failed: undefined as Error | undefined };
    stream.on('error', (error) => {
      spill.failed = error;
    });
    this.spill = spill;
    // Every message so far is still in the window: the file starts with the first of them.
    for (const message of this.window) this.append(message);
  }

  private append(message: StreamMessage): void {
    const spill = this.spill;
    if (spill === undefined) return;
    spill.pending += spilledLine(message);
    if (spill.pending.length >= spillBatchChars) this.flush();
  }

  private flush(): void {
    const spill = this.spill;
    if (spill === undefined || spill.pending === '') return;
    spill.stream.write(spill.pending);
    spill.pending = '';
  }
}

/** A message as the spill file stores it. */
export function spilledMessage(message: StreamMessage): SpilledMessage {
  const { at, direction, type, id, data } = message;
  const base = id === undefined ? { at, direction, type } : { at, direction, type, id };
  return typeof data === 'string' ? { ...base, data } : { ...base, dataBase64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

/**
 * `message` as a line of the spill file: `JSON.stringify(spilledMessage(message))` and a line
 * break, written out field by field, since every message of a long stream pays for it (a
 * WebSocket echo of 10,000 messages spent a third of its time building and stringifying objects).
 */
export function spilledLine(message: StreamMessage): string {
  const { at, direction, type, id, data } = message;
  const head = `{"at":${JSON.stringify(at)},"direction":${JSON.stringify(direction)},"type":${JSON.stringify(type)}${id === undefined ? '' : `,"id":${JSON.stringify(id)}`}`;
  if (typeof data === 'string') return `${head},"data":${JSON.stringify(data)}}\n`;
  return `${head},"dataBase64":"${Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')}"}\n`;
}

/** A line of the spill file back as a message. */
export function messageOfSpilledLine(line: string): StreamMessage {
  const spilled = JSON.parse(line) as SpilledMessage;
  const data = spilled.dataBase64 !== undefined ? new Uint8Array(Buffer.from(spilled.dataBase64, 'base64')) : (spilled.data ?? '');
  return { at: spilled.at, direction: spilled.direction, type: spilled.type, id: spilled.id, data };
}

/**
 * How a stream ends when its exchange's signal aborts after it opened: `timeout` for the request's
 * timeout (`# @timeout`), `stopped` for the user (Stop, Ctrl+C, `unsubscribe()`). Both are normal
 * ends: the response and its messages are kept.
 */
export function streamEndOfAbort(signal: AbortSignal): StreamEnd {
  const reason: unknown = signal.reason;
  if (reason instanceof EngineFailure && reason.code === 'timeout') return { reason: 'timeout', detail: reason.message };
  return { reason: 'stopped' };
}

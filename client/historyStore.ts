// The history of sent exchanges: summaries plus enough of each exchange to show it again,
// kept as one JSON file in the extension's global storage and replaced atomically (temp file,
// fsync, rename), so a crash never leaves half a history. Free of `vscode`: unit-tested in Node.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomically } from '../engine/atomicFile';
import type { EngineError, Exchange, MessageStream, ResponseBody, ResponseSummary, StreamMessage, StreamResponse } from '../engine/model';
import { redactExchange, redactText } from '../engine/redaction';
import { defaultCourierSettings } from './settingsSchema';

/** Bytes of a response body kept per entry when no limit is given: `courier.history.maxBodyBytes`' default. */
export const historyBodyLimit = defaultCourierSettings.historyMaxBodyBytes;

/** A response body as stored: base64 bytes, cut at `historyBodyLimit`. */
export interface StoredBody {
  readonly size: number;
  readonly encodedSize: number;
  readonly base64: string;
  /** Bytes of the original body that were not kept. */
  readonly truncatedBytes: number;
  readonly contentType: string | undefined;
  readonly charset: string;
}

/** One message of a stream as stored: text as it is, bytes as Base64. */
export interface StoredStreamMessage {
  readonly at: number;
  readonly direction: StreamMessage['direction'];
  readonly type: string;
  readonly id: string | undefined;
  readonly data: string;
  readonly encoding: 'text' | 'base64';
}

/**
 * A stream as stored: its most recent messages whose data fit `historyBodyLimit` (a second budget
 * beside the body's), and how many there were in all. The engine's file of every message is not kept.
 */
export interface StoredStream extends Omit<MessageStream, 'messages' | 'file'> {
  readonly messages: readonly StoredStreamMessage[];
}

/** A response as history stores it, whatever its shape: the body as Base64 text, a stream's messages as data. */
type StoredResponse<R extends ResponseSummary = ResponseSummary> = R extends StreamResponse
  ? Omit<R, 'body' | 'stream'> & { readonly body: StoredBody; readonly stream: StoredStream }
  : R extends ResponseSummary
    ? Omit<R, 'body'> & { readonly body: StoredBody }
    : never;

export interface StoredExchange extends Omit<Exchange, 'response'> {
  readonly response: StoredResponse | undefined;
}

/** One sent exchange: what lists show, and the exchange itself. */
export interface HistoryEntry {
  readonly id: string;
  /** ISO time the exchange ended. */
  readonly time: string;
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly error: EngineError | undefined;
  readonly durationMs: number;
  readonly environment: string | undefined;
  readonly exchange: StoredExchange;
}

/** How many of `bytes`' first `limit` bytes to keep so a UTF-8 character is never cut in half. */
function utf8Boundary(bytes: Uint8Array, limit: number): number {
  if (bytes.length <= limit) return bytes.length;
  let end = limit;
  // Back off continuation bytes (10xxxxxx) to the start of the character they belong to.
  while (end > 0 && end > limit - 4 && (bytes[end] & 0xc0) === 0x80) end--;
  return end;
}

/** The first `maxBytes` of a body's bytes, cut between characters when the body is UTF-8. */
function keptBytes(body: ResponseBody, maxBytes: number): Uint8Array {
  const utf8 = /^utf-?8$/i.test(body.charset);
  return body.prefix.subarray(0, utf8 ? utf8Boundary(body.prefix, maxBytes) : maxBytes);
}

function messageBytes(message: StreamMessage): number {
  return typeof message.data === 'string' ? Buffer.byteLength(message.data, 'utf8') : message.data.length;
}

/** The most recent of `messages` whose data together take at most `maxBytes`; the same array when all fit. */
function lastMessagesWithin(messages: readonly StreamMessage[], maxBytes: number): readonly StreamMessage[] {
  let start = messages.length;
  let total = 0;
  while (start > 0) {
    const size = messageBytes(messages[start - 1]);
    if (total + size > maxBytes) break;
    total += size;
    start--;
  }
  return start === 0 ? messages : messages.slice(start);
}

/**
 * `exchange` with at most `maxBytes` of its response body in memory (sizes unchanged), and for a stream
 * its most recent messages whose data fit `maxBytes`, so redacting and storing it costs the same for a
 * 50 MB body or a long stream as for a small one. The bytes are shared, not copied.
 */
export function withBoundedBody(exchange: Exchange, maxBytes: number): Exchange {
  const response = exchange.response;
  if (response === undefined) return exchange;
  const body = response.body.prefix.length <= maxBytes ? response.body : { ...response.body, prefix: keptBytes(response.body, maxBytes) };
  if (response.shape !== 'stream') return body === response.body ? exchange : { ...exchange, response: { ...response, body } };
  const messages = lastMessagesWithin(response.stream.messages, maxBytes);
  if (body === response.body && messages === response.stream.messages) return exchange;
  return { ...exchange, response: { ...response, body, stream: { ...response.stream, messages } } };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes with secrets replaced when they are UTF-8 text, as bodies are; other bytes are kept as they are. */
function redactBytes(bytes: Uint8Array, secrets: readonly string[]): Uint8Array {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
  const redacted = redactText(text, secrets);
  return redacted === text ? bytes : new TextEncoder().encode(redacted);
}

/** A stream with secrets replaced in its messages' data and ids and in its end's detail. */
function redactStream(stream: MessageStream, secrets: readonly string[]): MessageStream {
  const messages = stream.messages.map((message) => ({
    ...message,
    id: message.id === undefined ? undefined : redactText(message.id, secrets),
    data: typeof message.data === 'string' ? redactText(message.data, secrets) : redactBytes(message.data, secrets),
  }));
  const end = stream.end.detail === undefined ? stream.end : { ...stream.end, detail: redactText(stream.end.detail, secrets) };
  return { ...stream, messages, end };
}

/**
 * `exchange` as the history may store it: its body cut to `maxBodyBytes`, then redacted of `secrets`
 * (undefined when `courier.history.keepSecrets` keeps them). With `keepCredentialHeaders`
 * (`keepSecrets` with OAuth tokens to hide) only `secrets` are replaced, credential headers stay.
 */
export function storableExchange(exchange: Exchange, maxBodyBytes: number, secrets: readonly string[] | undefined, keepCredentialHeaders = false): Exchange {
  if (secrets === undefined) return withBoundedBody(exchange, maxBodyBytes);
  // Cut past the limit by the longest secret, so one straddling the limit is still found whole.
  const margin = secrets.reduce((longest, secret) => Math.max(longest, new TextEncoder().encode(secret).length), 0);
  const redacted = redactExchange(withBoundedBody(exchange, maxBodyBytes + margin), { secrets, keepCredentialHeaders });
  const response = redacted.response;
  // The engine's redaction knows bodies; a stream's messages are redacted here, as history stores them.
  if (response?.shape !== 'stream') return redacted;
  return { ...redacted, response: { ...response, stream: redactStream(response.stream, secrets) } };
}

/** The stream as stored: its most recent messages whose data fit `maxBytes`, bytes as Base64. */
function storedStream(stream: MessageStream, maxBytes: number): StoredStream {
  return {
    protocol: stream.protocol,
    count: stream.count,
    end: stream.end,
    messages: lastMessagesWithin(stream.messages, maxBytes).map((message) => ({
      at: message.at,
      direction: message.direction,
      type: message.type,
      id: message.id,
      data: typeof message.data === 'string' ? message.data : Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength).toString('base64'),
      encoding: typeof message.data === 'string' ? 'text' : 'base64',
    })),
  };
}

function restoredStream(stored: StoredStream): MessageStream {
  return {
    protocol: stored.protocol,
    count: stored.count,
    end: stored.end,
    file: undefined,
    // JSON drops an undefined id; the message is given back with it.
    messages: stored.messages.map((message) => ({
      at: message.at,
      direction: message.direction,
      type: message.type,
      id: message.id,
      data: message.encoding === 'base64' ? new Uint8Array(Buffer.from(message.data, 'base64')) : message.data,
    })),
  };
}

/** Builds an entry from an exchange (already redacted when secrets must not be kept), keeping at most `maxBodyBytes` of its body. */
export function toHistoryEntry(
  exchange: Exchange,
  context: { readonly id: string; readonly time: Date; readonly environment: string | undefined },
  maxBodyBytes = historyBodyLimit,
): HistoryEntry {
  const response = exchange.response;
  let stored: StoredExchange['response'];
  if (response !== undefined) {
    const kept = keptBytes(response.body, maxBodyBytes);
    const body: StoredBody = {
      size: response.body.size,
      encodedSize: response.body.encodedSize,
      base64: Buffer.from(kept).toString('base64'),
      truncatedBytes: response.body.size - kept.length,
      contentType: response.body.contentType,
      charset: response.body.charset,
    };
    stored = response.shape === 'stream' ? { ...response, body, stream: storedStream(response.stream, maxBodyBytes) } : { ...response, body };
  }
  return {
    id: context.id,
    time: context.time.toISOString(),
    method: exchange.request.method,
    url: exchange.request.url,
    status: response?.status,
    error: exchange.error,
    durationMs: Math.round(exchange.timings.total),
    environment: context.environment,
    exchange: { ...exchange, response: stored },
  };
}

/** The exchange of an entry, ready for the response panel; a cut body says so in a warning. */
export function exchangeOf(entry: HistoryEntry): Exchange {
  const stored = entry.exchange.response;
  // JSON drops undefined fields; the exchange is given back with all of them.
  if (stored === undefined) return { ...entry.exchange, error: entry.exchange.error, response: undefined };
  const prefix = new Uint8Array(Buffer.from(stored.body.base64, 'base64'));
  const warnings = stored.body.truncatedBytes > 0 ? [...entry.exchange.warnings, truncationWarning(prefix.length, stored.body.size)] : [...entry.exchange.warnings];
  const body: ResponseBody = { size: prefix.length, encodedSize: stored.body.encodedSize, prefix, file: undefined, contentType: stored.body.contentType, charset: stored.body.charset };
  if (stored.shape !== 'stream') return { ...entry.exchange, error: entry.exchange.error, warnings, response: { ...stored, body } };
  const { count, messages } = stored.stream;
  if (messages.length < count) warnings.push(`history kept the last ${messages.length} of the ${count} messages of this stream (courier.history.maxBodyBytes)`);
  return { ...entry.exchange, error: entry.exchange.error, warnings, response: { ...stored, body, stream: restoredStream(stored.stream) } };
}

function truncationWarning(kept: number, size: number): string {
  if (kept === 0) return `history kept none of the ${size} bytes of this body (courier.history.maxBodyBytes is 0)`;
  return `history kept the first ${kept} of ${size} bytes of this body (courier.history.maxBodyBytes)`;
}

/** One line for lists: `GET https://… → 200 · 35 ms`. */
export function entrySummary(entry: HistoryEntry): { readonly label: string; readonly detail: string } {
  const stream = entry.exchange.response?.shape === 'stream' ? entry.exchange.response.stream : undefined;
  const status = entry.status !== undefined ? String(entry.status) : (entry.error?.code ?? 'no response');
  const outcome = stream === undefined ? status : `${status} · ${stream.count} ${stream.count === 1 ? 'message' : 'messages'}`;
  return { label: `${entry.method} ${entry.url}`, detail: `${outcome} · ${entry.durationMs} ms · ${entry.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}${entry.environment === undefined ? '' : ` · ${entry.environment}`}` };
}

function isEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<HistoryEntry>;
  return typeof entry.id === 'string' && typeof entry.time === 'string' && typeof entry.method === 'string' && typeof entry.url === 'string' && typeof entry.exchange === 'object' && entry.exchange !== null;
}

/** Each entry's JSON, made once: an entry never changes, and re-serialising every body on every save blocked the extension host. */
const entryJson = new WeakMap<HistoryEntry, string>();

function jsonOf(entry: HistoryEntry): string {
  let json = entryJson.get(entry);
  if (json === undefined) {
    json = JSON.stringify(entry);
    entryJson.set(entry, json);
  }
  return json;
}

/** The history file's text: the same as `JSON.stringify({ version: 1, entries })`, from each entry's JSON. */
export function historyFileText(entries: readonly HistoryEntry[]): string {
  return `{"version":1,"entries":[${entries.map(jsonOf).join(',')}]}`;
}

/** The history file's entries, newest first, trimmed to a maximum. */
export class HistoryStore {
  private list: HistoryEntry[];
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    /** Undefined when the file on disk could not be set aside: then nothing overwrites it. */
    private readonly file: string | undefined,
    entries: HistoryEntry[],
  ) {
    this.list = entries;
  }

  /** Loads `file`; a missing file is an empty history, an unreadable one is set aside with a warning. */
  static async open(file: string): Promise<{ readonly store: HistoryStore; readonly warning: string | undefined }> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { store: new HistoryStore(file, []), warning: undefined };
      return { store: new HistoryStore(file, []), warning: `cannot read the history ${file} (${(error as Error).message}); starting an empty one` };
    }
    try {
      const parsed = JSON.parse(text) as { entries?: unknown };
      if (!Array.isArray(parsed.entries)) throw new Error('it has no "entries" list');
      return { store: new HistoryStore(file, parsed.entries.filter(isEntry)), warning: undefined };
    } catch (error) {
      const aside = `${file}.corrupt-${Date.now()}`;
      const reason = (error as Error).message;
      try {
        await rename(file, aside);
      } catch (renameError) {
        // Keep the user's file as it is: this session's history lives in memory only.
        return {
          store: new HistoryStore(undefined, []),
          warning: `the history ${file} is not valid (${reason}) and could not be moved aside (${(renameError as Error).message}); history will not be saved this session`,
        };
      }
      return { store: new HistoryStore(file, []), warning: `the history ${file} is not valid (${reason}); it was moved to ${aside}` };
    }
  }

  /** Newest first. */
  get entries(): readonly HistoryEntry[] {
    return this.list;
  }

  find(id: string): HistoryEntry | undefined {
    return this.list.find((entry) => entry.id === id);
  }

  /** Adds `entry` as the newest, keeps at most `maxEntries`, and saves. */
  async add(entry: HistoryEntry, maxEntries: number): Promise<void> {
    this.list = [entry, ...this.list].slice(0, Math.max(0, maxEntries));
    await this.save();
  }

  async clear(): Promise<void> {
    this.list = [];
    await this.save();
  }

  /** Writes the history atomically; saves run one at a time, each writing the latest list. */
  save(): Promise<void> {
    const file = this.file;
    if (file === undefined) return Promise.resolve();
    const next = this.saving.then(async () => {
      try {
        await mkdir(dirname(file), { recursive: true });
        await writeFileAtomically(file, historyFileText(this.list));
      } catch (error) {
        throw new Error(`could not save the history ${file}: ${(error as Error).message}`, { cause: error });
      }
    });
    // A failed save must not block later ones.
    this.saving = next.catch(() => undefined);
    return next;
  }
}

/** A fresh entry id. */
export function newEntryId(): string {
  return randomBytes(8).toString('hex');
}

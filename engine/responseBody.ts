// Collects a response body as it streams in: decodes Content-Encoding (gzip, deflate, br) with a
// cap against decompression bombs, keeps a bounded prefix in memory and, past that, writes the whole
// decoded body to a temp file. Memory stays bounded whatever the body's size.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Writable, pipeline, type Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { EngineFailure } from './errors';
import { type ResponseBody } from './model';

/** Limits and places for one body. */
export interface BodyLimits {
  /** Bytes kept in memory; a larger body spills to a temp file. */
  readonly maxInMemoryBytes: number;
  /** Decoded bytes allowed when a Content-Encoding is applied; more is `body-too-large`. */
  readonly maxDecompressedBytes: number;
  readonly tempDir: string;
}

/**
 * Receives raw body chunks with backpressure and produces a `ResponseBody` at the end. A body that
 * needs no decoding is held as its chunks while it fits in memory; streams (decoders, the temp
 * file) are built only for the others, since building them cost more than a small exchange.
 */
export class ResponseBodyCollector {
  private readonly encodings: readonly string[];
  private readonly cap: number;
  /** Chunks of a body that needs no decoding, while it fits in memory and no stream was built. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private sink: BodySink | undefined;
  /** Built on the first chunk that needs a stream, which tells raw deflate from zlib-wrapped deflate. */
  private head: Writable | undefined;
  private finished: Promise<void> | undefined;
  private encodedSize = 0;
  /** Codings Courier cannot decode; the body is then kept as received. */
  readonly unsupportedEncodings: readonly string[];

  constructor(
    private readonly contentType: string | undefined,
    contentEncoding: string | undefined,
    private readonly limits: BodyLimits,
    /** Called with each temp file created, so the session can delete it when it closes. */
    private readonly onTempFile: (path: string) => void,
    /** Told the decoded bytes as they come, for a response read as a stream of messages. */
    private readonly onDecoded?: (chunk: Uint8Array) => void,
  ) {
    const encodings = (contentEncoding ?? '')
      .split(',')
      .map((encoding) => encoding.trim().toLowerCase())
      .filter((encoding) => encoding !== '' && encoding !== 'identity');
    this.unsupportedEncodings = encodings.filter((encoding) => !decodable.has(encoding));
    // With an unknown coding in the list the body cannot be decoded at all: keep it as received.
    this.encodings = this.unsupportedEncodings.length === 0 ? encodings : [];
    this.cap = this.encodings.length > 0 ? limits.maxDecompressedBytes : Number.POSITIVE_INFINITY;
  }

  /** Feeds encoded bytes; false means wait for `onDrain` before writing more. */
  write(chunk: Uint8Array): boolean {
    this.encodedSize += chunk.byteLength;
    // Without a coding the bytes received are the decoded bytes; with one, the sink tells them.
    if (this.onDecoded !== undefined && this.encodings.length === 0) this.onDecoded(chunk);
    if (this.head === undefined && this.encodings.length === 0 && this.heldBytes + chunk.byteLength <= this.limits.maxInMemoryBytes) {
      this.held.push(chunk);
      this.heldBytes += chunk.byteLength;
      return true;
    }
    return this.start(chunk).write(chunk);
  }

  onDrain(listener: () => void): void {
    if (this.head === undefined) queueMicrotask(listener);
    else this.head.once('drain', listener);
  }

  /** Ends the body and waits until it is decoded and any temp file is closed. */
  async end(): Promise<ResponseBody> {
    // Held in memory, or empty: nothing to decode, whatever Content-Encoding claims.
    if (this.head === undefined) {
      const prefix = Buffer.concat(this.held, this.heldBytes);
      this.held = [];
      return { size: prefix.byteLength, encodedSize: this.encodedSize, prefix, file: undefined, contentType: this.contentType, charset: charsetOf(this.contentType, prefix) };
    }
    this.head.end();
    try {
      await this.finished;
    } catch (error) {
      throw describeDecodingError(error);
    }
    const sink = this.sink as BodySink;
    const prefix = sink.prefix();
    return {
      size: sink.size,
      encodedSize: this.encodedSize,
      prefix,
      file: sink.file,
      contentType: this.contentType,
      charset: charsetOf(this.contentType, prefix),
    };
  }

  /** Stops collecting (the request failed or was cancelled). */
  destroy(): void {
    this.held = [];
    this.head?.destroy();
    this.sink?.destroy();
  }

  /** Builds the decoders and the sink on the first chunk that needs them, and hands them what was held. */
  private start(firstChunk: Uint8Array): Writable {
    if (this.head !== undefined) return this.head;
    const sink = new BodySink(this.limits, this.cap, this.onTempFile, this.encodings.length === 0 ? undefined : this.onDecoded);
    this.sink = sink;
    // Content-Encoding lists codings in the order applied, so undo them from last to first.
    const decoders = [...this.encodings].reverse().map((encoding, index) => createDecoder(encoding, index === 0 ? firstChunk[0] : undefined));
    const stages: Writable[] = [...decoders, sink];
    this.head = decoders[0] ?? sink;
    this.finished = new Promise((resolve, reject) => {
      if (decoders.length === 0) {
        sink.once('finish', resolve);
        sink.once('error', reject);
      } else {
        pipeline(stages as [Transform, ...Transform[], Writable], (error) => (error ? reject(error) : resolve()));
      }
    });
    // The outcome is read through `end()`; avoid an unhandled rejection if the caller gives up first.
    this.finished.catch(() => undefined);
    // Only an undecoded body is ever held, so the sink takes it as it is.
    for (const held of this.held) sink.write(held);
    this.held = [];
    return this.head;
  }
}

// zstd arrived in Node 22.15 (VS Code's runtime has it; the CLI on Node 20 keeps such a body as sent).
const zstdDecompress = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;
const decodable = new Set(['gzip', 'x-gzip', 'deflate', 'br', ...(zstdDecompress === undefined ? [] : ['zstd'])]);

function describeDecodingError(error: unknown): unknown {
  if (error instanceof EngineFailure) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const reason = error instanceof Error ? error.message : String(error);
    return new EngineFailure('invalid-response', `the response body could not be decoded as its Content-Encoding says: ${reason}`);
  }
  return error;
}

/** A decoder for one coding; `firstByte` (known for the outermost coding) tells raw from zlib-wrapped deflate. */
function createDecoder(encoding: string, firstByte: number | undefined): Transform {
  // Truncated compressed streams are common on the web; decode what arrived, as browsers do.
  const lenient = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (encoding === 'zstd' && zstdDecompress !== undefined) return zstdDecompress();
  if (encoding === 'br') {
    return zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  }
  if (encoding === 'deflate') {
    // `deflate` should be zlib-wrapped (low nibble 8 = deflate method) but some servers send it raw.
    const wrapped = firstByte === undefined || (firstByte & 0x0f) === 0x08;
    return wrapped ? zlib.createInflate(lenient) : zlib.createInflateRaw(lenient);
  }
  return zlib.createGunzip(lenient);
}

/** Buffering between the network, the decoders and the temp file. */
const streamBufferBytes = 1024 * 1024;

/** The end of the pipeline: counts, keeps the prefix, spills to a temp file past the limit. */
class BodySink extends Writable {
  size = 0;
  file: string | undefined;
  private readonly held: Buffer[] = [];
  private heldBytes = 0;
  private stream: WriteStream | undefined;

  constructor(
    private readonly limits: BodyLimits,
    private readonly cap: number,
    private readonly onTempFile: (path: string) => void,
    private readonly onDecoded: ((chunk: Uint8Array) => void) | undefined,
  ) {
    // Room for a few network reads, so undici is not paused and resumed on every chunk.
    super({ highWaterMark: streamBufferBytes });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.size += chunk.byteLength;
    if (this.size > this.cap) {
      callback(
        new EngineFailure(
          'body-too-large',
          `the response body decompresses to more than ${this.cap} bytes (the maxDecompressedBytes limit); it may be a decompression bomb`,
        ),
      );
      return;
    }
    this.onDecoded?.(chunk);
    if (this.stream === undefined && this.heldBytes + chunk.byteLength <= this.limits.maxInMemoryBytes) {
      this.held.push(chunk);
      this.heldBytes += chunk.byteLength;
      callback();
      return;
    }
    if (this.stream === undefined) this.startSpill();
    this.keepPrefix(chunk);
    const stream = this.stream as WriteStream;
    if (stream.write(chunk)) callback();
    else stream.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.stream === undefined) {
      callback();
      return;
    }
    this.stream.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stream?.destroy();
    callback(error);
  }

  /** The in-memory prefix: the whole body when nothing was spilled. */
  prefix(): Uint8Array {
    return Buffer.concat(this.held, Math.min(this.heldBytes, this.limits.maxInMemoryBytes));
  }

  private startSpill(): void {
    const path = join(this.limits.tempDir, `courier-body-${randomBytes(8).toString('hex')}`);
    this.file = path;
    this.onTempFile(path);
    this.stream = createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: streamBufferBytes });
    this.stream.on('error', (error) => this.destroy(new EngineFailure('file', `could not write the response body to ${path}: ${error.message}`)));
    for (const held of this.held) this.stream.write(held);
  }

  private keepPrefix(chunk: Buffer): void {
    const room = this.limits.maxInMemoryBytes - this.heldBytes;
    if (room <= 0) return;
    const kept = chunk.subarray(0, room);
    this.held.push(Buffer.from(kept));
    this.heldBytes += kept.byteLength;
  }
}

/** The charset from Content-Type, else from a byte order mark, else utf-8. */
export function charsetOf(contentType: string | undefined, prefix: Uint8Array): string {
  const declared = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  if (declared !== undefined) return declared.toLowerCase();
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return 'utf-8';
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return 'utf-16le';
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Decodes the in-memory prefix as text in the body's charset (utf-8 when the charset is unknown). */
export function bodyText(body: ResponseBody): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(body.charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body.prefix);
}

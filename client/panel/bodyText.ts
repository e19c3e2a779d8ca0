// Reads a response body as text in pieces, from memory or from the engine's temp file, so
// the host never holds (or posts) one giant string: each piece becomes one `bodyChunk`.
import { createReadStream } from 'node:fs';
import { type ResponseBody } from '../../engine/model';

/** Bytes per posted chunk: big enough to keep postMessage overhead small, small enough to show the first screen early. */
export const defaultChunkBytes = 1 << 20;

/** A decoder for the body's charset; an unknown label falls back to UTF-8 rather than failing. */
export function decoderFor(charset: string): TextDecoder {
  try {
    return new TextDecoder(charset);
  } catch {
    return new TextDecoder('utf-8');
  }
}

async function* byteChunks(body: ResponseBody, limit: number, chunkBytes: number): AsyncGenerator<Uint8Array> {
  if (body.file === undefined) {
    const bytes = body.prefix.subarray(0, limit);
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) yield bytes.subarray(offset, offset + chunkBytes);
    return;
  }
  if (limit <= 0) return;
  const stream = createReadStream(body.file, { start: 0, end: limit - 1, highWaterMark: chunkBytes });
  for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
}

/** The body's first `limit` bytes, decoded, in pieces of about `chunkBytes` bytes; a character split between pieces is kept whole. */
export async function* bodyTextChunks(body: ResponseBody, limit: number, chunkBytes = defaultChunkBytes): AsyncGenerator<string> {
  const decoder = decoderFor(body.charset);
  for await (const bytes of byteChunks(body, limit, chunkBytes)) {
    const text = decoder.decode(bytes, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** The whole body (up to `limit` bytes) as one string, for the clipboard or an untitled editor. */
export async function bodyText(body: ResponseBody, limit: number): Promise<string> {
  const pieces: string[] = [];
  for await (const piece of bodyTextChunks(body, limit)) pieces.push(piece);
  return pieces.join('');
}

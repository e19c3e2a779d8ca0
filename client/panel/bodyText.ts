// Reads a response body as text in pieces, from memory or from the engine's temp file, so
// the host never holds (or posts) one giant string: each piece becomes one `bodyChunk`.
import { open } from 'node:fs/promises';
import { type ResponseBody } from '../../engine/model';

/** Bytes per posted chunk: big enough to keep postMessage overhead small. */
export const defaultChunkBytes = 1 << 20;
/** Bytes of the first chunk: small, so the webview shows its first screen while the rest is still read and posted. */
export const defaultFirstChunkBytes = 64 << 10;

/** A decoder for the body's charset; an unknown label falls back to UTF-8 rather than failing. */
export function decoderFor(charset: string): TextDecoder {
  try {
    return new TextDecoder(charset);
  } catch {
    return new TextDecoder('utf-8');
  }
}

/** Piece sizes: the first one small, then `chunkBytes` each. */
interface ChunkSizes {
  readonly first: number;
  readonly rest: number;
}

/** The first `limit` bytes: from the in-memory prefix as far as it goes (the first screen never waits for the disk), then from the temp file. */
async function* byteChunks(body: ResponseBody, limit: number, sizes: ChunkSizes): AsyncGenerator<Uint8Array> {
  const fromMemory = body.prefix.subarray(0, limit);
  let position = 0;
  while (position < fromMemory.length) {
    const size = position === 0 ? sizes.first : sizes.rest;
    yield fromMemory.subarray(position, position + size);
    position += size;
  }
  position = fromMemory.length;
  if (body.file === undefined || position >= limit) return;
  const file = await open(body.file, 'r');
  try {
    while (position < limit) {
      const size = Math.min(position === 0 ? sizes.first : sizes.rest, limit - position);
      const { bytesRead, buffer } = await file.read(Buffer.allocUnsafe(size), 0, size, position);
      // The temp file is shorter than the body claims (deleted or cut): show what there is.
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
      position += bytesRead;
    }
  } finally {
    await file.close();
  }
}

/**
 * The body's first `limit` bytes, decoded, in pieces: the first of about `firstChunkBytes`, the
 * others of about `chunkBytes`; a character split between pieces is kept whole.
 */
export async function* bodyTextChunks(body: ResponseBody, limit: number, chunkBytes = defaultChunkBytes, firstChunkBytes = Math.min(chunkBytes, defaultFirstChunkBytes)): AsyncGenerator<string> {
  const decoder = decoderFor(body.charset);
  for await (const bytes of byteChunks(body, limit, { first: firstChunkBytes, rest: chunkBytes })) {
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

// The collector without a network: bodies held in memory, bodies that outgrow memory midway,
// and bodies that need decoding must all come out byte for byte.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as zlib from 'node:zlib';
import { gzipSync } from 'node:zlib';
import { ResponseBodyCollector } from '../../../engine/responseBody';

const tempDir = mkdtempSync(join(tmpdir(), 'courier-collector-'));
after(() => rmSync(tempDir, { recursive: true, force: true }));

function collector(contentEncoding: string | undefined, maxInMemoryBytes: number, files: string[] = []): ResponseBodyCollector {
  return new ResponseBodyCollector('text/plain', contentEncoding, { maxInMemoryBytes, maxDecompressedBytes: 1024 * 1024, tempDir }, (file) => files.push(file));
}

/** Writes every chunk, waiting for drain when asked, as the session does. */
async function feed(target: ResponseBodyCollector, chunks: readonly Uint8Array[]): Promise<void> {
  for (const chunk of chunks) {
    if (!target.write(chunk)) await new Promise<void>((resolve) => target.onDrain(resolve));
  }
}

describe('response body collector', () => {
  test('a body that fits stays in memory, its chunks joined in order', async () => {
    const files: string[] = [];
    const body = collector(undefined, 1024, files);
    await feed(body, [Buffer.from('ab'), Buffer.alloc(0), Buffer.from('cd'), Buffer.from('e')]);
    const result = await body.end();
    assert.equal(Buffer.from(result.prefix).toString(), 'abcde');
    assert.deepEqual([result.size, result.encodedSize, result.file, files.length], [5, 5, undefined, 0]);
  });

  test('a body that outgrows memory midway goes whole to the temp file, the prefix kept', async () => {
    const files: string[] = [];
    const body = collector(undefined, 10, files);
    const chunks = ['0123', '4567', '89ab', 'cdef', 'ghij'].map((text) => Buffer.from(text));
    await feed(body, chunks);
    const result = await body.end();
    assert.equal(result.file, files[0]);
    assert.ok(result.file !== undefined);
    assert.equal(readFileSync(result.file, 'utf8'), '0123456789abcdefghij');
    assert.equal(Buffer.from(result.prefix).toString(), '0123456789');
    assert.deepEqual([result.size, result.encodedSize], [20, 20]);
  });

  test('an encoded body is decoded; an empty one with an encoding is simply empty', async () => {
    const encoded = gzipSync('hello, decoded world');
    const body = collector('gzip', 1024);
    await feed(body, [encoded.subarray(0, 5), encoded.subarray(5)]);
    const result = await body.end();
    assert.equal(Buffer.from(result.prefix).toString(), 'hello, decoded world');
    assert.equal(result.encodedSize, encoded.byteLength);
    const empty = await collector('gzip', 1024).end();
    assert.deepEqual([empty.size, empty.prefix.byteLength, empty.file], [0, 0, undefined]);
  });

  test('an unsupported encoding keeps the body as received, in memory', async () => {
    const body = collector('compress', 1024);
    await feed(body, [Buffer.from([1, 2, 3])]);
    const result = await body.end();
    assert.deepEqual(body.unsupportedEncodings, ['compress']);
    assert.deepEqual([...result.prefix], [1, 2, 3]);
  });

  test('zstd (curl --compressed asks for it) is decoded where Node has it (22.15+), else kept as received', async () => {
    const zstdCompress = (zlib as { zstdCompressSync?: (input: Buffer) => Buffer }).zstdCompressSync;
    const body = collector('zstd', 1024);
    if (zstdCompress === undefined) {
      await feed(body, [Buffer.from([1, 2, 3])]);
      const result = await body.end();
      assert.deepEqual(body.unsupportedEncodings, ['zstd'], `Node ${process.version} has no zstd`);
      assert.deepEqual([...result.prefix], [1, 2, 3]);
    } else {
      await feed(body, [zstdCompress(Buffer.from('hello, zstd'))]);
      const result = await body.end();
      assert.deepEqual(body.unsupportedEncodings, []);
      assert.equal(Buffer.from(result.prefix).toString(), 'hello, zstd');
    }
  });
});

import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as zlib from 'node:zlib';
import { bodyText, charsetOf } from '../../../engine/responseBody';
import { Session } from '../../../engine/session';
import { httpServer, prepared } from './localServer';

describe('response bodies', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'courier-body-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const text = 'héllo wörld '.repeat(2000);
  const encodings: [string, (input: Buffer) => Buffer][] = [
    ['gzip', (input) => zlib.gzipSync(input)],
    ['deflate', (input) => zlib.deflateSync(input)],
    ['br', (input) => zlib.brotliCompressSync(input)],
    ['deflate, gzip', (input) => zlib.gzipSync(zlib.deflateSync(input))],
  ];
  for (const [encoding, encode] of encodings) {
    test(`decodes Content-Encoding: ${encoding}`, async () => {
      const encoded = encode(Buffer.from(text));
      const running = await httpServer((_request, response) => {
        response.writeHead(200, { 'Content-Encoding': encoding, 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(encoded);
      });
      const session = await Session.open({});
      try {
        const exchange = await session.send(prepared(running.url));
        assert.equal(exchange.error, undefined, exchange.error?.message);
        const body = exchange.response?.body;
        assert.ok(body !== undefined);
        assert.equal(bodyText(body), text);
        assert.equal(body.size, Buffer.byteLength(text));
        assert.equal(body.encodedSize, encoded.length);
      } finally {
        await session.close();
        await running.close();
      }
    });
  }

  test('raw deflate (no zlib header) is decoded too', async () => {
    const running = await httpServer((_request, response) => {
      response.writeHead(200, { 'Content-Encoding': 'deflate' });
      response.end(zlib.deflateRawSync(Buffer.from(text)));
    });
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(running.url));
      assert.equal(Buffer.from(exchange.response?.body.prefix ?? []).toString(), text);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a gzip bomb (10 MB of zeros) is refused past maxDecompressedBytes', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024));
    const running = await httpServer((_request, response) => {
      response.writeHead(200, { 'Content-Encoding': 'gzip' });
      response.end(bomb);
    });
    const session = await Session.open({ maxDecompressedBytes: 1024 * 1024, tempDir: dir });
    try {
      const exchange = await session.send(prepared(running.url));
      assert.equal(exchange.error?.code, 'body-too-large');
      assert.match(exchange.error?.message ?? '', /maxDecompressedBytes/);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a body over maxInMemoryBodyBytes spills whole to a temp file, keeping only the prefix in memory; close deletes it', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let index = 0; index < big.length; index++) big[index] = index % 251;
    const running = await httpServer((_request, response) => response.end(big));
    const session = await Session.open({ maxInMemoryBodyBytes: 64 * 1024, tempDir: dir });
    let file: string | undefined;
    try {
      const exchange = await session.send(prepared(running.url));
      const body = exchange.response?.body;
      assert.ok(body !== undefined);
      assert.ok(body.file !== undefined && body.file.startsWith(dir));
      file = body.file;
      assert.equal(body.size, big.length);
      assert.equal(body.prefix.byteLength, 64 * 1024);
      assert.deepEqual(Buffer.from(body.prefix), big.subarray(0, 64 * 1024));
      assert.ok((await readFile(file)).equals(big));
    } finally {
      await session.close();
      await running.close();
    }
    assert.ok(file !== undefined);
    await assert.rejects(stat(file), /ENOENT/);
  });

  test('a small body stays in memory only', async () => {
    const running = await httpServer((_request, response) => response.end('small'));
    const session = await Session.open({ tempDir: dir });
    try {
      const body = (await session.send(prepared(running.url))).response?.body;
      assert.equal(body?.file, undefined);
      assert.equal(Buffer.from(body?.prefix ?? []).toString(), 'small');
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('charset comes from Content-Type, else a BOM, else utf-8; bodyText decodes with it', async () => {
    assert.equal(charsetOf('text/html; charset="ISO-8859-1"', new Uint8Array()), 'iso-8859-1');
    assert.equal(charsetOf('text/plain', new Uint8Array([0xff, 0xfe, 0x41, 0])), 'utf-16le');
    assert.equal(charsetOf('text/plain', new Uint8Array([0xfe, 0xff])), 'utf-16be');
    assert.equal(charsetOf(undefined, new Uint8Array([0x41])), 'utf-8');
    const running = await httpServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=iso-8859-1' });
      response.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    });
    const session = await Session.open({});
    try {
      const body = (await session.send(prepared(running.url))).response?.body;
      assert.ok(body !== undefined);
      assert.equal(bodyText(body), 'café');
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('corrupt gzip is an invalid-response error', async () => {
    const running = await httpServer((_request, response) => {
      response.writeHead(200, { 'Content-Encoding': 'gzip' });
      response.end('definitely not gzip');
    });
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(running.url));
      assert.equal(exchange.error?.code, 'invalid-response');
      assert.match(exchange.error?.message ?? '', /Content-Encoding/);
    } finally {
      await session.close();
      await running.close();
    }
  });
});

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { saveBody } from '../../../engine/bodySaver';
import type { ResponseBody } from '../../../engine/model';

const inMemory = (bytes: Uint8Array): ResponseBody => ({ size: bytes.length, encodedSize: bytes.length, prefix: bytes, file: undefined, contentType: 'application/octet-stream', charset: 'utf-8' });

/** Bytes that differ from position to position, so a truncated or shifted copy is caught. */
function patterned(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 31 + (index >> 10)) & 0xff;
  return bytes;
}

describe('saveBody', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'courier-body-saver-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test('writes an in-memory body byte for byte and leaves no temp file', async () => {
    const dir = join(folder, 'memory');
    const bytes = patterned(70_000);
    const target = join(dir, 'deep', 'body.bin');
    assert.equal(await saveBody(inMemory(bytes), target, 'new-name'), target);
    assert.ok((await readFile(target)).equals(bytes));
    assert.deepEqual(await readdir(join(dir, 'deep')), ['body.bin']);
  });

  test('copies a body spilled to a temp file whole, not its in-memory prefix', async () => {
    const dir = join(folder, 'spilled');
    await mkdir(dir);
    const whole = patterned(3 * 1024 * 1024 + 17);
    const spilled = join(dir, 'engine-temp');
    await writeFile(spilled, whole);
    const target = join(dir, 'saved.bin');
    await saveBody({ ...inMemory(whole.subarray(0, 1024)), size: whole.length, file: spilled }, target, 'overwrite');
    assert.ok((await readFile(target)).equals(whole));
    assert.deepEqual((await readdir(dir)).sort(), ['engine-temp', 'saved.bin']);
  });

  test('`>>` keeps an existing file and takes the next free name; `>>!` replaces it', async () => {
    const dir = join(folder, 'modes');
    const target = join(dir, 'report.json');
    const text = (value: string): ResponseBody => inMemory(new TextEncoder().encode(value));
    assert.equal(await saveBody(text('one'), target, 'new-name'), target);
    assert.equal(await saveBody(text('two'), target, 'new-name'), join(dir, 'report-1.json'));
    assert.equal(await readFile(target, 'utf8'), 'one');
    assert.equal(await saveBody(text('three'), target, 'overwrite'), target);
    assert.equal(await readFile(target, 'utf8'), 'three');
    assert.deepEqual((await readdir(dir)).sort(), ['report-1.json', 'report.json']);
  });

  test('`>>!` over a symlink replaces the file it names, keeping that file\'s permissions', { skip: process.platform === 'win32' }, async () => {
    const dir = join(folder, 'linked');
    await mkdir(join(dir, 'real'), { recursive: true });
    const real = join(dir, 'real', 'data.json');
    await writeFile(real, 'old');
    await chmod(real, 0o640);
    await symlink(real, join(dir, 'data.json'));
    assert.equal(await saveBody(inMemory(new TextEncoder().encode('new')), join(dir, 'data.json'), 'overwrite'), join(dir, 'data.json'));
    assert.equal(await readFile(real, 'utf8'), 'new');
    assert.equal((await stat(real)).mode & 0o777, 0o640);
    assert.deepEqual((await readdir(dir)).sort(), ['data.json', 'real']);
    assert.deepEqual(await readdir(join(dir, 'real')), ['data.json']);
  });

  test('savers racing for one name each get a file of their own', async () => {
    const dir = join(folder, 'race');
    const target = join(dir, 'body.txt');
    const saved = await Promise.all(Array.from({ length: 8 }, (_, index) => saveBody(inMemory(new TextEncoder().encode(`body ${index}`)), target, 'new-name')));
    assert.equal(new Set(saved).size, 8);
    const contents = await Promise.all(saved.map((path) => readFile(path, 'utf8')));
    assert.deepEqual(contents.sort(), Array.from({ length: 8 }, (_, index) => `body ${index}`).sort());
    assert.equal((await readdir(dir)).filter((name) => name.endsWith('.tmp')).length, 0);
  });

  test('a save that fails rejects, keeps what was there and leaves no temp file', async () => {
    const dir = join(folder, 'failing');
    const target = join(dir, 'taken');
    await mkdir(target, { recursive: true });
    await writeFile(join(target, 'inside.txt'), 'kept');
    await assert.rejects(saveBody(inMemory(patterned(10)), target, 'overwrite'));
    assert.equal(await readFile(join(target, 'inside.txt'), 'utf8'), 'kept');
    assert.deepEqual(await readdir(dir), ['taken']);
  });

  test('removes the temp file a saver that died left beside the target', async () => {
    const dir = join(folder, 'orphans');
    await mkdir(dir);
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(dead, 'exit');
    const target = join(dir, 'body.bin');
    await writeFile(`${target}.${dead.pid}-0badf00d.tmp`, 'half a body');
    await saveBody(inMemory(patterned(5)), target, 'overwrite');
    assert.deepEqual(await readdir(dir), ['body.bin']);
  });
});

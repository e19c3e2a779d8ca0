import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { numberedName, OutputTarget, saveBody } from '../../../cli/output';
import type { ResponseBody } from '../../../engine/model';
import { responseExchange } from './exchangeFixtures';

const inMemory = (text: string): ResponseBody => ({ size: text.length, encodedSize: text.length, prefix: new TextEncoder().encode(text), file: undefined, contentType: 'application/json', charset: 'utf-8' });

test('numbered names keep the extension', () => {
  assert.equal(numberedName(join('out', 'report.json'), 1), join('out', 'report-1.json'));
  assert.equal(numberedName('notes', 2), 'notes-2');
  assert.equal(numberedName('.env', 1), '.env-1');
});

test('new-name mode never replaces a file; overwrite mode does', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'courier-output-'));
  const target = join(dir, 'nested', 'body.json');
  assert.equal(await saveBody(inMemory('one'), target, 'new-name'), target);
  assert.equal(await saveBody(inMemory('two'), target, 'new-name'), join(dir, 'nested', 'body-1.json'));
  assert.equal(await saveBody(inMemory('three'), target, 'new-name'), join(dir, 'nested', 'body-2.json'));
  assert.equal(await readFile(target, 'utf8'), 'one');
  assert.equal(await saveBody(inMemory('four'), target, 'overwrite'), target);
  assert.equal(await readFile(target, 'utf8'), 'four');
});

test('a body spilled to a temp file is copied from it, not from the prefix', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'courier-output-'));
  const spilled = join(dir, 'spilled');
  await writeFile(spilled, 'the whole body');
  const body: ResponseBody = { ...inMemory('the wh'), size: 14, file: spilled };
  const target = join(dir, 'saved');
  await saveBody(body, target, 'overwrite');
  assert.equal(await readFile(target, 'utf8'), 'the whole body');
});

test('--output DIR/ names files after the request, with an extension from the content type', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'courier-output-'));
  const target = await OutputTarget.for('out/', dir);
  const named = responseExchange({ name: 'get users' });
  const anonymous = responseExchange({ line: 12 });
  const body = inMemory('{}');
  assert.equal(await target.fileFor(named, body), join(dir, 'out', 'get_users.json'));
  assert.equal(await target.fileFor(named, body), join(dir, 'out', 'get_users-1.json'));
  assert.equal(await target.fileFor(anonymous, { ...body, contentType: 'text/plain; charset=utf-8' }), join(dir, 'out', 'get-line-12.txt'));
  const existingFolder = await OutputTarget.for('.', dir);
  assert.equal(await existingFolder.fileFor(named, body), join(dir, 'get_users.json'));
  const plainFile = await OutputTarget.for('last.json', dir);
  assert.equal(await plainFile.fileFor(named, body), join(dir, 'last.json'));
});

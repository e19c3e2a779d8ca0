import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeFileAtomically } from '../../../engine/atomicFile';

describe('writeFileAtomically', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'courier-atomic-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test('replaces the file, readable by its owner only, and leaves no temp file beside it', async () => {
    const file = join(folder, 'state.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await writeFileAtomically(file, '{"new":true}');
    assert.equal(await readFile(file, 'utf8'), '{"new":true}');
    if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(folder), ['state.json']);
  });

  test('a rename that fails rejects, keeps what was there and removes the temp file', async () => {
    const target = join(folder, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'inside.txt'), 'kept');
    await assert.rejects(writeFileAtomically(target, 'new'), (error: NodeJS.ErrnoException) => error.code === 'EISDIR' || error.code === 'ENOTEMPTY' || error.code === 'EEXIST');
    assert.equal(await readFile(join(target, 'inside.txt'), 'utf8'), 'kept');
    assert.deepEqual((await readdir(folder)).filter((name) => name.endsWith('.tmp')), []);
  });

  test('a folder that does not exist rejects with the system error', async () => {
    await assert.rejects(writeFileAtomically(join(folder, 'missing', 'state.json'), 'x'), { code: 'ENOENT' });
  });
});

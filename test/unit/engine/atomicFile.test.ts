import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { processExists, removeOrphanedTemporaryFiles, temporaryFileOwner, temporaryPathFor, writeFileAtomically } from '../../../engine/atomicFile';

/** Run as a child by the test below: rewrites `target` with a large text until it is killed. */
async function writeUntilKilled(target: string): Promise<never> {
  const text = 'x'.repeat(32 << 20);
  for (;;) await writeFileAtomically(target, text);
}

function temporaryFiles(names: readonly string[]): string[] {
  return names.filter((name) => name.endsWith('.tmp'));
}

// The writer child (below) runs this file without its suites.
const childTarget = process.env.COURIER_ATOMIC_WRITER;
if (childTarget !== undefined) {
  void writeUntilKilled(childTarget);
} else {
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

  describe('temp files of writers that died', () => {
    let folder = '';
    before(async () => {
      folder = await mkdtemp(join(tmpdir(), 'courier-orphans-'));
    });
    after(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    test('a temp file names its writer, and only temp files of that target match', () => {
      const temporary = basename(temporaryPathFor('/x/jar.json', 4242));
      assert.match(temporary, /^jar\.json\.4242-[0-9a-f]{8}\.tmp$/);
      assert.equal(temporaryFileOwner(temporary, 'jar.json'), 4242);
      assert.equal(temporaryFileOwner(temporary, 'jar'), undefined, 'another target sharing a prefix');
      assert.equal(temporaryFileOwner('jar.json.notes.tmp', 'jar.json'), undefined);
      assert.equal(temporaryFileOwner('jar.json', 'jar.json'), undefined);
    });

    test('the next write removes the temp file of a writer killed mid-write, and keeps a live writer\'s', async () => {
      const target = join(folder, 'jar.json');
      // A live process's temp file: the writer may be about to rename it.
      const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      try {
        assert.ok(sleeper.pid !== undefined);
        const live = `${target}.${sleeper.pid}-0123abcd.tmp`;
        await writeFile(live, 'half');
        let orphan: string | undefined;
        // A kill can land between a rename and the next open; try again until one lands mid-write.
        for (let attempt = 0; attempt < 20 && orphan === undefined; attempt++) {
          const writer = spawn(process.execPath, [__filename], { env: { ...process.env, COURIER_ATOMIC_WRITER: target }, stdio: 'ignore' });
          const writerPid = writer.pid;
          assert.ok(writerPid !== undefined);
          const prefix = `jar.json.${writerPid}-`;
          const started = Date.now();
          while (!(await readdir(folder)).some((name) => name.startsWith(prefix)) && Date.now() - started < 20_000) await delay(5);
          const exited = once(writer, 'exit');
          writer.kill('SIGKILL');
          await exited;
          orphan = (await readdir(folder)).find((name) => name.startsWith(prefix));
        }
        assert.ok(orphan !== undefined, 'a writer died mid-write and left its temp file');
        assert.equal(processExists(temporaryFileOwner(orphan, 'jar.json') ?? 0), false);

        await writeFileAtomically(target, '{"after":true}');
        const names = await readdir(folder);
        assert.deepEqual(temporaryFiles(names), [basename(live)], 'the dead writer\'s temp file is gone, the live one\'s kept');
        assert.equal(await readFile(target, 'utf8'), '{"after":true}');
      } finally {
        sleeper.kill('SIGKILL');
        await rm(`${target}.${sleeper.pid}-0123abcd.tmp`, { force: true });
      }
    });

    test('removeOrphanedTemporaryFiles removes a dead writer\'s temp file and keeps this process\'s own', async () => {
      const target = join(folder, 'history.json');
      const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
      await once(dead, 'exit');
      assert.ok(dead.pid !== undefined);
      const stale = `${target}.${dead.pid}-deadbeef.tmp`;
      const own = temporaryPathFor(target);
      await writeFile(stale, 'stale');
      await writeFile(own, 'mine');
      assert.deepEqual(await removeOrphanedTemporaryFiles(target), [stale]);
      const left = temporaryFiles(await readdir(folder)).filter((name) => name.startsWith('history.json.'));
      assert.deepEqual(left, [basename(own)], 'this process\'s own temp file is kept');
      await rm(own);
    });
  });
}

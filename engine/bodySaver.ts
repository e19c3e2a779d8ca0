// Saving a response body to a file: `>> file` and `>>! file` under a request (CLI and extension),
// `--output`, the panel's Save and `Courier: Save Response Body`. The body is written to a temp
// file beside the target (copied by the OS from the engine's temp file, or written from the
// in-memory prefix: never assembled in memory), flushed, then renamed or linked into place, so
// the target holds either nothing (or its old content) or the whole body, never part of it.
import { constants } from 'node:fs';
import { chmod, copyFile, link, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { removeOrphanedTemporaryFiles, temporaryPathFor } from './atomicFile';
import type { ResponseBody } from './model';

/** `new-name` (`>>`) picks `name-1.ext` when the file exists; `overwrite` (`>>!`, `--output`, a file chosen in a save dialog) replaces it. */
export type SaveMode = 'new-name' | 'overwrite';

/** Saves `body` to `target` and resolves to the path written (another name in `new-name` mode when `target` exists). Parent folders are created. */
export async function saveBody(body: ResponseBody, target: string, mode: SaveMode): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  // Replacing goes through a symlink to the file it names, as writing into it did, and keeps that file's permissions.
  const replaced = mode === 'overwrite' ? await existingFile(target) : undefined;
  const destination = replaced?.path ?? target;
  await removeOrphanedTemporaryFiles(destination);
  const temporary = temporaryPathFor(destination);
  try {
    await writeTemporary(body, temporary);
    if (mode === 'overwrite') {
      if (replaced !== undefined) await chmod(temporary, replaced.mode);
      await rename(temporary, destination);
      return target;
    }
    for (let attempt = 0; ; attempt += 1) {
      const candidate = attempt === 0 ? target : numberedName(target, attempt);
      // A hard link fails on an existing name, so two savers racing for one name cannot both win it.
      if (await linkIfAbsent(temporary, candidate)) return candidate;
    }
  } finally {
    // Gone after a rename; after a link, this removes the temp name and leaves the target.
    await unlink(temporary).catch(() => undefined);
  }
}

/** `out/report.json` → `out/report-2.json`; `notes` → `notes-2`. */
export function numberedName(path: string, number: number): string {
  const { dir, name, ext } = parse(path);
  // A dot file like `.env` has no extension, only a name.
  return join(dir, `${name}-${number}${ext}`);
}

/** The file `target` names (through symlinks) and its permission bits, when it exists. */
async function existingFile(target: string): Promise<{ readonly path: string; readonly mode: number } | undefined> {
  try {
    const path = await realpath(target);
    return { path, mode: (await stat(path)).mode & 0o7777 };
  } catch {
    return undefined;
  }
}

/** Writes the whole body to `temporary` and flushes it to disk. */
async function writeTemporary(body: ResponseBody, temporary: string): Promise<void> {
  if (body.file !== undefined) {
    // Copied by the OS (copy_file_range where it can), never read into this process.
    await copyFile(body.file, temporary, constants.COPYFILE_EXCL);
    const handle = await open(temporary, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return;
  }
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(body.prefix);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Gives `temporary`'s content the name `target` unless `target` exists; false when it does. */
async function linkIfAbsent(temporary: string, target: string): Promise<boolean> {
  try {
    await link(temporary, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links (FAT, some network shares): an exclusive copy keeps the name safe.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  try {
    await copyFile(temporary, target, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

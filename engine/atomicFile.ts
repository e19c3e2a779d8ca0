// Replacing a file so that a reader, or the next start after a crash, sees either the old
// content or the new, never half of it: write a temp file beside it, flush it to disk, rename.
// The cookie jar and the history both keep state this way.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';

/** Replaces `file` with `text` atomically, readable by its owner only; on failure the old file is untouched and no temp file is left. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  // pid and random bytes keep two windows (or two saves) from sharing a temp file.
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

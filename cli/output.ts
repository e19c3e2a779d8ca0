// Saving response bodies to files (`>> file`, `>>! file`, `--output`). Bodies are
// copied from the engine's temp file by the OS or written from the in-memory
// prefix: a body is never assembled in memory here.

import { constants } from 'node:fs';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, parse, resolve, sep } from 'node:path';
import type { Exchange, ResponseBody } from '../engine/model';

/** `new-name` (`>>`) picks `name-1.ext` when the file exists; `overwrite` (`>>!`, `--output`) replaces it. */
export type SaveMode = 'new-name' | 'overwrite';

/** Saves `body` to `target` and returns the path written. Parent folders are created. */
export async function saveBody(body: ResponseBody, target: string, mode: SaveMode): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  if (mode === 'overwrite') {
    await writeOnce(body, target, false);
    return target;
  }
  for (let attempt = 0; ; attempt += 1) {
    const candidate = attempt === 0 ? target : numberedName(target, attempt);
    // Exclusive creation, so two savers racing for one name cannot both win it.
    if (await writeOnce(body, candidate, true)) return candidate;
  }
}

/** `out/report.json` → `out/report-2.json`; `notes` → `notes-2`. */
export function numberedName(path: string, number: number): string {
  const { dir, name, ext } = parse(path);
  // A dot file like `.env` has no extension, only a name.
  return join(dir, `${name}-${number}${ext}`);
}

/** Writes the body; with `exclusive`, returns false instead of replacing an existing file. */
async function writeOnce(body: ResponseBody, target: string, exclusive: boolean): Promise<boolean> {
  try {
    if (body.file !== undefined) {
      await copyFile(body.file, target, exclusive ? constants.COPYFILE_EXCL : 0);
    } else {
      await writeFile(target, body.prefix, { flag: exclusive ? 'wx' : 'w' });
    }
    return true;
  } catch (error) {
    if (exclusive && (error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Where `--output` puts each body. A path ending in a separator, or an existing
 * folder, gets one file per request named after it; any other path gets every
 * body in turn, so it ends with the last one.
 */
export class OutputTarget {
  private readonly used = new Set<string>();

  private constructor(
    private readonly path: string,
    private readonly isFolder: boolean,
  ) {}

  /** `written` is the path as the user gave it (its trailing separator matters), resolved against `cwd`. */
  static async for(written: string, cwd: string): Promise<OutputTarget> {
    const path = resolve(cwd, written);
    const endsWithSeparator = written.endsWith('/') || written.endsWith(sep);
    const isFolder = endsWithSeparator || (await stat(path).then((info) => info.isDirectory(), () => false));
    return new OutputTarget(path, isFolder);
  }

  /** The file for this exchange's body. */
  async fileFor(exchange: Exchange, body: ResponseBody): Promise<string> {
    if (!this.isFolder) return this.path;
    const base = fileNameFor(exchange);
    const extension = await extensionFor(body.contentType);
    let candidate = join(this.path, `${base}${extension}`);
    // Two requests with one name in one run keep both bodies.
    for (let number = 1; this.used.has(candidate); number += 1) candidate = join(this.path, `${base}-${number}${extension}`);
    this.used.add(candidate);
    return candidate;
  }
}

/** The request's name, else `get-line-12`, made safe for any file system. */
function fileNameFor({ origin, request }: Exchange): string {
  const base = origin.name ?? `${request.method.toLowerCase()}-line-${origin.line}`;
  return base.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_');
}

/** `.json` for `application/json; charset=utf-8`; `''` when unknown. */
async function extensionFor(contentType: string | undefined): Promise<string> {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined || type === '') return '';
  // mime-db is large; only runs that save into a folder pay for loading it.
  const { default: database } = await import('mime-db');
  const extension = database[type]?.extensions?.[0];
  return extension === undefined ? '' : `.${extension}`;
}

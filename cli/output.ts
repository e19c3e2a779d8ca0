// Where response bodies are saved (`>> file`, `>>! file`, `--output`): the writing itself is
// `engine/bodySaver.ts`, shared with the extension; this file names `--output` targets.

import { stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Exchange, ResponseBody } from '../engine/model';

// One saver for the CLI and the extension alike (atomic; `>>` keeps an existing file).
export { numberedName, saveBody, type SaveMode } from '../engine/bodySaver';

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

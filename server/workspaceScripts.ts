// The globals scripts set across the workspace: `client.global.set("name", ...)` in any `.http`
// file makes `{{name}}` defined in the others (a run carries globals from file to file). The
// workspace's `.http` and `.rest` files are read once, in the background, then again one by one
// as the editor says they changed; only files whose text sets a global are parsed.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScriptGlobal } from '../language/context';
import { parse } from '../language/parser';
import { offsetToPosition } from '../language/positions';
import { documentScripts } from '../language/scripts';
import type { ReadText } from './environmentFiles';

/** Lists the `.http` and `.rest` files under the workspace roots, as paths. */
export type ListHttpFiles = (roots: readonly string[]) => Promise<string[]>;

/** Folders never searched: dependencies, build output and version control hold no one's requests. */
const skippedFolders = new Set(['node_modules', 'dist', 'out', 'build', 'target']);
/** A workspace larger than this is not searched further: the scan must stay a background chore. */
const maxFiles = 5000;

/** Every `.http` / `.rest` file under `roots`, skipping hidden and dependency folders, at most `maxFiles`. */
export async function listHttpFilesOnDisk(roots: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const folders = [...roots];
  for (let folder = folders.shift(); folder !== undefined && found.length < maxFiles; folder = folders.shift()) {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue; // gone, or not readable: nothing to learn there
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) folders.push(join(folder, entry.name));
      } else if (entry.isFile() && /\.(http|rest)$/i.test(entry.name)) {
        found.push(join(folder, entry.name));
      }
    }
  }
  return found.slice(0, maxFiles);
}

/** The globals `text`'s scripts set with a literal name, each with its line; parsed only when the text may set one. */
export function globalsSetIn(uri: string, text: string): ScriptGlobal[] {
  if (!text.includes('client.global')) return [];
  const document = parse(text);
  return documentScripts(document)
    .sets.filter((set) => set.kind === 'global')
    .map((set) => ({ name: set.name, uri, line: offsetToPosition(document, set.start).line }));
}

/** The workspace's script globals by file, with the view each document has of the others'. */
export class WorkspaceScripts {
  private readonly byFile = new Map<string, readonly ScriptGlobal[]>();
  /** Bumped when a name appears or goes away: views made before are stale. */
  private generation = 0;
  private readonly views = new Map<string, { readonly generation: number; readonly globals: ReadonlyMap<string, ScriptGlobal> | undefined }>();

  constructor(
    private readonly readText: ReadText,
    private readonly listFiles: ListHttpFiles = listHttpFilesOnDisk,
  ) {}

  /**
   * Reads every `.http` file under `roots`, yielding to the event loop between files so requests
   * are answered meanwhile; whether any global was found.
   */
  async scan(roots: readonly string[]): Promise<boolean> {
    const paths = await this.listFiles(roots);
    let changed = false;
    for (const path of paths) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.update(pathToFileURL(path).href, this.readText(path))) changed = true;
    }
    return changed;
  }

  /** File `uri` now reads `text` (undefined: deleted); whether the names it sets changed. */
  update(uri: string, text: string | undefined): boolean {
    const globals = text === undefined ? [] : globalsSetIn(uri, text);
    const before = this.byFile.get(uri) ?? [];
    if (globals.length === 0) this.byFile.delete(uri);
    else this.byFile.set(uri, globals);
    const same = before.length === globals.length && before.every((global, index) => global.name === globals[index].name && global.line === globals[index].line);
    if (!same) this.generation++;
    return !same;
  }

  /** The globals of every file but `uri` (whose own scripts the language service reads from its text); the same object until they change. */
  forDocument(uri: string): ReadonlyMap<string, ScriptGlobal> | undefined {
    const view = this.views.get(uri);
    if (view?.generation === this.generation) return view.globals;
    let globals: Map<string, ScriptGlobal> | undefined;
    for (const [file, sets] of this.byFile) {
      if (file === uri) continue;
      for (const global of sets) {
        globals ??= new Map();
        if (!globals.has(global.name)) globals.set(global.name, global);
      }
    }
    this.views.set(uri, { generation: this.generation, globals });
    return globals;
  }

  /** Forgets the view of a closed document. */
  forget(uri: string): void {
    this.views.delete(uri);
  }
}

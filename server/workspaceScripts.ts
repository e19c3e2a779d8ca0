// The globals scripts set across the workspace: `client.global.set("name", ...)` in any `.http`
// file, or in a script file one names (`> ./handler.js`, `< ./sign.js`), makes `{{name}}` defined
// in the others and in that file itself (a run carries globals from request to request and file
// to file). The workspace's `.http` and `.rest` files are read once, in the background, then again
// one by one as the editor says they changed; only files whose text may set a global or names a
// script file are parsed.

import { readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ScriptGlobal } from '../language/context';
import { parse } from '../language/parser';
import { lineAt, lineStarts, offsetToPosition } from '../language/positions';
import { documentScripts, scanScript } from '../language/scripts';
import type { HttpDocument } from '../language/syntax';
import { handlerContentEnd, handlerContentStart, handlerIsScript } from '../language/tableQueries';
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
  return inlineGlobals(uri, parse(text));
}

function inlineGlobals(uri: string, document: HttpDocument): ScriptGlobal[] {
  return documentScripts(document)
    .sets.filter((set) => set.kind === 'global')
    .map((set) => ({ name: set.name, uri, line: offsetToPosition(document, set.start).line }));
}

/** A `> path` or `< path` line: the file may name a script file. */
const namesScriptFile = /^[ \t]*[<>][ \t]+[^\s{]/m;

/** The globals of an `.http` file's inline scripts, and those of each script file it names, by the file they are in. */
function globalsByFile(uri: string, text: string, readText: ReadText): Map<string, ScriptGlobal[]> {
  const found = new Map<string, ScriptGlobal[]>();
  const setsGlobals = text.includes('client.global');
  if (!setsGlobals && !namesScriptFile.test(text)) return found;
  const document = parse(text);
  if (setsGlobals) found.set(uri, inlineGlobals(uri, document));
  if (!uri.startsWith('file:')) return found;
  const folder = dirname(fileURLToPath(uri));
  const { tables } = document;
  for (let handler = 0; handler < tables.handlers.count; handler++) {
    if (handlerIsScript(tables, handler)) continue;
    const written = text.slice(handlerContentStart(tables, handler), handlerContentEnd(tables, handler)).trim();
    // A path made of references is known only when sent; `< body.json` below a request line is a body, not a handler row.
    if (written.includes('{{')) continue;
    const path = isAbsolute(written) ? written : join(folder, written);
    const scriptUri = pathToFileURL(path).href;
    if (found.has(scriptUri)) continue;
    found.set(scriptUri, scriptFileGlobals(scriptUri, readText(path)));
  }
  return found;
}

/** The globals a handler or pre-request script file sets with a literal name. */
function scriptFileGlobals(scriptUri: string, script: string | undefined): ScriptGlobal[] {
  if (script === undefined || !script.includes('client.global')) return [];
  const globals: ScriptGlobal[] = [];
  const starts = lineStarts(script);
  for (const call of scanScript(script).calls) {
    if (call.kind === 'global' && call.name !== undefined) globals.push({ name: call.name, uri: scriptUri, line: lineAt(starts, call.start) });
  }
  return globals;
}


/** The workspace's script globals by file, with the view each document has of the others'. */
export class WorkspaceScripts {
  private readonly byFile = new Map<string, readonly ScriptGlobal[]>();
  /** Script files some `.http` file names, read or not: a change to one of them is read again. */
  private readonly scriptFiles = new Set<string>();
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

  /**
   * File `uri` now reads `text` (undefined: deleted); whether the names it or the script files it
   * names set changed. A script file is read again whenever an `.http` file naming it is.
   */
  update(uri: string, text: string | undefined): boolean {
    const found = text === undefined ? new Map<string, ScriptGlobal[]>() : globalsByFile(uri, text, this.readText);
    if (!found.has(uri)) found.set(uri, []);
    for (const file of found.keys()) if (file !== uri) this.scriptFiles.add(file);
    return this.replace(found);
  }

  /**
   * Script file `uri` (a `.js` file) now reads `text` (undefined: deleted): its globals are read
   * again when an `.http` file names it, so an edit counts once saved; false for any other file.
   */
  updateScriptFile(uri: string, text: string | undefined): boolean {
    if (!this.scriptFiles.has(uri)) return false;
    return this.replace(new Map([[uri, scriptFileGlobals(uri, text)]]));
  }

  private replace(found: ReadonlyMap<string, readonly ScriptGlobal[]>): boolean {
    let changed = false;
    for (const [file, globals] of found) {
      const before = this.byFile.get(file) ?? [];
      if (globals.length === 0) this.byFile.delete(file);
      else this.byFile.set(file, globals);
      if (before.length !== globals.length || before.some((global, index) => global.name !== globals[index].name || global.line !== globals[index].line)) changed = true;
    }
    if (changed) this.generation++;
    return changed;
  }

  /**
   * The globals of every file but `uri` (whose inline scripts the language service reads from its
   * text), script files it names included; the same object until they change.
   */
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

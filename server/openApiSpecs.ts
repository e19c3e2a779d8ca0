// The workspace's OpenAPI specs for the language service: found by name (`openapi.*`,
// `swagger.*`, `*.openapi.*`, JSON or YAML) and by `courier.openapi.specs` (paths or globs
// relative to a workspace folder), loaded one at a time off the message loop (a worker thread in
// the bundled server, see engine/openapi/specWorkerLoader.ts), loaded again when they or a file
// beside them changes. A spec that cannot be read is a diagnostic on its file, never a crash.

import { readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { OpenApiSpec } from '../language/openapi/specModel';

/** Loads one spec; rejects with an error carrying `file`, `line` and `message` (engine/openapi's OpenApiSpecError). */
export type LoadSpec = (file: string) => Promise<OpenApiSpec>;

/** What a spec that cannot be read says, for its diagnostic. */
export interface SpecProblem {
  readonly file: string;
  /** 1-based. */
  readonly line: number | undefined;
  readonly message: string;
}

/** A spec file's name, when it says what it is. */
const specName = /^(?:(?:openapi|swagger)|.+\.openapi)\.(?:json|ya?ml)$/i;
/** Files a `$ref` of a spec may name, watched to load the spec again. */
export const specLikeFile = /\.(?:json|ya?ml)$/i;
const skippedFolders = new Set(['node_modules', 'dist', 'out', 'build', 'target']);
/** Files looked at in a workspace before the search gives up: it is a background chore. */
const maxFilesSeen = 20_000;

export class OpenApiSpecs {
  private loaded = new Map<string, OpenApiSpec>();
  private list: readonly OpenApiSpec[] = [];
  private files: readonly string[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly load: LoadSpec,
    /** Called when the list of loaded specs changed (diagnostics of `.http` files are then stale). */
    private readonly onChange: () => void,
    /** Called with a spec file's problem, or undefined once it reads. */
    private readonly publishProblem: (file: string, problem: SpecProblem | undefined) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Publishing one file's problem never stops the others from loading. */
  private publish(file: string, problem: SpecProblem | undefined): void {
    try {
      this.publishProblem(file, problem);
    } catch (error) {
      this.log(`Cannot publish the problem of ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The loaded specs, the same array until one changes. */
  specs(): readonly OpenApiSpec[] {
    return this.list;
  }

  /** Finds the specs under `roots` (by name and by the configured paths and globs) and loads those not loaded yet. */
  scan(roots: readonly string[], configured: readonly string[]): Promise<void> {
    return this.enqueue(async () => {
      const files = await findSpecFiles(roots, configured);
      const gone = [...this.loaded.keys()].filter((file) => !files.includes(file));
      for (const file of gone) this.loaded.delete(file);
      for (const file of this.files) if (!files.includes(file)) this.publish(file, undefined);
      this.files = files;
      if (gone.length > 0) this.update();
      for (const file of files) if (!this.loaded.has(file)) await this.loadOne(file);
    });
  }

  /** A file changed on disk: a spec is loaded again when it is the file or the file is in its folder (a `$ref` may name it). */
  changed(file: string): Promise<void> {
    const affected = this.files.filter((spec) => spec === file || file.startsWith(dirname(spec) + sep));
    if (affected.length === 0) return Promise.resolve();
    return this.enqueue(async () => {
      for (const spec of affected) await this.loadOne(spec);
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch((error: unknown) => this.log(`OpenAPI specs: ${error instanceof Error ? error.message : String(error)}`));
    return this.queue;
  }

  private async loadOne(file: string): Promise<void> {
    const started = performance.now();
    try {
      const spec = await this.load(file);
      this.loaded.set(file, spec);
      this.publish(file, undefined);
      this.log(`OpenAPI spec ${file}: ${spec.operations.length} operations, read in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      const problem = error as Partial<SpecProblem>;
      this.loaded.delete(file);
      this.publish(file, { file: problem.file ?? file, line: problem.line, message: problem.message ?? String(error) });
    }
    this.update();
  }

  private update(): void {
    // In the order of the files found, so a document's spec does not depend on which loaded first.
    this.list = this.files.map((file) => this.loaded.get(file)).filter((spec): spec is OpenApiSpec => spec !== undefined);
    this.onChange();
  }
}

/** A glob of `courier.openapi.specs` (`*`, `**`, `?`) as a pattern over paths relative to a root, with `/`. */
function globPattern(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, process.platform === 'win32' ? 'i' : '');
}

/** The spec files under `roots`: by name, and by the configured paths and globs, each once, in that order. */
export async function findSpecFiles(roots: readonly string[], configured: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const add = (file: string): void => {
    if (!found.includes(file)) found.push(file);
  };
  const globs = configured.filter((entry) => /[*?]/.test(entry)).map((entry) => globPattern(entry.replace(/\\/g, '/').replace(/^\.\//, '')));
  for (const root of roots) {
    for (const entry of configured) if (!/[*?]/.test(entry)) add(isAbsolute(entry) ? entry : join(root, entry));
    let seen = 0;
    const folders = [root];
    for (let folder = folders.shift(); folder !== undefined && seen < maxFilesSeen; folder = folders.shift()) {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        seen++;
        if (entry.name.startsWith('.')) continue;
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (!skippedFolders.has(entry.name)) folders.push(path);
        } else if (entry.isFile() && specLikeFile.test(entry.name)) {
          const relativePath = relative(root, path).split(sep).join('/');
          if (specName.test(entry.name) || globs.some((glob) => glob.test(relativePath))) add(path);
        }
      }
    }
  }
  return found;
}

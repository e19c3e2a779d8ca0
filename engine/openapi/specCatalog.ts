// The OpenAPI specs a run validates responses against, loaded once and again only when their
// file changes: the ones named (`--openapi FILE`, `courier.openapi.specs`), which apply to every
// request, or else those found near each `.http` file (`language/openapi/specFiles.ts`: the
// nearest folder up to the workspace root with a file named like a spec). A spec that cannot be
// read is said once through `warn` and left out; the run goes on without it.

import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { foldersUpFrom, isSpecFileName } from '../../language/openapi/specFiles';
import type { OpenApiSpec } from '../../language/openapi/specModel';
import type { OpenApiValidation } from './responseValidation';
import { loadOpenApiSpec, OpenApiSpecError } from './specLoader';

export interface SpecCatalogOptions {
  /**
   * Spec files named by the user (absolute, or relative to `root`): they apply to every `.http`
   * file, and nothing is searched for. A function is asked at each look-up (the editor's globs).
   */
  readonly files?: readonly string[] | (() => Promise<readonly string[]>);
  /** Whether to look for specs near each `.http` file when none is named. */
  readonly discover: boolean;
  /** Also look near each file when specs are named (the editor's `courier.openapi.specs` adds to what is found; the CLI's `--openapi` replaces it). */
  readonly discoverBesidesNamed?: boolean;
  /** The workspace root: relative names are read from it, and the search goes no higher. */
  readonly root?: string;
  /** Told once per spec that cannot be read, with the file, line and what is wrong. */
  readonly warn: (message: string) => void;
  /** JSON bodies larger than this are not validated. */
  readonly maxBodyBytes?: number;
}

interface Loaded {
  readonly modified: number;
  readonly spec: Promise<OpenApiSpec | undefined>;
}

export class SpecCatalog {
  private readonly loaded = new Map<string, Loaded>();
  private readonly named: readonly string[];

  constructor(private readonly options: SpecCatalogOptions) {
    this.named = typeof options.files === 'function' ? [] : (options.files ?? []).map((file) => this.absolute(file));
  }

  private absolute(file: string): string {
    return resolve(this.options.root ?? '.', file);
  }

  /** Reads every named spec now; throws `OpenApiSpecError` for the first that cannot be read (the CLI stops before sending). */
  async loadNamed(): Promise<readonly OpenApiSpec[]> {
    const specs: OpenApiSpec[] = [];
    for (const file of this.named) {
      this.loaded.delete(file);
      specs.push(await loadOpenApiSpec(file));
    }
    return specs;
  }

  /** The specs for requests of `httpFile`, read from disk when new or changed. */
  async specsFor(httpFile: string): Promise<readonly OpenApiSpec[]> {
    const listed = typeof this.options.files === 'function' ? (await this.options.files()).map((file) => this.absolute(file)) : this.named;
    const searched = this.options.discover && (listed.length === 0 || this.options.discoverBesidesNamed === true) ? await this.discover(httpFile) : [];
    const files = [...new Set([...listed, ...searched])];
    const specs: OpenApiSpec[] = [];
    for (const file of files) {
      const spec = await this.spec(file);
      if (spec !== undefined) specs.push(spec);
    }
    return specs;
  }

  /** What the runner needs (`RunSettings.openapi`). */
  validation(): OpenApiValidation {
    return { specsFor: (httpFile) => this.specsFor(httpFile), ...(this.options.maxBodyBytes === undefined ? {} : { maxBodyBytes: this.options.maxBodyBytes }) };
  }

  private async discover(httpFile: string): Promise<string[]> {
    for (const folder of foldersUpFrom(resolve(httpFile), this.options.root === undefined ? undefined : resolve(this.options.root))) {
      let names: string[];
      try {
        names = await readdir(folder);
      } catch {
        continue;
      }
      const found = names.filter(isSpecFileName).sort();
      if (found.length > 0) return found.map((name) => join(folder, name));
    }
    return [];
  }

  private async spec(file: string): Promise<OpenApiSpec | undefined> {
    let modified: number;
    try {
      modified = (await stat(file)).mtimeMs;
    } catch (error) {
      const known = this.loaded.get(file);
      if (known === undefined || known.modified !== -1) {
        this.loaded.set(file, { modified: -1, spec: Promise.resolve(undefined) });
        this.options.warn(`${file}: cannot read the OpenAPI spec (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}); responses are not checked against it`);
      }
      return undefined;
    }
    const known = this.loaded.get(file);
    if (known !== undefined && known.modified === modified) return known.spec;
    const spec = loadOpenApiSpec(file).catch((error: unknown) => {
      const described = error instanceof OpenApiSpecError ? error.describe() : `${file}: ${error instanceof Error ? error.message : String(error)}`;
      this.options.warn(`${described} (responses are not checked against this spec until it is fixed)`);
      return undefined;
    });
    this.loaded.set(file, { modified, spec });
    return spec;
  }
}

// Finds, reads and caches the env files a document sees, and turns them into the environment
// snapshot the language service consumes. The search follows the engine's rule (the nearest
// folder with an env file, from the document's folder up to the workspace root), so the editor
// and `courier run` agree on what is defined.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Range } from 'vscode-languageserver';
import { environmentFileNames, environmentSearchFolders } from '../engine/environments';
import { Code } from '../language/codes';
import type { EnvironmentSnapshot } from '../language/context';
import { buildEnvironmentSnapshot, parseEnvironmentFile, type EnvironmentFile, type EnvironmentFileProblem } from '../language/environments';
import { lineStarts, lineAt } from '../language/positions';
import type { Span } from '../language/syntax';

/** Reads a file's text; undefined when it does not exist or cannot be read. */
export type ReadText = (path: string) => string | undefined;

/** Reads a file as UTF-8; undefined when it does not exist or cannot be read. */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

interface LoadedFile {
  readonly file: EnvironmentFile;
  readonly text: string;
  readonly lineStarts: Uint32Array;
}

/** What a document sees: the snapshot for its active environment and the files it came from. */
export interface DocumentEnvironments {
  readonly snapshot: EnvironmentSnapshot;
  readonly files: readonly EnvironmentFile[];
}

/** Env files by folder, parsed once until `invalidate()`; snapshots are reused so caches keyed on them hold. */
export class EnvironmentFiles {
  private readonly loaded = new Map<string, LoadedFile | null>();
  private readonly snapshots = new Map<string, DocumentEnvironments>();

  constructor(
    /** Called when a file is (re)parsed, to publish its problems. */
    private readonly onParsed: (file: EnvironmentFile) => void = () => undefined,
    private readonly readText: ReadText = readTextIfExists,
  ) {}

  /** The environments visible from `documentUri` with `active` chosen; none for documents not on disk. */
  forDocument(documentUri: string, workspaceRoots: readonly string[], active: string | undefined): DocumentEnvironments {
    const files = this.filesFor(documentUri, workspaceRoots);
    const key = `${files.map((file) => file.uri).join('\n')}\n${active ?? ''}`;
    let environments = this.snapshots.get(key);
    if (environments === undefined) {
      environments = { snapshot: buildEnvironmentSnapshot(files, active), files };
      this.snapshots.set(key, environments);
    }
    return environments;
  }

  /** Forgets everything read, after an env file changed on disk. */
  invalidate(): void {
    this.loaded.clear();
    this.snapshots.clear();
  }

  /** The range of `span` in an env file read earlier; undefined for a file never read. */
  locate(uri: string, span: Span): Range | undefined {
    const loaded = this.loaded.get(uri);
    if (loaded === undefined || loaded === null) return undefined;
    const position = (offset: number) => {
      const line = lineAt(loaded.lineStarts, offset);
      return { line, character: offset - (loaded.lineStarts[line] ?? 0) };
    };
    return Range.create(position(span.start), position(span.end));
  }

  private filesFor(documentUri: string, workspaceRoots: readonly string[]): EnvironmentFile[] {
    if (!documentUri.startsWith('file:')) return [];
    const path = fileURLToPath(documentUri);
    const root = workspaceRoots.find((candidate) => path.startsWith(candidate));
    for (const folder of environmentSearchFolders(path, root)) {
      const found: EnvironmentFile[] = [];
      for (const name of environmentFileNames) {
        const file = this.load(join(folder, name));
        if (file !== undefined) found.push(file);
      }
      if (found.length > 0) return found;
    }
    return [];
  }

  private load(path: string): EnvironmentFile | undefined {
    const uri = pathToFileURL(path).href;
    const cached = this.loaded.get(uri);
    if (cached !== undefined) return cached?.file;
    const text = this.readText(path);
    if (text === undefined) {
      this.loaded.set(uri, null);
      return undefined;
    }
    const parsed = parseEnvironmentFile({ uri, text });
    const missing = missingCertificateProblems(parsed, path, this.readText);
    const file = missing.length === 0 ? parsed : { ...parsed, problems: [...parsed.problems, ...missing] };
    this.loaded.set(uri, { file, text, lineStarts: lineStarts(text) });
    this.onParsed(file);
    return file;
  }
}

/** A warning for each `SSLConfiguration` certificate or key file that cannot be read, resolved from the env file's folder as the engine resolves it. */
export function missingCertificateProblems(file: EnvironmentFile, path: string, readText: ReadText): EnvironmentFileProblem[] {
  const problems: EnvironmentFileProblem[] = [];
  for (const environment of file.environments) {
    const configuration = environment.sslConfiguration;
    if (configuration === undefined) continue;
    for (const key of ['clientCertificate', 'clientCertificateKey'] as const) {
      const reference = configuration[key];
      if (reference === undefined) continue;
      const resolved = resolve(dirname(path), reference.path);
      if (readText(resolved) !== undefined) continue;
      problems.push({
        start: reference.span.start,
        end: reference.span.end,
        code: Code.SslCertificateMissing,
        severity: 'warning',
        message: `The ${key === 'clientCertificate' ? 'client certificate' : 'client certificate key'} ${resolved} does not exist or cannot be read: requests of environment "${environment.name}" fail until it does.`,
      });
    }
  }
  return problems;
}

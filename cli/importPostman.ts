// `courier import postman COLLECTION.json [--out DIR] [--environment ENV.json] [--force]`: converts
// a Postman collection with the engine's importer and writes its files, each atomically. Nothing is
// written when a file would replace an existing one (unless --force), so a second import cannot
// clobber edits made since the first. Its own bundle (see esbuild.mjs): Postman's library is about
// 2 MB, which `courier --help` and `courier run` never load.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomically } from '../engine/atomicFile';
import { importPostmanCollection, PostmanImportError, type PostmanImport } from '../engine/importers/postman';
import { safeFileStem } from '../engine/importers/postmanNames';
import { importPostmanHelp } from './usage';
import { ExitCode } from './verdict';

export interface ImportIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
}

/** Bad arguments or input: the message names the file and says what to do; the CLI exits with 2. */
class ImportFailure extends Error {}

interface ImportOptions {
  readonly collection: string;
  readonly environment: string | undefined;
  readonly out: string | undefined;
  readonly force: boolean;
}

/** Runs the command on its arguments (after `import postman`); resolves to the exit code. */
export async function importPostman(args: readonly string[], io: ImportIo): Promise<number> {
  try {
    const options = optionsFrom(args);
    if (options === 'help') {
      io.stdout.write(importPostmanHelp);
      return ExitCode.Success;
    }
    const collection = await readJson(resolve(io.cwd, options.collection), options.collection);
    const environment = options.environment === undefined ? undefined : await readJson(resolve(io.cwd, options.environment), options.environment);
    let converted: PostmanImport;
    try {
      converted = importPostmanCollection(collection, { environment });
    } catch (error) {
      if (!(error instanceof PostmanImportError)) throw error;
      const file = error.message.startsWith('the environment file') ? options.environment : options.collection;
      throw new ImportFailure(`${file ?? options.collection}: ${error.message}`);
    }
    const outFolder = resolve(io.cwd, options.out ?? safeFileStem(converted.collectionName, 'postman'));
    const targets = converted.files.map((file) => ({ path: join(outFolder, ...file.path.split('/')), text: file.text }));
    const existing = targets.filter((target) => existsSync(target.path)).map((target) => shown(io.cwd, target.path));
    if (existing.length > 0 && !options.force) {
      throw new ImportFailure(`nothing was written: ${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}; pass --force to replace, or --out another folder`);
    }
    for (const target of targets) {
      await mkdir(dirname(target.path), { recursive: true });
      await writeFileAtomically(target.path, target.text);
    }
    report(converted, targets.map((target) => shown(io.cwd, target.path)), shown(io.cwd, outFolder), io);
    return ExitCode.Success;
  } catch (error) {
    if (!(error instanceof ImportFailure)) throw error;
    io.stderr.write(`courier: ${error.message}\n`);
    return ExitCode.Usage;
  }
}

function optionsFrom(args: readonly string[]): ImportOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { out: { type: 'string', short: 'o' }, environment: { type: 'string', short: 'e' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const option = /'(-[^' ]*)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new ImportFailure(`${option === undefined ? 'bad arguments' : `unknown or incomplete option ${option}`} (see \`courier import postman --help\`)`);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return 'help';
  if (positionals.length !== 1) {
    throw new ImportFailure(positionals.length === 0 ? '`courier import postman` needs a collection file, e.g. `courier import postman api.postman_collection.json`' : `one collection at a time, not ${positionals.length} files`);
  }
  for (const [flag, value] of [['--out', values.out], ['--environment', values.environment]] as const) {
    if (value !== undefined && value.trim() === '') throw new ImportFailure(`${flag} needs a value`);
  }
  return { collection: positionals[0], environment: values.environment, out: values.out, force: values.force === true };
}

async function readJson(path: string, shownPath: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ImportFailure(`cannot read ${shownPath}: ${reason}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new ImportFailure(`${shownPath} is not JSON (${(error as Error).message}); export the collection from Postman as Collection v2.1`);
  }
}

/** A path as the user would type it from where they are. */
function shown(cwd: string, path: string): string {
  const relativePath = relative(cwd, path);
  return relativePath === '' ? '.' : relativePath.startsWith('..') ? path : relativePath;
}

function report(converted: PostmanImport, written: readonly string[], outFolder: string, io: ImportIo): void {
  io.stdout.write(`Imported "${converted.collectionName}" into ${outFolder}:\n${written.map((path) => `  ${path}\n`).join('')}`);
  io.stdout.write(`Run it with: courier run <file.http> --env ${/^[\w.-]+$/.test(converted.environmentName) ? converted.environmentName : JSON.stringify(converted.environmentName)}\n`);
  if (converted.notes.length === 0) return;
  io.stderr.write(`courier: ${converted.notes.length === 1 ? 'a note' : `${converted.notes.length} notes`} on the import (what was not converted is also a comment where it was):\n`);
  for (const note of converted.notes) io.stderr.write(`  ${note.where}: ${note.message}\n`);
}

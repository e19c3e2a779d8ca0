// `courier import openapi SPEC [--out DIR]`: `.http` files with a request per operation of an
// OpenAPI 3.0/3.1 or Swagger 2.0 spec (one file per tag) and an env file with its servers, written
// by the engine's importer, each file atomically. Importing again into the same folder keeps what
// is there: operations already written (found by their marker or name) are left alone, new ones
// are appended, environments only added. Its own bundle (see esbuild.mjs): the spec parser is
// read only by this command and `courier run`.
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importOpenApiInto, type WrittenImport } from '../engine/importers/openapiFiles';
import { OpenApiSpecError } from '../engine/openapi/specLoader';
import { importOpenApiHelp } from './usage';
import { ExitCode } from './verdict';

export interface ImportIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
}

/** Bad arguments or input: the message names the file and says what to do; the CLI exits with 2. */
class ImportFailure extends Error {}

/** Runs the command on its arguments (after `import openapi`); resolves to the exit code. */
export async function importOpenApiCommand(args: readonly string[], io: ImportIo): Promise<number> {
  try {
    const options = optionsFrom(args);
    if (options === 'help') {
      io.stdout.write(importOpenApiHelp);
      return ExitCode.Success;
    }
    const specPath = resolve(io.cwd, options.spec);
    const outFolder = resolve(io.cwd, options.out ?? '.');
    let result: WrittenImport;
    try {
      result = await importOpenApiInto(specPath, outFolder);
    } catch (error) {
      if (error instanceof OpenApiSpecError) throw new ImportFailure(`${shown(io.cwd, error.file)}${error.line === undefined ? '' : `:${error.line}`}: ${error.message}`);
      throw error;
    }
    const { imported, written } = result;
    const lines = written.map((file) => `  ${shown(io.cwd, file.absolutePath)} (${file.change === 'new' ? 'new' : `added ${file.added.join(', ')}`})\n`);
    io.stdout.write(lines.length === 0 ? `Nothing to add: every operation of ${basename(specPath)} is in ${shown(io.cwd, outFolder)} already.\n` : `Imported "${imported.title}" into ${shown(io.cwd, outFolder)}:\n${lines.join('')}`);
    const firstFile = imported.files.find((file) => file.path.endsWith('.http'));
    if (firstFile !== undefined && written.length > 0) io.stdout.write(`Run it with: courier run ${shown(io.cwd, join(outFolder, firstFile.path))} --env ${imported.environmentName} --openapi ${shown(io.cwd, specPath)}\n`);
    for (const note of imported.notes) io.stderr.write(`courier: note: ${note}\n`);
    return ExitCode.Success;
  } catch (error) {
    if (!(error instanceof ImportFailure)) throw error;
    io.stderr.write(`courier: ${error.message}\n`);
    return ExitCode.Usage;
  }
}

function optionsFrom(args: readonly string[]): { readonly spec: string; readonly out: string | undefined } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const option = /'(-[^' ]*)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new ImportFailure(`${option === undefined ? 'bad arguments' : `unknown or incomplete option ${option}`} (see \`courier import openapi --help\`)`);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return 'help';
  if (positionals.length !== 1) throw new ImportFailure(positionals.length === 0 ? '`courier import openapi` needs a spec file, e.g. `courier import openapi openapi.yaml`' : `one spec at a time, not ${positionals.length} files`);
  if (values.out !== undefined && values.out.trim() === '') throw new ImportFailure('--out needs a folder');
  return { spec: positionals[0] ?? '', out: values.out };
}

/** A path as the user would type it from where they are. */
function shown(cwd: string, path: string): string {
  const relativePath = relative(cwd, path);
  return relativePath === '' ? '.' : relativePath.startsWith('..') ? path : relativePath;
}

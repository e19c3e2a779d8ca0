// Importing an OpenAPI spec into a folder, for the CLI and the editor alike: the spec is loaded,
// the files already in the folder are read and handed to the pure importer (`openapi.ts`), and
// what it adds is written, each file atomically. Files it has nothing to add to are not touched.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../atomicFile';
import { loadOpenApiSpec } from '../openapi/specLoader';
import { importOpenApi, type OpenApiImport, type OpenApiImportedFile } from './openapi';

export interface WrittenImport {
  readonly imported: OpenApiImport;
  /** The files written (new or added to), with their absolute paths. */
  readonly written: readonly (OpenApiImportedFile & { readonly absolutePath: string })[];
}

/** Imports the spec at `specPath` into `outFolder`; throws `OpenApiSpecError` for a spec that cannot be read. */
export async function importOpenApiInto(specPath: string, outFolder: string): Promise<WrittenImport> {
  const spec = await loadOpenApiSpec(specPath);
  const existing = new Map<string, string>();
  for (const file of importOpenApi(spec).files) {
    const path = join(outFolder, file.path);
    if (existsSync(path)) existing.set(file.path, await readFile(path, 'utf8'));
  }
  const imported = importOpenApi(spec, { existing: (path) => existing.get(path) });
  const written: (OpenApiImportedFile & { absolutePath: string })[] = [];
  for (const file of imported.files) {
    if (file.change === 'unchanged') continue;
    const absolutePath = join(outFolder, file.path);
    await mkdir(dirname(absolutePath), { recursive: true });
    await writeFileAtomically(absolutePath, file.text, 'shared');
    written.push({ ...file, absolutePath });
  }
  return { imported, written };
}

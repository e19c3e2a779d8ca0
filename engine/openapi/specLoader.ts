// Loads an OpenAPI 3.0 / 3.1 or Swagger 2.0 description (JSON or YAML) into the model of
// `language/openapi/specModel.ts`: @readme/openapi-parser reads the file and resolves its `$ref`s,
// across files too (cycles stay cycles, so schemas are ready for ajv); `specFromDocument` reads
// the result. Anything wrong is an `OpenApiSpecError` naming the file, the line when there is one,
// and what to change. The text is read again with `yaml` only to find that line.

import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { dereference } from '@readme/openapi-parser';
import { parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { SpecDocumentProblem, specFromDocument, specVersionOf } from '../../language/openapi/specDocument';
import type { OpenApiSpec } from '../../language/openapi/specModel';

/** A spec that cannot be read: where (file, 1-based line when known) and what is wrong. */
export class OpenApiSpecError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, message: string) {
    super(message);
    this.name = 'OpenApiSpecError';
  }

  /** `file:line: message`, for the CLI and logs. */
  describe(): string {
    return `${this.file}${this.line !== undefined ? `:${this.line}` : ''}: ${this.message}`;
  }
}

/** Reads and resolves the spec at `file`; throws `OpenApiSpecError`. */
export async function loadOpenApiSpec(file: string): Promise<OpenApiSpec> {
  const path = isAbsolute(file) ? file : resolve(file);
  let document: unknown;
  try {
    document = await dereference(path, { dereference: { circular: true } });
  } catch (error) {
    throw await specErrorOf(path, error);
  }
  try {
    specVersionOf(document);
    return specFromDocument(path, document);
  } catch (error) {
    if (error instanceof SpecDocumentProblem) throw new OpenApiSpecError(path, await lineOfPath(path, error.path), error.message);
    throw error;
  }
}

interface LibraryError {
  readonly code?: unknown;
  readonly source?: unknown;
  readonly message?: unknown;
  readonly ioErrorCode?: unknown;
  readonly targetRef?: unknown;
}

async function specErrorOf(path: string, error: unknown): Promise<OpenApiSpecError> {
  const problem = (typeof error === 'object' && error !== null ? error : {}) as LibraryError;
  const message = typeof problem.message === 'string' ? problem.message : String(error);
  const source = typeof problem.source === 'string' && problem.source !== '' ? problem.source : path;
  switch (problem.code) {
    case 'ERESOLVER':
      return problem.ioErrorCode === 'ENOENT'
        ? new OpenApiSpecError(source, undefined, `Cannot read ${source}: no such file${source === path ? '' : ` (a $ref of ${path} names it)`}.`)
        : new OpenApiSpecError(source, undefined, `Cannot read ${source}: ${message}`);
    case 'EPARSER':
    case 'EUNMATCHEDPARSER': {
      const syntax = await syntaxProblem(source);
      return new OpenApiSpecError(source, syntax?.line, `Not valid JSON or YAML: ${syntax?.message ?? message}`);
    }
    case 'EMISSINGPOINTER':
    case 'EINVALIDPOINTER': {
      const ref = typeof problem.targetRef === 'string' ? problem.targetRef : undefined;
      return new OpenApiSpecError(path, ref ? await lineOfText(path, ref) : undefined, `${message.replace(/\.$/, '')}: point the $ref at a definition that exists.`);
    }
    default:
      // The library's own errors are sentences; anything else (a bug of ours) is said as it is.
      return new OpenApiSpecError(source, undefined, message);
  }
}

async function textOf(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The first YAML (or JSON) syntax error of a file, with its line. */
async function syntaxProblem(file: string): Promise<{ line: number; message: string } | undefined> {
  const text = await textOf(file);
  if (text === undefined) return undefined;
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const error = document.errors[0];
  if (!error) return undefined;
  return { line: error.linePos?.[0].line ?? lineAt(text, error.pos[0]), message: error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line where a text first appears (a `$ref`'s value), if it does. */
async function lineOfText(file: string, needle: string): Promise<number | undefined> {
  const text = await textOf(file);
  const at = text?.indexOf(needle) ?? -1;
  return text !== undefined && at >= 0 ? lineAt(text, at) : undefined;
}

/** The line of the value at a path of keys, or of the nearest parent that exists. */
async function lineOfPath(file: string, path: readonly (string | number)[]): Promise<number | undefined> {
  const text = await textOf(file);
  if (text === undefined) return undefined;
  const document = parseDocument(text, { uniqueKeys: false });
  let node: unknown = document.contents;
  let offset = (node as YamlNode | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = (node as YamlNode | undefined)?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineAt(text, offset);
}

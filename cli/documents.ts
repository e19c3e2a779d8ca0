// Reading and checking the `.http` files of a run before anything is sent: a file
// that cannot be read, a selection that matches nothing, or a syntax error in a
// request about to be sent stops the run with exit code 2 and a `file:line:column`.

import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { noSeverityOverrides, severityFor, type SeverityOverrides } from '../language/diagnosticSeverity';
import { parse } from '../language/parser';
import { findRequestAtLine, offsetToPosition } from '../language/positions';
import type { Block, HttpDocument, SyntaxProblem } from '../language/syntax';
import type { RequestSelection } from './arguments';

/** A file, problem or selection that makes the run impossible; the CLI exits with 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface HttpFile {
  readonly path: string;
  /** As shown in reports: relative to the current directory when inside it. */
  readonly display: string;
  readonly text: string;
  readonly document: HttpDocument;
}

/** A file with the selection that applies to it. */
export interface PlannedFile {
  readonly file: HttpFile;
  readonly selection: RequestSelection;
  /** Syntax errors outside the selected requests: shown, not fatal. */
  readonly warnings: readonly string[];
}

/** Reads and parses every file; throws `InputError` for one that cannot be read. */
export async function readHttpFiles(paths: readonly string[], cwd: string): Promise<HttpFile[]> {
  return Promise.all(paths.map((path) => readHttpFile(path, cwd)));
}

async function readHttpFile(path: string, cwd: string): Promise<HttpFile> {
  const absolute = resolve(cwd, path);
  const display = displayPath(absolute, cwd);
  const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === 'ENOENT' ? `${display}: no such file; check the path` : `${display}: cannot be read (${error.code ?? error.message})`);
  });
  if (info.isDirectory()) throw new InputError(`${display}: is a folder; pass the .http files in it, e.g. ${display}/*.http`);
  const text = await readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${display}: cannot be read (${error.code ?? error.message})`);
  });
  return { path: absolute, display, text, document: parse(text) };
}

/** `api/users.http` for a file under `cwd`, else the absolute path. */
export function displayPath(absolute: string, cwd: string): string {
  const inside = relative(cwd, absolute);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? absolute : inside;
}

/**
 * Decides what runs in each file and checks it can: every `--name` exists somewhere,
 * `--line` falls in a request, and no selected request's block has a syntax error (an error
 * under `severities`, the `--diagnostic-severity` levels by code).
 */
export function planRun(files: readonly HttpFile[], selection: RequestSelection, severities: SeverityOverrides = noSeverityOverrides): PlannedFile[] {
  if (selection.kind === 'names') {
    const known = new Set(files.flatMap((file) => requestNames(file.document)));
    const missing = selection.names.filter((name) => !known.has(name));
    if (missing.length > 0) {
      const available = [...known].join(', ') || 'none (name one with `# @name NAME`)';
      throw new InputError(`no request named ${missing.map((name) => `'${name}'`).join(', ')} in ${files.map((file) => file.display).join(', ')}; names: ${available}`);
    }
  }
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const fileSelection = selectionFor(file, selection);
    if (fileSelection === undefined) continue;
    const selectedBlocks = blocksOf(file.document, fileSelection);
    const fatal: string[] = [];
    const warnings: string[] = [];
    for (const problem of file.document.problems) {
      if (severityFor(problem.code, problem.severity, severities) !== 'error') continue;
      const inSelection = selectedBlocks.some((block) => overlaps(block, problem));
      (inSelection ? fatal : warnings).push(describeProblem(file, problem));
    }
    if (fatal.length > 0) throw new InputError(`${fatal.join('\n')}\nfix ${fatal.length === 1 ? 'this error' : 'these errors'} before sending`);
    planned.push({ file, selection: fileSelection, warnings });
  }
  return planned;
}

/** The selection narrowed to one file; undefined when nothing in it is selected. */
function selectionFor(file: HttpFile, selection: RequestSelection): RequestSelection | undefined {
  if (selection.kind === 'all') return file.document.requests.length > 0 ? selection : undefined;
  if (selection.kind === 'names') {
    const here = new Set(requestNames(file.document));
    const names = selection.names.filter((name) => here.has(name));
    return names.length > 0 ? { kind: 'names', names } : undefined;
  }
  if (findRequestAtLine(file.document, selection.line - 1) === undefined) {
    const lines = file.document.lineStarts.length;
    const where = selection.line > lines ? `the file has ${lines} lines` : 'it is not inside a request';
    throw new InputError(`${file.display}:${selection.line}: no request at line ${selection.line} (${where}); pass the line of a request, e.g. its request line`);
  }
  return selection;
}

function requestNames(document: HttpDocument): string[] {
  return document.requests.flatMap((request) => (request.name === undefined ? [] : [request.name.text]));
}

function blocksOf(document: HttpDocument, selection: RequestSelection): Block[] {
  if (selection.kind === 'all') return document.blocks.filter((block) => block.request !== undefined);
  if (selection.kind === 'names') return document.blocks.filter((block) => block.request?.name !== undefined && selection.names.includes(block.request.name.text));
  const request = findRequestAtLine(document, selection.line - 1);
  return document.blocks.filter((block) => block.request !== undefined && block.request === request);
}

function overlaps(block: Block, problem: SyntaxProblem): boolean {
  return problem.start < block.end && problem.end >= block.start;
}

/** `api.http:3:7: error: message [code]`, positions 1-based as editors and compilers print them. */
export function describeProblem(file: HttpFile, problem: SyntaxProblem): string {
  const position = offsetToPosition(file.document, problem.start);
  return `${file.display}:${position.line + 1}:${position.character + 1}: ${problem.severity}: ${problem.message} [${problem.code}]`;
}

// Finding and reading environment files for a `.http` file: `http-client.env.json`,
// `http-client.private.env.json` and Visual Studio's `http-client.env.json.user` (parsed by the
// pure `language/environments.ts`), and the `.env` file beside the `.http` file (parsed by `dotenv`).

import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { buildEnvironmentSnapshot, environmentSslConfiguration, inPrecedenceOrder, isPrivateEnvironmentFile, parseEnvironmentFile, sharedEnvironmentName, type EnvironmentFile } from '../language/environments';
import type { EnvironmentSslConfiguration } from '../language/sslConfiguration';
import type { EngineError } from './model';

export const publicEnvironmentFileName = 'http-client.env.json';
export const privateEnvironmentFileName = 'http-client.private.env.json';
/** Visual Studio's per-user file beside the env file: out of version control, its values win. */
export const userEnvironmentFileName = 'http-client.env.json.user';
/** The env files a folder may hold, in the order their values apply. */
export const environmentFileNames: readonly string[] = [publicEnvironmentFileName, privateEnvironmentFileName, userEnvironmentFileName];

/** The environment chosen for a run, as plain values. */
export interface LoadedEnvironment {
  /** Absolute paths of the env files read, public first. */
  readonly files: readonly string[];
  /** Environment names defined in those files, without `$shared`. */
  readonly names: readonly string[];
  /** The chosen environment's variables, `$shared` under it and private over public; only `$shared` when none is chosen. */
  readonly variables: ReadonlyMap<string, string>;
  /** Why the environment cannot be used (malformed file, unknown name); requests then fail with it. */
  readonly error: EngineError | undefined;
  /**
   * With no environment chosen: each variable that environments define and `$shared` does not,
   * with the environments defining it in file order, so "not defined" can say which to choose.
   */
  readonly definedInEnvironments?: ReadonlyMap<string, readonly string[]>;
  /** JetBrains' `SSLConfiguration` for the chosen environment (`$shared`'s under it), merged key by key; `uri`s are the env files' paths. */
  readonly ssl?: EnvironmentSslConfiguration;
}

/** Folders searched for env files: the `.http` file's folder, then its parents up to `searchRoot` (inclusive). */
export function environmentSearchFolders(httpFile: string, searchRoot: string | undefined): string[] {
  const start = dirname(resolve(httpFile));
  const folders = [start];
  if (searchRoot === undefined) return folders;
  const root = resolve(searchRoot);
  const inside = relative(root, start);
  if (inside.startsWith('..') || inside.startsWith(sep)) return folders;
  let folder = start;
  while (folder !== root) {
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
    folders.push(folder);
  }
  return folders;
}

/** The env files nearest to one `.http` file, read once: choosing an environment from them reads nothing more. */
export interface EnvironmentFiles {
  readonly httpFile: string;
  readonly searchRoot: string | undefined;
  /** The nearest folder's env files that exist, public first; empty when no folder has one. */
  readonly found: readonly { readonly path: string; readonly text: string }[];
  /** Why they could not be read; every choice then fails with it. */
  readonly readError: EngineError | undefined;
}

/** Reads the env files nearest to `httpFile` and picks `environment` from them. */
export function loadEnvironment(httpFile: string, environment: string | undefined, searchRoot?: string): LoadedEnvironment {
  return chooseEnvironment(readEnvironmentFiles(httpFile, searchRoot), environment);
}

/**
 * One send from the editor: `environment` as the env files define it, else (an environment only
 * `courier.environments` defines, or none) only their `$shared` variables, with the name the
 * runner should use (`fileEnvironment`). Each env file is read once: `files` when the caller read them already.
 */
export function loadEnvironmentForSend(
  httpFile: string,
  environment: string | undefined,
  searchRoot: string | undefined,
  files: EnvironmentFiles = readEnvironmentFiles(httpFile, searchRoot),
): { readonly files: EnvironmentFiles; readonly loaded: LoadedEnvironment; readonly fileEnvironment: string | undefined } {
  const chosen = chooseEnvironment(files, environment);
  if (environment === undefined || chosen.error === undefined) return { files, loaded: chosen, fileEnvironment: environment };
  return { files, loaded: chooseEnvironment(files, undefined), fileEnvironment: undefined };
}

/**
 * The values the private env files among `files` (JetBrains' private file, Visual Studio's user
 * file) give `environment` and `$shared`, without reading anything: what a user keeps out of
 * version control is what history must not keep either.
 */
export function privateEnvironmentValuesOf(files: EnvironmentFiles, environment: string | undefined): string[] {
  return files.found
    .filter(({ path }) => isPrivateEnvironmentFile(basename(path)))
    .flatMap(({ path, text }) => parseEnvironmentFile({ uri: path, text }).environments)
    .filter((candidate) => candidate.name === sharedEnvironmentName || candidate.name === environment)
    .flatMap((candidate) => candidate.variables.map((variable) => variable.value))
    .filter((value) => value !== '');
}

/** Reads the env files of the folder nearest to `httpFile` that has any (its own, then its parents up to `searchRoot`). */
export function readEnvironmentFiles(httpFile: string, searchRoot?: string): EnvironmentFiles {
  try {
    for (const folder of environmentSearchFolders(httpFile, searchRoot)) {
      const found: { path: string; text: string }[] = [];
      for (const name of environmentFileNames) {
        const path = join(folder, name);
        const text = readTextIfExists(path);
        if (text !== undefined) found.push({ path, text });
      }
      if (found.length > 0) return { httpFile, searchRoot, found, readError: undefined };
    }
    return { httpFile, searchRoot, found: [], readError: undefined };
  } catch (error) {
    return { httpFile, searchRoot, found: [], readError: cannotRead(httpFile, error) };
  }
}

/** Picks `environment` from env files already read; only `$shared` applies when it is undefined. */
export function chooseEnvironment(files: EnvironmentFiles, environment: string | undefined): LoadedEnvironment {
  const { httpFile, searchRoot, found, readError } = files;
  if (readError !== undefined) return { files: [], names: [], variables: new Map(), error: readError };
  if (found.length > 0) {
    try {
      return chooseFromFiles(found, environment);
    } catch (error) {
      return { files: [], names: [], variables: new Map(), error: cannotRead(httpFile, error) };
    }
  }
  const error: EngineError | undefined =
    environment === undefined ? undefined : { code: 'variable', message: `environment ${environment} is not defined: no ${publicEnvironmentFileName} found beside ${httpFile}${searchRoot === undefined ? '' : ` or in its parents up to ${searchRoot}`}` };
  return { files: [], names: [], variables: new Map(), error };
}

function cannotRead(httpFile: string, error: unknown): EngineError {
  return { code: 'file', message: `cannot read the environment files for ${httpFile}: ${(error as Error).message}` };
}

function chooseFromFiles(found: readonly { readonly path: string; readonly text: string }[], environment: string | undefined): LoadedEnvironment {
  const parsed: EnvironmentFile[] = found.map(({ path, text }) => parseEnvironmentFile({ uri: path, text }));
  const files = found.map(({ path }) => path);
  for (const [index, file] of parsed.entries()) {
    // Warnings (an unknown SSLConfiguration key) are the editor's to show; they do not stop a send.
    const problem = file.problems.find((candidate) => candidate.severity === 'error');
    const text = found[index]?.text ?? '';
    if (problem !== undefined) {
      const { line, column } = lineAndColumn(text, problem.start);
      return { files, names: [], variables: new Map(), error: { code: 'file', message: `${file.uri}:${line}:${column}: ${problem.message}` } };
    }
  }
  const snapshot = buildEnvironmentSnapshot(parsed, environment);
  if (environment !== undefined && snapshot.active !== environment) {
    const defined = snapshot.names.length === 0 ? 'none is defined' : `defined: ${snapshot.names.join(', ')}`;
    return { files, names: snapshot.names, variables: new Map(), error: { code: 'variable', message: `environment ${environment} is not defined in ${files.join(' or ')} (${defined})` } };
  }
  const variables = new Map<string, string>();
  const ssl = environmentSslConfiguration(parsed, environment);
  const withSsl = ssl === undefined ? {} : { ssl };
  if (environment === undefined) {
    // Without a chosen environment only `$shared` applies: the snapshot's union of environments would mix hosts.
    const ordered = inPrecedenceOrder(parsed);
    for (const shared of ordered.flatMap((file) => file.environments.filter((candidate) => candidate.name === sharedEnvironmentName))) {
      for (const variable of shared.variables) variables.set(variable.name, variable.value);
    }
    return { files, names: snapshot.names, variables, error: undefined, definedInEnvironments: snapshot.definedInEnvironments ?? new Map(), ...withSsl };
  }
  for (const [name, known] of snapshot.variables) if (known.value !== undefined) variables.set(name, known.value);
  return { files, names: snapshot.names, variables, error: undefined, ...withSsl };
}

/**
 * The sentence for a variable nothing defines when no environment is chosen but `environments`
 * define it: `variable baseUrl is not defined; it is defined in environments local, staging:
 * pass --env local`. `advice` says how this front end chooses one (the CLI's flag by default).
 */
export function undefinedWithoutEnvironmentMessage(name: string, environments: readonly string[], advice: (environment: string) => string = (environment) => `pass --env ${environment}`): string {
  const where = environments.length === 1 ? 'environment' : 'environments';
  return `variable ${name} is not defined; it is defined in ${where} ${environments.join(', ')}: ${advice(environments[0] ?? '')}`;
}

/** The `.env` file beside `httpFile`, parsed by `dotenv`; empty when there is none; throws when it cannot be read. */
export function loadDotenv(httpFile: string): ReadonlyMap<string, string> {
  const text = readTextIfExists(join(dirname(resolve(httpFile)), '.env'));
  return new Map(text === undefined ? [] : Object.entries(parseDotenv(text)));
}

function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// JetBrains-style environment files (`http-client.env.json`, `http-client.private.env.json`, and
// Visual Studio's `http-client.env.json.user`): `{ "$shared": {...}, "dev": { "host": "..." } }`.
// Parsing is pure; hosts find and read the files.

import { Code } from './codes';
import type { EnvironmentSnapshot, KnownVariable, VariableSource } from './context';
import { parseJson, type JsonNode } from './jsonTree';
import { looksLikeSslConfiguration, mergeSslConfigurations, readSslConfiguration, sslConfigurationKey, type EnvironmentSslConfiguration, type SslConfiguration } from './sslConfiguration';
import type { Span } from './syntax';

/** The environment whose variables every other environment inherits. */
export const sharedEnvironmentName = '$shared';

/** An env file as read by the host. */
export interface EnvironmentFileText {
  readonly uri: string;
  readonly text: string;
}

export interface EnvironmentVariable {
  readonly name: string;
  /** Scalars as strings; nested objects (auth configs) as their JSON text. */
  readonly value: string;
  /** The property name in the file, quotes included. */
  readonly span: Span;
}

export interface Environment {
  readonly name: string;
  readonly nameSpan: Span;
  readonly variables: readonly EnvironmentVariable[];
  /** JetBrains' `SSLConfiguration` (not a variable), when the environment has one. */
  readonly sslConfiguration?: SslConfiguration;
}

export interface EnvironmentFileProblem extends Span {
  readonly code: Code.EnvironmentFileInvalid | Code.SslConfigurationInvalid | Code.SslConfigurationUnknownKey | Code.SslCertificateMissing;
  /** Errors make the file unusable for sending; warnings are shown and ignored. */
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface EnvironmentFile {
  readonly uri: string;
  /**
   * Kept out of version control, its values hidden and never stored in history:
   * `http-client.private.env.json` (JetBrains) and `http-client.env.json.user` (Visual Studio).
   */
  readonly isPrivate: boolean;
  /** In file order, `$shared` included. */
  readonly environments: readonly Environment[];
  readonly problems: readonly EnvironmentFileProblem[];
}

/** Whether `uri` names a private env file (kept out of version control, merged over the public one). */
export function isPrivateEnvironmentFile(uri: string): boolean {
  return environmentFilePrecedence(uri) > 0;
}

/**
 * Which env file wins where several define a variable: the public file (0), then JetBrains'
 * private file (1), then Visual Studio's user file (2), whose documented rule is that its values
 * override the env file beside it.
 */
export function environmentFilePrecedence(uri: string): number {
  if (/(^|[/\\])http-client\.env\.json\.user$/i.test(uri)) return 2;
  if (/(^|[/\\])http-client\.private\.env\.json$/i.test(uri)) return 1;
  return 0;
}

/** `files` in the order their values apply, the winning file last. */
export function inPrecedenceOrder<T extends { readonly uri: string }>(files: readonly T[]): T[] {
  return files
    .map((file, index) => ({ file, index, precedence: environmentFilePrecedence(file.uri) }))
    .sort((a, b) => a.precedence - b.precedence || a.index - b.index)
    .map(({ file }) => file);
}

/** Parses one env file; malformed JSON or wrong shapes become problems with exact spans, never exceptions. */
export function parseEnvironmentFile(file: EnvironmentFileText): EnvironmentFile {
  const isPrivate = isPrivateEnvironmentFile(file.uri);
  const problems: EnvironmentFileProblem[] = [];
  const problem = (span: Span, message: string): void => {
    problems.push({ start: span.start, end: span.end, code: Code.EnvironmentFileInvalid, severity: 'error', message });
  };
  const parsed = parseJson(file.text);
  if (parsed.error !== undefined) {
    problem(parsed.error, `Invalid JSON: ${parsed.error.message}`);
    return { uri: file.uri, isPrivate, environments: [], problems };
  }
  const root = parsed.root;
  if (root === undefined || root.kind !== 'object') {
    problem(root ?? { start: 0, end: 0 }, 'An env file must be one JSON object mapping environment names to objects of variables, e.g. { "dev": { "host": "localhost" } }.');
    return { uri: file.uri, isPrivate, environments: [], problems };
  }
  const environments: Environment[] = [];
  for (const property of root.properties) {
    const name = property.key.value;
    // kulala's and JetBrains' env files name their JSON schema for editors; it is not an environment.
    if (name === '$schema') continue;
    if (property.value.kind !== 'object') {
      problem(property.value, `Environment "${name}" must be an object of variables, e.g. { "host": "localhost" }.`);
      continue;
    }
    const variables: EnvironmentVariable[] = [];
    let sslConfiguration: SslConfiguration | undefined;
    for (const entry of property.value.properties) {
      if (entry.key.value === sslConfigurationKey) {
        const read = readSslConfiguration(entry.value, name);
        sslConfiguration = read.configuration;
        problems.push(...read.problems);
        continue;
      }
      if (looksLikeSslConfiguration(entry.key.value)) {
        problems.push({
          start: entry.key.start,
          end: entry.key.end,
          code: Code.SslConfigurationUnknownKey,
          severity: 'warning',
          message: `"${entry.key.value}" in environment "${name}" is read as a variable: did you mean "${sslConfigurationKey}"?`,
        });
      }
      const value = variableValue(entry.value, file.text);
      if (value === undefined) {
        problem(entry.value, `Variable "${entry.key.value}" in environment "${name}" must be a string, number, boolean or object.`);
        continue;
      }
      variables.push({ name: entry.key.value, value, span: { start: entry.key.start, end: entry.key.end } });
    }
    environments.push({ name, nameSpan: { start: property.key.start, end: property.key.end }, variables, ...(sslConfiguration === undefined ? {} : { sslConfiguration }) });
  }
  return { uri: file.uri, isPrivate, environments, problems };
}

function variableValue(node: JsonNode, text: string): string | undefined {
  switch (node.kind) {
    case 'string':
      return node.value;
    case 'number':
    case 'boolean':
      return String(node.value);
    case 'object':
      return text.slice(node.start, node.end);
    default:
      return undefined;
  }
}

/**
 * The variables visible with `active` chosen: `$shared` under the environment, private files over
 * public ones. With no active environment (or an unknown one), the union of all of them, so nothing
 * any environment defines is reported undefined.
 */
export function buildEnvironmentSnapshot(files: readonly EnvironmentFile[], active: string | undefined): EnvironmentSnapshot {
  // Public files first, so private (then user) values overwrite them.
  const ordered = inPrecedenceOrder(files);
  const names: string[] = [];
  for (const file of ordered) {
    for (const environment of file.environments) {
      if (environment.name !== sharedEnvironmentName && !names.includes(environment.name)) names.push(environment.name);
    }
  }
  const chosen = active !== undefined && names.includes(active) ? active : undefined;
  const variables = new Map<string, KnownVariable>();
  const merge = (environmentName: string, overwrite: boolean): void => {
    for (const file of ordered) {
      for (const environment of file.environments) {
        if (environment.name !== environmentName) continue;
        const source: VariableSource = environmentName === sharedEnvironmentName ? 'shared-environment' : file.isPrivate ? 'private-environment' : 'environment';
        for (const variable of environment.variables) {
          const existing = variables.get(variable.name);
          if (!overwrite && existing !== undefined) continue;
          const value = existing?.value === undefined ? variable.value : mergedObjectText(existing.value, variable.value);
          variables.set(variable.name, { name: variable.name, value, source, location: { uri: file.uri, span: variable.span }, environment: environmentName });
        }
      }
    }
  };
  merge(sharedEnvironmentName, true);
  if (chosen !== undefined) {
    merge(chosen, true);
  } else {
    // Union: the first environment that defines a name supplies its value; `$shared` yields to any of them.
    const sharedOnly = new Set(variables.keys());
    for (const name of names) {
      for (const file of ordered) {
        for (const environment of file.environments) {
          if (environment.name !== name) continue;
          for (const variable of environment.variables) {
            const existing = variables.get(variable.name);
            const mayReplace = existing === undefined || sharedOnly.has(variable.name) || (existing.environment === name && file.isPrivate);
            if (!mayReplace) continue;
            sharedOnly.delete(variable.name);
            variables.set(variable.name, {
              name: variable.name,
              value: variable.value,
              source: file.isPrivate ? 'private-environment' : 'environment',
              location: { uri: file.uri, span: variable.span },
              environment: name,
            });
          }
        }
      }
    }
  }
  return chosen === undefined ? { names, active: chosen, variables, definedInEnvironments: environmentsDefining(ordered, names) } : { names, active: chosen, variables };
}

/**
 * An object value over another is merged key by key, deeper objects too, the later file winning:
 * JetBrains keeps an auth configuration's `Client Secret` in the private file under the same
 * `Security.Auth` entry as the public file's `Token URL`. Any other value replaces the earlier one.
 */
function mergedObjectText(earlier: string, later: string): string {
  if (!earlier.startsWith('{') || !later.startsWith('{')) return later;
  try {
    return JSON.stringify(mergeObjects(JSON.parse(earlier) as unknown, JSON.parse(later) as unknown));
  } catch {
    return later;
  }
}

function mergeObjects(earlier: unknown, later: unknown): unknown {
  if (!isPlainObject(earlier) || !isPlainObject(later)) return later;
  const merged: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later)) {
    // A file's "__proto__" key is data, never the object's prototype.
    if (key === '__proto__') continue;
    merged[key] = Object.hasOwn(merged, key) ? mergeObjects(merged[key], value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** For each variable some of `names` define and `$shared` does not: the environments that define it, in the order of `names`. */
function environmentsDefining(files: readonly EnvironmentFile[], names: readonly string[]): Map<string, string[]> {
  const shared = new Set<string>();
  for (const file of files) for (const environment of file.environments) if (environment.name === sharedEnvironmentName) for (const variable of environment.variables) shared.add(variable.name);
  const defining = new Map<string, string[]>();
  for (const name of names) {
    for (const file of files) {
      for (const environment of file.environments) {
        if (environment.name !== name) continue;
        for (const variable of environment.variables) {
          if (shared.has(variable.name)) continue;
          const list = defining.get(variable.name);
          if (list === undefined) defining.set(variable.name, [name]);
          else if (!list.includes(name)) list.push(name);
        }
      }
    }
  }
  return defining;
}

/**
 * The `SSLConfiguration` that applies with `active` chosen, merged key by key as variables are:
 * `$shared` under the environment, private files over public ones. Only `$shared` without one.
 */
export function environmentSslConfiguration(files: readonly EnvironmentFile[], active: string | undefined): EnvironmentSslConfiguration | undefined {
  const ordered = inPrecedenceOrder(files);
  const layers = [sharedEnvironmentName, ...(active === undefined || active === sharedEnvironmentName ? [] : [active])].flatMap((environment) =>
    ordered.flatMap((file) => file.environments.filter((candidate) => candidate.name === environment).map((candidate) => ({ uri: file.uri, environment, configuration: candidate.sslConfiguration }))),
  );
  return mergeSslConfigurations(layers);
}

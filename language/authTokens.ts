// `{{$auth.token("id")}}` and `{{$auth.idToken("id")}}` in `.http` files: which auth
// configurations the environments define, for completion, diagnostics and hover. Each snapshot's
// `Security` values are read once (a snapshot lives until an env file or setting changes), and
// nothing is read for a document that names no `$auth` reference.

import { authConfigurationKeys, authTokenReferenceOfTarget, readSecurityText, type AuthConfigurationEntry } from './authConfigurations';
import type { EnvironmentSecurity, EnvironmentSnapshot } from './context';
import { closestName } from './data/spelling';
import type { JsonNode } from './jsonTree';
import { fileName } from './variableSources';

/** One environment's configurations, read. */
interface ConfiguredEnvironment {
  readonly name: string;
  readonly entries: ReadonlyMap<string, AuthConfigurationEntry>;
  /** Where each entry is written; undefined for a snapshot without `security` (its `Security` variable alone). */
  readonly written: EnvironmentSecurity['entries'] | undefined;
}

const readSnapshots = new WeakMap<EnvironmentSnapshot, readonly ConfiguredEnvironment[]>();

/** Every environment's configurations in `snapshot`, in the order of its names. */
function configuredEnvironments(snapshot: EnvironmentSnapshot): readonly ConfiguredEnvironment[] {
  let read = readSnapshots.get(snapshot);
  if (read === undefined) {
    const environments: ConfiguredEnvironment[] = [];
    const entriesOf = (text: string): Map<string, AuthConfigurationEntry> => new Map(readSecurityText(text).entries.map((entry) => [entry.id, entry]));
    if (snapshot.security !== undefined) {
      for (const [name, security] of snapshot.security) environments.push({ name, entries: entriesOf(security.text), written: security.entries });
    } else {
      const security = snapshot.variables.get('Security');
      if (security?.value !== undefined) environments.push({ name: security.environment ?? snapshot.active ?? '', entries: entriesOf(security.value), written: undefined });
    }
    read = environments;
    readSnapshots.set(snapshot, read);
  }
  return read;
}

/** The environments a send may use: the active one, or every one when none is active (sending asks which). */
function usableEnvironments(snapshot: EnvironmentSnapshot): readonly ConfiguredEnvironment[] {
  const all = configuredEnvironments(snapshot);
  return snapshot.active === undefined || snapshot.security === undefined ? all : all.filter((environment) => environment.name === snapshot.active);
}

/** A configuration `$auth.token("` may name, for completion. */
export interface ConfiguredAuth {
  readonly id: string;
  /** As written; undefined when the entry has none. */
  readonly grantType: string | undefined;
  /** The environments that define it, in order. */
  readonly environments: readonly string[];
}

/** The configurations a reference may name: the active environment's, or every environment's when none is active. */
export function configuredAuth(snapshot: EnvironmentSnapshot): ConfiguredAuth[] {
  const found = new Map<string, { id: string; grantType: string | undefined; environments: string[] }>();
  for (const environment of usableEnvironments(snapshot)) {
    for (const entry of environment.entries.values()) {
      const known = found.get(entry.id);
      if (known === undefined) found.set(entry.id, { id: entry.id, grantType: grantTypeOf(entry), environments: [environment.name] });
      else known.environments.push(environment.name);
    }
  }
  return [...found.values()];
}

/** What is wrong with a `$auth` system variable named `name`; undefined when it names a configuration a send may use. */
export interface AuthReferenceProblem {
  readonly message: string;
  /** The reference as it was probably meant (a configured id), to write over the expression. */
  readonly suggestion?: string;
  /** Environments that define the id when the active one does not: a fix selects one. */
  readonly environments?: readonly string[];
}

/** A `$auth` system variable as the parser gives it: its name and the words after it (`$auth.token("my app")` is split at the space). */
export interface AuthTarget {
  readonly name: string;
  readonly args: readonly string[];
}

/** Read as the engine reads it (`authTokenReferenceOfTarget`), so what the editor accepts is what a send resolves. */
export function authReferenceProblem(snapshot: EnvironmentSnapshot, target: AuthTarget): AuthReferenceProblem | undefined {
  const reference = authTokenReferenceOfTarget(target);
  if (reference === undefined) {
    return { message: `'{{${[target.name, ...target.args].join(' ')}}}' names no auth configuration: write {{$auth.token("id")}} or {{$auth.idToken("id")}} with the id of an entry of "Security": { "Auth": { ... } } in the env file.` };
  }
  const usable = configuredAuth(snapshot);
  if (usable.some((candidate) => candidate.id === reference.id)) return undefined;
  const elsewhere = configuredEnvironments(snapshot).filter((environment) => environment.entries.has(reference.id)).map((environment) => environment.name);
  const active = snapshot.active;
  if (active !== undefined && elsewhere.length > 0) {
    const where = elsewhere.length === 1 ? `environment '${elsewhere[0]}'` : `environments ${elsewhere.map((environment) => `'${environment}'`).join(', ')}`;
    return {
      message: `Auth configuration "${reference.id}" is defined in ${where}, not in '${active}', the active environment: select ${elsewhere.length === 1 ? 'it' : 'one of them'}, or add "${reference.id}" to "Security": { "Auth": { ... } } of '${active}'.`,
      environments: elsewhere,
    };
  }
  const ids = usable.map((candidate) => candidate.id);
  const scope = active === undefined ? 'any environment' : `environment '${active}'`;
  if (ids.length === 0) {
    return { message: `No auth configuration "${reference.id}" in ${scope}: define it in the env file, e.g. { "${active ?? 'dev'}": { "Security": { "Auth": { "${reference.id}": { "Type": "OAuth2", "Grant Type": "Client Credentials", "Token URL": "...", "Client ID": "..." } } } } }.` };
  }
  const meant = closestName(reference.id, ids, (id) => id.toLowerCase());
  const listed = ids.map((id) => `"${id}"`).join(', ');
  if (meant === undefined) return { message: `No auth configuration "${reference.id}" in ${scope}: the configured ones are ${listed}.` };
  const call = reference.kind === 'idToken' ? '$auth.idToken' : '$auth.token';
  return { message: `No auth configuration "${reference.id}" in ${scope}: did you mean "${meant}"?`, suggestion: `${call}("${meant}")` };
}

/** Hover over `$auth.token("id")`: the configuration a send uses, never its secrets. */
export function authTokenMarkdown(snapshot: EnvironmentSnapshot, target: AuthTarget, expression: string): string {
  const reference = authTokenReferenceOfTarget(target);
  const problem = authReferenceProblem(snapshot, target);
  if (reference === undefined || problem !== undefined) return problem?.message ?? '';
  const token = reference.kind === 'idToken' ? 'OpenID Connect ID token' : 'OAuth 2.0 access token';
  const environments = usableEnvironments(snapshot).filter((environment) => environment.entries.has(reference.id));
  const [environment] = environments;
  const entry = environment?.entries.get(reference.id);
  if (environment === undefined || entry === undefined) return '';
  const written = environment.written?.get(reference.id) ?? [];
  const files = [...new Set(written.map((place) => `\`${fileName(place.uri)}\``))];
  const where = `Defined in environment \`${environment.name}\`${written.some((place) => place.environment !== environment.name) ? ' (with `$shared`)' : ''}${files.length === 0 ? '' : `, ${files.join(' and ')}`}.`;
  const others = environments.slice(1).map((other) => `\`${other.name}\``);
  const also = others.length === 0 ? '' : ` Also in ${others.join(', ')}: sending asks which environment to use.`;
  const rows = authConfigurationKeys.flatMap((key) => {
    const written = entry.keys.find((candidate) => candidate.name === key.name);
    // A secret is never shown, and whether it is set is worth saying even when it is not.
    if (key.secret === true) return written !== undefined || key.name === 'Client Secret' ? [`- ${key.name}: ${isSet(written?.value) ? 'set' : 'not set'}`] : [];
    return written === undefined ? [] : [`- ${key.name}: ${shownValue(key.name, written.value)}`];
  });
  const unusable = entry.problems.filter((candidate) => candidate.kind !== 'unknown-key').map((candidate) => `- ${candidate.message}`);
  const problems = unusable.length === 0 ? '' : `\n\nThis configuration cannot be used as it is:\n\n${unusable.join('\n')}`;
  return `**${expression.trim()}** (${token} of auth configuration \`${reference.id}\`)\n\n${where}${also}\n\n${rows.join('\n')}${problems}`;
}

function grantTypeOf(entry: AuthConfigurationEntry): string | undefined {
  if (entry.configuration !== undefined) return entry.configuration.grantType;
  const written = entry.keys.find((key) => key.name === 'Grant Type')?.value;
  return written?.kind === 'string' ? written.value : undefined;
}

function isSet(value: JsonNode | undefined): boolean {
  return value !== undefined && !(value.kind === 'string' && value.value === '') && value.kind !== 'null';
}

/** A value for hover: scalars as written, PKCE as its method (its fixed verifier is a secret), custom parameters by name. */
function shownValue(name: string, value: JsonNode): string {
  switch (value.kind) {
    case 'string':
      return `\`${value.value}\``;
    case 'number':
    case 'boolean':
      return `\`${String(value.value)}\``;
    case 'object':
      if (name === 'PKCE') {
        const method = value.properties.find((property) => property.key.value === 'Code Challenge Method')?.value;
        const fixed = value.properties.some((property) => property.key.value === 'Code Verifier');
        return `${method?.kind === 'string' ? `\`${method.value}\`` : '`SHA-256`'}${fixed ? ', with a fixed verifier' : ''}`;
      }
      return value.properties.map((property) => `\`${property.key.value}\``).join(', ');
    default:
      return value.kind;
  }
}

// Every `courier.*` setting the extension reads, each with a normaliser that falls back to a
// safe default and says why (vscode-eslint's settings.ts habit). Free of `vscode` so the
// normalisers are unit-tested in plain Node; client/settings.ts feeds them the configuration.

import type { ClientCertificate } from '../engine/tls';
import { Code } from '../language/codes';
import { isSeverityLevel, noSeverityOverrides, SEVERITY_LEVELS, type SeverityLevel, type SeverityOverrides } from '../language/diagnosticSeverity';

/** Environments declared in settings: the same shape as `http-client.env.json`. */
export type EnvironmentsSetting = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Courier's settings, normalised: every field holds a usable value. */
export interface CourierSettings {
  /** Active environment name; undefined for none. */
  readonly environment: string | undefined;
  /** Environments from settings, merged under the env files' ones. */
  readonly environments: EnvironmentsSetting;
  /** Headers added to requests that do not set them. */
  readonly defaultHeaders: readonly (readonly [name: string, value: string])[];
  /** Whole-exchange timeout in ms; undefined for none (setting 0). */
  readonly timeoutMs: number | undefined;
  readonly followRedirects: boolean;
  readonly maxRedirects: number;
  /** Persist cookie jars between VS Code sessions. */
  readonly rememberCookies: boolean;
  readonly caFiles: readonly string[];
  readonly clientCertificates: readonly ClientCertificate[];
  /** Proxy URL; undefined to use HTTP_PROXY / HTTPS_PROXY. */
  readonly proxy: string | undefined;
  readonly insecureHosts: readonly string[];
  readonly historyMaxEntries: number;
  readonly historyKeepSecrets: boolean;
  /** Bytes of each response body the history keeps; 0 keeps no body. */
  readonly historyMaxBodyBytes: number;
  /** One shared response panel (true) or one per request. */
  readonly responsePanelReuse: boolean;
  readonly responsePanelMaxBodyBytes: number;
  /** `courier.diagnostics.severity`: a level per problem code (`off` hides it). */
  readonly diagnosticSeverities: SeverityOverrides;
  /** `courier.scripts.timeout`: seconds each pre-request script and response handler may run (more than 0). */
  readonly scriptsTimeoutSeconds: number;
  /** `courier.openapi.specs`: OpenAPI files or globs (relative to the workspace folder), read besides those found by name. */
  readonly openApiSpecs: readonly string[];
  /** `courier.openapi.validateResponses`: responses checked against their request's spec operation. */
  readonly openApiValidateResponses: boolean;
  /** `courier.grpc.protoImportPaths`: folders where imports of `# @proto` files are looked up (relative ones from the workspace folder). */
  readonly grpcProtoImportPaths: readonly string[];
}

export const defaultCourierSettings: CourierSettings = Object.freeze({
  environment: undefined,
  environments: new Map(),
  defaultHeaders: [],
  timeoutMs: undefined,
  followRedirects: true,
  maxRedirects: 10,
  rememberCookies: true,
  caFiles: [],
  clientCertificates: [],
  proxy: undefined,
  insecureHosts: [],
  historyMaxEntries: 50,
  historyKeepSecrets: false,
  // Enough to read a response again, not to archive downloads.
  historyMaxBodyBytes: 256 * 1024,
  responsePanelReuse: true,
  responsePanelMaxBodyBytes: 64 * 1024 * 1024,
  diagnosticSeverities: noSeverityOverrides,
  scriptsTimeoutSeconds: 5,
  openApiSpecs: [],
  openApiValidateResponses: true,
  grpcProtoImportPaths: [],
});

/** The settings and a sentence per value that was replaced by its default. */
export interface NormalizedSettings {
  readonly settings: CourierSettings;
  readonly problems: readonly string[];
}

/** Reads one `courier.*` value by its key below `courier.` (e.g. `history.maxEntries`); undefined when unset. */
export type SettingReader = (key: string) => unknown;

/** Normalises every setting; a bad value gets its default and a problem naming the setting and what to write. */
export function normalizeCourierSettings(read: SettingReader): NormalizedSettings {
  const problems: string[] = [];
  const d = defaultCourierSettings;
  const field = <T>(key: string, fallback: T, normalize: (value: unknown) => T | Invalid): T => {
    const raw = read(key);
    if (raw === undefined || raw === null) return fallback;
    const value = normalize(raw);
    if (value instanceof Invalid) {
      problems.push(`courier.${key}: ${value.reason}; using ${describeDefault(fallback)}`);
      return fallback;
    }
    return value;
  };
  const settings: CourierSettings = {
    environment: field('environment', d.environment, (value) => (typeof value === 'string' ? value.trim() || undefined : new Invalid('expected an environment name (a string)'))),
    environments: field('environments', d.environments, normalizeEnvironments),
    defaultHeaders: field('defaultHeaders', d.defaultHeaders, normalizeHeaders),
    timeoutMs: field('timeout', d.timeoutMs, (value) => {
      const seconds = nonNegativeNumber(value, 'timeout in seconds');
      if (seconds instanceof Invalid) return seconds;
      return seconds === 0 ? undefined : Math.round(seconds * 1000);
    }),
    followRedirects: field('followRedirects', d.followRedirects, (value) => boolean(value)),
    maxRedirects: field('maxRedirects', d.maxRedirects, (value) => integerInRange(value, 0, 100)),
    rememberCookies: field('rememberCookies', d.rememberCookies, (value) => boolean(value)),
    caFiles: field('caFiles', d.caFiles, (value) => stringList(value, 'PEM file paths')),
    clientCertificates: field('clientCertificates', d.clientCertificates, normalizeClientCertificates),
    proxy: field('proxy', d.proxy, normalizeProxy),
    insecureHosts: field('insecureHosts', d.insecureHosts, (value) => stringList(value, 'host names such as "localhost:8443" or "*.test"')),
    historyMaxEntries: field('history.maxEntries', d.historyMaxEntries, (value) => integerInRange(value, 0, 10_000)),
    historyKeepSecrets: field('history.keepSecrets', d.historyKeepSecrets, (value) => boolean(value)),
    // The history file holds every entry and is rewritten on each send: past 64 MiB per body it would stall.
    historyMaxBodyBytes: field('history.maxBodyBytes', d.historyMaxBodyBytes, (value) => integerInRange(value, 0, 64 * 1024 * 1024)),
    responsePanelReuse: field('responsePanel.reuse', d.responsePanelReuse, (value) => boolean(value)),
    responsePanelMaxBodyBytes: field('responsePanel.maxBodyBytes', d.responsePanelMaxBodyBytes, (value) => integerInRange(value, 1024, 2 ** 31)),
    diagnosticSeverities: field('diagnostics.severity', d.diagnosticSeverities, (value) => normalizeSeverities(value, problems)),
    // Seconds, as `--script-timeout` takes; more than 0, since a script with no time at all never runs.
    scriptsTimeoutSeconds: field('scripts.timeout', d.scriptsTimeoutSeconds, (value) => {
      const seconds = nonNegativeNumber(value, 'time in seconds greater than 0');
      return seconds === 0 ? new Invalid('expected a time in seconds greater than 0, got 0') : seconds;
    }),
    openApiSpecs: field('openapi.specs', d.openApiSpecs, (value) => stringList(value, 'OpenAPI file paths or globs such as "api/*.yaml"')),
    openApiValidateResponses: field('openapi.validateResponses', d.openApiValidateResponses, (value) => boolean(value)),
    grpcProtoImportPaths: field('grpc.protoImportPaths', d.grpcProtoImportPaths, (value) => stringList(value, 'folder paths')),
  };
  return { settings, problems };
}

/** A rejected value and why. */
export class Invalid {
  constructor(readonly reason: string) {}
}

function describeDefault(value: unknown): string {
  if (value === undefined) return 'none';
  if (value instanceof Map) return value.size === 0 ? 'none' : 'the default';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : 'the default';
  return JSON.stringify(value);
}

function boolean(value: unknown): boolean | Invalid {
  return typeof value === 'boolean' ? value : new Invalid(`expected true or false, got ${JSON.stringify(value)}`);
}

function nonNegativeNumber(value: unknown, what: string): number | Invalid {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return new Invalid(`expected a ${what} (a number, 0 or more), got ${JSON.stringify(value)}`);
  return value;
}

function integerInRange(value: unknown, min: number, max: number): number | Invalid {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return new Invalid(`expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function stringList(value: unknown, what: string): readonly string[] | Invalid {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return new Invalid(`expected a list of ${what}`);
  return value.map((item: string) => item.trim()).filter((item) => item !== '');
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function normalizeHeaders(value: unknown): CourierSettings['defaultHeaders'] | Invalid {
  if (!isRecord(value)) return new Invalid('expected an object of header names to values, e.g. { "Accept": "application/json" }');
  const headers: (readonly [string, string])[] = [];
  for (const [name, headerValue] of Object.entries(value)) {
    if (!headerName.test(name)) return new Invalid(`"${name}" is not a valid header name`);
    if (typeof headerValue !== 'string') return new Invalid(`the value of header "${name}" must be a string`);
    if (/[\r\n]/.test(headerValue)) return new Invalid(`the value of header "${name}" must be on one line`);
    headers.push([name, headerValue.trim()]);
  }
  return headers;
}

export function normalizeEnvironments(value: unknown): EnvironmentsSetting | Invalid {
  if (!isRecord(value)) return new Invalid('expected an object of environments, e.g. { "local": { "host": "localhost" } }');
  const environments = new Map<string, ReadonlyMap<string, string>>();
  for (const [name, variables] of Object.entries(value)) {
    if (!isRecord(variables)) return new Invalid(`environment "${name}" must be an object of variable names to values`);
    const values = new Map<string, string>();
    for (const [variable, variableValue] of Object.entries(variables)) {
      // Env files accept numbers and booleans too; they become text when substituted.
      if (typeof variableValue === 'string') values.set(variable, variableValue);
      else if (typeof variableValue === 'number' || typeof variableValue === 'boolean') values.set(variable, String(variableValue));
      else return new Invalid(`variable "${variable}" of environment "${name}" must be a string, number or boolean`);
    }
    environments.set(name, values);
  }
  return environments;
}

const knownCodes: ReadonlySet<string> = new Set(Object.values(Code));

/** Codes to levels; an entry with an unknown code or level is left out with a problem, the others kept. */
function normalizeSeverities(value: unknown, problems: string[]): SeverityOverrides | Invalid {
  if (!isRecord(value)) return new Invalid('expected an object of problem codes to levels, e.g. { "http.body.unexpected": "off" }');
  const severities = new Map<string, SeverityLevel>();
  for (const [code, level] of Object.entries(value)) {
    if (!knownCodes.has(code)) {
      problems.push(`courier.diagnostics.severity: "${code}" is not a problem code (codes are shown with each problem, e.g. http.variable.undefined); ignoring it`);
    } else if (!isSeverityLevel(level)) {
      problems.push(`courier.diagnostics.severity: the level of "${code}" must be one of ${SEVERITY_LEVELS.map((known) => `"${known}"`).join(', ')}, got ${JSON.stringify(level)}; keeping its own severity`);
    } else {
      severities.set(code, level);
    }
  }
  return severities;
}

function normalizeProxy(value: unknown): string | undefined | Invalid {
  if (typeof value !== 'string') return new Invalid('expected a proxy URL such as "http://proxy.example:3128"');
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return new Invalid(`"${trimmed}" is not a URL; write it as http://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return new Invalid(`proxy scheme ${url.protocol} is not supported; use http: or https:`);
  return trimmed;
}

export function normalizeClientCertificates(value: unknown): readonly ClientCertificate[] | Invalid {
  if (!Array.isArray(value)) return new Invalid('expected a list of { "host", "cert", "key" } or { "host", "pfx" } objects');
  const certificates: ClientCertificate[] = [];
  for (const [index, entry] of (value as unknown[]).entries()) {
    const where = `entry ${index + 1}`;
    if (!isRecord(entry)) return new Invalid(`${where} must be an object`);
    const text = (key: string): string | undefined | Invalid => {
      const field = entry[key];
      if (field === undefined) return undefined;
      return typeof field === 'string' && field.trim() !== '' ? field.trim() : new Invalid(`${where}: "${key}" must be a non-empty string`);
    };
    const host = text('host');
    const cert = text('cert');
    const key = text('key');
    const pfx = text('pfx');
    const passphrase = entry.passphrase === undefined ? undefined : typeof entry.passphrase === 'string' ? entry.passphrase : new Invalid(`${where}: "passphrase" must be a string`);
    for (const checked of [host, cert, key, pfx, passphrase]) if (checked instanceof Invalid) return checked;
    if (typeof host !== 'string') return new Invalid(`${where} needs a "host" (e.g. "api.example.com" or "*.example.com")`);
    if (pfx === undefined && (cert === undefined || key === undefined)) return new Invalid(`${where} (${host}) needs "cert" and "key" files, or a "pfx" file`);
    certificates.push({
      host,
      ...(typeof cert === 'string' ? { cert } : {}),
      ...(typeof key === 'string' ? { key } : {}),
      ...(typeof pfx === 'string' ? { pfx } : {}),
      ...(typeof passphrase === 'string' ? { passphrase } : {}),
    });
  }
  return certificates;
}

/**
 * With no environment chosen: per variable only environments define, those environments, in the
 * order of `names`: the env files' (`fromFiles`) with the environments of `courier.environments`
 * added, unless a `$shared` defines the variable (the settings' or, by `sharedInFiles`, the files').
 */
export function environmentsDefiningWithSettings(
  fromFiles: ReadonlyMap<string, readonly string[]>,
  sharedInFiles: (name: string) => boolean,
  environments: EnvironmentsSetting,
  names: readonly string[],
): Map<string, string[]> {
  const defining = new Map<string, string[]>([...fromFiles].map(([name, list]) => [name, [...list]]));
  const settingsShared = environments.get('$shared');
  for (const [environment, values] of environments) {
    if (environment === '$shared') continue;
    for (const name of values.keys()) {
      if (settingsShared?.has(name) === true || sharedInFiles(name)) continue;
      const list = defining.get(name) ?? [];
      if (!list.includes(environment)) list.push(environment);
      defining.set(name, list);
    }
  }
  for (const list of defining.values()) list.sort((a, b) => names.indexOf(a) - names.indexOf(b));
  return defining;
}

/**
 * The variables `courier.environments` gives `environment` (its `$shared` under it), without the
 * names `isDefinedElsewhere` claims: env files and the `.http` file win over settings.
 */
export function settingsVariables(environments: EnvironmentsSetting, environment: string | undefined, isDefinedElsewhere: (name: string) => boolean): Map<string, string> {
  const variables = new Map<string, string>(environments.get('$shared') ?? []);
  if (environment !== undefined) for (const [name, value] of environments.get(environment) ?? []) variables.set(name, value);
  for (const name of [...variables.keys()]) if (isDefinedElsewhere(name)) variables.delete(name);
  return variables;
}

// REST Client's settings, read where Courier's own are not set, so a REST Client user's
// workspace sends the same requests unchanged: `rest-client.environmentVariables`,
// `rest-client.defaultHeaders` and `rest-client.certificates`. Free of `vscode` like the schema
// it feeds; the extension and the language server hand in the values.

import { isAbsolute, join } from 'node:path';
import type { ClientCertificate } from '../engine/tls';
import { Invalid, normalizeClientCertificates, normalizeEnvironments, normalizeHeaders, type CourierSettings, type EnvironmentsSetting, type NormalizedSettings, type SettingReader } from './settingsSchema';

/** The REST Client settings Courier honours, by their key below `rest-client.`. */
export const restClientSettingKeys = ['environmentVariables', 'defaultHeaders', 'certificates'] as const;

/**
 * `courier.environments`, `courier.defaultHeaders` and `courier.clientCertificates`, each replaced by
 * its REST Client counterpart when Courier's is empty and REST Client's is set. `readRestClient`
 * must give only values the user set (not REST Client's defaults, such as its User-Agent);
 * relative certificate paths are resolved against `workspaceFolder`, as REST Client does.
 */
export function applyRestClientFallbacks(normalized: NormalizedSettings, readRestClient: SettingReader, workspaceFolder: string | undefined): NormalizedSettings {
  const problems = [...normalized.problems];
  const fromRestClient = <T>(key: (typeof restClientSettingKeys)[number], normalize: (value: unknown) => T | Invalid): T | undefined => {
    const raw = readRestClient(key);
    if (raw === undefined || raw === null) return undefined;
    const value = normalize(raw);
    if (value instanceof Invalid) {
      problems.push(`rest-client.${key}: ${value.reason}; ignoring it`);
      return undefined;
    }
    return value;
  };
  const { settings } = normalized;
  const environments = settings.environments.size > 0 ? settings.environments : fromRestClient('environmentVariables', restClientEnvironments);
  const defaultHeaders = settings.defaultHeaders.length > 0 ? settings.defaultHeaders : fromRestClient('defaultHeaders', normalizeHeaders);
  const clientCertificates =
    settings.clientCertificates.length > 0 ? settings.clientCertificates : fromRestClient('certificates', (value) => restClientCertificates(value, workspaceFolder));
  const merged: CourierSettings = {
    ...settings,
    ...(environments === undefined ? {} : { environments }),
    ...(defaultHeaders === undefined ? {} : { defaultHeaders }),
    ...(clientCertificates === undefined ? {} : { clientCertificates }),
  };
  return { settings: merged, problems };
}

/**
 * `rest-client.environmentVariables` has the shape of `courier.environments`; REST Client also lets
 * a value name a `$shared` variable as `{{$shared name}}`, replaced here by that value.
 */
function restClientEnvironments(value: unknown): EnvironmentsSetting | Invalid {
  const environments = normalizeEnvironments(value);
  if (environments instanceof Invalid) return environments;
  const shared = environments.get('$shared') ?? new Map<string, string>();
  const resolved = new Map<string, ReadonlyMap<string, string>>();
  for (const [name, variables] of environments) {
    const values = new Map<string, string>();
    for (const [variable, text] of variables) {
      values.set(variable, text.replace(/\{\{\s*\$shared\s+([^\s}]+)\s*\}\}/g, (reference, sharedName: string) => shared.get(sharedName) ?? reference));
    }
    resolved.set(name, values);
  }
  return resolved;
}

/** `{ "host[:port]": { "cert", "key" } | { "pfx", "passphrase" } }`: REST Client's certificates by host. */
function restClientCertificates(value: unknown, workspaceFolder: string | undefined): readonly ClientCertificate[] | Invalid {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return new Invalid('expected an object of hosts to { "cert", "key" } or { "pfx", "passphrase" }');
  const resolvePath = (path: unknown): unknown => (typeof path === 'string' && !isAbsolute(path) && workspaceFolder !== undefined ? join(workspaceFolder, path) : path);
  const entries = Object.entries(value as Record<string, unknown>).map(([host, entry]) => {
    if (typeof entry !== 'object' || entry === null) return { host };
    const { cert, key, pfx, passphrase } = entry as Record<string, unknown>;
    return { host, cert: resolvePath(cert), key: resolvePath(key), pfx: resolvePath(pfx), passphrase };
  });
  return normalizeClientCertificates(entries);
}

// JetBrains' `SSLConfiguration` in an environment of an env file: the client certificate the
// environment's requests present, whether its key asks for a passphrase, and whether host
// certificates are verified. Read here once, with exact spans, for the engine (which sends with
// it) and the env-file diagnostics alike; it is not a variable.

import { Code } from './codes';
import { closestName } from './data/spelling';
import type { JsonNode, JsonObject } from './jsonTree';
import type { Span } from './syntax';

/** The key of the configuration in an environment. */
export const sslConfigurationKey = 'SSLConfiguration';

/** The keys JetBrains documents, in the order its help page lists them. */
export const sslConfigurationKeys = ['clientCertificate', 'clientCertificateKey', 'hasCertificatePassphrase', 'verifyHostCertificate'] as const;

type SslKey = (typeof sslConfigurationKeys)[number];

/** How a certificate or key file is encoded. */
export type CertificateFormat = 'PEM' | 'DER';

/** `"cert.pem"` or `{ "path": "cert.der", "format": "DER" }`: a path as written (relative to the env file), its format and where it stands. */
export interface CertificateFileReference {
  readonly path: string;
  readonly format: CertificateFormat;
  /** The value in the env file: the string, or the object. */
  readonly span: Span;
}

/** One environment's `SSLConfiguration` as written: only the keys it sets. */
export interface SslConfiguration {
  readonly clientCertificate?: CertificateFileReference;
  readonly clientCertificateKey?: CertificateFileReference;
  readonly hasCertificatePassphrase?: boolean;
  readonly verifyHostCertificate?: boolean;
}

/** A problem of an `SSLConfiguration`: a wrong type is an error, an unknown key a warning. */
export interface SslConfigurationProblem extends Span {
  readonly code: Code.SslConfigurationInvalid | Code.SslConfigurationUnknownKey;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** Reads the value of `"SSLConfiguration"` in environment `environment`; what cannot be read is left out and reported. */
export function readSslConfiguration(node: JsonNode, environment: string): { readonly configuration: SslConfiguration; readonly problems: readonly SslConfigurationProblem[] } {
  const problems: SslConfigurationProblem[] = [];
  const where = `${sslConfigurationKey} of environment "${environment}"`;
  const invalid = (span: Span, message: string): void => {
    problems.push({ start: span.start, end: span.end, code: Code.SslConfigurationInvalid, severity: 'error', message });
  };
  if (node.kind !== 'object') {
    invalid(node, `${where} must be an object, e.g. { "clientCertificate": "cert.pem", "clientCertificateKey": "key.pem" }.`);
    return { configuration: {}, problems };
  }
  const configuration: { -readonly [K in SslKey]?: SslConfiguration[K] } = {};
  for (const property of node.properties) {
    const key = property.key.value;
    const value = property.value;
    switch (key) {
      case 'clientCertificate':
      case 'clientCertificateKey': {
        const file = certificateFile(value, `"${key}" in ${where}`, invalid);
        if (file !== undefined) configuration[key] = file;
        break;
      }
      case 'hasCertificatePassphrase':
      case 'verifyHostCertificate':
        if (value.kind === 'boolean') configuration[key] = value.value;
        else invalid(value, `"${key}" in ${where} must be true or false.`);
        break;
      default: {
        const suggestion = closestName(key, sslConfigurationKeys, (name) => name.toLowerCase());
        problems.push({
          start: property.key.start,
          end: property.key.end,
          code: Code.SslConfigurationUnknownKey,
          severity: 'warning',
          message:
            suggestion === undefined
              ? `Unknown key "${key}" in ${where}: Courier reads ${sslConfigurationKeys.join(', ')}; it is ignored.`
              : `Unknown key "${key}" in ${where}: did you mean "${suggestion}"? It is ignored.`,
        });
      }
    }
  }
  if (configuration.clientCertificateKey !== undefined && configuration.clientCertificate === undefined) {
    const span = configuration.clientCertificateKey.span;
    invalid(span, `"clientCertificateKey" in ${where} needs a "clientCertificate" beside it: the key alone is not sent.`);
  }
  return { configuration, problems };
}

function certificateFile(value: JsonNode, where: string, invalid: (span: Span, message: string) => void): CertificateFileReference | undefined {
  if (value.kind === 'string') {
    if (value.value.trim() === '') {
      invalid(value, `${where} must name a file.`);
      return undefined;
    }
    return { path: value.value, format: 'PEM', span: { start: value.start, end: value.end } };
  }
  if (value.kind !== 'object') {
    invalid(value, `${where} must be a path, or an object { "path": "...", "format": "PEM" | "DER" }.`);
    return undefined;
  }
  return certificateFileObject(value, where, invalid);
}

function certificateFileObject(value: JsonObject, where: string, invalid: (span: Span, message: string) => void): CertificateFileReference | undefined {
  let path: string | undefined;
  let format: CertificateFormat = 'PEM';
  let valid = true;
  for (const property of value.properties) {
    const entry = property.value;
    if (property.key.value === 'path') {
      if (entry.kind === 'string' && entry.value.trim() !== '') path = entry.value;
      else {
        invalid(entry, `"path" of ${where} must name a file.`);
        valid = false;
      }
    } else if (property.key.value === 'format') {
      const written = entry.kind === 'string' ? entry.value.toUpperCase() : undefined;
      if (written === 'PEM' || written === 'DER') format = written;
      else {
        invalid(entry, `"format" of ${where} must be "PEM" or "DER".`);
        valid = false;
      }
    } else {
      invalid(property.key, `${where} takes "path" and "format", not "${property.key.value}".`);
      valid = false;
    }
  }
  if (path === undefined) {
    if (valid) invalid(value, `${where} needs a "path".`);
    return undefined;
  }
  return valid ? { path, format, span: { start: value.start, end: value.end } } : undefined;
}

/** A misspelt `SSLConfiguration` key in an environment (`sslConfiguration`, `SSLConfig`), which would otherwise pass as a variable. */
export function looksLikeSslConfiguration(key: string): boolean {
  return key !== sslConfigurationKey && /^ssl[-_ ]?config/i.test(key);
}

/** A setting of the merged configuration and the env file and environment it came from. */
export interface SslSetting<T> {
  readonly value: T;
  /** The env file that set it (its uri as the host named it): relative paths are resolved from its folder. */
  readonly uri: string;
  readonly environment: string;
}

/** What applies to one environment's requests: each key from the last file and environment that set it (`$shared`, then the environment; public, then private files). */
export interface EnvironmentSslConfiguration {
  readonly clientCertificate?: SslSetting<CertificateFileReference>;
  readonly clientCertificateKey?: SslSetting<CertificateFileReference>;
  readonly hasCertificatePassphrase?: SslSetting<boolean>;
  readonly verifyHostCertificate?: SslSetting<boolean>;
}

/** Merges the `SSLConfiguration`s of `layers` (each an environment of a file, in the order they apply) key by key; undefined when none sets anything. */
export function mergeSslConfigurations(layers: readonly { readonly uri: string; readonly environment: string; readonly configuration: SslConfiguration | undefined }[]): EnvironmentSslConfiguration | undefined {
  const merged: { -readonly [K in SslKey]?: EnvironmentSslConfiguration[K] } = {};
  let any = false;
  for (const { uri, environment, configuration } of layers) {
    if (configuration === undefined) continue;
    for (const key of sslConfigurationKeys) {
      const value = configuration[key];
      if (value === undefined) continue;
      any = true;
      (merged as Record<SslKey, SslSetting<unknown>>)[key] = { value, uri, environment };
    }
  }
  return any ? merged : undefined;
}

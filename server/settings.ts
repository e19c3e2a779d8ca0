// Courier's settings as the server sees them, normalised by the same schema the extension uses
// (client/settingsSchema.ts), so a hand-edited settings.json can never break the server and the
// editor never calls a variable defined that the extension would not send.

import { applyRestClientFallbacks } from '../client/restClientSettings';
import { environmentsDefiningWithSettings, normalizeCourierSettings, type EnvironmentsSetting } from '../client/settingsSchema';
import type { EnvironmentSnapshot, KnownVariable } from '../language/context';
import type { SeverityOverrides } from '../language/diagnosticSeverity';
import { buildEnvironmentSnapshot, sharedEnvironmentName, type EnvironmentFile } from '../language/environments';

/** The `courier.*` settings the language server uses. */
export interface ServerSettings {
  /** `courier.environment`: the active environment name, or undefined for none. */
  readonly environment: string | undefined;
  /** `courier.environments`: environments defined in settings, merged under the env files' ones. */
  readonly environments: EnvironmentsSetting;
  /** `courier.diagnostics.severity`: levels by problem code; absent when none is set. */
  readonly diagnosticSeverities?: SeverityOverrides;
  /** `courier.openapi.specs`: OpenAPI files or globs, besides those found by name; absent when none is set. */
  readonly openApiSpecs?: readonly string[];
}

export const defaultSettings: ServerSettings = Object.freeze({ environment: undefined, environments: new Map() });

/**
 * Reads `courier` settings from whatever the client returned for the section, with REST Client's
 * (`rest-client` section) where Courier's are not set; a bad value becomes its default.
 */
export function normalizeSettings(raw: unknown, restClientRaw?: unknown): ServerSettings {
  if (typeof raw !== 'object' || raw === null) return defaultSettings;
  const section = raw as { readonly environment?: unknown; readonly environments?: unknown; readonly diagnostics?: unknown; readonly openapi?: unknown };
  const restClient = typeof restClientRaw === 'object' && restClientRaw !== null ? (restClientRaw as Readonly<Record<string, unknown>>) : {};
  const { settings } = applyRestClientFallbacks(normalizeCourierSettings((key) => {
    if (key === 'environment') return section.environment;
    if (key === 'environments') return section.environments;
    // The client returns the section as nested objects: `diagnostics.severity` is `diagnostics: { severity }`.
    if (key === 'diagnostics.severity') return typeof section.diagnostics === 'object' && section.diagnostics !== null ? (section.diagnostics as { readonly severity?: unknown }).severity : undefined;
    if (key === 'openapi.specs') return typeof section.openapi === 'object' && section.openapi !== null ? (section.openapi as { readonly specs?: unknown }).specs : undefined;
    return undefined;
  }), (key) => (key === 'environmentVariables' ? restClient[key] : undefined), undefined);
  const normalized: ServerSettings = {
    environment: settings.environment,
    environments: settings.environments,
    ...(settings.openApiSpecs.length > 0 ? { openApiSpecs: settings.openApiSpecs } : {}),
  };
  return settings.diagnosticSeverities.size === 0 ? normalized : { ...normalized, diagnosticSeverities: settings.diagnosticSeverities };
}

/**
 * The environments a document sees: its env files with `courier.environments` merged under them,
 * as the extension does when sending. Env files win name by name (their `$shared` included); an
 * environment only settings define gets the files' `$shared` and its own settings values. With no
 * active environment (or an unknown one), settings join the union over every environment.
 */
export function environmentsWithSettings(files: readonly EnvironmentFile[], active: string | undefined, fromSettings: EnvironmentsSetting): EnvironmentSnapshot {
  const fromFiles = buildEnvironmentSnapshot(files, active);
  const settingsNames = [...fromSettings.keys()].filter((name) => name !== sharedEnvironmentName);
  const onlyInSettings = active !== undefined && !fromFiles.names.includes(active) && settingsNames.includes(active);
  // An environment the files do not define must not get the files' union: only their `$shared` applies.
  const base = onlyInSettings ? buildEnvironmentSnapshot(files.map(sharedOnly), undefined) : fromFiles;
  const chosen = onlyInSettings ? active : fromFiles.active;
  const variables = new Map<string, KnownVariable>(base.variables);
  const add = (environment: string, overwrite: boolean): void => {
    for (const [name, value] of fromSettings.get(environment) ?? []) {
      if (base.variables.has(name) || (!overwrite && variables.has(name))) continue;
      variables.set(name, {
        name,
        value,
        // A setting is not a file: no location, so go-to-definition finds nothing and hover names the setting.
        source: 'settings',
        location: undefined,
        environment,
      });
    }
  };
  if (chosen !== undefined) {
    add(sharedEnvironmentName, true);
    add(chosen, true);
  } else {
    // Union, as for env files: the first environment that defines a name supplies it; `$shared` comes last.
    for (const name of settingsNames) add(name, false);
    add(sharedEnvironmentName, false);
  }
  const names = [...fromFiles.names, ...settingsNames.filter((name) => !fromFiles.names.includes(name))];
  // Auth configurations come from the env files only.
  const security = fromFiles.security === undefined ? {} : { security: fromFiles.security };
  if (chosen !== undefined) return { names, active: chosen, variables, ...security };
  const fromFilesDefined = fromFiles.definedInEnvironments ?? new Map<string, readonly string[]>();
  // What the files' union has but no environment of theirs defines comes from their `$shared`.
  const sharedInFiles = (name: string): boolean => fromFiles.variables.has(name) && !fromFilesDefined.has(name);
  return { names, active: chosen, variables, definedInEnvironments: environmentsDefiningWithSettings(fromFilesDefined, sharedInFiles, fromSettings, names), ...security };
}

function sharedOnly(file: EnvironmentFile): EnvironmentFile {
  return { ...file, environments: file.environments.filter((environment) => environment.name === sharedEnvironmentName) };
}

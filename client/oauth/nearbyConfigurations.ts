// The `Security.Auth` configurations an editor command acts on: those of the env files nearest to
// a file (the active `.http` file, or the env file being edited), for one environment, with their
// values expanded as a send expands them (environment and settings variables, `$dotenv`,
// `$processEnv`), so the token a command acquires is the one a send then uses. Free of `vscode`.

import { randomUUID } from 'node:crypto';
import { loadDotenv, loadEnvironmentForSend } from '../../engine/environments';
import { authConfigurationIn } from '../../engine/oauth/tokenSource';
import { Resolver } from '../../engine/variables';
import { oauthGrantTypes, readSecurityText, type AuthConfiguration, type AuthConfigurationEntry, type OAuthGrantType } from '../../language/authConfigurations';
import { settingsVariables, type EnvironmentsSetting } from '../settingsSchema';

/** One entry of `Security.Auth` as a pick shows it. */
export interface ConfigurationChoice {
  readonly id: string;
  readonly grantType: OAuthGrantType | undefined;
  /** Why it cannot be used as written (a missing key, a wrong value); undefined when it can. */
  readonly problem: string | undefined;
}

export interface NearbyConfigurations {
  /** The environment tokens are kept under: the env files' name for it, `''` when none is chosen or only settings define it. */
  readonly environment: string;
  /** `environment dev`, or `no environment ($shared)`, for messages. */
  readonly environmentLabel: string;
  readonly choices: readonly ConfigurationChoice[];
  /** Why the env files cannot be used (a malformed file); undefined when they can. */
  readonly error: string | undefined;
  /** The configuration `id`, expanded as a send expands it; or why it cannot be had. */
  configuration(id: string): { readonly value: AuthConfiguration } | { readonly problem: string };
}

/**
 * The configurations of `environment` (undefined: none chosen) in the env files nearest to `file`,
 * searched up to `searchRoot`; `settingsEnvironments` is `courier.environments`, whose variables a
 * send substitutes too.
 */
export function nearbyConfigurations(file: string, environment: string | undefined, searchRoot: string | undefined, settingsEnvironments: EnvironmentsSetting): NearbyConfigurations {
  const { loaded, fileEnvironment } = loadEnvironmentForSend(file, environment, searchRoot);
  const environmentLabel = fileEnvironment === undefined ? 'no environment ($shared)' : `environment ${fileEnvironment}`;
  const security = loaded.variables.get('Security');
  const section = security === undefined ? undefined : readSecurityText(security);
  const choices = (section?.entries ?? []).map((entry) => ({
    id: entry.id,
    grantType: entry.configuration?.grantType ?? grantTypeWritten(entry.keys),
    problem: entry.configuration === undefined ? (entry.problems.find((problem) => problem.kind !== 'unknown-key') ?? entry.problems[0])?.message ?? 'it is incomplete' : undefined,
  }));
  const overrides = settingsVariables(settingsEnvironments, environment, (name) => loaded.variables.has(name));
  let dotenv: ReadonlyMap<string, string> | undefined;
  const resolver = new Resolver({
    overrides,
    fileVariables: new Map(),
    environment: loaded.variables,
    prompted: new Map(),
    sentRequest: () => undefined,
    system: {
      now: () => new Date(),
      random: Math.random,
      uuid: randomUUID,
      processEnv: (name) => process.env[name],
      dotenv: (name) => (dotenv ??= loadDotenv(file)).get(name),
    },
  });
  return {
    environment: fileEnvironment ?? '',
    environmentLabel,
    choices,
    error: loaded.error?.message,
    configuration: (id) => (loaded.error === undefined ? authConfigurationIn(security, id, fileEnvironment, (text) => resolver.substitute(text)) : { problem: loaded.error.message }),
  };
}

/** The `Grant Type` as written, for an entry that is not usable yet. */
function grantTypeWritten(keys: AuthConfigurationEntry['keys']): OAuthGrantType | undefined {
  const value = keys.find((key) => key.name === 'Grant Type')?.value;
  if (value?.kind !== 'string') return undefined;
  return oauthGrantTypes.find((grant) => grant.toLowerCase() === value.value.toLowerCase());
}

// `{{$auth.token("id")}}` and `{{$auth.idToken("id")}}` as an asynchronous variable source: before a
// request is prepared, each token it reads is obtained from its `Security.Auth` configuration in
// the run's environment (values expanded as the request's own), through the session's
// `OAuthTokens`. The values are handed to the expander under one spelling per token.

import { authTokenValueKey, readSecurityText, type AuthConfiguration } from '../../language/authConfigurations';
import type { SourceContext, SourceOutcome, VariableSource } from '../variableSources';
import { noValues } from '../variableSources';
import { TokenUnavailableError, type OAuthTokens } from './oauthTokens';

export class OAuthTokenSource implements VariableSource {
  constructor(private readonly tokens: OAuthTokens) {}

  resolve(context: SourceContext): SourceOutcome | Promise<SourceOutcome> {
    // Most requests read no token: no promise for them.
    const wanted = context.reads().authTokens;
    return wanted.length === 0 ? noValues : this.obtain(context, wanted);
  }

  private async obtain(context: SourceContext, wanted: SourceContextTokens): Promise<SourceOutcome> {
    const values = new Map<string, string>();
    const where = context.where(context.request);
    for (const reference of wanted) {
      const configuration = configurationFor(context, reference.id);
      if ('problem' in configuration) return { error: { code: 'variable', message: `${where}: ${configuration.problem}` } };
      const request = { configuration: configuration.value, environment: context.environmentName ?? '', ...(context.signal === undefined ? {} : { signal: context.signal }) };
      try {
        const token = context.mayAct ? await this.tokens.token(request, reference.kind, configuration.value.acquireAutomatically) : await this.tokens.stored(request, reference.kind);
        if (token === undefined) {
          return { error: { code: 'variable', message: `${where}: ${authTokenValueKey(reference)} is obtained when the request is sent (auth configuration "${reference.id}" has no valid token yet)` } };
        }
        values.set(authTokenValueKey(reference), token);
      } catch (error) {
        const cancelled = context.signal?.aborted === true;
        const message = error instanceof TokenUnavailableError ? error.message : `auth configuration "${reference.id}": ${(error as Error).message}`;
        return { error: { code: cancelled ? 'aborted' : 'auth', message: `${where}: ${message}` } };
      }
    }
    return { values };
  }
}

type SourceContextTokens = ReturnType<SourceContext['reads']>['authTokens'];

/** The configuration `id` of the run's environment, its values expanded; or why there is none. */
function configurationFor(context: SourceContext, id: string): { readonly value: AuthConfiguration } | { readonly problem: string } {
  return authConfigurationIn(context.environmentValue('Security'), id, context.environmentName, context.substitute);
}

/**
 * The configuration `id` of an environment's `Security` value (its merged JSON text), its values
 * expanded by `substitute` as a send expands them; or why there is none. The editor's "Acquire
 * OAuth Token" reads configurations through this too, so what it stores is what a send uses.
 */
export function authConfigurationIn(security: string | undefined, id: string, environmentName: string | undefined, substitute: (text: string) => string): { readonly value: AuthConfiguration } | { readonly problem: string } {
  const environment = environmentName === undefined ? 'the shared environment ($shared; no environment is chosen)' : `environment ${environmentName}`;
  const section = security === undefined ? undefined : readSecurityText(security);
  const entry = section?.entries.find((candidate) => candidate.id === id);
  if (entry === undefined) {
    const known = section?.entries.map((candidate) => candidate.id) ?? [];
    return {
      problem: `no auth configuration "${id}" in ${environment}${known.length === 0 ? ': add it under "Security": { "Auth": { ... } } in http-client.env.json' : ` (configured: ${known.join(', ')})`}`,
    };
  }
  if (entry.configuration === undefined) {
    const first = entry.problems.find((problem) => problem.kind !== 'unknown-key') ?? entry.problems[0];
    return { problem: `auth configuration "${id}" in ${environment} cannot be used: ${first?.message ?? 'it is incomplete'}` };
  }
  try {
    return { value: expanded(entry.configuration, substitute) };
  } catch (error) {
    return { problem: `auth configuration "${id}": ${(error as Error).message}` };
  }
}

/** The configuration with `{{...}}` in its values replaced. */
function expanded(configuration: AuthConfiguration, substitute: (text: string) => string): AuthConfiguration {
  const text = (value: string | undefined): string | undefined => (value === undefined ? undefined : substitute(value));
  return {
    ...configuration,
    authUrl: text(configuration.authUrl),
    tokenUrl: text(configuration.tokenUrl),
    redirectUrl: text(configuration.redirectUrl),
    deviceAuthUrl: text(configuration.deviceAuthUrl),
    clientId: substitute(configuration.clientId),
    clientSecret: text(configuration.clientSecret),
    scope: text(configuration.scope),
    username: text(configuration.username),
    password: text(configuration.password),
    pkce: configuration.pkce === undefined ? undefined : { ...configuration.pkce, verifier: text(configuration.pkce.verifier) },
    customParameters: configuration.customParameters.map((parameter) => ({ ...parameter, values: parameter.values.map(substitute) })),
  };
}

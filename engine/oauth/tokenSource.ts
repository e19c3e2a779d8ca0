// `{{$auth.token("id")}}` and `{{$auth.idToken("id")}}` as an asynchronous variable source: before a
// request is prepared, each token it reads is obtained from its `Security.Auth` configuration in
// the run's environment (values expanded as the request's own), through the session's
// `OAuthTokens`. The values are handed to the expander under one spelling per token.

import {
  authTokenValueKey,
  httpYacConfiguration,
  httpYacOAuthValueKey,
  parseHttpYacOAuthHeader,
  readSecurityText,
  restClientOidcConfiguration,
  restClientOidcValueKey,
  type AuthConfiguration,
} from '../../language/authConfigurations';
import type { SourceContext, SourceOutcome, VariableSource } from '../variableSources';
import { noValues } from '../variableSources';
import { TokenUnavailableError, type OAuthTokens } from './oauthTokens';

export class OAuthTokenSource implements VariableSource {
  constructor(private readonly tokens: OAuthTokens) {}

  resolve(context: SourceContext): SourceOutcome | Promise<SourceOutcome> {
    const needs = tokenNeeds(context);
    // Most requests read no token: no promise for them.
    return needs.length === 0 ? noValues : this.obtain(context, needs);
  }

  private async obtain(context: SourceContext, needs: readonly TokenNeed[]): Promise<SourceOutcome> {
    const values = new Map<string, string>();
    const where = context.where(context.request);
    for (const need of needs) {
      const configuration = need.configuration();
      if ('problem' in configuration) return { error: { code: 'variable', message: `${where}: ${configuration.problem}` } };
      const request = { configuration: configuration.value, environment: context.environmentName ?? '', ...(context.signal === undefined ? {} : { signal: context.signal }) };
      try {
        if (context.mayAct && need.forceNew === true) await this.tokens.acquireNow(request);
        const token = context.mayAct ? await this.tokens.token(request, need.kind, configuration.value.acquireAutomatically) : await this.tokens.stored(request, need.kind);
        if (token === undefined) {
          return { error: { code: 'variable', message: `${where}: the token of ${need.written} is obtained when the request is sent (there is no valid token yet)` } };
        }
        values.set(need.key, token);
      } catch (error) {
        const cancelled = context.signal?.aborted === true;
        const message = error instanceof TokenUnavailableError ? error.message : `auth configuration "${configuration.value.id}": ${(error as Error).message}`;
        return { error: { code: cancelled ? 'aborted' : 'auth', message: `${where}: ${message}` } };
      }
    }
    return { values };
  }
}

/** A token a request reads, in one of three tools' spellings, with the key its value is passed under. */
interface TokenNeed {
  readonly key: string;
  readonly kind: 'token' | 'idToken';
  /** As the file writes it, for messages. */
  readonly written: string;
  readonly forceNew?: boolean;
  readonly configuration: () => { readonly value: AuthConfiguration } | { readonly problem: string };
}

/** JetBrains' `$auth.token("id")`, REST Client's `$oidcAccessToken ...` and httpYac's `Authorization: oauth2 ...` the request reads. */
function tokenNeeds(context: SourceContext): TokenNeed[] {
  const reads = context.reads();
  const needs: TokenNeed[] = reads.authTokens.map((reference) => ({
    key: authTokenValueKey(reference),
    kind: reference.kind,
    written: authTokenValueKey(reference),
    configuration: () => configurationFor(context, reference.id),
  }));
  for (const args of reads.oidcTokens) {
    needs.push({
      key: restClientOidcValueKey(args),
      kind: 'token',
      written: restClientOidcValueKey(args),
      forceNew: args.includes('new'),
      configuration: () => {
        try {
          const read = restClientOidcConfiguration(args.map((argument) => context.substitute(argument)));
          return 'problem' in read ? read : { value: read.configuration };
        } catch (error) {
          // An argument's variable that nothing defines fails this request, not the run.
          return { problem: `${restClientOidcValueKey(args)}: ${(error as Error).message}` };
        }
      },
    });
  }
  for (const header of context.request.headers) {
    if (header.name.text.toLowerCase() !== 'authorization') continue;
    const httpYac = parseHttpYacOAuthHeader(header.value.text);
    if (httpYac === undefined) continue;
    const { grantType, prefix } = httpYac;
    needs.push({
      key: httpYacOAuthValueKey(httpYac),
      kind: 'token',
      written: `Authorization: ${header.value.text.trim()}`,
      configuration: () => {
        if (grantType === 'hybrid') return { problem: 'httpYac\'s hybrid flow is not one Courier obtains tokens with: use authorization_code (with PKCE), or a JetBrains Security.Auth configuration' };
        try {
          return { value: httpYacConfiguration(grantType, prefix, (name) => variableValue(context, name)) };
        } catch (error) {
          return { problem: `Authorization: ${header.value.text.trim()}: ${(error as Error).message}` };
        }
      },
    });
  }
  return needs;
}

/** A variable's expanded value, or undefined when nothing defines it. */
function variableValue(context: SourceContext, name: string): string | undefined {
  try {
    return context.substitute(`{{${name}}}`);
  } catch {
    return undefined;
  }
}

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

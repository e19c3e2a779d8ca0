// OAuth tokens as session state: one `OAuthTokens` per front end (the CLI's run, the extension's
// window) hands out the token a request reads. A token is used while it is valid, refreshed with
// its refresh token shortly before it expires, and acquired again when refreshing fails; two
// requests that need the same token at once share one acquisition. Every request to a provider is
// a line in the Auth log; every token and secret seen is remembered so that reports, history and
// logs can redact it.

import { createHash } from 'node:crypto';
import type { AuthConfiguration } from '../../language/authConfigurations';
import type { AuthInteraction } from './browserStep';
import { acquireTokens, refreshTokens, type AuthLog, type TokenResponse } from './grants';
import type { StoredTokens, TokenKey, TokenStore } from './tokenStore';

export interface OAuthTokensOptions {
  readonly store: TokenStore;
  readonly interaction: AuthInteraction;
  readonly log?: AuthLog;
  /** Tests move the clock. */
  readonly now?: () => number;
  /** A token this close to its expiry is refreshed first (ms). */
  readonly refreshMarginMs?: number;
  readonly fetch?: typeof fetch;
}

/** A configuration to get tokens for: its values expanded, and the environment it belongs to. */
export interface TokenRequest {
  readonly configuration: AuthConfiguration;
  /** `''` when no environment is chosen (`$shared` only). */
  readonly environment: string;
  readonly signal?: AbortSignal;
}

/** What "show" tells about a stored token: never the token itself. */
export interface TokenSummary {
  readonly key: TokenKey;
  readonly grantType: StoredTokens['grantType'];
  readonly expiresAt: number | undefined;
  readonly scope: string | undefined;
  readonly hasRefreshToken: boolean;
  readonly hasIdToken: boolean;
  readonly obtainedAt: number;
}

/** Why no token could be had, in a sentence for the request's error. */
export class TokenUnavailableError extends Error {}

export class OAuthTokens {
  private readonly pending = new Map<string, Promise<StoredTokens>>();
  private readonly seen = new Set<string>();
  private readonly now: () => number;
  private readonly margin: number;

  constructor(private readonly options: OAuthTokensOptions) {
    this.now = options.now ?? Date.now;
    this.margin = options.refreshMarginMs ?? 30_000;
  }

  /**
   * The access token (or ID token) of `request`'s configuration: stored and valid, refreshed, or
   * acquired. With `acquire` false (the configuration's `Acquire Automatically: false`) no new
   * acquisition starts; a stored token is still used and refreshed.
   */
  async token(request: TokenRequest, kind: 'token' | 'idToken', acquire: boolean): Promise<string> {
    const tokens = await this.valid(request, acquire);
    const wantsIdToken = kind === 'idToken' || request.configuration.useIdToken;
    if (!wantsIdToken) return tokens.accessToken;
    if (tokens.idToken === undefined) throw new TokenUnavailableError(`${label(request)} gave no ID token: add openid to its "Scope"`);
    return tokens.idToken;
  }

  /** A stored, unexpired token without any request to the provider (for cURL export and previews); undefined when there is none. */
  async stored(request: TokenRequest, kind: 'token' | 'idToken'): Promise<string | undefined> {
    const stored = await this.options.store.get(keyOf(request));
    if (stored === undefined || stored.fingerprint !== fingerprint(request.configuration) || this.expired(stored, 0)) return undefined;
    this.remember(stored);
    return kind === 'idToken' || request.configuration.useIdToken ? stored.idToken : stored.accessToken;
  }

  /** Acquires new tokens whatever is stored ("Acquire OAuth Token"). */
  acquireNow(request: TokenRequest): Promise<StoredTokens> {
    return this.once(request, () => this.acquire(request));
  }

  /** What is stored, for "show". */
  async summaries(): Promise<TokenSummary[]> {
    const summaries: TokenSummary[] = [];
    for (const key of await this.options.store.keys()) {
      const stored = await this.options.store.get(key);
      if (stored === undefined) continue;
      summaries.push({
        key,
        grantType: stored.grantType,
        expiresAt: stored.expiresAt,
        scope: stored.scope,
        hasRefreshToken: stored.refreshToken !== undefined,
        hasIdToken: stored.idToken !== undefined,
        obtainedAt: stored.obtainedAt,
      });
    }
    return summaries;
  }

  /** The stored tokens of one key, for "show" when the user asks to see the token itself. */
  async storedTokens(key: TokenKey): Promise<StoredTokens | undefined> {
    return this.options.store.get(key);
  }

  /** Forgets one configuration's tokens, or all. */
  async clear(key?: TokenKey): Promise<number> {
    const keys = key === undefined ? await this.options.store.keys() : [key];
    for (const each of keys) await this.options.store.delete(each);
    return keys.length;
  }

  /** Every token and configuration secret this session has seen, for redaction. */
  secrets(): string[] {
    return [...this.seen];
  }

  private async valid(request: TokenRequest, acquire: boolean): Promise<StoredTokens> {
    this.rememberConfiguration(request.configuration);
    const stored = await this.options.store.get(keyOf(request));
    const current = stored !== undefined && stored.fingerprint === fingerprint(request.configuration) ? stored : undefined;
    if (current !== undefined) this.remember(current);
    if (current !== undefined && !this.expired(current, this.margin)) return current;
    return this.once(request, async () => {
      if (current?.refreshToken !== undefined) {
        try {
          return await this.refresh(request, current);
        } catch (error) {
          this.log(`${label(request)}: refreshing failed (${(error as Error).message}); acquiring a new token`);
        }
      }
      if (!acquire) {
        throw new TokenUnavailableError(`${label(request)} has ${current === undefined ? 'no token' : 'only an expired token'} and "Acquire Automatically" is false: acquire one with "Courier: Acquire OAuth Token" (or set it to true)`);
      }
      return this.acquire(request);
    });
  }

  /** One acquisition or refresh per configuration at a time: requests waiting for the same token share it. */
  private once(request: TokenRequest, work: () => Promise<StoredTokens>): Promise<StoredTokens> {
    const key = `${request.environment}\u0000${request.configuration.id}`;
    const running = this.pending.get(key);
    if (running !== undefined) return running;
    const started = work().finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }

  private async acquire(request: TokenRequest): Promise<StoredTokens> {
    this.log(`${label(request)}: acquiring a token (${request.configuration.grantType})`);
    const response = await acquireTokens(request.configuration, this.grantContext(request)).catch((error: unknown) => {
      throw new TokenUnavailableError(`${label(request)}: ${(error as Error).message}`);
    });
    return this.keep(request, response, undefined);
  }

  private async refresh(request: TokenRequest, current: StoredTokens): Promise<StoredTokens> {
    this.log(`${label(request)}: refreshing the token${current.expiresAt === undefined ? '' : `, which expires ${new Date(current.expiresAt).toISOString()}`}`);
    const response = await refreshTokens(request.configuration, current.refreshToken ?? '', this.grantContext(request));
    return this.keep(request, response, current);
  }

  private async keep(request: TokenRequest, response: TokenResponse, previous: StoredTokens | undefined): Promise<StoredTokens> {
    const now = this.now();
    const refreshToken = response.refresh_token ?? previous?.refreshToken;
    const idToken = response.id_token ?? previous?.idToken;
    const scope = response.scope ?? previous?.scope;
    const tokens: StoredTokens = {
      accessToken: response.access_token,
      tokenType: response.token_type,
      obtainedAt: now,
      grantType: request.configuration.grantType,
      fingerprint: fingerprint(request.configuration),
      ...(response.expires_in === undefined ? {} : { expiresAt: now + response.expires_in * 1000 }),
      ...(refreshToken === undefined ? {} : { refreshToken }),
      ...(idToken === undefined ? {} : { idToken }),
      ...(scope === undefined ? {} : { scope }),
    };
    this.remember(tokens);
    await this.options.store.set(keyOf(request), tokens);
    this.log(`${label(request)}: got ${previous === undefined ? 'a token' : 'a refreshed token'}${tokens.expiresAt === undefined ? '' : ` valid until ${new Date(tokens.expiresAt).toISOString()}`}${scope === undefined ? '' : `, scope "${scope}"`}${refreshToken === undefined ? '' : ', with a refresh token'}`);
    return tokens;
  }

  private grantContext(request: TokenRequest): Parameters<typeof acquireTokens>[1] {
    return {
      label: label(request),
      interaction: this.options.interaction,
      log: (line) => this.log(line),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
      ...(this.options.fetch === undefined ? {} : { fetch: this.options.fetch }),
    };
  }

  private expired(tokens: StoredTokens, margin: number): boolean {
    return tokens.expiresAt !== undefined && tokens.expiresAt - margin <= this.now();
  }

  private remember(tokens: StoredTokens): void {
    for (const value of [tokens.accessToken, tokens.idToken, tokens.refreshToken]) if (value !== undefined && value !== '') this.seen.add(value);
  }

  private rememberConfiguration(configuration: AuthConfiguration): void {
    for (const value of [configuration.clientSecret, configuration.password]) if (value !== undefined && value !== '') this.seen.add(value);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/** `auth configuration "my-app" (environment dev)`, for messages. */
function label(request: TokenRequest): string {
  return `auth configuration "${request.configuration.id}"${request.environment === '' ? '' : ` (environment ${request.environment})`}`;
}

function keyOf(request: TokenRequest): TokenKey {
  return { environment: request.environment, id: request.configuration.id };
}

/**
 * A digest of what decides which tokens a configuration gets: its endpoints, client, grant and
 * scope. Secrets are left out: the digest is stored beside the tokens, and a changed password does
 * not make a token the provider issued invalid.
 */
export function fingerprint(configuration: AuthConfiguration): string {
  const { clientSecret: _secret, password: _password, acquireAutomatically: _acquire, ...decisive } = configuration;
  return createHash('sha256').update(JSON.stringify(decisive)).digest('base64url');
}


// OAuth tokens in VS Code's SecretStorage (the OS keychain, or VS Code's encrypted store): one
// secret per environment and configuration, and one more holding the index of those keys, since
// SecretStorage cannot list what it holds. Nothing here touches settings, workspace state or files.
// Free of `vscode` (it takes the part of SecretStorage it uses), so it is unit-tested in Node.

import type { StoredTokens, TokenKey, TokenStore } from '../../engine/oauth/tokenStore';

/** The part of `vscode.SecretStorage` the store uses. */
export interface SecretStorageLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** The SecretStorage key of the index of stored token keys. */
export const tokenIndexSecretKey = 'courier.oauth.index';

/** The SecretStorage key of one configuration's tokens in one environment. */
export function tokenSecretKey(key: TokenKey): string {
  // JSON keeps any environment or id apart, whatever characters they hold.
  return `courier.oauth.tokens:${JSON.stringify([key.environment, key.id])}`;
}

export class SecretTokenStore implements TokenStore {
  /** One change at a time, so two writes never lose each other's index entry. */
  private changing: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly secrets: SecretStorageLike) {}

  async get(key: TokenKey): Promise<StoredTokens | undefined> {
    await this.changing;
    return parseTokens(await this.secrets.get(tokenSecretKey(key)));
  }

  set(key: TokenKey, tokens: StoredTokens): Promise<void> {
    return this.change(async () => {
      await this.secrets.store(tokenSecretKey(key), JSON.stringify(tokens));
      const index = await this.readIndex();
      if (!index.some((known) => sameKey(known, key))) await this.writeIndex([...index, { environment: key.environment, id: key.id }]);
    });
  }

  delete(key: TokenKey): Promise<void> {
    return this.change(async () => {
      await this.secrets.delete(tokenSecretKey(key));
      const index = await this.readIndex();
      const rest = index.filter((known) => !sameKey(known, key));
      if (rest.length !== index.length) await this.writeIndex(rest);
    });
  }

  async keys(): Promise<TokenKey[]> {
    await this.changing;
    return this.readIndex();
  }

  /** Calls `listener` after each change this store makes, and when `secretsChanged` says another window made one. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** For `SecretStorage.onDidChange`: tells listeners when a token key or the index changed (another window acquired or cleared). */
  secretsChanged(secretKey: string): void {
    if (secretKey === tokenIndexSecretKey || secretKey.startsWith('courier.oauth.tokens:')) this.fire();
  }

  private change(work: () => Promise<void>): Promise<void> {
    const done = this.changing.then(work, work);
    this.changing = done.catch(() => undefined);
    return done.finally(() => this.fire());
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }

  private async readIndex(): Promise<TokenKey[]> {
    const text = await this.secrets.get(tokenIndexSecretKey);
    if (text === undefined) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isTokenKey).map((key) => ({ environment: key.environment, id: key.id }));
  }

  private writeIndex(keys: readonly TokenKey[]): PromiseLike<void> {
    return keys.length === 0 ? this.secrets.delete(tokenIndexSecretKey) : this.secrets.store(tokenIndexSecretKey, JSON.stringify(keys));
  }
}

function sameKey(a: TokenKey, b: TokenKey): boolean {
  return a.environment === b.environment && a.id === b.id;
}

function isTokenKey(value: unknown): value is TokenKey {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.environment === 'string' && typeof record.id === 'string';
}

/** Tokens as stored; undefined for a missing or unreadable secret (a store written by something else is ignored, never trusted). */
function parseTokens(text: string | undefined): StoredTokens | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const optionalText = (name: string): boolean => record[name] === undefined || typeof record[name] === 'string';
  const valid =
    typeof record.accessToken === 'string' &&
    typeof record.tokenType === 'string' &&
    typeof record.obtainedAt === 'number' &&
    typeof record.grantType === 'string' &&
    typeof record.fingerprint === 'string' &&
    (record.expiresAt === undefined || typeof record.expiresAt === 'number') &&
    optionalText('idToken') &&
    optionalText('refreshToken') &&
    optionalText('scope');
  return valid ? (parsed as StoredTokens) : undefined;
}

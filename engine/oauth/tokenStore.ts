// Where OAuth tokens are kept between sends: in memory for a CLI run, in a file the user names
// (`courier run --token-store FILE`: owner-only, replaced atomically), or in VS Code's
// SecretStorage (the extension's own store, in client/). Never in the user's `.http` or env files.

import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../atomicFile';
import type { OAuthGrantType } from '../../language/authConfigurations';

/** The tokens of one configuration in one environment, as the token endpoint gave them. */
export interface StoredTokens {
  readonly accessToken: string;
  readonly idToken?: string;
  readonly refreshToken?: string;
  /** Lower case, as RFC 6749 compares it: `bearer`, `dpop`. */
  readonly tokenType: string;
  /** When the access token expires (ms since the epoch); undefined when the server did not say. */
  readonly expiresAt?: number;
  /** The scope granted, when the server said. */
  readonly scope?: string;
  readonly obtainedAt: number;
  readonly grantType: OAuthGrantType;
  /**
   * The configuration the tokens were obtained with, as a digest of its expanded values: a
   * changed Token URL, client or scope makes them stale.
   */
  readonly fingerprint: string;
}

/** A key: the environment (`''` for none) and the configuration id. */
export interface TokenKey {
  readonly environment: string;
  readonly id: string;
}

export function tokenKeyText(key: TokenKey): string {
  return `${key.environment}\u0000${key.id}`;
}

function tokenKeyOf(text: string): TokenKey {
  const [environment = '', id = ''] = text.split('\u0000');
  return { environment, id };
}

/** Where tokens live; asynchronous because SecretStorage is. */
export interface TokenStore {
  get(key: TokenKey): Promise<StoredTokens | undefined>;
  set(key: TokenKey, tokens: StoredTokens): Promise<void>;
  delete(key: TokenKey): Promise<void>;
  /** Every key with tokens, for "show" and "clear all". */
  keys(): Promise<TokenKey[]>;
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredTokens>();

  get(key: TokenKey): Promise<StoredTokens | undefined> {
    return Promise.resolve(this.tokens.get(tokenKeyText(key)));
  }

  set(key: TokenKey, tokens: StoredTokens): Promise<void> {
    this.tokens.set(tokenKeyText(key), tokens);
    return Promise.resolve();
  }

  delete(key: TokenKey): Promise<void> {
    this.tokens.delete(tokenKeyText(key));
    return Promise.resolve();
  }

  keys(): Promise<TokenKey[]> {
    return Promise.resolve([...this.tokens.keys()].map(tokenKeyOf));
  }
}

/**
 * A JSON file of tokens, read on first use and written whole after each change: created readable
 * by its owner only and replaced atomically (`atomicFile.ts`), so a killed run leaves either the
 * old file or the new one. A file that is not a token store is an error naming it, never overwritten.
 */
export class FileTokenStore implements TokenStore {
  private tokens: Map<string, StoredTokens> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  async get(key: TokenKey): Promise<StoredTokens | undefined> {
    return (await this.load()).get(tokenKeyText(key));
  }

  async set(key: TokenKey, tokens: StoredTokens): Promise<void> {
    (await this.load()).set(tokenKeyText(key), tokens);
    await this.save();
  }

  async delete(key: TokenKey): Promise<void> {
    if ((await this.load()).delete(tokenKeyText(key))) await this.save();
  }

  async keys(): Promise<TokenKey[]> {
    return [...(await this.load()).keys()].map(tokenKeyOf);
  }

  private async load(): Promise<Map<string, StoredTokens>> {
    if (this.tokens !== undefined) return this.tokens;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the token store ${this.file}: ${(error as Error).message}`, { cause: error });
      return (this.tokens = new Map());
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isStoreFile(parsed)) throw new Error(`${this.file} is not a Courier token store (it was not written by --token-store): name another file, or delete it`);
    return (this.tokens = new Map(Object.entries(parsed.tokens)));
  }

  private save(): Promise<void> {
    const tokens = this.tokens ?? new Map<string, StoredTokens>();
    // One write at a time, each with the state when it starts: the last one written holds every change.
    this.writing = this.writing.then(() => writeFileAtomically(this.file, `${JSON.stringify({ courierTokenStore: 1, tokens: Object.fromEntries(tokens) }, undefined, 2)}\n`, 'owner'));
    return this.writing;
  }
}

function isStoreFile(value: unknown): value is { readonly tokens: Record<string, StoredTokens> } {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { courierTokenStore?: unknown; tokens?: unknown };
  return record.courierTokenStore === 1 && typeof record.tokens === 'object' && record.tokens !== null;
}

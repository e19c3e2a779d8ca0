// The session's cookie jar: tough-cookie for the rules (domain, path, expiry, Secure, SameSite),
// plus persistence to a JSON file that is replaced atomically, so a crash mid-write never leaves
// a broken jar, and a jar that cannot be read is set aside with a warning, never deleted.
import { readFile, rename } from 'node:fs/promises';
import { Cookie, CookieJar, getPublicSuffix } from 'tough-cookie';
import { writeFileAtomically } from './atomicFile';

/** One stored cookie, as shown to users. */
export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  readonly path: string;
  /** ISO date, or undefined for a session cookie. */
  readonly expires: string | undefined;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: string | undefined;
}

/** What users can do with a session's cookies. */
export interface CookieStore {
  /** Every stored cookie, expired ones excluded. */
  list(): Promise<readonly StoredCookie[]>;
  /** Removes every cookie (and persists the empty jar). */
  clear(): Promise<void>;
  /** Removes the cookies of `domain` and its subdomains; resolves to how many were removed. */
  clearDomain(domain: string): Promise<number>;
}

/** How a request relates to the site that started it, for SameSite rules. */
export type SameSiteContext = 'strict' | 'lax' | 'none';

/**
 * The SameSite context of a hop: a request the user sends is first-party (`strict`); a redirect hop
 * to another site is `lax` for safe methods and `none` otherwise, as browsers do for navigations.
 */
export function sameSiteContextFor(url: URL, initiator: URL, method: string): SameSiteContext {
  if (siteOf(url) === siteOf(initiator)) return 'strict';
  return method === 'GET' || method === 'HEAD' ? 'lax' : 'none';
}

function siteOf(url: URL): string {
  return getPublicSuffix(url.hostname, { allowSpecialUseDomain: true, ignoreError: true }) ?? url.hostname;
}

/** A tough-cookie jar that can persist itself to `file`. */
export class PersistentCookieJar implements CookieStore {
  private readonly jar = new CookieJar(undefined, { allowSecureOnLocal: false, rejectPublicSuffixes: true });
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    /** Undefined when not persisted, or when the existing file could not be read (never overwrite what we could not read). */
    private readonly file: string | undefined,
  ) {}

  /** Loads `file` when given; problems become warnings and the session starts with an empty jar. */
  static async open(file: string | undefined): Promise<{ readonly jar: PersistentCookieJar; readonly warnings: readonly string[] }> {
    if (file === undefined) return { jar: new PersistentCookieJar(undefined), warnings: [] };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return { jar: new PersistentCookieJar(file), warnings: [] };
      const reason = error instanceof Error ? error.message : String(error);
      return {
        jar: new PersistentCookieJar(undefined),
        warnings: [`cannot read the cookie jar ${file} (${reason}); cookies of this session will not be saved to it`],
      };
    }
    const jar = new PersistentCookieJar(file);
    try {
      await jar.importSerialized(text);
      return { jar, warnings: [] };
    } catch (error) {
      const aside = `${file}.corrupt-${Date.now()}`;
      const reason = error instanceof Error ? error.message : String(error);
      try {
        await rename(file, aside);
      } catch (renameError) {
        const renameReason = renameError instanceof Error ? renameError.message : String(renameError);
        return {
          jar: new PersistentCookieJar(undefined),
          warnings: [`the cookie jar ${file} is not valid (${reason}) and could not be moved aside (${renameReason}); cookies will not be saved to it`],
        };
      }
      return { jar, warnings: [`the cookie jar ${file} is not valid (${reason}); it was moved to ${aside} and this session starts with no cookies`] };
    }
  }

  /** Puts the cookies of a serialized jar into this one (keeping this jar's rules); throws when the text is not a jar. */
  private async importSerialized(text: string): Promise<void> {
    const parsed = JSON.parse(text) as unknown;
    const cookies = (parsed as { cookies?: unknown } | null)?.cookies;
    if (!Array.isArray(cookies)) throw new Error('it has no "cookies" list');
    for (const [index, entry] of cookies.entries()) {
      const cookie = Cookie.fromJSON(entry);
      if (cookie === undefined || cookie === null) throw new Error(`cookie #${index + 1} is malformed`);
      await this.jar.store.putCookie(cookie);
    }
  }

  /** The Cookie header value for a request, or undefined when no cookie applies. */
  async cookieHeader(url: URL, sameSiteContext: SameSiteContext): Promise<string | undefined> {
    const value = await this.jar.getCookieString(url.href, { sameSiteContext });
    return value === '' ? undefined : value;
  }

  /** Stores each Set-Cookie of a response; returns a warning per cookie that the rules rejected. */
  async storeFromResponse(url: URL, setCookies: readonly string[], sameSiteContext: SameSiteContext): Promise<string[]> {
    const warnings: string[] = [];
    for (const header of setCookies) {
      try {
        await this.jar.setCookie(header, url.href, { sameSiteContext });
      } catch (error) {
        const name = header.split('=', 1)[0]?.trim() ?? header;
        const reason = error instanceof Error ? error.message : String(error);
        warnings.push(`cookie "${name}" from ${url.host} was not stored: ${reason}`);
      }
    }
    return warnings;
  }

  async list(): Promise<readonly StoredCookie[]> {
    const now = Date.now();
    const cookies: StoredCookie[] = [];
    for (const cookie of await this.jar.store.getAllCookies()) {
      if (isExpired(cookie, now)) continue;
      const expiry = cookie.expiryTime();
      cookies.push({
        name: cookie.key,
        value: cookie.value,
        domain: cookie.domain ?? '',
        path: cookie.path ?? '/',
        expires: expiry === undefined || !Number.isFinite(expiry) ? undefined : new Date(expiry).toISOString(),
        secure: cookie.secure,
        httpOnly: cookie.httpOnly,
        sameSite: cookie.sameSite,
      });
    }
    return cookies;
  }

  async clear(): Promise<void> {
    await this.jar.removeAllCookies();
    await this.save();
  }

  async clearDomain(domain: string): Promise<number> {
    const wanted = domain.trim().replace(/^\./, '').toLowerCase();
    const store = this.jar.store;
    const all = await store.getAllCookies();
    let removed = 0;
    for (const cookie of all) {
      const cookieDomain = (cookie.domain ?? '').toLowerCase();
      if (cookieDomain === wanted || cookieDomain.endsWith(`.${wanted}`)) {
        await store.removeCookie(cookie.domain, cookie.path, cookie.key);
        // Expired cookies are swept too but were not visible, so they are not counted.
        if (!isExpired(cookie)) removed++;
      }
    }
    if (removed > 0) await this.save();
    return removed;
  }

  /** Writes the jar to its file atomically (temp file, fsync, rename); saves run one at a time. */
  async save(): Promise<void> {
    const file = this.file;
    if (file === undefined) return;
    const next = this.saving.then(async () => {
      const json = JSON.stringify(await this.jar.serialize(), undefined, 2);
      try {
        await writeFileAtomically(file, json);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`could not save the cookie jar ${file}: ${reason}; cookies are kept in memory for this session`, { cause: error });
      }
    });
    // A failed save must not block later ones.
    this.saving = next.catch(() => undefined);
    return next;
  }
}

function isExpired(cookie: Cookie, now = Date.now()): boolean {
  const expiry = cookie.expiryTime();
  return expiry !== undefined && expiry <= now;
}

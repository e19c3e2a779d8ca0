// Storage for the demo identity provider: one Map per start, so every start is fresh and two
// demo APIs in one process (tests) never share tokens. oidc-provider's built-in memory adapter
// keeps one store for the whole process, and warns that it is for development.
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  /** Epoch milliseconds; undefined never expires. */
  readonly expiresAt: number | undefined;
}

/** Models whose entries a grant's revocation removes (oidc-provider's list). */
const grantBound = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

export function createStoreAdapter(): AdapterFactory {
  const entries = new Map<string, Entry>();
  /** Secondary keys (`userCode:…`, `sessionUid:…`) to the primary key of their entry. */
  const aliases = new Map<string, string>();
  const keysByGrant = new Map<string, Set<string>>();

  const read = (key: string | undefined): AdapterPayload | undefined => {
    if (key === undefined) return undefined;
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    const keyOf = (id: string): string => `${model}:${id}`;
    return {
      upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        entries.set(key, { payload, expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined });
        if (model === 'Session' && typeof payload.uid === 'string') aliases.set(`sessionUid:${payload.uid}`, key);
        if (typeof payload.userCode === 'string') aliases.set(`userCode:${payload.userCode}`, key);
        if (grantBound.has(model) && typeof payload.grantId === 'string') {
          let keys = keysByGrant.get(payload.grantId);
          if (keys === undefined) keysByGrant.set(payload.grantId, (keys = new Set()));
          keys.add(key);
        }
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(read(keyOf(id))),
      findByUserCode: (userCode) => Promise.resolve(read(aliases.get(`userCode:${userCode}`))),
      findByUid: (uid) => Promise.resolve(read(aliases.get(`sessionUid:${uid}`))),
      consume(id) {
        const payload = read(keyOf(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
        return Promise.resolve();
      },
      destroy(id) {
        entries.delete(keyOf(id));
        return Promise.resolve();
      },
      revokeByGrantId(grantId) {
        for (const key of keysByGrant.get(grantId) ?? []) entries.delete(key);
        keysByGrant.delete(grantId);
        return Promise.resolve();
      },
    };
  };
}

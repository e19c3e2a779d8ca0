import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoredTokens } from '../../../../engine/oauth/tokenStore';
import { SecretTokenStore, tokenIndexSecretKey, tokenSecretKey, type SecretStorageLike } from '../../../../client/oauth/secretTokenStore';

/** SecretStorage as VS Code gives it: strings by key, asynchronous, no listing. */
class FakeSecretStorage implements SecretStorageLike {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    await Promise.resolve();
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    await Promise.resolve();
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    await Promise.resolve();
    this.values.delete(key);
  }
}

function tokens(accessToken: string): StoredTokens {
  return { accessToken, tokenType: 'bearer', obtainedAt: 1_000, grantType: 'Client Credentials', fingerprint: 'f', expiresAt: 61_000, scope: 'read', refreshToken: `refresh-${accessToken}` };
}

describe('SecretTokenStore', () => {
  test('tokens are kept per environment and configuration, each under its own secret, with an index of the keys', async () => {
    const secrets = new FakeSecretStorage();
    const store = new SecretTokenStore(secrets);
    await store.set({ environment: 'dev', id: 'api' }, tokens('dev-api-token'));
    await store.set({ environment: 'prod', id: 'api' }, tokens('prod-api-token'));
    await store.set({ environment: '', id: 'api' }, tokens('shared-api-token'));
    assert.equal((await store.get({ environment: 'dev', id: 'api' }))?.accessToken, 'dev-api-token');
    assert.equal((await store.get({ environment: 'prod', id: 'api' }))?.accessToken, 'prod-api-token');
    assert.equal((await store.get({ environment: '', id: 'api' }))?.accessToken, 'shared-api-token');
    assert.deepEqual(await store.keys(), [{ environment: 'dev', id: 'api' }, { environment: 'prod', id: 'api' }, { environment: '', id: 'api' }]);
    assert.ok(secrets.values.get(tokenSecretKey({ environment: 'dev', id: 'api' }))?.includes('dev-api-token'));
    // The index names keys only: no token in it.
    assert.doesNotMatch(secrets.values.get(tokenIndexSecretKey) ?? '', /token"/);
    assert.doesNotMatch(secrets.values.get(tokenIndexSecretKey) ?? '', /api-token/);
  });

  test('keys with any characters stay apart (an environment and an id that would join alike)', async () => {
    const store = new SecretTokenStore(new FakeSecretStorage());
    await store.set({ environment: 'a:b', id: 'c' }, tokens('one'));
    await store.set({ environment: 'a', id: 'b:c' }, tokens('two'));
    assert.equal((await store.get({ environment: 'a:b', id: 'c' }))?.accessToken, 'one');
    assert.equal((await store.get({ environment: 'a', id: 'b:c' }))?.accessToken, 'two');
  });

  test('setting the same key again replaces its tokens and keeps one index entry', async () => {
    const store = new SecretTokenStore(new FakeSecretStorage());
    await store.set({ environment: 'dev', id: 'api' }, tokens('first'));
    await store.set({ environment: 'dev', id: 'api' }, tokens('second'));
    assert.equal((await store.get({ environment: 'dev', id: 'api' }))?.accessToken, 'second');
    assert.deepEqual(await store.keys(), [{ environment: 'dev', id: 'api' }]);
  });

  test('concurrent sets lose no index entry', async () => {
    const store = new SecretTokenStore(new FakeSecretStorage());
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.set({ environment: 'dev', id }, tokens(`token-${id}`))));
    assert.deepEqual((await store.keys()).map((key) => key.id).sort(), ['a', 'b', 'c', 'd']);
  });

  test('delete removes the secret and its index entry; the index secret goes with the last key', async () => {
    const secrets = new FakeSecretStorage();
    const store = new SecretTokenStore(secrets);
    await store.set({ environment: 'dev', id: 'a' }, tokens('token-a'));
    await store.set({ environment: 'dev', id: 'b' }, tokens('token-b'));
    await store.delete({ environment: 'dev', id: 'a' });
    assert.equal(await store.get({ environment: 'dev', id: 'a' }), undefined);
    assert.deepEqual(await store.keys(), [{ environment: 'dev', id: 'b' }]);
    await store.delete({ environment: 'dev', id: 'b' });
    assert.deepEqual([...secrets.values.keys()], []);
  });

  test('an unreadable secret or index is treated as absent, never trusted', async () => {
    const secrets = new FakeSecretStorage();
    const store = new SecretTokenStore(secrets);
    secrets.values.set(tokenSecretKey({ environment: 'dev', id: 'api' }), '{"accessToken": 42}');
    secrets.values.set(tokenSecretKey({ environment: 'dev', id: 'bad' }), 'not json');
    secrets.values.set(tokenIndexSecretKey, '[{"environment":"dev","id":"api"}, {"id": 3}, "x"]');
    assert.equal(await store.get({ environment: 'dev', id: 'api' }), undefined);
    assert.equal(await store.get({ environment: 'dev', id: 'bad' }), undefined);
    assert.deepEqual(await store.keys(), [{ environment: 'dev', id: 'api' }]);
    secrets.values.set(tokenIndexSecretKey, '{');
    assert.deepEqual(await store.keys(), []);
  });

  test('listeners hear of each change, and of token secrets another window changed', async () => {
    const store = new SecretTokenStore(new FakeSecretStorage());
    let heard = 0;
    const listening = store.onDidChange(() => heard++);
    await store.set({ environment: 'dev', id: 'api' }, tokens('t'));
    await store.delete({ environment: 'dev', id: 'api' });
    store.secretsChanged(tokenIndexSecretKey);
    store.secretsChanged('someone.else');
    assert.equal(heard, 3);
    listening.dispose();
    store.secretsChanged(tokenIndexSecretKey);
    assert.equal(heard, 3);
  });
});

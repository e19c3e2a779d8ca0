import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FileTokenStore, MemoryTokenStore, type StoredTokens } from '../../../../engine/oauth/tokenStore';

const tokens: StoredTokens = { accessToken: 'access-1', refreshToken: 'refresh-1', tokenType: 'bearer', obtainedAt: 1, expiresAt: 3_600_001, grantType: 'Client Credentials', fingerprint: 'f' };

describe('token stores', () => {
  test('the memory store keeps tokens per environment and configuration', async () => {
    const store = new MemoryTokenStore();
    await store.set({ environment: 'dev', id: 'app' }, tokens);
    assert.equal((await store.get({ environment: 'dev', id: 'app' }))?.accessToken, 'access-1');
    assert.equal(await store.get({ environment: 'prod', id: 'app' }), undefined);
    assert.deepEqual(await store.keys(), [{ environment: 'dev', id: 'app' }]);
    await store.delete({ environment: 'dev', id: 'app' });
    assert.deepEqual(await store.keys(), []);
  });

  test('the file store is created readable by its owner only, replaced atomically, and read back by a new run', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-tokens-'));
    const file = join(folder, 'tokens.json');
    const store = new FileTokenStore(file);
    await store.set({ environment: 'dev', id: 'app' }, tokens);
    await store.set({ environment: '', id: 'other' }, { ...tokens, accessToken: 'access-2' });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(folder), ['tokens.json'], 'no temporary file is left beside the store');
    const next = new FileTokenStore(file);
    assert.equal((await next.get({ environment: 'dev', id: 'app' }))?.refreshToken, 'refresh-1');
    assert.equal((await next.get({ environment: '', id: 'other' }))?.accessToken, 'access-2');
    await next.delete({ environment: 'dev', id: 'app' });
    assert.deepEqual(await new FileTokenStore(file).keys(), [{ environment: '', id: 'other' }]);
  });

  test('a file that is not a token store is an error naming it, and is left as it was', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-tokens-'));
    const file = join(folder, 'notes.json');
    writeFileSync(file, '{"mine": true}\n');
    const store = new FileTokenStore(file);
    await assert.rejects(store.set({ environment: 'dev', id: 'app' }, tokens), (error: Error) => error.message.includes(file) && /not a Courier token store/.test(error.message));
    assert.equal(readFileSync(file, 'utf8'), '{"mine": true}\n');
  });
});

import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { nearbyConfigurations } from '../../../../client/oauth/nearbyConfigurations';

function folderWith(files: Record<string, unknown>): string {
  const folder = mkdtempSync(join(tmpdir(), 'courier-nearby-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
  return folder;
}

const publicFile = {
  $shared: { idp: 'http://127.0.0.1:4000' },
  dev: {
    Security: {
      Auth: {
        api: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{idp}}/token', 'Client ID': 'courier', Scope: '{{scope}}' },
        broken: { Type: 'OAuth2', 'Grant Type': 'Password', 'Token URL': '{{idp}}/token', 'Client ID': 'courier' },
      },
    },
    scope: 'read',
  },
  prod: { scope: 'none' },
};
const privateFile = { dev: { Security: { Auth: { api: { 'Client Secret': 's3cret-value' } } } } };

describe('the OAuth configurations near a file', () => {
  test('lists the environment\'s entries, and expands one as a send does, with the private file\'s secret merged in', () => {
    const folder = folderWith({ 'http-client.env.json': publicFile, 'http-client.private.env.json': privateFile });
    const nearby = nearbyConfigurations(join(folder, 'requests.http'), 'dev', folder, new Map());
    assert.equal(nearby.environment, 'dev');
    assert.equal(nearby.environmentLabel, 'environment dev');
    assert.equal(nearby.error, undefined);
    assert.deepEqual(nearby.choices.map(({ id, grantType }) => [id, grantType]), [['api', 'Client Credentials'], ['broken', 'Password']]);
    assert.equal(nearby.choices[0]?.problem, undefined);
    assert.match(nearby.choices[1]?.problem ?? '', /needs "Username"/);
    const api = nearby.configuration('api');
    assert.ok('value' in api, JSON.stringify(api));
    assert.equal(api.value.tokenUrl, 'http://127.0.0.1:4000/token');
    assert.equal(api.value.scope, 'read');
    assert.equal(api.value.clientSecret, 's3cret-value');
    assert.equal(api.value.clientAuthentication, 'basic');
  });

  test('the env file itself finds its own folder\'s files; settings variables fill what the files leave undefined', () => {
    const folder = folderWith({ 'http-client.env.json': { dev: publicFile.dev } });
    const nearby = nearbyConfigurations(join(folder, 'http-client.env.json'), 'dev', folder, new Map([['dev', new Map([['idp', 'https://idp.example']])]]));
    const api = nearby.configuration('api');
    assert.ok('value' in api, JSON.stringify(api));
    assert.equal(api.value.tokenUrl, 'https://idp.example/token');
  });

  test('an unknown id, an incomplete entry and an environment without entries say what is wrong', () => {
    const folder = folderWith({ 'http-client.env.json': publicFile });
    const dev = nearbyConfigurations(join(folder, 'a.http'), 'dev', folder, new Map());
    assert.deepEqual(dev.configuration('nope'), { problem: 'no auth configuration "nope" in environment dev (configured: api, broken)' });
    const broken = dev.configuration('broken');
    assert.ok('problem' in broken && /cannot be used: .*needs "Username"/.test(broken.problem), JSON.stringify(broken));
    const prod = nearbyConfigurations(join(folder, 'a.http'), 'prod', folder, new Map());
    assert.deepEqual(prod.choices, []);
  });

  test('an environment only settings define keeps its tokens under no environment, as a send does', () => {
    const folder = folderWith({ 'http-client.env.json': publicFile });
    const nearby = nearbyConfigurations(join(folder, 'a.http'), 'settings-only', folder, new Map([['settings-only', new Map()]]));
    assert.equal(nearby.environment, '');
    assert.equal(nearby.environmentLabel, 'no environment ($shared)');
  });

  test('a malformed env file is an error naming it', () => {
    const folder = folderWith({ 'http-client.env.json': '{ "dev": ' });
    const nearby = nearbyConfigurations(join(folder, 'a.http'), 'dev', folder, new Map());
    assert.match(nearby.error ?? '', /http-client\.env\.json/);
    assert.ok('problem' in nearby.configuration('api'));
  });
});

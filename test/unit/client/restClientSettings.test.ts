import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { applyRestClientFallbacks } from '../../../client/restClientSettings';
import { normalizeCourierSettings } from '../../../client/settingsSchema';
import { normalizeSettings } from '../../../server/settings';

/** Courier's settings from `courier`, with REST Client's from `restClient` where Courier's are not set. */
function settingsOf(courier: Record<string, unknown>, restClient: Record<string, unknown>, workspaceFolder?: string) {
  return applyRestClientFallbacks(
    normalizeCourierSettings((key) => courier[key]),
    (key) => restClient[key],
    workspaceFolder,
  );
}

const restEnvironments = {
  $shared: { version: 'v1', prodToken: 'shared-token' },
  local: { host: 'localhost:3000', token: '{{$shared prodToken}}', missing: '{{$shared nope}}' },
  production: { host: 'api.example.com', token: 'real' },
};

describe("REST Client's settings where Courier's are not set", () => {
  test('rest-client.environmentVariables gives the environments, with {{$shared name}} replaced by the shared value', () => {
    const { settings, problems } = settingsOf({}, { environmentVariables: restEnvironments });
    assert.deepEqual(problems, []);
    assert.deepEqual([...settings.environments.keys()], ['$shared', 'local', 'production']);
    assert.deepEqual(Object.fromEntries(settings.environments.get('local') ?? []), { host: 'localhost:3000', token: 'shared-token', missing: '{{$shared nope}}' });
  });

  test("Courier's own setting wins whole, not merged name by name", () => {
    const { settings } = settingsOf({ environments: { dev: { host: 'courier.test' } } }, { environmentVariables: restEnvironments });
    assert.deepEqual([...settings.environments.keys()], ['dev']);
  });

  test('rest-client.defaultHeaders and rest-client.certificates, relative paths against the workspace folder', () => {
    const { settings, problems } = settingsOf(
      {},
      {
        defaultHeaders: { 'X-Team': 'api', Accept: 'application/json' },
        certificates: { 'localhost:8443': { cert: 'certs/client.crt', key: '/abs/client.key' }, 'example.com': { pfx: 'certs/client.p12', passphrase: 'pw' } },
      },
      '/work/project',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.defaultHeaders, [['X-Team', 'api'], ['Accept', 'application/json']]);
    assert.deepEqual(settings.clientCertificates, [
      { host: 'localhost:8443', cert: '/work/project/certs/client.crt', key: '/abs/client.key' },
      { host: 'example.com', pfx: '/work/project/certs/client.p12', passphrase: 'pw' },
    ]);
  });

  test("Courier's defaultHeaders win over REST Client's", () => {
    const { settings } = settingsOf({ defaultHeaders: { 'X-Courier': '1' } }, { defaultHeaders: { 'X-Rest': '1' } });
    assert.deepEqual(settings.defaultHeaders, [['X-Courier', '1']]);
  });

  test('a malformed REST Client value is ignored with a problem naming the setting', () => {
    const { settings, problems } = settingsOf({}, { environmentVariables: ['not', 'an', 'object'], certificates: { 'a.test': { cert: 'only-cert.crt' } } }, '/w');
    assert.equal(settings.environments.size, 0);
    assert.deepEqual(settings.clientCertificates, []);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /^rest-client\.environmentVariables: expected an object of environments.*; ignoring it$/);
    assert.match(problems[1] ?? '', /^rest-client\.certificates: .*a\.test.*needs "cert" and "key".*; ignoring it$/);
  });

  test('the language server sees the same environments (rest-client section)', () => {
    const server = normalizeSettings({ environment: 'local' }, { environmentVariables: restEnvironments, defaultHeaders: { 'User-Agent': 'vscode-restclient' } });
    assert.equal(server.environment, 'local');
    assert.equal(server.environments.get('local')?.get('token'), 'shared-token');
    assert.equal(normalizeSettings({ environments: { dev: {} } }, { environmentVariables: restEnvironments }).environments.has('local'), false);
  });
});

import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultCourierSettings, normalizeCourierSettings, settingsVariables } from '../../../client/settingsSchema';

/** Normalises a settings object written as in settings.json (keys below `courier.`). */
function normalize(values: Record<string, unknown>): ReturnType<typeof normalizeCourierSettings> {
  return normalizeCourierSettings((key) => values[key]);
}

describe('normalizeCourierSettings', () => {
  test('no settings give the defaults and no problems', () => {
    assert.deepEqual(normalize({}), { settings: defaultCourierSettings, problems: [] });
  });

  test('good values are kept, converted to what the engine takes', () => {
    const { settings, problems } = normalize({
      environment: ' dev ',
      environments: { $shared: { version: 2 }, dev: { host: 'localhost', secure: false } },
      defaultHeaders: { Accept: 'application/json ' },
      timeout: 2.5,
      followRedirects: false,
      maxRedirects: 3,
      rememberCookies: false,
      caFiles: [' /ca.pem ', ''],
      clientCertificates: [{ host: '*.example.com', pfx: 'c.p12', passphrase: 'pw' }],
      proxy: 'http://proxy.example:3128',
      insecureHosts: ['localhost:8443'],
      'history.maxEntries': 0,
      'history.keepSecrets': true,
      'history.maxBodyBytes': 0,
      'responsePanel.reuse': false,
      'responsePanel.maxBodyBytes': 2048,
      'scripts.timeout': 0.25,
      'grpc.protoImportPaths': [' protos ', '/opt/googleapis'],
    });
    assert.deepEqual(problems, []);
    assert.equal(settings.environment, 'dev');
    assert.deepEqual([...settings.environments.get('dev') ?? []], [['host', 'localhost'], ['secure', 'false']]);
    assert.deepEqual([...settings.environments.get('$shared') ?? []], [['version', '2']]);
    assert.deepEqual(settings.defaultHeaders, [['Accept', 'application/json']]);
    assert.equal(settings.timeoutMs, 2500);
    assert.equal(settings.scriptsTimeoutSeconds, 0.25);
    assert.equal(settings.followRedirects, false);
    assert.equal(settings.maxRedirects, 3);
    assert.equal(settings.rememberCookies, false);
    assert.deepEqual(settings.caFiles, ['/ca.pem']);
    assert.deepEqual(settings.clientCertificates, [{ host: '*.example.com', pfx: 'c.p12', passphrase: 'pw' }]);
    assert.equal(settings.proxy, 'http://proxy.example:3128');
    assert.deepEqual(settings.insecureHosts, ['localhost:8443']);
    assert.equal(settings.historyMaxEntries, 0);
    assert.equal(settings.historyKeepSecrets, true);
    assert.equal(settings.historyMaxBodyBytes, 0, '0 keeps no body');
    assert.equal(settings.responsePanelReuse, false);
    assert.equal(settings.responsePanelMaxBodyBytes, 2048);
    assert.deepEqual(settings.grpcProtoImportPaths, ['protos', '/opt/googleapis']);
  });

  test('courier.grpc.protoImportPaths must be a list of folders', () => {
    const { settings, problems } = normalize({ 'grpc.protoImportPaths': 'protos' });
    assert.deepEqual(settings.grpcProtoImportPaths, []);
    assert.match(problems[0] ?? '', /^courier\.grpc\.protoImportPaths: /);
  });

  test('timeout 0 means none; an empty proxy or environment means none', () => {
    const { settings, problems } = normalize({ timeout: 0, proxy: '  ', environment: '' });
    assert.deepEqual(problems, []);
    assert.equal(settings.timeoutMs, undefined);
    assert.equal(settings.proxy, undefined);
    assert.equal(settings.environment, undefined);
  });

  const bad: readonly (readonly [key: string, value: unknown, problem: RegExp])[] = [
    ['timeout', -1, /^courier\.timeout: expected a timeout in seconds \(a number, 0 or more\), got -1; using none$/],
    ['timeout', '10', /^courier\.timeout: .*got "10"/],
    ['scripts.timeout', 0, /^courier\.scripts\.timeout: expected a time in seconds greater than 0, got 0; using 5$/],
    ['scripts.timeout', '5s', /^courier\.scripts\.timeout: .*got "5s"; using 5$/],
    ['followRedirects', 'yes', /^courier\.followRedirects: expected true or false, got "yes"; using true$/],
    ['maxRedirects', 2.5, /^courier\.maxRedirects: expected a whole number from 0 to 100, got 2\.5; using 10$/],
    ['history.maxEntries', -3, /^courier\.history\.maxEntries: expected a whole number from 0 to 10000, got -3; using 50$/],
    ['history.maxBodyBytes', -1, /^courier\.history\.maxBodyBytes: expected a whole number from 0 to 67108864, got -1; using 262144$/],
    ['history.maxBodyBytes', '256k', /^courier\.history\.maxBodyBytes: .*got "256k"; using 262144$/],
    ['history.maxBodyBytes', 1.5, /^courier\.history\.maxBodyBytes: .*got 1\.5/],
    ['responsePanel.maxBodyBytes', 10, /^courier\.responsePanel\.maxBodyBytes: .*from 1024/],
    ['caFiles', '/ca.pem', /^courier\.caFiles: expected a list of PEM file paths; using none$/],
    ['proxy', 'not a url', /^courier\.proxy: "not a url" is not a URL; write it as http:\/\/host:port; using none$/],
    ['proxy', 'socks5://p:1', /^courier\.proxy: proxy scheme socks5: is not supported/],
    ['defaultHeaders', { 'Bad Name': 'x' }, /^courier\.defaultHeaders: "Bad Name" is not a valid header name; using none$/],
    ['defaultHeaders', { 'X-A': 1 }, /the value of header "X-A" must be a string/],
    ['defaultHeaders', { 'X-A': 'a\r\nb' }, /must be on one line/],
    ['defaultHeaders', ['Accept'], /expected an object of header names/],
    ['environments', { dev: 'localhost' }, /^courier\.environments: environment "dev" must be an object/],
    ['environments', { dev: { host: { nested: true } } }, /variable "host" of environment "dev" must be a string, number or boolean/],
    ['clientCertificates', [{ cert: 'c.pem', key: 'k.pem' }], /entry 1 needs a "host"/],
    ['clientCertificates', [{ host: 'a.example', cert: 'c.pem' }], /entry 1 \(a\.example\) needs "cert" and "key" files, or a "pfx" file/],
    ['clientCertificates', [{ host: 'a.example', pfx: 7 }], /entry 1: "pfx" must be a non-empty string/],
    ['environment', 42, /^courier\.environment: expected an environment name/],
  ];
  for (const [key, value, problem] of bad) {
    test(`a bad ${key} (${JSON.stringify(value)}) falls back to its default and says why`, () => {
      const { settings, problems } = normalize({ [key]: value });
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] ?? '', problem);
      assert.deepEqual(settings, defaultCourierSettings);
    });
  }

  test('one bad value does not reset the others', () => {
    const { settings, problems } = normalize({ timeout: 'x', maxRedirects: 4 });
    assert.equal(problems.length, 1);
    assert.equal(settings.maxRedirects, 4);
  });
});

describe('settingsVariables', () => {
  const environments = new Map([
    ['$shared', new Map([['version', 'v1'], ['host', 'shared.example']])],
    ['dev', new Map([['host', 'dev.example'], ['token', 'from-settings']])],
  ]);

  test('the environment\'s values go over $shared', () => {
    assert.deepEqual([...settingsVariables(environments, 'dev', () => false)], [['version', 'v1'], ['host', 'dev.example'], ['token', 'from-settings']]);
  });

  test('names defined by env files or the .http file win, so settings drop them', () => {
    assert.deepEqual([...settingsVariables(environments, 'dev', (name) => name === 'token')], [['version', 'v1'], ['host', 'dev.example']]);
  });

  test('without an environment only $shared applies', () => {
    assert.deepEqual([...settingsVariables(environments, undefined, () => false)], [['version', 'v1'], ['host', 'shared.example']]);
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  authConfigurationKeys,
  oauthGrantTypes,
  authTokenReferenceOfTarget,
  authTokenValueKey,
  readSecuritySection,
  readSecurityText,
  type AuthConfigurationEntry,
  type OAuthGrantType,
} from '../../../language/authConfigurations';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../language/environments';
import { parseJson } from '../../../language/jsonTree';
import { parse } from '../../../language/parser';

/** The one entry of `{ "Auth": { "<id>": <entry> } }`, read from text so spans can be checked against it. */
function entryOf(entry: Record<string, unknown>, id = 'my-app'): { readonly entry: AuthConfigurationEntry; readonly text: string } {
  const text = JSON.stringify({ Auth: { [id]: entry } }, null, 2);
  const section = readSecurityText(text);
  assert.deepEqual(section.problems, []);
  assert.equal(section.entries.length, 1);
  const [only] = section.entries;
  assert.ok(only !== undefined);
  return { entry: only, text };
}

/** The text `span` covers in `text`, without the layout `JSON.stringify` adds. */
function covered(text: string, span: { readonly start: number; readonly end: number }): string {
  return text.slice(span.start, span.end).replace(/\s+/g, '');
}

/** Each problem as `[kind, the text it covers]`. */
function problemsOf(entry: Record<string, unknown>): [string, string][] {
  const { entry: read, text } = entryOf(entry);
  return read.problems.map((problem) => [problem.kind, covered(text, problem)]);
}

/** Every key the grant type needs, with a value. */
const complete: Record<OAuthGrantType, Record<string, unknown>> = {
  'Authorization Code': { Type: 'OAuth2', 'Grant Type': 'Authorization Code', 'Auth URL': 'https://idp/authorize', 'Token URL': 'https://idp/token', 'Client ID': 'app' },
  'Client Credentials': { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'https://idp/token', 'Client ID': 'app' },
  Password: { Type: 'OAuth2', 'Grant Type': 'Password', 'Token URL': 'https://idp/token', 'Client ID': 'app', Username: 'ann', Password: 'pw' },
  'Device Authorization': { Type: 'OAuth2', 'Grant Type': 'Device Authorization', 'Token URL': 'https://idp/token', 'Device Auth URL': 'https://idp/device', 'Client ID': 'app' },
  Implicit: { Type: 'OAuth2', 'Grant Type': 'Implicit', 'Auth URL': 'https://idp/authorize', 'Client ID': 'app' },
};

describe('readSecuritySection: keys', () => {
  test('every key JetBrains documents is read into the configuration', () => {
    const { entry } = entryOf({
      Type: 'OAuth2',
      'Grant Type': 'Authorization Code',
      'Auth URL': 'https://idp/authorize',
      'Token URL': 'https://idp/token',
      'Redirect URL': 'http://127.0.0.1:51234/callback',
      'Device Auth URL': 'https://idp/device',
      'Client ID': 'courier',
      'Client Secret': '{{secret}}',
      'Client Credentials': 'in body',
      Scope: 'openid profile',
      Username: 'ann',
      Password: 'pw',
      PKCE: true,
      'Custom Request Parameters': { audience: 'https://api' },
      'Acquire Automatically': false,
      'Use ID Token': true,
    });
    assert.deepEqual(entry.problems, []);
    assert.deepEqual(entry.configuration, {
      id: 'my-app',
      grantType: 'Authorization Code',
      authUrl: 'https://idp/authorize',
      tokenUrl: 'https://idp/token',
      redirectUrl: 'http://127.0.0.1:51234/callback',
      deviceAuthUrl: 'https://idp/device',
      clientId: 'courier',
      clientSecret: '{{secret}}',
      clientAuthentication: 'in body',
      scope: 'openid profile',
      username: 'ann',
      password: 'pw',
      pkce: { method: 'S256', verifier: undefined },
      customParameters: [{ name: 'audience', values: ['https://api'], use: 'Everywhere' }],
      acquireAutomatically: false,
      useIdToken: true,
    });
    assert.deepEqual(entry.keys.map((key) => key.name), authConfigurationKeys.map((key) => key.name), 'every key of the table, as written');
  });

  test('the key table describes every key and marks the secrets', () => {
    for (const key of authConfigurationKeys) assert.ok(key.description.length > 20, key.name);
    assert.deepEqual(authConfigurationKeys.filter((key) => key.secret === true).map((key) => key.name), ['Client Secret', 'Password']);
  });

  test('defaults: Client Credentials is basic with a secret and none without; tokens are acquired automatically; the access token is used', () => {
    const { entry: withSecret } = entryOf({ ...complete['Client Credentials'], 'Client Secret': 's' });
    assert.equal(withSecret.configuration?.clientAuthentication, 'basic');
    const { entry: without } = entryOf(complete['Client Credentials']);
    assert.equal(without.configuration?.clientAuthentication, 'none');
    assert.equal(without.configuration?.acquireAutomatically, true);
    assert.equal(without.configuration?.useIdToken, false);
    assert.equal(without.configuration?.pkce, undefined);
    assert.deepEqual(without.configuration?.customParameters, []);
  });

  test('enum values and flags are read in any case, as JetBrains writes them loosely', () => {
    const { entry } = entryOf({ ...complete['Client Credentials'], Type: 'oauth2', 'Grant Type': 'client credentials', 'Client Credentials': 'BASIC', 'Use ID Token': 'TRUE' });
    assert.deepEqual(entry.problems, []);
    assert.equal(entry.configuration?.grantType, 'Client Credentials');
    assert.equal(entry.configuration?.clientAuthentication, 'basic');
    assert.equal(entry.configuration?.useIdToken, true);
  });

  test('spans: the id with its quotes, the entry object, each key', () => {
    const { entry, text } = entryOf(complete['Client Credentials']);
    assert.equal(text.slice(entry.idSpan.start, entry.idSpan.end), '"my-app"');
    assert.equal(text.slice(entry.span.start, entry.span.end).trim()[0], '{');
    assert.deepEqual(entry.keys.map((key) => text.slice(key.span.start, key.span.end)), ['"Type"', '"Grant Type"', '"Token URL"', '"Client ID"']);
  });
});

describe('readSecuritySection: required keys per grant type', () => {
  for (const grantType of oauthGrantTypes) {
    test(`${grantType}: complete is usable, and each required key left out is reported missing at the id`, () => {
      const { entry } = entryOf(complete[grantType]);
      assert.deepEqual(entry.problems, []);
      assert.equal(entry.configuration?.grantType, grantType);
      const required = authConfigurationKeys.filter((key) => key.requiredFor.includes(grantType)).map((key) => key.name);
      assert.deepEqual(Object.keys(complete[grantType]).sort(), [...required].sort(), 'the fixture holds exactly the required keys');
      for (const name of required) {
        const without = { ...complete[grantType] };
        delete without[name];
        const { entry: missing, text } = entryOf(without);
        assert.equal(missing.configuration, undefined, `${name} missing: not usable`);
        const problems = missing.problems.filter((problem) => problem.kind === 'missing-key');
        assert.equal(problems.length, 1, name);
        assert.equal(text.slice(problems[0]?.start, problems[0]?.end), '"my-app"');
        assert.match(problems[0]?.message ?? '', new RegExp(`needs "${name}"`));
      }
    });
  }

  test('without a grant type only Type and Grant Type are asked for', () => {
    assert.deepEqual(problemsOf({}).map(([kind]) => kind), ['missing-key', 'missing-key']);
    const { entry } = entryOf({});
    assert.deepEqual(entry.problems.map((problem) => /needs "([^"]+)"/.exec(problem.message)?.[1]), ['Type', 'Grant Type']);
  });
});

describe('readSecuritySection: values', () => {
  test('PKCE: true is S256 with a fresh verifier, false is none, an object sets method and verifier', () => {
    const pkce = (value: unknown) => entryOf({ ...complete['Authorization Code'], PKCE: value }).entry;
    assert.deepEqual(pkce(true).configuration?.pkce, { method: 'S256', verifier: undefined });
    assert.equal(pkce(false).configuration?.pkce, undefined);
    assert.deepEqual(pkce(false).problems, []);
    const verifier = 'v'.repeat(43);
    assert.deepEqual(pkce({ 'Code Challenge Method': 'Plain', 'Code Verifier': verifier }).configuration?.pkce, { method: 'plain', verifier });
    assert.deepEqual(pkce({ 'Code Challenge Method': 'SHA-256' }).configuration?.pkce, { method: 'S256', verifier: undefined });
    assert.deepEqual(problemsOf({ ...complete['Authorization Code'], PKCE: { 'Code Challenge Method': 'MD5' } }), [['invalid-value', '"MD5"']]);
    assert.deepEqual(problemsOf({ ...complete['Authorization Code'], PKCE: { Method: 'Plain' } }), [['unknown-key', '"Method"']]);
    assert.deepEqual(problemsOf({ ...complete['Authorization Code'], PKCE: 'yes' }), [['invalid-value', '"yes"']]);
  });

  test('Custom Request Parameters: a string, a list, or { Value, Use } for each Use', () => {
    const { entry } = entryOf({
      ...complete['Authorization Code'],
      'Custom Request Parameters': {
        audience: 'https://api',
        resource: ['https://a', 'https://b'],
        prompt: { Value: 'consent', Use: 'In Auth Request' },
        extra: { Value: ['1', '2'], Use: 'In Token Request' },
        everywhere: { Value: 'x', Use: 'Everywhere' },
        unsaid: { Value: 'y' },
        count: 3,
      },
    });
    assert.deepEqual(entry.problems, []);
    assert.deepEqual(entry.configuration?.customParameters, [
      { name: 'audience', values: ['https://api'], use: 'Everywhere' },
      { name: 'resource', values: ['https://a', 'https://b'], use: 'Everywhere' },
      { name: 'prompt', values: ['consent'], use: 'In Auth Request' },
      { name: 'extra', values: ['1', '2'], use: 'In Token Request' },
      { name: 'everywhere', values: ['x'], use: 'Everywhere' },
      { name: 'unsaid', values: ['y'], use: 'Everywhere' },
      { name: 'count', values: ['3'], use: 'Everywhere' },
    ]);
  });

  test('Custom Request Parameters: wrong shapes are reported at the value', () => {
    const parameters = (value: unknown) => problemsOf({ ...complete['Client Credentials'], 'Custom Request Parameters': value });
    assert.deepEqual(parameters(['a']), [['invalid-value', '["a"]']]);
    assert.deepEqual(parameters({ a: { Value: 'x', Use: 'Sometimes' } }), [['invalid-value', '"Sometimes"']]);
    assert.deepEqual(parameters({ a: { Use: 'Everywhere' } }).map(([kind]) => kind), ['invalid-value']);
    assert.deepEqual(parameters({ a: { Value: 'x', Where: 'here' } }), [['unknown-key', '"Where"']]);
    assert.deepEqual(parameters({ a: null }), [['invalid-value', 'null']]);
    assert.deepEqual(parameters({ a: [{}] }).map(([kind]) => kind), ['invalid-value']);
  });

  test('wrong types are reported at the value and make the configuration unusable', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ 'Client ID': true }, 'true'],
      [{ 'Token URL': ['https://idp/token'] }, '["https://idp/token"]'],
      [{ Type: 'OAuth1' }, '"OAuth1"'],
      [{ 'Grant Type': 'Magic' }, '"Magic"'],
      [{ 'Client Credentials': 'header' }, '"header"'],
      [{ 'Acquire Automatically': 'sometimes' }, '"sometimes"'],
      [{ 'Use ID Token': 1 }, '1'],
      [{ Scope: { openid: true } }, '{"openid":true}'],
    ];
    for (const [change, at] of cases) {
      const { entry, text } = entryOf({ ...complete['Client Credentials'], ...change });
      const invalid = entry.problems.filter((problem) => problem.kind === 'invalid-value');
      assert.deepEqual(invalid.map((problem) => covered(text, problem)), [at], JSON.stringify(change));
      assert.equal(entry.configuration, undefined, JSON.stringify(change));
    }
  });

  test("values are checked in an entry without Type or Grant Type, as a private file's entry is", () => {
    const { entry, text } = entryOf({ 'Client Secret': ['s'], PKCE: 'yes', 'Custom Request Parameters': 'x' });
    const invalid = entry.problems.filter((problem) => problem.kind === 'invalid-value');
    assert.deepEqual(invalid.map((problem) => covered(text, problem)), ['["s"]', '"yes"', '"x"']);
  });

  test('a number where a string belongs is read as its text', () => {
    const { entry } = entryOf({ ...complete['Client Credentials'], 'Client ID': 12345 });
    assert.deepEqual(entry.problems, []);
    assert.equal(entry.configuration?.clientId, '12345');
  });
});

describe('readSecuritySection: unknown keys and shapes', () => {
  test('a misspelt key is reported at the key with the key it means, quotes included, as a replacement', () => {
    const { entry, text } = entryOf({ ...complete['Client Credentials'], 'Clinet Secret': 's', scope: 'openid' });
    const unknown = entry.problems.filter((problem) => problem.kind === 'unknown-key');
    assert.deepEqual(unknown.map((problem) => [text.slice(problem.start, problem.end), problem.replacement]), [['"Clinet Secret"', '"Client Secret"'], ['"scope"', '"Scope"']]);
    assert.match(unknown[0]?.message ?? '', /did you mean "Client Secret"\?/);
    assert.ok(entry.configuration !== undefined, 'an unknown key alone leaves the configuration usable');
  });

  test('a misspelt required key is both unknown and missing', () => {
    const written = { ...complete['Client Credentials'] };
    delete written['Client ID'];
    assert.deepEqual(problemsOf({ ...written, 'Client Id': 'app' }), [['unknown-key', '"ClientId"'], ['missing-key', '"my-app"']]);
  });

  test('a key like none of them lists the keys and offers no replacement', () => {
    const { entry } = entryOf({ ...complete['Client Credentials'], Flavour: 'vanilla' });
    assert.equal(entry.problems.length, 1);
    assert.equal(entry.problems[0]?.replacement, undefined);
    assert.match(entry.problems[0]?.message ?? '', /the keys are Type, Grant Type, Auth URL/);
  });

  test('Security, Auth and an entry that are not objects are reported at the value', () => {
    const section = (text: string) => {
      const read = readSecurityText(text);
      return read.problems.map((problem) => [problem.kind, text.slice(problem.start, problem.end)]);
    };
    assert.deepEqual(section('"Bearer x"'), [['invalid-value', '"Bearer x"']]);
    assert.deepEqual(section('{ "Auth": [] }'), [['invalid-value', '[]']]);
    assert.deepEqual(section('{ "Other": 1 }'), []);
    const entries = readSecurityText('{ "Auth": { "a": "b" } }').entries;
    assert.deepEqual(entries.map((entry) => [entry.id, entry.configuration, entry.problems.map((problem) => problem.kind)]), [['a', undefined, ['invalid-value']]]);
  });

  test('readSecuritySection reads a node of a larger document with spans in that document', () => {
    const text = '{ "dev": { "Security": { "Auth": { "x": { "Type": "OAuth2", "Grant Typ": "Implicit" } } } } }';
    const root = parseJson(text).root;
    assert.ok(root?.kind === 'object');
    const dev = root.properties[0]?.value;
    assert.ok(dev?.kind === 'object');
    const security = dev.properties[0]?.value;
    assert.ok(security !== undefined);
    const [entry] = readSecuritySection(security).entries;
    assert.deepEqual(entry?.problems.map((problem) => [problem.kind, text.slice(problem.start, problem.end)]), [['unknown-key', '"Grant Typ"'], ['missing-key', '"x"']]);
  });

  test('readSecurityText of text that is not JSON is empty', () => {
    assert.deepEqual(readSecurityText('{ nope'), { entries: [], problems: [] });
  });
});

describe('authTokenReferenceOfTarget', () => {
  /** The reference's target as the parser splits it, read as the engine and the editor read it. */
  const reference = (name: string): ReturnType<typeof authTokenReferenceOfTarget> => {
    const target = parse(`GET http://x/{{${name}}}\n`).tables.targets[0];
    return target?.kind === 'system' ? authTokenReferenceOfTarget(target) : undefined;
  };

  test('reads the token kind and the id in double or single quotes, with spaces', () => {
    assert.deepEqual(reference('$auth.token("my-app")'), { kind: 'token', id: 'my-app' });
    assert.deepEqual(reference('$auth.idToken("my-app")'), { kind: 'idToken', id: 'my-app' });
    assert.deepEqual(reference("$auth.token('my app')"), { kind: 'token', id: 'my app' });
    assert.deepEqual(reference(' $auth.token( "x" ) '), { kind: 'token', id: 'x' });
    assert.deepEqual(reference('$auth.token("")'), { kind: 'token', id: '' });
    // JetBrains' editor accepts an id without quotes; so does a send.
    assert.deepEqual(reference('$auth.token(x)'), { kind: 'token', id: 'x' });
  });

  test('other names are not token references', () => {
    for (const name of ['$auth.token', '$auth.token("x"', '$auth.accessToken("x")', '$uuid', '$auth.token("x")y']) {
      assert.equal(reference(name), undefined, name);
    }
  });

  test('every spelling of one token is passed under one key', () => {
    const keys = ['$auth.token("my-app")', "$auth.token('my-app')", ' $auth.token( "my-app" ) '].map((name) => authTokenValueKey(reference(name) ?? { kind: 'token', id: '?' }));
    assert.deepEqual(new Set(keys), new Set(['$auth.token("my-app")']));
  });
});

describe('env files: object values merge key by key', () => {
  const publicText = JSON.stringify({ dev: { Security: { Auth: { 'my-app': { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'https://idp/token', 'Client ID': 'app' } } } } });
  const privateText = JSON.stringify({ dev: { Security: { Auth: { 'my-app': { 'Client Secret': 'hidden' } } } } });
  const files = [parseEnvironmentFile({ uri: 'file:///w/http-client.env.json', text: publicText }), parseEnvironmentFile({ uri: 'file:///w/http-client.private.env.json', text: privateText })];

  test("the public file's Token URL and the private file's Client Secret make one entry", () => {
    const security = buildEnvironmentSnapshot(files, 'dev').variables.get('Security')?.value;
    assert.ok(security !== undefined);
    const [entry] = readSecurityText(security).entries;
    assert.equal(entry?.configuration?.tokenUrl, 'https://idp/token');
    assert.equal(entry?.configuration?.clientSecret, 'hidden');
    assert.equal(entry?.configuration?.clientAuthentication, 'basic');
  });

  test('the private file wins a key both files give; $shared lies under the environment', () => {
    const shared = JSON.stringify({ $shared: { Security: { Auth: { 'my-app': { Scope: 'openid', 'Client ID': 'shared' } } } } });
    const override = JSON.stringify({ dev: { Security: { Auth: { 'my-app': { 'Client ID': 'private' } } } } });
    const merged = buildEnvironmentSnapshot(
      [parseEnvironmentFile({ uri: 'file:///w/http-client.env.json', text: JSON.stringify({ ...JSON.parse(shared), ...JSON.parse(publicText) }) }), parseEnvironmentFile({ uri: 'file:///w/http-client.private.env.json', text: override })],
      'dev',
    ).variables.get('Security')?.value;
    const [entry] = readSecurityText(merged ?? '').entries;
    assert.equal(entry?.configuration?.clientId, 'private');
    assert.equal(entry?.configuration?.scope, 'openid');
  });

  test('with no environment chosen, the union merges the private file under the same environment too', () => {
    const security = buildEnvironmentSnapshot(files, undefined).variables.get('Security')?.value;
    const [entry] = readSecurityText(security ?? '').entries;
    assert.equal(entry?.configuration?.tokenUrl, 'https://idp/token');
    assert.equal(entry?.configuration?.clientSecret, 'hidden');
  });
});

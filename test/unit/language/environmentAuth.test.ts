import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { environmentAuthProblems } from '../../../language/environmentAuth';
import { parseEnvironmentFile, type EnvironmentFile } from '../../../language/environments';

const publicUri = 'file:///w/http-client.env.json';
const privateUri = 'file:///w/http-client.private.env.json';

const clientCredentials = { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'https://idp/token', 'Client ID': 'app' };

interface Folder {
  readonly files: readonly EnvironmentFile[];
  readonly texts: ReadonlyMap<string, string>;
}

function folder(publicFile: unknown, privateFile?: unknown): Folder {
  const texts = new Map<string, string>([[publicUri, JSON.stringify(publicFile, null, 2)]]);
  if (privateFile !== undefined) texts.set(privateUri, JSON.stringify(privateFile, null, 2));
  return { files: [...texts].map(([uri, text]) => parseEnvironmentFile({ uri, text })), texts };
}

/** The problems of the file `uri` as `[code, severity, the text they cover]`. */
function problemsIn(at: Folder, uri = publicUri): [string, string, string][] {
  const file = at.files.find((candidate) => candidate.uri === uri);
  assert.ok(file !== undefined);
  const text = at.texts.get(uri) ?? '';
  return environmentAuthProblems(file, at.files).map((problem) => [problem.code, problem.severity, text.slice(problem.start, problem.end)]);
}

describe('environmentAuthProblems', () => {
  test('a complete configuration has no problems', () => {
    assert.deepEqual(problemsIn(folder({ dev: { Security: { Auth: { 'my-app': clientCredentials } } } })), []);
  });

  test('a misspelt key is a warning at the key with the replacement; a wrong value is an error at the value', () => {
    const at = folder({ dev: { Security: { Auth: { 'my-app': { ...clientCredentials, 'Client Secert': 's', 'Use ID Token': 'maybe' } } } } });
    assert.deepEqual(problemsIn(at), [
      [Code.EnvironmentAuthUnknownKey, 'warning', '"Client Secert"'],
      [Code.EnvironmentAuthInvalidValue, 'error', '"maybe"'],
    ]);
    const file = at.files[0];
    assert.ok(file !== undefined);
    assert.equal(environmentAuthProblems(file, at.files)[0]?.replacement, '"Client Secret"');
  });

  test('a required key is an error at the entry id', () => {
    const { 'Client ID': _clientId, ...withoutClientId } = clientCredentials;
    assert.deepEqual(problemsIn(folder({ dev: { Security: { Auth: { 'my-app': withoutClientId } } } })), [[Code.EnvironmentAuthMissingKey, 'error', '"my-app"']]);
  });

  test('a key given only in the private file is not missing in the public file, nor reported twice', () => {
    const { 'Client ID': _clientId, ...withoutClientId } = clientCredentials;
    const complete = folder({ dev: { Security: { Auth: { 'my-app': withoutClientId } } } }, { dev: { Security: { Auth: { 'my-app': { 'Client ID': 'app', 'Client Secret': 's' } } } } });
    assert.deepEqual(problemsIn(complete), []);
    assert.deepEqual(problemsIn(complete, privateUri), [], 'the private file holds no Type or Grant Type, and needs none');
    const stillMissing = folder({ dev: { Security: { Auth: { 'my-app': withoutClientId } } } }, { dev: { Security: { Auth: { 'my-app': { 'Client Secret': 's' } } } } });
    assert.deepEqual(problemsIn(stillMissing), [[Code.EnvironmentAuthMissingKey, 'error', '"my-app"']]);
    assert.deepEqual(problemsIn(stillMissing, privateUri), [], 'once, in the public file');
  });

  test('unknown keys and wrong values are reported in the file that writes them', () => {
    const at = folder({ dev: { Security: { Auth: { 'my-app': clientCredentials } } } }, { dev: { Security: { Auth: { 'my-app': { 'Client Secrte': 's', PKCE: 'yes' } } } } });
    assert.deepEqual(problemsIn(at), []);
    assert.deepEqual(problemsIn(at, privateUri), [
      [Code.EnvironmentAuthUnknownKey, 'warning', '"Client Secrte"'],
      [Code.EnvironmentAuthInvalidValue, 'error', '"yes"'],
    ]);
  });

  test('an entry of $shared lacks a key only when every environment lacks it', () => {
    const { 'Token URL': _tokenUrl, ...withoutTokenUrl } = clientCredentials;
    const eachGivesIt = folder({ $shared: { Security: { Auth: { 'my-app': withoutTokenUrl } } }, dev: { Security: { Auth: { 'my-app': { 'Token URL': 'https://dev/token' } } } }, prod: { Security: { Auth: { 'my-app': { 'Token URL': 'https://prod/token' } } } } });
    assert.deepEqual(problemsIn(eachGivesIt), []);
    const oneLacksIt = folder({ $shared: { Security: { Auth: { 'my-app': withoutTokenUrl } } }, dev: { Security: { Auth: { 'my-app': { 'Token URL': 'https://dev/token' } } } }, prod: { host: 'p' } });
    assert.deepEqual(problemsIn(oneLacksIt), [], "prod's send fails, but $shared is not where the key is missing for dev");
    const noneGivesIt = folder({ $shared: { Security: { Auth: { 'my-app': withoutTokenUrl } } }, dev: { host: 'd' } });
    assert.deepEqual(problemsIn(noneGivesIt), [[Code.EnvironmentAuthMissingKey, 'error', '"my-app"']]);
    assert.deepEqual(problemsIn(folder({ $shared: { Security: { Auth: { 'my-app': withoutTokenUrl } } } })), [[Code.EnvironmentAuthMissingKey, 'error', '"my-app"']], 'with no other environment, $shared alone');
  });

  test('an environment entry completed by $shared is not missing keys', () => {
    const { 'Client ID': _clientId, ...withoutClientId } = clientCredentials;
    assert.deepEqual(problemsIn(folder({ $shared: { Security: { Auth: { 'my-app': { 'Client ID': 'app' } } } }, dev: { Security: { Auth: { 'my-app': withoutClientId } } } })), []);
  });

  test('Security or Auth that are not objects are errors at the value', () => {
    assert.deepEqual(problemsIn(folder({ dev: { Security: 'token' } })), [[Code.EnvironmentAuthInvalidValue, 'error', '"token"']]);
    assert.deepEqual(problemsIn(folder({ dev: { Security: { Auth: 'x' } } })), [[Code.EnvironmentAuthInvalidValue, 'error', '"x"']]);
  });

  test("the samples' env file has none: every grant's configuration as the tour writes it", () => {
    const file = parseEnvironmentFile({ uri: 'file:///samples/http-client.env.json', text: readFileSync('samples/http-client.env.json', 'utf8') });
    assert.ok((file.environments.find((environment) => environment.name === 'local')?.security?.entries.length ?? 0) >= 4);
    assert.deepEqual(environmentAuthProblems(file, [file]), []);
  });

  test('env files without Security have no auth problems and read no Security', () => {
    const at = folder({ dev: { host: 'a' } });
    assert.deepEqual(problemsIn(at), []);
    assert.equal(at.files[0]?.environments[0]?.security, undefined);
  });
});

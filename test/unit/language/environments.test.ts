import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { buildEnvironmentSnapshot, inPrecedenceOrder, isPrivateEnvironmentFile, parseEnvironmentFile } from '../../../language/environments';

const publicUri = 'file:///w/http-client.env.json';
const privateUri = 'file:///w/http-client.private.env.json';

function problemsOf(text: string): readonly { readonly at: string; readonly message: string }[] {
  return parseEnvironmentFile({ uri: publicUri, text }).problems.map((p) => ({ at: text.slice(p.start, p.end), message: p.message }));
}

describe('parseEnvironmentFile', () => {
  test('reads environments in file order with variables as strings', () => {
    const text = '{\n  "$shared": { "version": "v1" },\n  "dev": { "host": "localhost", "port": 3000, "tls": false, "auth": { "type": "Static" } },\n  "prod": {}\n}';
    const file = parseEnvironmentFile({ uri: publicUri, text });
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.environments.map((e) => e.name), ['$shared', 'dev', 'prod']);
    const dev = file.environments[1];
    assert.deepEqual(dev?.variables.map((v) => [v.name, v.value]), [['host', 'localhost'], ['port', '3000'], ['tls', 'false'], ['auth', '{ "type": "Static" }']]);
    const host = dev?.variables[0];
    assert.equal(host === undefined ? '' : text.slice(host.span.start, host.span.end), '"host"', 'span of the name, for go-to-definition');
  });

  test('reports malformed JSON at the exact position', () => {
    const problems = parseEnvironmentFile({ uri: publicUri, text: '{\n  "dev": { "host": "a", }\n}' }).problems;
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, Code.EnvironmentFileInvalid);
    assert.equal(problems[0]?.start, 26, 'the } after the trailing comma');
    assert.match(problems[0]?.message ?? '', /^Invalid JSON: Trailing comma/);
  });

  test('reports wrong shapes at the offending value', () => {
    assert.deepEqual(problemsOf('[]').map((p) => p.at), ['[]'], 'root must be an object');
    assert.deepEqual(problemsOf('{"dev": "localhost"}').map((p) => p.at), ['"localhost"'], 'environment must be an object');
    const nested = problemsOf('{"dev": {"hosts": ["a"], "x": null, "ok": 1}}');
    assert.deepEqual(nested.map((p) => p.at), ['["a"]', 'null']);
    assert.match(nested[0]?.message ?? '', /Variable "hosts" in environment "dev" must be a string, number, boolean or object/);
  });

  test('a well-formed file has no problems', () => {
    assert.deepEqual(problemsOf('{}'), []);
  });

  test('"$schema" names the JSON schema (kulala, JetBrains), not an environment', () => {
    const file = parseEnvironmentFile({ uri: publicUri, text: '{"$schema": "https://getkulala.net/http-client.env.schema.json", "dev": {"host": "h"}}' });
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.environments.map((environment) => environment.name), ['dev']);
  });

  test('tells private files by name', () => {
    assert.equal(isPrivateEnvironmentFile(privateUri), true);
    assert.equal(isPrivateEnvironmentFile(publicUri), false);
    assert.equal(isPrivateEnvironmentFile('file:///work/http-client.env.json.user'), true, "Visual Studio's user file is kept out of version control too");
  });
});

describe('a user file (Visual Studio)', () => {
  const userUri = 'file:///work/http-client.env.json.user';
  // Given in the worst order: the user file first, public last.
  const files = [
    parseEnvironmentFile({ uri: userUri, text: '{"dev": {"host": "user-host"}, "$shared": {"key": "user-key"}}' }),
    parseEnvironmentFile({ uri: privateUri, text: '{"dev": {"host": "private-host", "token": "t"}, "$shared": {"key": "private-key"}}' }),
    parseEnvironmentFile({ uri: publicUri, text: '{"dev": {"host": "dev-host", "port": "1"}}' }),
  ];

  test('wins over the private and the public file, whatever order they are given in', () => {
    const snapshot = buildEnvironmentSnapshot(files, 'dev');
    assert.equal(snapshot.variables.get('host')?.value, 'user-host');
    assert.equal(snapshot.variables.get('host')?.location?.uri, userUri);
    assert.equal(snapshot.variables.get('key')?.value, 'user-key');
    assert.equal(snapshot.variables.get('token')?.value, 't');
    assert.equal(snapshot.variables.get('port')?.value, '1');
    assert.deepEqual(inPrecedenceOrder(files).map((file) => file.uri), [publicUri, privateUri, userUri]);
  });

  test('with no environment chosen, its value of a name wins within the same environment', () => {
    assert.equal(buildEnvironmentSnapshot(files, undefined).variables.get('host')?.value, 'user-host');
  });
});

describe('buildEnvironmentSnapshot', () => {
  const files = [
    parseEnvironmentFile({ uri: privateUri, text: '{"dev": {"token": "secret-dev", "host": "private-host"}, "$shared": {"key": "shared-private"}}' }),
    parseEnvironmentFile({ uri: publicUri, text: '{"$shared": {"host": "shared-host", "version": "v1", "key": "shared-public"}, "dev": {"host": "dev-host"}, "prod": {"host": "prod-host", "region": "eu"}}' }),
  ];

  test('active environment: $shared under it, private over public', () => {
    const snapshot = buildEnvironmentSnapshot(files, 'dev');
    assert.equal(snapshot.active, 'dev');
    assert.deepEqual(snapshot.names, ['dev', 'prod']);
    const value = (name: string): string | undefined => snapshot.variables.get(name)?.value;
    assert.equal(value('host'), 'private-host', 'private dev beats public dev beats $shared');
    assert.equal(value('token'), 'secret-dev');
    assert.equal(value('version'), 'v1', 'inherited from $shared');
    assert.equal(value('key'), 'shared-private', 'private $shared over public $shared');
    assert.equal(value('region'), undefined, 'prod only');
    assert.equal(snapshot.variables.get('host')?.source, 'private-environment');
    assert.equal(snapshot.variables.get('version')?.source, 'shared-environment');
    assert.equal(snapshot.variables.get('host')?.location?.uri, privateUri);
  });

  test('no active environment: union of all, first environment wins', () => {
    const snapshot = buildEnvironmentSnapshot(files, undefined);
    assert.equal(snapshot.active, undefined);
    assert.deepEqual([...snapshot.variables.keys()].sort(), ['host', 'key', 'region', 'token', 'version']);
    assert.equal(snapshot.variables.get('host')?.value, 'private-host');
    assert.equal(snapshot.variables.get('region')?.environment, 'prod');
  });

  test('an unknown active environment falls back to the union', () => {
    const snapshot = buildEnvironmentSnapshot(files, 'staging');
    assert.equal(snapshot.active, undefined);
    assert.equal(snapshot.variables.has('region'), true);
  });
});

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { environmentSearchFolders, loadDotenv, loadEnvironment } from '../../../engine/environments';

/** A temp folder tree: `{ 'a/b.txt': 'text' }`. */
function tree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'courier-env-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const publicEnv = JSON.stringify({ $shared: { version: 'v1', host: 'shared.test' }, dev: { host: 'dev.test', port: 8080 }, prod: { host: 'prod.test' } });
const privateEnv = JSON.stringify({ dev: { password: 'hunter2', host: 'private-dev.test' } });

describe('environment files', () => {
  test('the chosen environment has $shared under it and the private file over it', () => {
    const root = tree({ 'http-client.env.json': publicEnv, 'http-client.private.env.json': privateEnv, 'api.http': '' });
    const loaded = loadEnvironment(join(root, 'api.http'), 'dev');
    assert.equal(loaded.error, undefined);
    assert.deepEqual(loaded.names, ['dev', 'prod']);
    assert.deepEqual(Object.fromEntries(loaded.variables), { version: 'v1', host: 'private-dev.test', port: '8080', password: 'hunter2' });
    assert.deepEqual(loaded.files, [join(root, 'http-client.env.json'), join(root, 'http-client.private.env.json')]);
  });

  test("Visual Studio's http-client.env.json.user overrides the env file and the private file beside it", () => {
    const userEnv = JSON.stringify({ $shared: { version: 'v2' }, dev: { host: 'user-dev.test', token: 'mine' }, mine: { host: 'only-mine.test' } });
    const root = tree({ 'http-client.env.json': publicEnv, 'http-client.private.env.json': privateEnv, 'http-client.env.json.user': userEnv, 'api.http': '' });
    const loaded = loadEnvironment(join(root, 'api.http'), 'dev');
    assert.equal(loaded.error, undefined);
    assert.deepEqual(Object.fromEntries(loaded.variables), { version: 'v2', host: 'user-dev.test', port: '8080', password: 'hunter2', token: 'mine' });
    assert.deepEqual(loaded.files, [join(root, 'http-client.env.json'), join(root, 'http-client.private.env.json'), join(root, 'http-client.env.json.user')]);
    assert.deepEqual(loaded.names, ['dev', 'prod', 'mine'], 'an environment only the user file defines can be chosen');
    assert.equal(loadEnvironment(join(root, 'api.http'), 'mine').variables.get('host'), 'only-mine.test');
  });

  test('a user file alone is an env file: the folder that holds it ends the search', () => {
    const root = tree({ 'http-client.env.json': publicEnv, 'sub/http-client.env.json.user': JSON.stringify({ dev: { host: 'sub-user.test' } }), 'sub/api.http': '' });
    const loaded = loadEnvironment(join(root, 'sub/api.http'), 'dev', root);
    assert.equal(loaded.variables.get('host'), 'sub-user.test');
    assert.deepEqual(loaded.files, [join(root, 'sub/http-client.env.json.user')]);
  });

  test('a malformed user file is an error naming it, line and column', () => {
    const root = tree({ 'http-client.env.json': publicEnv, 'http-client.env.json.user': '{\n  "dev": [1]\n}', 'api.http': '' });
    assert.match(loadEnvironment(join(root, 'api.http'), 'dev').error?.message ?? '', /http-client\.env\.json\.user:2:10: Environment "dev" must be an object/);
  });

  test('with no environment chosen only $shared applies', () => {
    const root = tree({ 'http-client.env.json': publicEnv, 'api.http': '' });
    assert.deepEqual(Object.fromEntries(loadEnvironment(join(root, 'api.http'), undefined).variables), { version: 'v1', host: 'shared.test' });
  });

  test('with no environment chosen, each variable $shared lacks lists the environments that define it, private files included', () => {
    const root = tree({ 'http-client.env.json': publicEnv, 'http-client.private.env.json': JSON.stringify({ prod: { password: 'p' }, dev: { password: 'd' } }), 'api.http': '' });
    const loaded = loadEnvironment(join(root, 'api.http'), undefined);
    assert.deepEqual(Object.fromEntries(loaded.definedInEnvironments ?? []), { port: ['dev'], password: ['dev', 'prod'] });
    assert.equal(loadEnvironment(join(root, 'api.http'), 'dev').definedInEnvironments, undefined, 'a chosen environment needs no advice');
  });

  test('env files are found in parent folders up to the search root, the nearest folder first', () => {
    const root = tree({ 'http-client.env.json': publicEnv, 'sub/deeper/api.http': '', 'sub/http-client.env.json': JSON.stringify({ dev: { host: 'sub.test' } }) });
    const httpFile = join(root, 'sub/deeper/api.http');
    assert.deepEqual(environmentSearchFolders(httpFile, root), [join(root, 'sub/deeper'), join(root, 'sub'), root]);
    assert.equal(loadEnvironment(httpFile, 'dev', root).variables.get('host'), 'sub.test');
    assert.deepEqual(environmentSearchFolders(httpFile, undefined), [join(root, 'sub/deeper')]);
    assert.match(loadEnvironment(httpFile, 'dev').error?.message ?? '', /environment dev is not defined: no http-client\.env\.json found beside/);
  });

  test('a search root that is not a parent searches only the file folder', () => {
    const root = tree({ 'a/api.http': '' });
    assert.deepEqual(environmentSearchFolders(join(root, 'a/api.http'), join(root, 'b')), [join(root, 'a')]);
  });

  test('an unknown environment names the ones defined', () => {
    const root = tree({ 'http-client.env.json': publicEnv, 'api.http': '' });
    const loaded = loadEnvironment(join(root, 'api.http'), 'staging');
    assert.equal(loaded.error?.code, 'variable');
    assert.match(loaded.error?.message ?? '', /environment staging is not defined in .*http-client\.env\.json \(defined: dev, prod\)/);
  });

  test('a malformed env file is an error naming the file, line and column', () => {
    const root = tree({ 'http-client.env.json': '{\n  "dev": {\n    "host": "a",,\n  }\n}', 'api.http': '' });
    const loaded = loadEnvironment(join(root, 'api.http'), 'dev');
    assert.equal(loaded.error?.code, 'file');
    assert.match(loaded.error?.message ?? '', /http-client\.env\.json:3:\d+: Invalid JSON/);
  });

  test('.env beside the .http file is parsed by dotenv; none means empty', () => {
    const root = tree({ '.env': '# comment\nAPI_KEY=abc123\nQUOTED="a b"\nexport EXPORTED=yes\n', 'api.http': '', 'other/api.http': '' });
    assert.deepEqual(Object.fromEntries(loadDotenv(join(root, 'api.http'))), { API_KEY: 'abc123', QUOTED: 'a b', EXPORTED: 'yes' });
    assert.equal(loadDotenv(join(root, 'other/api.http')).size, 0);
  });
});

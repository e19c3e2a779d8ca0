import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { EnvironmentFile } from '../../../language/environments';
import { EnvironmentFiles } from '../../../server/environmentFiles';
import { normalizeSettings } from '../../../server/settings';

/** An in-memory file system: path -> text, counting reads. */
function fakeFiles(files: Record<string, string>): { readonly read: (path: string) => string | undefined; readonly reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: (path) => {
      reads.push(path);
      return files[path];
    },
  };
}

describe('EnvironmentFiles', () => {
  test('the nearest folder with env files wins, searching up to the workspace root', () => {
    const fs = fakeFiles({
      '/w/http-client.env.json': '{"dev": {"host": "root"}}',
      '/w/api/http-client.env.json': '{"dev": {"host": "api"}, "prod": {}}',
      '/w/api/http-client.private.env.json': '{"dev": {"token": "secret"}}',
    });
    const files = new EnvironmentFiles(undefined, fs.read);
    const nested = files.forDocument('file:///w/api/v1/users.http', ['/w'], 'dev');
    assert.deepEqual(nested.files.map((file) => file.uri), ['file:///w/api/http-client.env.json', 'file:///w/api/http-client.private.env.json']);
    assert.equal(nested.snapshot.variables.get('host')?.value, 'api');
    assert.equal(nested.snapshot.variables.get('token')?.value, 'secret');
    const top = files.forDocument('file:///w/other.http', ['/w'], 'dev');
    assert.equal(top.snapshot.variables.get('host')?.value, 'root');
  });

  test("Visual Studio's http-client.env.json.user is read beside the env file, and its values win", () => {
    const fs = fakeFiles({
      '/w/http-client.env.json': '{"dev": {"host": "team", "port": "1"}}',
      '/w/http-client.env.json.user': '{"dev": {"host": "mine"}}',
    });
    const seen = new EnvironmentFiles(undefined, fs.read).forDocument('file:///w/a.http', ['/w'], 'dev');
    assert.deepEqual(seen.files.map((file) => file.uri), ['file:///w/http-client.env.json', 'file:///w/http-client.env.json.user']);
    assert.equal(seen.snapshot.variables.get('host')?.value, 'mine');
    assert.equal(seen.snapshot.variables.get('port')?.value, '1');
  });

  test('stops at the workspace root, and sees nothing for unsaved documents', () => {
    const fs = fakeFiles({ '/http-client.env.json': '{"dev": {"host": "outside"}}' });
    const files = new EnvironmentFiles(undefined, fs.read);
    assert.deepEqual(files.forDocument('file:///w/a.http', ['/w'], undefined).files, []);
    assert.deepEqual(files.forDocument('untitled:Untitled-1', ['/w'], undefined).files, []);
  });

  test('reads each file once and hands out the same snapshot until invalidated', () => {
    const fs = fakeFiles({ '/w/http-client.env.json': '{"dev": {"host": "a"}}' });
    const files = new EnvironmentFiles(undefined, fs.read);
    const first = files.forDocument('file:///w/a.http', ['/w'], 'dev').snapshot;
    assert.equal(files.forDocument('file:///w/b.http', ['/w'], 'dev').snapshot, first, 'same object, so caches keyed on it hold');
    const reads = fs.reads.length;
    files.invalidate();
    assert.notEqual(files.forDocument('file:///w/a.http', ['/w'], 'dev').snapshot, first);
    assert.ok(fs.reads.length > reads, 'read again after invalidate');
  });

  test('reports parsed files, problems included, and locates spans in them', () => {
    const parsed: EnvironmentFile[] = [];
    const text = '{\n  "dev": {\n    "host": 1,\n  }\n}';
    const files = new EnvironmentFiles((file) => parsed.push(file), fakeFiles({ '/w/http-client.env.json': text }).read);
    files.forDocument('file:///w/a.http', ['/w'], undefined);
    assert.equal(parsed.length, 1);
    const problem = parsed[0]?.problems[0];
    assert.ok(problem);
    assert.deepEqual(files.locate('file:///w/http-client.env.json', problem), { start: { line: 3, character: 2 }, end: { line: 3, character: 3 } });
    assert.equal(files.locate('file:///w/unknown.json', problem), undefined);
  });

  test("a missing SSLConfiguration certificate or key file is a warning at its path, resolved from the env file's folder", () => {
    const parsed: EnvironmentFile[] = [];
    const text = '{"dev": {"SSLConfiguration": {"clientCertificate": "certs/client.pem", "clientCertificateKey": {"path": "certs/gone.key"}}}}';
    const fs = fakeFiles({ '/w/http-client.private.env.json': text, '/w/certs/client.pem': '-----BEGIN CERTIFICATE-----' });
    new EnvironmentFiles((file) => parsed.push(file), fs.read).forDocument('file:///w/a.http', ['/w'], 'dev');
    const problems = parsed[0]?.problems ?? [];
    assert.deepEqual(
      problems.map((problem) => [text.slice(problem.start, problem.end), problem.code, problem.severity]),
      [['{"path": "certs/gone.key"}', 'http.env.ssl-certificate-missing', 'warning']],
    );
    assert.match(problems[0]?.message ?? '', /The client certificate key \/w\/certs\/gone\.key does not exist or cannot be read: requests of environment "dev" fail until it does/);
  });
});

describe('normalizeSettings', () => {
  test('takes a non-empty environment name, trimmed', () => {
    assert.deepEqual(normalizeSettings({ environment: ' dev ' }), { environment: 'dev', environments: new Map() });
  });
  test('falls back to no environment on anything else', () => {
    for (const raw of [undefined, null, 'dev', {}, { environment: '' }, { environment: 3 }]) assert.deepEqual(normalizeSettings(raw), { environment: undefined, environments: new Map() }, JSON.stringify(raw));
  });
});

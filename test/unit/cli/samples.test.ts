// The samples are the tour a newcomer takes: every request in them must work
// against the demo API when run by the CLI, following the samples' own setup.

import { strict as assert } from 'node:assert';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// Not main.ts: importing it would also start the API on its default port.
import { startDemoApi } from '../../../samples/demo-api/server';
import { ensureBuilt, jsonLines, repositoryRoot, runCli } from './cliHarness';

/** A copy of samples/ (with its `.env`), so the run cannot write into the repository. */
async function preparedSamples(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'courier-samples-'));
  await cp(join(repositoryRoot, 'samples'), join(root, 'samples'), { recursive: true, filter: (source) => !source.includes('demo-api') });
  return root;
}

test('courier run samples/*.http --env local sends every sample request successfully', async () => {
  ensureBuilt();
  const root = await preparedSamples();
  const api = await startDemoApi(0);
  try {
    const samples = (await readdir(join(root, 'samples'))).filter((name) => name.endsWith('.http')).sort().map((name) => join('samples', name));
    assert.ok(samples.length > 0, 'there are samples');
    const result = await runCli(['run', ...samples, '--env', 'local', '--var', `baseUrl=http://127.0.0.1:${api.port}`, '--reporter', 'json'], { cwd: root });
    const records = jsonLines(result.stdout);
    const failures = records.filter((record) => record.ok !== true).map((record) => `${String(record.file)}:${String(record.line)} ${String(record.error)}`);
    assert.deepEqual(failures, []);
    assert.equal(result.code, 0, result.stderr);
    // 10-composition.http runs requests of samples/shared/, reported under their own file.
    const shared = join('samples', 'shared');
    assert.deepEqual([...new Set(records.map((record) => String(record.file)).filter((file) => !file.startsWith(shared)))], samples, 'every sample file ran');
    assert.ok(records.some((record) => record.file === join(shared, 'login.http')), 'requests of an imported file are reported under it');
  } finally {
    await api.close();
  }
});

test('courier run samples/streams/*.http --env local prints every stream and ends each as it should', async () => {
  ensureBuilt();
  const root = await preparedSamples();
  const api = await startDemoApi(0);
  try {
    const folder = join('samples', 'streams');
    const samples = (await readdir(join(root, folder))).filter((name) => name.endsWith('.http')).sort().map((name) => join(folder, name));
    const result = await runCli(['run', ...samples, '--env', 'local', '--var', `baseUrl=http://127.0.0.1:${api.port}`, '--var', `grpcHost=127.0.0.1:${api.grpcPort}`, '--reporter', 'json'], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    // A stream's messages come as lines of their own before its request's record.
    const records = lines.filter((line) => !('message' in line));
    assert.deepEqual(records.filter((record) => record.ok !== true).map((record) => `${String(record.file)}:${String(record.line)} ${String(record.error)}`), []);
    assert.deepEqual([...new Set(records.map((record) => String(record.file)))], samples, 'every stream sample ran');
    for (const record of records) {
      const messages = lines.filter((line) => 'message' in line && line.file === record.file && line.line === record.line).length;
      assert.equal(messages, (record.stream as { count: number } | undefined)?.count, `${String(record.file)}:${String(record.line)}: every message printed live`);
    }
  } finally {
    await api.close();
  }
});

test('the samples workspace selects `local`, the environment the tour runs with, and without it the CLI says to pass it', async () => {
  ensureBuilt();
  // VS Code reads settings.json as JSON with comments.
  const settingsText = await readFile(join(repositoryRoot, 'samples', '.vscode', 'settings.json'), 'utf8');
  const settings = JSON.parse(settingsText.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
  assert.equal(settings['courier.environment'], 'local');
  const environments = JSON.parse(await readFile(join(repositoryRoot, 'samples', 'http-client.env.json'), 'utf8')) as Record<string, unknown>;
  assert.ok('local' in environments, 'http-client.env.json defines local');
  const root = await preparedSamples();
  const result = await runCli(['run', join('samples', '01-basics.http'), '--reporter', 'json'], { cwd: root });
  const [first] = jsonLines(result.stdout);
  assert.match(String(first?.error), /variable baseUrl is not defined; it is defined in environments local, staging: pass --env local/);
  assert.equal(result.code, 1);
});

test('samples/failing/failing-tests.http fails on purpose: each of its requests has one failed test, and the run exits 1', async () => {
  ensureBuilt();
  const root = await preparedSamples();
  const api = await startDemoApi(0);
  try {
    const result = await runCli(['run', join('samples', 'failing', 'failing-tests.http'), '--env', 'local', '--var', `baseUrl=http://127.0.0.1:${api.port}`, '--script-timeout', '1', '--reporter', 'json'], { cwd: root });
    assert.equal(result.code, 1, result.stderr);
    const records = jsonLines(result.stdout);
    const failedTests = records.map((record) => (record.tests as { ok: boolean; error: string | null }[]).filter((item) => !item.ok).map((item) => item.error ?? ''));
    assert.equal(failedTests.length, 4);
    assert.match(failedTests[0]?.[0] ?? '', /status is 404, expected == 200/);
    assert.match(failedTests[1]?.[0] ?? '', /only \d+ items/);
    assert.match(failedTests[2]?.[0] ?? '', /failing-tests\.http:24:\d+: TypeError/);
    assert.match(failedTests[3]?.[0] ?? '', /time limit of 1 s/);
  } finally {
    await api.close();
  }
});

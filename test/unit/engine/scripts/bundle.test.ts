// QuickJS as shipped: the worker bundle in dist/ finds its WebAssembly file beside it, and a
// run without scripts never loads either (the CLI's bundles do not even contain QuickJS).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ScriptSandbox } from '../../../../engine/scripts/sandbox';
import { repositoryRoot, runCli, startTestServer, type TestServer } from '../../cli/cliHarness';
import { scriptInput } from './sandboxHarness';

const dist = join(repositoryRoot, 'dist');
const folder = mkdtempSync(join(tmpdir(), 'courier-script-bundle-'));
after(() => rmSync(folder, { recursive: true, force: true }));

before(() => {
  // A dist/ built before the sandbox existed has no worker: build it, as cliHarness does for cli.js.
  if (!existsSync(join(dist, 'scriptWorker.js')) || !existsSync(join(dist, 'cli.js'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repositoryRoot, stdio: 'inherit' });
});

test('dist/scriptWorker.js runs a script with the quickjs.wasm beside it', async () => {
  assert.ok(existsSync(join(dist, 'quickjs.wasm')));
  const sandbox = new ScriptSandbox({ workerFile: join(dist, 'scriptWorker.js') });
  try {
    const result = await sandbox.run(scriptInput('client.test("hash", () => client.assert(crypto.sha256().updateWithText("abc").digest().toHex().startsWith("ba7816bf")));\nclient.global.set("id", jsonPath(response.body, "$.id"));', { response: { status: 200, headers: [['Content-Type', 'application/json']], body: '{"id":7}' } }));
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.tests, [{ name: 'hash', ok: true }]);
    assert.deepEqual(result.globalChanges, [{ kind: 'set', name: 'id', value: '7' }]);
  } finally {
    await sandbox.close();
  }
});

test('only the worker bundle contains QuickJS', () => {
  assert.match(readFileSync(join(dist, 'scriptWorker.js'), 'utf8'), /QuickJSWASMModule/);
  for (const bundle of ['cli.js', 'cli-run.js', 'extension.js', 'server.js']) {
    assert.doesNotMatch(readFileSync(join(dist, bundle), 'utf8'), /QuickJSWASMModule|emscripten-module|quickjs\.wasm/, bundle);
  }
});

describe('a run without scripts pays nothing for the sandbox', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  // Preloaded into the CLI: counts the worker threads started and lists the modules loaded.
  const probe = join(folder, 'probe.cjs');
  writeFileSync(probe, [
    "const threads = require('node:worker_threads');",
    'const Original = threads.Worker;',
    'let started = 0;',
    'threads.Worker = class extends Original { constructor(...args) { started++; super(...args); } };',
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.COURIER_PROBE_OUT, JSON.stringify({ started, modules: Object.keys(require.cache) })));",
  ].join('\n'));

  async function probed(args: string[]): Promise<{ code: number | null; started: number; modules: string[] }> {
    const out = join(folder, `probe-${args[0] ?? 'none'}.json`);
    const result = await runCli(args, { env: { NODE_OPTIONS: `--require ${probe}`, COURIER_PROBE_OUT: out } });
    const seen = JSON.parse(readFileSync(out, 'utf8')) as { started: number; modules: string[] };
    return { code: result.code, ...seen };
  }

  test('courier --help', async () => {
    const seen = await probed(['--help']);
    assert.equal(seen.code, 0);
    assert.equal(seen.started, 0);
    assert.deepEqual(seen.modules.filter((path) => /scriptWorker|quickjs/i.test(path)), []);
  });

  test('courier run on a file without scripts', async () => {
    const file = join(folder, 'plain.http');
    writeFileSync(file, `GET ${server.url}/json\n`);
    const seen = await probed(['run', file]);
    assert.equal(seen.code, 0);
    assert.equal(seen.started, 0);
    assert.deepEqual(seen.modules.filter((path) => /scriptWorker|quickjs/i.test(path)), []);
    assert.ok(seen.modules.some((path) => path.endsWith('cli-run.js')), 'the probe sees the run bundle load');
  });
});

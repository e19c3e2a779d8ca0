// `courier run` checking responses against an OpenAPI spec, as a whole process against the demo
// API: a response that breaks the spec fails the run with the field path, expected and actual in
// every reporter; the spec is named (--openapi) or found beside the file; --no-openapi and
// `# @no-openapi` turn it off.

import { strict as assert } from 'node:assert';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';
import { ensureBuilt, jsonLines, repositoryRoot, runCli } from './cliHarness';

let api: DemoApi;
let root: string;
/** samples/failing/openapi/: today's API against the spec of its next version. */
let sample: string;

before(async () => {
  ensureBuilt();
  api = await startDemoApi(0);
  root = await mkdtemp(join(tmpdir(), 'courier-openapi-cli-'));
  await cp(join(repositoryRoot, 'samples', 'failing', 'openapi'), join(root, 'breaking'), { recursive: true });
  await cp(join(repositoryRoot, 'samples', 'demo-api', 'openapi.yaml'), join(root, 'demo.openapi.yaml'));
  sample = join('breaking', 'breaking-change.http');
});
after(async () => {
  await api.close();
});

function run(args: readonly string[]): ReturnType<typeof runCli> {
  return runCli(['run', ...args, '--var', `baseUrl=${api.url}`], { cwd: root });
}

const priceViolation = /body at \$\.price: expected type object, actual 4\.5 \(number\)/;

describe('courier run --openapi', () => {
  test('pretty: the spec beside the file is found; the broken response fails the run with path, expected and actual', async () => {
    const result = await run([sample]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /✗ OpenAPI: GET \/items\/\{id\} 200 body: body at \$\.price: expected type object, actual 4\.5 \(number\) \(the 200 response's application\/json schema of GET \/items\/\{id\}, openapi\.yaml\)/);
    // The request with # @no-openapi is not judged.
    assert.equal((result.stdout.match(/OpenAPI:/g) ?? []).length, 1, result.stdout);
  });

  test('json: the failed test is in the record, with its message', async () => {
    const result = await run([sample, '--reporter', 'json']);
    assert.equal(result.code, 1, result.stderr);
    const [first, second] = jsonLines(result.stdout);
    assert.equal(first?.ok, false);
    const tests = first?.tests as { name: string; ok: boolean; error: string | null }[];
    assert.deepEqual(tests.map((item) => [item.name, item.ok]), [['OpenAPI: GET /items/{id} 200 body', false]]);
    assert.match(tests[0]?.error ?? '', priceViolation);
    assert.equal(second?.ok, true);
  });

  test('junit: a failure of type openapi, with expected and actual in its detail', async () => {
    const result = await run([sample, '--reporter', 'junit']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /<testcase name="The item, whose price the spec now says is an object \(line 9\) › OpenAPI: GET \/items\/\{id\} 200 body"/);
    assert.match(result.stdout, /<failure message="body at \$\.price: expected type object, actual 4\.5 \(number\)[^"]*" type="openapi">/);
    assert.match(result.stdout, /expected: \$\.price: type object\nactual: {3}4\.5 \(number\)/);
  });

  test('--openapi names the spec instead: the demo API\'s own, which its responses keep', async () => {
    const result = await run([sample, '--openapi', 'demo.openapi.yaml', '--reporter', 'json']);
    assert.equal(result.code, 0, result.stdout);
    const [first] = jsonLines(result.stdout);
    assert.deepEqual((first?.tests as { name: string; ok: boolean }[]).map((item) => [item.name, item.ok]), [['OpenAPI: GET /items/{id} 200', true]]);
  });

  test('--no-openapi checks nothing', async () => {
    const result = await run([sample, '--no-openapi', '--reporter', 'json']);
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(jsonLines(result.stdout).map((record) => (record.tests as unknown[]).length), [0, 0]);
  });

  test('a named spec that cannot be read stops the run before sending, naming the file and line', async () => {
    await writeFile(join(root, 'broken.yaml'), 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths:\n  /a: [unclosed\n');
    const result = await run([sample, '--openapi', 'broken.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /courier: --openapi .*broken\.yaml(:\d+)?: /);
    const missing = await run([sample, '--openapi', 'nowhere.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere\.yaml.*no such file/);
  });

  test('--openapi and --no-openapi together are a usage error', async () => {
    const result = await run([sample, '--openapi', 'demo.openapi.yaml', '--no-openapi']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--openapi and --no-openapi cannot be combined/);
  });
});

describe('courier import openapi', () => {
  test('writes a file per tag and an env file; the requests run against the API and keep its spec; a second import adds nothing and keeps edits', async () => {
    const spec = join(repositoryRoot, 'samples', 'demo-api', 'openapi.yaml');
    const imported = await runCli(['import', 'openapi', spec, '--out', 'generated'], { cwd: root });
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Imported "Courier demo API" into generated:\n {2}generated\/items\.http \(new\)\n/);
    assert.match(imported.stdout, /Run it with: courier run generated\/items\.http --env local --openapi /);
    const environments = JSON.parse(await readFile(join(root, 'generated', 'http-client.env.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(environments, { local: { baseUrl: 'http://localhost:4010' } });

    const result = await runCli(['run', join('generated', 'items.http'), '--env', 'local', '--var', `baseUrl=${api.url}`, '--openapi', spec, '--reporter', 'json'], { cwd: root });
    const records = jsonLines(result.stdout);
    assert.equal(records.length, 7);
    const openapiResults = records.flatMap((record) => (record.tests as { name: string; ok: boolean; error: string | null }[]).map((item) => `${item.ok ? 'ok' : 'failed'} ${item.name}${item.error === null ? '' : `: ${item.error}`}`));
    assert.equal(openapiResults.length, 7);
    assert.deepEqual(openapiResults.filter((line) => !line.startsWith('ok')), []);
    assert.equal(result.code, 0, result.stderr);

    const itemsFile = join(root, 'generated', 'items.http');
    const edited = (await readFile(itemsFile, 'utf8')).replace('@id = 1', '@id = 2');
    await writeFile(itemsFile, edited);
    const again = await runCli(['import', 'openapi', spec, '--out', 'generated'], { cwd: root });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Nothing to add: every operation of openapi\.yaml is in generated already\.\n$/);
    assert.equal(await readFile(itemsFile, 'utf8'), edited);
  });

  test('a spec that cannot be read is named with its line; no spec is a usage error', async () => {
    await writeFile(join(root, 'bad.yaml'), 'openapi: 3.1.0\ninfo: [\n');
    const bad = await runCli(['import', 'openapi', 'bad.yaml'], { cwd: root });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^courier: bad\.yaml(:\d+)?: /);
    const none = await runCli(['import', 'openapi'], { cwd: root });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /needs a spec file/);
  });
});

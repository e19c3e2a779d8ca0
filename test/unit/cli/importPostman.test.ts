// `courier import postman` end to end, through the real CLI process: the demo collection of
// samples/postman is imported, and what it wrote runs green against the demo API with `courier run`.
import { strict as assert } from 'node:assert';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startDemoApi } from '../../../samples/demo-api/server';
import { ensureBuilt, jsonLines, repositoryRoot, runCli } from './cliHarness';

const collection = join('samples', 'postman', 'demo.postman_collection.json');
const environment = join('samples', 'postman', 'demo.postman_environment.json');

/** A copy of samples/postman and samples/files, laid out as in the repository: the collection's file paths are relative to its output folder. */
async function preparedRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'courier-postman-'));
  await mkdir(join(root, 'samples'));
  for (const folder of ['postman', 'files']) await cp(join(repositoryRoot, 'samples', folder), join(root, 'samples', folder), { recursive: true });
  return root;
}

/** The `.http` files under `folder`, relative to it, in the order the import listed them. */
function httpFilesOf(stdout: string, folder: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('.http'))
    .map((line) => line.slice(folder.length + 1));
}

describe('courier import postman', () => {
  test('imports the demo collection and environment, and every request it wrote runs green against the demo API', async () => {
    ensureBuilt();
    const root = await preparedRoot();
    const out = join('samples', 'postman', 'demo');
    const imported = await runCli(['import', 'postman', collection, '--environment', environment, '--out', out], { cwd: root });
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Run it with: courier run <file\.http> --env "Demo local"/);
    assert.match(imported.stderr, /Items\/List items: scripts are kept as comments, not run/);
    const files = httpFilesOf(imported.stdout, out);
    assert.deepEqual(files, ['Courier demo API.http', 'Items.http', join('Items', 'Search.http'), 'Auth.http', 'Uploads.http']);
    assert.match(await readFile(join(root, out, 'http-client.private.env.json'), 'utf8'), /"apiToken": "demo-token"/);

    const api = await startDemoApi(0);
    try {
      const run = await runCli(['run', ...files, '--env', 'Demo local', '--var', `baseUrl=${api.url}`, '--reporter', 'json'], { cwd: join(root, out) });
      const records = jsonLines(run.stdout);
      assert.deepEqual(records.filter((record) => record.ok !== true).map((record) => `${String(record.file)}:${String(record.line)} ${String(record.error)}`), []);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(
        records.map((record) => `${String(record.name)} ${String(record.status)}`),
        [
          'apiIndex 200',
          'listItems 200',
          'createItem 201',
          'getItem 200',
          'replaceItem 200',
          'itemsAsXML 200',
          'formEcho 200',
          'basicInheritedFromTheFolder 200',
          'digest 200',
          'logIn 200',
          'whoAmI 200',
          'apiKeyInTheQuery 200',
          'multipartForm 200',
          'rawFile 200',
          'graphqlItems 200',
        ],
      );
    } finally {
      await api.close();
    }
  });

  test('never replaces a file without --force, and writes nothing then', async () => {
    ensureBuilt();
    const root = await preparedRoot();
    const out = join(root, 'out');
    await mkdir(out);
    await writeFile(join(out, 'Auth.http'), 'GET https://kept.example\n');
    const refused = await runCli(['import', 'postman', collection, '--out', out], { cwd: repositoryRoot });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /nothing was written: .*Auth\.http already exists; pass --force to replace/);
    assert.deepEqual(await readdir(out), ['Auth.http']);
    assert.equal(await readFile(join(out, 'Auth.http'), 'utf8'), 'GET https://kept.example\n');

    const forced = await runCli(['import', 'postman', collection, '--out', out, '--force'], { cwd: repositoryRoot });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(await readFile(join(out, 'Auth.http'), 'utf8'), /### Digest/);
    // No environment given: collection variables in an environment named "postman".
    assert.match(await readFile(join(out, 'http-client.env.json'), 'utf8'), /^\{\n {2}"postman": \{/);
  });

  test('errors name the file and say what to do; exit 2', async () => {
    ensureBuilt();
    const root = await preparedRoot();
    await writeFile(join(root, 'v1.json'), JSON.stringify({ id: 'x', name: 'Old', order: [], requests: [] }));
    await writeFile(join(root, 'broken.json'), '{ "info": ');
    const cases: [string[], RegExp][] = [
      [['import', 'postman', 'missing.json'], /^courier: cannot read missing\.json: no such file\n$/],
      [['import', 'postman', 'broken.json'], /^courier: broken\.json is not JSON \(/],
      [['import', 'postman', 'v1.json'], /^courier: v1\.json: a Postman collection in the old v1 format.*postman-collection-transformer/],
      [['import', 'postman', environment], /^courier: samples\/postman\/demo\.postman_environment\.json: a Postman environment, not a collection/],
      [['import', 'postman', collection, '--environment', collection], /^courier: samples\/postman\/demo\.postman_collection\.json: the environment file is a Postman collection/],
      [['import', 'postman'], /needs a collection file/],
      [['import', 'postman', collection, '--bogus'], /unknown or incomplete option --bogus/],
      [['import', 'insomnia', 'x.json'], /unknown import format 'insomnia'/],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli(args, { cwd: root });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, pattern, args.join(' '));
    }
    const help = await runCli(['import', 'postman', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: courier import postman <collection\.json> \[options\]/);
  });
});

// `>> file` as the engine names it: every variable source, request variables included.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureBuilt, jsonLines, runCli, startTestServer, tempFolder, type TestServer } from './cliHarness';

let server: TestServer;
before(async () => {
  ensureBuilt();
  server = await startTestServer();
});
after(() => server.close());

test('>> can name its file after a value of a response, and the json report says where it went', async () => {
  const text = ['# @name login', `POST ${server.url}/login`, '', '>> tokens/{{login.response.body.$.token}}.json', ''].join('\n');
  const folder = await tempFolder({ 'file.http': text });
  const result = await runCli(['run', 'file.http', '--reporter', 'json'], { cwd: folder });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(await readFile(join(folder, 'tokens', 'secret-token.json'), 'utf8')), { token: 'secret-token' });
  assert.deepEqual(jsonLines(result.stdout)[0]?.savedTo, [join('tokens', 'secret-token.json')]);
});

test('a >> path whose variable is undefined fails that request with exit 1, naming the line', async () => {
  const folder = await tempFolder({ 'file.http': `GET ${server.url}/json\n\n>> {{missing}}.json\n` });
  const result = await runCli(['run', 'file.http', '--reporter', 'json'], { cwd: folder });
  assert.equal(result.code, 1);
  const [line] = jsonLines(result.stdout);
  assert.equal(line?.status, 200);
  assert.match(String(line?.error), /could not save the response body: .*file\.http:3: cannot name the file of '>> \{\{missing\}\}\.json': variable missing is not defined/);
});

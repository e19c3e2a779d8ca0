// End to end: the built `dist/cli.js` in a child process against a real local server.

import { DOMParser } from '@xmldom/xmldom';
import { strict as assert } from 'node:assert';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { bigBodySize, ensureBuilt, jsonLines, repositoryRoot, runCli, startCli, startTestServer, tempFolder, type TestServer } from './cliHarness';

let server: TestServer;
/** A port nothing listens on: a server was there and closed. */
let closedPort: number;

before(async () => {
  ensureBuilt();
  server = await startTestServer();
  const closed = await startTestServer();
  closedPort = closed.port;
  await closed.close();
});
after(() => server.close());

/** Writes `file.http` with `{{base}}` replaced by the test server's URL and returns its folder. */
async function httpFile(text: string, extra: Record<string, string> = {}): Promise<string> {
  return tempFolder({ 'file.http': text.replaceAll('{{base}}', server.url), ...extra });
}

describe('help, version and usage errors', () => {
  test('--help, run --help and --version exit 0', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /courier run <file\.http\.\.\.>/);
    const runHelp = await runCli(['run', '--help']);
    assert.equal(runHelp.code, 0);
    assert.match(runHelp.stdout, /--cookie-jar FILE/);
    assert.match(runHelp.stdout, /Exit codes:/);
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), `courier ${manifest.version}`, 'the version the manifest declares, however the bundle was built');
  });

  test('an unknown flag exits 2 naming it', async () => {
    const result = await runCli(['run', 'x.http', '--frobnicate']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^courier: unknown option --frobnicate/);
    assert.equal(result.stdout, '');
  });

  test('a missing file exits 2 naming it, before anything is sent', async () => {
    const folder = await httpFile('GET {{base}}/json\n');
    const before = server.received.length;
    const result = await runCli(['run', 'file.http', 'missing.http'], { cwd: folder });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /courier: missing\.http: no such file/);
    assert.equal(server.received.length, before);
  });

  test('a folder is refused with a hint', async () => {
    const folder = await httpFile('GET {{base}}/json\n');
    await mkdir(join(folder, 'requests'));
    const result = await runCli(['run', 'requests'], { cwd: folder });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /requests: is a folder; pass the \.http files in it/);
  });

  test('a file without requests is a warning, not an error', async () => {
    const folder = await tempFolder({ 'empty.http': '# only a comment\n', 'file.http': `GET ${server.url}/json\n` });
    const result = await runCli(['run', 'empty.http', 'file.http', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: empty\.http has no requests/);
    assert.equal(jsonLines(result.stdout).length, 1);
  });

  test('a syntax error in a request exits 2 with file:line:column', async () => {
    const folder = await httpFile('GET {{base}}/json\n\n###\nGET {{base}}/{{id\n');
    const result = await runCli(['run', 'file.http'], { cwd: folder });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /file\.http:4:\d+: error: .*\[http\.variable\.unterminated\]/);
  });
});

describe('reporters', () => {
  test('json: one object per request with the contract fields', async () => {
    const folder = await httpFile('# @name hello\nGET {{base}}/json?q={{q}}\n\n###\nGET {{base}}/status/404\n');
    const result = await runCli(['run', 'file.http', '--reporter', 'json', '--var', 'q=hi'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    const [first, second] = jsonLines(result.stdout);
    assert.equal(first?.file, 'file.http');
    assert.equal(first?.name, 'hello');
    assert.equal(first?.line, 2);
    assert.equal(first?.method, 'GET');
    assert.equal(first?.url, `${server.url}/json?q=hi`);
    assert.equal(first?.status, 200);
    assert.equal(first?.ok, true);
    assert.equal(first?.error, null);
    assert.equal(typeof (first?.timings as { total?: unknown }).total, 'number');
    assert.equal(first?.size, JSON.stringify({ hello: 'world', query: 'hi' }).length);
    assert.equal(second?.name, null);
    assert.equal(second?.line, 5);
    assert.equal(second?.status, 404);
    assert.equal(second?.ok, true);
  });

  test('pretty: a status line per request and a summary, no colour when not a terminal', async () => {
    const folder = await httpFile('GET {{base}}/json\n');
    const result = await runCli(['run', 'file.http'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes('\u001b['), 'no escape codes');
    assert.match(result.stdout, new RegExp(`✓ 200 OK GET ${server.url}/json .*file\\.http:1`));
    assert.match(result.stdout, /1 request: 1 passed in /);
    const forced = await runCli(['run', 'file.http'], { cwd: folder, env: { FORCE_COLOR: '1' } });
    assert.ok(forced.stdout.includes('\u001b[32m'), 'FORCE_COLOR colours');
    const vetoed = await runCli(['run', 'file.http'], { cwd: folder, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    assert.ok(!vetoed.stdout.includes('\u001b['), 'NO_COLOR wins');
  });

  test('pretty --verbose: headers both ways and the body', async () => {
    const folder = await httpFile('GET {{base}}/json\nX-Trace: abc\n');
    const result = await runCli(['run', 'file.http', '--verbose'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^> X-Trace: abc$/m);
    assert.match(result.stdout, /^< HTTP\/1\.1 200 OK$/m);
    assert.match(result.stdout, /^< content-type: application\/json$/im);
    assert.match(result.stdout, /\{"hello":"world","query":null\}/);
  });

  test('junit: well-formed XML on stdout, a failure per failed request', async () => {
    const folder = await httpFile(`GET {{base}}/json\n\n###\nGET http://127.0.0.1:${closedPort}/\n\n###\nGET {{base}}/status/500\n`);
    const result = await runCli(['run', 'file.http', '--reporter', 'junit', '--fail'], { cwd: folder });
    assert.equal(result.code, 1);
    const errors: string[] = [];
    const document = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(result.stdout, 'text/xml');
    assert.deepEqual(errors, []);
    const cases = Array.from(document.getElementsByTagName('testcase'));
    assert.equal(cases.length, 3);
    assert.deepEqual(cases.map((testcase) => testcase.getElementsByTagName('failure').length), [0, 1, 1]);
    assert.equal(cases[1]?.getElementsByTagName('failure')[0]?.getAttribute('type'), 'refused');
    assert.equal(document.getElementsByTagName('testsuites')[0]?.getAttribute('failures'), '2');
  });
});

describe('selecting requests', () => {
  const loginThenMe = '# @name login\nPOST {{base}}/login\n\n###\n# @name me\nGET {{base}}/me\nAuthorization: Bearer {{login.response.body.$.token}}\n\n###\n# @name other\nGET {{base}}/json\n';

  test('--name sends the named request after the requests it depends on', async () => {
    const folder = await httpFile(loginThenMe);
    const result = await runCli(['run', 'file.http', '--name', 'me', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    assert.deepEqual(lines.map((line) => [line.name, line.status]), [['login', 200], ['me', 200]]);
  });

  test('--name that matches nothing exits 2 listing the names', async () => {
    const folder = await httpFile(loginThenMe);
    const result = await runCli(['run', 'file.http', '--name', 'logout'], { cwd: folder });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no request named 'logout'.*names: login, me, other/);
  });

  test('--line runs the request containing that line (1-based)', async () => {
    const folder = await httpFile(loginThenMe);
    const result = await runCli(['run', 'file.http', '--line', '12', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(jsonLines(result.stdout).map((line) => line.name), ['other']);
  });

  test('without a selection every request runs, across files, in one session', async () => {
    const folder = await tempFolder({
      'a.http': `GET ${server.url}/set-cookie?value=shared\n`,
      'b.http': `GET ${server.url}/cookie\n`,
    });
    const result = await runCli(['run', 'a.http', 'b.http', '--reporter', 'json', '--output', 'bodies/'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(jsonLines(result.stdout).map((line) => line.file), ['a.http', 'b.http']);
    const saved = jsonLines(result.stdout)[1]?.savedTo as string[];
    assert.deepEqual(JSON.parse(await readFile(join(folder, saved[0] ?? ''), 'utf8')), { cookie: 'session=shared' });
  });
});

describe('variables and environments', () => {
  test('--var overrides a file variable', async () => {
    const folder = await httpFile('@q = from-file\nGET {{base}}/json?q={{q}}\n');
    const result = await runCli(['run', 'file.http', '--var', 'q=from-cli', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(jsonLines(result.stdout)[0]?.url, `${server.url}/json?q=from-cli`);
  });

  test('--env picks the environment from env files between the file and the current folder', async () => {
    const root = await tempFolder({ 'http-client.env.json': JSON.stringify({ dev: { base: server.url, q: 'dev' }, prod: { base: 'http://127.0.0.1:1', q: 'prod' } }) });
    await mkdir(join(root, 'api'));
    await writeFile(join(root, 'api', 'file.http'), 'GET {{base}}/json?q={{q}}\n');
    const result = await runCli(['run', 'api/file.http', '--env', 'dev', '--reporter', 'json'], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(jsonLines(result.stdout)[0]?.url, `${server.url}/json?q=dev`);
    const unknown = await runCli(['run', 'api/file.http', '--env', 'staging'], { cwd: root });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /environment staging is not defined .*dev, prod/);
  });

  test('an undefined variable fails the request with exit 1 and says how to define it', async () => {
    const folder = await httpFile('GET {{base}}/json?q={{nowhere}}\n');
    const result = await runCli(['run', 'file.http', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 1);
    const [line] = jsonLines(result.stdout);
    assert.equal(line?.ok, false);
    assert.match(String(line?.error), /nowhere.*--var nowhere=value/);
  });
});

describe('exit codes, --fail and --bail', () => {
  test('a status >= 400 exits 0 unless --fail', async () => {
    const folder = await httpFile('GET {{base}}/status/404\n');
    assert.equal((await runCli(['run', 'file.http'], { cwd: folder })).code, 0);
    const failing = await runCli(['run', 'file.http', '--fail'], { cwd: folder });
    assert.equal(failing.code, 1);
    assert.match(failing.stdout, /404 .*--fail/);
  });

  test('no response (connection refused) exits 1', async () => {
    const folder = await httpFile(`GET http://127.0.0.1:${closedPort}/\n`);
    const result = await runCli(['run', 'file.http', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 1);
    assert.equal(jsonLines(result.stdout)[0]?.errorCode, 'refused');
  });

  test('--bail stops at the first failure', async () => {
    const folder = await httpFile(`GET {{base}}/json\n\n###\nGET http://127.0.0.1:${closedPort}/\n\n###\nGET {{base}}/json?after=1\n`);
    const all = await runCli(['run', 'file.http', '--reporter', 'json'], { cwd: folder });
    assert.equal(all.code, 1);
    assert.equal(jsonLines(all.stdout).length, 3);
    const bailed = await runCli(['run', 'file.http', '--reporter', 'json', '--bail'], { cwd: folder });
    assert.equal(bailed.code, 1);
    assert.deepEqual(jsonLines(bailed.stdout).map((line) => line.ok), [true, false]);
  });

  test('Ctrl+C stops the run, reports what completed and exits 130', async () => {
    const folder = await httpFile('GET {{base}}/json?q=first\n\n###\nGET {{base}}/slow?ms=20000\n\n###\nGET {{base}}/json?q=never\n');
    const { child, done } = startCli(['run', 'file.http'], { cwd: folder });
    const deadline = Date.now() + 10_000;
    while (!server.received.includes('GET /slow?ms=20000') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    const result = await done;
    assert.equal(result.code, 130);
    assert.match(result.stdout, /q=first/);
    assert.doesNotMatch(result.stdout, /q=never/);
    assert.match(result.stdout, /1 request: 1 passed in .* \(interrupted\)/);
  });

  test('--timeout fails a slow request with exit 1, a directive wins over it', async () => {
    const folder = await httpFile('GET {{base}}/slow?ms=5000\n');
    const startedAt = Date.now();
    const result = await runCli(['run', 'file.http', '--timeout', '0.3', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 1);
    assert.equal(jsonLines(result.stdout)[0]?.errorCode, 'timeout');
    assert.ok(Date.now() - startedAt < 4000, 'stopped at the timeout, not when the server answered');
    const directive = await httpFile('# @timeout 3 s\nGET {{base}}/slow?ms=500\n');
    assert.equal((await runCli(['run', 'file.http', '--timeout', '0.1'], { cwd: directive })).code, 0);
  });
});

/** The `query` field of a saved `/json` body. */
async function savedQuery(path: string): Promise<unknown> {
  return (JSON.parse(await readFile(path, 'utf8')) as { query: unknown }).query;
}

describe('saving bodies', () => {
  test('--output streams a large body to the file', async () => {
    const folder = await httpFile('GET {{base}}/big\n');
    const result = await runCli(['run', 'file.http', '--output', 'big.bin', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await stat(join(folder, 'big.bin'))).size, bigBodySize);
    assert.deepEqual(jsonLines(result.stdout)[0]?.savedTo, ['big.bin']);
  });

  test('--output DIR/ writes one file per request, named after it', async () => {
    const folder = await httpFile('# @name first\nGET {{base}}/json?q=1\n\n###\nGET {{base}}/json?q=2\n');
    const result = await runCli(['run', 'file.http', '--output', 'out/'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((await readdir(join(folder, 'out'))).sort(), ['first.json', 'get-line-5.json']);
  });

  test('>> picks a new name when the file exists, >>! overwrites', async () => {
    const folder = await httpFile('GET {{base}}/json?q={{q}}\n\n>> saved/body.json\n\n###\nGET {{base}}/json?q={{q}}\n\n>>! saved/latest.json\n');
    for (const q of ['one', 'two']) assert.equal((await runCli(['run', 'file.http', '--var', `q=${q}`], { cwd: folder })).code, 0);
    assert.deepEqual((await readdir(join(folder, 'saved'))).sort(), ['body-1.json', 'body.json', 'latest.json']);
    assert.equal(await savedQuery(join(folder, 'saved', 'body.json')), 'one');
    assert.equal(await savedQuery(join(folder, 'saved', 'body-1.json')), 'two');
    assert.equal(await savedQuery(join(folder, 'saved', 'latest.json')), 'two');
  });
});

describe('saving bodies, when it goes wrong or uses variables', () => {
  test('>> paths take variables and resolve against the .http file\'s folder', async () => {
    const folder = await httpFile('@folder = from-file\nGET {{base}}/json?q=named\n\n>>! {{folder}}/{{name}}.json\n');
    const result = await runCli(['run', join(folder, 'file.http'), '--var', 'name=chosen', '--reporter', 'json'], { cwd: repositoryRoot });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await savedQuery(join(folder, 'from-file', 'chosen.json')), 'named');
  });

  test('a body that cannot be saved fails the request with exit 1 and says why', async () => {
    const folder = await httpFile('GET {{base}}/json\n', { blocker: 'a file, not a folder' });
    const result = await runCli(['run', 'file.http', '--output', 'blocker/body.json', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 1);
    const [line] = jsonLines(result.stdout);
    assert.equal(line?.status, 200);
    assert.equal(line?.failed, true);
    assert.match(String(line?.error), /could not save the response body: .*blocker/);
  });
});

describe('session', () => {
  test('--cookie-jar keeps cookies between two runs; without it they last one run', async () => {
    const folder = await tempFolder({ 'set.http': `GET ${server.url}/set-cookie?value=kept\n`, 'read.http': `GET ${server.url}/cookie\n` });
    assert.equal((await runCli(['run', 'set.http', '--cookie-jar', 'jar.json'], { cwd: folder })).code, 0);
    assert.ok((await stat(join(folder, 'jar.json'))).size > 0, 'the jar file was written');
    assert.equal((await runCli(['run', 'read.http', '--cookie-jar', 'jar.json', '--output', 'with-jar.json'], { cwd: folder })).code, 0);
    assert.deepEqual(JSON.parse(await readFile(join(folder, 'with-jar.json'), 'utf8')), { cookie: 'session=kept' });
    assert.equal((await runCli(['run', 'read.http', '--output', 'without-jar.json'], { cwd: folder })).code, 0);
    assert.deepEqual(JSON.parse(await readFile(join(folder, 'without-jar.json'), 'utf8')), { cookie: null });
  });

  test('TLS is verified by default; --insecure skips it with a warning', async () => {
    const tls = join(repositoryRoot, 'test', 'fixtures', 'tls');
    const httpsServer = createHttpsServer({ key: await readFile(join(tls, 'server.key')), cert: await readFile(join(tls, 'server.pem')) }, (_request, response) => response.end('secure'));
    await new Promise<void>((done) => httpsServer.listen(0, '127.0.0.1', done));
    try {
      const { port } = httpsServer.address() as AddressInfo;
      const folder = await tempFolder({ 'file.http': `GET https://127.0.0.1:${port}/\n` });
      const verified = await runCli(['run', 'file.http', '--reporter', 'json'], { cwd: folder });
      assert.equal(verified.code, 1);
      assert.equal(jsonLines(verified.stdout)[0]?.errorCode, 'tls');
      const insecure = await runCli(['run', 'file.http', '--reporter', 'json', '--insecure'], { cwd: folder });
      assert.equal(insecure.code, 0, insecure.stderr);
      assert.match(insecure.stderr, /warning: TLS certificate verification is disabled \(--insecure\)/);
    } finally {
      httpsServer.closeAllConnections();
      await new Promise((done) => httpsServer.close(done));
    }
  });

  test("SSLConfiguration: --cert-passphrase opens an encrypted key; without it and without a terminal the request says what to pass; verifyHostCertificate false warns", async () => {
    const tls = join(repositoryRoot, 'test', 'fixtures', 'tls');
    const passphrase = 'cli passphrase 42';
    const key = createPrivateKey(await readFile(join(tls, 'client.key')));
    const serverOptions = { key: await readFile(join(tls, 'server.key')), cert: await readFile(join(tls, 'server.pem')) };
    const mutual = createHttpsServer({ ...serverOptions, ca: await readFile(join(tls, 'client-ca.pem')), requestCert: true, rejectUnauthorized: true }, (request, response) =>
      response.end(String((request.socket as TLSSocket).getPeerCertificate().subject.CN)),
    );
    const plain = createHttpsServer(serverOptions, (_request, response) => response.end('unverified'));
    await Promise.all([mutual, plain].map((listening) => new Promise<void>((done) => listening.listen(0, '127.0.0.1', done))));
    try {
      const portOf = (listening: typeof plain): number => (listening.address() as AddressInfo).port;
      const folder = await tempFolder({
        'file.http': `GET https://127.0.0.1:${portOf(mutual)}/\n`,
        'unverified.http': `GET https://127.0.0.1:${portOf(plain)}/\n`,
        'http-client.env.json': JSON.stringify({ dev: { SSLConfiguration: { clientCertificate: 'certs/client.pem', clientCertificateKey: 'certs/client.key', hasCertificatePassphrase: true } }, lax: { SSLConfiguration: { verifyHostCertificate: false } } }),
      });
      await mkdir(join(folder, 'certs'));
      await writeFile(join(folder, 'certs', 'client.pem'), await readFile(join(tls, 'client.pem')));
      await writeFile(join(folder, 'certs', 'client.key'), key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }));
      // The test server's CA, trusted the way a user trusts a private CA.
      const env = { NODE_EXTRA_CA_CERTS: join(tls, 'ca.pem') };
      const answered = await runCli(['run', 'file.http', '--env', 'dev', '--reporter', 'json', '--cert-passphrase', passphrase, '--output', 'who.txt'], { cwd: folder, env });
      assert.equal(answered.code, 0, answered.stdout + answered.stderr);
      assert.equal(await readFile(join(folder, 'who.txt'), 'utf8'), 'courier-test-client');
      const unanswered = await runCli(['run', 'file.http', '--env', 'dev', '--reporter', 'json'], { cwd: folder, env });
      assert.equal(unanswered.code, 1);
      assert.match(String(jsonLines(unanswered.stdout)[0]?.error), /needs a passphrase .*but nobody can answer here: pass --cert-passphrase to courier run/);
      const wrong = await runCli(['run', 'file.http', '--env', 'dev', '--reporter', 'json', '--cert-passphrase', 'not it'], { cwd: folder, env });
      assert.equal(wrong.code, 1);
      assert.match(String(jsonLines(wrong.stdout)[0]?.error), /the passphrase for the client certificate key .*client\.key is wrong/);
      assert.ok(!`${wrong.stdout}${wrong.stderr}${answered.stdout}${answered.stderr}`.includes('not it') && !answered.stdout.includes(passphrase), 'passphrases never reach the output');
      const lax = await runCli(['run', 'unverified.http', '--env', 'lax'], { cwd: folder });
      assert.equal(lax.code, 0, lax.stdout + lax.stderr);
      assert.match(lax.stdout, new RegExp(`warning: TLS certificate verification is disabled for 127\\.0\\.0\\.1:${portOf(plain)}: the server's identity was not checked`));
    } finally {
      for (const listening of [mutual, plain]) listening.closeAllConnections();
      await Promise.all([mutual, plain].map((listening) => new Promise((done) => listening.close(done))));
    }
  });
});

// The runner with scripts: pre-request scripts before preparing, handlers and `??` lines after the
// response, globals across requests and files of one session, failures on that request only.

import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange, TestResult } from '../../../engine/model';
import { Runner, type RunSettings } from '../../../engine/runner';
import { scriptGlobals } from '../../../engine/scripts/requestScripts';
import { Session } from '../../../engine/session';
import { listen, type Running } from './localServer';
import { testSandbox } from './scripts/sandboxHarness';

const sandbox = testSandbox({ timeoutMs: 2_000 });
let api: Running<ReturnType<typeof createServer>>;
const folder = mkdtempSync(join(tmpdir(), 'courier-runner-scripts-'));
const seen: { url: string; authorization: string | undefined; body: string }[] = [];

before(async () => {
  api = await listen(
    createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ url: request.url ?? '', authorization: request.headers.authorization, body });
        const json = (status: number, value: unknown): void => {
          response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Trace': 'abc' });
          response.end(JSON.stringify(value));
        };
        if (request.url === '/login') json(200, { accessToken: 'secret-token', expiresIn: 3600 });
        else if (request.url === '/me') json(request.headers.authorization === 'Bearer secret-token' ? 200 : 401, { name: 'demo', roles: ['admin'] });
        else if (request.url === '/xml') {
          response.writeHead(200, { 'Content-Type': 'application/xml' });
          response.end('<user><name>demo</name></user>');
        } else json(200, { path: request.url, body });
      });
    }),
  );
});

after(async () => {
  await sandbox.close();
  await api.close();
});

function write(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text.replaceAll('{{host}}', api.url));
  return path;
}

async function run(path: string, text: string, settings: Partial<RunSettings> = {}, given?: Session): Promise<Exchange[]> {
  const session = given ?? (await Session.open({}));
  const runner = new Runner(session, { scripts: { sandbox }, ...settings });
  return runner.run({ path, text: text.replaceAll('{{host}}', api.url) }, { kind: 'all' });
}

function outcomes(exchange: Exchange | undefined): string[] {
  return (exchange?.tests ?? []).map((test: TestResult) => `${test.outcome === 'passed' ? '✓' : test.outcome === 'failed' ? '✗' : '-'} ${test.name}${test.message === undefined ? '' : `: ${test.message}`}`);
}

describe('runner with scripts', () => {
  test('the JetBrains login pattern: a handler sets a global the next request reads', async () => {
    const path = join(folder, 'login.http');
    const exchanges = await run(path, [
      '### Log in',
      'POST {{host}}/login',
      'Content-Type: application/json',
      '',
      '{ "username": "demo" }',
      '',
      '> {%',
      '  client.test("logged in", () => client.assert(response.status === 200, "status " + response.status));',
      '  client.global.set("auth_token", response.body.accessToken);',
      '  client.log("token length", response.body.accessToken.length);',
      '%}',
      '',
      '### Profile',
      'GET {{host}}/me',
      'Authorization: Bearer {{auth_token}}',
      '',
      '?? status == 200',
      '?? body name == demo',
      '?? body roles[0] == admin',
      '?? header x-trace == abc',
    ].join('\n'));
    assert.deepEqual(exchanges.map((exchange) => exchange.response?.status), [200, 200]);
    assert.deepEqual(outcomes(exchanges[0]), ['✓ logged in']);
    assert.deepEqual(exchanges[0]?.log, ['token length 12']);
    assert.deepEqual(outcomes(exchanges[1]), ['✓ status == 200', '✓ name == demo', '✓ roles[0] == admin', '✓ x-trace == abc']);
    assert.equal(seen.at(-1)?.authorization, 'Bearer secret-token');
  });

  test('globals live in the session: a second file of the same session reads them, another session does not', async () => {
    const session = await Session.open({});
    await run(join(folder, 'a.http'), 'POST {{host}}/login\n\n> {% client.global.set("auth_token", response.body.accessToken) %}\n', {}, session);
    assert.equal(session.state.get(scriptGlobals).get('auth_token'), 'secret-token');
    const [second] = await run(join(folder, 'b.http'), 'GET {{host}}/me\nAuthorization: Bearer {{auth_token}}\n', {}, session);
    assert.equal(second?.response?.status, 200);
    const [fresh] = await run(join(folder, 'c.http'), 'GET {{host}}/me\nAuthorization: Bearer {{auth_token}}\n');
    assert.equal(fresh?.error?.code, 'variable');
  });

  test('a pre-request script sets a request variable the request reads, and sees the request as written', async () => {
    const [exchange] = await run(join(folder, 'pre.http'), [
      '< {%',
      '  request.variables.set("stamp", request.method + " " + request.url.getRaw());',
      '%}',
      'POST {{host}}/echo',
      'Content-Type: text/plain',
      '',
      'stamp={{stamp}}',
    ].join('\n'));
    assert.equal(exchange?.error, undefined);
    assert.equal(seen.at(-1)?.body, `stamp=POST ${api.url}/echo`);
  });

  test('a pre-request script that throws stops its request with a script error at its line; the next request is sent', async () => {
    const exchanges = await run(join(folder, 'prefail.http'), ['< {%', '  const x = null;', '  x.boom();', '%}', 'GET {{host}}/never', '', '###', 'GET {{host}}/after'].join('\n'));
    assert.equal(exchanges[0]?.error?.code, 'script');
    assert.match(exchanges[0]?.error?.message ?? '', /prefail\.http:1: the pre-request script failed/);
    const failure = exchanges[0]?.tests?.find((test) => test.kind === 'script-error');
    assert.equal(failure?.location?.line, 3, 'the line of x.boom() in the .http file');
    assert.equal(exchanges[1]?.response?.status, 200);
    assert.ok(!seen.some((request) => request.url === '/never'));
  });

  test('a failing client.test and a failing ?? report expected and actual; a handler error is a failed test at its line', async () => {
    const [exchange] = await run(join(folder, 'fail.http'), [
      'GET {{host}}/me',
      '',
      '> {%',
      '  client.test("is admin", () => client.assert(response.body.roles.includes("root"), "not root"));',
      '  undefinedFunction();',
      '%}',
      '?? status == 200',
    ].join('\n'));
    assert.deepEqual(outcomes(exchange), [
      '✗ is admin: not root',
      `✗ response handler (line 3): ${join(folder, 'fail.http')}:5:3: ReferenceError: 'undefinedFunction' is not defined`,
      '✗ status == 200: status is 401, expected == 200',
    ]);
    const failed = exchange?.tests?.[2];
    assert.deepEqual([failed?.expected, failed?.actual, failed?.location?.line], ['200', '401', 7]);
  });

  test('?? js evaluates in the sandbox with the response, including httpYac names', async () => {
    const [exchange] = await run(join(folder, 'js.http'), 'GET {{host}}/login\n\n?? js response.parsedBody.expiresIn > 3000\n?? js response.body.accessToken.length == 12\n?? js response.statusCode == 200\n');
    assert.deepEqual(outcomes(exchange).map((line) => line.slice(0, 1)), ['✓', '✓', '✓'], outcomes(exchange).join('\n'));
  });

  test('a handler from a .js file beside the .http file runs; a missing one is a failed test naming the path', async () => {
    write('handler.js', 'client.test("from file", () => client.assert(response.status === 200));\n');
    const exchanges = await run(join(folder, 'files.http'), 'GET {{host}}/login\n\n> ./handler.js\n\n###\nGET {{host}}/login\n\n> ./missing.js\n');
    assert.deepEqual(outcomes(exchanges[0]), ['✓ from file']);
    assert.equal(exchanges[1]?.tests?.[0]?.outcome, 'failed');
    assert.match(exchanges[1]?.tests?.[0]?.message ?? '', /files\.http:8: cannot read the script file \.\/missing\.js .*does not exist/);
    assert.equal(exchanges[1]?.response?.status, 200, 'the response is kept');
  });

  test('a runaway handler is stopped at the time limit and the run goes on; a test it was in is failed, not passed', async () => {
    const exchanges = await run(join(folder, 'loop.http'), 'GET {{host}}/login\n\n> {% client.test("never ends", () => { while (true) {} }) %}\n\n###\nGET {{host}}/me\n', { scripts: { sandbox, timeoutMs: 300 } });
    assert.deepEqual(outcomes(exchanges[0]).map((line) => line.slice(0, 30)), ['✗ never ends: the test did not', '✗ response handler (line 3): /']);
    assert.match(exchanges[0]?.tests?.[1]?.message ?? '', /time limit of 300 ms/);
    assert.equal(exchanges[1]?.response?.status, 401);
  });

  test('with a skip reason no script runs: each script is a skipped test, ?? lines other than js still run', async () => {
    const [exchange] = await run(join(folder, 'skip.http'), '< {% request.variables.set("x", "1") %}\nGET {{host}}/login\n\n> {% client.global.set("t", "1") %}\n?? status == 200\n?? js response.status == 200\n', {
      scripts: { sandbox, skipReason: 'scripts run only in a trusted workspace' },
    });
    assert.deepEqual(outcomes(exchange), [
      '- pre-request script (line 1): scripts run only in a trusted workspace',
      '- response handler (line 4): scripts run only in a trusted workspace',
      '✓ status == 200',
      '- response.status == 200: scripts run only in a trusted workspace',
    ]);
  });

  test("kulala's Lua scripts are skipped tests saying why; the request is sent and JavaScript beside them runs", async () => {
    const path = join(folder, 'lua.http');
    const [exchange] = await run(path, '< {%\n  -- lua\n  local x = 1\n%}\nGET {{host}}/login\n\n> {%\n-- lua\nclient.log("from lua")\n%}\n> {% client.test("js runs", () => {}) %}\n');
    assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
    assert.deepEqual(outcomes(exchange), [
      `- pre-request script (line 1): ${path}:1: not run: a Lua script (kulala's); Courier runs JavaScript scripts only`,
      `- response handler (line 7): ${path}:7: not run: a Lua script (kulala's); Courier runs JavaScript scripts only`,
      '✓ js runs',
    ]);
  });

  test('a request without scripts or assertions has no tests and starts no worker', async () => {
    const own = testSandbox();
    const runner = new Runner(await Session.open({}), { scripts: { sandbox: own } });
    const [exchange] = await runner.run({ path: join(folder, 'plain.http'), text: `GET ${api.url}/login\n` }, { kind: 'all' });
    assert.equal(exchange?.tests, undefined);
    assert.equal(own.startedWorkers, 0);
    await own.close();
  });

  test('?? expected values see globals the handler just set', async () => {
    const [exchange] = await run(join(folder, 'expected.http'), 'GET {{host}}/login\n\n> {% client.global.set("expected", response.body.accessToken) %}\n?? body accessToken == {{expected}}\n');
    assert.deepEqual(outcomes(exchange), ['✓ accessToken == {{expected}}']);
  });
});

describe('runner with httpYac script blocks', () => {
  test('a global script runs once per run, exports reach later requests, and tests come from test() and its helpers', async () => {
    const path = join(folder, 'yac-login.http');
    const text = [
      '###',
      '{{',
      '  exports.user = "demo";',
      '  console.log("global script");',
      '}}',
      '### Log in',
      'POST {{host}}/login',
      '',
      '{ "user": "{{user}}" }',
      '',
      '{{',
      '  test.status(200);',
      '  exports.token = response.parsedBody.accessToken;',
      '}}',
      '### Me',
      'GET {{host}}/me',
      'Authorization: Bearer {{token}}',
      '',
      '{{',
      '  test("as the user", () => { if (response.parsedBody.name !== user) throw new Error(response.parsedBody.name); });',
      '}}',
    ].join('\n');
    const session = await Session.open({});
    const exchanges = await run(path, text, {}, session);
    assert.deepEqual(exchanges.map((exchange) => exchange.response?.status), [200, 200]);
    assert.deepEqual(outcomes(exchanges[0]), ['✓ response status equals to 200']);
    assert.deepEqual(exchanges[0]?.log, ['global script']);
    assert.deepEqual(outcomes(exchanges[1]), ['✓ as the user']);
    assert.equal(exchanges[1]?.log, undefined);
    // The exports are the session's: a later run of one request reads them.
    const again = await new Runner(session, { scripts: { sandbox } }).run({ path, text: text.replaceAll('{{host}}', api.url) }, { kind: 'line', line: 16 });
    assert.deepEqual(outcomes(again[0]), ['✓ as the user']);
    assert.deepEqual(again[0]?.log, ['global script']);
  });

  test('a pre-request block computes what its request sends; $global is client.global', async () => {
    const path = join(folder, 'yac-pre.http');
    const exchanges = await run(path, [
      '{{',
      '  exports.payload = JSON.stringify({ sum: 1 + 2 });',
      '  $global.shared = "from yac";',
      '}}',
      'POST {{host}}/echo',
      '',
      '{{payload}}',
      '',
      '> {%',
      '  client.test("jetbrains sees it", () => client.assert(client.global.get("shared") === "from yac"));',
      '%}',
    ].join('\n'));
    assert.equal(seen.at(-1)?.body, '{"sum":3}');
    assert.deepEqual(outcomes(exchanges[0]), ['✓ jetbrains sees it']);
  });

  test('order around the response: {{@response, then handlers and blocks as written, ?? lines, then {{@after and {{+after', async () => {
    const path = join(folder, 'yac-order.http');
    const exchanges = await run(path, [
      '{{+after',
      '  console.log("every after");',
      '}}',
      '###',
      'GET {{host}}/order',
      '',
      '{{@after',
      '  console.log("after");',
      '}}',
      '> {%',
      '  client.log("handler");',
      '%}',
      '{{',
      '  console.log("block");',
      '}}',
      '{{@response',
      '  console.log("response");',
      '}}',
      '{{@request',
      '  console.log("never");',
      '}}',
      '?? status == 200',
    ].join('\n'));
    assert.deepEqual(exchanges[0]?.log, ['response', 'handler', 'block', 'after', 'every after']);
    assert.deepEqual(outcomes(exchanges[0]).map((line) => line.replace(/: .*/, '')), ['- {{@request script (line 19)', '✓ status == 200']);
  });

  test('exports.$cancel stops the request; a failing block stops it with the script\'s error', async () => {
    const path = join(folder, 'yac-cancel.http');
    const before = seen.length;
    const exchanges = await run(path, [
      '{{',
      '  exports.$cancel = true;',
      '}}',
      'GET {{host}}/cancelled',
      '###',
      '{{',
      '  const fs = require("fs");',
      '}}',
      'GET {{host}}/failed',
    ].join('\n'));
    assert.equal(seen.length, before);
    assert.equal(exchanges[0]?.error?.code, 'aborted');
    assert.match(exchanges[0]?.error?.message ?? '', /yac-cancel\.http:1: the pre-request script exported \$cancel, so the request was not sent/);
    assert.equal(exchanges[1]?.error?.code, 'script');
    assert.match(exchanges[1]?.error?.message ?? '', /yac-cancel\.http:6: the pre-request script failed, so the request was not sent: .*yac-cancel\.http:7:\d+: Error: require\("fs"\) is not available in Courier's sandbox/);
  });

  test('a failing global script sends nothing and says so for each request', async () => {
    const path = join(folder, 'yac-global-fails.http');
    const before = seen.length;
    const exchanges = await run(path, ['{{', '  missing.call();', '}}', '###', 'GET {{host}}/a', '###', 'GET {{host}}/b'].join('\n'));
    assert.equal(seen.length, before);
    assert.deepEqual(exchanges.map((exchange) => exchange.error?.code), ['script', 'script']);
    assert.match(exchanges[0]?.error?.message ?? '', /yac-global-fails\.http:1: the global script failed, so no request of the file was sent: .*'missing' is not defined/);
  });
});

// httpYac's script API inside the sandbox (`dialect: 'httpyac'`): exports (promises awaited),
// test() and its helpers, request and response in httpYac's shape, $global against client.global,
// variables as globals, sleep; and the sandbox holding against scripts written to get out of it.

import { strict as assert } from 'node:assert';
import { after, describe, test } from 'node:test';
import type { ScriptInput } from '../../../../engine/scripts/scriptTypes';
import { jsonResponse, scriptInput, testSandbox } from './sandboxHarness';

const sandbox = testSandbox({ timeoutMs: 1_000 });
after(() => sandbox.close());

function yac(source: string, overrides: Partial<ScriptInput> = {}): ScriptInput {
  return scriptInput(source, { dialect: 'httpyac', ...overrides });
}

const sent = { method: 'POST', url: { raw: '{{base}}/items', substituted: 'https://example.com/items' }, headers: [{ name: 'X-Key', raw: '{{key}}', substituted: 'k1' }], body: { raw: '{}', substituted: '{}' } };

describe('exports', () => {
  test('exports and module.exports become variables as JSON data; functions and undefined are left out', async () => {
    const result = await sandbox.run(yac('exports.token = "abc"; exports.user = { id: 1 }; module.exports.count = 2; exports.f = () => 1; exports.none = undefined;'));
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.exports, { token: 'abc', user: { id: 1 }, count: 2 });
  });

  test('an exported promise is waited for and its value exported, as httpYac does', async () => {
    const result = await sandbox.run(yac('async function later() { await sleep(5); return "done"; }\nexports.wait = later();'));
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.exports, { wait: 'done' });
  });

  test('an exported promise that rejects fails the script at its line', async () => {
    const result = await sandbox.run(yac('exports.bad = Promise.reject(new Error("no"));'));
    assert.equal(result.error?.kind, 'script');
    assert.match(result.error.message, /Error: no/);
  });

  test('an exported promise that can never settle is reported at once', async () => {
    const result = await sandbox.run(yac('exports.never = new Promise(() => {});'));
    assert.equal(result.error?.kind, 'unsettled');
    assert.match(result.error.message, /a promise the script exports never settles/);
  });

  test('a JetBrains script has no exports, test, $global or sleep', async () => {
    const result = await sandbox.run(scriptInput('client.log([typeof exports, typeof test, typeof $global, typeof sleep, typeof require].join())'));
    assert.deepEqual(result.log, ['undefined,undefined,undefined,undefined,undefined']);
  });
});

describe('variables, request and response', () => {
  test('variables defined so far are globals of the script; built-ins and the API keep their meaning', async () => {
    const result = await sandbox.run(yac('console.log(baseUrl, user.id, typeof JSON.parse, typeof test)', { variables: { baseUrl: 'https://example.com', user: { id: 7 }, JSON: 'shadow?', test: 'no', 'not-an-identifier': 'x' } }));
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.log, ['https://example.com 7 function function']);
  });

  test('variables are gone for the next script', async () => {
    await sandbox.run(yac('console.log(leftover)', { variables: { leftover: 1 } }));
    const result = await sandbox.run(yac('console.log(typeof leftover)'));
    assert.deepEqual(result.log, ['undefined']);
  });

  test('request is httpYac\'s: url, method, headers by name and body, as sent', async () => {
    const result = await sandbox.run(yac('console.log(request.method, request.url, request.headers["X-Key"], request.body)', { request: sent }));
    assert.deepEqual(result.log, ['POST https://example.com/items k1 {}']);
  });

  test('response has statusCode, parsedBody, the body as text, and headers by lower-case name', async () => {
    const result = await sandbox.run(yac('console.log(response.statusCode, response.parsedBody.token, typeof response.body, response.headers["content-type"], response.headers["set-cookie"].length, response.contentType.mimeType, response.timings.total)', { response: { ...jsonResponse, totalMs: 12 } }));
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.log, ['200 abc string application/json; charset=utf-8 2 application/json 12']);
  });
});

describe('test and its helpers', () => {
  test('test() records passes and failures; a test without a function passes, as in httpYac', async () => {
    const result = await sandbox.run(yac('test("passes", () => {});\ntest("fails", () => { throw new Error("nope"); });\ntest("no function");', { response: jsonResponse }));
    assert.deepEqual(result.tests.map(({ name, ok, error }) => ({ name, ok, error })), [
      { name: 'passes', ok: true, error: undefined },
      { name: 'fails', ok: false, error: 'nope' },
      { name: 'no function', ok: true, error: undefined },
    ]);
    assert.deepEqual(result.tests[1].position, { line: 2, column: 38 });
  });

  test('test.status, header, headerContains, responseBody, hasResponseBody, hasNoResponseBody and totalTime, named as httpYac names them', async () => {
    const result = await sandbox.run(
      yac(
        [
          'test.status(200);',
          'test.status(404);',
          'test.header("Content-Type", "application/json; charset=utf-8");',
          'test.header("content-type", "text/plain");',
          'test.headerContains("content-type", "json");',
          'test.responseBody(\'{"token":"abc","items":[{"id":1},{"id":2}]}\');',
          'test.hasResponseBody();',
          'test.hasNoResponseBody();',
          'test.totalTime(100);',
        ].join('\n'),
        { response: { ...jsonResponse, totalMs: 150 } },
      ),
    );
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.tests.map(({ name, ok, error }) => `${ok ? '✓' : '✗'} ${name}${error === undefined ? '' : `: ${error}`}`), [
      '✓ response status equals to 200',
      '✗ response status equals to 404: response status is 200 (expected: 404)',
      '✓ response header Content-Type equals application/json; charset=utf-8',
      '✗ response header content-type equals text/plain: response header content-type is application/json; charset=utf-8 (expected: text/plain)',
      '✓ response header content-type contains json',
      '✓ response body equals {"token":"abc","items":[{"id":1},{"id":2}]}',
      '✓ response body exists',
      '✗ response body does not exists: the response has a body',
      '✗ total time exceeded 100: total time is 150 (expected max 100)',
    ]);
  });

  test('the helpers record nothing before the response (a pre-request script)', async () => {
    const result = await sandbox.run(yac('test.status(200); test.hasResponseBody();'));
    assert.deepEqual(result.tests, []);
  });
});

describe('$global', () => {
  test('reads client.global\'s values and reports what the script set and deleted, as text', async () => {
    const result = await sandbox.run(yac('console.log($global.kept); $global.token = "t"; $global.count = 3; delete $global.old;', { globals: { kept: 'k', old: 'o' } }));
    assert.deepEqual(result.log, ['k']);
    assert.deepEqual(result.globalChanges, [
      { kind: 'set', name: 'token', value: 't' },
      { kind: 'set', name: 'count', value: '3' },
      { kind: 'clear', name: 'old' },
    ]);
  });
});

describe('the sandbox holds against hostile httpYac scripts', () => {
  test('require names the module, says the sandbox has no Node and what to use, at the script\'s line', async () => {
    const result = await sandbox.run(yac('// line 1\nconst crypto = require("crypto");', { fileName: 'api.http', lineOffset: 10 }));
    assert.equal(result.error?.kind, 'script');
    assert.match(result.error.message, /^api\.http:12:\d+: Error: require\("crypto"\) is not available in Courier's sandbox: scripts run without Node and its modules\. Use what the sandbox has instead/);
  });

  test('process, Buffer, setTimeout and httpYac\'s internals each say what to do instead', async () => {
    for (const [source, pattern] of [
      ['process.env.HOME', /process is not available in Courier's sandbox \(no Node\)/],
      ['Buffer.from("x")', /Buffer is not available/],
      ['setTimeout(() => {}, 1)', /use await sleep\(ms\)/],
      ['httpRegion.metaData', /httpRegion is httpYac's own object/],
    ] as const) {
      const result = await sandbox.run(yac(source));
      assert.equal(result.error?.kind, 'script', source);
      assert.match(result.error.message, pattern, source);
    }
  });

  test('no way to Node through the global object, constructors or a caught error', async () => {
    const result = await sandbox.run(
      yac(
        [
          'const viaFunction = Function("return typeof globalThis.process === \\"undefined\\" ? \\"none\\" : \\"found\\"")',
          'let viaError; try { require("fs"); } catch (error) { try { error.constructor.constructor("return this")().require("fs"); viaError = "loaded"; } catch (again) { viaError = again.message.startsWith(\'require("fs") is not available\') ? "sandbox require" : again.message; } }',
          'const viaThis = (function () { return this; })();',
          'const names = Object.getOwnPropertyNames(globalThis).filter((name) => /courier/i.test(name));',
          'console.log(viaError, typeof viaThis.module === "undefined" || typeof viaThis.module.require, names.join());',
          'try { viaFunction(); } catch (error) { console.log("blocked", error.message.includes("process")); }',
        ].join('\n'),
      ),
    );
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.log, ['sandbox require undefined ', 'blocked true']);
  });

  test('an endless loop ends at the time limit, and the next script runs', async () => {
    const looped = await sandbox.run(yac('exports.x = 1;\nfor (;;) {}'));
    assert.equal(looped.error?.kind, 'timeout');
    assert.equal(looped.exports, undefined);
    const next = await sandbox.run(yac('exports.after = true;'));
    assert.deepEqual(next.exports, { after: true });
  });

  test('sleep past the time limit ends at the limit, not after the sleep', async () => {
    const started = Date.now();
    const result = await sandbox.run(yac('await sleep(60000);'));
    assert.equal(result.error?.kind, 'timeout');
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });
});

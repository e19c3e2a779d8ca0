// Each limit of the sandbox, each way out of it a script might try, and that the run goes on
// after a script fails.
import { strict as assert } from 'node:assert';
import { after, describe, test } from 'node:test';
import { jsonResponse, scriptInput, testSandbox } from './sandboxHarness';

const sandbox = testSandbox();
after(() => sandbox.close());

/** Runs `source` and answers its only log line, failing on any script error. */
async function logged(source: string): Promise<string | undefined> {
  const result = await sandbox.run(scriptInput(source));
  assert.equal(result.error, undefined, result.error?.message);
  return result.log[0];
}

describe('time', () => {
  test('a runaway loop is stopped at its deadline by the interrupt handler', async () => {
    const started = performance.now();
    const result = await sandbox.run(scriptInput('client.global.set("a", "1");\nwhile (true) {}'), { timeoutMs: 300 });
    const elapsed = performance.now() - started;
    assert.equal(result.error?.kind, 'timeout');
    // No position: QuickJS records positions at calls, so the loop would be placed at line 1's call.
    assert.equal(result.error.message, 'requests.http: the script ran longer than its time limit of 300 ms and was stopped; make it do less, or raise courier.scripts.timeout');
    assert.equal(result.error.position, undefined);
    assert.ok(elapsed < 3000, `stopped after ${Math.round(elapsed)} ms`);
  });

  test('a loop of huge native calls (Array.prototype.fill) is stopped by ending the worker, and the next script runs', async () => {
    const local = testSandbox();
    try {
      const started = performance.now();
      const result = await local.run(scriptInput('const items = new Array(1000000);\nfor (;;) items.fill(1);'), { timeoutMs: 500 });
      const elapsed = performance.now() - started;
      assert.equal(result.error?.kind, 'timeout');
      assert.match(result.error.message, /time limit of 500 ms/);
      // The deadline, the grace the interrupt handler gets (200 ms), and slack for a loaded machine.
      assert.ok(elapsed < 2500, `stopped after ${Math.round(elapsed)} ms`);
      const next = await local.run(scriptInput('client.test("after", () => {});'));
      assert.equal(next.error, undefined);
      assert.deepEqual(next.tests, [{ name: 'after', ok: true }]);
    } finally {
      await local.close();
    }
  });

  test('a client.test promise that never settles is an error naming the test, at once', async () => {
    const result = await sandbox.run(scriptInput('client.test("hangs", () => new Promise(() => {}));\nclient.test("fine", () => {});'));
    assert.equal(result.error?.kind, 'unsettled');
    assert.equal(result.error.message, 'requests.http: the promise of client.test "hangs" never settles (nothing is left in the script that could resolve it); resolve or reject it');
    assert.deepEqual(result.tests.map((test) => test.name), ['hangs', 'fine']);
  });

  test('a top-level await that never settles is an error', async () => {
    const result = await sandbox.run(scriptInput('await new Promise(() => {});'));
    assert.equal(result.error?.kind, 'unsettled');
    assert.match(result.error.message, /the script's top-level await never settles/);
  });

  test('there are no timers to wait on', async () => {
    assert.equal(await logged('client.log([typeof setTimeout, typeof setInterval, typeof setImmediate, typeof queueMicrotask].join())'), 'undefined,undefined,undefined,undefined');
  });
});

describe('memory and recursion', () => {
  test('a memory bomb ends at the memory limit', async () => {
    const result = await sandbox.run(scriptInput('const hoard = [];\nfor (;;) hoard.push({ a: 1, b: [1, 2, 3] });'));
    assert.equal(result.error?.kind, 'memory');
    assert.match(result.error.message, /^requests\.http(:\d+:\d+)?: the script used more than its memory limit of 64 MB and was stopped$/);
  });

  test('a smaller memory limit is honoured', async () => {
    const result = await sandbox.run(scriptInput('const big = "x".repeat(8 << 20);'), { memoryBytes: 4 * 1024 * 1024 });
    assert.equal(result.error?.kind, 'memory');
    assert.match(result.error.message, /memory limit of 4 MB/);
  });

  test('infinite recursion ends as a stack overflow with its line', async () => {
    const result = await sandbox.run(scriptInput('function dive(depth) {\n  return dive(depth + 1) + 1;\n}\ndive(0);'));
    assert.equal(result.error?.kind, 'stack');
    assert.match(result.error.message, /^requests\.http:\d+:\d+: the script recursed too deeply \(stack overflow\) and was stopped; look for a function that calls itself without end$/);
  });

  test('the worker survives script errors, memory and stack failures: one worker for all of them', async () => {
    const local = testSandbox();
    try {
      for (const source of ['null.x', 'const hoard = []; for (;;) hoard.push({ a: 1, b: [1, 2, 3] });', 'let text = "x"; for (;;) text += text;', 'function f() { return f() + 1 } f()', 'throw 42']) {
        const result = await local.run(scriptInput(source));
        assert.notEqual(result.error, undefined, source);
      }
      const next = await local.run(scriptInput('client.test("still fine", () => client.assert(true));'));
      assert.equal(next.error, undefined);
      assert.deepEqual(next.tests, [{ name: 'still fine', ok: true }]);
      assert.equal(local.startedWorkers, 1);
    } finally {
      await local.close();
    }
  });
});

describe('nothing of the host is reachable', () => {
  test('no require, module, process, Buffer, fetch, file system or network globals', async () => {
    const names = ['require', 'module', 'exports', 'process', 'Buffer', 'global', 'fetch', 'XMLHttpRequest', 'WebSocket', 'std', 'os', 'Deno', 'Bun', '__dirname'];
    assert.equal(await logged(`client.log(${JSON.stringify(names)}.map((name) => typeof globalThis[name]).join())`), names.map(() => 'undefined').join());
  });

  test('the host bridges are gone before the script runs', async () => {
    const keys = await logged('client.log(JSON.stringify(Reflect.ownKeys(globalThis).filter((key) => typeof key === "string" && key.startsWith("__courier"))))');
    assert.equal(keys, '[]');
  });

  test('globalThis tricks reach only the guest global', async () => {
    const line = await logged([
      'const viaFunction = Function("return this")();',
      'const viaConstructor = client.test.constructor.constructor("return this")();',
      'const viaPrototype = Object.getPrototypeOf(async function () {}).constructor("return this")();',
      'const viaEval = (0, eval)("this");',
      'client.log([viaFunction === globalThis, viaConstructor === globalThis, viaEval === globalThis, typeof viaPrototype, typeof viaFunction.process, client.test.constructor.constructor("return typeof require")()].join())',
    ].join('\n'));
    assert.equal(line, 'true,true,true,object,undefined,undefined');
  });

  test('eval and new Function see the same sandbox', async () => {
    assert.equal(await logged('client.log(eval("typeof require"), new Function("return typeof process")(), eval("typeof __courierHost"))'), 'undefined undefined undefined');
  });

  test('import() rejects, and a static import is a syntax error', async () => {
    const dynamic = await sandbox.run(scriptInput('client.test("import", async () => { await import("node:fs"); });\nclient.test("import std", () => import("std"));'));
    assert.equal(dynamic.error, undefined, dynamic.error?.message);
    assert.deepEqual(dynamic.tests.map((test) => test.ok), [false, false]);
    const fixed = await sandbox.run(scriptInput('import fs from "fs";\nclient.log(fs);'));
    assert.equal(fixed.error?.kind, 'script');
    assert.match(fixed.error.message, /SyntaxError/);
  });

  test('the API is made of the guest\'s own functions: their source is JavaScript, not native host code', async () => {
    assert.equal(await logged('client.log(String(Object.getOwnPropertyNames(client)), /native code/.test(String(client.test)), /native code/.test(String(jsonPath)))'), 'global,test,assert,log,exit false false');
  });

  test('nothing a script does to its globals or prototypes reaches the next script', async () => {
    const first = await sandbox.run(scriptInput('client.global.set("kept", "yes"); globalThis.leak = 1; Object.prototype.polluted = true; Array.prototype.push = null; Array.prototype.map = null; JSON.stringify = () => "forged";'));
    assert.equal(first.error, undefined, first.error?.message);
    assert.deepEqual(first.globalChanges, [{ kind: 'set', name: 'kept', value: 'yes' }]);
    const second = await sandbox.run(scriptInput('client.test("clean", () => client.assert(typeof leak === "undefined" && ({}).polluted === undefined && [].push.length === 1));'));
    assert.equal(second.error, undefined, second.error?.message);
    assert.deepEqual(second.tests, [{ name: 'clean', ok: true }]);
  });

  test('declarations, implicit globals and undeletable globals of one script are gone for the next', async () => {
    const first = await sandbox.run(scriptInput('var declared = 1; let scoped = 2; const fixed = 3; function named() {} implicit = 4; Object.defineProperty(globalThis, "stuck", { value: 5, configurable: false });'));
    assert.equal(first.error, undefined, first.error?.message);
    const second = await sandbox.run(scriptInput('let scoped = "again"; const fixed = "again"; client.log([typeof declared, typeof named, typeof implicit, typeof stuck, scoped].join())'));
    assert.equal(second.error, undefined, second.error?.message);
    assert.deepEqual(second.log, ['undefined,undefined,undefined,undefined,again']);
  });

  test('a script that replaces JSON.parse does not change how the next script reads its response', async () => {
    await sandbox.run(scriptInput('JSON.parse = () => ({ forged: true });', { response: jsonResponse }));
    const next = await sandbox.run(scriptInput('client.log(response.body.token)', { response: jsonResponse }));
    assert.deepEqual(next.log, ['abc']);
  });

  test('a top-level await works and its line numbers stay those of the file', async () => {
    const result = await sandbox.run(scriptInput('const value = await Promise.resolve(7);\nclient.test("awaited", () => client.assert(value === 8, "got " + value));', { lineOffset: 10, columnOffset: 4 }));
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.tests[0]?.error, 'got 7');
    assert.equal(result.tests[0]?.position?.line, 12);
  });

  test('built-ins are frozen: a toJSON planted on Object.prototype does not stick, and the report stays true', async () => {
    const result = await sandbox.run(scriptInput('client.test("t", () => {}); Object.prototype.toJSON = () => 42; client.log(typeof ({}).toJSON);'));
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.tests, [{ name: 't', ok: true }]);
    assert.deepEqual(result.log, ['undefined']);
  });

  test('an ordinary object can still take its own toString, and an error its own message, over the frozen built-ins', async () => {
    const result = await sandbox.run(scriptInput('const o = {}; o.toString = () => "mine"; const e = new Error("first"); e.message = "second"; e.name = "Custom"; client.log(String(o), e.message, e.name);'));
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.log, ['mine second Custom']);
  });

  test('a script cannot forge its result by replacing what the host reads', async () => {
    const result = await sandbox.run(scriptInput('globalThis.__courierFinish = () => JSON.stringify({ tests: [{ name: "forged", ok: true }] });\nclient.test("real", () => client.assert(false, "no"));'));
    assert.deepEqual(result.tests.map((test) => test.name), ['real']);
  });
});

describe('the sandbox itself', () => {
  test('no worker starts until the first script', async () => {
    const idle = testSandbox();
    assert.equal(idle.startedWorkers, 0);
    await idle.close();
    assert.equal(idle.startedWorkers, 0);
  });

  test('scripts queued at once run one after another, each with its own result', async () => {
    const results = await Promise.all([1, 2, 3].map((index) => sandbox.run(scriptInput(`client.log(${index})`))));
    assert.deepEqual(results.map((result) => result.log), [['1'], ['2'], ['3']]);
  });

  test('a worker file that does not exist is a sandbox error for that script, not a crash', async () => {
    const { ScriptSandbox } = await import('../../../../engine/scripts/sandbox');
    const broken = new ScriptSandbox({ workerFile: '/nonexistent/scriptWorker.js' });
    const result = await broken.run(scriptInput('1'));
    assert.equal(result.error?.kind, 'sandbox');
    assert.match(result.error.message, /^requests\.http: the script sandbox could not start/);
    await broken.close();
  });
});

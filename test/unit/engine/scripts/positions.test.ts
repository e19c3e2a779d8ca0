// Errors and failed tests point at the script's line and column, shifted to where the script
// sits in the .http file (lineOffset / columnOffset), so the caller can show them there.
import { strict as assert } from 'node:assert';
import { after, test } from 'node:test';
import { toFilePosition } from '../../../../engine/scripts/guestRun';
import { scriptInput, testSandbox } from './sandboxHarness';

const sandbox = testSandbox();
after(() => sandbox.close());

// As in `> {%   client.log(...)`: the script starts on 0-based line 20, column 6 of the file.
const inHttpFile = { lineOffset: 20, columnOffset: 6 };

test('only the first line of a script is shifted by the column offset', () => {
  assert.deepEqual(toFilePosition(inHttpFile, { line: 1, column: 3 }), { line: 21, column: 9 });
  assert.deepEqual(toFilePosition(inHttpFile, { line: 4, column: 3 }), { line: 24, column: 3 });
});

// QuickJS places a failed property read at its dot.
test('a runtime error on the first line and on a later line', async () => {
  const first = await sandbox.run(scriptInput('missing();', inHttpFile));
  assert.equal(first.error?.message, "requests.http:21:7: ReferenceError: 'missing' is not defined");
  assert.deepEqual(first.error.position, { line: 21, column: 7 });
  const later = await sandbox.run(scriptInput('const a = 1;\n\n    a.b.c;', inHttpFile));
  assert.equal(later.error?.message, "requests.http:23:8: TypeError: cannot read property 'c' of undefined");
});

test('a syntax error names its line', async () => {
  const result = await sandbox.run(scriptInput('client.log(1);\nlet = = 2;', inHttpFile));
  assert.equal(result.error?.kind, 'script');
  assert.equal(result.error.position?.line, 22);
  assert.match(result.error.message, /^requests\.http:22:\d+: SyntaxError: /);
});

test('a failed test points at the failing assertion', async () => {
  const result = await sandbox.run(scriptInput('client.test("status", () => {\n  client.assert(response.status === 200, "expected 200");\n});', { ...inHttpFile, response: { status: 500, headers: [], body: '' } }));
  assert.equal(result.error, undefined);
  assert.deepEqual(result.tests, [{ name: 'status', ok: false, error: 'expected 200', position: { line: 22, column: 16 } }]);
});

test('an error in an API call points at the script line that made it', async () => {
  const result = await sandbox.run(scriptInput('client.log(1);\ncrypto.sha1().updateWithHex("z").digest();', inHttpFile));
  assert.equal(result.error?.position?.line, 22);
});

test('a .js file keeps its own lines: no offsets', async () => {
  const result = await sandbox.run(scriptInput('\n\nthrow new Error("from the file");', { fileName: 'handlers/check.js' }));
  assert.match(result.error?.message ?? '', /^handlers\/check\.js:3:\d+: Error: from the file$/);
});

// End to end: `courier run` on files with handlers, pre-request scripts and `??` lines, through
// the built dist/cli.js (and its script worker), in each reporter, with the exit codes.

import { DOMParser } from '@xmldom/xmldom';
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, jsonLines, runCli, startTestServer, tempFolder, type TestServer } from './cliHarness';

let server: TestServer;

before(async () => {
  ensureBuilt();
  server = await startTestServer();
});
after(() => server.close());

const passing = [
  '### First',
  '< {% request.variables.set("page", "first") %}',
  'GET {{base}}/json?page={{page}}',
  '',
  '> {%',
  '  client.test("status is 200", () => client.assert(response.status === 200));',
  '  client.global.set("seen", "yes");',
  '  client.log("handled", response.status);',
  '%}',
  '?? status == 200',
  '',
  '### Second',
  'GET {{base}}/json?seen={{seen}}',
  '',
  '?? status < 300',
].join('\n');

const failing = [
  '### Checked',
  'GET {{base}}/json',
  '',
  '> {% client.test("wants 201", () => client.assert(response.status === 201, "status was " + response.status)); %}',
  '?? status == 201',
].join('\n');

async function folderWith(files: Record<string, string>): Promise<string> {
  const replaced = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, text.replaceAll('{{base}}', server.url)]));
  return tempFolder(replaced);
}

describe('courier run with tests', () => {
  test('pretty shows each test under its request, the log, and a summary of tests; all passing exits 0', async () => {
    const folder = await folderWith({ 'pass.http': passing });
    const result = await runCli(['run', join(folder, 'pass.http')]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /✓ status is 200\n/);
    assert.match(result.stdout, /log: handled 200\n/);
    assert.match(result.stdout, /✓ status < 300\n/);
    assert.match(result.stdout, /2 requests: 2 passed; 3 tests: 3 passed/);
    assert.ok(server.received.includes('GET /json?page=first'), 'the pre-request variable was sent');
    assert.ok(server.received.includes('GET /json?seen=yes'), 'the global reached the next request');
  });

  test('a failed test exits 1 without --fail and shows its message, expected and actual', async () => {
    const folder = await folderWith({ 'fail.http': failing });
    const result = await runCli(['run', join(folder, 'fail.http')]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /✗ wants 201: status was 200/);
    assert.match(result.stdout, /✗ status == 201: status is 200, expected == 201\n\s+expected 201\n\s+actual {3}200/);
    assert.match(result.stdout, /2 of 2 tests failed/);
  });

  test('json adds tests and log to each record, and ok is false when a test failed', async () => {
    const folder = await folderWith({ 'pass.http': passing, 'fail.http': failing });
    const result = await runCli(['run', join(folder, 'pass.http'), join(folder, 'fail.http'), '--reporter', 'json']);
    assert.equal(result.code, 1);
    const records = jsonLines(result.stdout);
    assert.deepEqual(records.map((record) => record.ok), [true, true, false]);
    assert.deepEqual(records[0]?.tests, [
      { name: 'status is 200', ok: true, error: null },
      { name: 'status == 200', ok: true, error: null, location: { file: join(folder, 'pass.http'), line: 10 } },
    ]);
    assert.deepEqual(records[0]?.log, ['handled 200']);
    const failed = records[2]?.tests as { name: string; ok: boolean; error: string | null; expected?: string; actual?: string }[];
    assert.deepEqual(failed.map((item) => [item.name, item.ok, item.error, item.expected, item.actual]), [
      ['wants 201', false, 'status was 200', undefined, undefined],
      ['status == 201', false, 'status is 200, expected == 201', '201', '200'],
    ]);
  });

  test('junit has one testcase per test named request › test, one per request without tests, and the failures', async () => {
    const folder = await folderWith({ 'fail.http': failing, 'plain.http': 'GET {{base}}/json\n' });
    const result = await runCli(['run', join(folder, 'fail.http'), join(folder, 'plain.http'), '--reporter', 'junit']);
    assert.equal(result.code, 1);
    const document = new DOMParser().parseFromString(result.stdout, 'text/xml');
    const cases = Array.from(document.getElementsByTagName('testcase'));
    assert.deepEqual(cases.map((item) => item.getAttribute('name')), ['Checked (line 2) › wants 201', 'Checked (line 2) › status == 201', 'GET ' + server.url + '/json (line 1)']);
    assert.deepEqual(cases.map((item) => item.getElementsByTagName('failure').length), [1, 1, 0]);
    assert.equal(document.getElementsByTagName('testsuites')[0]?.getAttribute('failures'), '2');
    assert.equal(cases[1]?.getAttribute('line'), '5', 'the ?? line');
  });

  test('a runaway handler is stopped at --script-timeout, fails its request, and the run goes on', async () => {
    const folder = await folderWith({ 'loop.http': 'GET {{base}}/json\n\n> {% for (;;) {} %}\n\n###\nGET {{base}}/json?after\n' });
    const started = Date.now();
    const result = await runCli(['run', join(folder, 'loop.http'), '--script-timeout', '0.5', '--reporter', 'json']);
    assert.equal(result.code, 1);
    const records = jsonLines(result.stdout);
    assert.equal(records.length, 2);
    assert.match(JSON.stringify(records[0]?.tests), /time limit of 500 ms/);
    assert.equal(records[1]?.ok, true);
    assert.ok(Date.now() - started < 20_000);
  });

  test('a script cannot reach require, process or the file system', async () => {
    const folder = await folderWith({
      'hostile.http': [
        'GET {{base}}/json',
        '',
        '> {%',
        '  client.test("no require", () => client.assert(typeof require === "undefined"));',
        '  client.test("no process", () => client.assert(typeof process === "undefined"));',
        '  client.test("no constructor escape", () => client.assert((function () { return this; }).constructor("return typeof process")() === "undefined"));',
        '%}',
      ].join('\n'),
    });
    const result = await runCli(['run', join(folder, 'hostile.http')]);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /3 tests: 3 passed/);
  });
});

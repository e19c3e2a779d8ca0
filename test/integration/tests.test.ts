// Tests in the editor: the Test Explorer's tree before a run, a run started from VS Code's
// testing commands (the controller's run profile) reporting a pass and failures with their
// messages, expected/actual and locations, tests only known at run time added under their
// request, the Run Tests lens, `courier.runTests` on a file and a folder, and the panel's Tests
// section. Workspace trust is off in the code-server this suite runs in (every folder is trusted),
// so the untrusted skip is checked by the harness's UI check in a second code-server with trust on
// (test/harness/testsUiCheck.ts), and by unit tests of its decision and mapping
// (test/unit/client/sendConsent.test.ts, testOutcomes.test.ts).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CourierApi } from '../../client/extension';
import type { ReportedTest, TestRunSummary, TestTreeNode } from '../../client/testing/testExplorer';
import { closeAllEditors, courierApi, openHttp, suiteWithLocalApi } from './fixture';
import { waitFor } from './poll';

/** A file whose one request has passing and failing tests of both kinds, and a request without tests. */
function testedFile(base: string): string {
  return [
    `@base = ${base}`, // 0
    '', // 1
    '### Items', // 2
    'GET {{base}}/items', // 3
    '', // 4
    '> {%', // 5
    '  client.test("status is 200", () => client.assert(response.status === 200, "status " + response.status));', // 6
    '  client.test("path echoed", () => {', // 7
    '    client.assert(response.body.path === "/nope", "path was " + response.body.path);', // 8
    '  });', // 9
    '  for (const n of [1, 2]) client.test("item " + n, () => {});', // 10
    '  client.log("seen " + response.body.path);', // 11
    '%}', // 12
    '?? status == 200', // 13
    '?? body $.path == /elsewhere', // 14
    '', // 15
    '### No tests', // 16
    'GET {{base}}/plain', // 17
    '',
  ].join('\n');
}

function find(nodes: readonly TestTreeNode[], label: string): TestTreeNode | undefined {
  for (const node of nodes) {
    if (node.label === label) return node;
    const inner = find(node.children, label);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

function fileNode(api: CourierApi, uri: vscode.Uri): TestTreeNode | undefined {
  return api.tests().tree.find((node) => node.id === uri.toString());
}

/** Checks what a run reported for `file`, a `testedFile` (a run of all tests may hold other files too). */
function assertReported(summary: TestRunSummary, file: string): void {
  const ofFile = summary.tests.filter((test) => test.file === file);
  const tests = new Map<string, ReportedTest>(ofFile.map((test) => [test.name, test]));
  assert.deepEqual([...tests.keys()].sort(), ['$.path == /elsewhere', 'item 1', 'item 2', 'path echoed', 'status == 200', 'status is 200'], JSON.stringify(summary.tests));
  assert.equal(tests.get('status is 200')?.state, 'passed');
  assert.equal(tests.get('status == 200')?.state, 'passed');
  assert.equal(tests.get('item 1')?.state, 'passed');
  const script = tests.get('path echoed');
  assert.equal(script?.state, 'failed');
  assert.match(script.message ?? '', /path was \/items/);
  assert.equal(script.locationFile, file, 'a script failure points into the .http file');
  assert.ok(script.line !== undefined && script.line >= 7 && script.line <= 8, `the failure is at the test's lines, not ${script.line}`);
  const assertion = tests.get('$.path == /elsewhere');
  assert.equal(assertion?.state, 'failed');
  assert.equal(assertion.expected, '/elsewhere');
  assert.equal(assertion.actual, '/items');
  assert.match(assertion.message ?? '', /\/items/);
  assert.equal(assertion.line, 14, 'a ?? failure points at its line');
  const count = (state: ReportedTest['state']): number => ofFile.filter((test) => test.state === state).length;
  assert.deepEqual([count('passed'), count('failed'), count('skipped'), count('errored')], [4, 2, 0, 0]);
}

suite('Tests (Test Explorer, Run Tests, panel)', () => {
  const localApi = suiteWithLocalApi();
  teardown(closeAllEditors);

  test('the Test Explorer lists file > request > tests known before any run, and only requests with tests get a Run Tests lens', async () => {
    const api = await courierApi();
    const editor = await openHttp(testedFile(localApi().url));
    const file = await waitFor('the file in the Test Explorer', () => fileNode(api, editor.document.uri));
    assert.deepEqual(
      file.children.map((request) => [request.label, request.line, request.children.map((test) => [test.label, test.line])]),
      [['Items', 3, [['status is 200', 6], ['path echoed', 7], ['status == 200', 13], ['$.path == /elsewhere', 14]]]],
    );
    const lenses = await waitFor('a Run Tests lens', async () => {
      const found = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)).filter((lens) => lens.command?.title === 'Run Tests');
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(lenses.map((lens) => [lens.range.start.line, lens.command?.command]), [[3, 'courier.runTests']]);
    assert.deepEqual(lenses[0].command?.arguments, [editor.document.uri, { line: 3, character: 0 }]);
  });

  test('the tests of a handler file the request names are listed too, opening that file at their line', async () => {
    const api = await courierApi();
    const probe = await openHttp('GET http://127.0.0.1:1/never\n');
    const folder = path.dirname(probe.document.uri.fsPath);
    writeFileSync(path.join(folder, 'checks.js'), '// run after the response\nclient.test("from the file", () => client.assert(response.status === 200));\n');
    const editor = await openHttp(`GET ${localApi().url}/items\n\n> ./checks.js\n?? status == 200\n`);
    const file = await waitFor('the file in the Test Explorer', () => fileNode(api, editor.document.uri));
    const tests = file.children[0]?.children ?? [];
    assert.deepEqual(tests.map((test) => [test.label, test.line, test.file]), [
      ['status == 200', 3, editor.document.uri.fsPath],
      ['from the file', 1, path.join(folder, 'checks.js')],
    ]);
  });

  test('a run from VS Code\'s testing commands reports the pass, the failures with message, expected/actual and place, and adds tests known only at run time', async () => {
    const api = await courierApi();
    const editor = await openHttp(testedFile(localApi().url));
    await waitFor('the file in the Test Explorer', () => fileNode(api, editor.document.uri));
    const before = api.tests().lastRun;
    // The Test Explorer's "Run Tests" button: VS Code calls the controller's run profile.
    await vscode.commands.executeCommand('testing.runAll');
    const summary = await waitFor('the run to be reported', () => {
      const last = api.tests().lastRun;
      return last !== before ? last : undefined;
    }, { timeoutMs: 30_000 });
    assertReported(summary, editor.document.uri.fsPath);
    const items = find(fileNode(api, editor.document.uri)?.children ?? [], 'Items');
    assert.deepEqual(items?.children.map((test) => test.label), ['status is 200', 'path echoed', 'status == 200', '$.path == /elsewhere', 'item 1', 'item 2'], 'tests created at run time are added under their request');
    assert.ok(localApi().seen.some((request) => request.path === '/items'), 'the request was sent');
  });

  test('courier.runTests runs the request of a lens, a file, or a folder, and the panel shows the Tests section and the log', async () => {
    const editor = await openHttp(testedFile(localApi().url));
    const file = editor.document.uri.fsPath;
    const fromLens = await vscode.commands.executeCommand<TestRunSummary>('courier.runTests', editor.document.uri, { line: 3, character: 0 });
    assertReported(fromLens, file);
    assert.deepEqual([fromLens.passed, fromLens.failed, fromLens.skipped, fromLens.errored], [4, 2, 0, 0], 'a lens runs its own request only');

    const api = await courierApi();
    const view = await waitFor('the panel to show the tested exchange', () => (api.responsePanelView()?.tests.length ?? 0) > 0 ? api.responsePanelView() : undefined);
    assert.deepEqual(
      view.tests.map((test) => [test.name, test.outcome]),
      [['status is 200', 'passed'], ['path echoed', 'failed'], ['item 1', 'passed'], ['item 2', 'passed'], ['status == 200', 'passed'], ['$.path == /elsewhere', 'failed']],
    );
    const failed = view.tests.find((test) => test.name === '$.path == /elsewhere');
    assert.equal(failed?.expected, '/elsewhere');
    assert.equal(failed?.actual, '/items');
    assert.deepEqual(view.log, { lines: ['seen /items'], notShown: 0 });

    const wholeFile = await vscode.commands.executeCommand<TestRunSummary>('courier.runTests', editor.document.uri);
    assertReported(wholeFile, file);
    assert.ok(localApi().seen.some((request) => request.path === '/plain'), 'a file run sends every request, as Send All does');

    const folder = vscode.Uri.joinPath(editor.document.uri, '..');
    const fromFolder = await vscode.commands.executeCommand<TestRunSummary>('courier.runTests', folder);
    assert.ok(fromFolder.tests.filter((test) => test.file === file).length === 6, JSON.stringify(fromFolder.tests));
    assert.equal(fromFolder.tests.find((test) => test.file === file && test.name === 'path echoed')?.state, 'failed');
  });

  test('courier.scripts.timeout stops a runaway handler: its request errors with the limit, and its ?? lines still run', async () => {
    const configuration = vscode.workspace.getConfiguration('courier');
    await configuration.update('scripts.timeout', 0.5, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting to reach the extension', () => (vscode.workspace.getConfiguration('courier').get<number>('scripts.timeout') === 0.5 ? true : undefined));
      const editor = await openHttp(`GET ${localApi().url}/spin\n\n> {% client.test("never ends", () => { for (;;) {} }); %}\n?? status == 200\n`);
      const started = Date.now();
      const summary = await vscode.commands.executeCommand<TestRunSummary>('courier.runTests', editor.document.uri);
      assert.ok(Date.now() - started < 15_000, `the run took ${Date.now() - started} ms`);
      const stopped = summary.tests.find((test) => test.state === 'errored');
      assert.match(stopped?.message ?? JSON.stringify(summary.tests), /time limit of 500 ms/);
      assert.equal(summary.tests.find((test) => test.name === 'status == 200')?.state, 'passed');
    } finally {
      await configuration.update('scripts.timeout', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a global one file\'s handler sets is {{name}} in another file of the same environment (the session keeps it)', async () => {
    await vscode.commands.executeCommand('courier.switchEnvironment', '');
    const setter = await openHttp(`GET ${localApi().url}/first\n\n> {% client.global.set("from_first", "g-" + response.status); %}\n`);
    await vscode.commands.executeCommand('courier.sendRequest', setter.document.uri, { line: 0, character: 0 });
    const reader = await openHttp(`GET ${localApi().url}/second/{{from_first}}\n`);
    const [exchange] = await vscode.commands.executeCommand<{ error?: { message: string } }[]>('courier.sendRequest', reader.document.uri, { line: 0, character: 0 });
    assert.equal(exchange?.error, undefined, exchange?.error?.message);
    assert.equal(localApi().seen.at(-1)?.path, '/second/g-200');
  });
});

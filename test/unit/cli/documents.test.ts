import { strict as assert } from 'node:assert';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { displayPath, InputError, planRun, readHttpFiles, type HttpFile } from '../../../cli/documents';
import { parse } from '../../../language/parser';
import { tempFolder } from './cliHarness';

function file(display: string, text: string): HttpFile {
  return { path: `/work/${display}`, display, text, document: parse(text) };
}

function inputError(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof InputError && pattern.test(error.message));
}

const twoRequests = ['# @name login', 'POST http://localhost/login', '', '###', '# @name me', 'GET http://localhost/me', ''].join('\n');

test('--name narrows each file to the names it holds and skips files without them', () => {
  const plan = planRun([file('a.http', twoRequests), file('b.http', 'GET http://localhost/other\n')], { kind: 'names', names: ['me'] });
  assert.deepEqual(plan.map((planned) => [planned.file.display, planned.selection]), [['a.http', { kind: 'names', names: ['me'] }]]);
});

test('an unknown --name lists the names there are', () => {
  inputError(() => planRun([file('a.http', twoRequests)], { kind: 'names', names: ['logout'] }), /no request named 'logout' in a\.http; names: login, me/);
});

test('--line must fall inside a request, given 1-based', () => {
  assert.equal(planRun([file('a.http', twoRequests)], { kind: 'line', line: 6 }).length, 1);
  inputError(() => planRun([file('a.http', twoRequests)], { kind: 'line', line: 99 }), /^a\.http:99: no request at line 99 \(the file has 7 lines\)/);
});

test('a syntax error in a selected request is fatal with file:line:column; elsewhere it is a warning', () => {
  const broken = ['GET http://localhost/ok', '', '###', 'GET http://localhost/{{id', ''].join('\n');
  inputError(() => planRun([file('a.http', broken)], { kind: 'all' }), /^a\.http:4:22: error: .*\[http\.variable\.unterminated\]\nfix this error before sending$/);
  const plan = planRun([file('a.http', broken)], { kind: 'line', line: 1 });
  assert.equal(plan.length, 1);
  assert.match(plan[0]?.warnings[0] ?? '', /^a\.http:4:22: error: /);
});

test('missing files and folders are input errors naming the path', async () => {
  const folder = await tempFolder({ 'a.http': 'GET http://localhost/\n' });
  await mkdir(join(folder, 'sub'));
  const [read] = await readHttpFiles(['a.http'], folder);
  assert.equal(read?.display, 'a.http');
  assert.equal(read?.document.requests.length, 1);
  await assert.rejects(readHttpFiles(['missing.http'], folder), /missing\.http: no such file; check the path/);
  await assert.rejects(readHttpFiles(['sub'], folder), /sub: is a folder; pass the \.http files in it, e\.g\. sub\/\*\.http/);
});

test('display paths are relative inside the current folder, absolute outside it', () => {
  assert.equal(displayPath('/work/x/a.http', '/work'), join('x', 'a.http'));
  assert.equal(displayPath('/other/a.http', '/work'), '/other/a.http');
});

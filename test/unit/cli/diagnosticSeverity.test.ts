// `--diagnostic-severity CODE=LEVEL`: the CLI's side of `courier.diagnostics.severity`.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseCommand, UsageError } from '../../../cli/arguments';
import { InputError, planRun, type HttpFile } from '../../../cli/documents';
import { runHelp } from '../../../cli/usage';
import { parse } from '../../../language/parser';

const broken = 'GET http://localhost/{{id\n';
const file: HttpFile = { path: '/work/a.http', display: 'a.http', text: broken, document: parse(broken) };

test('--diagnostic-severity is read as code to level, repeatable, later ones winning', () => {
  const command = parseCommand(['run', 'a.http', '--diagnostic-severity', 'http.variable.unterminated=off', '--diagnostic-severity', 'http.body.unexpected=hint', '--diagnostic-severity', 'http.variable.unterminated=warning']);
  assert.equal(command.kind, 'run');
  assert.deepEqual([...command.options.diagnosticSeverities], [['http.variable.unterminated', 'warning'], ['http.body.unexpected', 'hint']]);
  const plain = parseCommand(['run', 'a.http']);
  assert.equal(plain.kind === 'run' ? plain.options.diagnosticSeverities.size : -1, 0);
  assert.throws(() => parseCommand(['run', 'a.http', '--diagnostic-severity', 'http.variable.unterminated']), (error: unknown) => error instanceof UsageError && /--diagnostic-severity: .* is not CODE=LEVEL/.test(error.message));
});

test('a parse error turned into a warning or off no longer stops the run; an error still does', () => {
  assert.throws(() => planRun([file], { kind: 'all' }), InputError);
  assert.throws(() => planRun([file], { kind: 'all' }, new Map([['http.variable.unterminated', 'error']])), InputError);
  assert.equal(planRun([file], { kind: 'all' }, new Map([['http.variable.unterminated', 'warning']])).length, 1);
  assert.equal(planRun([file], { kind: 'all' }, new Map([['http.variable.unterminated', 'off']])).length, 1);
});

test('courier run --help documents it', () => {
  assert.match(runHelp, /--diagnostic-severity CODE=LEVEL/);
});

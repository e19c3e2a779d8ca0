import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parseCommand, UsageError, type RunOptions } from '../../../cli/arguments';

function run(...argv: string[]): RunOptions {
  const command = parseCommand(argv);
  assert.equal(command.kind, 'run');
  return command.options;
}

function usageError(argv: string[], pattern: RegExp): void {
  assert.throws(() => parseCommand(argv), (error: unknown) => error instanceof UsageError && pattern.test(error.message));
}

test('run with only files selects every request and reports pretty', () => {
  const options = run('run', 'a.http', 'b.http');
  assert.deepEqual(options.files, ['a.http', 'b.http']);
  assert.deepEqual(options.selection, { kind: 'all' });
  assert.equal(options.reporter, 'pretty');
  assert.equal(options.fail, false);
  assert.equal(options.timeoutMs, undefined);
});

test('every flag is read into the options', () => {
  const options = run('run', 'a.http', '--name', 'login', '--name', 'me', '--env', 'dev', '--var', 'a=1', '--var', 'url=http://x/?q=1', '--reporter', 'json', '--output', 'out.json', '--fail', '--bail', '--insecure', '--timeout', '2.5', '--cookie-jar', 'jar.json', '--verbose');
  assert.deepEqual(options.selection, { kind: 'names', names: ['login', 'me'] });
  assert.equal(options.environment, 'dev');
  assert.deepEqual([...options.variables], [['a', '1'], ['url', 'http://x/?q=1']]);
  assert.equal(options.reporter, 'json');
  assert.equal(options.output, 'out.json');
  assert.equal(options.fail, true);
  assert.equal(options.bail, true);
  assert.equal(options.insecure, true);
  assert.equal(options.timeoutMs, 2500);
  assert.equal(options.cookieJar, 'jar.json');
  assert.equal(options.verbose, true);
  assert.equal(options.certificatePassphrase, undefined);
  assert.equal(run('run', 'a.http', '--cert-passphrase', 'open sesame').certificatePassphrase, 'open sesame');
  assert.deepEqual(options.protoImportPaths, []);
  assert.deepEqual(run('run', 'a.http', '--proto-path', 'protos', '--proto-path', '/opt/googleapis').protoImportPaths, [resolve('protos'), '/opt/googleapis']);
  usageError(['run', 'a.http', '--proto-path', ' '], /--proto-path needs a value/);
});

test('--line selects a 1-based line of a single file', () => {
  assert.deepEqual(run('run', 'a.http', '--line', '12').selection, { kind: 'line', line: 12 });
  usageError(['run', 'a.http', '--line', '0'], /--line takes a line number from 1/);
  usageError(['run', 'a.http', '--line', 'x'], /--line takes a line number/);
  usageError(['run', 'a.http', 'b.http', '--line', '3'], /one file/);
});

test('selection flags cannot be combined', () => {
  usageError(['run', 'a.http', '--all', '--name', 'x'], /--all and --name cannot be combined/);
  usageError(['run', 'a.http', '--name', 'x', '--line', '2'], /--name and --line cannot be combined/);
});

test('help and version', () => {
  assert.deepEqual(parseCommand(['--help']), { kind: 'help', topic: 'general' });
  assert.deepEqual(parseCommand(['-h']), { kind: 'help', topic: 'general' });
  assert.deepEqual(parseCommand(['run', '--help']), { kind: 'help', topic: 'run' });
  assert.deepEqual(parseCommand(['help', 'run']), { kind: 'help', topic: 'run' });
  assert.deepEqual(parseCommand(['--version']), { kind: 'version' });
});

test('bad usage names the flag and what to do', () => {
  usageError([], /no command given/);
  usageError(['send', 'a.http'], /unknown command 'send'/);
  usageError(['run'], /needs at least one \.http file/);
  usageError(['run', 'a.http', '--frobnicate'], /unknown option --frobnicate/);
  usageError(['run', 'a.http', '--env'], /option --env needs a value/);
  usageError(['run', 'a.http', '--fail=yes'], /option --fail takes no value/);
  usageError(['run', 'a.http', '--var', 'novalue'], /--var takes name=value, not 'novalue'/);
  usageError(['run', 'a.http', '--var', '=1'], /--var takes name=value/);
  usageError(['run', 'a.http', '--reporter', 'tap'], /--reporter must be one of pretty, json, junit, not 'tap'/);
  usageError(['run', 'a.http', '--timeout', '0'], /--timeout takes a number of seconds greater than 0/);
  usageError(['run', 'a.http', '--timeout', 'soon'], /--timeout takes a number of seconds/);
  usageError(['run', 'a.http', '--name', ' '], /--name needs a request name/);
});

test('--var keeps everything after the first = and later values win', () => {
  assert.deepEqual([...run('run', 'a.http', '--var', 'q=a=b', '--var', 'q=c=d', '--var', 'empty=').variables], [['q', 'c=d'], ['empty', '']]);
});

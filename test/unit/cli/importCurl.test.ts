// `courier import curl` end to end: the built CLI in a child process, arguments or standard input,
// --out, warnings on stderr and the exit codes its help promises.

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliPath, ensureBuilt, runCli } from './cliHarness';

/** Runs the CLI with `input` on standard input. */
function runWithStdin(args: readonly string[], input: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cliPath, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

describe('courier import curl', () => {
  let folder: string;
  before(() => {
    ensureBuilt();
    folder = mkdtempSync(join(tmpdir(), 'courier-import-curl-'));
    writeFileSync(join(folder, 'body.txt'), 'a=1\r\n&b=2\n');
    mkdirSync(join(folder, 'requests'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('the arguments after `curl` become the request on stdout; exit 0 when exact', async () => {
    const result = await runCli(['import', 'curl', '-X', 'wHat', 'https://a.example/x', '-H', 'X-A: 1', '--data-binary', ''], { cwd: folder });
    assert.deepEqual(result, { code: 0, stdout: '# @no-redirect\nwHat https://a.example/x\nContent-Type: application/x-www-form-urlencoded\nX-A: 1\n\n\n', stderr: '' });
  });

  test('files are read from the current directory: -d @file loses its line breaks, as with curl', async () => {
    const result = await runCli(['import', 'curl', '-d', '@body.txt', 'https://a.example'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\n\na=1&b=2\n$/);
  });

  test('a pasted command on standard input (with - or no arguments), quotes and continuations included', async () => {
    const command = "curl 'https://a.example/p' \\\n  -H 'X-Q: \"x\"' \\\n  --json '{\"a\":1}'\n";
    for (const args of [['import', 'curl'], ['import', 'curl', '-']]) {
      const result = await runWithStdin(args, command, folder);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, '# @no-redirect\nPOST https://a.example/p\nContent-Type: application/json\nAccept: application/json\nX-Q: "x"\n\n{"a":1}\n');
    }
  });

  test('--out writes the file and rewrites file paths relative to its folder', async () => {
    const result = await runCli(['import', 'curl', '--out', 'requests/r.http', '--', '--data-binary', '@body.txt', 'https://a.example'], { cwd: folder });
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    assert.equal(readFileSync(join(folder, 'requests', 'r.http'), 'utf8'), '# @no-redirect\nPOST https://a.example\nContent-Type: application/x-www-form-urlencoded\n\n< ../body.txt\n');
  });

  test('what cannot be expressed goes to stderr as warnings; exit 1', async () => {
    const result = await runCli(['import', 'curl', '-x', 'http://proxy:3128', 'https://a.example'], { cwd: folder });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '# @no-redirect\nGET https://a.example\n');
    assert.equal(result.stderr, 'courier: warning: ignored --proxy http://proxy:3128: Courier takes its proxy from the courier.proxy setting or HTTP_PROXY/HTTPS_PROXY\n');
  });

  test('a command that cannot be read, or no command, is exit 2 with a message', async () => {
    assert.deepEqual(await runCli(['import', 'curl', '-H'], { cwd: folder }), { code: 2, stdout: '', stderr: 'courier: option -H needs a value (curl: "option -H: requires parameter")\n' });
    assert.deepEqual(await runWithStdin(['import', 'curl'], '  \n', folder), {
      code: 2,
      stdout: '',
      stderr: 'courier: no curl command: pass its arguments (courier import curl -X POST https://...) or pipe it on standard input\n',
    });
    const unknown = await runCli(['import', 'wget'], { cwd: folder });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown import format 'wget': `courier import curl \.\.\.`, `courier import postman COLLECTION\.json` or `courier import openapi SPEC`/);
    const none = await runCli(['import'], { cwd: folder });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /`courier import` needs a format/);
  });

  test('--help describes the command and its exit codes', async () => {
    const result = await runCli(['import', 'curl', '--help'], { cwd: folder });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: courier import curl \[--out FILE\]/);
    assert.match(result.stdout, /Exit codes:\n {2}0 {2}imported exactly\n {2}1 {2}imported, with warnings/);
    assert.match((await runCli(['--help'])).stdout, /courier import curl \[ARGS\.\.\.\]/);
  });
});

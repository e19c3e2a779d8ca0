// The V8 flags the language server sets on itself (server/v8Flags.ts).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { serverV8Flags } from '../../../server/v8Flags';

describe('serverV8Flags', () => {
  test('are known to this Node: V8 would only say so on stderr, and the flag would do nothing', () => {
    assert.ok(serverV8Flags.length > 0);
    for (const flag of serverV8Flags) {
      const run = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(flag)})`], { encoding: 'utf8' });
      assert.equal(run.status, 0, flag);
      assert.equal(run.stderr, '', `${flag}: ${run.stderr}`);
      assert.equal(run.stdout, '', `${flag} wrote to stdout, the LSP stream: ${run.stdout}`);
    }
  });

  test('a flag V8 does not know is reported on stderr, which the test above reads', () => {
    const run = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString('--no-such-flag-for-courier')`], { encoding: 'utf8' });
    assert.match(run.stderr, /unrecognized flag/);
    assert.equal(run.stdout, '');
  });
});

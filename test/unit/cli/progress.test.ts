import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Progress } from '../../../cli/progress';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (text: string) => writes.push(text) > 0 } };
}

test('the line counts finished requests, elapsed time and the current file, cut to the width', () => {
  let now = 0;
  const { stream: out } = stream(true);
  const progress = new Progress(out, true, { now: () => now });
  now = 2500;
  progress.advance(3, 'api.http');
  assert.match(progress.line(), /^. 3 done · 2\.5 s · api\.http$/);
  progress.advance(3, 'x'.repeat(200));
  assert.equal(progress.line().length, 59);
  assert.ok(progress.line().endsWith('…'));
});

test('draws after the delay, clears before other output, stays silent when disabled', async () => {
  const tty = stream(true);
  const progress = new Progress(tty.stream, true, { delayMs: 0, intervalMs: 5 });
  progress.start();
  const deadline = Date.now() + 2000;
  while (tty.writes.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(tty.writes[0]?.startsWith('\r\u001b[K'));
  assert.match(tty.writes[0] ?? '', /. 0 done/);
  progress.stop();
  assert.equal(tty.writes.at(-1), '\r\u001b[K');

  const pipe = stream(false);
  const quiet = new Progress(pipe.stream, false, { delayMs: 0, intervalMs: 5 });
  quiet.start();
  await new Promise((resolve) => setTimeout(resolve, 30));
  quiet.stop();
  assert.deepEqual(pipe.writes, []);
});

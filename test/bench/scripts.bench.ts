// `npm run bench`: what response handlers cost a whole `courier run`. A local server answers
// 1,000 sequential GETs; each request of `handlers.http` has a JetBrains handler that runs one
// `client.test` and one `client.global.set` (and the next request reads the global), and
// `plain.http` is the same requests without handlers. Measured as whole processes, in the same
// run: courier on both files (target: handlers within 1.5x of plain) and httpYac's CLI (a dev
// dependency) on the handlers file (target: courier at least 10x faster). Start-up is printed
// too: `courier --help` and a one-request run load no QuickJS, so they must match a run of the
// plain file per request.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, type Timing } from './measure';
import { timeProcess, writeCpuReporter } from './processTiming';

/** Without colour, so the checks read plain text. */
const plainEnv = { ...process.env, NO_COLOR: '1' };

const requestCount = 1000;
const rounds = 5;
const httpYacRounds = 3;
const handlerTarget = 1.5;
const httpYacTarget = 10;
const repositoryRoot = resolve(process.cwd());
const cli = join(repositoryRoot, 'dist', 'cli.js');
const httpYac = join(repositoryRoot, 'node_modules', 'httpyac', 'bin', 'httpyac.js');

function httpFile(origin: string, withHandlers: boolean): string {
  const blocks: string[] = [];
  for (let index = 0; index < requestCount; index++) {
    // From the second request on, the URL reads the global the previous handler set.
    const path = withHandlers && index > 0 ? `/items/{{last}}?n=${index}` : `/items/${index - 1 < 0 ? 0 : index - 1}?n=${index}`;
    const handler = withHandlers ? `\n\n> {%\n  client.test("status ${index}", () => client.assert(response.status === 200, "status " + response.status));\n  client.global.set("last", String(response.body.n));\n%}` : '';
    blocks.push(`### request ${index}\nGET ${origin}${path}${handler}\n`);
  }
  return blocks.join('\n');
}

/** Every record answered 200 and, with handlers, every test passed. */
function courierCheck(withTests: boolean): (stdout: string) => string | undefined {
  return (stdout) => {
    const records = stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { ok: boolean; status: number; tests: { ok: boolean }[] });
    if (records.length !== requestCount) return `${records.length} records, not ${requestCount}`;
    if (records.some((record) => record.status !== 200 || !record.ok)) return 'a request failed';
    const tests = records.reduce((sum, record) => sum + record.tests.filter((test) => test.ok).length, 0);
    return withTests && tests !== requestCount ? `${tests} passing tests, not ${requestCount}` : undefined;
  };
}

function httpYacCheck(stdout: string): string | undefined {
  return stdout.includes(`${requestCount} requests processed (${requestCount} succeeded)`) ? undefined : `httpYac did not report ${requestCount} successes: ${stdout.slice(-300)}`;
}

async function main(): Promise<void> {
  const server = createServer((incoming, response) => {
    incoming.resume();
    const n = new URL(incoming.url ?? '/', 'http://localhost').searchParams.get('n') ?? '0';
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"n":${Number(n)}}`);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const folder = mkdtempSync(join(tmpdir(), 'courier-scripts-bench-'));
  try {
    const plain = join(folder, 'plain.http');
    const handlers = join(folder, 'handlers.http');
    const one = join(folder, 'one.http');
    writeFileSync(plain, httpFile(origin, false));
    writeFileSync(handlers, httpFile(origin, true));
    writeFileSync(one, `GET ${origin}/items/0\n`);
    const preload = writeCpuReporter(folder);

    const plainTimes: Timing[] = [];
    const handlerTimes: Timing[] = [];
    const httpYacTimes: Timing[] = [];
    // Alternate, so drift in the machine's load hits all alike; round 0 warms the disk cache.
    for (let round = 0; round <= rounds; round++) {
      const withHandlers = await timeProcess(preload, [cli, 'run', handlers, '--reporter', 'json'], { check: courierCheck(true), env: plainEnv });
      const without = await timeProcess(preload, [cli, 'run', plain, '--reporter', 'json'], { check: courierCheck(false), env: plainEnv });
      if (round === 0) continue;
      handlerTimes.push(withHandlers);
      plainTimes.push(without);
    }
    for (let round = 0; round < httpYacRounds; round++) httpYacTimes.push(await timeProcess(preload, [httpYac, 'send', 'handlers.http', '--all', '-o', 'none'], { check: httpYacCheck, cwd: folder, env: plainEnv })); // httpYac sends only files under its cwd

    const startup: Timing[] = [];
    const oneRequest: Timing[] = [];
    for (let round = 0; round < rounds; round++) {
      startup.push(await timeProcess(preload, [cli, '--help'], { env: plainEnv }));
      oneRequest.push(await timeProcess(preload, [cli, 'run', one, '--reporter', 'json'], { env: plainEnv }));
    }

    const wall = (times: readonly Timing[]) => median(times.map((time) => time.wallMs));
    const cpu = (times: readonly Timing[]) => median(times.map((time) => time.cpuMs));
    const line = (label: string, times: readonly Timing[]) => `  ${label.padEnd(36)} wall ${wall(times).toFixed(0)} ms, cpu ${cpu(times).toFixed(0)} ms`;
    const handlerRatio = wall(handlerTimes) / wall(plainTimes);
    const httpYacRatio = wall(httpYacTimes) / wall(handlerTimes);
    console.log(`${requestCount} sequential GETs, whole process, median of ${rounds} (httpYac ${httpYacRounds}):`);
    console.log(line('courier run, a handler per request', handlerTimes));
    console.log(line('courier run, no handlers', plainTimes));
    console.log(line('httpyac send --all, same handlers', httpYacTimes));
    console.log(`  handlers / no handlers (target <= ${handlerTarget}x): wall ${handlerRatio.toFixed(2)}x ${handlerRatio <= handlerTarget ? 'OK' : 'OVER TARGET'}, cpu ${(cpu(handlerTimes) / cpu(plainTimes)).toFixed(2)}x (the script worker thread's CPU included)`);
    console.log(`  httpYac / courier (target >= ${httpYacTarget}x): wall ${httpYacRatio.toFixed(1)}x ${httpYacRatio >= httpYacTarget ? 'OK' : 'UNDER TARGET'}`);
    console.log('start-up (no script, so QuickJS is never loaded):');
    console.log(line('courier --help', startup));
    console.log(line('courier run, one request', oneRequest));
  } finally {
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

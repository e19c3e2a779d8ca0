// `npm run bench`: what a whole `courier run` process costs over a whole bare-undici process.
// A local server answers 1,000 sequential GETs. We time `node dist/cli.js run bench.http
// --reporter json > /dev/null` against `node bare.cjs`, a script making the same requests
// with undici's `request`, several rounds each, and print the medians and their ratio
// (target: within 1.5x). CPU time (user + system) is measured too, since wall time on a shared,
// loaded machine mostly measures the neighbours. Start-up is printed as well: `courier --help`
// against `node -e 0`, and a run of one request against a bare script sending one.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, type Timing } from './measure';
import { timeProcess, writeCpuReporter } from './processTiming';

const requestCount = 1000;
const rounds = 7;
const target = 1.5;
const repositoryRoot = resolve(process.cwd());
const cli = join(repositoryRoot, 'dist', 'cli.js');

function bareScript(origin: string, count: number): string {
  const undici = JSON.stringify(join(repositoryRoot, 'node_modules', 'undici'));
  return `const { request } = require(${undici});
(async () => {
  for (let index = 0; index < ${count}; index++) {
    const { statusCode, body } = await request(${JSON.stringify(origin)} + '/items/' + index);
    await body.arrayBuffer();
    if (statusCode !== 200) throw new Error('status ' + statusCode);
  }
})().catch((error) => { console.error(error); process.exitCode = 1; });
`;
}

async function main(): Promise<void> {
  const server = createServer((incoming, response) => {
    incoming.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const folder = mkdtempSync(join(tmpdir(), 'courier-cli-bench-'));
  try {
    const httpFile = join(folder, 'bench.http');
    writeFileSync(httpFile, Array.from({ length: requestCount }, (_, index) => `GET ${origin}/items/${index}\n`).join('\n###\n'));
    const bare = join(folder, 'bare.cjs');
    writeFileSync(bare, bareScript(origin, requestCount));
    const oneRequestFile = join(folder, 'one.http');
    writeFileSync(oneRequestFile, `GET ${origin}/items/0\n`);
    const bareOne = join(folder, 'bare-one.cjs');
    writeFileSync(bareOne, bareScript(origin, 1));
    const preload = writeCpuReporter(folder);

    const courierTimes: Timing[] = [];
    const bareTimes: Timing[] = [];
    // Alternate, so drift in the machine's load hits both alike; the first round warms the disk cache.
    for (let round = 0; round <= rounds; round++) {
      const courier = await timeProcess(preload, [cli, 'run', httpFile, '--reporter', 'json']);
      const plain = await timeProcess(preload, [bare]);
      if (round === 0) continue;
      courierTimes.push(courier);
      bareTimes.push(plain);
    }
    const startup: Timing[] = [];
    const nodeStartup: Timing[] = [];
    const oneRequest: Timing[] = [];
    const bareOneRequest: Timing[] = [];
    for (let round = 0; round < rounds; round++) {
      startup.push(await timeProcess(preload, [cli, '--help']));
      nodeStartup.push(await timeProcess(preload, ['-e', '0']));
      oneRequest.push(await timeProcess(preload, [cli, 'run', oneRequestFile, '--reporter', 'json']));
      bareOneRequest.push(await timeProcess(preload, [bareOne]));
    }

    const line = (label: string, times: readonly Timing[]) =>
      `  ${label.padEnd(30)} wall ${median(times.map((time) => time.wallMs)).toFixed(0)} ms, cpu ${median(times.map((time) => time.cpuMs)).toFixed(0)} ms`;
    const ratio = (pick: (time: Timing) => number) => median(courierTimes.map(pick)) / median(bareTimes.map(pick));
    const verdict = (value: number) => `${value.toFixed(2)}x ${value <= target ? 'OK' : 'OVER TARGET'}`;
    console.log(`${requestCount} sequential GETs, whole process, median of ${rounds}:`);
    console.log(line('courier run --reporter json', courierTimes));
    console.log(line('bare undici request script', bareTimes));
    console.log(`  ratio (target <= ${target}x): wall ${verdict(ratio((time) => time.wallMs))}, cpu ${verdict(ratio((time) => time.cpuMs))}`);
    console.log('start-up:');
    console.log(line('courier --help', startup));
    console.log(line('node -e 0', nodeStartup));
    console.log(line('courier run, one request', oneRequest));
    console.log(line('bare script, one request', bareOneRequest));
  } finally {
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

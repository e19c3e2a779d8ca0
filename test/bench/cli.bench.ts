// `npm run bench`: what a whole `courier run` process costs over a whole bare-undici process.
// A local server answers 1,000 sequential GETs. We time `node dist/cli.js run bench.http
// --reporter json > /dev/null` against `node bare.cjs`, a script making the same requests
// with undici's `request`, several rounds each, and print the medians and their ratio
// (target: within 1.5x). Start-up of `courier --help` against `node -e 0` is printed too.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const requestCount = 1000;
const rounds = 7;
const target = 1.5;
const repositoryRoot = resolve(process.cwd());
const cli = join(repositoryRoot, 'dist', 'cli.js');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

/** Wall time of a whole process, stdout to /dev/null; rejects when it fails. */
function timeProcess(args: readonly string[]): Promise<number> {
  const start = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(performance.now() - start) : fail(new Error(`node ${args.join(' ')} exited ${String(code)}: ${stderr}`))));
  });
}

function bareScript(origin: string): string {
  const undici = JSON.stringify(join(repositoryRoot, 'node_modules', 'undici'));
  return `const { request } = require(${undici});
(async () => {
  for (let index = 0; index < ${requestCount}; index++) {
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
    writeFileSync(bare, bareScript(origin));

    const courierTimes: number[] = [];
    const bareTimes: number[] = [];
    // Alternate, so drift in the machine's load hits both alike; the first round warms the disk cache.
    for (let round = 0; round <= rounds; round++) {
      const courier = await timeProcess([cli, 'run', httpFile, '--reporter', 'json']);
      const plain = await timeProcess([bare]);
      if (round === 0) continue;
      courierTimes.push(courier);
      bareTimes.push(plain);
    }
    const startup: number[] = [];
    const nodeStartup: number[] = [];
    for (let round = 0; round < rounds; round++) {
      startup.push(await timeProcess([cli, '--help']));
      nodeStartup.push(await timeProcess(['-e', '0']));
    }

    const courierMedian = median(courierTimes);
    const bareMedian = median(bareTimes);
    const ratio = courierMedian / bareMedian;
    console.log(`${requestCount} sequential GETs, whole process, median of ${rounds}:`);
    console.log(`  courier run --reporter json  ${courierMedian.toFixed(0)} ms`);
    console.log(`  bare undici request script   ${bareMedian.toFixed(0)} ms`);
    console.log(`  ratio ${ratio.toFixed(2)}x (target <= ${target}x) ${ratio <= target ? 'OK' : 'OVER TARGET'}`);
    console.log(`start-up: courier --help ${median(startup).toFixed(0)} ms, node -e 0 ${median(nodeStartup).toFixed(0)} ms`);
  } finally {
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

// `npm run bench`: what the runner costs over bare undici. A local server answers 1,000
// sequential GETs from a generated `.http` file with a few variables; we time `Runner.run`
// on the whole file, and `Session.send` alone on the same requests already prepared, against a
// plain loop of undici `request` calls to the same URLs, in the same process, and time
// parse + variables + prepare alone as a share of the run. Wall and CPU time are both reported:
// on a shared, loaded machine wall time mostly measures the neighbours.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { PreparedRequest } from '../../engine/model';
import { defaultSendOptions, prepareRequest } from '../../engine/prepare';
import { Runner } from '../../engine/runner';
import { Session } from '../../engine/session';
import { Resolver } from '../../engine/variables';
import { parse } from '../../language/parser';
import { measure, median, type Timing } from './measure';

const requestCount = 1000;
const rounds = 7;
const runnerTarget = 1.5;
const prepareShareTarget = 5;
const prepareRepeats = 10;

/** The benchmark file: file variables for host and version, an environment-free system variable in each request. */
function generateFile(origin: string): string {
  const lines = [`@host = ${origin}`, '@version = v1', '@accept = application/json', ''];
  for (let index = 0; index < requestCount; index++) {
    lines.push(`### item ${index}`, `GET {{host}}/{{version}}/items/${index}?page={{$randomInt 1 10}}`, 'Accept: {{accept}}', `X-Index: ${index}`, '');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const server = createServer((incoming, response) => {
    incoming.resume();
    incoming.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const folder = mkdtempSync(join(tmpdir(), 'courier-run-bench-'));
  const path = join(folder, 'bench.http');
  const text = generateFile(origin);
  writeFileSync(path, text);
  const urls = Array.from({ length: requestCount }, (_, index) => `${origin}/v1/items/${index}?page=5`);

  const session = await Session.open({});
  const agent = new Agent();

  const runCourier = async (): Promise<void> => {
    const exchanges = await new Runner(session, {}).run({ path, text }, { kind: 'all' });
    const failed = exchanges.find((exchange) => exchange.response?.status !== 200);
    if (exchanges.length !== requestCount || failed !== undefined) throw new Error(`runner: ${exchanges.length} exchanges, first failure: ${failed?.error?.message ?? String(failed?.response?.status)}`);
  };

  const runBare = async (): Promise<void> => {
    for (const [index, url] of urls.entries()) {
      const response = await request(url, { dispatcher: agent, headers: { accept: 'application/json', 'x-index': String(index) } });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200) throw new Error(`bare undici: status ${response.statusCode}`);
    }
  };

  /** What the runner does before sending: parse, then a resolver and a preparation per request (sharing what the runner shares). */
  const prepareAll = (): PreparedRequest[] => {
    const document = parse(text);
    const fileVariables = new Map(document.variables.map((variable) => [variable.name.text, variable.value.text]));
    const none = new Map<string, string>();
    const system = { now: () => new Date(), random: Math.random, uuid: () => crypto.randomUUID(), processEnv: () => undefined, dotenv: () => undefined };
    return document.requests.map((httpRequest) => {
      const resolver = new Resolver({ overrides: none, fileVariables, environment: none, prompted: none, sentRequest: () => undefined, system });
      const result = prepareRequest({ document, request: httpRequest, file: path, resolver, defaults: defaultSendOptions });
      if ('error' in result) throw new Error(result.error.message);
      return result.prepared;
    });
  };

  const prepared = prepareAll();
  const sendPrepared = async (): Promise<void> => {
    for (const one of prepared) {
      const exchange = await session.send(one);
      if (exchange.response?.status !== 200) throw new Error(`session: ${exchange.error?.message ?? String(exchange.response?.status)}`);
    }
  };

  // Warm-up: JIT, connection pools, the server's first sockets.
  for (let warmup = 0; warmup < 3; warmup++) {
    await runCourier();
    await sendPrepared();
    await runBare();
    prepareAll();
  }

  const courierTimes: Timing[] = [];
  const sendTimes: Timing[] = [];
  const bareTimes: Timing[] = [];
  const prepareTimes: Timing[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so neither side always runs on a warmer process.
    const sides = [
      async () => courierTimes.push(await measure(runCourier)),
      async () => sendTimes.push(await measure(sendPrepared)),
      async () => bareTimes.push(await measure(runBare)),
    ];
    for (const side of round % 2 === 0 ? sides : sides.reverse()) await side();
    // A few milliseconds is near the resolution of CPU time (the kernel may count it in ticks):
    // time several preparations back to back and take the mean of one.
    const preparations = await measure(() => {
      for (let repeat = 0; repeat < prepareRepeats; repeat++) prepareAll();
    });
    prepareTimes.push({ wallMs: preparations.wallMs / prepareRepeats, cpuMs: preparations.cpuMs / prepareRepeats });
  }

  await session.close();
  await agent.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(folder, { recursive: true, force: true });

  const wall = (times: readonly Timing[]) => median(times.map((time) => time.wallMs));
  const cpu = (times: readonly Timing[]) => median(times.map((time) => time.cpuMs));
  const line = (label: string, times: readonly Timing[]) => `  ${label.padEnd(34)} wall ${wall(times).toFixed(1)} ms, cpu ${cpu(times).toFixed(1)} ms`;
  const ratio = (times: readonly Timing[]) => {
    const wallRatio = wall(times) / wall(bareTimes);
    const cpuRatio = cpu(times) / cpu(bareTimes);
    return `wall ${wallRatio.toFixed(2)}x, cpu ${cpuRatio.toFixed(2)}x`;
  };
  const share = (cpu(prepareTimes) / cpu(courierTimes)) * 100;
  console.log(`${requestCount} sequential GETs in one process, median of ${rounds}:`);
  console.log(line('Runner.run (parse, prepare, send)', courierTimes));
  console.log(line('Session.send, prepared requests', sendTimes));
  console.log(line('bare undici request loop', bareTimes));
  console.log(line('parse + variables + prepare', prepareTimes));
  console.log(`  Runner.run / bare (target <= ${runnerTarget}x): ${ratio(courierTimes)}`);
  console.log(`  Session.send / bare: ${ratio(sendTimes)}`);
  console.log(`  parse + variables + prepare: ${share.toFixed(1)}% of the run's CPU (target < ${prepareShareTarget}%) ${share < prepareShareTarget ? 'OK' : 'OVER TARGET'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// `npm run bench`: what the runner costs over bare undici. A local server answers 1,000
// sequential GETs from a generated `.http` file with a few variables; we time `Runner.run`
// on the whole file against a plain loop of undici `request` calls to the same URLs, in the
// same process, and time parse + variables + prepare alone as a share of the run.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { defaultSendOptions, prepareRequest } from '../../engine/prepare';
import { Runner } from '../../engine/runner';
import { Session } from '../../engine/session';
import { Resolver } from '../../engine/variables';
import { parse } from '../../language/parser';

const requestCount = 1000;
const rounds = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

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

  const runCourier = async (): Promise<number> => {
    const runner = new Runner(session, {});
    const start = performance.now();
    const exchanges = await runner.run({ path, text }, { kind: 'all' });
    const elapsed = performance.now() - start;
    const failed = exchanges.find((exchange) => exchange.response?.status !== 200);
    if (exchanges.length !== requestCount || failed !== undefined) throw new Error(`runner: ${exchanges.length} exchanges, first failure: ${failed?.error?.message ?? String(failed?.response?.status)}`);
    return elapsed;
  };

  const runBare = async (): Promise<number> => {
    const start = performance.now();
    for (const [index, url] of urls.entries()) {
      const response = await request(url, { dispatcher: agent, headers: { accept: 'application/json', 'x-index': String(index) } });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200) throw new Error(`bare undici: status ${response.statusCode}`);
    }
    return performance.now() - start;
  };

  const prepareAll = (): number => {
    const start = performance.now();
    const document = parse(text);
    const fileVariables = new Map(document.variables.map((variable) => [variable.name.text, variable.value.text]));
    for (const httpRequest of document.requests) {
      const resolver = new Resolver({
        overrides: new Map(),
        fileVariables,
        environment: new Map(),
        prompted: new Map(),
        sentRequest: () => undefined,
        system: { now: () => new Date(), random: Math.random, uuid: () => crypto.randomUUID(), processEnv: () => undefined, dotenv: () => undefined },
      });
      const result = prepareRequest({ document, request: httpRequest, file: path, resolver, defaults: defaultSendOptions });
      if ('error' in result) throw new Error(result.error.message);
    }
    return performance.now() - start;
  };

  // Warm-up: JIT, connection pools, the server's first sockets.
  for (let warmup = 0; warmup < 3; warmup++) {
    await runCourier();
    await runBare();
    prepareAll();
  }

  const courierTimes: number[] = [];
  const bareTimes: number[] = [];
  const prepareTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so neither side always runs on a warmer process.
    if (round % 2 === 0) {
      courierTimes.push(await runCourier());
      bareTimes.push(await runBare());
    } else {
      bareTimes.push(await runBare());
      courierTimes.push(await runCourier());
    }
    prepareTimes.push(prepareAll());
  }

  await session.close();
  await agent.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(folder, { recursive: true, force: true });

  const courier = median(courierTimes);
  const bare = median(bareTimes);
  const prepared = median(prepareTimes);
  console.log(
    `${requestCount} requests (median of ${rounds}): courier runner ${courier.toFixed(0)} ms, bare undici ${bare.toFixed(0)} ms, ratio ${(courier / bare).toFixed(2)}x; ` +
      `parse+variables+prepare ${prepared.toFixed(1)} ms = ${((prepared / courier) * 100).toFixed(1)}% of the run (target < 5%)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// `npm run bench`: the language server as an editor uses it. Each sample starts a fresh
// `node dist/server.js --stdio` (no warm JIT, no cached parse), initializes it as VS Code does
// (pull diagnostics, workspace folders, configuration), opens the 20,000-request corpus and
// times, from the `didOpen` notification to the answer:
//   - each request VS Code sends on open, alone (a fresh process each): diagnostics (pull),
//     document symbols, folding ranges, CodeLens;
//   - all four sent together, as VS Code sends them;
//   - requests sent while the server prepares incremental diagnostics in the background after
//     the open's diagnostics (hovers and diagnostics pulls, one after the other): how long the
//     slowest waited, and how much CPU time the server spent meanwhile.
// Targets: open to diagnostics under 200 ms cold, and no request waits more than 50 ms behind
// background work. Process start-up (spawn to `initialize` answered) is reported apart. The
// server's CPU time (from /proc), all threads and its main thread alone, is printed beside wall
// times: on a shared machine a wall time includes waiting for a core, and the load average is
// printed too.
// Beside it, httpYac on the same text in a fresh process (see `httpYacSample`), and the ratios.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { generateCorpus } from './corpus';
import { median, percentile } from './measure';

const root = resolve(__dirname, '../../..');
/** `LSP_BENCH_SERVER=path/to/server.js` measures another build (an older commit's, to compare). */
const serverBundle = resolve(process.env.LSP_BENCH_SERVER ?? join(root, 'dist/server.js'));
const samples = Number(process.env.LSP_BENCH_SAMPLES ?? 9);
const openTargetMs = 200;
const waitTargetMs = 50;

const corpus = generateCorpus(20_000);
const workspace = mkdtempSync(join(tmpdir(), 'courier-lsp-bench-'));
const file = join(workspace, 'bench.http');
writeFileSync(file, corpus);
const uri = pathToFileURL(file).href;
/** A position inside a request in the second half of the file, where hover has something to say. */
const hoverPosition = positionOf(corpus, corpus.indexOf('Authorization: Bearer {{token}}', corpus.length / 2) + 25);

/** What VS Code 1.9x announces that matters here: pull diagnostics, configuration, workspace folders. */
const clientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, tagSupport: { valueSet: [1, 2] } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true, symbolKind: { valueSet: Array.from({ length: 26 }, (_, index) => index + 1) } },
    foldingRange: { rangeLimit: 5000, lineFoldingOnly: true },
    codeLens: { dynamicRegistration: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
  workspace: {
    configuration: true,
    workspaceFolders: true,
    diagnostics: { refreshSupport: true },
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
  },
};

interface Server {
  readonly connection: MessageConnection;
  /** Spawn to `initialize` answered. */
  readonly startupMs: number;
  /** CPU time the server process has used so far (all its threads), in ms; NaN where /proc is missing. */
  cpuMs(): number;
  /** CPU time of the server's main thread alone (the one that parses and answers), in ms; NaN where /proc is missing. */
  mainThreadCpuMs(): number;
  stop(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const start = performance.now();
  const child = spawn(process.execPath, [serverBundle, '--stdio'], { cwd: workspace, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  // VS Code answers `courier` settings with the section's object; none set here.
  connection.onRequest('workspace/configuration', (params: { readonly items: readonly unknown[] }) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onNotification('window/logMessage', (params: { readonly message: string }) => console.error(`server: ${params.message}`));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bench' }],
    capabilities: clientCapabilities,
  });
  const startupMs = performance.now() - start;
  await connection.sendNotification('initialized', {});
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    connection,
    startupMs,
    cpuMs: () => processCpuMs(child.pid),
    mainThreadCpuMs: () => mainThreadCpuMs(child.pid),
    async stop() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await exited;
      connection.dispose();
    },
  };
}

const textDocument = { uri };
const onOpen = {
  diagnostics: (connection: MessageConnection) => connection.sendRequest('textDocument/diagnostic', { textDocument }),
  symbols: (connection: MessageConnection) => connection.sendRequest('textDocument/documentSymbol', { textDocument }),
  folding: (connection: MessageConnection) => connection.sendRequest('textDocument/foldingRange', { textDocument }),
  codeLens: (connection: MessageConnection) => connection.sendRequest('textDocument/codeLens', { textDocument }),
} as const;
type OnOpenRequest = keyof typeof onOpen;
const onOpenRequests = Object.keys(onOpen) as OnOpenRequest[];

/** Opens the corpus; returns when `didOpen` was handed to the pipe, the moment latencies count from. */
async function open(connection: MessageConnection): Promise<number> {
  const opened = performance.now();
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text: corpus } });
  return opened;
}

/** Milliseconds from `since` until `request` is answered. */
async function answeredAfter(since: number, request: Promise<unknown>): Promise<number> {
  await request;
  return performance.now() - since;
}

const startups: number[] = [];
const alone = new Map<OnOpenRequest, number[]>(onOpenRequests.map((name) => [name, []]));
const aloneCpu = new Map<OnOpenRequest, number[]>(onOpenRequests.map((name) => [name, []]));
const aloneMainThreadCpu = new Map<OnOpenRequest, number[]>(onOpenRequests.map((name) => [name, []]));
const together = new Map<OnOpenRequest | 'all', number[]>([...onOpenRequests, 'all' as const].map((name) => [name, []]));
/**
 * Per sample: the slowest request during the background work, the most server CPU time one took,
 * and the same request's median when idle (answered by warm code). Also the first request of each
 * kind on its own: during the background work, and in another fresh server once that work has
 * ended. A first hover on a 20,000-request file runs code the server has not run yet and costs
 * tens of ms whatever else runs; counting that as waiting would blame the background work for it.
 */
const probes = {
  hover: { worstMs: [] as number[], worstCpuMs: [] as number[], idleMs: [] as number[], firstMs: [] as number[], firstAloneMs: [] as number[], laterWorstMs: [] as number[] },
  diagnostics: { worstMs: [] as number[], worstCpuMs: [] as number[], idleMs: [] as number[], firstMs: [] as number[], firstAloneMs: [] as number[], laterWorstMs: [] as number[] },
};

/** One request alone after the open, in a fresh server. */
async function sampleAlone(name: OnOpenRequest): Promise<void> {
  const server = await startServer();
  startups.push(server.startupMs);
  const cpuBefore = server.cpuMs();
  const mainThreadBefore = server.mainThreadCpuMs();
  const opened = await open(server.connection);
  alone.get(name)?.push(await answeredAfter(opened, onOpen[name](server.connection)));
  aloneCpu.get(name)?.push(server.cpuMs() - cpuBefore);
  aloneMainThreadCpu.get(name)?.push(server.mainThreadCpuMs() - mainThreadBefore);
  if (name === 'diagnostics') await probeBackgroundWork(server);
  await server.stop();
}

/**
 * User and system time of process `pid` from /proc (Linux), in 10 ms ticks: on a busy machine the
 * wall times above include waiting for a core, and this says how much of them the server worked.
 */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time of the main thread of process `pid` (Linux's scheduler statistics, in ns): the thread
 * that reads the document, parses, checks and answers. The process's CPU time also counts V8's
 * compiler and GC threads, which on a fresh process do as much again; the wall time counts waiting
 * for a core. This is the work the open costs the server, whatever else runs on the machine.
 */
function mainThreadCpuMs(pid: number | undefined): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/** How long after the open's diagnostics requests are sent one after the other, to meet the background work. */
const probeWindowMs = 3000;
/**
 * A diagnostics pull (of the same version, as on a refresh) among the hovers this often: longer
 * than the server's idle delay before its background work, which a pull postpones.
 */
const pullEveryMs = 400;
type ProbeKind = 'hover' | 'diagnostics';

/**
 * Requests while the background work that follows an open runs (the server starts it when idle
 * after the open's diagnostics): one after the other for `probeWindowMs`, each sent as soon as the
 * last was answered, so whichever arrives during a long task waits for all of it. Then the same
 * requests once the server is idle, for what they cost alone.
 */
async function probeBackgroundWork(server: Server): Promise<void> {
  const { connection } = server;
  const send = (kind: ProbeKind): Promise<unknown> => (kind === 'hover' ? connection.sendRequest('textDocument/hover', { textDocument, position: hoverPosition }) : onOpen.diagnostics(connection));
  const worst = { hover: { wallMs: 0, cpuMs: 0 }, diagnostics: { wallMs: 0, cpuMs: 0 } };
  const first: Partial<Record<ProbeKind, number>> = {};
  const laterWorst = { hover: 0, diagnostics: 0 };
  const windowEnd = performance.now() + probeWindowMs;
  let lastPull = performance.now();
  while (performance.now() < windowEnd) {
    const sent = performance.now();
    const kind: ProbeKind = sent - lastPull >= pullEveryMs ? 'diagnostics' : 'hover';
    if (kind === 'diagnostics') lastPull = sent;
    const cpuBefore = server.cpuMs();
    await send(kind);
    const wallMs = performance.now() - sent;
    worst[kind] = { wallMs: Math.max(worst[kind].wallMs, wallMs), cpuMs: Math.max(worst[kind].cpuMs, server.cpuMs() - cpuBefore) };
    if (first[kind] === undefined) first[kind] = wallMs;
    else laterWorst[kind] = Math.max(laterWorst[kind], wallMs);
    await new Promise((done) => setTimeout(done, 2));
  }
  for (const kind of ['hover', 'diagnostics'] as const) {
    const idle: number[] = [];
    for (let index = 0; index < 8; index++) {
      const sent = performance.now();
      await send(kind);
      idle.push(performance.now() - sent);
    }
    probes[kind].worstMs.push(worst[kind].wallMs);
    probes[kind].worstCpuMs.push(worst[kind].cpuMs);
    probes[kind].idleMs.push(median(idle));
    probes[kind].firstMs.push(first[kind] ?? 0);
    probes[kind].laterWorstMs.push(laterWorst[kind]);
  }
}

/** Waits until the server has used no CPU for `quietMs` (its background work has ended), at most `limitMs`. */
async function untilQuiet(server: Server, quietMs = 300, limitMs = 8000): Promise<void> {
  const deadline = performance.now() + limitMs;
  let last = server.cpuMs();
  let quietSince = performance.now();
  while (performance.now() < deadline) {
    await new Promise((done) => setTimeout(done, 50));
    const now = server.cpuMs();
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= quietMs) {
      return;
    }
  }
}

/** In a fresh server: the open's diagnostics, then, once the background work has ended, a first hover and a first pull alone. */
async function sampleFirstRequestsAlone(): Promise<void> {
  const server = await startServer();
  const { connection } = server;
  await open(connection);
  await onOpen.diagnostics(connection);
  await untilQuiet(server);
  for (const kind of ['hover', 'diagnostics'] as const) {
    const sent = performance.now();
    await (kind === 'hover' ? connection.sendRequest('textDocument/hover', { textDocument, position: hoverPosition }) : onOpen.diagnostics(connection));
    probes[kind].firstAloneMs.push(performance.now() - sent);
  }
  await server.stop();
}

/** The four requests together after the open, as VS Code sends them. */
async function sampleTogether(): Promise<void> {
  const server = await startServer();
  startups.push(server.startupMs);
  const { connection } = server;
  const opened = await open(connection);
  const times = await Promise.all(onOpenRequests.map((name) => answeredAfter(opened, onOpen[name](connection))));
  onOpenRequests.forEach((name, index) => together.get(name)?.push(times[index]));
  together.get('all')?.push(Math.max(...times));
  await server.stop();
}

/**
 * httpYac in a fresh process, as vscode-httpyac does when a file opens: it parses the text in the
 * extension host with its library (`HttpFileStore.getOrCreate`: the first file of a workspace
 * also looks for its configuration and registers its plugins, then every parser runs over the
 * text and fills the file's regions), and its CodeLens, outline and folding read that parsed file.
 * Measured: requiring `httpyac` (its start-up), then `getOrCreate`, from the text in memory to the
 * `HttpFile`. httpYac has no diagnostics of its own to time.
 */
function httpYacSample(): { readonly loadMs: number; readonly parseMs: number; readonly parseCpuMs: number; readonly regions: number } | undefined {
  const script = `
    const { performance } = require('node:perf_hooks');
    const loadStart = performance.now();
    const httpyac = require('httpyac');
    const loadMs = performance.now() - loadStart;
    // Node's file system for httpYac's IO, as its CLI sets it (vscode-httpyac hands it VS Code's).
    httpyac.cli.initFileProvider();
    const text = require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8');
    const store = new httpyac.store.HttpFileStore();
    const parseStart = performance.now();
    const cpuStart = process.cpuUsage();
    store.getOrCreate(${JSON.stringify(file)}, async () => text, 1, { workingDir: ${JSON.stringify(workspace)} }).then((httpFile) => {
      const parseMs = performance.now() - parseStart;
      const cpu = process.cpuUsage(cpuStart);
      process.stdout.write(JSON.stringify({ loadMs, parseMs, parseCpuMs: (cpu.user + cpu.system) / 1000, regions: httpFile.httpRegions.length }));
    }, (error) => { console.error(error); process.exit(1); });`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) {
    console.error(`httpYac could not run (is the devDependency installed?): ${run.stderr.slice(0, 500)}`);
    return undefined;
  }
  return JSON.parse(run.stdout) as { loadMs: number; parseMs: number; parseCpuMs: number; regions: number };
}

const format = (ms: number): string => `${ms.toFixed(0)} ms`;
const stats = (values: readonly number[]): string => `${format(median(values))} median, ${format(percentile(values, 0.9))} p90`;

async function main(): Promise<void> {
  // Samples interleaved, so a burst of load on a shared machine spreads over every figure.
  for (let sample = 0; sample < samples; sample++) {
    for (const name of onOpenRequests) await sampleAlone(name);
    await sampleTogether();
    await sampleFirstRequestsAlone();
  }
  // httpYac takes seconds a sample: three are enough to show its order of magnitude.
  const yac = Array.from({ length: Math.min(samples, 3) }, httpYacSample).filter((value) => value !== undefined);

  const openDiagnostics = alone.get('diagnostics') ?? [];
  const togetherDiagnostics = together.get('diagnostics') ?? [];
  // What a request waited behind the background work: for the first of its kind, its time beyond
  // the same first request once that work has ended; for later ones, beyond the warm idle time.
  const waits = (['hover', 'diagnostics'] as const).map((kind) =>
    Math.max(percentile(probes[kind].firstMs, 0.9) - median(probes[kind].firstAloneMs), percentile(probes[kind].laterWorstMs, 0.9) - median(probes[kind].idleMs)),
  );
  const worstWait = Math.max(...waits);
  const worstCpu = Math.max(...(['hover', 'diagnostics'] as const).map((kind) => percentile(probes[kind].worstCpuMs, 0.9)));
  console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(', ')} on ${availableParallelism()} cores (wall times include waiting for a core)`);
  console.log(`LSP, fresh \`node ${relative(root, serverBundle)} --stdio\` per sample, ${samples} samples, 20000 requests (${(corpus.length / 1e6).toFixed(1)} MB); times from didOpen:`);
  console.log(`  process start-up to initialize answered: ${stats(startups)}`);
  for (const name of onOpenRequests) {
    console.log(
      `  ${name} alone: ${stats(alone.get(name) ?? [])} (server CPU time ${format(median(aloneCpu.get(name) ?? []))} median, of which its main thread ${stats(aloneMainThreadCpu.get(name) ?? [])})`,
    );
  }
  console.log(`  all four together: ${stats(together.get('all') ?? [])} (diagnostics ${stats(togetherDiagnostics)}; ${onOpenRequests.slice(1).map((name) => `${name} ${format(median(together.get(name) ?? []))}`).join(', ')})`);
  console.log(
    `  during the background work after an open: slowest hover ${stats(probes.hover.worstMs)} (idle: ${format(median(probes.hover.idleMs))}; server CPU during it ${format(percentile(probes.hover.worstCpuMs, 0.9))} p90), ` +
      `slowest diagnostics pull ${stats(probes.diagnostics.worstMs)} (idle: ${format(median(probes.diagnostics.idleMs))}; server CPU during it ${format(percentile(probes.diagnostics.worstCpuMs, 0.9))} p90)`,
  );
  for (const kind of ['hover', 'diagnostics'] as const) {
    console.log(
      `  first ${kind} during the background work ${stats(probes[kind].firstMs)}, once it has ended ${stats(probes[kind].firstAloneMs)}; ` +
        `later ${kind}s during it, slowest ${stats(probes[kind].laterWorstMs)} (idle ${format(median(probes[kind].idleMs))}); wait behind the work, p90 ${format(waits[kind === 'hover' ? 0 : 1])}`,
    );
  }
  if (yac.length > 0) {
    const yacParse = yac.map((value) => value.parseMs);
    const yacLoad = yac.map((value) => value.loadMs);
    console.log(
      `  httpYac ${httpYacVersion()}, fresh process, same text (${yac[0].regions} regions): require ${stats(yacLoad)}, parse ${stats(yacParse)} (CPU time ${format(median(yac.map((value) => value.parseCpuMs)))} median); ` +
        `CPU time of open-to-diagnostics / httpYac parse ${(median(aloneCpu.get('diagnostics') ?? []) / median(yac.map((value) => value.parseCpuMs))).toFixed(2)}x, ` +
        `ratio open-to-diagnostics / httpYac parse ${(median(openDiagnostics) / median(yacParse)).toFixed(2)}x, all four together / httpYac parse ${(median(together.get('all') ?? []) / median(yacParse)).toFixed(2)}x, ` +
        `start-up / httpYac require ${(median(startups) / median(yacLoad)).toFixed(2)}x`,
    );
  }
  console.log(
    `  target open to diagnostics < ${openTargetMs} ms cold: ${median(openDiagnostics) < openTargetMs ? 'met' : 'MISSED'} (p90 ${format(percentile(openDiagnostics, 0.9))}); ` +
      `target no request waits > ${waitTargetMs} ms behind background work: ${worstWait <= waitTargetMs ? 'met' : 'MISSED'} (worst p90 wait ${format(worstWait)}, server CPU during the slowest ${format(worstCpu)})`,
  );
}

function httpYacVersion(): string {
  try {
    return (JSON.parse(spawnSync(process.execPath, ['-p', 'JSON.stringify(require("httpyac/package.json").version)'], { cwd: root, encoding: 'utf8' }).stdout) as string) ?? '';
  } catch {
    return '';
  }
}

/** The LSP position of `offset` in `text`. */
function positionOf(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let found = text.indexOf('\n'); found !== -1 && found < offset; found = text.indexOf('\n', found + 1)) {
    line++;
    lineStart = found + 1;
  }
  return { line, character: offset - lineStart };
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(workspace, { recursive: true, force: true }));

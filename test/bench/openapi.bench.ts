// `npm run bench`: the language server with GitHub's REST API description (@octokit/openapi's
// api.github.com.json, about 13 MB) as the workspace's spec, from a fresh `node dist/server.js
// --stdio` each sample, as an editor uses it:
//   - while the spec loads in the background (a worker thread, the model handed over in batches),
//     an open `.http` file's diagnostics are pulled every 25 ms: the slowest answer, against the
//     slowest of the same pulls in a workspace without a spec (target: at most 20 ms more); the
//     pull during which the spec arrives runs the file's first OpenAPI checks and is reported apart;
//   - how long the load takes (the server logs it), and the memory it keeps: the server's resident
//     memory once loaded against without a spec, and, in this process, the heap the model keeps
//     once taken over from the worker (after a GC);
//   - once loaded, completion of a path and of a JSON body property (target: p99 under 30 ms).

import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { loadOpenApiSpecInWorker } from '../../engine/openapi/specWorkerLoader';
import type { OpenApiSpec } from '../../language/openapi/specModel';
import { median, percentile } from './measure';

const root = resolve(__dirname, '../../..');
const serverBundle = join(root, 'dist/server.js');
const githubSpec = require.resolve('@octokit/openapi/generated/api.github.com.json', { paths: [root] });
const samples = Number(process.env.OPENAPI_BENCH_SAMPLES ?? 3);
const delayTargetMs = 20;
const completionTargetMs = 30;

const requests: string[] = [];
for (let i = 0; i < 200; i++) {
  requests.push(`### Issue ${i}\nGET https://api.github.com/repos/octo/hello/issues/${i}?per_page=10\nAccept: application/vnd.github+json\n`);
  requests.push(`### Create ${i}\nPOST https://api.github.com/repos/octo/hello/issues\nContent-Type: application/json\n\n{"title": "t${i}", "body": "b", "labels": ["bug"]}\n`);
}
const httpText = requests.join('\n');
const pathLine = 'GET https://api.github.com/repos/';
const bodyLines = 'POST https://api.github.com/repos/octo/hello/issues\nContent-Type: application/json\n\n{\n  "title": "x",\n  \n}\n';
const completionText = `${httpText}\n### path\n${pathLine}\n\n### body\n${bodyLines}`;

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
const pathPosition = positionOf(completionText, completionText.indexOf(pathLine) + pathLine.length);
const bodyPosition = positionOf(completionText, completionText.indexOf('"title": "x",\n  ', completionText.indexOf('### body')) + '"title": "x",\n  '.length);

function workspaceWith(spec: boolean): string {
  const folder = mkdtempSync(join(tmpdir(), 'courier-openapi-bench-'));
  mkdirSync(join(folder, 'api'));
  if (spec) copyFileSync(githubSpec, join(folder, 'api', 'openapi.json'));
  writeFileSync(join(folder, 'github.http'), completionText);
  return folder;
}

interface Server {
  readonly connection: MessageConnection;
  readonly pid: number;
  /** Resolves with the load time the server logs for its spec. */
  readonly loaded: Promise<number>;
  stop(): Promise<void>;
}

async function startServer(folder: string): Promise<Server> {
  const child = spawn(process.execPath, [serverBundle, '--stdio'], { cwd: folder, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let onLoaded: (ms: number) => void = () => undefined;
  const loaded = new Promise<number>((resolve) => (onLoaded = resolve));
  connection.onNotification('window/logMessage', (params: { message: string }) => {
    const read = /^OpenAPI spec .*read in (\d+) ms/.exec(params.message);
    if (read) onLoaded(Number(read[1]));
  });
  connection.onNotification('textDocument/publishDiagnostics', () => undefined);
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(folder).href,
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'bench' }],
    capabilities: { textDocument: { diagnostic: {}, completion: { completionItem: { snippetSupport: true } } }, workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    pid: child.pid!,
    loaded,
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // gone already
      }
      connection.dispose();
      child.kill();
    },
  };
}

function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

const uriOf = (folder: string): string => pathToFileURL(join(folder, 'github.http')).href;

/** Pulls diagnostics every 25 ms for `durationMs` (or until `until` settles); the answer times. */
async function pullWhile(connection: MessageConnection, uri: string, until: Promise<unknown>, durationMs: number): Promise<number[]> {
  let done = false;
  void until.then(() => (done = true));
  const deadline = performance.now() + durationMs;
  const times: number[] = [];
  while (!done && performance.now() < deadline) {
    const start = performance.now();
    await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    times.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return times;
}

async function open(server: Server, folder: string): Promise<void> {
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(folder), languageId: 'http', version: 1, text: completionText } });
  await server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: uriOf(folder) } });
}

async function main(): Promise<void> {
  const withoutSpec = workspaceWith(false);
  const withSpec = workspaceWith(true);
  const delays: number[] = [];
  const loads: number[] = [];
  const memory: number[] = [];
  const pathTimes: number[] = [];
  const bodyTimes: number[] = [];
  const firstCheckTimes: number[] = [];
  let pathItems = 0;
  let bodyItems = 0;
  try {
    for (let sample = 0; sample < samples; sample++) {
      // Without a spec: the same pulls for as long as a load takes.
      const plain = await startServer(withoutSpec);
      await open(plain, withoutSpec);
      const plainTimes = await pullWhile(plain.connection, uriOf(withoutSpec), new Promise(() => undefined), 3000);
      const plainMb = residentMb(plain.pid);
      await plain.stop();

      const server = await startServer(withSpec);
      await open(server, withSpec);
      const loadingTimes = await pullWhile(server.connection, uriOf(withSpec), server.loaded, 60_000);
      const loadMs = await server.loaded;
      // Diagnostics again now that the spec is there (its checks run once per request text).
      await server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: uriOf(withSpec) } });
      // The last pull is the one the spec arrived during: it runs the first OpenAPI checks of the file, reported apart.
      const firstChecks = loadingTimes.pop() ?? Number.NaN;
      firstCheckTimes.push(firstChecks);
      delays.push(Math.max(...loadingTimes) - Math.max(...plainTimes));
      loads.push(loadMs);
      memory.push(residentMb(server.pid) - plainMb);
      for (let i = 0; i < 100; i++) {
        let start = performance.now();
        const paths = await server.connection.sendRequest<{ items: unknown[] }>('textDocument/completion', { textDocument: { uri: uriOf(withSpec) }, position: pathPosition });
        pathTimes.push(performance.now() - start);
        pathItems = paths.items.length;
        start = performance.now();
        const body = await server.connection.sendRequest<{ items: unknown[] }>('textDocument/completion', { textDocument: { uri: uriOf(withSpec) }, position: bodyPosition });
        bodyTimes.push(performance.now() - start);
        bodyItems = body.items.length;
      }
      console.log(`sample ${sample + 1}: slowest pull while loading ${Math.max(...loadingTimes).toFixed(1)} ms (pull ${loadingTimes.indexOf(Math.max(...loadingTimes)) + 1} of ${loadingTimes.length}; times ${loadingTimes.map((t) => t.toFixed(0)).join(' ')}) vs ${Math.max(...plainTimes).toFixed(1)} ms without a spec; load ${loadMs} ms`);
      await server.stop();
    }
  } finally {
    rmSync(withoutSpec, { recursive: true, force: true });
    rmSync(withSpec, { recursive: true, force: true });
  }

  // The model's own heap, taken over from a worker into this process, after a GC.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const spec: OpenApiSpec = await loadOpenApiSpecInWorker(githubSpec, join(root, 'dist/openApiSpecWorker.js'));
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

  const ok = (pass: boolean): string => (pass ? 'ok' : 'OVER TARGET');
  console.log(`GitHub REST API (${spec.operations.length} operations, ${(readFileSync(githubSpec).length / 1e6).toFixed(1)} MB), ${samples} samples, load average ${loadavg()[0].toFixed(2)}`);
  console.log(`  load in the background: median ${median(loads)} ms`);
  console.log(`  delay of diagnostics while loading (slowest pull, minus the slowest without a spec): worst ${Math.max(...delays).toFixed(1)} ms, target <= ${delayTargetMs} ms: ${ok(Math.max(...delays) <= delayTargetMs)}`);
  console.log(`  the pull that runs the file's first OpenAPI checks (${requests.length} requests) once the spec arrives: median ${median(firstCheckTimes).toFixed(0)} ms`);
  console.log(`  memory kept: server RSS +${median(memory).toFixed(0)} MB over a server without a spec; the model's heap ${heapMb.toFixed(0)} MB${gc ? '' : ' (no --expose-gc: not collected)'}`);
  console.log(`  completion of a path (${pathItems} items): p50 ${median(pathTimes).toFixed(1)} ms, p99 ${percentile(pathTimes, 0.99).toFixed(1)} ms, target < ${completionTargetMs} ms: ${ok(percentile(pathTimes, 0.99) < completionTargetMs)}`);
  console.log(`  completion of a body property (${bodyItems} items): p50 ${median(bodyTimes).toFixed(1)} ms, p99 ${percentile(bodyTimes, 0.99).toFixed(1)} ms, target < ${completionTargetMs} ms: ${ok(percentile(bodyTimes, 0.99) < completionTargetMs)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

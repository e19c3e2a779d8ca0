// `npm start`: after the build, starts the demo API (if it is built) and opens an editor
// with Courier loaded from this checkout and samples/ as the workspace: VS Code desktop when
// a `code` command is on PATH, otherwise code-server in the browser. Runs until Ctrl+C.
// The `local` environment is selected by samples/.vscode/settings.json (`courier.environment`),
// so the first request sent reaches the demo API; a choice made in the status bar wins over it.
//   PORT=4010                 port of the demo API (its default is 4010, which samples/ expect);
//                             its gRPC service listens on PORT+1 (4011, samples' grpcHost), or GRPC_PORT
//   COURIER_EDITOR_PORT=8080  port of code-server (default: a free one)
//   COURIER_EDITOR=browser    use code-server even when `code` is on PATH
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCodeServer } from '../test/harness/codeServerInstall';
import { startCodeServer, type RunningCodeServer } from '../test/harness/codeServerProcess';
import { cacheDir, repositoryRoot } from '../test/harness/repositoryLayout';
import { HarnessError } from '../test/harness/timedStep';
import { workbenchUrl } from '../test/harness/workbenchUrl';
import { quietWorkbenchSettings } from '../test/harness/workbenchSettings';

const samplesFolder = path.join(repositoryRoot, 'samples');
const demoApiBundle = path.join(repositoryRoot, 'dist', 'demo-api.js');

/** Children to stop on Ctrl+C. */
const running: { demoApi?: ChildProcess; codeServer?: RunningCodeServer } = {};

/** The full path of `command` if it is on PATH. */
function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir !== '' && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Starts `node dist/demo-api.js`, prefixing its output, and waits until it says it listens. */
function startDemoApi(): Promise<void> {
  if (!fs.existsSync(demoApiBundle)) {
    console.log('[start] dist/demo-api.js is not built yet: starting the editor without the demo API.');
    return Promise.resolve();
  }
  const child = spawn(process.execPath, [demoApiBundle], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  running.demoApi = child;
  return new Promise((resolve) => {
    // The editor is useful without the API (e.g. its port is taken), so a failure here is reported, not fatal.
    const timer = setTimeout(() => {
      console.log('[start] the demo API has not said it listens after 15 s; starting the editor anyway.');
      resolve();
    }, 15_000);
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n').filter((text) => text.trim() !== '')) console.log(`[demo-api] ${line}`);
      if (/listening on/i.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('exit', (code) => {
      running.demoApi = undefined;
      clearTimeout(timer);
      console.log(`[start] the demo API exited (code ${code ?? 'none'}).`);
      resolve();
    });
  });
}

/** VS Code desktop: its CLI opens a window and returns; the window lives on its own. */
async function openDesktop(code: string): Promise<void> {
  console.log(`[start] opening VS Code (${code}) with Courier from ${repositoryRoot} on samples/`);
  const child = spawn(code, ['--new-window', `--extensionDevelopmentPath=${repositoryRoot}`, samplesFolder], { stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(new HarnessError(`Could not run ${code}: ${error.message}. Set COURIER_EDITOR=browser to use code-server instead.`)));
    child.on('exit', () => resolve());
  });
}

/** code-server: serves the workbench until stopped; prints the URL to open. */
async function openInBrowser(): Promise<void> {
  const installation = await ensureCodeServer((line) => console.log(line.replace('[harness]', '[start]')));
  const requestedPort = Number(process.env.COURIER_EDITOR_PORT ?? 0);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new HarnessError(`COURIER_EDITOR_PORT must be an integer from 0 to 65535, got "${process.env.COURIER_EDITOR_PORT}".`);
  }
  // Kept between runs, so editor settings and open tabs survive a restart.
  const stateDir = path.join(cacheDir, 'start');
  const server = await startCodeServer(installation, {
    userDataDir: path.join(stateDir, 'user-data'),
    extensionsDir: path.join(stateDir, 'extensions'),
    settings: quietWorkbenchSettings,
    port: requestedPort,
  });
  running.codeServer = server;
  const url = workbenchUrl({ origin: server.origin, folder: samplesFolder, extensionDevelopmentPath: repositoryRoot });
  console.log(`\n[start] Courier in VS Code (code-server ${installation.version}): open\n\n    ${url}\n\n[start] Ctrl+C stops everything.`);
  const code = await server.exited;
  running.codeServer = undefined;
  if (!stopping) {
    console.error(`[start] code-server exited unexpectedly (code ${code ?? 'none'}). Its log:\n${server.log()}`);
    await stopAll(1);
  }
}

let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const demoApi = running.demoApi;
  if (demoApi && demoApi.exitCode === null) {
    const exited = new Promise((resolve) => demoApi.once('exit', resolve));
    demoApi.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }
  await running.codeServer?.stop();
  process.exit(exitCode);
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(repositoryRoot, 'dist', 'extension.js'))) {
    throw new HarnessError('dist/extension.js is missing: run `npm run build` (npm start does it first).');
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      console.log('\n[start] stopping...');
      void stopAll(0);
    });
  }
  await startDemoApi();
  const code = process.env.COURIER_EDITOR === 'browser' ? undefined : onPath('code');
  if (code) {
    await openDesktop(code);
    if (running.demoApi) console.log('[start] the demo API keeps running: Ctrl+C stops it.');
    else await stopAll(0);
  } else {
    await openInBrowser();
  }
}

main().catch(async (error: unknown) => {
  console.error(error instanceof HarnessError ? `[start] ${error.message}` : error);
  await stopAll(1);
});

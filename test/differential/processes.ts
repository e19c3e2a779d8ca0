// The processes of a differential run: a `courier run` of one side, and the demo API. Both get
// fixedSources.cjs preloaded; the CLI gets no proxy settings from the environment, so it talks
// straight to the recorder.

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
  /** null when killed: by the timeout (`timedOut`) or a signal. */
  readonly exitCode: number | null;
  /** Killed after `cliTimeoutMs`: the CLI hung. */
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** One line of `--reporter json` (the fields the harness reads). */
export interface ReportedRequest {
  readonly file: string;
  readonly line: number;
  readonly method: string;
  readonly url: string;
  readonly redirects: number;
}

// A run of 25 generated documents takes a few seconds (the 8 MB sample download a little more);
// this only catches a hang.
export const cliTimeoutMs = 60_000;

/** The preload's path: next to the sources, found from the bundle in out/harness/. */
export function fixedSourcesPath(repository: string): string {
  return join(repository, 'test', 'differential', 'fixedSources.cjs');
}

/** Runs `courier run <args>` of the checkout `root` in `cwd`, with the clock fixed at `now`. */
export function runCli(root: string, args: readonly string[], options: { readonly cwd: string; readonly now: number; readonly preload: string; readonly env?: Readonly<Record<string, string>> }): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, COURIER_DIFF_FIXED: 'cli', COURIER_DIFF_NOW: String(options.now), TZ: 'UTC', NO_COLOR: '1' };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'NODE_OPTIONS']) delete env[name];
  const child = spawn(process.execPath, ['--require', options.preload, join(root, 'dist', 'cli.js'), 'run', ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child);
}

function collect(child: ChildProcess): Promise<CliRun> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, cliTimeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, timedOut, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** The json reporter's lines; lines that are not JSON (none expected) are skipped. */
export function reportedRequests(stdout: string): ReportedRequest[] {
  return stdout.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as ReportedRequest];
    } catch {
      return [];
    }
  });
}

export interface RunningDemoApi {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts `dist/demo-api.js` of `root` on a free port, with seeded random bytes: fresh state for each run. */
export function startDemoApi(root: string, preload: string): Promise<RunningDemoApi> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', COURIER_DIFF_FIXED: 'server' };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--require', preload, join(root, 'dist', 'demo-api.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (reason: string): void => reject(new Error(`the demo API (${join(root, 'dist', 'demo-api.js')}) did not start: ${reason}${output === '' ? '' : `\n${output}`}`));
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code) => fail(`it exited with ${code}`));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port === undefined) return;
      child.removeAllListeners('exit');
      resolve({
        port: Number(port),
        stop: () =>
          new Promise<void>((stopped) => {
            child.once('exit', () => stopped());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

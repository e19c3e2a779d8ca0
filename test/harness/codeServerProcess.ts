// Starts code-server on a free loopback port and stops it again, keeping its log.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeServerInstallation } from './codeServerInstall';
import { HarnessError } from './timedStep';

export interface CodeServerOptions {
  /** Holds settings, state and logs of this run; created if missing. */
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** User settings written before start-up when there are none yet (a user's later edits are kept). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly startTimeoutMs?: number;
  /** Keep workspace trust on (folders open in Restricted Mode until trusted); off by default, so every folder is trusted. */
  readonly workspaceTrust?: boolean;
}

export interface RunningCodeServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  readonly port: number;
  /** Everything code-server printed so far. */
  log(): string;
  /** Settles when code-server exits, with its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Stops code-server and waits for it to exit. */
  stop(): Promise<void>;
}

export async function startCodeServer(installation: CodeServerInstallation, options: CodeServerOptions): Promise<RunningCodeServer> {
  fs.mkdirSync(path.join(options.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  const settingsFile = path.join(options.userDataDir, 'User', 'settings.json');
  if (options.settings && !fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify(options.settings, null, 2));
  }
  const args = [
    installation.entry,
    // Our own config file, so nothing is written to ~/.config/code-server.
    '--config', path.join(options.userDataDir, 'code-server.yaml'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust === true ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    // A built workbench honours the URL's `payload` (extension development path, tests path)
    // only with the smoke-test driver on; it also adds window.codeAutomationExit/Log for tests.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  // PORT is dropped: code-server would listen on it instead of --bind-addr.
  const child = spawn(installation.node, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: undefined } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new HarnessError(`code-server did not start listening within ${timeoutMs / 1000} s. Its output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const listening = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new HarnessError(`Could not start code-server with ${installation.node}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new HarnessError(`code-server exited (${signal ?? `code ${code}`}) before listening. Its output:\n${output}`));
    });
  });
  return {
    origin,
    port: Number(new URL(origin).port),
    log: () => output,
    exited,
    stop: () => stopProcess(child),
  };
}

/** SIGTERM, then SIGKILL if the process lingers. */
function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// Runs the real `dist/cli.js` as a child process against a real local HTTP server,
// so CLI tests cover argument parsing, the engine, reporters and exit codes end to end.

import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root: tests run from it (`npm run test:unit`). */
export const repositoryRoot = resolve(process.cwd());
export const cliPath = join(repositoryRoot, 'dist', 'cli.js');

/** Builds the bundles once when `dist/cli.js` (or a command's bundle) is missing (a bare `node --test` without `npm run build`). */
export function ensureBuilt(): void {
  if (!['cli.js', 'cli-import-postman.js', 'postman-collection.js'].every((bundle) => existsSync(join(repositoryRoot, 'dist', bundle)))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repositoryRoot, stdio: 'inherit' });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ...args` without a TTY and without colour variables from the outer environment. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Starts the CLI and hands back the child, for tests that signal it while it runs. */
export function startCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...options.env };
  let child: ChildProcess | undefined;
  const done = new Promise<CliResult>((resolvePromise) => {
    child = execFile(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? repositoryRoot, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolvePromise({ code, stdout, stderr });
    });
  });
  if (child === undefined) throw new Error('execFile did not start a child process');
  return { child, done };
}

/** Parses json-reporter output. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The json reporter's request records, without the lines a stream's messages were printed on as they came. */
export function requestRecords(stdout: string): Record<string, unknown>[] {
  return jsonLines(stdout).filter((record) => !('message' in record));
}

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Every request received, as `METHOD /path`. */
  readonly received: string[];
  close(): Promise<void>;
}

/** Bytes of `/big`: larger than any in-memory body limit, so the engine spills it to disk. */
export const bigBodySize = 24 * 1024 * 1024;

/** A local server with the routes the CLI tests need. */
export async function startTestServer(): Promise<TestServer> {
  const received: string[] = [];
  const server: Server = createServer((request, response) => {
    received.push(`${request.method ?? ''} ${request.url ?? ''}`);
    route(request, response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

function route(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(value));
  };
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (status !== null) return json(Number(status[1]), { status: Number(status[1]) });
  switch (url.pathname) {
    case '/json':
      return json(200, { hello: 'world', query: url.searchParams.get('q') });
    case '/login':
      return json(200, { token: 'secret-token' });
    case '/me':
      return request.headers.authorization === 'Bearer secret-token' ? json(200, { user: 'ada' }) : json(401, { error: 'no token' });
    case '/set-cookie':
      return json(200, { set: true }, { 'set-cookie': `session=${url.searchParams.get('value') ?? 'abc'}; Path=/; Max-Age=3600` });
    case '/cookie':
      return json(200, { cookie: request.headers.cookie ?? null });
    case '/slow': {
      const timer = setTimeout(() => json(200, { slow: true }), Number(url.searchParams.get('ms') ?? '2000'));
      response.on('close', () => clearTimeout(timer));
      return;
    }
    case '/big': {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bigBodySize) });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < bigBodySize) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      return pump();
    }
    default:
      return json(404, { error: 'not found' });
  }
}

/** A fresh temp folder with the given files written in it. */
export async function tempFolder(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'courier-cli-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(folder, name), content);
  return folder;
}

// Measures what the editor shows on a folder of real-world `.http` files (other tools' examples:
// httpYac, kulala, JetBrains): every `.http`/`.rest` file under the folder is opened in a fresh
// `node dist/server.js --stdio`, as VS Code opens it, and its pulled diagnostics are tallied. Two
// runs saved with --json can be compared, so a dialect change is judged by figures, not by eye.
//   npm run corpus -- FOLDER [--per-subfolder] [--env NAME] [--warnings] [--json OUT.json] [--server PATH] [--timeout MS]
//   npm run corpus -- --compare BEFORE.json AFTER.json
// Exit code: 0 measured (a file the server fails on is a finding, reported, not a crash), 2 the run could not be made.

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { connectToProcess, pullClientCapabilities, type TestClient } from '../test/unit/server/lspClient';
import { repositoryRoot } from '../test/harness/repositoryLayout';

const usage = `Usage:
  npm run corpus -- FOLDER [options]      diagnose every .http/.rest file under FOLDER
  npm run corpus -- --compare BEFORE.json AFTER.json
Options:
  --per-subfolder   open each subfolder of FOLDER as its own workspace (one repository each), as
                    a user opening that repository would; files directly in FOLDER form one more
  --env NAME        the selected environment (default: none, as on a first start)
  --warnings        list each warning too, not only each error
  --json OUT        also write the results to OUT, for --compare
  --server PATH     the language server bundle (default: dist/server.js of this checkout)
  --timeout MS      how long one file's diagnostics may take before the file is a failure (default 20000)`;

class UsageError extends Error {}

type Severity = 'error' | 'warning' | 'information' | 'hint';

interface FileDiagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  /** 1-based, as an editor shows it. */
  readonly line: number;
  readonly character: number;
}

interface FileResult {
  /** Relative to the measured folder, with `/`. */
  readonly file: string;
  readonly diagnostics: readonly FileDiagnostic[];
  /** Set when the server crashed, timed out or logged a failure for this file. */
  readonly failure?: string;
}

interface RunResults {
  readonly kind: 'courier-dialect-corpus';
  readonly folder: string;
  readonly server: string;
  /** The hash and subject of the checkout's last commit, when the server is in a git checkout. */
  readonly serverCommit: string | undefined;
  readonly environment: string | undefined;
  readonly perSubfolder: boolean;
  readonly date: string;
  readonly files: readonly FileResult[];
  /** What the server pushed for files it reads beside the documents (env files), by path. */
  readonly otherFiles: readonly FileResult[];
}

interface MeasureOptions {
  readonly folder: string;
  readonly perSubfolder: boolean;
  readonly environment: string | undefined;
  readonly warnings: boolean;
  readonly json: string | undefined;
  readonly server: string;
  readonly timeoutMs: number;
}

type Command = { readonly kind: 'measure'; readonly options: MeasureOptions } | { readonly kind: 'compare'; readonly before: string; readonly after: string };

function parseCommand(argv: readonly string[]): Command {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'per-subfolder': { type: 'boolean' },
      env: { type: 'string' },
      warnings: { type: 'boolean' },
      json: { type: 'string' },
      server: { type: 'string' },
      timeout: { type: 'string' },
      compare: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) throw new UsageError('');
  if (values.compare === true) {
    const [before, after, ...rest] = positionals;
    if (before === undefined || after === undefined || rest.length > 0) throw new UsageError('--compare takes two JSON files written by --json: BEFORE.json AFTER.json');
    return { kind: 'compare', before, after };
  }
  const [folder, ...rest] = positionals;
  if (folder === undefined || rest.length > 0) throw new UsageError('give one folder to measure');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${folder} is not a folder`);
  const timeout = values.timeout ?? '20000';
  if (!/^\d+$/.test(timeout) || Number(timeout) < 100) throw new UsageError(`--timeout takes milliseconds, at least 100, not '${timeout}'`);
  const server = resolve(values.server ?? join(repositoryRoot, 'dist', 'server.js'));
  if (!existsSync(server)) throw new UsageError(`no language server at ${server}: run \`node esbuild.mjs\` first, or pass --server`);
  return {
    kind: 'measure',
    options: {
      folder: resolve(folder),
      perSubfolder: values['per-subfolder'] === true,
      environment: values.env,
      warnings: values.warnings === true,
      json: values.json,
      server,
      timeoutMs: Number(timeout),
    },
  };
}

/** Every `.http`/`.rest` file under `folder`, sorted, skipping node_modules and git folders. */
function httpFilesUnder(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(path);
      } else if (entry.isFile() && /\.(http|rest)$/i.test(entry.name)) {
        found.push(path);
      }
    }
  };
  walk(folder);
  return found.sort();
}

interface Workspace {
  readonly root: string;
  readonly files: readonly string[];
}

/** One workspace for the folder, or one per subfolder (files directly in the folder form the last). */
function workspacesOf(folder: string, files: readonly string[], perSubfolder: boolean): Workspace[] {
  if (!perSubfolder) return [{ root: folder, files }];
  const byRoot = new Map<string, string[]>();
  for (const file of files) {
    const first = relative(folder, file).split(sep)[0] ?? '';
    const root = file === join(folder, first) ? folder : join(folder, first);
    byRoot.set(root, [...(byRoot.get(root) ?? []), file]);
  }
  return [...byRoot].map(([root, rootFiles]) => ({ root, files: rootFiles }));
}

const severities: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

interface LspDiagnostic {
  readonly severity?: number;
  readonly code?: string | number;
  readonly message: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number } };
}

function toFileDiagnostic(diagnostic: LspDiagnostic): FileDiagnostic {
  return {
    // LSP leaves an absent severity to the client; VS Code shows it as an error.
    severity: severities[diagnostic.severity ?? 1] ?? 'error',
    code: diagnostic.code === undefined ? '(no code)' : String(diagnostic.code),
    message: diagnostic.message,
    line: diagnostic.range.start.line + 1,
    character: diagnostic.range.start.character,
  };
}

/** A language server process for one workspace, as VS Code would start it. */
class ServerSession {
  private exited: string | undefined;
  private stderr = '';
  /** Refresh requests received by the end of `settle()`: one after that means the answers so far are stale. */
  private settledRefreshes = 0;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly client: TestClient,
  ) {
    child.stderr.on('data', (chunk: Buffer) => {
      // Only the tail matters for a report; a chatty server must not grow this without bound.
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = `the server exited (${signal ?? `code ${code ?? 'none'}`})${this.stderr.trim() === '' ? '' : `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`}`;
    });
    // Writing to a server that died must end in a reported failure, not an unhandled EPIPE.
    child.stdin.on('error', () => undefined);
  }

  static async start(server: string, root: string, environment: string | undefined, timeoutMs: number): Promise<ServerSession> {
    const child = spawn(process.execPath, [server, '--stdio'], { cwd: root });
    const client = connectToProcess(child);
    // No environment selected unless asked: what a user sees on first opening the folder.
    client.connection.onRequest('workspace/configuration', (params: { readonly items: readonly { readonly section?: string }[] }) =>
      params.items.map((item) => (item.section === 'courier' && environment !== undefined ? { environment } : item.section === 'courier' ? {} : null)),
    );
    const session = new ServerSession(child, client);
    const rootUri = pathToFileURL(root).href;
    try {
      await session.within('initialize', timeoutMs, client.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: root.split(sep).pop() ?? root }],
        capabilities: pullClientCapabilities,
      }));
      await client.connection.sendNotification('initialized', {});
    } catch (error) {
      // A server that hangs on start must not outlive the run.
      session.dispose();
      throw error;
    }
    await session.settle();
    return session;
  }

  /** Whether the server asked for diagnostics again since it settled. */
  get refreshedSinceSettled(): boolean {
    return this.client.refreshes.count > this.settledRefreshes;
  }

  /**
   * The server reads the workspace's files for script globals a moment after it starts and asks
   * for diagnostics again when it finds some; waiting for that (or 2.5 s when it finds none) gives
   * what an editor shows once it has been open a moment, not its very first answer.
   */
  private async settle(): Promise<void> {
    const deadline = Date.now() + 2500;
    while (this.client.refreshes.count === 0 && this.exited === undefined && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 20));
    }
    this.settledRefreshes = this.client.refreshes.count;
  }

  async open(path: string, text: string): Promise<void> {
    await this.client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(path).href, languageId: 'http', version: 1, text } });
  }

  /** The document's diagnostics, or a failure: the server died, did not answer, or logged that it failed. */
  async diagnose(path: string, timeoutMs: number): Promise<{ readonly diagnostics: readonly FileDiagnostic[]; readonly failure?: string }> {
    const uri = pathToFileURL(path).href;
    const logsBefore = this.client.logs.length;
    try {
      const report = await this.within('textDocument/diagnostic', timeoutMs, this.client.connection.sendRequest<{ readonly items?: readonly LspDiagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } }));
      const diagnostics = (report.items ?? []).map(toFileDiagnostic);
      // The server answers an exception in a feature with an empty list and a log line naming the document.
      const failed = this.client.logs.slice(logsBefore).filter((line) => line.includes(uri) && /failed/i.test(line));
      return failed.length === 0 ? { diagnostics } : { diagnostics, failure: failed.map((line) => line.split('\n').slice(0, 3).join(' | ')).join(' || ') };
    } catch (error) {
      return { diagnostics: [], failure: error instanceof Error ? error.message : String(error) };
    }
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** What the server pushed for files that are not documents it was asked about (env files). */
  pushedFor(exclude: ReadonlySet<string>): { readonly uri: string; readonly diagnostics: readonly FileDiagnostic[] }[] {
    const latest = new Map<string, readonly LspDiagnostic[]>();
    for (const published of this.client.published) {
      if (!exclude.has(published.uri)) latest.set(published.uri, published.diagnostics as readonly LspDiagnostic[]);
    }
    return [...latest].map(([uri, diagnostics]) => ({ uri, diagnostics: diagnostics.map(toFileDiagnostic) }));
  }

  dispose(): void {
    this.client.connection.dispose();
    if (this.exited === undefined) this.child.kill();
  }

  /** `pending`, or a rejection naming `what` when the server exits or does not answer in time. */
  private within<T>(what: string, timeoutMs: number, pending: Promise<T>): Promise<T> {
    return new Promise<T>((resolvePending, reject) => {
      const timer = setTimeout(() => reject(new Error(this.exited ?? `no answer to ${what} in ${timeoutMs} ms`)), timeoutMs);
      const poll = setInterval(() => {
        if (this.exited !== undefined) reject(new Error(this.exited));
      }, 20);
      pending.then(resolvePending, (error: unknown) => reject(new Error(this.exited ?? `${what} failed: ${error instanceof Error ? error.message : String(error)}`))).finally(() => {
        clearTimeout(timer);
        clearInterval(poll);
      });
    });
  }
}

function toKey(folder: string, path: string): string {
  return relative(folder, path).split(sep).join('/');
}

async function measureWorkspace(workspace: Workspace, options: MeasureOptions, progress: (done: number) => void): Promise<{ files: FileResult[]; otherFiles: FileResult[] }> {
  const results = new Map<string, FileResult>();
  const otherFiles: FileResult[] = [];
  let session: ServerSession | undefined;
  let open: string[] = [];
  const retire = (): void => {
    if (session === undefined) return;
    const documents = new Set(open.map((path) => pathToFileURL(path).href));
    for (const pushed of session.pushedFor(documents)) {
      const path = pushed.uri.startsWith('file:') ? fileURLToPath(pushed.uri) : pushed.uri;
      otherFiles.push({ file: toKey(options.folder, path), diagnostics: pushed.diagnostics });
    }
    session.dispose();
    session = undefined;
    open = [];
  };
  for (const path of workspace.files) {
    const file = toKey(options.folder, path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      results.set(path, { file, diagnostics: [], failure: `cannot read: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    if (session === undefined) {
      try {
        session = await ServerSession.start(options.server, workspace.root, options.environment, options.timeoutMs);
      } catch (error) {
        results.set(path, { file, diagnostics: [], failure: `the server did not start: ${error instanceof Error ? error.message : String(error)}` });
        retire();
        continue;
      }
    }
    await session.open(path, text);
    open.push(path);
    const outcome = await session.diagnose(path, options.timeoutMs);
    results.set(path, { file, ...outcome });
    progress(results.size);
    // A file that killed or hung the server is a finding; the next file gets a fresh server.
    if (!session.alive || (outcome.failure !== undefined && /exited|no answer/.test(outcome.failure))) retire();
  }
  // Script globals found by the server's workspace scan after a file was pulled change what it
  // shows; the editor pulls again on the refresh, and so does this measurement.
  if (session?.refreshedSinceSettled === true) {
    for (const path of open) {
      const previous = results.get(path);
      if (previous?.failure !== undefined) continue;
      results.set(path, { file: toKey(options.folder, path), ...(await session.diagnose(path, options.timeoutMs)) });
    }
  }
  retire();
  return { files: workspace.files.map((path) => results.get(path)).filter((result): result is FileResult => result !== undefined), otherFiles };
}

function serverCommitOf(server: string): string | undefined {
  try {
    const line = execFileSync('git', ['-C', dirname(server), 'log', '-1', '--format=%h %s'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // Courier's subjects run long; the hash identifies the commit, the start of the subject reminds.
    return line.length > 80 ? `${line.slice(0, 79)}…` : line;
  } catch {
    return undefined;
  }
}

const count = (file: FileResult, severity: Severity): number => file.diagnostics.filter((diagnostic) => diagnostic.severity === severity).length;
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' / ');
const percent = (part: number, whole: number): string => (whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`);

function summaryLine(files: readonly FileResult[]): string {
  const withErrors = files.filter((file) => count(file, 'error') > 0).length;
  const withWarnings = files.filter((file) => count(file, 'warning') > 0).length;
  const failures = files.filter((file) => file.failure !== undefined).length;
  return `${files.length} files, ${withErrors} with errors (${percent(withErrors, files.length)}), ${withWarnings} with warnings${failures > 0 ? `, ${failures} the server failed on` : ''}`;
}

function printRun(run: RunResults, listWarnings: boolean): void {
  const width = Math.max(4, ...run.files.map((file) => file.file.length));
  console.log(`${'file'.padEnd(width)}  errors  warnings`);
  for (const file of run.files) {
    console.log(`${file.file.padEnd(width)}  ${String(count(file, 'error')).padStart(6)}  ${String(count(file, 'warning')).padStart(8)}${file.failure === undefined ? '' : '  SERVER FAILED'}`);
    if (file.failure !== undefined) console.log(`    failure: ${oneLine(file.failure)}`);
    for (const diagnostic of file.diagnostics) {
      if (diagnostic.severity === 'error' || (listWarnings && diagnostic.severity === 'warning')) {
        console.log(`    ${diagnostic.severity === 'error' ? 'E' : 'W'} line ${diagnostic.line}  ${diagnostic.code}  ${oneLine(diagnostic.message)}`);
      }
    }
  }
  const reported = run.otherFiles.filter((file) => file.diagnostics.length > 0);
  if (reported.length > 0) {
    console.log('\nOther files the server read (env files):');
    for (const file of reported) {
      for (const diagnostic of file.diagnostics) console.log(`  ${file.file}:${diagnostic.line}  ${diagnostic.severity}  ${diagnostic.code}  ${oneLine(diagnostic.message)}`);
    }
  }
  const byCode = new Map<string, { diagnostics: number; files: Set<string> }>();
  for (const file of run.files) {
    for (const diagnostic of file.diagnostics) {
      if (diagnostic.severity !== 'error' && diagnostic.severity !== 'warning') continue;
      const key = `${diagnostic.severity} ${diagnostic.code}`;
      const entry = byCode.get(key) ?? { diagnostics: 0, files: new Set<string>() };
      entry.diagnostics++;
      entry.files.add(file.file);
      byCode.set(key, entry);
    }
  }
  if (byCode.size > 0) {
    console.log('\nBy code (diagnostics in files):');
    for (const [key, entry] of [...byCode].sort((a, b) => b[1].files.size - a[1].files.size || a[0].localeCompare(b[0]))) {
      console.log(`  ${key}: ${entry.diagnostics} in ${entry.files.size} file${entry.files.size === 1 ? '' : 's'}`);
    }
  }
  const folders = new Map<string, FileResult[]>();
  for (const file of run.files) {
    const first = file.file.includes('/') ? (file.file.split('/')[0] ?? '') : '.';
    folders.set(first, [...(folders.get(first) ?? []), file]);
  }
  if (folders.size > 1) {
    console.log('\nBy folder:');
    for (const [folder, files] of folders) console.log(`  ${folder}: ${summaryLine(files)}`);
  }
  console.log(`\n${summaryLine(run.files)}`);
}

async function measure(options: MeasureOptions): Promise<void> {
  const files = httpFilesUnder(options.folder);
  if (files.length === 0) throw new UsageError(`no .http or .rest file under ${options.folder}`);
  const collected: FileResult[] = [];
  const otherFiles: FileResult[] = [];
  let done = 0;
  for (const workspace of workspacesOf(options.folder, files, options.perSubfolder)) {
    const before = done;
    const measured = await measureWorkspace(workspace, options, (inWorkspace) => {
      done = before + inWorkspace;
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${files.length} files`);
    });
    done = before + workspace.files.length;
    collected.push(...measured.files);
    otherFiles.push(...measured.otherFiles);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const run: RunResults = {
    kind: 'courier-dialect-corpus',
    folder: options.folder,
    server: options.server,
    serverCommit: serverCommitOf(options.server),
    environment: options.environment,
    perSubfolder: options.perSubfolder,
    date: new Date().toISOString(),
    files: collected,
    otherFiles,
  };
  console.log(`Courier ${run.serverCommit ?? '(not a git checkout)'}; ${run.folder}; environment: ${run.environment ?? 'none selected'}${run.perSubfolder ? '; one workspace per subfolder' : ''}\n`);
  printRun(run, options.warnings);
  if (options.json !== undefined) {
    writeFileSync(options.json, `${JSON.stringify(run, null, 2)}\n`);
    console.log(`Results written to ${options.json}`);
  }
}

function readRun(path: string): RunResults {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { kind?: unknown }).kind !== 'courier-dialect-corpus' || !Array.isArray((parsed as { files?: unknown }).files)) {
    throw new UsageError(`${path} is not a file written by --json`);
  }
  return parsed as RunResults;
}

const describeDiagnostic = (diagnostic: FileDiagnostic): string => `${diagnostic.severity} line ${diagnostic.line}  ${diagnostic.code}  ${oneLine(diagnostic.message)}`;

/** `from` minus `to`, as a multiset of described diagnostics. */
function missingFrom(from: readonly string[], to: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const key of to) left.set(key, (left.get(key) ?? 0) + 1);
  return from.filter((key) => {
    const remaining = left.get(key) ?? 0;
    if (remaining === 0) return true;
    left.set(key, remaining - 1);
    return false;
  });
}

function compare(beforePath: string, afterPath: string): void {
  const before = readRun(beforePath);
  const after = readRun(afterPath);
  const beforeByFile = new Map(before.files.map((file) => [file.file, file]));
  const afterByFile = new Map(after.files.map((file) => [file.file, file]));
  const names = [...new Set([...beforeByFile.keys(), ...afterByFile.keys()])].sort();
  let changed = 0;
  let fewerErrors = 0;
  let moreErrors = 0;
  for (const name of names) {
    const old = beforeByFile.get(name);
    const now = afterByFile.get(name);
    if (old === undefined || now === undefined) {
      console.log(`${name}: only in ${old === undefined ? afterPath : beforePath}`);
      changed++;
      continue;
    }
    const oldKeys = old.diagnostics.map(describeDiagnostic);
    const nowKeys = now.diagnostics.map(describeDiagnostic);
    const removed = missingFrom(oldKeys, nowKeys);
    const added = missingFrom(nowKeys, oldKeys);
    if (removed.length === 0 && added.length === 0 && old.failure === now.failure) continue;
    changed++;
    const errors = [count(old, 'error'), count(now, 'error')] as const;
    if (errors[1] < errors[0]) fewerErrors++;
    if (errors[1] > errors[0]) moreErrors++;
    console.log(`${name}: errors ${errors[0]} -> ${errors[1]}, warnings ${count(old, 'warning')} -> ${count(now, 'warning')}`);
    if (old.failure !== now.failure) console.log(`    failure: ${old.failure ?? 'none'} -> ${now.failure ?? 'none'}`);
    for (const key of removed) console.log(`    - ${key}`);
    for (const key of added) console.log(`    + ${key}`);
  }
  console.log(`\nbefore (${before.serverCommit ?? beforePath}): ${summaryLine(before.files)}`);
  console.log(`after  (${after.serverCommit ?? afterPath}): ${summaryLine(after.files)}`);
  console.log(`${changed} file${changed === 1 ? '' : 's'} changed: ${fewerErrors} with fewer errors, ${moreErrors} with more`);
}

async function main(): Promise<number> {
  try {
    const command = parseCommand(process.argv.slice(2));
    if (command.kind === 'compare') compare(command.before, command.after);
    else await measure(command.options);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message !== '') console.error(`dialectCorpus: ${error.message}\n`);
      console.error(usage);
      return 2;
    }
    if (error instanceof Error && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`dialectCorpus: ${error.message}\n\n${usage}`);
      return 2;
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);

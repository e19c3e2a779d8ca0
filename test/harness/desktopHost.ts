// `npm run test:desktop`: runs the integration suite in VS Code desktop through
// @vscode/test-electron, against the oldest VS Code `engines.vscode` allows and the
// newest stable. VSCODE_EXECUTABLE=/path/to/code runs it once against that local build
// instead (no download). On a Linux machine without a display, wrap it: `xvfb-run -a npm run test:desktop`.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDir, fixtureWorkspace, integrationTestsEntry, repositoryRoot } from './repositoryLayout';
import { HarnessError, timedStep } from './timedStep';

interface Target {
  /** What the log calls this run. */
  readonly label: string;
  readonly version?: string;
  readonly executable?: string;
}

/** The lowest version `engines.vscode` accepts, e.g. `^1.91.0` -> `1.91.0`. */
function minimumVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as { engines?: { vscode?: string } };
  const range = manifest.engines?.vscode ?? '';
  const version = /(\d+\.\d+\.\d+)/.exec(range)?.[1];
  if (!version) throw new HarnessError(`package.json: engines.vscode is "${range}"; expected a range such as "^1.91.0".`);
  return version;
}

function targets(): Target[] {
  const executable = process.env.VSCODE_EXECUTABLE;
  if (executable) {
    if (!fs.existsSync(executable)) throw new HarnessError(`VSCODE_EXECUTABLE is ${executable}, which does not exist. Point it at a VS Code binary or unset it.`);
    return [{ label: `local VS Code (${executable})`, executable }];
  }
  const minimum = minimumVersion();
  return [
    { label: `VS Code ${minimum} (minimum in engines.vscode)`, version: minimum },
    { label: 'VS Code stable', version: 'stable' },
  ];
}

async function runAgainst(target: Target): Promise<number> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'courier-desktop-test-'));
  try {
    return await runTests({
      ...(target.executable ? { vscodeExecutablePath: target.executable } : { version: target.version, cachePath: cacheDir }),
      extensionDevelopmentPath: repositoryRoot,
      extensionTestsPath: integrationTestsEntry,
      // The desktop host prints the extension host's console as is: no line markers needed.
      extensionTestsEnv: { COURIER_TEST_PLAIN_OUTPUT: '1' },
      launchArgs: [fixtureWorkspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${userDataDir}`],
      timeout: 60_000,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/download|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|getaddrinfo/i.test(reason)) {
      throw new HarnessError(`${target.label}: could not download VS Code (${reason}). Without internet, set VSCODE_EXECUTABLE to a local VS Code, or run \`npm run test:vscode\`.`);
    }
    // runTests rejects with "Test run failed with code N" when the suite fails; the suite's own output said why.
    console.error(`[harness] ${target.label}: ${reason}`);
    return 1;
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(integrationTestsEntry)) throw new HarnessError('out/test/integration/index.js is missing: run `node esbuild.mjs --tests` first.');
  if (!fs.existsSync(path.join(repositoryRoot, 'dist', 'extension.js'))) throw new HarnessError('dist/extension.js is missing: run `npm run build` first.');
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.warn('[harness] No display found: VS Code desktop needs one. If it fails to start, rerun as `xvfb-run -a npm run test:desktop`.');
  }
  let failed = 0;
  for (const target of targets()) {
    const exitCode = await timedStep(`Run the integration suite in ${target.label}`, 20 * 60_000, () => runAgainst(target));
    console.log(`[harness] ${target.label}: ${exitCode === 0 ? 'passed' : `failed (exit code ${exitCode})`}`);
    if (exitCode !== 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    console.error(error instanceof HarnessError ? `\n[harness] ${error.message}` : error);
    process.exit(1);
  },
);

// Finds a program the tests need, installing its Debian package when it is missing and we are
// allowed to (root on a Debian-like system): Chromium for the panel and UI checks, curl for the
// cURL importer's differential test. `npm test` then needs nothing set up by hand.
import * as fs from 'node:fs';
import { runCommand } from './runCommand';
import { HarnessError } from './timedStep';

export interface DebianProgram {
  /** The Debian package, e.g. `chromium`. */
  readonly packageName: string;
  /** Paths where the program may already be, in order of preference. */
  readonly candidates: readonly (string | undefined)[];
  /** What to tell a user who is not root: how to install it or point at it. */
  readonly howToProvide: string;
}

function find(program: DebianProgram): string | undefined {
  return program.candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && fs.existsSync(candidate));
}

/** The path of `program`, installed with apt-get first when it is missing. */
export async function ensureDebianProgram(program: DebianProgram, log: (line: string) => void = console.log): Promise<string> {
  const found = find(program);
  if (found) return found;
  const { packageName } = program;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new HarnessError(`${packageName} is missing. ${program.howToProvide}, then rerun.`);
  }
  log(`[harness] installing ${packageName} with apt-get (once)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', packageName], { timeoutMs: 10 * 60_000, env });
  if (result.exitCode !== 0) {
    // A fresh machine may have no package lists yet.
    await runCommand('apt-get', ['update'], { timeoutMs: 5 * 60_000, env });
    result = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', packageName], { timeoutMs: 10 * 60_000, env });
  }
  const installed = find(program);
  if (result.exitCode !== 0 || !installed) {
    throw new HarnessError(`\`apt-get install -y ${packageName}\` failed (exit ${result.exitCode}). ${program.howToProvide}.\n${result.output.slice(-3000)}`);
  }
  return installed;
}

// Finds a Chromium for Playwright to drive, installing Debian's package when it is
// missing and we are allowed to (root on a Debian-like system).
import * as fs from 'node:fs';
import { runCommand } from './runCommand';
import { HarnessError } from './timedStep';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function findChromium(): string | undefined {
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && fs.existsSync(candidate));
}

/** The path of a Chromium executable. */
export async function ensureChromium(log: (line: string) => void = console.log): Promise<string> {
  const found = findChromium();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new HarnessError('Chromium is missing. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary, then rerun.');
  }
  log('[harness] installing Chromium with apt-get (once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { timeoutMs: 10 * 60_000, env });
  if (result.exitCode !== 0) {
    // A fresh machine may have no package lists yet.
    await runCommand('apt-get', ['update'], { timeoutMs: 5 * 60_000, env });
    result = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { timeoutMs: 10 * 60_000, env });
  }
  const installed = findChromium();
  if (result.exitCode !== 0 || !installed) {
    throw new HarnessError(`\`apt-get install -y chromium\` failed (exit ${result.exitCode}). Install Chromium yourself or set CHROMIUM_PATH.\n${result.output.slice(-3000)}`);
  }
  return installed;
}

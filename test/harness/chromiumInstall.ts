// Finds a Chromium for Playwright to drive, installing Debian's package when it is
// missing and we are allowed to (root on a Debian-like system).
import { ensureDebianProgram } from './debianPackage';

/** The path of a Chromium executable. */
export function ensureChromium(log: (line: string) => void = console.log): Promise<string> {
  return ensureDebianProgram(
    {
      packageName: 'chromium',
      candidates: [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
      howToProvide: 'Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary',
    },
    log,
  );
}

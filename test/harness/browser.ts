// Launches the Chromium that drives code-server's workbench: headless, and with every
// background connection off, since the machine has no network beyond loopback.
import { chromium, type Browser } from 'playwright-core';

const offlineArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Playwright gives every launch a fresh temporary profile, so runs never share state. */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: offlineArgs, timeout: 60_000 });
}

// The demo API (with its identity provider, oidc-provider) as a child process of the extension
// host: `dist/demo-api.js`, which `node esbuild.mjs` builds, on a free port. A process rather than
// an import, so the provider's ESM dependencies stay out of the test bundle.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionId } from './fixture';

export interface DemoApiProcess {
  readonly url: string;
  close(): Promise<void>;
}

export async function startDemoApiProcess(): Promise<DemoApiProcess> {
  const root = vscode.extensions.getExtension(extensionId)?.extensionPath;
  assert.ok(root, `Extension ${extensionId} is not loaded.`);
  const entry = join(root, 'dist', 'demo-api.js');
  assert.ok(existsSync(entry), `${entry} is missing: run \`node esbuild.mjs\` first.`);
  const child = spawn(process.execPath, [entry], { env: { ...process.env, PORT: '0', ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the demo API did not start within 20 s: ${output}`)), 20_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (listening?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(listening[1]);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo API exited with ${code ?? 'a signal'} before listening: ${output}`));
    });
  });
  return { url, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

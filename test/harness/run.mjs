// Runs a TypeScript entry of the harness (or scripts/): bundles it with esbuild into
// out/harness/ (packages stay external, resolved from node_modules) and executes it.
//   node test/harness/run.mjs test/harness/codeServerHost.ts [args...]
// The sources stay type-checked and linted with the rest of the project; Node 20 cannot run .ts itself.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { basename, resolve } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('Usage: node test/harness/run.mjs <entry.ts> [args...]');
  process.exit(2);
}
const outfile = resolve('out/harness', basename(entry).replace(/\.ts$/, '.js'));
await esbuild.build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
// A child process, so the entry owns its signals and its exit code is passed straight through.
const child = spawn(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// `npm run bench`: runs every bundled benchmark (test/bench/*.bench.ts) in its own process,
// so one benchmark's heap never skews another's memory figures. Names after the script pick
// some of them: `node scripts/bench.mjs lsp diagnostics` after `node esbuild.mjs --tests`.
// The LSP benchmark (lsp.bench.ts) starts `node dist/server.js --stdio`: `npm run bench` builds it first.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'out/test/bench';
const wanted = new Set(process.argv.slice(2));
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.js'))
  .filter((name) => wanted.size === 0 || wanted.has(name.replace(/\.bench\.js$/, '')))
  .sort();
if (benches.length === 0) {
  console.error(`No benchmark named ${[...wanted].join(', ')} in ${dir}: run \`node esbuild.mjs --tests\` first, or pick from test/bench/*.bench.ts.`);
  process.exit(2);
}
for (const name of benches) {
  console.log(`\n== ${name.replace(/\.bench\.js$/, '')} ==`);
  execFileSync(process.execPath, ['--expose-gc', join(dir, name)], { stdio: 'inherit' });
}

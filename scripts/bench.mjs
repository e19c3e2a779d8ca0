// `npm run bench`: runs every bundled benchmark (test/bench/*.bench.ts) in its own process,
// so one benchmark's heap never skews another's memory figures.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'out/test/bench';
const benches = readdirSync(dir).filter((name) => name.endsWith('.bench.js')).sort();
for (const name of benches) {
  console.log(`\n== ${name.replace(/\.bench\.js$/, '')} ==`);
  execFileSync(process.execPath, ['--expose-gc', join(dir, name)], { stdio: 'inherit' });
}

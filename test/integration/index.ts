// Entry point the extension host loads (`--extensionTestsPath`): runs every bundled
// `*.test.js` beside this file with mocha and resolves only when all of them pass.
// Mocha is bundled in (not required from node_modules): mocha 12 needs require(esm),
// which the Node inside older VS Code builds (1.91 ships Node 20.9) does not have.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';
import { reporterLinePrefix } from './reporterLine';

export async function run(): Promise<void> {
  // Formatted here: the web workbench would forward the format string and its arguments apart.
  const prefix = process.env.COURIER_TEST_PLAIN_OUTPUT ? '' : reporterLinePrefix;
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => console.log(prefix + util.format(...data));
  const mocha = new Mocha({
    ui: 'tdd',
    // The spec reporter prints each case as it finishes; the host forwards console lines.
    reporter: 'spec',
    color: false,
    // Language server start-up on a cold, two-core CI machine can take a while.
    timeout: 60_000,
    ...(process.env.COURIER_TEST_GREP ? { grep: process.env.COURIER_TEST_GREP } : {}),
  });
  const testFiles = fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  if (testFiles.length === 0) {
    throw new Error(`No *.test.js files in ${__dirname}: run \`node esbuild.mjs --tests\` first.`);
  }
  for (const name of testFiles) mocha.addFile(path.join(__dirname, name));

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}

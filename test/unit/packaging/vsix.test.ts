// `npm run package` must keep producing a .vsix with only what the installed extension needs.
// Packaging is not part of the other tests, so a README link or an ignore rule could break it
// silently: this packages the current build into a temp folder and reads the archive's list.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = process.cwd();

test('the .vsix holds the bundles (Postman\'s library for the importers included), the script worker and its WebAssembly, grammar, language configuration, manifest, README, licence and icon, and nothing else', () => {
  if (!existsSync(join(root, 'dist', 'extension.js'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root });
  const folder = mkdtempSync(join(tmpdir(), 'courier-vsix-'));
  try {
    const vsix = join(folder, 'courier.vsix');
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    // `npm run package`'s own vsce arguments, minus its production build, so dist/ is left as it is.
    const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.package ?? '';
    // Up to the next command: the script rebuilds dist/ for development after packaging.
    const vsceArguments = (script.slice(script.indexOf('vsce package') + 'vsce '.length).split('&&')[0] ?? '').trim().split(/\s+/);
    assert.equal(vsceArguments[0], 'package', `npm run package runs vsce package: ${script}`);
    execFileSync(process.execPath, [vsce, ...vsceArguments, '--out', vsix], { cwd: root, stdio: 'pipe' });
    // python3 is on every machine of this kind (unzip is not guaranteed): list the archive's names.
    const listing = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' });
    const files = listing.split('\n').filter((name) => name.startsWith('extension/')).sort();
    assert.deepEqual(files, [
      'extension/LICENSE.txt',
      'extension/dist/cli-import-openapi.js',
      'extension/dist/cli-import-postman.js',
      'extension/dist/cli-run.js',
      'extension/dist/cli.js',
      'extension/dist/extension.js',
      'extension/dist/postman-collection.js',
      'extension/dist/quickjs.wasm',
      'extension/dist/scriptWorker.js',
      'extension/dist/server.js',
      'extension/dist/webview.css',
      'extension/dist/webview.js',
      'extension/images/icon.png',
      'extension/language-configuration.json',
      'extension/package.json',
      'extension/readme.md',
      'extension/syntaxes/http.tmLanguage.json',
    ]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

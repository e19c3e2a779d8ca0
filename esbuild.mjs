// Builds every bundle Courier ships, plus the test bundles.
//   node esbuild.mjs              extension, language server, CLI, webview -> dist/
//   node esbuild.mjs --tests      unit and integration tests -> out/test/
//   node esbuild.mjs --watch      rebuild dist/ on change
//   node esbuild.mjs --production minified, no source maps (for packaging)
// Type-checking is separate (`npm run typecheck`): esbuild only strips types.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve as resolvePath } from 'node:path';

const args = new Set(process.argv.slice(2));
// From the manifest itself, not npm's environment: `node esbuild.mjs` (F5's task, watch) must stamp
// the same version into the User-Agent as `npm run build`.
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const watch = args.has('--watch');
const production = args.has('--production');
const tests = args.has('--tests');

/** Options shared by every Node bundle: CommonJS so VS Code can `require` it; ESM-only deps are bundled in. */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // `vscode` is provided by the extension host; never bundle it.
  external: ['vscode'],
  define: { 'process.env.COURIER_VERSION': JSON.stringify(version) },
};

/** All files under `dir` whose name matches `pattern`. */
function filesUnder(dir, pattern) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * `courier --help` should not read and compile the engine (most of the CLI's 1.6 MB): cli/cli.ts
 * imports `./run` only for `courier run`, and here that import becomes a require of a second
 * bundle, dist/cli-run.js, built from cli/run.ts. `courier import postman` is a third,
 * dist/cli-import-postman.js (Postman's library is 2 MB more).
 */
const cliCommandBundles = { './run': './cli-run.js', './importPostman': './cli-import-postman.js', './importOpenApi': './cli-import-openapi.js' };
const cliRunInItsOwnBundle = {
  name: 'cli-run-in-its-own-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/(run|importPostman|importOpenApi)$/ }, (args) => (args.importer === resolvePath('cli/cli.ts') ? { path: cliCommandBundles[args.path], external: true } : undefined));
  },
};

/**
 * The script sandbox's worker: its own bundle, the only one holding QuickJS, started on a run's first
 * script (engine/scripts/sandbox.ts), with the WebAssembly file it reads copied beside it.
 */
function scriptWorkerBundle(outdir) {
  const resolveForRequire = createRequire(import.meta.url).resolve;
  mkdirSync(outdir, { recursive: true });
  copyFileSync(resolveForRequire('@jitl/quickjs-wasmfile-release-sync/wasm'), join(outdir, 'quickjs.wasm'));
  // The variant loads its Emscripten glue with import(), which would pick the ESM file (it needs
  // import.meta.url, empty in a CommonJS bundle); the CommonJS file finds its way with __dirname.
  const emscriptenGlue = '@jitl/quickjs-wasmfile-release-sync/emscripten-module';
  const commonJsGlue = { name: 'quickjs-commonjs-glue', setup: (build) => build.onResolve({ filter: /^@jitl\/quickjs-wasmfile-release-sync\/emscripten-module$/ }, () => ({ path: resolveForRequire(emscriptenGlue) })) };
  return { ...node, entryPoints: ['engine/scripts/scriptWorker.ts'], outfile: join(outdir, 'scriptWorker.js'), plugins: [commonJsGlue] };
}

/**
 * Importing a Postman collection needs Postman's library (about 2 MB with lodash, faker and
 * iconv-lite); in extension.js it would be read at every activation. So the extension and the CLI's
 * import bundle require it from a bundle of its own, dist/postman-collection.js, on first use.
 */
const postmanCollectionBeside = {
  name: 'postman-collection-beside',
  setup(build) {
    build.onResolve({ filter: /^postman-collection$/ }, () => ({ path: './postman-collection.js', external: true }));
  },
};

function productBundles() {
  const bundles = [
    { ...node, entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', plugins: [postmanCollectionBeside] },
    { ...node, entryPoints: [createRequire(import.meta.url).resolve('postman-collection')], outfile: 'dist/postman-collection.js' },
    { ...node, entryPoints: ['server/server.ts'], outfile: 'dist/server.js' },
    // A plain require of the second bundle: a dynamic import() would start Node's ESM loader too.
    { ...node, entryPoints: ['cli/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [cliRunInItsOwnBundle], supported: { 'dynamic-import': false } },
    { ...node, entryPoints: ['cli/run.ts'], outfile: 'dist/cli-run.js' },
    { ...node, entryPoints: ['cli/importPostman.ts'], outfile: 'dist/cli-import-postman.js', plugins: [postmanCollectionBeside] },
    // `courier import openapi`: the spec parser (@readme/openapi-parser, yaml) is not for `courier --help`.
    { ...node, entryPoints: ['cli/importOpenApi.ts'], outfile: 'dist/cli-import-openapi.js' },
    scriptWorkerBundle('dist'),
    // The language server loads OpenAPI specs in a worker thread started from this file (engine/openapi/specWorker.ts).
    { ...node, entryPoints: ['engine/openapi/specWorker.ts'], outfile: 'dist/openApiSpecWorker.js' },
  ];
  if (existsSync('samples/demo-api/main.ts')) {
    bundles.push({ ...node, entryPoints: ['samples/demo-api/main.ts'], outfile: 'dist/demo-api.js', external: demoApiExternals });
  }
  if (existsSync('client/webview/main.ts')) {
    bundles.push({
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      sourcemap: production ? false : 'inline',
      minify: production,
      logLevel: 'warning',
      entryPoints: ['client/webview/main.ts'],
      outfile: 'dist/webview.js',
    });
  }
  return bundles;
}

/**
 * What the demo API requires from node_modules instead of bundling: @grpc/reflection reads its
 * .proto files beside its own sources. The demo and the tests run from a checkout, never packaged.
 */
const demoApiExternals = [...node.external, '@grpc/reflection'];

function testBundles() {
  rmSync('out/test', { recursive: true, force: true });
  const unit = filesUnder('test/unit', /\.test\.ts$/);
  const integration = filesUnder('test/integration', /\.ts$/);
  const bench = filesUnder('test/bench', /\.bench\.ts$/);
  // Outside out/test/: `node --test` would run every .js file under a folder named test.
  const bundles = [scriptWorkerBundle('out/scripts')];
  if (unit.length > 0) {
    bundles.push({ ...node, entryPoints: unit, outdir: 'out/test/unit', outbase: 'test/unit', sourcemap: 'inline', external: demoApiExternals });
  }
  if (integration.length > 0) {
    // Mocha is bundled into index.js: mocha 12 needs require(esm), which the Node inside
    // older VS Code builds lacks. Its parallel mode (never used here) trips a require.resolve warning.
    bundles.push({ ...node, entryPoints: integration, outdir: 'out/test/integration', outbase: 'test/integration', sourcemap: 'inline', external: demoApiExternals, logOverride: { 'require-resolve-not-external': 'silent' } });
  }
  if (bench.length > 0) {
    bundles.push({ ...node, entryPoints: bench, outdir: 'out/test/bench', outbase: 'test/bench', external: demoApiExternals });
  }
  return bundles;
}

const bundles = tests ? testBundles() : productBundles();
if (watch) {
  for (const options of bundles) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('[esbuild] watching for changes...');
} else {
  await Promise.all(bundles.map((options) => esbuild.build(options)));
}

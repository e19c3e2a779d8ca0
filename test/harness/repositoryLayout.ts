// Where the harness finds the extension, the fixtures and its caches. Everything is
// relative to the repository root, so the harness works from any current directory.
import * as path from 'node:path';

/** The repository root (the folder holding package.json); the bundle lives in out/harness/. */
export const repositoryRoot = path.resolve(__dirname, '..', '..');

/** Git-ignored cache for downloaded editors (code-server, VS Code builds). */
export const cacheDir = path.join(repositoryRoot, '.vscode-test');

/** The workspace folder the integration suite opens. */
export const fixtureWorkspace = path.join(repositoryRoot, 'test', 'fixtures', 'workspace');

/** The bundled mocha suite (`node esbuild.mjs --tests`). */
export const integrationTestsEntry = path.join(repositoryRoot, 'out', 'test', 'integration', 'index.js');

/** Git-ignored folder for screenshots and logs a run leaves behind. */
export const testOutputDir = path.join(repositoryRoot, 'test-output');

// One warm sandbox for a test file, on the worker bundle `node esbuild.mjs --tests` writes to
// out/scripts/ (outside out/test/, which `node --test` would run), and inputs with defaults.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptSandbox } from '../../../../engine/scripts/sandbox';
import { type ScriptInput, type ScriptLimits } from '../../../../engine/scripts/scriptTypes';

export const testWorkerFile = join(process.cwd(), 'out', 'scripts', 'scriptWorker.js');

export function testSandbox(limits?: Partial<ScriptLimits>): ScriptSandbox {
  if (!existsSync(testWorkerFile)) throw new Error(`${testWorkerFile} is missing: run the unit tests with npm run test:unit (node esbuild.mjs --tests builds it)`);
  return new ScriptSandbox({ workerFile: testWorkerFile, ...(limits === undefined ? {} : { limits }) });
}

/** A handler script for `requests.http`, starting at line 1 column 1 unless offsets are given. */
export function scriptInput(source: string, overrides: Partial<ScriptInput> = {}): ScriptInput {
  return { source, fileName: 'requests.http', lineOffset: 0, columnOffset: 0, globals: {}, environment: {}, requestVariables: {}, ...overrides };
}

/** A JSON response, as most handlers read. */
export const jsonResponse = { status: 200, headers: [['Content-Type', 'application/json; charset=utf-8'], ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']] as [string, string][], body: '{"token":"abc","items":[{"id":1},{"id":2}]}' };

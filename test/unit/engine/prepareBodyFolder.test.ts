// A relative body file resolves from the `.http` file's folder, or from the working directory
// for an unsaved document. The folder is worked out only when a body file needs it.

import { strict as assert } from 'node:assert';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { prepareRequest, type PrepareResult } from '../../../engine/prepare';
import { Resolver } from '../../../engine/variables';
import { parse } from '../../../language/parser';

function prepare(text: string, file: string | undefined): PrepareResult {
  const document = parse(text);
  const request = document.requests[0];
  assert.ok(request, 'no request in the text');
  const none = new Map<string, string>();
  const resolver = new Resolver({
    overrides: none,
    fileVariables: none,
    environment: none,
    prompted: none,
    sentRequest: () => undefined,
    system: { now: () => new Date(0), random: () => 0, uuid: () => 'u', processEnv: () => undefined, dotenv: () => undefined },
  });
  return prepareRequest({ document, request, file, resolver });
}

describe('body files resolve from a folder', () => {
  test("a saved document's relative body file comes from the file's folder", () => {
    const folder = realpathSync(mkdtempSync(join(tmpdir(), 'courier-body-folder-')));
    writeFileSync(join(folder, 'payload.json'), '{}');
    const result = prepare('POST https://api.test/\n\n< ./payload.json\n', join(folder, 'api.http'));
    assert.ok('prepared' in result, 'error' in result ? result.error.message : '');
    assert.deepEqual(result.prepared.body, [{ path: join(folder, 'payload.json') }]);
  });

  test("an unsaved document's relative body file comes from the working directory", () => {
    const folder = realpathSync(mkdtempSync(join(tmpdir(), 'courier-body-cwd-')));
    writeFileSync(join(folder, 'payload.json'), '{}');
    const previous = process.cwd();
    process.chdir(folder);
    try {
      const result = prepare('POST https://api.test/\n\n< ./payload.json\n', undefined);
      assert.ok('prepared' in result, 'error' in result ? result.error.message : '');
      assert.deepEqual(result.prepared.body, [{ path: join(folder, 'payload.json') }]);
      const missing = prepare('POST https://api.test/\n\n< ./missing.json\n', undefined);
      assert.ok('error' in missing, 'should not prepare');
      assert.equal(missing.error.message, `untitled:3: file ./missing.json not found (looked for ${join(folder, 'missing.json')}): fix the path, relative to the .http file's folder`);
    } finally {
      process.chdir(previous);
    }
  });
});

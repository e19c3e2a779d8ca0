// A send from the editor reads each env file once: the extension reads them to split the chosen
// environment between the files and `courier.environments`, then hands what it read to the runner.
import { strict as assert } from 'node:assert';
import fs, { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { loadEnvironmentForSend, privateEnvironmentFileName, privateEnvironmentValuesOf, publicEnvironmentFileName } from '../../../engine/environments';
import type { Exchange, PreparedRequest } from '../../../engine/model';
import { privateEnvironmentValues } from '../../../engine/redaction';
import { Runner, type RequestSender } from '../../../engine/runner';
import { responseExchange } from '../cli/exchangeFixtures';

const envFileNames = new Set([publicEnvironmentFileName, privateEnvironmentFileName]);

/** Counts reads of each env file while `body` runs. */
async function countEnvFileReads(t: TestContext, body: () => Promise<void>): Promise<Map<string, number>> {
  const reads = new Map<string, number>();
  const original = fs.readFileSync;
  t.mock.method(fs, 'readFileSync', (...args: Parameters<typeof fs.readFileSync>) => {
    const [path] = args;
    if (typeof path === 'string' && envFileNames.has(basename(path))) reads.set(basename(path), (reads.get(basename(path)) ?? 0) + 1);
    return original(...args);
  });
  await body();
  t.mock.restoreAll();
  return reads;
}

/** A sender that records the URLs it is asked to send and answers 200. */
function recordingSender(urls: string[]): RequestSender {
  return {
    send: (request: PreparedRequest): Promise<Exchange> => {
      urls.push(request.url);
      return Promise.resolve(responseExchange({ url: request.url }));
    },
  };
}

/** What `client/sending.ts` does for one send: one read of the env files, handed to the runner. */
async function sendAsTheEditorDoes(httpFile: string, environment: string | undefined, searchRoot: string): Promise<string[]> {
  const urls: string[] = [];
  const { loaded, fileEnvironment } = loadEnvironmentForSend(httpFile, environment, searchRoot);
  const runner = new Runner(recordingSender(urls), { environment: fileEnvironment, searchRoot, loadedEnvironment: () => loaded });
  await runner.run({ path: httpFile, text: 'GET https://{{host}}/{{path}}\n' }, { kind: 'all' });
  return urls;
}

describe('env files read once per send', () => {
  const folder = mkdtempSync(join(tmpdir(), 'courier-env-reads-'));
  writeFileSync(join(folder, publicEnvironmentFileName), JSON.stringify({ $shared: { path: 'shared' }, dev: { host: 'dev.example' } }));
  writeFileSync(join(folder, privateEnvironmentFileName), JSON.stringify({ $shared: { key: 'k-1' }, dev: { path: 'private' }, prod: { path: 'other' } }));
  const httpFile = join(folder, 'api.http');

  test('an environment the files define: each file read once, its values sent', async (t) => {
    let urls: string[] = [];
    const reads = await countEnvFileReads(t, async () => {
      urls = await sendAsTheEditorDoes(httpFile, 'dev', folder);
    });
    assert.deepEqual(urls, ['https://dev.example/private']);
    assert.deepEqual(Object.fromEntries(reads), { [publicEnvironmentFileName]: 1, [privateEnvironmentFileName]: 1 });
  });

  test('an environment only settings define: the files\' $shared, each file still read once', async (t) => {
    const { loaded, fileEnvironment } = loadEnvironmentForSend(httpFile, 'staging', folder);
    assert.equal(fileEnvironment, undefined);
    assert.equal(loaded.error, undefined);
    assert.deepEqual([...loaded.variables], [['path', 'shared'], ['key', 'k-1']]);
    const reads = await countEnvFileReads(t, async () => {
      await sendAsTheEditorDoes(httpFile, 'staging', folder);
    });
    assert.deepEqual(Object.fromEntries(reads), { [publicEnvironmentFileName]: 1, [privateEnvironmentFileName]: 1 });
  });

  test('a runner without a loaded environment still reads the files itself, as the CLI does', async (t) => {
    const urls: string[] = [];
    const reads = await countEnvFileReads(t, async () => {
      await new Runner(recordingSender(urls), { environment: 'dev', searchRoot: folder }).run({ path: httpFile, text: 'GET https://{{host}}/{{path}}\n' }, { kind: 'all' });
    });
    assert.deepEqual(urls, ['https://dev.example/private']);
    assert.deepEqual(Object.fromEntries(reads), { [publicEnvironmentFileName]: 1, [privateEnvironmentFileName]: 1 });
  });

  test('the history redacts the private values of that same read, reading nothing more', async (t) => {
    for (const environment of ['dev', 'staging', undefined]) {
      const { files } = loadEnvironmentForSend(httpFile, environment, folder);
      let values: string[] = [];
      const reads = await countEnvFileReads(t, () => {
        values = privateEnvironmentValuesOf(files, environment);
        return Promise.resolve();
      });
      assert.deepEqual(Object.fromEntries(reads), {}, `no read for ${environment ?? 'no environment'}`);
      assert.deepEqual(values, privateEnvironmentValues(httpFile, environment, folder), `the values a fresh read gives for ${environment ?? 'no environment'}`);
    }
    assert.deepEqual(privateEnvironmentValuesOf(loadEnvironmentForSend(httpFile, 'dev', folder).files, 'dev'), ['k-1', 'private']);
  });
});

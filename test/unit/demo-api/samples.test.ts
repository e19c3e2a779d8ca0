// The samples are what a newcomer opens first: each must parse cleanly and, sent
// in order through Courier's engine with `--env local`, get the answers it
// promises from the demo API.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadEnvironment } from '../../../engine/environments';
import { OAuthTokens } from '../../../engine/oauth/oauthTokens';
import { OAuthTokenSource } from '../../../engine/oauth/tokenSource';
import { MemoryTokenStore } from '../../../engine/oauth/tokenStore';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { diagnose } from '../../../language/diagnostics';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../language/environments';
import type { ScriptGlobal } from '../../../language/context';
import { lineAt } from '../../../language/positions';
import { scanScript } from '../../../language/scripts';
import { parse } from '../../../language/parser';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';
import { nobodyToAsk } from '../engine/oauth/oauthFixtures';
import { testSandbox } from '../engine/scripts/sandboxHarness';

const samplesFolder = resolve(__dirname, '../../../../samples');

/** The status each request of each sample gets, in file order. */
const expectedStatuses: Readonly<Record<string, readonly number[]>> = {
  '01-basics.http': [200, 200, 201, 200, 200, 204],
  '02-variables-and-environments.http': [200, 200, 200],
  '03-auth.http': [200, 200, 200, 200, 200],
  '04-uploads.http': [200, 200, 201],
  '05-graphql.http': [200, 200, 200],
  '06-chaining.http': [200, 200, 200, 201, 200, 200, 200, 200, 200],
  '07-redirects-and-errors.http': [200, 302, 404, 400, 200, 200, 200],
  '08-scripts-and-tests.http': [200, 200, 201, 200, 200],
  '09-other-dialects.http': [200, 200, 200, 200, 200],
  // `run` lines, `@ref`/`@forceRef` sends, three loops (3 + 2 + 2 passes), and a `@disabled` request (0: skipped, not sent).
  '10-composition.http': [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 0, 200],
  '11-httpyac-scripts.http': [200, 200, 201, 200],
  // Tokens from the demo identity provider: Client Credentials, Password, its ID token, httpYac's form.
  '12-oauth.http': [200, 200, 200, 200],
  // WebSocket conversations (echo ended by the quiet server, chat closed by the server, chat ended by timeout) and GraphQL subscriptions (completed, timed out): each a 101.
  'streams/websocket.http': [101, 101, 101],
  'streams/graphql-subscription.http': [101, 101],
};

/** The stream samples' ends, in file order: how each conversation or subscription finished. */
const expectedStreamEnds: Readonly<Record<string, readonly string[]>> = {
  'streams/websocket.http': ['completed', 'closed-by-server 4001 see you later', 'timeout'],
  'streams/graphql-subscription.http': ['completed', 'timeout'],
};

/** Samples whose scripts and `??` lines are tests: every one of them must pass. */
const withTests = new Set(['08-scripts-and-tests.http', '09-other-dialects.http', '11-httpyac-scripts.http', '12-oauth.http']);

let api: DemoApi;
let session: Session;
// The samples' grants need no user; one token cache for the whole tour, as a session keeps it.
const tokens = new OAuthTokens({
  store: new MemoryTokenStore(),
  interaction: nobodyToAsk,
});
const sandbox = testSandbox();
before(async () => {
  api = await startDemoApi(0);
  session = await Session.open();
});
after(async () => {
  await session.close();
  await sandbox.close();
  await api.close();
});

test('every sample is listed here, so a new sample cannot go untested', () => {
  const streams = readdirSync(join(samplesFolder, 'streams')).map((name) => `streams/${name}`);
  const files = [...readdirSync(samplesFolder), ...streams].filter((name) => name.endsWith('.http')).sort();
  assert.deepEqual(files, Object.keys(expectedStatuses).sort());
});

describe('samples', () => {
  for (const [name, statuses] of Object.entries(expectedStatuses)) {
    test(`${name} parses without problems and gets the expected answers from the demo API`, async () => {
      const file = join(samplesFolder, name);
      const document = parse(readFileSync(file, 'utf8'));
      assert.deepEqual(document.problems.map((problem) => `${name}:${lineAt(document.lineStarts, problem.start) + 1}: ${problem.message}`), []);

      const environment = loadEnvironment(file, 'local', samplesFolder);
      assert.equal(environment.error, undefined);
      // Through the runner, as `courier run` and Send Request do: scripts, globals and `??` lines included.
      const runner = new Runner(session, { environment: 'local', overrides: new Map([['baseUrl', api.url]]), searchRoot: samplesFolder, scripts: { sandbox }, variableSources: [new OAuthTokenSource(tokens)] });
      const exchanges = await runner.run({ path: file, document }, { kind: 'all' });
      const answers: number[] = [];
      for (const exchange of exchanges) {
        const where = `${name}:${exchange.origin.line}`;
        assert.equal(exchange.error, undefined, `${where}: ${exchange.error?.message}`);
        answers.push(exchange.response?.status ?? 0);
        const failed = (exchange.tests ?? []).filter((item) => item.outcome !== 'passed').map((item) => `${where} ${item.name}: ${item.message ?? ''}`);
        assert.deepEqual(failed, [], 'every test of the sample passes');
        if (withTests.has(name)) assert.ok((exchange.tests ?? []).length > 0, `${where} has tests`);
      }
      assert.deepEqual(answers, statuses);
      const ends = expectedStreamEnds[name];
      if (ends !== undefined) {
        const actual = exchanges.map((exchange) => (exchange.response?.shape === 'stream' ? [exchange.response.stream.end.reason, exchange.response.stream.end.code, exchange.response.stream.end.detail].filter((part) => part !== undefined).join(' ') : 'no stream'));
        assert.deepEqual(actual.map((end) => (end.startsWith('timeout') ? 'timeout' : end)), ends);
      }
    });
  }
});

describe('samples in the editor', () => {
  const environmentFile = join(samplesFolder, 'http-client.env.json');
  // The globals the samples' handler files set, as the server's workspace index finds them.
  const scriptsFolder = join(samplesFolder, 'scripts');
  const scriptGlobals = new Map<string, ScriptGlobal>();
  for (const name of readdirSync(scriptsFolder).filter((file) => file.endsWith('.js'))) {
    for (const call of scanScript(readFileSync(join(scriptsFolder, name), 'utf8')).calls) {
      if (call.kind === 'global' && call.name !== undefined) scriptGlobals.set(call.name, { name: call.name, uri: `file://${join(scriptsFolder, name)}`, line: 0 });
    }
  }
  // And those the handlers of the imported samples/shared/ files set, as the server's index of the workspace's .http files finds them.
  const sharedFolder = join(samplesFolder, 'shared');
  for (const name of readdirSync(sharedFolder).filter((file) => file.endsWith('.http'))) {
    const shared = parse(readFileSync(join(sharedFolder, name), 'utf8'));
    for (const request of shared.requests) {
      for (const handler of request.handlers) {
        if (handler.kind !== 'script') continue;
        for (const call of scanScript(handler.script.text).calls) {
          if (call.kind === 'global' && call.name !== undefined) scriptGlobals.set(call.name, { name: call.name, uri: `file://${join(sharedFolder, name)}`, line: 0 });
        }
      }
    }
  }
  const environments = {
    ...buildEnvironmentSnapshot([parseEnvironmentFile({ uri: `file://${environmentFile}`, text: readFileSync(environmentFile, 'utf8') })], 'local'),
    scriptGlobals,
  };

  for (const name of Object.keys(expectedStatuses)) {
    test(`${name} shows no diagnostics with the local environment`, () => {
      const file = join(samplesFolder, name);
      const diagnostics = diagnose({
        uri: `file://${file}`,
        document: parse(readFileSync(file, 'utf8')),
        environments,
        host: { fileExists: (_uri, path) => existsSync(resolve(samplesFolder, path)), readFile: (_uri, path) => readFileSync(resolve(samplesFolder, path), 'utf8') },
      });
      assert.deepEqual(diagnostics.map((diagnostic) => `${name}:${diagnostic.range.start.line + 1}: ${String(diagnostic.code)} ${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value}`), []);
    });
  }
});

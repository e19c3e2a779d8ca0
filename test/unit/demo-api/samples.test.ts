// The samples are what a newcomer opens first: each must parse cleanly and, sent
// in order through Courier's engine with `--env local`, get the answers it
// promises from the demo API.
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseDotenv } from 'dotenv';
import { loadEnvironment } from '../../../engine/environments';
import { prepareRequest } from '../../../engine/prepare';
import type { SentRequest } from '../../../engine/requestVariables';
import { Session } from '../../../engine/session';
import { Resolver } from '../../../engine/variables';
import { diagnose } from '../../../language/diagnostics';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../language/environments';
import { lineAt } from '../../../language/positions';
import { parse } from '../../../language/parser';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';

const samplesFolder = resolve(__dirname, '../../../../samples');

/** The status each request of each sample gets, in file order. */
const expectedStatuses: Readonly<Record<string, readonly number[]>> = {
  '01-basics.http': [200, 200, 201, 200, 200, 204],
  '02-variables-and-environments.http': [200, 200, 200],
  '03-auth.http': [200, 200, 200, 200],
  '04-uploads.http': [200, 200, 201],
  '05-graphql.http': [200, 200, 200],
  '06-chaining.http': [200, 200, 200, 201, 200, 200, 200, 200, 200],
  '07-redirects-and-errors.http': [200, 302, 404, 400, 200, 200, 200],
};

let api: DemoApi;
let session: Session;
before(async () => {
  api = await startDemoApi(0);
  session = await Session.open();
});
after(async () => {
  await session.close();
  await api.close();
});

test('every sample is listed here, so a new sample cannot go untested', () => {
  const files = readdirSync(samplesFolder).filter((name) => name.endsWith('.http')).sort();
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
      // The committed example stands in for the .env a user copies from it.
      const dotenv = parseDotenv(readFileSync(join(samplesFolder, '.env')));
      const fileVariables = new Map(document.variables.map((variable) => [variable.name.text, variable.value.text]));
      const sent = new Map<string, SentRequest>();
      const answers: number[] = [];
      for (const request of document.requests) {
        const where = `${name}:${lineAt(document.lineStarts, request.start) + 1}`;
        const resolver = new Resolver({
          overrides: new Map([['baseUrl', api.url]]),
          fileVariables,
          environment: environment.variables,
          prompted: new Map(),
          sentRequest: (requestName) => sent.get(requestName),
          system: { now: () => new Date(), random: Math.random, uuid: randomUUID, processEnv: (key) => process.env[key], dotenv: (key) => dotenv[key] },
        });
        const prepared = prepareRequest({ document, request, file, resolver });
        assert.ok('prepared' in prepared, `${where}: ${'error' in prepared ? prepared.error.message : ''}`);
        const exchange = await session.send(prepared.prepared);
        assert.equal(exchange.error, undefined, `${where}: ${exchange.error?.message}`);
        answers.push(exchange.response?.status ?? 0);
        if (request.name !== undefined) sent.set(request.name.text, { prepared: prepared.prepared, exchange });
      }
      assert.deepEqual(answers, statuses);
    });
  }
});

describe('samples in the editor', () => {
  const environmentFile = join(samplesFolder, 'http-client.env.json');
  const environments = buildEnvironmentSnapshot([parseEnvironmentFile({ uri: `file://${environmentFile}`, text: readFileSync(environmentFile, 'utf8') })], 'local');

  for (const name of Object.keys(expectedStatuses)) {
    test(`${name} shows no diagnostics with the local environment`, () => {
      const file = join(samplesFolder, name);
      const diagnostics = diagnose({
        uri: `file://${file}`,
        document: parse(readFileSync(file, 'utf8')),
        environments,
        host: { fileExists: (_uri, path) => existsSync(resolve(samplesFolder, path)) },
      });
      assert.deepEqual(diagnostics.map((diagnostic) => `${name}:${diagnostic.range.start.line + 1}: ${String(diagnostic.code)} ${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value}`), []);
    });
  }
});

// samples/streams/grpc.http, the gRPC part of the streams tour: it parses cleanly, shows no
// diagnostics with the local environment (its # @proto file read as the editor reads it), and
// every call gets the answer it promises from the demo API's gRPC service.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { loadEnvironment } from '../../../engine/environments';
import type { StreamResponse } from '../../../engine/model';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { diagnose } from '../../../language/diagnostics';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../language/environments';
import { lineAt } from '../../../language/positions';
import { parse } from '../../../language/parser';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';

const samplesFolder = resolve(__dirname, '../../../../samples');
const file = join(samplesFolder, 'streams', 'grpc.http');

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

test('streams/grpc.http gets the expected statuses from the demo API\'s gRPC service', async () => {
  const document = parse(readFileSync(file, 'utf8'));
  assert.deepEqual(document.problems.map((problem) => `grpc.http:${lineAt(document.lineStarts, problem.start) + 1}: ${problem.message}`), []);
  assert.equal(loadEnvironment(file, 'local', samplesFolder).error, undefined);
  const runner = new Runner(session, { environment: 'local', overrides: new Map([['grpcHost', `127.0.0.1:${api.grpcPort}`]]), searchRoot: samplesFolder });
  const exchanges = await runner.run({ path: file, document }, { kind: 'all' });
  for (const exchange of exchanges) assert.equal(exchange.error, undefined, `grpc.http:${exchange.origin.line}: ${exchange.error?.message}`);
  const responses = exchanges.map((exchange) => exchange.response as StreamResponse);
  assert.deepEqual(
    responses.map((response) => [response.statusText, response.stream.end.reason, response.stream.count]),
    [
      ['OK', 'completed', 2],
      ['OK', 'completed', 6],
      ['OK', 'completed', 4],
      ['OK', 'completed', 4],
      ['NOT_FOUND', 'closed-by-server', 1],
    ],
  );
});

test('streams/grpc.http shows no diagnostics with the local environment', () => {
  const environmentFile = join(samplesFolder, 'http-client.env.json');
  const environments = buildEnvironmentSnapshot([parseEnvironmentFile({ uri: `file://${environmentFile}`, text: readFileSync(environmentFile, 'utf8') })], 'local');
  const folder = dirname(file);
  const diagnostics = diagnose({
    uri: `file://${file}`,
    document: parse(readFileSync(file, 'utf8')),
    environments,
    host: { fileExists: (_uri, path) => existsSync(resolve(folder, path)), readFile: (_uri, path) => readFileSync(resolve(folder, path), 'utf8') },
  });
  assert.deepEqual(diagnostics.map((diagnostic) => `grpc.http:${diagnostic.range.start.line + 1}: ${String(diagnostic.code)} ${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value}`), []);
});

// `courier run` on the gRPC sample, as a whole process against the demo API's gRPC service: each
// call reported with its stream, the error status with its details, --fail on a gRPC error, and
// --verbose printing the messages and the trailers.

import { strict as assert } from 'node:assert';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startGrpcDemo, type GrpcDemo } from '../../../samples/demo-api/grpcService';
import { ensureBuilt, repositoryRoot, requestRecords, runCli } from './cliHarness';

let demo: GrpcDemo;
let root: string;

before(async () => {
  ensureBuilt();
  demo = await startGrpcDemo(0);
  // A copy of samples/, so the run cannot write into the repository.
  root = await mkdtemp(join(tmpdir(), 'courier-grpc-cli-'));
  await cp(join(repositoryRoot, 'samples'), join(root, 'samples'), { recursive: true, filter: (source) => !source.includes('demo-api') });
});

after(async () => {
  await demo.close();
});

const sample = join('samples', 'streams', 'grpc.http');

interface JsonStreamRecord {
  readonly count: number;
  readonly messages: readonly { readonly direction: string; readonly type: string; readonly data: string }[];
  readonly end: { readonly reason: string; readonly code?: number; readonly detail?: string };
}

test('courier run samples/streams/grpc.http: every kind of call, reported with its messages and status', async () => {
  const result = await runCli(['run', sample, '--env', 'local', '--var', `grpcHost=127.0.0.1:${demo.port}`, '--reporter', 'json'], { cwd: root });
  assert.equal(result.code, 0, result.stderr);
  const records = requestRecords(result.stdout);
  assert.deepEqual(
    records.map((record) => [record.method, record.status, record.statusText, record.ok]),
    [
      ['GRPC', 200, 'OK', true],
      ['GRPC', 200, 'OK', true],
      ['GRPC', 200, 'OK', true],
      ['GRPC', 200, 'OK', true],
      ['GRPC', 200, 'NOT_FOUND', true],
    ],
  );
  const streams = records.map((record) => record.stream as JsonStreamRecord);
  assert.deepEqual(
    streams.map((stream) => stream.messages.filter((message) => message.direction === 'received').map((message) => message.data)),
    [
      ['{"message":"Hello, Courier!"}'],
      ['{"remaining":5}', '{"remaining":4}', '{"remaining":3}', '{"remaining":2}', '{"remaining":1}'],
      ['{"total":"42","count":3}'],
      ['{"text":"echo: hello"}', '{"text":"echo: how are you?"}'],
      [],
    ],
  );
  assert.equal(records[0]?.url, `grpc://127.0.0.1:${demo.port}/demo.Greeter/SayHello`);
  assert.equal(streams[4]?.end.code, 5);
  assert.match(streams[4]?.end.detail ?? '', /^NOT_FOUND: no greeting for Nobody; details: .*google\.rpc\.ErrorInfo/);
});

test('--fail fails a call whose gRPC status is not OK; --verbose prints the messages and marks the trailers', async () => {
  const failing = await runCli(['run', sample, '--env', 'local', '--var', `grpcHost=127.0.0.1:${demo.port}`, '--fail', '--verbose'], { cwd: root });
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /✗ 200 NOT_FOUND GRPC grpc:\/\/127\.0\.0\.1:\d+\/demo\.Greeter\/Fail/);
  assert.match(failing.stdout, /gRPC status 5 NOT_FOUND \(a status other than OK fails with --fail\)/);
  assert.match(failing.stdout, /closed by the server \(code 5: NOT_FOUND: no greeting for Nobody/);
  assert.match(failing.stdout, /< x-request-id: sample-1\n[\s\S]*?< \[trailers\]\n< grpc-status: 0\n(?:< grpc-message: OK\n)?< x-served-by: courier-demo/);
  // Messages are printed as they arrive, one line each, and not again under --verbose.
  assert.match(failing.stdout, /← Countdown {2}\{"remaining":1\}\n/);
});

// `courier run` with `Authorization: AWS ...`: the real CLI signs what it sends (checked by a local
// server from the bytes it received), and none of its reports holds the secret key or the token.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { verify, receivedHeader, type Received } from '../engine/awsVerifier';
import { httpServer, readBody } from '../engine/localServer';
import { ensureBuilt, jsonLines, runCli, tempFolder } from './cliHarness';

const secretKey = 'cli/SECRET+key0123456789abcdefghijklm';
const sessionToken = 'FQoGZXIvYXdzECLI//TOKEN+xyz=';

test('courier run signs AWS requests with keys from the environment, and no report shows the secret key or the token', async () => {
  ensureBuilt();
  const received: Received[] = [];
  const server = await httpServer((request, response) => {
    void readBody(request).then((body) => {
      received.push({ method: request.method ?? '', target: request.url ?? '', rawHeaders: request.rawHeaders, body });
      response.setHeader('Content-Type', 'application/json');
      response.end('{"ok":true}');
    });
  });
  try {
    const folder = await tempFolder({
      'aws.http': [
        `POST ${server.url}/orders?sort=asc`,
        'Content-Type: application/json',
        'Authorization: AWS AKIACLITEST {{$processEnv AWS_SECRET_ACCESS_KEY}} token:{{$processEnv AWS_SESSION_TOKEN}} region:eu-west-1 service:execute-api',
        '',
        '{"item":"courier"}',
        '',
        '###',
        `GET ${server.url}/orders`,
        'Authorization: AWS AKIACLITEST',
        '',
      ].join('\n'),
    });
    const env = { AWS_SECRET_ACCESS_KEY: secretKey, AWS_SESSION_TOKEN: sessionToken };
    const runs = [
      await runCli(['run', 'aws.http', '--verbose'], { cwd: folder, env }),
      await runCli(['run', 'aws.http', '--reporter', 'json'], { cwd: folder, env }),
      await runCli(['run', 'aws.http', '--reporter', 'junit'], { cwd: folder, env }),
    ];
    const signed = received.filter((request) => request.method === 'POST');
    assert.equal(signed.length, 3, 'each run sent the signed request once');
    for (const request of signed) {
      assert.ok(verify(request, secretKey).valid, 'the signature matches the bytes the server received');
      assert.equal(receivedHeader(request, 'x-amz-security-token'), sessionToken);
    }
    assert.equal(received.filter((request) => request.method === 'GET').length, 0, 'the malformed request was not sent');

    for (const run of runs) {
      assert.equal(run.code, 1, 'the malformed request fails the run');
      for (const output of [run.stdout, run.stderr]) {
        assert.ok(!output.includes(secretKey), 'a report shows the secret key');
        assert.ok(!output.includes(sessionToken), 'a report shows the session token');
      }
    }
    const [pretty, json, junit] = runs;
    assert.match(pretty?.stdout ?? '', /> Authorization: AWS4-HMAC-SHA256 Credential=AKIACLITEST\/\d{8}\/eu-west-1\/execute-api\/aws4_request/);
    assert.match(pretty?.stdout ?? '', /> X-Amz-Security-Token: <redacted>/);
    const records = jsonLines(json?.stdout ?? '');
    assert.match(String(records[1]?.error), /aws\.http:8: Authorization: AWS Signature Version 4: the secret key is missing: write "AWS <accessKeyId> <secretKey>"/);
    assert.match(junit?.stdout ?? '', /<testsuites/);
  } finally {
    await server.close();
  }
});

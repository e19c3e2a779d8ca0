// AWS Signature V4 on the wire: a local server records what it receives and checks the signature
// from those bytes alone (awsVerifier.ts), as AWS would.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { storableExchange } from '../../../client/historyStore';
import { toCurl } from '../../../engine/curl';
import type { PreparedRequest } from '../../../engine/model';
import { prepareRequest } from '../../../engine/prepare';
import { Session } from '../../../engine/session';
import { Resolver } from '../../../engine/variables';
import { parse } from '../../../language/parser';
import { receivedHeader, sha256, verify, type Received } from './awsVerifier';
import { httpServer, readBody, type Running } from './localServer';

const accessKeyId = 'AKIAWIRETEST';
const secretKey = 'wire/SECRET+key0123456789abcdefghij';
const sessionToken = 'FQoGZXIvYXdzEWIRE//TOKEN+abc=';
const folder = mkdtempSync(join(tmpdir(), 'courier-aws-wire-'));

/** A server that records each request and answers with `answer` (200 when it returns nothing). */
async function recordingServer(answer: (request: http.IncomingMessage, response: http.ServerResponse) => boolean = () => false): Promise<Running<http.Server> & { readonly received: Received[] }> {
  const received: Received[] = [];
  const server = await httpServer((request, response) => {
    void readBody(request).then((body) => {
      received.push({ method: request.method ?? '', target: request.url ?? '', rawHeaders: request.rawHeaders, body });
      if (!answer(request, response)) response.end('ok');
    });
  });
  return Object.assign(server, { received });
}

function prepareText(text: string): PreparedRequest {
  const document = parse(text);
  const request = document.requests[0];
  assert.ok(request !== undefined);
  const resolver = new Resolver({
    overrides: new Map(),
    fileVariables: new Map(document.variables.map((variable) => [variable.name.text, variable.value.text])),
    environment: new Map(),
    prompted: new Map(),
    sentRequest: () => undefined,
    system: { now: () => new Date(), random: () => 0, uuid: () => 'u-1', processEnv: () => undefined, dotenv: () => undefined },
  });
  const result = prepareRequest({ document, request, file: join(folder, 'aws.http'), resolver });
  assert.ok('prepared' in result, 'error' in result ? result.error.message : '');
  return result.prepared;
}

/** Neither the secret key nor the session token is anywhere in `text`. */
function assertNoSecrets(text: string, what: string): void {
  assert.ok(!text.includes(secretKey), `${what} holds the secret key`);
  assert.ok(!text.includes(sessionToken), `${what} holds the session token`);
}

const sessions: Session[] = [];
async function openSession(): Promise<Session> {
  const session = await Session.open();
  sessions.push(session);
  return session;
}
after(async () => Promise.all(sessions.map(async (session) => session.close())));

describe('AWS Signature V4 on the wire', () => {
  test('the server checks the signature from the bytes it received: method, encoded path, query, headers and body', async () => {
    const server = await recordingServer();
    try {
      const session = await openSession();
      const exchange = await session.send(
        prepareText(
          `POST ${server.url}/items/a b?z=1&a=2\nContent-Type: application/json\nX-Trace: one   two\nAuthorization: AWS ${accessKeyId} ${secretKey} token:${sessionToken} region:eu-west-1 service:execute-api\n\n{"name":"courier"}`,
        ),
      );
      assert.equal(exchange.error, undefined, exchange.error?.message);
      const [received] = server.received;
      assert.ok(received !== undefined);
      assert.equal(received.target, '/items/a%20b?z=1&a=2');
      const { valid, signedHeaders, service } = verify(received, secretKey);
      assert.ok(valid, 'the signature does not match the bytes received');
      // The check can fail: other bytes, or another secret, do not verify.
      assert.ok(!verify({ ...received, body: Buffer.from('{"name":"other"}') }, secretKey).valid);
      assert.ok(!verify({ ...received, target: '/items/a%20b?z=1&a=3' }, secretKey).valid);
      assert.ok(!verify(received, `${secretKey}x`).valid);
      assert.equal(service, 'execute-api');
      assert.deepEqual(signedHeaders, ['content-type', 'host', 'x-amz-date', 'x-amz-security-token', 'x-trace']);
      assert.equal(receivedHeader(received, 'x-amz-security-token'), sessionToken);
      assert.equal(receivedHeader(received, 'x-amz-content-sha256'), undefined);
      assertNoSecrets(received.rawHeaders.join('\n').replace(sessionToken, ''), 'the request on the wire');
      // What Courier keeps of the exchange: the engine's record, the history (even when it keeps secrets), the cURL export.
      assertNoSecrets(JSON.stringify(exchange), 'the exchange');
      assertNoSecrets(JSON.stringify(storableExchange(exchange, 1024, [])), 'the history entry');
      assertNoSecrets(JSON.stringify(storableExchange(exchange, 1024, undefined)), 'the history entry that keeps secrets');
      assert.ok(exchange.request.headers.some(([name, value]) => name === 'X-Amz-Security-Token' && value === '<redacted>'));
    } finally {
      await server.close();
    }
  });

  test('a streamed file body is hashed as sent; S3 gets the hash as X-Amz-Content-Sha256', async () => {
    const file = join(folder, 'upload.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    bytes.write('Courier streams this file', 1000);
    writeFileSync(file, bytes);
    const server = await recordingServer();
    try {
      const session = await openSession();
      const exchange = await session.send(prepareText(`PUT ${server.url}/bucket/upload.bin\nContent-Type: application/octet-stream\nAuthorization: AWS ${accessKeyId} ${secretKey} region:eu-west-1 service:s3\n\n< ${file}`));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      const [received] = server.received;
      assert.ok(received !== undefined);
      assert.equal(received.body.length, bytes.length);
      assert.equal(receivedHeader(received, 'x-amz-content-sha256'), sha256(bytes));
      assert.ok(verify(received, secretKey).valid);
    } finally {
      await server.close();
    }
  });

  test('each hop of a redirect within the origin is signed for its own URL, cookies the jar adds included', async () => {
    const server = await recordingServer((request, response) => {
      if (request.url !== '/start') return false;
      response.writeHead(307, { Location: '/moved?to=here', 'Set-Cookie': 'session=abc; Path=/' }).end();
      return true;
    });
    try {
      const session = await openSession();
      const exchange = await session.send(prepareText(`POST ${server.url}/start\nAuthorization: AWS ${accessKeyId} ${secretKey} region:us-east-1 service:execute-api\n\nbody`));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(server.received.length, 2);
      const [first, second] = server.received;
      assert.ok(first !== undefined && second !== undefined);
      assert.equal(second.target, '/moved?to=here');
      assert.equal(second.body.toString(), 'body');
      assert.ok(verify(first, secretKey).valid, 'first hop');
      const secondCheck = verify(second, secretKey);
      assert.ok(secondCheck.valid, 'second hop');
      assert.ok(secondCheck.signedHeaders.includes('cookie'), 'the Cookie header the jar added is signed');
    } finally {
      await server.close();
    }
  });

  test('a redirect to another origin carries neither the signature nor the token', async () => {
    const elsewhere = await recordingServer();
    const server = await recordingServer((_request, response) => {
      response.writeHead(302, { Location: `${elsewhere.url}/landing` }).end();
      return true;
    });
    try {
      const session = await openSession();
      const exchange = await session.send(prepareText(`GET ${server.url}/start\nAuthorization: AWS ${accessKeyId} ${secretKey} token:${sessionToken} region:us-east-1 service:execute-api\n`));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      const [first] = server.received;
      const [landed] = elsewhere.received;
      assert.ok(first !== undefined && landed !== undefined);
      assert.ok(verify(first, secretKey).valid);
      const names = landed.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
      assert.deepEqual(
        names.filter((name) => name === 'authorization' || name.startsWith('x-amz-')),
        [],
      );
      assert.ok(exchange.warnings.some((warning) => warning.includes('without the AWS signature')));
      assertNoSecrets(JSON.stringify(exchange), 'the exchange');
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  test("the cURL export signs with curl's --aws-sigv4 and reads the secret from the environment", async (t) => {
    const server = await recordingServer();
    try {
      const request = prepareText(`GET ${server.url}/items?page=2\nAuthorization: AWS ${accessKeyId} ${secretKey} token:${sessionToken} region:eu-west-1 service:execute-api\n`);
      const command = toCurl({ ...request, options: { ...request.options, followRedirects: false } });
      assertNoSecrets(command, 'the cURL command');
      assert.match(command, /--aws-sigv4 aws:amz:eu-west-1:execute-api/);
      const version = await new Promise<string>((resolve) => execFile('curl', ['--version'], (error, stdout) => resolve(error === null ? stdout : '')));
      const [, major = '0', minor = '0'] = /^curl (\d+)\.(\d+)/.exec(version) ?? [];
      if (Number(major) * 100 + Number(minor) < 775) {
        t.skip('curl 7.75 or later is needed to run the command');
        return;
      }
      await new Promise<void>((resolve, reject) =>
        execFile('bash', ['-c', command], { env: { ...process.env, AWS_SECRET_ACCESS_KEY: secretKey, AWS_SESSION_TOKEN: sessionToken } }, (error) => (error === null ? resolve() : reject(new Error(error.message)))),
      );
      const [received] = server.received;
      assert.ok(received !== undefined);
      assert.equal(receivedHeader(received, 'x-amz-security-token'), sessionToken);
      assert.ok(verify(received, secretKey).valid, 'curl signed what it sent');
    } finally {
      await server.close();
    }
  });
});

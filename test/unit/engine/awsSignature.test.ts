import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyAuthorization } from '../../../engine/auth';
import { payloadHash, signAwsHop } from '../../../engine/awsSignature';
import type { PreparedRequest } from '../../../engine/model';
import { declareBodyLength, planOutgoingHeaders } from '../../../engine/outgoingHeaders';
import { prepareRequest } from '../../../engine/prepare';
import { methodOnTheWire, Session } from '../../../engine/session';
import type { HopResponse, OutgoingHop, Transport } from '../../../engine/transport';
import { Resolver } from '../../../engine/variables';
import { parse } from '../../../language/parser';

// From out/test/unit/engine/ (where the bundle runs) to the fixtures.
const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'aws-sig-v4');
const vectorTime = new Date('2015-08-30T12:36:00Z');
const vectorSecret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const scratch = mkdtempSync(join(tmpdir(), 'courier-aws-'));
writeFileSync(join(scratch, 'data.bin'), new Uint8Array([0, 1, 2, 3]));

interface Vector {
  readonly name: string;
  /** The suite's request as a `.http` request with an `Authorization: AWS ...` header. */
  readonly http: string;
  readonly canonicalRequest: string;
  readonly authorization: string;
}

/**
 * A `.req` of the suite as Courier's user writes it: the URL from the Host header and the request
 * target, the other headers as written, the session token as `token:`, and no X-Amz-Date (the
 * session's clock gives it).
 */
function vectorRequest(req: string): string {
  const [head = '', body] = req.split(/\n\n/, 2);
  const [requestLine = '', ...headerLines] = head.split('\n');
  const [, method, target] = /^(\S+) (.*) HTTP\/1\.1$/.exec(requestLine) ?? [];
  assert.ok(method !== undefined && target !== undefined, `request line: ${requestLine}`);
  let token = '';
  const headers: string[] = [];
  for (const line of headerLines) {
    const [name = '', value = ''] = line.split(/:(.*)/s);
    if (name === 'X-Amz-Security-Token') token = ` token:${value}`;
    else if (name !== 'Host' && name !== 'X-Amz-Date') headers.push(`${name}: ${value}`);
  }
  const authorization = `Authorization: AWS AKIDEXAMPLE ${vectorSecret}${token} region:us-east-1 service:service`;
  return `${method} https://example.amazonaws.com${target}\n${[...headers, authorization].join('\n')}\n${body === undefined ? '' : `\n${body}`}`;
}

function vectors(): Vector[] {
  return readdirSync(fixtures, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map(({ name }) => {
      const read = (extension: string): string => readFileSync(join(fixtures, name, `${name}.${extension}`), 'utf8');
      return { name, http: vectorRequest(read('req')), canonicalRequest: read('creq'), authorization: read('authz') };
    });
}

/** Parses and prepares the first request of `text`, as the runner does. */
function prepareText(text: string): PreparedRequest {
  const document = parse(text);
  const request = document.requests[0];
  assert.ok(request !== undefined, `no request in ${text}`);
  const resolver = new Resolver({
    overrides: new Map(),
    fileVariables: new Map(),
    environment: new Map(),
    prompted: new Map(),
    sentRequest: () => undefined,
    system: { now: () => vectorTime, random: () => 0, uuid: () => 'u-1', processEnv: () => undefined, dotenv: () => undefined },
  });
  const result = prepareRequest({ document, request, file: join(scratch, 'vectors.http'), resolver });
  assert.ok('prepared' in result, 'error' in result ? result.error.message : '');
  return result.prepared;
}

/** A transport that records each hop as it would go on the wire and answers 200. */
class RecordingTransport implements Transport {
  readonly hops: OutgoingHop[] = [];
  roundTrip(outgoing: OutgoingHop): Promise<HopResponse> {
    this.hops.push(outgoing);
    const body = { size: 0, encodedSize: 0, prefix: new Uint8Array(), file: undefined, contentType: undefined, charset: 'utf-8' };
    return Promise.resolve({ status: 200, statusText: 'OK', httpVersion: '1.1', headers: [], body, connectionWarnings: [] });
  }
  abortPending(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const header = (headers: readonly (readonly [string, string])[], name: string): string | undefined => headers.find(([key]) => key.toLowerCase() === name)?.[1];

describe('AWS Signature V4: the suite of test vectors through Courier', () => {
  const suite = vectors();

  test('the fixtures are there', () => {
    assert.ok(suite.length >= 20, `only ${suite.length} vectors in ${fixtures}`);
  });

  for (const vector of suite) {
    test(`${vector.name}: the signing step gives the canonical request and Authorization of the suite`, async () => {
      const request = prepareText(vector.http);
      const { headers, aws } = applyAuthorization(request.headers, vector.name);
      assert.ok(aws !== undefined);
      // The headers the session makes for the hop (no cookie jar here), then the body's length.
      const plan = planOutgoingHeaders(headers, false, []);
      if (request.body !== undefined) declareBodyLength(plan.headers, plan.chunked, request.body.reduce((size, chunk) => size + (chunk instanceof Uint8Array ? chunk.byteLength : 0), 0));
      const hop = { method: methodOnTheWire(request.method), url: new URL(request.url), headers: plan.headers, payloadHash: await payloadHash(request.body) };
      const signed = signAwsHop(hop, aws, vectorTime);
      assert.equal(signed.canonicalRequest, vector.canonicalRequest);
      assert.equal(header(signed.headers, 'authorization'), vector.authorization);
      assert.equal(header(signed.headers, 'x-amz-date'), '20150830T123600Z');
    });
  }

  test('a session with a fixed clock sends exactly the signed headers of every vector', async () => {
    const transport = new RecordingTransport();
    const session = await Session.open({ clock: () => vectorTime, createTransport: () => transport });
    try {
      for (const vector of suite) {
        const exchange = await session.send(prepareText(vector.http));
        assert.equal(exchange.error, undefined, `${vector.name}: ${exchange.error?.message}`);
        const sent = transport.hops.at(-1);
        assert.ok(sent !== undefined);
        assert.equal(header(sent.headers, 'authorization'), vector.authorization, vector.name);
        // The secret key is never sent, and the exchange never records it.
        assert.ok(!JSON.stringify(sent.headers).includes(vectorSecret), vector.name);
        assert.ok(!JSON.stringify(exchange).includes(vectorSecret), vector.name);
      }
    } finally {
      await session.close();
    }
  });
});

/** Signs the first request of `text` as the session would (no cookies), at the suite's time. */
async function signText(text: string): Promise<ReturnType<typeof signAwsHop>> {
  const request = prepareText(text);
  const { headers, aws } = applyAuthorization(request.headers, 'test.http:1');
  assert.ok(aws !== undefined);
  const plan = planOutgoingHeaders(headers, false, []);
  return signAwsHop({ method: methodOnTheWire(request.method), url: new URL(request.url), headers: plan.headers, payloadHash: await payloadHash(request.body) }, aws, vectorTime);
}

const canonicalPath = (canonicalRequest: string): string | undefined => canonicalRequest.split('\n')[1];
const scopeOf = (authorization: string | undefined): string | undefined => /Credential=AKID\/\d{8}\/([^/]+\/[^/]+)\/aws4_request/.exec(authorization ?? '')?.[1];

describe('AWS Signature V4: what Courier signs', () => {
  test('the path is signed as sent (encoded once by preparation) and, but for S3, encoded again as AWS checks it', async () => {
    const service = await signText('GET https://example.amazonaws.com/example space/\u1234\nAuthorization: AWS AKID SECRETKEY region:us-east-1 service:service\n');
    assert.equal(canonicalPath(service.canonicalRequest), '/example%2520space/%25E1%2588%25B4');
    const s3 = await signText('GET https://bucket.s3.amazonaws.com/example space/\u1234\nAuthorization: AWS AKID SECRETKEY\n');
    assert.equal(canonicalPath(s3.canonicalRequest), '/example%20space/%E1%88%B4');
  });

  test('region and service are told from AWS hosts as REST Client and httpYac tell them (aws4), and written ones win', async () => {
    const cases: [url: string, options: string, scope: string][] = [
      ['https://s3.eu-west-1.amazonaws.com/bucket/key', '', 'eu-west-1/s3'],
      ['https://bucket.s3.amazonaws.com/key', '', 'us-east-1/s3'],
      ['https://abc123.execute-api.eu-central-1.amazonaws.com/prod/items', '', 'eu-central-1/execute-api'],
      ['https://dynamodb.us-east-1.amazonaws.com/', '', 'us-east-1/dynamodb'],
      ['https://sts.amazonaws.com/', '', 'us-east-1/sts'],
      ['https://api.example.com/prod/items', ' region:ap-south-1 service:execute-api', 'ap-south-1/execute-api'],
      ['https://dynamodb.us-east-1.amazonaws.com/', ' region:eu-north-1', 'eu-north-1/dynamodb'],
    ];
    for (const [url, options, scope] of cases) {
      const signed = await signText(`GET ${url}\nAuthorization: AWS AKID SECRETKEY${options}\n`);
      assert.equal(scopeOf(header(signed.headers, 'authorization')), scope, url);
    }
  });

  test('S3 sends the payload hash as X-Amz-Content-Sha256; other services sign it without sending it', async () => {
    const body = '{"name":"courier"}';
    const sha = createHash('sha256').update(body).digest('hex');
    const s3 = await signText(`PUT https://s3.eu-west-1.amazonaws.com/bucket/key.json\nContent-Type: application/json\nAuthorization: AWS AKID SECRETKEY\n\n${body}`);
    assert.equal(header(s3.headers, 'x-amz-content-sha256'), sha);
    assert.match(header(s3.headers, 'authorization') ?? '', /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,/);
    assert.ok(s3.canonicalRequest.endsWith(`\n${sha}`));
    const api = await signText(`POST https://dynamodb.us-east-1.amazonaws.com/\nContent-Type: application/json\nAuthorization: AWS AKID SECRETKEY\n\n${body}`);
    assert.equal(header(api.headers, 'x-amz-content-sha256'), undefined);
    assert.ok(api.canonicalRequest.endsWith(`\n${sha}`));
  });

  test('an X-Amz-Content-Sha256 the request writes (UNSIGNED-PAYLOAD for S3) is signed as written', async () => {
    const signed = await signText('PUT https://s3.eu-west-1.amazonaws.com/bucket/big.bin\nX-Amz-Content-Sha256: UNSIGNED-PAYLOAD\nAuthorization: AWS AKID SECRETKEY\n\n< ./data.bin');
    assert.ok(signed.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD'));
    assert.deepEqual(signed.headers.filter(([name]) => name.toLowerCase() === 'x-amz-content-sha256'), [['X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD']]);
  });

  test('a session token is sent as X-Amz-Security-Token and signed', async () => {
    const signed = await signText('GET https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15\nAuthorization: AWS AKID SECRETKEY token:SESSION/TOKEN+1=\n');
    assert.equal(header(signed.headers, 'x-amz-security-token'), 'SESSION/TOKEN+1=');
    assert.match(header(signed.headers, 'authorization') ?? '', /SignedHeaders=host;x-amz-date;x-amz-security-token,/);
  });

  test('a host AWS cannot be told from needs service:, and the error says so without the secret', async () => {
    await assert.rejects(signText('GET https://api.example.com/items\nAuthorization: AWS AKID SECRETKEY\n'), (error: Error) => {
      assert.match(error.message, /^test\.http:1: the AWS service cannot be told from the host api\.example\.com; add service:<name>/);
      assert.ok(!error.message.includes('SECRETKEY'));
      return true;
    });
  });

  test('a malformed value is an error naming the request and what to write, never the secret', async () => {
    const session = await Session.open({ createTransport: () => new RecordingTransport() });
    try {
      const missing = await session.send(prepareText('GET https://s3.amazonaws.com/\nAuthorization: AWS AKIDONLY\n'));
      assert.equal(missing.error?.code, 'other');
      assert.match(missing.error?.message ?? '', /vectors\.http:1: Authorization: AWS Signature Version 4: the secret key is missing: write "AWS <accessKeyId> <secretKey>"/);
      const unknown = await session.send(prepareText('GET https://s3.amazonaws.com/\nAuthorization: AWS AKID SECRETKEY regoin:eu-west-1\n'));
      assert.match(unknown.error?.message ?? '', /"regoin:" is not an AWS option: did you mean region:\?/);
      for (const exchange of [missing, unknown]) assert.ok(!JSON.stringify(exchange).includes('SECRETKEY'));
    } finally {
      await session.close();
    }
  });
});

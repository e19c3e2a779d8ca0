// Checks an AWS Signature V4 from what a server received, with its own reading of AWS's rules
// (not aws4's), as AWS would: the engine's and the CLI's wire tests share it.
import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';

/** What the server received, as bytes and raw headers. */
export interface Received {
  readonly method: string;
  readonly target: string;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function receivedHeader(received: Received, name: string): string | undefined {
  const values: string[] = [];
  for (let index = 0; index < received.rawHeaders.length; index += 2) {
    if (received.rawHeaders[index]?.toLowerCase() === name) values.push(received.rawHeaders[index + 1] ?? '');
  }
  return values.length === 0 ? undefined : values.join(',');
}

/** Checks the Authorization header against the received bytes, following AWS's SigV4 documentation. */
export function verify(received: Received, secret: string): { readonly valid: boolean; readonly signedHeaders: string[]; readonly service: string } {
  const authorization = receivedHeader(received, 'authorization') ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  assert.ok(match !== null, `not a SigV4 Authorization: ${authorization}`);
  const [, , date = '', region = '', service = '', signedList = '', signature = ''] = match;
  const signedHeaders = signedList.split(';');
  const [path = '', query = ''] = received.target.split(/\?(.*)/s);
  // Every service but S3 encodes each segment of the path it received once more.
  const canonicalPath = service === 's3' ? path : path.split('/').map(rfc3986).join('/');
  const canonicalQuery = query === '' ? '' : query.split('&').map((pair) => pair.split(/=(.*)/s)).map(([key = '', value = '']) => `${key}=${value}`).sort().join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(receivedHeader(received, name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payload = receivedHeader(received, 'x-amz-content-sha256') ?? sha256(received.body);
  const canonical = [received.method, canonicalPath, canonicalQuery, canonicalHeaders, signedList, payload].join('\n');
  const amzDate = receivedHeader(received, 'x-amz-date') ?? '';
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${date}/${region}/${service}/aws4_request`, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return { valid: createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex') === signature, signedHeaders, service };
}

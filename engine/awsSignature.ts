// AWS Signature Version 4 (`Authorization: AWS <accessKeyId> <secretKey> ...`), signed by aws4 over
// what the hop really sends: its method, its URL as prepared (encoded once), its headers after the
// header rules, the jar's cookies and the body's length, and the SHA-256 of its body. It runs once
// per hop, after the session has made the hop's headers, so a redirect is signed again for its own
// URL; the exchange policy stops signing when a redirect leaves the origin.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type * as Aws4 from 'aws4';
import { isAwsAuthorization, type AwsAuthorization } from '../language/awsAuthorization';
import { EngineFailure } from './errors';
import type { BodyChunk } from './model';
import { redactedMarker } from './redaction';
import type { HeaderList } from './transport';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- most runs sign nothing: required on the first signature
const loadAws4 = (): typeof Aws4 => require('aws4') as typeof Aws4;

/** Credentials of one request, and where it was written (for messages). */
export interface AwsSigning {
  readonly credentials: AwsAuthorization;
  /** `file:line` of the request, for messages. */
  readonly where: string;
}

/** What one hop sends once signed, and the canonical request the signature covers. */
export interface SignedHeaders {
  /** The hop's headers, then those the signature adds (Authorization, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256). */
  readonly headers: [name: string, value: string][];
  readonly canonicalRequest: string;
  readonly service: string;
  readonly region: string;
}

/** The hop to sign: exactly what the transport will put on the wire. */
export interface HopToSign {
  readonly method: string;
  readonly url: URL;
  readonly headers: HeaderList;
  /** Lower-case hex SHA-256 of the body; ignored when the request wrote X-Amz-Content-Sha256 itself. */
  readonly payloadHash: string;
}

/**
 * Framing headers are left out of the signature: the payload hash covers the bytes, and a proxy
 * may re-frame them (AWS's test suite signs bodies without Content-Length, as SDKs may send them).
 */
const unsignedFraming = new Set(['content-length', 'transfer-encoding']);

/** The region and service a request to `hostname` is signed for: as written, else told from the host by aws4 (service '' when it cannot be). */
export function awsScope(hostname: string, credentials: AwsAuthorization): { readonly region: string; readonly service: string } {
  const scope = new (loadAws4().RequestSigner)({ hostname, region: credentials.region, service: credentials.service, headers: { host: hostname } });
  return { region: scope.region, service: scope.service };
}

/** Signs `hop` with `signing` at `now`; throws an EngineFailure when the service cannot be told. */
export function signAwsHop(hop: HopToSign, signing: AwsSigning, now: Date): SignedHeaders {
  const aws4 = loadAws4();
  const { credentials } = signing;
  // One signed value per name: repeated headers are joined with commas, as AWS canonicalises them.
  const signed: Record<string, string> = {};
  for (const [name, value] of hop.headers) {
    const lower = name.toLowerCase();
    if (unsignedFraming.has(lower)) continue;
    signed[lower] = lower in signed ? `${signed[lower]},${value}` : value;
  }
  // undici sends the URL's host (`:authority` over HTTP/2) unless the request wrote one.
  const addedHost = signed.host === undefined;
  if (addedHost) signed.host = hop.url.host;
  if (signed['x-amz-date'] === undefined && signed.date === undefined) signed['x-amz-date'] = amzDate(now);
  const userPayloadHash = signed['x-amz-content-sha256'];
  signed['x-amz-content-sha256'] ??= hop.payloadHash;

  const hostname = (signed.host.split(',')[0] ?? '').replace(/:\d+$/, '');
  const scope = awsScope(hostname, credentials);
  if (scope.service === '') {
    throw new EngineFailure(
      'other',
      `${signing.where}: the AWS service cannot be told from the host ${hostname}; add service:<name> to the Authorization header (e.g. service:execute-api)`,
    );
  }
  // Only S3 sends the payload hash as a header; other services sign it without sending it.
  const sendPayloadHash = userPayloadHash !== undefined || scope.service === 's3';
  const request: Aws4.Request & { extraHeadersToIgnore: Record<string, boolean> } = {
    method: hop.method,
    hostname,
    path: `${hop.url.pathname}${hop.url.search}`,
    headers: { ...signed },
    region: scope.region,
    service: scope.service,
    extraHeadersToIgnore: sendPayloadHash ? {} : { 'x-amz-content-sha256': true },
  };
  const signer = new aws4.RequestSigner(request, {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
  });
  signer.sign();
  const canonicalRequest = signer.canonicalString();

  const headers: [string, string][] = hop.headers.map(([name, value]) => [name, value]);
  const sent = new Set(hop.headers.map(([name]) => name.toLowerCase()));
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const lower = name.toLowerCase();
    if (sent.has(lower) || (lower === 'host' && addedHost) || (lower === 'x-amz-content-sha256' && !sendPayloadHash)) continue;
    headers.push([headerCase(lower), String(value)]);
  }
  return { headers, canonicalRequest, service: scope.service, region: scope.region };
}

/** AWS's basic ISO 8601 time: `20150830T123600Z`. */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

const headerNames: Readonly<Record<string, string>> = {
  authorization: 'Authorization',
  'x-amz-date': 'X-Amz-Date',
  'x-amz-security-token': 'X-Amz-Security-Token',
  'x-amz-content-sha256': 'X-Amz-Content-Sha256',
};

function headerCase(lower: string): string {
  return headerNames[lower] ?? lower;
}

/** The SHA-256 of a body as it will be sent: files are read once here, then streamed again when sent. */
export async function payloadHash(body: readonly BodyChunk[] | undefined): Promise<string> {
  const hash = createHash('sha256');
  for (const chunk of body ?? []) {
    if (chunk instanceof Uint8Array) {
      hash.update(chunk);
      continue;
    }
    for await (const piece of createReadStream(chunk.path, { highWaterMark: 64 * 1024 })) hash.update(piece as Buffer);
  }
  return hash.digest('hex');
}

/** True when the request wrote its own X-Amz-Content-Sha256 (e.g. `UNSIGNED-PAYLOAD` for S3): then the body is not read to hash it. */
export function writesPayloadHash(headers: HeaderList): boolean {
  return headers.some(([name]) => name.toLowerCase() === 'x-amz-content-sha256');
}

/**
 * Headers as an exchange records them: the secret key of an `AWS` value and the session token
 * sent as X-Amz-Security-Token are replaced by `<redacted>`, so no report, history entry or panel
 * ever holds them (the wire carries the token; the secret key never leaves Courier).
 */
export function hideAwsSecrets(headers: HeaderList): HeaderList {
  if (!headers.some(([name, value]) => name.toLowerCase() === 'x-amz-security-token' || (name.toLowerCase() === 'authorization' && isAwsAuthorization(value)))) return headers;
  return headers.map(([name, value]) => {
    const lower = name.toLowerCase();
    if (lower === 'x-amz-security-token') return [name, redactedMarker] as const;
    if (lower === 'authorization' && isAwsAuthorization(value)) return [name, `AWS ${redactedMarker}`] as const;
    return [name, value] as const;
  });
}

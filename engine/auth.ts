// Authorization helpers applied to the prepared headers before sending: `Basic user:password` and
// `Basic user password` become base64; `Digest user password` answers the server's 401 challenge
// (RFC 7616, MD5 and SHA-256, with or without qop=auth); `AWS <key> <secret> ...` is taken out and
// signs each hop (awsSignature.ts).
import { createHash, randomBytes } from 'node:crypto';
import { isAwsAuthorization, parseAwsAuthorization } from '../language/awsAuthorization';
import type { AwsSigning } from './awsSignature';
import { EngineFailure } from './errors';

type HeaderList = readonly (readonly [name: string, value: string])[];

/** Credentials to answer a Digest challenge with. */
export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
}

/** Headers ready to send, and the credentials of Digest or AWS when the request asked for them. */
export interface AuthorizedHeaders {
  readonly headers: HeaderList;
  readonly digest: DigestCredentials | undefined;
  /** AWS Signature Version 4: the header is taken out, and each hop is signed with these. */
  readonly aws: AwsSigning | undefined;
}

/**
 * Encodes Basic credentials and takes Digest credentials (sent only after the challenge) and AWS
 * credentials (never sent: they sign) out of the headers. `where` (`file:line`) names the request
 * in the error a malformed AWS value is.
 */
export function applyAuthorization(headers: HeaderList, where = 'the request'): AuthorizedHeaders {
  let digest: DigestCredentials | undefined;
  let aws: AwsSigning | undefined;
  const result: (readonly [string, string])[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'authorization') {
      result.push([name, value]);
      continue;
    }
    if (isAwsAuthorization(value)) {
      const { credentials, problems } = parseAwsAuthorization(value);
      if (credentials === undefined) throw new EngineFailure('other', `${where}: Authorization: ${problems[0]?.message ?? 'not an AWS value Courier can read'}`);
      aws = { credentials, where };
      continue;
    }
    const [, scheme = '', rest = ''] = /^(\S+)\s+(.*)$/s.exec(value.trim()) ?? [];
    if (scheme.toLowerCase() === 'basic') {
      result.push([name, `Basic ${encodeBasic(rest.trim())}`]);
    } else if (scheme.toLowerCase() === 'digest' && !rest.includes('=')) {
      const [, username = '', password = ''] = /^(\S+)\s*(.*)$/s.exec(rest.trim()) ?? [];
      digest = { username, password };
    } else {
      result.push([name, value]);
    }
  }
  return { headers: result, digest, aws };
}

/** `user password` or `user:password` to base64; a value that is already a token is left alone. */
export function encodeBasic(credentials: string): string {
  const spaced = /^([^\s:]+)\s+(.*)$/s.exec(credentials);
  if (spaced !== null) return Buffer.from(`${spaced[1]}:${spaced[2]}`, 'utf8').toString('base64');
  if (credentials.includes(':')) return Buffer.from(credentials, 'utf8').toString('base64');
  return credentials;
}

/** The parameters of one `WWW-Authenticate: Digest ...` challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  /** `MD5`, `SHA-256`, or their `-sess` variants. */
  readonly algorithm: string;
  /** `auth` when offered; undefined for the legacy RFC 2069 form. */
  readonly qop: 'auth' | undefined;
  readonly userhash: boolean;
}

const supportedAlgorithms = new Set(['MD5', 'MD5-SESS', 'SHA-256', 'SHA-256-SESS']);

/** The best Digest challenge we can answer (SHA-256 over MD5), from all WWW-Authenticate values. */
export function parseDigestChallenge(headerValues: readonly string[]): DigestChallenge | undefined {
  const challenges: DigestChallenge[] = [];
  for (const value of headerValues) {
    for (const match of value.matchAll(/Digest\s+((?:[^,"]+?=(?:"(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?\s*)+)/gi)) {
      const parameters = new Map<string, string>();
      for (const [, key = '', quoted, bare] of (match[1] ?? '').matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
        parameters.set(key.toLowerCase(), quoted === undefined ? (bare ?? '') : quoted.replace(/\\(.)/g, '$1'));
      }
      const realm = parameters.get('realm');
      const nonce = parameters.get('nonce');
      const algorithm = (parameters.get('algorithm') ?? 'MD5').toUpperCase();
      if (realm === undefined || nonce === undefined || !supportedAlgorithms.has(algorithm)) continue;
      const qops = (parameters.get('qop') ?? '').split(',').map((qop) => qop.trim().toLowerCase());
      if (parameters.has('qop') && !qops.includes('auth')) continue;
      challenges.push({
        realm,
        nonce,
        opaque: parameters.get('opaque'),
        algorithm,
        qop: qops.includes('auth') ? 'auth' : undefined,
        userhash: parameters.get('userhash')?.toLowerCase() === 'true',
      });
    }
  }
  return challenges.find((challenge) => challenge.algorithm.startsWith('SHA-256')) ?? challenges[0];
}

/** The `Authorization` value answering `challenge` for `method` on `uri` (the request target: path and query). */
export function digestAuthorization(
  challenge: DigestChallenge,
  credentials: DigestCredentials,
  method: string,
  uri: string,
  cnonce: string = randomBytes(16).toString('hex'),
  nonceCount = 1,
): string {
  const hashName = challenge.algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const hash = (text: string): string => createHash(hashName).update(text, 'utf8').digest('hex');
  const nc = nonceCount.toString(16).padStart(8, '0');
  let ha1 = hash(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  if (challenge.algorithm.endsWith('-SESS')) ha1 = hash(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = hash(`${method}:${uri}`);
  const response =
    challenge.qop === 'auth' ? hash(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`) : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const username = challenge.userhash ? hash(`${credentials.username}:${challenge.realm}`) : credentials.username;
  const parts = [
    `username="${quote(username)}"`,
    `realm="${quote(challenge.realm)}"`,
    `uri="${quote(uri)}"`,
    `algorithm=${challenge.algorithm}`,
    `nonce="${quote(challenge.nonce)}"`,
  ];
  if (challenge.qop === 'auth') parts.push(`nc=${nc}`, `cnonce="${cnonce}"`, 'qop=auth');
  parts.push(`response="${response}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${quote(challenge.opaque)}"`);
  if (challenge.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}

function quote(text: string): string {
  return text.replace(/(["\\])/g, '\\$1');
}

// `/basic-auth/:user/:pass` and `/digest-auth/:user/:pass`: HTTP authentication
// schemes checked exactly, so a client's implementation can be tested against them.
import { createHash, randomBytes } from 'node:crypto';
import { DemoError, type Route, sendJson } from './exchange';

export const realm = 'courier-demo';

function unauthorized(challenge: string, message: string): DemoError {
  return new DemoError(401, message, undefined, { 'WWW-Authenticate': challenge });
}

export function basicAuthRoute(): Route {
  return {
    methods: 'any',
    path: '/basic-auth/:user/:pass',
    handler: ({ request, response, params }) => {
      const challenge = `Basic realm="${realm}", charset="UTF-8"`;
      const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
      if (match === null) throw unauthorized(challenge, 'send "Authorization: Basic base64(user:password)"');
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      if (decoded !== `${params.user}:${params.pass}`) throw unauthorized(challenge, 'wrong user or password');
      sendJson(response, 200, { authenticated: true, user: params.user, scheme: 'basic' });
    },
  };
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/** `key="value", key=value` parameters of a Digest Authorization header. */
export function parseAuthParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const match of text.matchAll(pattern)) {
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return params;
}

/** The `response` value RFC 7616 (MD5, qop=auth) expects for these parameters. */
export function digestResponse(input: {
  readonly username: string;
  readonly password: string;
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  readonly nc: string;
  readonly cnonce: string;
}): string {
  const ha1 = md5(`${input.username}:${realm}:${input.password}`);
  const ha2 = md5(`${input.method}:${input.uri}`);
  return md5(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:auth:${ha2}`);
}

export function digestAuthRoute(): Route {
  // Nonces this server issued; a client must answer one of them.
  const nonces = new Set<string>();
  const opaque = randomBytes(8).toString('hex');
  const challenge = (): string => {
    const nonce = randomBytes(16).toString('hex');
    nonces.add(nonce);
    return `Digest realm="${realm}", qop="auth", algorithm=MD5, nonce="${nonce}", opaque="${opaque}"`;
  };
  return {
    methods: 'any',
    path: '/digest-auth/:user/:pass',
    handler: ({ request, response, params }) => {
      const header = request.headers.authorization ?? '';
      if (!/^Digest\s/i.test(header)) throw unauthorized(challenge(), 'send a Digest Authorization header answering the challenge');
      const fields = parseAuthParams(header.replace(/^Digest\s+/i, ''));
      const problems: string[] = [];
      if (fields.username !== params.user) problems.push('username does not match');
      if (fields.realm !== realm) problems.push(`realm must be "${realm}"`);
      if (fields.nonce === undefined || !nonces.has(fields.nonce)) problems.push('nonce was not issued by this server');
      if (fields.qop !== 'auth') problems.push('qop must be auth');
      if (fields.algorithm !== undefined && fields.algorithm.toUpperCase() !== 'MD5') problems.push('algorithm must be MD5');
      if (fields.uri !== request.url) problems.push(`uri must be the request target "${request.url}"`);
      if (fields.nc === undefined || fields.cnonce === undefined || fields.response === undefined) problems.push('nc, cnonce and response are required');
      if (problems.length === 0) {
        const expected = digestResponse({
          username: params.user,
          password: params.pass,
          method: request.method ?? 'GET',
          uri: fields.uri,
          nonce: fields.nonce,
          nc: fields.nc,
          cnonce: fields.cnonce,
        });
        if (expected !== fields.response) problems.push('response digest is wrong (check the password)');
      }
      if (problems.length > 0) throw new DemoError(401, 'digest authentication failed', problems, { 'WWW-Authenticate': challenge() });
      sendJson(response, 200, { authenticated: true, user: params.user, scheme: 'digest' });
    },
  };
}

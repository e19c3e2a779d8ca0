// The server the generated documents talk to. Each generated URL starts with
// `/d<document>/r<request>/<behaviour>/`, and the behaviour says how to answer: a plain JSON body,
// a redirect, cookies to set, a Digest challenge. Every answer is a pure function of the request,
// so the base and the head CLI get the same responses and any difference in what they send next
// is their own.

import type { FramedRequest } from './httpFraming';

/** What the responder needs to know about where it listens (for cross-origin redirects). */
export interface ResponderContext {
  /** `http://127.0.0.1:<port>` of the second listener, a different origin. */
  readonly otherOrigin: string;
}

/** The behaviours a generated URL can ask for, as `/d1/r2/<behaviour>/...`. */
export const behaviours = ['ok', 'r301', 'r302', 'r303', 'r307', 'r308', 'rcross', 'cookie', 'digest', 'close'] as const;
export type Behaviour = (typeof behaviours)[number];

/** Fixed so the Digest answers of both runs differ only by their client nonce. */
const digestChallenge = 'Digest realm="differential", qop="auth", algorithm=MD5, nonce="0123456789abcdef0123456789abcdef", opaque="fedcba9876543210"';

/** An answer, before it is written as HTTP/1.1 or HTTP/2. */
export interface Answer {
  readonly status: number;
  /** Besides Content-Type and Content-Length; Set-Cookie may repeat. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  /** Close the connection after it (HTTP/1.1 only). */
  readonly close: boolean;
}

/** The answer to `request` (its request line and headers), HTTP version aside. */
export function answer(request: Pick<FramedRequest, 'requestLine' | 'headers'>, context: ResponderContext): Answer {
  const [method = '', target = '/'] = request.requestLine.split(' ');
  const path = target.startsWith('/') ? target : target.replace(/^[a-z]+:\/\/[^/]*/i, '');
  const match = /^\/d(\d+)\/r(\d+)\/([a-z0-9]+)/.exec(path);
  const id = match === null ? 'unknown' : `d${match[1]}-r${match[2]}`;
  const behaviour = match?.[3] ?? 'ok';
  const headers: [string, string][] = [['X-Token', `header-token-${id}`]];
  const after = match === null ? '/' : `/d${match[1]}/r${match[2]}/ok/after-redirect`;
  let status = 200;
  switch (behaviour) {
    case 'r301':
    case 'r302':
    case 'r303':
    case 'r307':
    case 'r308':
      status = Number(behaviour.slice(1));
      headers.push(['Location', after]);
      break;
    case 'rcross':
      status = 302;
      headers.push(['Location', `${context.otherOrigin}${after}`]);
      break;
    case 'cookie':
      headers.push(['Set-Cookie', `session_${id.replace('-', '_')}=s-${id}; Path=/`], ['Set-Cookie', `scoped=only-here; Path=${match === null ? '/' : `/d${match[1]}/r${match[2]}`}`]);
      break;
    case 'digest':
      if (!request.headers.some(([name, value]) => name.toLowerCase() === 'authorization' && /^Digest\s/i.test(value))) {
        status = 401;
        headers.push(['WWW-Authenticate', digestChallenge]);
      }
      break;
  }
  const body = method === 'HEAD' ? '' : JSON.stringify({ id, token: `body-token-${id}`, nested: { list: [1, 2, 3], name: `item ${id}` } });
  return { status, headers, body, close: behaviour === 'close' };
}

/** The answer as HTTP/1.1 bytes. */
export function http1Response(answered: Answer, method: string): Buffer {
  const head = [
    `HTTP/1.1 ${answered.status} ${reasons[answered.status] ?? 'Status'}`,
    'Content-Type: application/json',
    `Content-Length: ${method === 'HEAD' ? 0 : Buffer.byteLength(answered.body)}`,
    `Connection: ${answered.close ? 'close' : 'keep-alive'}`,
    ...answered.headers.map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${answered.body}`);
}

/** The response bytes for an HTTP/1.1 `request`, and whether to close the connection after them. */
export function respond(request: FramedRequest, context: ResponderContext): { readonly bytes: Buffer; readonly close: boolean } {
  const answered = answer(request, context);
  return { bytes: http1Response(answered, request.requestLine.split(' ')[0] ?? ''), close: answered.close };
}

const reasons: Readonly<Record<number, string>> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  401: 'Unauthorized',
};

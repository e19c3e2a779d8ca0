// Redirects are followed by the session itself (not undici) so each hop gets its own cookies.
// These functions decide where a 3xx leads and what the next hop sends.
import { EngineFailure } from './errors';
import { unsendableUrlProblem } from './transport';

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** True for the statuses that carry a Location to follow. */
export function isRedirect(status: number): boolean {
  return redirectStatuses.has(status);
}

/** The next hop of a redirect: where to go and whether the method and body are kept. */
export interface RedirectHop {
  readonly url: URL;
  readonly method: string;
  readonly keepBody: boolean;
  /** True when the origin changes: credentials the user wrote must not follow. */
  readonly crossOrigin: boolean;
}

/** Resolves a redirect; 301/302/303 become GET without a body (HEAD stays HEAD), 307/308 keep both. */
export function followRedirect(status: number, location: string | undefined, from: URL, method: string): RedirectHop {
  if (location === undefined || location.trim() === '') {
    throw new EngineFailure('invalid-response', `${from.href} answered ${status} without a Location header, so the redirect cannot be followed`);
  }
  let url: URL;
  try {
    url = new URL(location.trim(), from);
  } catch {
    throw new EngineFailure('invalid-response', `${from.href} redirected to "${location}", which is not a valid URL`);
  }
  // A WebSocket handshake redirected to http(s) stays a WebSocket handshake, with its method.
  const handshake = from.protocol === 'ws:' || from.protocol === 'wss:';
  if (handshake && (url.protocol === 'http:' || url.protocol === 'https:')) url = new URL(url.href.replace(/^http/i, 'ws'));
  const problem = unsendableUrlProblem(url.href, url, method);
  if (problem !== undefined) throw new EngineFailure('invalid-response', `${from.href} redirected to ${problem}; the redirect is not followed`);
  // The fragment stays with the client; a redirect without one inherits the original's (RFC 9110 10.2.2).
  if (url.hash === '' && from.hash !== '') url.hash = from.hash;
  const keep = status === 307 || status === 308 || method === 'HEAD' || handshake;
  return { url, method: keep ? method : 'GET', keepBody: status === 307 || status === 308, crossOrigin: url.origin !== from.origin };
}

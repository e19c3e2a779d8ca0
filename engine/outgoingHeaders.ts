// The rules for the headers a hop sends, in one place: what the connection manages (never sent as
// written), how a body's length is declared, which user Cookie headers merge with the jar's, and
// what follows a redirect. The session adds cookies and the body size; everything else is here.
import { defaultUserAgent } from './version';
import type { HeaderList } from './transport';

type MutableHeaders = [name: string, value: string][];

/** A hop's headers after the rules, before cookies from the jar and the body's length are added. */
export interface OutgoingHeaderPlan {
  readonly headers: MutableHeaders;
  /** The user asked for `Transfer-Encoding: chunked`: the body is streamed without a length. */
  readonly chunked: boolean;
  /** Cookie headers the user wrote, joined, when the jar's cookies are to be merged with them. */
  readonly userCookie: string | undefined;
}

/** Applies the rules to the headers a request wrote; `warnings` says what was dropped and why. */
export function planOutgoingHeaders(written: HeaderList, mergeCookies: boolean, warnings: string[]): OutgoingHeaderPlan {
  const headers: MutableHeaders = [];
  let chunked = false;
  let userCookie: string | undefined;
  for (const [name, value] of written) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue;
    if (lower === 'transfer-encoding') {
      if (/(^|,)\s*chunked\s*$/i.test(value)) chunked = true;
      else warnings.push(`Transfer-Encoding "${value}" is not supported and was not sent`);
      continue;
    }
    if (lower === 'keep-alive' || lower === 'upgrade' || lower === 'expect') {
      warnings.push(`the ${name} header is managed by the connection and was not sent`);
      continue;
    }
    if (lower === 'cookie' && mergeCookies) {
      userCookie = userCookie === undefined ? value : `${userCookie}; ${value}`;
      continue;
    }
    headers.push([name, value]);
  }
  if (!headers.some(([name]) => name.toLowerCase() === 'user-agent')) headers.push(['User-Agent', defaultUserAgent]);
  return { headers, chunked, userCookie };
}

/** Adds the body's framing: `Transfer-Encoding: chunked` when asked, otherwise its exact length. */
export function declareBodyLength(headers: MutableHeaders, chunked: boolean, bodySize: number): void {
  headers.push(chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(bodySize)]);
}

/** After a redirect, body headers go with the body, and credentials never cross origins. */
export function keepHeaderOnRedirect(lower: string, keepBody: boolean, crossOrigin: boolean): boolean {
  if (!keepBody && (lower === 'content-type' || lower === 'content-encoding' || lower === 'content-language' || lower === 'content-location')) return false;
  if (crossOrigin && (lower === 'authorization' || lower === 'cookie' || lower === 'proxy-authorization')) return false;
  return true;
}

// The URL fast path of diagnostics: most targets are plain web URLs (`https://api.example.com/...`),
// recognised here from their characters without `new URL`, which costs more than the rest of a
// request's checks. Anything unusual is left to `new URL` and judged against the schemes Courier sends.

import { sendableScheme } from './data/urlSchemes';
import { isAsciiLetter } from './scanner';

/** What is wrong with a URL: it does not parse, or Courier cannot send to its scheme (`protocol`, e.g. `ws:`). */
export type UrlProblem = { readonly kind: 'invalid' } | { readonly kind: 'scheme'; readonly protocol: string };

const invalidUrl: UrlProblem = Object.freeze({ kind: 'invalid' });

/**
 * What is wrong with `url` for a request with `method` (GET when not given), if anything: the
 * scheme's verdict is remembered in `verdicts` (one pass's), since requests share URLs; whether the
 * method may go to that scheme (`GET ws://`, `WEBSOCKET https://`) is asked each time.
 */
export function urlProblem(url: string, verdicts: Map<string, UrlProblem | undefined>, method = 'GET'): UrlProblem | undefined {
  const problem = schemeProblem(url, verdicts);
  if (problem !== undefined) return problem;
  const protocol = `${url.slice(0, url.indexOf(':')).toLowerCase()}:`;
  return sendableScheme(protocol, method) === undefined ? { kind: 'scheme', protocol } : undefined;
}

function schemeProblem(url: string, verdicts: Map<string, UrlProblem | undefined>): UrlProblem | undefined {
  // Most targets are plain web URLs, each different (ids in paths): no parse, and nothing to remember.
  if (isPlainWebUrl(url)) return undefined;
  if (verdicts.has(url)) return verdicts.get(url);
  let problem: UrlProblem | undefined;
  try {
    const parsed = new URL(url);
    if (sendableScheme(parsed.protocol) === undefined) problem = { kind: 'scheme', protocol: parsed.protocol };
  } catch {
    problem = invalidUrl;
  }
  verdicts.set(url, problem);
  return problem;
}

/**
 * Whether `url` is certainly one `new URL` accepts with an http or https scheme:
 * `scheme://host[:port]` then nothing or `/`, `?`, `#` and anything (paths, queries and
 * fragments never fail to parse). The host is plain dot-separated labels of letters, digits
 * and `-`, its last label starting with a letter (so it is no IPv4 address) and none starting
 * with `xn--` (punycode, which may fail to decode). Anything else is left to `new URL`.
 */
export function isPlainWebUrl(url: string): boolean {
  const offset = plainWebOriginEnd(url);
  if (offset === -1) return false;
  if (offset === url.length) return true;
  return isAfterOrigin(url.charCodeAt(offset));
}

/** Whether `value` starts with what `isPlainWebUrl` accepts, followed by `/`, `?` or `#`: whatever is appended, it stays plain. */
export function startsWithPlainWebOrigin(value: string | undefined): boolean {
  if (value === undefined) return false;
  const offset = plainWebOriginEnd(value);
  return offset !== -1 && offset < value.length && isAfterOrigin(value.charCodeAt(offset));
}

function isAfterOrigin(code: number): boolean {
  return code === 0x2f /* / */ || code === 0x3f /* ? */ || code === 0x23 /* # */;
}

/** Where the plain `scheme://host[:port]` that `url` starts with ends (see `isPlainWebUrl`), or -1. */
function plainWebOriginEnd(url: string): number {
  const hostStart = webSchemeLength(url);
  if (hostStart === 0) return -1;
  let offset = hostStart;
  let labelStart = offset;
  for (; offset < url.length; offset++) {
    const code = url.charCodeAt(offset);
    if (code === 0x2e /* . */) {
      if (!isPlainLabel(url, labelStart, offset)) return -1;
      labelStart = offset + 1;
    } else if (!isLabelCharacter(code)) break;
  }
  if (!isPlainLabel(url, labelStart, offset) || !isAsciiLetter(url.charCodeAt(labelStart) | 0x20)) return -1;
  if (offset < url.length && url.charCodeAt(offset) === 0x3a /* : */) {
    const portStart = offset + 1;
    let port = 0;
    for (offset = portStart; offset < url.length && isAsciiDigit(url.charCodeAt(offset)); offset++) port = port * 10 + url.charCodeAt(offset) - 0x30;
    if (offset === portStart || offset - portStart > 5 || port > 65535) return -1;
  }
  return offset;
}

/**
 * Length of a leading `http://` or `https://` (any case), or 0. Char codes, no copies: every
 * target asks. Written out rather than read from `SENDABLE_SCHEMES`: a scheme added there is
 * judged by `new URL` until it is added here too, slower but right.
 */
function webSchemeLength(url: string): number {
  const colon = url.indexOf('://');
  if (colon !== 4 && colon !== 5) return 0;
  const isHttp = hasAt(url, 0, 'http') && (colon === 4 || (url.charCodeAt(4) | 0x20) === 0x73 /* s */);
  return isHttp ? colon + 3 : 0;
}

/** Whether `url` has `lowerWord` at `offset`, ignoring ASCII case. */
function hasAt(url: string, offset: number, lowerWord: string): boolean {
  for (let index = 0; index < lowerWord.length; index++) {
    if ((url.charCodeAt(offset + index) | 0x20) !== lowerWord.charCodeAt(index)) return false;
  }
  return true;
}

function isPlainLabel(url: string, start: number, end: number): boolean {
  return end > start && !(end - start >= 4 && hasAt(url, start, 'xn--'));
}

function isLabelCharacter(code: number): boolean {
  return isAsciiLetter(code | 0x20) || isAsciiDigit(code) || code === 0x2d /* - */;
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}


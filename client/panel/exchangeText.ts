// The "Save exchange" format: the request and the response as they went over the wire,
// readable in any editor and close to what `curl -v` shows.
import { type Exchange } from '../../engine/model';

function headerLines(headers: readonly (readonly [string, string])[]): string[] {
  return headers.map(([name, value]) => `${name}: ${value}`);
}

/** Request line, request headers, then status line, response headers and `bodyText` (or a note when there is none). */
export function exchangeAsText(exchange: Exchange, bodyText: string | undefined): string {
  const lines: string[] = [`${exchange.request.method} ${exchange.request.url}`, ...headerLines(exchange.request.headers)];
  if (exchange.request.bodySize > 0) lines.push('', `(${exchange.request.bodySize} bytes of request body)`);
  for (const redirect of exchange.redirects) lines.push('', `# redirected by ${redirect.status} to ${redirect.url}`);
  lines.push('');
  const response = exchange.response;
  if (response === undefined) {
    lines.push(`# no response: ${exchange.error?.code ?? 'unknown'}: ${exchange.error?.message ?? 'the request did not complete'}`);
  } else {
    lines.push(`HTTP/${response.httpVersion} ${response.status} ${response.statusText}`.trimEnd(), ...headerLines(response.headers), '');
    if (bodyText !== undefined) lines.push(bodyText);
    else if (response.body.size > 0) lines.push(`(${response.body.size} bytes of ${response.body.contentType ?? 'binary'} body, not text)`);
  }
  for (const warning of exchange.warnings) lines.push(`# warning: ${warning}`);
  return lines.join('\n');
}

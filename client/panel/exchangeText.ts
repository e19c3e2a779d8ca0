// The "Save exchange" format: the request and the response as they went over the wire,
// readable in any editor and close to what `curl -v` shows.
import { type Exchange, type MessageStream } from '../../engine/model';
import { describeStreamEnd, messageDataText, messageHeading } from '../../engine/streamMessages';

/** Characters of one message's data written out: a saved exchange is for reading, not a copy of a huge frame. */
const savedMessageChars = 1 << 20;

function headerLines(headers: readonly (readonly [string, string])[]): string[] {
  return headers.map(([name, value]) => `${name}: ${value}`);
}

/** Each message (heading, then its data), with how many were not kept and how the stream ended as comments. */
function streamLines(stream: MessageStream): string[] {
  const lines = [`# ${stream.protocol}: ${stream.count} ${stream.count === 1 ? 'message' : 'messages'}`];
  const notKept = stream.count - stream.messages.length;
  if (notKept > 0) lines.push(`# ${notKept} earlier ${notKept === 1 ? 'message was' : 'messages were'} not kept${stream.file === undefined ? '' : `; all of them are in ${stream.file}`}`);
  for (const message of stream.messages) {
    const data = messageDataText(message.data, savedMessageChars);
    lines.push(messageHeading(message), data.omitted > 0 ? `${data.text} … (${data.omitted} more characters)` : data.text);
  }
  lines.push(`# stream ${describeStreamEnd(stream.end)}`);
  return lines;
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
    // A stream's messages say what its raw bytes say, one message at a time.
    if (response.shape === 'stream') lines.push(...streamLines(response.stream));
    else if (bodyText !== undefined) lines.push(bodyText);
    else if (response.body.size > 0) lines.push(`(${response.body.size} bytes of ${response.body.contentType ?? 'binary'} body, not text)`);
  }
  for (const warning of exchange.warnings) lines.push(`# warning: ${warning}`);
  return lines.join('\n');
}

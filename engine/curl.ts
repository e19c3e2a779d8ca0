// A PreparedRequest as a cURL command a POSIX shell (bash, zsh, sh) runs to send the same
// bytes: every argument single-quoted, binary bodies as $'\xHH' strings, Basic and Digest
// credentials as `-u`, AWS Signature V4 as curl's `--aws-sigv4` with the secret key and session
// token read from the shell's AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (never written out),
// files streamed with `@path`, and bodies mixing text and files piped in. Pure: no file is read.

import { isAwsAuthorization, parseAwsAuthorization } from '../language/awsAuthorization';
import { encodeBasic } from './auth';
import { awsScope } from './awsSignature';
import type { BodyChunk, PreparedRequest } from './model';

/** Quotes `text` as one POSIX shell word; plain words stay bare so commands read naturally. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Quotes bytes that are not plain text (NUL, invalid UTF-8) as a bash/zsh `$'...'` word. */
function quoteBytes(bytes: Uint8Array): string {
  let quoted = "$'";
  for (const byte of bytes) {
    if (byte === 0x27) quoted += "\\'";
    else if (byte === 0x5c) quoted += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) quoted += String.fromCharCode(byte);
    else quoted += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${quoted}'`;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of `bytes` when it is UTF-8 without NUL (safe inside single quotes), else undefined. */
function asShellText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function quoteChunk(bytes: Uint8Array): string {
  const text = asShellText(bytes);
  return text === undefined ? quoteBytes(bytes) : shellQuote(text);
}

/** Adjacent in-memory chunks merged, so text split across chunks is quoted once. */
function mergeChunks(chunks: readonly BodyChunk[]): BodyChunk[] {
  const merged: BodyChunk[] = [];
  for (const chunk of chunks) {
    const previous = merged.at(-1);
    if (chunk instanceof Uint8Array && previous instanceof Uint8Array) {
      const joined = new Uint8Array(previous.length + chunk.length);
      joined.set(previous);
      joined.set(chunk, previous.length);
      merged[merged.length - 1] = joined;
    } else {
      merged.push(chunk);
    }
  }
  return merged;
}

/** Options of `toCurl`. */
export interface CurlOptions {
  /** Put each option on its own line, joined by ` \` (default true). */
  readonly multiline?: boolean;
}

/** The cURL command that sends `request` as Courier would (redirects, timeouts, TLS choices included). */
export function toCurl(request: PreparedRequest, options: CurlOptions = {}): string {
  const words: string[][] = [];
  const method = request.method.toUpperCase();
  const chunks = request.body === undefined ? [] : mergeChunks(request.body).filter((chunk) => !(chunk instanceof Uint8Array && chunk.length === 0));
  const hasBody = chunks.length > 0;
  let stdin: string | undefined;

  // curl sends GET without a body and POST with one; anything else is said explicitly. HEAD needs --head, or curl waits for a body.
  if (method === 'HEAD') words.push(['--head']);
  else if (!(method === 'GET' && !hasBody) && !(method === 'POST' && hasBody)) words.push(['-X', shellQuote(method)]);

  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' && isAwsAuthorization(value)) {
      words.push(...awsSigV4(value, request.url));
      continue;
    }
    if (lower === 'authorization') {
      const credentials = curlCredentials(value);
      if (credentials !== undefined) {
        words.push(credentials);
        continue;
      }
    }
    // `Name;` is how curl sends a header with an empty value (`Name:` would remove it).
    words.push(['-H', shellQuote(value === '' ? `${name};` : `${name}: ${value}`)]);
  }

  if (hasBody) {
    const [only] = chunks;
    if (chunks.length === 1 && only !== undefined) {
      words.push(only instanceof Uint8Array ? ['--data-binary', quoteChunk(only)] : ['--data-binary', shellQuote(`@${only.path}`)]);
    } else {
      // curl cannot join text and files into one body: the shell does, and curl reads it from stdin.
      stdin = `{ ${chunks.map((chunk) => (chunk instanceof Uint8Array ? `printf '%s' ${quoteChunk(chunk)}` : `cat ${shellQuote(chunk.path)}`)).join('; ')}; }`;
      words.push(['--data-binary', '@-']);
    }
  }

  const sendOptions = request.options;
  if (sendOptions.followRedirects) words.push(['--location', '--max-redirs', String(sendOptions.maxRedirects)]);
  if (sendOptions.timeoutMs !== undefined) words.push(['--max-time', seconds(sendOptions.timeoutMs)]);
  if (sendOptions.connectTimeoutMs !== undefined) words.push(['--connect-timeout', seconds(sendOptions.connectTimeoutMs)]);
  if (sendOptions.insecure) words.push(['--insecure']);
  if (sendOptions.retries > 0) words.push(['--retry', String(sendOptions.retries)]);
  if (request.httpVersion === '2') words.push(['--http2']);
  else if (request.httpVersion === '2-prior-knowledge') words.push(['--http2-prior-knowledge']);

  const command = ['curl', ...words.map((word) => word.join(' ')), shellQuote(request.url)];
  const joined = options.multiline === false ? command.join(' ') : command.join(' \\\n  ');
  return stdin === undefined ? joined : `${stdin} | ${joined}`;
}

/** `-u user:password` for Basic credentials written as `user password` or `user:password`, `--digest -u` for Digest; undefined for a token. */
function curlCredentials(value: string): string[] | undefined {
  const [, scheme = '', rest = ''] = /^(\S+)\s+(.*)$/s.exec(value.trim()) ?? [];
  const credentials = rest.trim();
  const spaced = /^([^\s:]+)\s+(.*)$/s.exec(credentials);
  const userPassword = spaced !== null ? `${spaced[1]}:${spaced[2]}` : credentials.includes(':') ? credentials : undefined;
  if (scheme.toLowerCase() === 'basic' && userPassword !== undefined && encodeBasic(credentials) !== credentials) return ['-u', shellQuote(userPassword)];
  // The engine reads Digest credentials as `user password` only.
  if (scheme.toLowerCase() === 'digest' && !credentials.includes('=') && spaced !== null) return ['--digest', '-u', shellQuote(`${spaced[1]}:${spaced[2]}`)];
  return undefined;
}

/**
 * curl signs the request itself: `--aws-sigv4 aws:amz:<region>:<service>`, the access key id as
 * written, the secret key and session token from the environment so the command holds no secret.
 */
function awsSigV4(value: string, url: string): string[][] {
  const { credentials } = parseAwsAuthorization(value);
  if (credentials === undefined) return [['-H', shellQuote('Authorization: AWS <malformed: see the request>')]];
  let hostname = '';
  try {
    hostname = new URL(url).hostname;
  } catch {
    // A URL curl cannot parse either: the scope is left to curl.
  }
  const { region, service } = awsScope(hostname, credentials);
  const provider = ['aws', 'amz', region, ...(service === '' ? [] : [service])].join(':');
  const words = [['--aws-sigv4', shellQuote(provider)], ['-u', `"${doubleQuoted(credentials.accessKeyId)}:$AWS_SECRET_ACCESS_KEY"`]];
  if (credentials.sessionToken !== undefined) words.push(['-H', '"X-Amz-Security-Token: $AWS_SESSION_TOKEN"']);
  return words;
}

/** `text` safe inside a double-quoted shell word. */
function doubleQuoted(text: string): string {
  return text.replace(/([\\"$`])/g, '\\$1');
}

function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

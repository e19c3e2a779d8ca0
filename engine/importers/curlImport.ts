// A cURL command (as copied from a browser's network tab, API docs or a terminal) becomes the
// text of `.http` requests that send what curl sends: the same method as written, target, headers
// and body bytes. Each option that changes what curl sends is read as curl 7.88 reads it (its
// manual); what a `.http` file cannot say is reported as a warning, never dropped silently.
// Files the command names are read only through the `readFile` the caller hands in (curl reads
// `-d @file` and strips its line breaks, which a `< file` body would not do).

import { commandWords, CurlSyntaxError } from './curlWords';
import { readCurlArguments, CurlUsageError, type CurlOption } from './curlOptions';
import { methodOnTheWire } from '../session';

/** The request text, or why the command could not be read. */
export type CurlImportResult =
  | { readonly text: string; readonly warnings: readonly string[] }
  | { readonly error: string };

export interface CurlImportOptions {
  /** Reads a file the command names, as curl would when run; undefined when it cannot. Without it, files are referenced, not read. */
  readonly readFile?: (path: string) => Uint8Array | undefined;
  /** How a path of the command is written in the `.http` file (which resolves it from its own folder); as written by default. */
  readonly filePath?: (path: string) => string;
  /** When a file was last modified (`-z file` sends it as If-Modified-Since); undefined when unknown. */
  readonly modifiedTime?: (path: string) => Date | undefined;
  /** The time cookie files' expiry dates are compared with; now by default. */
  readonly now?: Date;
}

/** A body is text and files sent as they are, in order. */
type Segment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'file'; readonly path: string };

interface FormPart {
  readonly name: string;
  readonly content: Segment;
  readonly filename: string | undefined;
  readonly type: string | undefined;
  readonly headers: readonly string[];
}

/** One data option's contribution; `--json` values join without curl's `&`. */
interface DataItem {
  readonly segments: readonly Segment[];
  readonly json: boolean;
}

/** What the options of one command ask for, before it becomes text. */
interface Command {
  method: string | undefined;
  readonly urls: readonly string[];
  readonly custom: [name: string, value: string][];
  /** Header names given as `-H "Name:"`: curl sends none of that name. */
  readonly removed: Set<string>;
  readonly data: DataItem[];
  readonly queries: string[];
  readonly form: FormPart[];
  upload: string | undefined;
  json: boolean;
  get: boolean;
  head: boolean;
  user: string | undefined;
  authScheme: 'basic' | 'digest';
  bearer: string | undefined;
  userAgent: string | undefined;
  referer: string | undefined;
  autoReferer: boolean;
  readonly cookies: string[];
  /** The text of each `-b file`, read when the command was. */
  readonly cookieFiles: string[];
  cookieEngine: boolean;
  /** Headers from -z, --etag-compare and -C, in the order curl writes them. */
  readonly conditions: [name: string, value: string][];
  protoDefault: string;
  pathAsIs: boolean;
  compressed: boolean;
  range: string | undefined;
  insecure: boolean;
  location: boolean;
  globOff: boolean;
  version: string | undefined;
  timeoutSeconds: string | undefined;
  connectTimeoutSeconds: string | undefined;
  readonly warnings: string[];
}

/** Turns a curl command into the text of `.http` requests; never throws. */
export function importCurl(command: string, options: CurlImportOptions = {}): CurlImportResult {
  let words: string[];
  let rest: string | undefined;
  let expansions: readonly string[] | undefined;
  try {
    ({ words, rest, expansions } = commandWords(command.trim().replace(/^\$\s+/, '')));
  } catch (error) {
    if (error instanceof CurlSyntaxError) return { error: `cannot read the cURL command: ${error.message}` };
    throw error;
  }
  const [program, ...argumentWords] = words;
  if (program === undefined) return { error: 'there is no cURL command to import: select one or copy it to the clipboard' };
  if (!/^curl(\.exe)?$/i.test(program.replace(/^.*[\\/]/, ''))) return { error: `not a cURL command: it starts with "${program}"; expected "curl ..."` };
  const result = importCurlArguments(argumentWords, options, rest);
  if ('error' in result || expansions === undefined || expansions.length === 0) return result;
  // The shell would have put values in their place; a .http file can read the environment instead.
  const names = [...new Set(expansions)].join(', ');
  return { text: result.text, warnings: [`the command uses shell expansions (${names}), which are kept as written; curl would send their values (a .http file reads the environment with {{$processEnv NAME}})`, ...result.warnings] };
}

/** Turns curl's arguments (the words after `curl`) into the text of `.http` requests; never throws. */
export function importCurlArguments(argumentWords: readonly string[], options: CurlImportOptions = {}, rest?: string): CurlImportResult {
  let read: ReturnType<typeof readCurlArguments>;
  try {
    read = readCurlArguments(argumentWords);
  } catch (error) {
    if (error instanceof CurlUsageError) return { error: error.message };
    throw error;
  }
  if (read.urls.length === 0) return { error: 'the cURL command has no URL' };
  const files = new FileAccess(options);
  const parsed = newCommand(read.urls);
  if (rest !== undefined) parsed.warnings.push(`ignored what follows the command: ${rest}`);
  for (const option of read.options) {
    const problem = applyOption(parsed, option, files);
    if (problem !== undefined) return { error: problem };
  }
  if (parsed.form.length > 0 && (parsed.data.length > 0 || parsed.upload !== undefined)) {
    return { error: 'the command mixes -F with -d or -T; curl refuses it ("You can only select one HTTP request method!")' };
  }
  const requests = parsed.urls.map((url, index) => render(parsed, url, index, files));
  return { text: requests.join('\n###\n\n'), warnings: [...new Set(parsed.warnings)] };
}

function newCommand(urls: readonly string[]): Command {
  return {
    method: undefined, urls, custom: [], removed: new Set(), data: [], queries: [], form: [], upload: undefined, json: false, get: false,
    head: false, user: undefined, authScheme: 'basic', bearer: undefined, userAgent: undefined, referer: undefined, autoReferer: false,
    cookies: [], cookieFiles: [], cookieEngine: false, conditions: [], protoDefault: 'http', pathAsIs: false, compressed: false, range: undefined, insecure: false, location: false, globOff: false, version: undefined,
    timeoutSeconds: undefined, connectTimeoutSeconds: undefined, warnings: [],
  };
}

/** Files the command names: read when the caller can, written as the caller wants them in the `.http` file. */
class FileAccess {
  constructor(private readonly options: CurlImportOptions) {}

  read(path: string): Uint8Array | undefined {
    return this.options.readFile?.(path);
  }

  written(path: string): string {
    return this.options.filePath?.(path) ?? path;
  }

  modified(path: string): Date | undefined {
    return this.options.modifiedTime?.(path);
  }

  get now(): Date {
    return this.options.now ?? new Date();
  }
}

// Options that change nothing curl sends (output, progress, diagnostics), or that Courier does the same way.
const noEffect = new Set([
  '--silent', '--show-error', '--verbose', '--include', '--fail', '--fail-with-body', '--fail-early', '--no-progress-meter', '--progress-bar',
  '--output', '--remote-name', '--remote-name-all', '--remote-header-name', '--output-dir', '--create-dirs', '--create-file-mode', '--dump-header',
  '--write-out', '--stderr', '--trace', '--trace-ascii', '--trace-time', '--no-buffer', '--buffer', '--http1.1', '--ipv4', '--ipv6', '--tcp-nodelay',
  '--no-keepalive', '--keepalive-time', '--styled-output', '--no-styled-output', '--disable', '--remote-time', '--raw', '--libcurl',
  '--no-sessionid', '--max-filesize', '--tlsv1', '--tlsv1.0', '--tlsv1.1', '--tlsv1.2', '--tlsv1.3', '--tls-max', '--basic', '--no-alpn', '--no-npn',
  '--http0.9', '--suppress-connect-headers', '--no-clobber', '--remove-on-error', '--parallel', '--parallel-immediate', '--parallel-max',
  '--limit-rate', '--speed-limit', '--speed-time', '--show-headers',
]);

function applyOption(parsed: Command, option: CurlOption, files: FileAccess): string | undefined {
  const value = option.value ?? '';
  switch (option.name) {
    case '--request':
      // curl sends the method as written: `-X wHat` is `wHat`.
      parsed.method = value;
      return;
    case '--header':
      return header(parsed, value, files);
    case '--data':
    case '--data-ascii':
      parsed.data.push({ segments: [value.startsWith('@') ? strippedFile(parsed, value.slice(1), option.name, files) : text(value)], json: false });
      return;
    case '--data-binary':
    case '--json':
      if (option.name === '--json') parsed.json = true;
      parsed.data.push({ segments: [value.startsWith('@') ? exactFile(parsed, value.slice(1), option.name) : text(value)], json: option.name === '--json' });
      return;
    case '--data-raw':
      parsed.data.push({ segments: [text(value)], json: false });
      return;
    case '--data-urlencode':
      parsed.data.push({ segments: [text(urlencodedPair(parsed, value, option.name, files))], json: false });
      return;
    case '--url-query':
      parsed.queries.push(value.startsWith('+') ? value.slice(1) : urlencodedPair(parsed, value, option.name, files));
      return;
    case '--get':
      parsed.get = true;
      return;
    case '--head':
      parsed.head = true;
      return;
    case '--form':
      return formPart(parsed, value, files);
    case '--form-string': {
      const equals = value.indexOf('=');
      if (equals <= 0) return `--form-string ${value}: expected name=value`;
      parsed.form.push({ name: value.slice(0, equals), content: text(value.slice(equals + 1)), filename: undefined, type: undefined, headers: [] });
      return;
    }
    case '--upload-file':
      if (value === '-' || value === '.') parsed.warnings.push(`-T ${value} uploads standard input: paste the body below the headers`);
      else parsed.upload = value;
      return;
    case '--user':
      parsed.user = value;
      return;
    case '--digest':
      parsed.authScheme = 'digest';
      return;
    case '--ntlm':
    case '--ntlm-wb':
    case '--negotiate':
    case '--anyauth':
      parsed.warnings.push(`${option.name}: Courier does not speak this authentication; the request sends Basic credentials, or none`);
      return;
    case '--oauth2-bearer':
      parsed.bearer = value;
      return;
    case '--user-agent':
      parsed.userAgent = value;
      return;
    case '--referer': {
      const auto = /;auto$/.exec(value);
      parsed.referer = auto === null ? value : value.slice(0, auto.index);
      parsed.autoReferer = auto !== null;
      return;
    }
    case '--cookie': {
      parsed.cookieEngine = true;
      if (value.includes('=')) {
        parsed.cookies.push(value);
        return;
      }
      if (value === '') return;
      // A file: curl sends the cookies in it that match the URL.
      const bytes = value === '-' ? undefined : files.read(value);
      if (bytes === undefined) parsed.warnings.push(`-b ${value}: the cookie file could not be read; add its cookies as a Cookie header (the CLI can also load a jar with --cookie-jar FILE)`);
      else parsed.cookieFiles.push(new TextDecoder().decode(bytes));
      return;
    }
    case '--time-cond':
      timeCondition(parsed, value, files);
      return;
    case '--etag-compare': {
      const bytes = files.read(value);
      const etag = bytes === undefined ? undefined : new TextDecoder().decode(bytes).split(/\r?\n/)[0]?.trim();
      if (etag === undefined || etag === '') parsed.warnings.push(`--etag-compare ${value}: the ETag file could not be read; add If-None-Match with its ETag`);
      else parsed.conditions.push(['If-None-Match', etag]);
      return;
    }
    case '--continue-at':
      if (/^\d+$/.test(value)) parsed.conditions.push(['Range', `bytes=${value}-`]);
      else parsed.warnings.push(`-C ${value}: curl resumes from the size of the output file; add a Range header with that offset`);
      return;
    case '--proto-default':
      parsed.protoDefault = value;
      return;
    case '--path-as-is':
      parsed.pathAsIs = true;
      return;
    case '--cookie-jar':
    case '--junk-session-cookies':
      parsed.cookieEngine = true;
      return;
    case '--compressed':
      parsed.compressed = true;
      return;
    case '--range':
      parsed.range = value;
      return;
    case '--insecure':
      parsed.insecure = true;
      return;
    case '--location':
      parsed.location = true;
      return;
    case '--location-trusted':
      parsed.location = true;
      parsed.warnings.push('--location-trusted: Courier never sends credentials to another host after a redirect');
      return;
    case '--globoff':
      parsed.globOff = true;
      return;
    case '--http2':
      parsed.version = 'HTTP/2';
      return;
    case '--http2-prior-knowledge':
      parsed.version = 'HTTP/2 (Prior Knowledge)';
      return;
    case '--max-time':
      parsed.timeoutSeconds = value;
      return;
    case '--connect-timeout':
      parsed.connectTimeoutSeconds = value;
      return;
    default:
      if (!noEffect.has(option.name)) parsed.warnings.push(notExpressible(option));
      return;
  }
}

/** Why an option was left out: what it does in curl that a `.http` request cannot say. */
function notExpressible(option: CurlOption): string {
  const written = `${option.name}${option.value === undefined ? '' : ` ${option.value}`}`;
  const reasons: Readonly<Record<string, string>> = {
    '--proxy': 'Courier takes its proxy from the courier.proxy setting or HTTP_PROXY/HTTPS_PROXY',
    '--http1.0': 'Courier speaks HTTP/1.1 or HTTP/2',
    '--http3': 'Courier speaks HTTP/1.1 or HTTP/2',
    '--http3-only': 'Courier speaks HTTP/1.1 or HTTP/2',
    '--config': 'options in a config file are not read',
    '--next': 'each part after --next is a request of its own: import them one by one',
    '--request-target': 'a .http request sends the path of its URL',
    '--max-redirs': 'Courier follows up to its own limit of redirects',
    '--cert': 'client certificates are set in Courier\'s certificate settings',
    '--key': 'client certificates are set in Courier\'s certificate settings',
    '--resolve': 'a .http request connects to the host of its URL',
    '--connect-to': 'a .http request connects to the host of its URL',
    '--unix-socket': 'a .http request connects over TCP',
    '--post301': 'Courier changes the method after redirects as browsers do',
    '--post302': 'Courier changes the method after redirects as browsers do',
    '--post303': 'Courier changes the method after redirects as browsers do',
  };
  return `ignored ${written}: ${reasons[option.name] ?? 'a .http request cannot express it'}`;
}

/** `-z DATE` sends If-Modified-Since, `-z -DATE` If-Unmodified-Since, `-z FILE` the file's time. */
function timeCondition(parsed: Command, value: string, files: FileAccess): void {
  const unmodified = value.startsWith('-');
  const written = unmodified ? value.slice(1) : value;
  // Dates name their month (HTTP's forms and curl's looser ones alike) and are GMT unless they say otherwise; anything else is a file name.
  const parsedDate = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i.test(written) ? Date.parse(/\b(gmt|utc)\b|[+-]\d{4}\b/i.test(written) ? written : `${written} GMT`) : Number.NaN;
  const date = Number.isNaN(parsedDate) ? files.modified(written) : new Date(parsedDate);
  if (date === undefined) {
    parsed.warnings.push(`-z ${value}: neither a date nor a file whose time could be read; add If-Modified-Since yourself`);
    return;
  }
  parsed.conditions.push([unmodified ? 'If-Unmodified-Since' : 'If-Modified-Since', date.toUTCString()]);
}

function text(value: string): Segment {
  return { kind: 'text', text: value };
}

/** `-d @file`: curl reads the file and removes every CR and LF from it. */
function strippedFile(parsed: Command, path: string, option: string, files: FileAccess): Segment {
  if (path === '-') {
    parsed.warnings.push(`${option} @- reads the body from standard input: paste it below the headers`);
    return text('');
  }
  const bytes = files.read(path);
  if (bytes === undefined) {
    parsed.warnings.push(`${option} @${path}: curl removes the file's line breaks (CR and LF); the file is sent as it is, so remove them from it if it has any`);
    return { kind: 'file', path };
  }
  if (!bytes.includes(0x0a) && !bytes.includes(0x0d)) return { kind: 'file', path };
  const stripped = bytes.filter((byte) => byte !== 0x0a && byte !== 0x0d);
  const decoded = decodeUtf8(stripped);
  if (decoded !== undefined) return text(decoded);
  parsed.warnings.push(`${option} @${path}: curl removes the line breaks of this binary file; the file is sent as it is`);
  return { kind: 'file', path };
}

/** `--data-binary @file`, `--json @file`: the file exactly. */
function exactFile(parsed: Command, path: string, option: string): Segment {
  if (path !== '-') return { kind: 'file', path };
  parsed.warnings.push(`${option} @- reads the body from standard input: paste it below the headers`);
  return text('');
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** `--data-urlencode` and `--url-query` forms: `content`, `=content`, `name=content`, `@file`, `name@file`. */
function urlencodedPair(parsed: Command, value: string, option: string, files: FileAccess): string {
  const separator = /[=@]/.exec(value);
  if (separator === null) return curlEscape(value);
  const name = value.slice(0, separator.index);
  const after = value.slice(separator.index + 1);
  if (separator[0] === '@') {
    const bytes = after === '-' ? undefined : files.read(after);
    if (bytes === undefined) {
      parsed.warnings.push(`${option} ${value}: the file's content is URL-encoded by curl; it could not be read, so the content is left empty: paste it, encoded`);
      return name === '' ? '' : `${name}=`;
    }
    return name === '' ? curlEscape(bytes) : `${name}=${curlEscape(bytes)}`;
  }
  return name === '' ? curlEscape(after) : `${name}=${curlEscape(after)}`;
}

/** curl's encoding for `--data-urlencode`: unreserved characters kept, space as `+`, every other byte as %XX. */
export function curlEscape(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  let encoded = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char)) encoded += char;
    else if (byte === 0x20) encoded += '+';
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

// Headers curl writes itself; `-H "Name:"` removes them. Courier always sends these two.
const alwaysSent = new Set(['host', 'user-agent', 'content-length', 'connection', 'transfer-encoding']);

function header(parsed: Command, value: string, files: FileAccess): string | undefined {
  if (value.startsWith('@')) {
    const bytes = files.read(value.slice(1));
    const lines = bytes === undefined ? undefined : decodeUtf8(bytes);
    if (lines === undefined) {
      parsed.warnings.push(`-H ${value}: the headers file could not be read; add its headers to the request`);
      return;
    }
    for (const line of lines.split(/\r?\n/)) if (line.trim() !== '') header(parsed, line, files);
    return;
  }
  const colon = value.indexOf(':');
  const semicolon = value.indexOf(';');
  if (colon > 0 && (semicolon < 0 || colon < semicolon)) {
    const name = value.slice(0, colon).trim();
    const headerValue = value.slice(colon + 1).trim();
    if (headerValue === '') {
      // `-H "Name:"` removes a header curl would send, and sends nothing itself.
      parsed.removed.add(name.toLowerCase());
      if (alwaysSent.has(name.toLowerCase())) parsed.warnings.push(`-H "${name}:" removes curl's ${name} header; Courier always sends one`);
      return;
    }
    parsed.custom.push([name, headerValue]);
    return;
  }
  // `-H "Name;"` sends the header with an empty value.
  if (semicolon > 0 && value.slice(semicolon + 1).trim() === '') {
    parsed.custom.push([value.slice(0, semicolon).trim(), '']);
    return;
  }
  parsed.warnings.push(`ignored header "${value}": curl sends no header without a "Name: value" form`);
  return;
}

/** `-F` as curl parses it: `name=value`, `name=@file`, `name=<file`, each with `;type=`, `;filename=`, `;headers=`. */
function formPart(parsed: Command, value: string, files: FileAccess): string | undefined {
  const equals = value.indexOf('=');
  if (equals <= 0) return `-F ${value}: expected name=value, name=@file or name=<file`;
  const name = value.slice(0, equals);
  let rest = value.slice(equals + 1);
  const kind = rest.startsWith('@') ? 'upload' : rest.startsWith('<') ? 'include' : 'value';
  if (kind !== 'value') rest = rest.slice(1);
  const [first, afterFirst] = formWord(rest);
  let type: string | undefined;
  let filename: string | undefined;
  const headers: string[] = [];
  let parameters = afterFirst;
  while (parameters.startsWith(';')) {
    const parameter = parameters.slice(1).trimStart();
    const key = /^(type|filename|headers|encoder)=/i.exec(parameter);
    if (key === null) {
      // curl warns and skips what it does not know, up to the next `;`.
      const skipped = parameter.split(';')[0] ?? '';
      parsed.warnings.push(`-F ${name}: curl skips ";${skipped}" (not a form parameter); so does the import`);
      parameters = parameter.slice(skipped.length);
      continue;
    }
    const [word, after] = formWord(parameter.slice(key[0].length));
    const keyName = (key[1] ?? '').toLowerCase();
    if (keyName === 'type') type = word;
    else if (keyName === 'filename') filename = word;
    else if (keyName === 'encoder') parsed.warnings.push(`-F ${name}: ;encoder=${word} is not expressible; the content is sent unencoded`);
    else if (word.startsWith('@')) parsed.warnings.push(`-F ${name}: ;headers=${word} reads part headers from a file; add them to the part`);
    else headers.push(word);
    parameters = after;
  }
  if (kind === 'value') {
    parsed.form.push({ name, content: text(first), filename, type, headers });
    return;
  }
  if (kind === 'upload' && first.includes(',')) parsed.warnings.push(`-F ${name}=@${first}: several files in one part (multipart/mixed) are not expressible; sent as one file named "${first}"`);
  if (kind === 'upload' && first === '-') parsed.warnings.push(`-F ${name}=@-: reads standard input; paste the content into the part`);
  const basename = first.replace(/^.*[\\/]/, '');
  parsed.form.push({
    name,
    content: { kind: 'file', path: files.written(first) },
    filename: filename ?? (kind === 'upload' ? basename : undefined),
    // curl guesses a file's type from its name (and only for uploads).
    type: type ?? (kind === 'upload' ? typeFromName(filename ?? basename) : undefined),
    headers,
  });
  return;
}

/** A form word: up to `;`, or a double-quoted string with `\"` and `\\` escapes. */
function formWord(text: string): [word: string, rest: string] {
  if (!text.startsWith('"')) {
    const end = text.indexOf(';');
    return end < 0 ? [text, ''] : [text.slice(0, end), text.slice(end)];
  }
  let word = '';
  for (let index = 1; index < text.length; index++) {
    const char = text[index] ?? '';
    if (char === '\\' && (text[index + 1] === '"' || text[index + 1] === '\\')) {
      word += text[index + 1];
      index++;
    } else if (char === '"') {
      const rest = text.slice(index + 1);
      const end = rest.indexOf(';');
      return [word, end < 0 ? '' : rest.slice(end)];
    } else {
      word += char;
    }
  }
  return [word, ''];
}

// curl's own table (lib/mime.c), not a general MIME database: what curl sends for these names.
const curlFileTypes: Readonly<Record<string, string>> = {
  gif: 'image/gif', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', svg: 'image/svg+xml', txt: 'text/plain', htm: 'text/html',
  html: 'text/html', pdf: 'application/pdf', xml: 'application/xml',
};

function typeFromName(name: string): string {
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return curlFileTypes[extension] ?? 'application/octet-stream';
}

const formBoundary = '------------------------CourierCurlImport';

/** The `.http` text of the command sent to `url` (the command's `index`-th URL). */
function render(parsed: Command, written: string, index: number, files: FileAccess): string {
  const warnings = parsed.warnings;
  let url = /^[a-z][a-z0-9+.-]*:\/\//i.test(written) ? written : `${parsed.protoDefault}://${written}`;
  if (parsed.pathAsIs && /\/\.\.?(\/|$|\?|#)/.test(url.replace(/[?#].*$/, ''))) {
    warnings.push(`--path-as-is: curl sends ${written} with its dot segments; Courier resolves them as URLs do`);
  }
  if (!parsed.globOff && /\{[^}]*,[^}]*\}|\[[^\]]*-[^\]]*\]/.test(url.replace(/^[a-z]+:\/\/\[[^\]]*\]/i, ''))) {
    warnings.push(`${written}: curl expands {a,b} and [1-3] into several requests (globbing); imported as one URL, as curl -g would send it`);
  }
  const upload = index === 0 ? parsed.upload : undefined;
  if (parsed.upload !== undefined && index > 0) warnings.push(`-T ${parsed.upload}: curl uploads it to the first URL only; the other requests send no body`);
  if (upload !== undefined && /^[a-z]+:\/\/[^/]*(\/[^?#]*\/)?$/i.test(url.replace(/[?#].*$/, ''))) {
    // curl appends the file's name to a URL without a file part.
    const base = url.replace(/[?#].*$/, '');
    url = `${base}${base.endsWith('/') ? '' : '/'}${encodeURIComponent(upload.replace(/^.*[\\/]/, ''))}${url.slice(base.length)}`;
  }

  const headers: [string, string][] = [];
  let body: Segment[] | undefined;
  const data = joinData(parsed.data);
  if (parsed.get && data.length > 0) {
    const query = data.map((segment) => (segment.kind === 'text' ? segment.text : '')).join('');
    if (data.some((segment) => segment.kind === 'file')) warnings.push('-G with a data file: curl puts the file\'s content in the URL; it could not be read and was left out');
    url = appendQuery(url, query);
  } else if (data.length > 0) {
    headers.push(['Content-Type', parsed.json ? 'application/json' : 'application/x-www-form-urlencoded']);
    body = data;
  }
  for (const query of parsed.queries) url = appendQuery(url, query);
  if (upload !== undefined && body === undefined) body = [{ kind: 'file', path: upload }];
  if (parsed.json) headers.push(['Accept', 'application/json']);

  let method = parsed.head ? 'HEAD' : parsed.get ? 'GET' : upload !== undefined ? 'PUT' : body !== undefined || parsed.form.length > 0 ? 'POST' : 'GET';
  method = parsed.method ?? method;
  if (parsed.method !== undefined && parsed.location && !['GET', 'HEAD'].includes(parsed.method.toUpperCase())) {
    warnings.push(`-X ${parsed.method} with -L: curl sends ${parsed.method} again after every redirect; Courier follows redirects as browsers do (GET after a 303, and after a 301 or 302 that answered a POST)`);
  }
  if (methodOnTheWire(method) !== method) warnings.push(`-X ${method}: curl sends it as written; Courier sends the standard method ${methodOnTheWire(method)}`);

  if (parsed.user !== undefined) headers.push(['Authorization', credentials(parsed)]);
  else if (parsed.bearer !== undefined) headers.push(['Authorization', `Bearer ${parsed.bearer}`]);
  if (parsed.range !== undefined) headers.push(['Range', `bytes=${parsed.range}`]);
  for (const [name, value] of parsed.conditions) if (name === 'Range' && parsed.range === undefined) headers.push([name, value]);
  if (parsed.userAgent !== undefined) {
    if (parsed.userAgent === '') warnings.push('-A "": curl sends no User-Agent; Courier always sends one');
    else headers.push(['User-Agent', parsed.userAgent]);
  }
  if (parsed.compressed) headers.push(['Accept-Encoding', 'deflate, gzip, br, zstd']);
  for (const [name, value] of parsed.conditions) if (name !== 'Range') headers.push([name, value]);
  if (parsed.referer !== undefined && parsed.referer !== '') headers.push(['Referer', parsed.referer]);
  if (parsed.autoReferer && parsed.location) warnings.push('-e ";auto": curl sets Referer on each redirect; Courier does not');
  const cookie = [...parsed.cookieFiles.flatMap((file) => cookiesFromFile(file, url, files.now)), ...(parsed.cookies.length > 0 ? [parsed.cookies.join(';')] : [])];
  if (cookie.length > 0) headers.push(['Cookie', cookie.join('; ')]);
  if (parsed.form.length > 0) headers.push(['Content-Type', `multipart/form-data; boundary=${formBoundary}`]);

  // A header the user gives replaces curl's own of that name; `Name:` removes it.
  const customNames = new Set(parsed.custom.map(([name]) => name.toLowerCase()));
  const kept = headers.filter(([name]) => !customNames.has(name.toLowerCase()) && !parsed.removed.has(name.toLowerCase()));
  for (const [name, value] of parsed.custom) {
    const isFormType = parsed.form.length > 0 && name.toLowerCase() === 'content-type' && !/;\s*boundary=/i.test(value);
    kept.push([name, isFormType ? `${value}; boundary=${formBoundary}` : value]);
  }

  const lines: string[] = [];
  if (!parsed.location) lines.push('# @no-redirect');
  else if (!parsed.cookieEngine) lines.push('# @no-cookie-jar');
  if (parsed.insecure) lines.push('# @insecure');
  if (parsed.timeoutSeconds !== undefined) lines.push(`# @timeout ${parsed.timeoutSeconds}`);
  if (parsed.connectTimeoutSeconds !== undefined) lines.push(`# @connection-timeout ${parsed.connectTimeoutSeconds}`);
  let version = parsed.version;
  if (version === 'HTTP/2' && url.toLowerCase().startsWith('http:')) {
    warnings.push('--http2 on an http:// URL: curl asks the server to upgrade to HTTP/2 (h2c); Courier sends HTTP/1.1 without that Upgrade (use --http2-prior-knowledge for cleartext HTTP/2)');
    version = undefined;
  }
  checkTemplate(url, 'the URL', warnings);
  lines.push(version === undefined ? `${method} ${url}` : `${method} ${url} ${version}`);
  for (const [name, value] of kept) {
    checkTemplate(value, `the ${name} header`, warnings);
    lines.push(`${name}: ${value}`);
  }
  const contentType = kept.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  if (parsed.form.length > 0) lines.push('', ...renderForm(parsed.form, warnings));
  else if (body !== undefined) lines.push('', ...renderBody(body, contentType, files, warnings));
  return `${lines.join('\n')}\n`;
}

/** The data options' values joined as curl joins them: `&` before each but `--json` ones. */
function joinData(items: readonly DataItem[]): Segment[] {
  const segments: Segment[] = [];
  for (const [index, item] of items.entries()) {
    if (index > 0 && !item.json) segments.push(text('&'));
    segments.push(...item.segments);
  }
  // Adjacent texts become one.
  return segments.reduce<Segment[]>((merged, segment) => {
    const last = merged[merged.length - 1];
    if (segment.kind === 'text' && last?.kind === 'text') merged[merged.length - 1] = text(last.text + segment.text);
    else merged.push(segment);
    return merged;
  }, []);
}

function appendQuery(url: string, query: string): string {
  if (query === '') return url;
  const hash = url.indexOf('#');
  const [base, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`;
}

/** `-u user:password` as Courier reads it back to the same bytes: `Basic user:password`, or the Base64 itself when Courier would read it otherwise. */
function credentials(parsed: Command): string {
  const user = parsed.user ?? '';
  const colon = user.indexOf(':');
  if (colon < 0) parsed.warnings.push(`-u ${user} has no password (curl would ask for it): add it after the colon`);
  const [name, password] = colon < 0 ? [user, ''] : [user.slice(0, colon), user.slice(colon + 1)];
  if (parsed.authScheme === 'digest') {
    if (name === '' || /\s/.test(name)) parsed.warnings.push(`--digest -u ${user}: Courier's Digest credentials need a user name without spaces`);
    return `Digest ${name} ${password}`;
  }
  const plain = `${name}:${password}`;
  // Courier encodes `Basic user:password` itself; a user name with spaces, outer spaces or braces would read differently.
  const readable = !/\s/.test(name) && plain.trim() === plain && !plain.includes('{{');
  return readable ? `Basic ${plain}` : `Basic ${Buffer.from(plain, 'utf8').toString('base64')}`;
}

/** Courier expands `{{...}}` everywhere a request is sent from: curl sends it as written. */
function checkTemplate(value: string, where: string, warnings: string[]): void {
  if (value.includes('{{')) warnings.push(`${where} contains "{{", which Courier reads as a variable; curl sends it as written`);
}

/** Why `value` cannot be a `.http` body as written, or undefined when Courier sends exactly it. */
function inlineProblem(value: string, form: boolean): string | undefined {
  if (value.includes('{{')) return 'it contains "{{", which Courier reads as a variable';
  if (value.includes('\r')) return 'it contains carriage returns';
  if (/^[ \t]*\n/.test(value) || value.endsWith('\n')) return 'it starts with a blank line or ends with a line break, which a .http body drops';
  if (form && /\n|^\s|\s$/.test(value)) return 'it is a form body with line breaks or outer spaces, which Courier joins and trims';
  if (/^(?:<[\s@]|<>\s|>|###|\s*\?\?)/m.test(value)) return 'a line starts like a .http file include, handler, separator or assertion';
  return undefined;
}

function renderBody(body: readonly Segment[], contentType: string | undefined, files: FileAccess, warnings: string[]): string[] {
  const form = contentType !== undefined && /^\s*application\/x-www-form-urlencoded\b/i.test(contentType);
  const [only] = body;
  if (body.length === 1 && only?.kind === 'file') return [`< ${files.written(only.path)}`];
  if (body.some((segment) => segment.kind === 'file')) {
    warnings.push('the body joins text and file content, which a .http body cannot say without line breaks between them; check the body');
    return body.map((segment) => (segment.kind === 'file' ? `< ${files.written(segment.path)}` : segment.text));
  }
  const value = body.map((segment) => (segment.kind === 'text' ? segment.text : '')).join('');
  const problem = inlineProblem(value, form);
  if (problem !== undefined) warnings.push(`the body is not sent exactly as curl sends it: ${problem}`);
  return [value];
}

function renderForm(parts: readonly FormPart[], warnings: string[]): string[] {
  const lines: string[] = [];
  const escape = (value: string): string => value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  for (const part of parts) {
    lines.push(`--${formBoundary}`);
    const filename = part.filename === undefined ? '' : `; filename="${escape(part.filename)}"`;
    lines.push(`Content-Disposition: form-data; name="${escape(part.name)}"${filename}`);
    if (part.type !== undefined) lines.push(`Content-Type: ${part.type}`);
    lines.push(...part.headers, '');
    if (part.content.kind === 'file') {
      lines.push(`< ${part.content.path}`);
      continue;
    }
    const problem = part.content.text.includes('\n') ? 'it has line breaks, which Courier sends as CRLF' : inlineProblem(part.content.text, false);
    if (problem !== undefined) warnings.push(`the form field ${part.name} is not sent exactly as curl sends it: ${problem}`);
    lines.push(part.content.text);
  }
  lines.push(`--${formBoundary}--`);
  return lines;
}

interface FileCookie {
  readonly domain: string;
  readonly subdomains: boolean;
  readonly path: string;
  readonly secure: boolean;
  readonly expires: number;
  readonly pair: string;
  readonly name: string;
  readonly order: number;
}

/**
 * The cookies of a `-b` file (Netscape's cookie file, or `Set-Cookie:` lines) curl sends to `url`,
 * in curl's order: longer paths first, then longer domains, longer names, and the later line first.
 */
export function cookiesFromFile(file: string, url: string, now: Date): string[] {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return [];
  }
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  // curl counts these hosts as secure contexts, so Secure cookies go to them over http: too.
  const secureContext = target.protocol === 'https:' || host === 'localhost' || host === '127.0.0.1' || host === '::1';
  const cookies: FileCookie[] = [];
  for (const [order, rawLine] of file.split(/\r?\n/).entries()) {
    const cookie = /^set-cookie:/i.test(rawLine) ? headerCookie(rawLine.slice(rawLine.indexOf(':') + 1), host, order) : netscapeCookie(rawLine, order);
    if (cookie !== undefined) cookies.push(cookie);
  }
  return cookies
    .filter((cookie) => {
      const domain = cookie.domain.replace(/^\./, '').toLowerCase();
      const domainMatches = host === domain || ((cookie.subdomains || cookie.domain.startsWith('.')) && host.endsWith(`.${domain}`));
      const path = target.pathname;
      const pathMatches = cookie.path === '/' || path === cookie.path || path.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`);
      const alive = cookie.expires === 0 || cookie.expires * 1000 > now.getTime();
      return domainMatches && pathMatches && alive && (!cookie.secure || secureContext);
    })
    .sort((left, right) => right.path.length - left.path.length || right.domain.length - left.domain.length || right.name.length - left.name.length || right.order - left.order)
    .map((cookie) => cookie.pair);
}

function netscapeCookie(rawLine: string, order: number): FileCookie | undefined {
  const line = rawLine.startsWith('#HttpOnly_') ? rawLine.slice('#HttpOnly_'.length) : rawLine;
  if (line.startsWith('#') || line.trim() === '') return undefined;
  const [domain = '', subdomains = '', path = '/', secure = '', expires = '0', name = '', ...value] = line.split('\t');
  if (name === '') return undefined;
  return { domain, subdomains: subdomains.toUpperCase() === 'TRUE', path, secure: secure.toUpperCase() === 'TRUE', expires: Number(expires) || 0, pair: `${name}=${value.join('\t')}`, name, order };
}

function headerCookie(header: string, host: string, order: number): FileCookie | undefined {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const name = pair.slice(0, Math.max(pair.indexOf('='), 0));
  if (name === '') return undefined;
  let domain = host;
  let subdomains = false;
  let path = '/';
  let secure = false;
  let expires = 0;
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const value = rest.join('=');
    if (/^domain$/i.test(key)) [domain, subdomains] = [value, true];
    else if (/^path$/i.test(key)) path = value;
    else if (/^secure$/i.test(key)) secure = true;
    else if (/^expires$/i.test(key)) expires = Math.floor(Date.parse(value) / 1000) || 0;
  }
  return { domain, subdomains, path, secure, expires, pair, name, order };
}

// A cURL command (as copied from a browser's network tab, API docs or a terminal) becomes the
// text of one `.http` request. The command is split into words like a POSIX shell would
// (quotes, `$'...'`, backslashes, line continuations), then curl's options are read: method,
// headers, bodies (-d and its variants, --json, -F), credentials, cookies, and the few options
// Courier has directives for. Options Courier has no equivalent for are reported, never dropped
// silently. Pure: no file is read.

/** The request text, or why the command could not be read. */
export type CurlImportResult =
  | { readonly text: string; readonly warnings: readonly string[] }
  | { readonly error: string };

/** Splits `command` into words as a POSIX shell would; throws a `CurlSyntaxError` on an unterminated quote. */
export function shellWords(command: string): { readonly words: string[]; readonly rest: string | undefined } {
  const words: string[] = [];
  let word: string | undefined;
  let index = 0;
  const add = (text: string): void => {
    word = (word ?? '') + text;
  };
  const end = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  while (index < command.length) {
    const char = command[index] ?? '';
    const next = command[index + 1];
    if (char === '\\') {
      // A backslash before a line break continues the line (bash); otherwise it escapes one character.
      if (next === '\n') index += 2;
      else if (next === '\r' && command[index + 2] === '\n') index += 3;
      else {
        if (next !== undefined) add(next);
        index += 2;
      }
    } else if ((char === '^' || char === '`') && word === undefined && /^[ \t]*\r?\n/.test(command.slice(index + 1))) {
      // cmd.exe (`^`) and PowerShell (`` ` ``) line continuations, as Windows "Copy as cURL" writes them.
      index = command.indexOf('\n', index) + 1;
    } else if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      end();
      index++;
    } else if (char === "'") {
      const close = command.indexOf("'", index + 1);
      if (close < 0) throw new CurlSyntaxError(`a single quote opened at character ${index + 1} is never closed`);
      add(command.slice(index + 1, close));
      index = close + 1;
    } else if (char === '$' && next === "'") {
      index = readAnsiC(command, index + 2, add);
    } else if (char === '"') {
      index = readDoubleQuoted(command, index + 1, add);
    } else if (char === '#' && word === undefined) {
      // A comment runs to the end of the line.
      const lineEnd = command.indexOf('\n', index);
      index = lineEnd < 0 ? command.length : lineEnd;
    } else if (word === undefined && (char === '|' || char === ';' || char === '&' || char === '>' || char === '<')) {
      // A pipe, redirect or second command is not part of the request.
      end();
      return { words, rest: command.slice(index).trim() };
    } else {
      add(char);
      index++;
    }
  }
  end();
  return { words, rest: undefined };
}

/** A command the shell itself could not read. */
export class CurlSyntaxError extends Error {}

function readDoubleQuoted(command: string, start: number, add: (text: string) => void): number {
  let index = start;
  while (index < command.length) {
    const char = command[index] ?? '';
    if (char === '"') return index + 1;
    if (char === '\\') {
      const next = command[index + 1] ?? '';
      if (next === '\n') index += 2;
      else if ('"\\$`'.includes(next) && next !== '') {
        add(next);
        index += 2;
      } else {
        add(char);
        index++;
      }
      continue;
    }
    add(char);
    index++;
  }
  throw new CurlSyntaxError(`a double quote opened at character ${start} is never closed`);
}

const simpleEscapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Reads a bash `$'...'` string (browsers use it for bodies with quotes or line breaks). */
function readAnsiC(command: string, start: number, add: (text: string) => void): number {
  let index = start;
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length === 0) return;
    add(new TextDecoder().decode(new Uint8Array(bytes)));
    bytes.length = 0;
  };
  while (index < command.length) {
    const char = command[index] ?? '';
    if (char === "'") {
      flushBytes();
      return index + 1;
    }
    if (char !== '\\') {
      flushBytes();
      add(char);
      index++;
      continue;
    }
    const next = command[index + 1] ?? '';
    const simple = simpleEscapes[next];
    let match: RegExpExecArray | null;
    if (simple !== undefined) {
      flushBytes();
      add(simple);
      index += 2;
    } else if ((match = /^x([0-9a-fA-F]{1,2})/.exec(command.slice(index + 1))) !== null) {
      // \xHH are bytes: consecutive ones may form one UTF-8 character.
      bytes.push(parseInt(match[1] ?? '0', 16));
      index += 1 + match[0].length;
    } else if ((match = /^([0-7]{1,3})/.exec(command.slice(index + 1))) !== null) {
      bytes.push(parseInt(match[1] ?? '0', 8) & 0xff);
      index += 1 + match[0].length;
    } else if ((match = /^(?:u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8}))/.exec(command.slice(index + 1))) !== null) {
      flushBytes();
      add(String.fromCodePoint(parseInt(match[1] ?? match[2] ?? '0', 16)));
      index += 1 + match[0].length;
    } else {
      flushBytes();
      add(`\\${next}`);
      index += 2;
    }
  }
  throw new CurlSyntaxError(`a $'...' string opened at character ${start - 1} is never closed`);
}

// curl's short options that take a value; the others are flags and may be bundled (`-sSL`).
const shortWithValue = new Set('dFHXubAeowmxcTrEKUYyzCDPQt'.split(''));
const shortToLong: Readonly<Record<string, string>> = {
  d: '--data', F: '--form', H: '--header', X: '--request', u: '--user', b: '--cookie', A: '--user-agent', e: '--referer',
  G: '--get', I: '--head', k: '--insecure', L: '--location', m: '--max-time', o: '--output', x: '--proxy', c: '--cookie-jar',
  E: '--cert', T: '--upload-file', w: '--write-out',
};
const longWithValue = new Set([
  '--request', '--header', '--data', '--data-ascii', '--data-raw', '--data-binary', '--data-urlencode', '--json', '--form', '--form-string',
  '--user', '--cookie', '--user-agent', '--referer', '--url', '--max-time', '--connect-timeout', '--oauth2-bearer',
  // Understood only enough to skip their value.
  '--output', '--write-out', '--proxy', '--proxy-user', '--cacert', '--capath', '--cert', '--key', '--cert-type', '--key-type', '--pass', '--cookie-jar',
  '--upload-file', '--range', '--resolve', '--connect-to', '--retry', '--retry-delay', '--retry-max-time', '--limit-rate', '--interface',
  '--dns-servers', '--config', '--max-redirs', '--max-filesize', '--trace', '--trace-ascii', '--stderr', '--continue-at', '--time-cond',
  '--local-port', '--noproxy', '--ciphers', '--tls-max', '--unix-socket', '--abstract-unix-socket', '--aws-sigv4', '--variable', '--expect100-timeout',
]);
// Flags that change nothing Courier sends: accepted without a warning.
const harmlessFlags = new Set([
  '--silent', '--show-error', '--verbose', '--include', '--fail', '--fail-with-body', '--location', '--no-progress-meter', '--progress-bar',
  '--globoff', '--http1.1', '--http1.0', '--no-buffer', '--no-keepalive', '--path-as-is', '--tlsv1.2', '--tlsv1.3',
  '--location-trusted', '--remote-name', '--remote-header-name', '-s', '-S', '-v', '-i', '-f', '-L', '-#', '-N', '-g', '-O', '-J',
]);

interface DataPart {
  readonly text: string;
  /** Send the file at this path instead of text. */
  readonly file?: string;
}

interface FormPart {
  readonly name: string;
  readonly value: string;
  readonly file?: { readonly path: string; readonly asUpload: boolean; readonly type: string | undefined; readonly filename: string | undefined };
}

/** What the options of one curl command ask for. */
interface Parsed {
  method: string | undefined;
  url: string | undefined;
  readonly headers: [string, string][];
  readonly data: DataPart[];
  readonly form: FormPart[];
  json: boolean;
  get: boolean;
  head: boolean;
  insecure: boolean;
  digest: boolean;
  user: string | undefined;
  compressed: boolean;
  /** `HTTP/2` for --http2, `HTTP/2 (Prior Knowledge)` for --http2-prior-knowledge. */
  httpVersion: string | undefined;
  timeoutSeconds: string | undefined;
  connectTimeoutSeconds: string | undefined;
  readonly warnings: string[];
}

/** Turns a curl command into the text of a `.http` request; never throws. */
export function importCurl(command: string): CurlImportResult {
  let split: ReturnType<typeof shellWords>;
  try {
    split = shellWords(command.trim().replace(/^\$\s+/, ''));
  } catch (error) {
    return { error: `cannot read the cURL command: ${(error as Error).message}` };
  }
  const [program, ...words] = split.words;
  if (program === undefined) return { error: 'there is no cURL command to import: select one or copy it to the clipboard' };
  if (!/^curl(\.exe)?$/i.test(program.replace(/^.*[\\/]/, ''))) return { error: `not a cURL command: it starts with "${program}"; expected "curl ..."` };
  const parsed = readOptions(words);
  if ('error' in parsed) return parsed;
  if (split.rest !== undefined) parsed.warnings.push(`ignored what follows the command: ${split.rest}`);
  if (parsed.url === undefined) return { error: 'the cURL command has no URL' };
  return { text: render(parsed), warnings: parsed.warnings };
}

function readOptions(words: readonly string[]): Parsed | { readonly error: string } {
  const parsed: Parsed = {
    method: undefined, url: undefined, headers: [], data: [], form: [], json: false, get: false, head: false, insecure: false,
    digest: false, user: undefined, compressed: false, httpVersion: undefined, timeoutSeconds: undefined, connectTimeoutSeconds: undefined, warnings: [],
  };
  const options: (readonly [option: string, value: string | undefined])[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const valueAfter = (option: string): string | { readonly error: string } => {
      const value = words[index + 1];
      if (value === undefined) return { error: `option ${option} needs a value` };
      index++;
      return value;
    };
    if (word.startsWith('--') && word.length > 2) {
      if (longWithValue.has(word)) {
        const value = valueAfter(word);
        if (typeof value !== 'string') return value;
        options.push([word, value]);
      } else {
        options.push([word, undefined]);
      }
    } else if (word.startsWith('-') && word.length > 1) {
      // Bundled short options: `-sSL`, `-XPOST`, `-HAccept:x`.
      for (let at = 1; at < word.length; at++) {
        const letter = word[at] ?? '';
        const long = shortToLong[letter] ?? `-${letter}`;
        if (!shortWithValue.has(letter)) {
          options.push([long, undefined]);
          continue;
        }
        const attached = word.slice(at + 1);
        if (attached !== '') options.push([long, attached]);
        else {
          const value = valueAfter(`-${letter}`);
          if (typeof value !== 'string') return value;
          options.push([long, value]);
        }
        break;
      }
    } else if (parsed.url === undefined) {
      parsed.url = word;
    } else {
      parsed.warnings.push(`ignored extra argument ${word}: a .http request has one URL`);
    }
  }
  for (const [option, value = ''] of options) {
    const problem = applyOption(parsed, option, value);
    if (problem !== undefined) return { error: problem };
  }
  return parsed;
}

function applyOption(parsed: Parsed, option: string, value: string): string | undefined {
  switch (option) {
    case '--request':
      parsed.method = value.toUpperCase();
      return;
    case '--header': {
      const colon = value.indexOf(':');
      const semicolon = value.indexOf(';');
      if (colon > 0) parsed.headers.push([value.slice(0, colon).trim(), value.slice(colon + 1).trim()]);
      else if (semicolon > 0 && semicolon === value.length - 1) parsed.headers.push([value.slice(0, -1).trim(), '']);
      else parsed.warnings.push(`ignored header "${value}": it has no "Name: value" form`);
      return;
    }
    case '--data':
    case '--data-ascii':
      parsed.data.push(value.startsWith('@') ? dataFile(parsed, value.slice(1)) : { text: value });
      return;
    case '--data-binary':
      parsed.data.push(value.startsWith('@') ? dataFile(parsed, value.slice(1)) : { text: value });
      return;
    case '--data-raw':
      parsed.data.push({ text: value });
      return;
    case '--json':
      parsed.json = true;
      parsed.data.push(value.startsWith('@') ? dataFile(parsed, value.slice(1)) : { text: value });
      return;
    case '--data-urlencode':
      parsed.data.push(urlencodedPart(parsed, value));
      return;
    case '--form':
    case '--form-string':
      return formPart(parsed, value, option === '--form-string');
    case '--user':
      parsed.user = value;
      return;
    case '--digest':
      parsed.digest = true;
      return;
    case '--basic':
      return;
    case '--oauth2-bearer':
      parsed.headers.push(['Authorization', `Bearer ${value}`]);
      return;
    case '--cookie':
      if (value.includes('=')) parsed.headers.push(['Cookie', value]);
      else parsed.warnings.push(`ignored -b ${value}: a cookie file is not read; Courier keeps cookies in its own session jar`);
      return;
    case '--user-agent':
      parsed.headers.push(['User-Agent', value]);
      return;
    case '--referer':
      parsed.headers.push(['Referer', value.replace(/;auto$/, '')]);
      return;
    case '--url':
      if (parsed.url !== undefined) parsed.warnings.push(`ignored extra URL ${value}: a .http request has one URL`);
      else parsed.url = value;
      return;
    case '--get':
      parsed.get = true;
      return;
    case '--head':
      parsed.head = true;
      return;
    case '--insecure':
      parsed.insecure = true;
      return;
    case '--compressed':
      parsed.compressed = true;
      return;
    case '--http2':
      parsed.httpVersion = 'HTTP/2';
      return;
    case '--http2-prior-knowledge':
      parsed.httpVersion = 'HTTP/2 (Prior Knowledge)';
      return;
    case '--max-time':
      parsed.timeoutSeconds = value;
      return;
    case '--connect-timeout':
      parsed.connectTimeoutSeconds = value;
      return;
    default:
      if (!harmlessFlags.has(option)) parsed.warnings.push(`ignored ${option}${value === '' ? '' : ` ${value}`}: Courier has no equivalent`);
      return;
  }
}

function dataFile(parsed: Parsed, path: string): DataPart {
  if (path === '-') parsed.warnings.push('the body was read from standard input (@-): paste it below the headers');
  return { text: '', file: path === '-' ? undefined : path };
}

/** `--data-urlencode` forms: `content`, `=content`, `name=content`, `@file`, `name@file`. */
function urlencodedPart(parsed: Parsed, value: string): DataPart {
  const equals = value.indexOf('=');
  const at = value.indexOf('@');
  if (at >= 0 && (equals < 0 || at < equals)) {
    parsed.warnings.push(`--data-urlencode ${value}: a file's content cannot be URL-encoded by a .http file; the file is sent as is`);
    const name = value.slice(0, at);
    return name === '' ? { text: '', file: value.slice(at + 1) } : { text: `${name}=`, file: value.slice(at + 1) };
  }
  if (equals < 0) return { text: encodeURIComponent(value) };
  const name = value.slice(0, equals);
  const content = encodeURIComponent(value.slice(equals + 1));
  return { text: name === '' ? content : `${name}=${content}` };
}

function formPart(parsed: Parsed, value: string, literal: boolean): string | undefined {
  const equals = value.indexOf('=');
  if (equals <= 0) return `-F ${value}: expected name=value, name=@file or name=<file`;
  const name = value.slice(0, equals);
  const content = value.slice(equals + 1);
  if (literal || !(content.startsWith('@') || content.startsWith('<'))) {
    parsed.form.push({ name, value: content });
    return;
  }
  const [path = '', ...parameters] = content.slice(1).split(';');
  let type: string | undefined;
  let filename: string | undefined;
  for (const parameter of parameters) {
    const [key = '', ...rest] = parameter.split('=');
    const parameterValue = rest.join('=').replace(/^"(.*)"$/, '$1');
    if (key.trim() === 'type') type = parameterValue;
    else if (key.trim() === 'filename') filename = parameterValue;
    else parsed.warnings.push(`-F ${name}: ignored ;${parameter}`);
  }
  parsed.form.push({ name, value: '', file: { path, asUpload: content.startsWith('@'), type, filename } });
  return;
}

const formBoundary = 'CourierFormBoundary7MA4YWxkTrZu0gW';

function render(parsed: Parsed): string {
  const headers = [...parsed.headers];
  const has = (name: string): boolean => headers.some(([header]) => header.toLowerCase() === name.toLowerCase());
  const lines: string[] = [];
  if (parsed.insecure) lines.push('# @insecure');
  if (parsed.timeoutSeconds !== undefined) lines.push(`# @timeout ${parsed.timeoutSeconds}`);
  if (parsed.connectTimeoutSeconds !== undefined) lines.push(`# @connection-timeout ${parsed.connectTimeoutSeconds}`);

  let url = parsed.url ?? '';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  let body: string[] | undefined;
  if (parsed.get && parsed.data.length > 0) {
    const query = parsed.data.map((part) => part.text).join('&');
    if (parsed.data.some((part) => part.file !== undefined)) parsed.warnings.push('-G with a data file: the file cannot become part of the URL and was left out');
    url += (url.includes('?') ? '&' : '?') + query;
  } else if (parsed.form.length > 0) {
    if (parsed.data.length > 0) parsed.warnings.push('-d and -F together: curl refuses this; the -F parts were used');
    if (!has('Content-Type')) headers.push(['Content-Type', `multipart/form-data; boundary=${formBoundary}`]);
    body = renderForm(parsed.form);
  } else if (parsed.data.length > 0) {
    if (parsed.json) {
      if (!has('Content-Type')) headers.push(['Content-Type', 'application/json']);
      if (!has('Accept')) headers.push(['Accept', 'application/json']);
    } else if (!has('Content-Type')) {
      headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
    body = renderData(parsed);
  }
  const method = parsed.method ?? (parsed.head ? 'HEAD' : parsed.get ? 'GET' : body !== undefined ? 'POST' : 'GET');

  if (parsed.user !== undefined) {
    const colon = parsed.user.indexOf(':');
    const user = colon < 0 ? parsed.user : parsed.user.slice(0, colon);
    const password = colon < 0 ? '' : parsed.user.slice(colon + 1);
    if (colon < 0) parsed.warnings.push(`-u ${parsed.user} has no password (curl would ask for it): add it to the Authorization header`);
    // Courier encodes `Basic user password` itself and answers Digest challenges from `Digest user password`.
    headers.push(['Authorization', `${parsed.digest ? 'Digest' : 'Basic'} ${user} ${password}`.trimEnd()]);
  }
  if (parsed.compressed && !has('Accept-Encoding')) headers.push(['Accept-Encoding', 'gzip, deflate, br']);

  lines.push(parsed.httpVersion === undefined ? `${method} ${url}` : `${method} ${url} ${parsed.httpVersion}`);
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push('', ...body);
  return `${lines.join('\n')}\n`;
}

function renderData(parsed: Parsed): string[] {
  const files = parsed.data.filter((part) => part.file !== undefined);
  if (files.length > 0 && parsed.data.length > 1) parsed.warnings.push('several -d values with a file: curl joins them with "&"; check the body');
  const lines: string[] = [];
  let text = '';
  for (const [index, part] of parsed.data.entries()) {
    text += (index > 0 ? '&' : '') + part.text;
    if (part.file !== undefined) {
      if (text !== '' && text !== '&') lines.push(text);
      lines.push(`< ${part.file}`);
      text = '';
    }
  }
  if (text !== '') lines.push(text);
  return lines;
}

function renderForm(parts: readonly FormPart[]): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    lines.push(`--${formBoundary}`);
    if (part.file === undefined) {
      lines.push(`Content-Disposition: form-data; name="${part.name}"`, '', part.value);
      continue;
    }
    const filename = part.file.asUpload ? (part.file.filename ?? part.file.path.replace(/^.*[\\/]/, '')) : undefined;
    lines.push(`Content-Disposition: form-data; name="${part.name}"${filename === undefined ? '' : `; filename="${filename}"`}`);
    if (part.file.type !== undefined) lines.push(`Content-Type: ${part.file.type}`);
    lines.push('', `< ${part.file.path}`);
  }
  lines.push(`--${formBoundary}--`);
  return lines;
}

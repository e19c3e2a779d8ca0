// curl's command line as curl 7.88 reads it: short options bundle (`-sSL`) and take their value
// attached or as the next word (`-XPOST`, `-X POST`), long options take the next word (curl has no
// `--opt=value`), every other word is a URL. Which options take a value comes from `curl --help
// all`: knowing it for options Courier ignores keeps their values from being read as URLs.

/** One option as written, under its long name, with its value when it takes one. */
export interface CurlOption {
  readonly name: string;
  readonly value: string | undefined;
}

export interface CurlArguments {
  /** Options in command order: later ones win where curl says so, data options accumulate. */
  readonly options: readonly CurlOption[];
  /** URLs in order: positional words and `--url` values. */
  readonly urls: readonly string[];
}

const shortNames: Readonly<Record<string, string>> = {
  a: '--append', A: '--user-agent', b: '--cookie', B: '--use-ascii', c: '--cookie-jar', C: '--continue-at', d: '--data', D: '--dump-header',
  e: '--referer', E: '--cert', f: '--fail', F: '--form', g: '--globoff', G: '--get', h: '--help', H: '--header', i: '--include', I: '--head',
  j: '--junk-session-cookies', J: '--remote-header-name', k: '--insecure', K: '--config', l: '--list-only', L: '--location', m: '--max-time',
  M: '--manual', n: '--netrc', N: '--no-buffer', o: '--output', O: '--remote-name', p: '--proxytunnel', P: '--ftp-port', q: '--disable',
  Q: '--quote', r: '--range', R: '--remote-time', s: '--silent', S: '--show-error', t: '--telnet-option', T: '--upload-file', u: '--user',
  U: '--proxy-user', v: '--verbose', V: '--version', w: '--write-out', x: '--proxy', X: '--request', y: '--speed-time', Y: '--speed-limit',
  z: '--time-cond', Z: '--parallel', '0': '--http1.0', '1': '--tlsv1', '2': '--sslv2', '3': '--sslv3', '4': '--ipv4', '6': '--ipv6',
  '#': '--progress-bar', ':': '--next',
};

const withValue = new Set(
  (
    'abstract-unix-socket alt-svc aws-sigv4 cacert capath cert cert-type ciphers config connect-timeout connect-to continue-at cookie ' +
    'cookie-jar create-file-mode crlfile curves data data-ascii data-binary data-raw data-urlencode delegation dns-interface dns-ipv4-addr ' +
    'dns-ipv6-addr dns-servers doh-url dump-header egd-file engine etag-compare etag-save expect100-timeout form form-string ftp-account ' +
    'ftp-alternative-to-user ftp-method ftp-port ftp-ssl-ccc-mode happy-eyeballs-timeout-ms header hostpubmd5 hostpubsha256 hsts ' +
    'interface json keepalive-time key key-type krb libcurl limit-rate local-port login-options mail-auth mail-from mail-rcpt max-filesize ' +
    'max-redirs max-time netrc-file noproxy oauth2-bearer output output-dir parallel-max pass pinnedpubkey preproxy proto proto-default ' +
    'proto-redir proxy proxy-cacert proxy-capath proxy-cert proxy-cert-type proxy-ciphers proxy-crlfile proxy-header proxy-key proxy-key-type ' +
    'proxy-pass proxy-pinnedpubkey proxy-service-name proxy-tls13-ciphers proxy-tlsauthtype proxy-tlspassword proxy-tlsuser proxy-user ' +
    'proxy1.0 pubkey quote random-file range rate referer request request-target resolve retry retry-delay retry-max-time sasl-authzid ' +
    'service-name socks4 socks4a socks5 socks5-gssapi-service socks5-hostname speed-limit speed-time stderr telnet-option tftp-blksize ' +
    'time-cond tls-max tls13-ciphers tlsauthtype tlspassword tlsuser trace trace-ascii unix-socket upload-file url url-query user ' +
    'user-agent variable write-out'
  )
    .split(' ')
    .map((name) => `--${name}`),
);

/** An option whose value is missing: curl refuses the command. */
export class CurlUsageError extends Error {}

/** Reads curl's arguments (the words after `curl`); throws a `CurlUsageError` when an option lacks its value. */
export function readCurlArguments(words: readonly string[]): CurlArguments {
  const options: CurlOption[] = [];
  const urls: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const valueAfter = (written: string): string => {
      const value = words[index + 1];
      if (value === undefined) throw new CurlUsageError(`option ${written} needs a value (curl: "option ${written}: requires parameter")`);
      index++;
      return value;
    };
    if (word.startsWith('--') && word.length > 2) {
      if (withValue.has(word)) {
        const value = valueAfter(word);
        if (word === '--url') urls.push(value);
        else options.push({ name: word, value });
      } else {
        options.push({ name: word, value: undefined });
      }
      continue;
    }
    if (!word.startsWith('-') || word.length === 1) {
      urls.push(word);
      continue;
    }
    // Bundled short options: `-sSL`, `-XPOST`, `-HAccept:x`; the first one that takes a value ends the bundle.
    for (let at = 1; at < word.length; at++) {
      const letter = word[at] ?? '';
      const name = shortNames[letter] ?? `-${letter}`;
      if (!withValue.has(name)) {
        options.push({ name, value: undefined });
        continue;
      }
      const attached = word.slice(at + 1);
      options.push({ name, value: attached !== '' ? attached : valueAfter(`-${letter}`) });
      break;
    }
  }
  return { options, urls };
}

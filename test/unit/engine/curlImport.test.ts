import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { importCurl } from '../../../engine/importers/curlImport';
import { cmdWords, commandWords, shellWords } from '../../../engine/importers/curlWords';
import { parse } from '../../../language/parser';

/** The imported request text; fails the test with the importer's error otherwise. */
function imported(command: string): { text: string; warnings: readonly string[] } {
  const result = importCurl(command);
  if ('error' in result) assert.fail(`import failed: ${result.error}`);
  return result;
}

describe('shellWords', () => {
  test('reads quotes, escapes, $-strings and line continuations like bash', () => {
    const command = `curl -H 'A: it'\\''s' \\\n  -d "x=\\"1\\" \\$y" $'line\\none\\x27\\u00e9' plain\\ word`;
    assert.deepEqual(shellWords(command).words, ['curl', '-H', "A: it's", '-d', 'x="1" $y', "line\none'é", 'plain word']);
  });

  test('\\xHH bytes form one UTF-8 character', () => {
    assert.deepEqual(shellWords("curl $'\\xc3\\xa9'").words, ['curl', 'é']);
  });

  test('an empty quoted argument is a word: `--data-binary ""` does not take the next word', () => {
    assert.deepEqual(shellWords(`curl --data-binary "" -d '' $'' https://a.example`).words, ['curl', '--data-binary', '', '-d', '', '', 'https://a.example']);
  });

  test('Windows line continuations (^ and `) are removed', () => {
    assert.deepEqual(shellWords('curl ^\r\n  -X POST ^\n  https://a.example').words, ['curl', '-X', 'POST', 'https://a.example']);
    assert.deepEqual(shellWords('curl `\n  https://a.example').words, ['curl', 'https://a.example']);
  });

  test('stops at a pipe and reports the rest', () => {
    assert.deepEqual(shellWords("curl https://a.example | jq '.x'"), { words: ['curl', 'https://a.example'], rest: "| jq '.x'", expansions: [] });
  });

  test('an unterminated quote is an error naming where it opened', () => {
    assert.throws(() => shellWords("curl 'abc"), /single quote opened at character 6/);
    assert.throws(() => shellWords('curl "abc'), /double quote/);
  });
});

describe('cmdWords (Chrome "Copy as cURL (cmd)")', () => {
  test('^ escapes, ^" quotes, \\^" inner quotes, ^ continuations and ^-empty-line line breaks', () => {
    const command = 'curl ^"https://a.example/x?a=1^&b=2^" ^\r\n  -H ^"accept: */*^" ^\r\n  --data-raw ^"^{^\\^"a^\\^":^\\^"50^%^\\^"^}^" ^\r\n  -d ^"line1^\n\nline2^"';
    assert.deepEqual(commandWords(command).words, ['curl', 'https://a.example/x?a=1&b=2', '-H', 'accept: */*', '--data-raw', '{"a":"50%"}', '-d', 'line1\nline2']);
  });

  test('plain double quotes and empty arguments, as the C runtime reads them', () => {
    assert.deepEqual(cmdWords('curl -d "" "a b" x\\\\"c d"').words, ['curl', '-d', '', 'a b', 'x\\c d']);
    assert.throws(() => cmdWords('curl "open'), /never closed/);
  });
});

describe('importCurl', () => {
  test('a GET with headers; without -L redirects are not followed', () => {
    const { text, warnings } = imported(`curl 'https://api.example.com/items?page=2' -H 'Accept: application/json' -H 'X-Trace: 1'`);
    assert.equal(text, '# @no-redirect\nGET https://api.example.com/items?page=2\nAccept: application/json\nX-Trace: 1\n');
    assert.deepEqual(warnings, []);
  });

  test('-L follows redirects without a cookie jar unless curl had one (-b, -c)', () => {
    assert.equal(imported('curl -L https://a.example').text, '# @no-cookie-jar\nGET https://a.example\n');
    assert.match(imported('curl -L -X POST -d a=1 https://a.example').warnings[0] ?? '', /curl sends POST again after every redirect/);
    assert.deepEqual(imported('curl -L -X GET https://a.example').warnings, []);
    assert.equal(imported("curl -L -b '' https://a.example").text, 'GET https://a.example\n');
  });

  test('-d makes a form POST; several -d join with &', () => {
    assert.equal(imported('curl https://a.example/login -d user=alice -d "pass=x y"').text, '# @no-redirect\nPOST https://a.example/login\nContent-Type: application/x-www-form-urlencoded\n\nuser=alice&pass=x y\n');
  });

  test('--url-query takes a value, encoded as curl does; + keeps it verbatim (it was read as a flag, its value becoming the URL)', () => {
    const { text, warnings } = imported("curl --url-query 'q=a b&c' --url-query '+raw=1%2F' --url-query plain 'https://a.example/s?x=1'");
    assert.equal(text, '# @no-redirect\nGET https://a.example/s?x=1&q=a+b%26c&raw=1%2F&plain\n');
    assert.deepEqual(warnings, []);
  });

  test('-T uploads the file with PUT, appending its name to a URL without a file part (it was ignored)', () => {
    assert.equal(imported('curl -T ./dir/report.csv https://a.example/files/').text, '# @no-redirect\nPUT https://a.example/files/report.csv\n\n< ./dir/report.csv\n');
    assert.equal(imported('curl -X POST --upload-file r.bin https://a.example/in').text, '# @no-redirect\nPOST https://a.example/in\n\n< r.bin\n');
  });

  test('an empty argument is a value (--data-binary "" was dropped and the next word taken as its value)', () => {
    const { text } = imported('curl --data-binary "" -H "X-A: 1" https://a.example');
    assert.equal(text, '# @no-redirect\nPOST https://a.example\nContent-Type: application/x-www-form-urlencoded\nX-A: 1\n\n\n');
  });

  test('repeated --json values are concatenated (they were joined with &); -d after them adds &', () => {
    assert.equal(imported(`curl --json '{"a":1}' --json '[2]' -d c=3 https://a.example`).text, '# @no-redirect\nPOST https://a.example\nContent-Type: application/json\nAccept: application/json\n\n{"a":1}[2]&c=3\n');
  });

  test('-d @file: curl strips CR and LF, so the stripped content is inlined when the file can be read', () => {
    const files: Record<string, string> = { 'crlf.txt': 'a=1\r\n&b=2\n', 'flat.txt': 'a=1&b=2' };
    const readFile = (path: string): Uint8Array | undefined => (files[path] === undefined ? undefined : new TextEncoder().encode(files[path]));
    const stripped = importCurl('curl -d @crlf.txt https://a.example', { readFile });
    assert.deepEqual(stripped, { text: '# @no-redirect\nPOST https://a.example\nContent-Type: application/x-www-form-urlencoded\n\na=1&b=2\n', warnings: [] });
    // A file without line breaks is sent exactly by `< file`.
    assert.match((importCurl('curl -d @flat.txt https://a.example', { readFile }) as { text: string }).text, /\n\n< flat\.txt\n$/);
    // Unreadable: referenced, with a warning that curl would strip it.
    const unread = imported('curl -d @missing.txt https://a.example');
    assert.match(unread.text, /\n\n< missing\.txt\n$/);
    assert.match(unread.warnings[0] ?? '', /curl removes the file's line breaks/);
  });

  test('-u :password is Base64-encoded (it was sent as the bare password); user names with spaces are encoded here', () => {
    assert.match(imported("curl -u ':secret' https://a.example").text, /^Authorization: Basic :secret$/m);
    assert.match(imported("curl -u 'al ice:pw' https://a.example").text, new RegExp(`^Authorization: Basic ${Buffer.from('al ice:pw').toString('base64')}$`, 'm'));
    assert.match(imported('curl -u alice:pw https://a.example').text, /^Authorization: Basic alice:pw$/m);
    assert.match(imported('curl --digest -u bob:pw https://a.example').text, /^Authorization: Digest bob pw$/m);
    assert.match(imported('curl -u bob https://a.example').warnings[0] ?? '', /has no password/);
  });

  test('--range becomes a Range header (it was ignored)', () => {
    assert.match(imported('curl -r 0-99 https://a.example').text, /^Range: bytes=0-99$/m);
  });

  test('-X is kept as written (it was upper-cased); a standard method in other case is reported', () => {
    assert.equal(imported('curl -X wHat https://a.example').text, '# @no-redirect\nwHat https://a.example\n');
    assert.match(imported('curl -X get https://a.example').warnings[0] ?? '', /Courier sends the standard method GET/);
  });

  test('-F file=@photo.jpg gets the type curl infers from the name (it was lost); ;type=, ;filename=, ;headers=, <file', () => {
    const { text, warnings } = imported(`curl -F name=pen -F photo=@img/photo.jpg -F 'doc=@a.bin;type=application/x-a;filename=b.bin' -F 'notes=<n.txt;headers=X-Part: 1' -F 'v=val;type=text/x' --form-string 'lit=@x;y' https://a.example/up`);
    assert.deepEqual(warnings, []);
    const boundary = /boundary=(\S+)/.exec(text)?.[1] ?? '';
    assert.equal(
      text,
      [
        '# @no-redirect',
        'POST https://a.example/up',
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        '',
        `--${boundary}`, 'Content-Disposition: form-data; name="name"', '', 'pen',
        `--${boundary}`, 'Content-Disposition: form-data; name="photo"; filename="photo.jpg"', 'Content-Type: image/jpeg', '', '< img/photo.jpg',
        `--${boundary}`, 'Content-Disposition: form-data; name="doc"; filename="b.bin"', 'Content-Type: application/x-a', '', '< a.bin',
        `--${boundary}`, 'Content-Disposition: form-data; name="notes"', 'X-Part: 1', '', '< n.txt',
        `--${boundary}`, 'Content-Disposition: form-data; name="v"', 'Content-Type: text/x', '', 'val',
        `--${boundary}`, 'Content-Disposition: form-data; name="lit"', '', '@x;y',
        `--${boundary}--`,
        '',
      ].join('\n'),
    );
    assert.equal(parse(text).requests[0]?.body?.multipart?.parts.length, 6, 'the parser sees six parts');
    assert.match(imported('curl -F f=@x.unknown https://a.example').text, /^Content-Type: application\/octet-stream$/m);
  });

  test('--data-urlencode in all its forms, encoded as curl does (space as +, the rest as %XX)', () => {
    const readFile = (path: string): Uint8Array | undefined => (path === 'v.txt' ? new TextEncoder().encode('a b\n') : undefined);
    const result = importCurl("curl --data-urlencode 'q=a b&c' --data-urlencode '=x/y' --data-urlencode \"it's\" --data-urlencode n@v.txt --data-urlencode @v.txt https://a.example", { readFile });
    assert.ok('text' in result);
    assert.equal(result.text.split('\n\n')[1], "q=a+b%26c&x%2Fy&it%27s&n=a+b%0A&a+b%0A\n");
  });

  test('-G puts the data in the query string; -I is HEAD', () => {
    assert.equal(imported('curl -G https://a.example/search?x=1 -d q=pen --data-urlencode "n=a b"').text, '# @no-redirect\nGET https://a.example/search?x=1&q=pen&n=a+b\n');
    assert.equal(imported('curl -I https://a.example').text, '# @no-redirect\nHEAD https://a.example\n');
  });

  test('-A, -e (;auto), -b strings, --compressed, --oauth2-bearer become the headers curl sends', () => {
    const { text } = imported("curl -A 'Agent/1' -e 'https://ref.example;auto' -b a=1 -b 'b=2' --compressed --oauth2-bearer tok https://a.example");
    assert.equal(text, '# @no-redirect\nGET https://a.example\nAuthorization: Bearer tok\nUser-Agent: Agent/1\nAccept-Encoding: deflate, gzip, br, zstd\nReferer: https://ref.example\nCookie: a=1;b=2\n');
  });

  test('-H "X;" sends an empty header; -H "X:" removes curl\'s own; a user header replaces curl\'s', () => {
    assert.equal(imported(`curl -H 'X-Empty;' -H 'Content-Type:' -d a=1 https://a.example`).text, '# @no-redirect\nPOST https://a.example\nX-Empty: \n\na=1\n');
    assert.equal(imported(`curl --json 1 -H 'Accept: text/plain' https://a.example`).text, '# @no-redirect\nPOST https://a.example\nContent-Type: application/json\nAccept: text/plain\n\n1\n');
    assert.match(imported("curl -H 'User-Agent:' https://a.example").warnings[0] ?? '', /Courier always sends one/);
  });

  test('-k and timeouts become directives; bundled flags and attached values are read', () => {
    assert.equal(imported('curl -sSLkI --max-time 5 --connect-timeout 2 https://a.example').text, '# @no-cookie-jar\n# @insecure\n# @timeout 5\n# @connection-timeout 2\nHEAD https://a.example\n');
    assert.equal(imported('curl -XPOST -HAccept:x --url https://a.example').text, '# @no-redirect\nPOST https://a.example\nAccept: x\n');
  });

  test('a URL without a scheme gets http://; several URLs become several requests', () => {
    assert.equal(imported('curl localhost:8080/x').text, '# @no-redirect\nGET http://localhost:8080/x\n');
    assert.equal(imported('curl -H X:1 https://a.example/1 https://a.example/2').text, '# @no-redirect\nGET https://a.example/1\nX: 1\n\n###\n\n# @no-redirect\nGET https://a.example/2\nX: 1\n');
  });

  test('a browser\'s "Copy as cURL (bash)" output imports into a request the parser reads back', () => {
    const command = [
      "curl 'https://api.example.com/graphql' \\",
      "  -H 'accept: */*' \\",
      "  -H 'content-type: application/json' \\",
      "  -H 'cookie: _ga=GA1.2; session=abc' \\",
      "  -H 'user-agent: Mozilla/5.0' \\",
      `  --data-raw $'{"query":"{ me { name } }","variables":{"q":"it\\'s"}}' \\`,
      '  --compressed',
    ].join('\n');
    const { text, warnings } = imported(command);
    assert.deepEqual(warnings, []);
    const request = parse(text).requests[0];
    assert.equal(request?.methodName, 'POST');
    assert.equal(request?.target.text, 'https://api.example.com/graphql');
    assert.deepEqual(request?.headers.map((header) => header.name.text), ['Accept-Encoding', 'accept', 'content-type', 'cookie', 'user-agent']);
    assert.match(text, /\n\n\{"query":"\{ me \{ name \} \}","variables":\{"q":"it's"\}\}\n$/);
  });

  test('what a .http file cannot express is reported, never dropped silently', () => {
    const { warnings } = imported("curl -o out.json --proxy http://p:1 -b cookies.txt -A '' --http2 --request-target '*' 'http://a.example/{a,b}' | jq .");
    assert.deepEqual(warnings, [
      'ignored what follows the command: | jq .',
      'ignored --proxy http://p:1: Courier takes its proxy from the courier.proxy setting or HTTP_PROXY/HTTPS_PROXY',
      '-b cookies.txt: the cookie file could not be read; add its cookies as a Cookie header (the CLI can also load a jar with --cookie-jar FILE)',
      'ignored --request-target *: a .http request sends the path of its URL',
      'http://a.example/{a,b}: curl expands {a,b} and [1-3] into several requests (globbing); imported as one URL, as curl -g would send it',
      '-A "": curl sends no User-Agent; Courier always sends one',
      '--http2 on an http:// URL: curl asks the server to upgrade to HTTP/2 (h2c); Courier sends HTTP/1.1 without that Upgrade (use --http2-prior-knowledge for cleartext HTTP/2)',
    ]);
    assert.match(imported("curl -d 'a {{b}}' https://a.example").warnings[0] ?? '', /"\{\{", which Courier reads as a variable/);
    assert.match(imported("curl --data-binary $'{\\n\"a\": 1\\n}' https://a.example").warnings[0] ?? '', /form body with line breaks/);
  });

  test('shell expansions the shell would have replaced are reported, not sent as if curl had seen them', () => {
    const { text, warnings } = imported(`curl -H "Authorization: Bearer $TOKEN" "https://\${HOST}/x" -d '$literal'`);
    assert.match(text, /^Authorization: Bearer \$TOKEN$/m);
    assert.deepEqual(warnings, ['the command uses shell expansions ($TOKEN, ${HOST}), which are kept as written; curl would send their values (a .http file reads the environment with {{$processEnv NAME}})']);
  });

  test('bad input gives a clear error', () => {
    assert.deepEqual(importCurl(''), { error: 'there is no cURL command to import: select one or copy it to the clipboard' });
    assert.deepEqual(importCurl('wget https://a.example'), { error: 'not a cURL command: it starts with "wget"; expected "curl ..."' });
    assert.deepEqual(importCurl('curl -H'), { error: 'option -H needs a value (curl: "option -H: requires parameter")' });
    assert.deepEqual(importCurl('curl -s'), { error: 'the cURL command has no URL' });
    assert.match((importCurl("curl 'x") as { error: string }).error, /^cannot read the cURL command: a single quote/);
    assert.match((importCurl('curl -d a=1 -F b=2 https://a.example') as { error: string }).error, /curl refuses it/);
  });

  test('a leading shell prompt is ignored', () => {
    assert.equal(imported('$ curl https://a.example').text, '# @no-redirect\nGET https://a.example\n');
  });

  test('--http2 (https) and --http2-prior-knowledge become the request line\'s version, which the parser reads back', () => {
    assert.equal(imported('curl --http2 https://a.example/x').text, '# @no-redirect\nGET https://a.example/x HTTP/2\n');
    const cleartext = imported('curl --http2-prior-knowledge http://a.example/x').text;
    assert.equal(cleartext, '# @no-redirect\nGET http://a.example/x HTTP/2 (Prior Knowledge)\n');
    const [request] = parse(cleartext).requests;
    assert.equal(request?.target.text, 'http://a.example/x');
    assert.equal(request?.httpVersion?.text, 'HTTP/2 (Prior Knowledge)');
  });

  test('-b FILE sends the cookies of the file that match the URL, in curl\'s order', () => {
    const file = [
      '# Netscape HTTP Cookie File',
      'a.example\tFALSE\t/\tFALSE\t0\tshort\t1',
      'a.example\tFALSE\t/api\tFALSE\t0\tdeep\t2',
      '.a.example\tTRUE\t/\tTRUE\t0\tsecure\t3',
      'a.example\tFALSE\t/\tFALSE\t1\texpired\t4',
      'b.example\tFALSE\t/\tFALSE\t0\tforeign\t5',
    ].join('\n');
    const readFile = (path: string): Uint8Array | undefined => (path === 'jar.txt' ? new TextEncoder().encode(file) : undefined);
    const secure = importCurl('curl -b jar.txt -b x=0 https://www.a.example/api/items', { readFile });
    assert.ok('text' in secure);
    assert.match(secure.text, /^Cookie: secure=3; x=0$/m, 'only the domain cookie reaches a subdomain');
    const plain = importCurl('curl -b jar.txt http://a.example/api/items', { readFile });
    assert.ok('text' in plain);
    assert.match(plain.text, /^Cookie: deep=2; short=1$/m, 'longer paths first; Secure cookies only over https');
    assert.match(imported('curl -b missing.txt https://a.example').warnings[0] ?? '', /cookie file could not be read/);
  });

  test('-z, -C and --etag-compare send the conditional headers curl sends', () => {
    const readFile = (path: string): Uint8Array | undefined => (path === 'etag' ? new TextEncoder().encode('"v1"\n') : undefined);
    const modifiedTime = (path: string): Date | undefined => (path === 'local.bin' ? new Date(Date.UTC(2021, 1, 3, 4, 5, 6)) : undefined);
    const result = importCurl("curl -z 'Wed, 01 Jan 2020 10:00:00 GMT' -C 100 --etag-compare etag https://a.example", { readFile });
    assert.ok('text' in result);
    assert.equal(result.text, '# @no-redirect\nGET https://a.example\nRange: bytes=100-\nIf-Modified-Since: Wed, 01 Jan 2020 10:00:00 GMT\nIf-None-Match: "v1"\n');
    const fromFile = importCurl('curl -z -local.bin https://a.example', { modifiedTime });
    assert.ok('text' in fromFile);
    assert.match(fromFile.text, /^If-Unmodified-Since: Wed, 03 Feb 2021 04:05:06 GMT$/m);
    assert.match(imported('curl -z nowhere https://a.example').warnings[0] ?? '', /neither a date nor a file/);
  });

  test('--proto-default sets the scheme of a URL without one; --path-as-is is reported when it matters', () => {
    assert.equal(imported('curl --proto-default https a.example/x').text, '# @no-redirect\nGET https://a.example/x\n');
    assert.match(imported('curl --path-as-is https://a.example/a/../b').warnings[0] ?? '', /with its dot segments/);
    assert.deepEqual(imported('curl --path-as-is https://a.example/a/b').warnings, []);
  });

  test('file paths are written as the caller wants them (the CLI: relative to --out)', () => {
    const result = importCurl('curl --data-binary @data/x.json https://a.example', { filePath: (path) => `../${path}` });
    assert.ok('text' in result);
    assert.match(result.text, /\n\n< \.\.\/data\/x\.json\n$/);
  });
});

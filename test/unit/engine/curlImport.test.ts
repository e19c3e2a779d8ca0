import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { importCurl, shellWords } from '../../../engine/curlImport';
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

  test('Windows line continuations (^ and `) are removed', () => {
    assert.deepEqual(shellWords('curl ^\r\n  -X POST ^\n  https://a.example').words, ['curl', '-X', 'POST', 'https://a.example']);
    assert.deepEqual(shellWords('curl `\n  https://a.example').words, ['curl', 'https://a.example']);
  });

  test('stops at a pipe and reports the rest', () => {
    assert.deepEqual(shellWords("curl https://a.example | jq '.x'"), { words: ['curl', 'https://a.example'], rest: "| jq '.x'" });
  });

  test('an unterminated quote is an error naming where it opened', () => {
    assert.throws(() => shellWords("curl 'abc"), /single quote opened at character 6/);
    assert.throws(() => shellWords('curl "abc'), /double quote/);
  });
});

describe('importCurl', () => {
  test('a GET with headers', () => {
    const { text, warnings } = imported(`curl 'https://api.example.com/items?page=2' -H 'Accept: application/json' -H 'X-Trace: 1'`);
    assert.equal(text, 'GET https://api.example.com/items?page=2\nAccept: application/json\nX-Trace: 1\n');
    assert.deepEqual(warnings, []);
  });

  test('-d makes a form POST; several -d join with &', () => {
    assert.equal(imported('curl https://a.example/login -d user=alice -d "pass=x y"').text, 'POST https://a.example/login\nContent-Type: application/x-www-form-urlencoded\n\nuser=alice&pass=x y\n');
  });

  test('--data-raw keeps a JSON body and its Content-Type; -X wins', () => {
    const { text } = imported(`curl -X PUT 'https://a.example/items/1' -H 'content-type: application/json' --data-raw '{"name":"pen","tags":["a"]}'`);
    assert.equal(text, 'PUT https://a.example/items/1\ncontent-type: application/json\n\n{"name":"pen","tags":["a"]}\n');
  });

  test('a multi-line $-quoted body keeps its lines', () => {
    const { text } = imported(`curl 'https://a.example/q' --data-binary $'{\\n  "a": 1\\n}'`);
    assert.equal(text, 'POST https://a.example/q\nContent-Type: application/x-www-form-urlencoded\n\n{\n  "a": 1\n}\n');
  });

  test('@file bodies become file includes', () => {
    assert.equal(imported('curl --data-binary @body.json -H "Content-Type: application/json" https://a.example').text, 'POST https://a.example\nContent-Type: application/json\n\n< body.json\n');
    assert.equal(imported('curl -d @form.txt https://a.example').text, 'POST https://a.example\nContent-Type: application/x-www-form-urlencoded\n\n< form.txt\n');
  });

  test('--data-urlencode encodes the content, not the name', () => {
    assert.equal(imported('curl https://a.example --data-urlencode "q=a b&c" --data-urlencode "=x/y"').text.split('\n\n')[1], 'q=a%20b%26c&x%2Fy\n');
  });

  test('-G puts the data in the query string', () => {
    assert.equal(imported('curl -G https://a.example/search?x=1 -d q=pen --data-urlencode "n=a b"').text, 'GET https://a.example/search?x=1&q=pen&n=a%20b\n');
  });

  test('-F builds a multipart body with file parts', () => {
    const { text } = imported('curl -F name=pen -F "photo=@./img/p.png;type=image/png" -F "notes=<notes.txt" https://a.example/upload');
    const boundary = /boundary=(\S+)/.exec(text)?.[1] ?? '';
    assert.ok(boundary !== '', text);
    assert.equal(
      text,
      [
        'POST https://a.example/upload',
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        '',
        `--${boundary}`,
        'Content-Disposition: form-data; name="name"',
        '',
        'pen',
        `--${boundary}`,
        'Content-Disposition: form-data; name="photo"; filename="p.png"',
        'Content-Type: image/png',
        '',
        '< ./img/p.png',
        `--${boundary}`,
        'Content-Disposition: form-data; name="notes"',
        '',
        '< notes.txt',
        `--${boundary}--`,
        '',
      ].join('\n'),
    );
    const document = parse(text);
    assert.equal(document.requests[0]?.body?.multipart?.parts.length, 3, 'the parser sees three parts');
  });

  test('-u, --digest, -b, -A, -e, --compressed become headers', () => {
    const { text } = imported("curl -u 'alice:s3 cret' -b 'sid=1; theme=dark' -A 'Agent/1' -e https://ref.example --compressed https://a.example");
    assert.equal(text, 'GET https://a.example\nCookie: sid=1; theme=dark\nUser-Agent: Agent/1\nReferer: https://ref.example\nAuthorization: Basic alice s3 cret\nAccept-Encoding: gzip, deflate, br\n');
    assert.match(imported('curl --digest -u bob:pw https://a.example').text, /^Authorization: Digest bob pw$/m);
  });

  test('-I is HEAD, -k and timeouts become directives, bundled flags and attached values are read', () => {
    assert.equal(imported('curl -sSLkI --max-time 5 --connect-timeout 2 https://a.example').text, '# @insecure\n# @timeout 5\n# @connection-timeout 2\nHEAD https://a.example\n');
    assert.equal(imported('curl -XPOST -HAccept:x --url https://a.example').text, 'POST https://a.example\nAccept: x\n');
  });

  test('--json sets the JSON headers', () => {
    assert.equal(imported(`curl --json '{"a":1}' https://a.example`).text, 'POST https://a.example\nContent-Type: application/json\nAccept: application/json\n\n{"a":1}\n');
  });

  test('a URL without a scheme gets http://, like curl', () => {
    assert.equal(imported('curl localhost:8080/x').text, 'GET http://localhost:8080/x\n');
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
    assert.deepEqual(request?.headers.map((header) => header.name.text), ['accept', 'content-type', 'cookie', 'user-agent', 'Accept-Encoding']);
    assert.match(text, /\n\n\{"query":"\{ me \{ name \} \}","variables":\{"q":"it's"\}\}\n$/);
  });

  test('options without an equivalent are reported, not dropped silently', () => {
    const { warnings } = imported('curl -o out.json --proxy http://p:1 -b cookies.txt https://a.example | jq .');
    assert.deepEqual(warnings, [
      'ignored --output out.json: Courier has no equivalent',
      'ignored --proxy http://p:1: Courier has no equivalent',
      'ignored -b cookies.txt: a cookie file is not read; Courier keeps cookies in its own session jar',
      'ignored what follows the command: | jq .',
    ]);
  });

  test('bad input gives a clear error', () => {
    assert.deepEqual(importCurl(''), { error: 'there is no cURL command to import: select one or copy it to the clipboard' });
    assert.deepEqual(importCurl('wget https://a.example'), { error: 'not a cURL command: it starts with "wget"; expected "curl ..."' });
    assert.deepEqual(importCurl('curl -H'), { error: 'option -H needs a value' });
    assert.deepEqual(importCurl('curl -s'), { error: 'the cURL command has no URL' });
    assert.match((importCurl("curl 'x") as { error: string }).error, /^cannot read the cURL command: a single quote/);
  });

  test('a leading shell prompt is ignored', () => {
    assert.equal(imported('$ curl https://a.example').text, 'GET https://a.example\n');
  });

  test('--http2 and --http2-prior-knowledge become the request line\'s version, which the parser reads back', () => {
    assert.equal(imported('curl --http2 https://a.example/x').text, 'GET https://a.example/x HTTP/2\n');
    const cleartext = imported('curl --http2-prior-knowledge http://a.example/x').text;
    assert.equal(cleartext, 'GET http://a.example/x HTTP/2 (Prior Knowledge)\n');
    const [request] = parse(cleartext).requests;
    assert.equal(request?.target.text, 'http://a.example/x');
    assert.equal(request?.httpVersion?.text, 'HTTP/2 (Prior Knowledge)');
  });
});

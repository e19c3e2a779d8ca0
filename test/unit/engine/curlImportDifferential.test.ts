// The cURL importer against curl itself: each command of the table is run by the real curl
// (Debian's /usr/bin/curl, through bash so its quoting is the shell's) and, imported, by the real
// `courier run`, both against the same recording server (test/differential/recorder.ts), and the
// requests each sent are compared byte for byte after these normalisations, and only these:
//   - header order between different names (HTTP/2 pseudo-headers included), and the case of names
//     (curl and undici order and case their own headers differently; HTTP gives neither a
//     meaning); values' outer spaces (OWS, not part of the value)
//   - `User-Agent`, unless the command sets one with -A (each client names itself)
//   - `Accept: */*`, which curl always adds: a request without Accept means the same (RFC 9110 12.5.1)
//   - `Connection` (keep-alive, or close after a HEAD): how the transport manages its connection,
//     which undici says and curl leaves to HTTP/1.1's default
//   - `Expect: 100-continue`, curl's handshake before an upload's body (Courier sends it at once)
//   - the hex digits of percent-encodings in the target, upper-cased (RFC 3986 6.2.2.1: the same URI)
//   - a multipart boundary, replaced by BOUNDARY (each client picks its own), and so that body's length
//   - a Digest answer's client nonce and response hash (random per client)
// The commands cover every option the importer honours; each must import without a warning.

import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { curlFileOptions } from '../../../cli/importCurl';
import { importCurl } from '../../../engine/importers/curlImport';
import { Recorder, type RecordedRequest } from '../../../test/differential/recorder';
import { ensureBuilt, runCli } from '../cli/cliHarness';

// From out/test/unit/engine/ (where the bundle runs) to the fixtures.
const tls = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');

/** One command: `$URL` is `http://127.0.0.1:PORT/d1/rN` (N its row), `$SECURE` the same over TLS, `$SECURE_HOST` without its scheme. */
interface Row {
  readonly covers: string;
  readonly command: string;
  /** curl's exit code when it is not 0 for a reason of the answer, not of what it sent. */
  readonly curlExit?: number;
}

const rows: readonly Row[] = [
  { covers: 'a plain GET', command: 'curl $URL/ok/plain' },
  { covers: '-H, -H "X;" (empty), -H "Accept:" (removed), values with spaces', command: `curl -H 'X-One: 1' -H "X-Two:   two words " -H 'X-Empty;' -H 'Accept:' $URL/ok/headers` },
  { covers: '-X as written', command: 'curl -X wHat $URL/ok/method' },
  { covers: '-I', command: 'curl -I $URL/ok/head' },
  { covers: '-d joined with &', command: `curl -d a=1 -d 'b=x y' $URL/ok/data` },
  { covers: '--data-ascii, --data-raw keeps @', command: `curl --data-ascii a=1 --data-raw '@not-a-file' $URL/ok/raw` },
  { covers: 'empty arguments', command: `curl --data-binary '' -d "" -H 'Content-Type: text/plain' $URL/ok/empty` },
  { covers: '-d @file strips CR and LF', command: 'curl -d @crlf.txt $URL/ok/strip' },
  { covers: '--data-binary @file exactly', command: `curl --data-binary @crlf.txt -H 'Content-Type: text/plain' $URL/ok/binary` },
  { covers: '--data-urlencode: name=content, =content, content, name@file, @file', command: `curl --data-urlencode 'q=a b&c' --data-urlencode '=x/y' --data-urlencode "it's (ok)*" --data-urlencode 'n@crlf.txt' --data-urlencode '@notes.txt' $URL/ok/urlencode` },
  { covers: '-G puts the data in the query', command: `curl -G -d q=1 --data-urlencode 'n=a b' '$URL/ok/get?x=1'` },
  { covers: '--url-query: name=content, +verbatim, content', command: `curl --url-query 'a=b c' --url-query '+raw=1%2F' --url-query plain $URL/ok/query` },
  { covers: 'repeated --json concatenated', command: `curl --json '{"a":1}' --json '[2]' $URL/ok/json` },
  { covers: '--json with -H Accept and a file', command: `curl --json @body.json -H 'Accept: text/plain' $URL/ok/json-file` },
  { covers: '-d then --json then -d', command: `curl -d a=1 --json '{"b":2}' -d c=3 $URL/ok/mixed` },
  { covers: '-T to a URL ending in / (file name appended)', command: 'curl -T upload.txt $URL/ok/upload/' },
  { covers: '-T with -X', command: 'curl -X POST -T upload.txt $URL/ok/upload-post' },
  { covers: '-u user:password', command: 'curl -u alice:secret $URL/ok/basic' },
  { covers: '-u :password', command: `curl -u ':only-password' $URL/ok/basic-empty-user` },
  { covers: '-u with spaces', command: `curl -u 'al ice:pa ss ' $URL/ok/basic-spaces` },
  { covers: '--digest -u', command: 'curl --digest -u alice:secret $URL/digest/' },
  { covers: '--oauth2-bearer', command: 'curl --oauth2-bearer tok.en $URL/ok/bearer' },
  { covers: '--range / -r', command: 'curl -r 0-99 $URL/ok/range' },
  { covers: '-A', command: `curl -A 'MyAgent/1.0 (test)' $URL/ok/agent` },
  { covers: '-e with ;auto', command: `curl -e 'http://ref.example/page;auto' $URL/ok/referer` },
  { covers: '-b strings joined', command: `curl -b 'a=1' -b 'b=2; c=3' $URL/ok/cookie` },
  { covers: '--compressed', command: 'curl --compressed $URL/ok/compressed' },
  {
    covers: '-F value, @file (type from the name), <file, ;type=, ;filename=, ;headers=, quoted file name',
    command: `curl -F name=pen -F photo=@photo.jpg -F 'notes=<notes.txt' -F 'blob=@data.bin;type=application/x-custom;filename=renamed.bin' -F 'typed=val;type=text/x-plain' -F 'extra=@notes.txt;headers=X-Part: 1' -F 'quoted=@"photo.jpg";type=image/png' $URL/ok/form`,
  },
  { covers: '--form-string keeps @ and ;', command: `curl --form-string 'lit=@not-a-file;type=x' $URL/ok/form-string` },
  { covers: '-F with -X PUT', command: 'curl -X PUT -F a=1 $URL/ok/form-put' },
  { covers: 'no -L: the redirect is not followed', command: 'curl $URL/r302/no-follow' },
  { covers: '-L: POST becomes GET after a 302', command: 'curl -L -d a=1 $URL/r302/follow' },
  { covers: '-L: 307 keeps the method and body', command: `curl -L -d a=1 $URL/r307/keep` },
  { covers: '--http2-prior-knowledge', command: 'curl --http2-prior-knowledge $URL/ok/h2c' },
  { covers: '-k over TLS with --http1.1', command: 'curl -k --http1.1 $SECURE/ok/tls' },
  { covers: '--http2 over TLS', command: `curl -k --http2 -d x=1 $SECURE/ok/tls-h2` },
  { covers: 'output and timing options change nothing sent', command: 'curl -s -S -o /dev/null -w "%{http_code}" --max-time 5 --connect-timeout 3 -i -v $URL/ok/quiet' },
  { covers: 'bundled short options', command: `curl -sSX PATCH -HX-A:1 -dk=v $URL/ok/bundled` },
  { covers: '--url and a JSON body with -X PUT', command: `curl --url $URL/ok/url -X PUT -H 'Content-Type: application/json' --data '{"name":"pen","tags":["a","b"]}'` },
  { covers: "bash quoting: $'...', \\-newline, double quotes", command: `curl $'$URL/ok/quoting' \\\n  -H "X-Q: \\"quoted\\" \\$HOME" \\\n  --data-raw $'{"a":"it\\'s","b":"\\u00e9"}'` },
  { covers: 'a multi-line XML body from a file', command: `curl -H 'Content-Type: application/xml' --data-binary @body.xml $URL/ok/xml` },
  { covers: '-b with a Netscape cookie file: matching cookies in curl\'s order', command: 'curl -b cookies.txt $URL/ok/cookie-file' },
  { covers: '-b with Set-Cookie lines, then a string', command: `curl -b set-cookies.txt -b 'z=0' $URL/ok/cookie-lines` },
  { covers: '-z with a date', command: `curl -z 'Wed, 01 Jan 2020 10:00:00 GMT' $URL/ok/since` },
  { covers: '-z -date', command: `curl -z '-Wed, 01 Jan 2020 10:00:00 GMT' $URL/ok/unmodified` },
  { covers: '-z with a file (its time)', command: 'curl -z etag.txt $URL/ok/since-file' },
  // 33: the recorder answers 200, not 206, to the Range (curl: "server doesn't seem to support byte ranges").
  { covers: '-C offset and --etag-compare', command: 'curl -C 100 --etag-compare etag.txt $URL/ok/resume', curlExit: 33 },
  { covers: '--proto-default for a URL without a scheme', command: 'curl --proto-default https -k --http1.1 $SECURE_HOST/ok/proto' },
  { covers: '-H @file', command: 'curl -H @headers.txt $URL/ok/header-file' },
  { covers: 'several URLs', command: 'curl -H "X-Both: 1" $URL/ok/one $URL/ok/two' },
  { covers: '-u user: (empty password)', command: `curl -u 'alice:' $URL/ok/empty-password` },
  { covers: '-e and -L: the Referer stays on the redirect', command: `curl -L -e 'http://ref.example/' $URL/r301/referer` },
  { covers: '-G with -I', command: 'curl -G -I -d q=1 $URL/ok/head-query' },
  { covers: '-X GET with a body', command: 'curl -X GET -d a=1 $URL/ok/get-body' },
  { covers: '-d @file (stripped) then -d', command: 'curl -d @crlf.txt -d x=1 $URL/ok/strip-mixed' },
  { covers: 'an empty -d alone: an empty form body', command: `curl -d '' $URL/ok/empty-only` },
  { covers: 'an empty -F value', command: `curl -F 'empty=' -F 'after=1' $URL/ok/form-empty` },
];

describe('cURL import against curl (differential)', () => {
  let recorder: Recorder;
  let folder: string;
  before(async () => {
    const version = spawnSync('curl', ['--version'], { encoding: 'utf8' });
    if (version.error !== undefined || version.status !== 0) {
      assert.fail('curl is missing: this test compares the importer with the real curl. Install it (Debian: `apt-get install -y curl`; .ci/run does) and rerun.');
    }
    ensureBuilt();
    recorder = await Recorder.start({ key: readFileSync(join(tls, 'server.key')), cert: readFileSync(join(tls, 'server.pem')) });
    folder = mkdtempSync(join(tmpdir(), 'courier-curl-diff-'));
    writeFileSync(join(folder, 'crlf.txt'), 'first line\r\nsecond line\nthird & last');
    writeFileSync(join(folder, 'notes.txt'), 'notes: a b\n');
    writeFileSync(join(folder, 'upload.txt'), 'uploaded\r\nbytes\n');
    writeFileSync(join(folder, 'body.json'), '{\n  "from": "file"\n}\n');
    writeFileSync(join(folder, 'body.xml'), '<?xml version="1.0"?>\n<root>\n  <item>1</item>\n</root>\n');
    writeFileSync(join(folder, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x0d, 0x0a]));
    writeFileSync(join(folder, 'data.bin'), Buffer.from([0, 1, 2, 3, 0x0a, 0xfe]));
    const cookieLines = [
      '# Netscape HTTP Cookie File',
      '127.0.0.1\tFALSE\t/\tFALSE\t0\tfirst\t1',
      '127.0.0.1\tFALSE\t/\tFALSE\t0\tsecond\t2',
      '127.0.0.1\tFALSE\t/d1\tFALSE\t0\tlonger\t3',
      '#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\thttponly\t4',
      '127.0.0.1\tFALSE\t/\tTRUE\t0\tsecure\t5',
      '127.0.0.1\tFALSE\t/elsewhere\tFALSE\t0\tother-path\t6',
      '127.0.0.1\tFALSE\t/\tFALSE\t1000\texpired\t7',
      'example.com\tTRUE\t/\tFALSE\t0\tother-host\t8',
    ];
    writeFileSync(join(folder, 'cookies.txt'), `${cookieLines.join('\n')}\n`);
    writeFileSync(join(folder, 'set-cookies.txt'), 'Set-Cookie: from-header=9; Path=/\nSet-Cookie: scoped=10; Path=/elsewhere\n');
    writeFileSync(join(folder, 'etag.txt'), '"abc123"\n');
    writeFileSync(join(folder, 'headers.txt'), 'X-From-File: 1\nX-Second: two words\n');
  });
  after(async () => {
    await recorder.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test(`${rows.length} commands send the same bytes through curl and through the imported .http file`, async () => {
    const commands = rows.map((row, index) =>
      row.command
        .replaceAll('$URL', `http://127.0.0.1:${recorder.mainPort}/d1/r${index}`)
        .replaceAll('$SECURE_HOST', `127.0.0.1:${recorder.securePort}/d1/r${index}`)
        .replaceAll('$SECURE', `https://127.0.0.1:${recorder.securePort}/d1/r${index}`),
    );
    const byCurl = new Map<number, RecordedRequest[]>();
    for (const [index, command] of commands.entries()) {
      recorder.begin({ kind: 'answer' });
      // Asynchronously: the recorder answering curl runs in this process.
      const status = await new Promise<number | string>((resolve) => {
        execFile('bash', ['-c', `${command} >/dev/null 2>&1`], { cwd: folder, timeout: 20_000 }, (error) => resolve(error === null ? 0 : (error.code ?? 'killed')));
      });
      assert.equal(status, rows[index]?.curlExit ?? 0, `curl failed (exit ${String(status)}) on row ${index} (${rows[index]?.covers ?? ''}): ${command}`);
      byCurl.set(index, await recorder.end());
    }

    const imported = commands.map((command, index) => {
      const result = importCurl(command, curlFileOptions(folder, join(folder, 'imported.http')));
      if ('error' in result) assert.fail(`row ${index} (${rows[index]?.covers ?? ''}) does not import: ${result.error}`);
      assert.deepEqual(result.warnings, [], `row ${index} (${rows[index]?.covers ?? ''}) imports with warnings`);
      return result.text;
    });
    writeFileSync(join(folder, 'imported.http'), imported.join('\n###\n'));
    recorder.begin({ kind: 'answer' });
    const run = await runCli(['run', join(folder, 'imported.http'), '--reporter', 'json'], { cwd: folder });
    const byCourier = await recorder.end();
    assert.equal(run.code, 0, `courier run failed:\n${run.stdout}\n${run.stderr}`);

    const differences: string[] = [];
    for (const [index, row] of rows.entries()) {
      const prefix = `/d1/r${index}/`;
      const curlSent = (byCurl.get(index) ?? []).map((request) => normalise(request, row.command));
      const courierSent = byCourier.filter((request) => targetOf(request).startsWith(prefix)).map((request) => normalise(request, row.command));
      assert.ok(curlSent.length > 0, `curl sent nothing for row ${index}`);
      if (JSON.stringify(courierSent) !== JSON.stringify(curlSent)) {
        differences.push(`row ${index} (${row.covers}):\n${commands[index] ?? ''}\nimported as:\n${imported[index] ?? ''}\ncurl sent:\n${curlSent.join('\n--\n')}\ncourier sent:\n${courierSent.join('\n--\n')}`);
      }
    }
    assert.deepEqual(differences, [], `${differences.length} of ${rows.length} commands send other bytes:\n\n${differences.join('\n\n')}`);
  });
});

function targetOf(request: RecordedRequest): string {
  return request.requestLine.split(' ')[1] ?? '';
}

/** What must be equal: the request line, the headers as a list, the body; after the normalisations above. */
function normalise(request: RecordedRequest, command: string): string {
  const [method = '', target = '', version = ''] = request.requestLine.split(' ');
  const normalTarget = target.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
  let body = request.body.toString('latin1');
  const type = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const boundary = /boundary=(\S+)/.exec(type)?.[1];
  if (boundary !== undefined) body = body.replaceAll(boundary, 'BOUNDARY');
  const headers = request.headers
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .filter(([name, value]) => {
      if (name === 'user-agent') return /\s(-A|--user-agent)\s/.test(command);
      if (name === 'accept') return value !== '*/*';
      if (name === 'connection') return !/^(keep-alive|close)$/i.test(value);
      if (name === 'expect') return value.toLowerCase() !== '100-continue';
      if (name === 'content-length') return boundary === undefined;
      return true;
    })
    .map(([name, value]) => {
      let normal = boundary === undefined ? value : value.replace(boundary, 'BOUNDARY');
      if (name === 'authorization' && /^Digest /i.test(value)) normal = digestParameters(value);
      return `${name}: ${normal}`;
    });
  // A stable sort keeps the order of same-named headers, which does matter.
  const nameOf = (line: string): string => line.slice(0, line.indexOf(': '));
  headers.sort((left, right) => nameOf(left).localeCompare(nameOf(right)));
  return [`${method} ${normalTarget} ${version}`, ...headers, '', body].join('\n');
}

/** A Digest answer's parameters, sorted, without the client's random nonce and the hash that depends on it. */
function digestParameters(value: string): string {
  const parameters = [...value.slice('Digest '.length).matchAll(/([\w-]+)=("(?:[^"\\]|\\.)*"|[^,\s]*)/g)]
    .map(([, key = '', raw = '']) => [key.toLowerCase(), raw.replace(/^"(.*)"$/, '$1')] as const)
    .filter(([key]) => key !== 'cnonce' && key !== 'response')
    .map(([key, raw]) => `${key}=${raw}`);
  return `Digest ${parameters.sort().join(', ')}`;
}

import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { shellQuote, toCurl } from '../../../engine/curl';
import { shellWords } from '../../../engine/importers/curlWords';
import type { BodyChunk, PreparedRequest } from '../../../engine/model';
import { defaultSendOptions } from '../../../engine/prepare';
import { httpServer, readBody } from './localServer';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

function request(overrides: Partial<PreparedRequest> = {}): PreparedRequest {
  return {
    method: 'GET',
    url: 'https://api.example.com/items?page=2',
    headers: [],
    body: undefined,
    options: { ...defaultSendOptions, followRedirects: false },
    origin: { file: '/work/a.http', line: 1, name: undefined },
    ...overrides,
  };
}

function hasProgram(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The words bash passes to curl for `command` (curl itself replaced by a printer). */
function bashWords(command: string): string[] {
  const printer = 'curl() { for word in "$@"; do printf "%s\\0" "$word"; done; }';
  const output = execFileSync('bash', ['-c', `${printer}\n${command}`]);
  return output.toString('utf8').split('\0').slice(0, -1);
}

describe('toCurl', () => {
  test('the request line\'s HTTP/2 becomes --http2, prior knowledge --http2-prior-knowledge', () => {
    assert.equal(toCurl({ ...request(), httpVersion: '2' }, { multiline: false }), "curl --http2 'https://api.example.com/items?page=2'");
    assert.equal(toCurl({ ...request(), httpVersion: '2-prior-knowledge' }, { multiline: false }), "curl --http2-prior-knowledge 'https://api.example.com/items?page=2'");
  });

  test('a plain GET is just curl and the quoted URL', () => {
    assert.equal(toCurl(request(), { multiline: false }), "curl 'https://api.example.com/items?page=2'");
  });

  test('POST with a body needs no -X; PUT and HEAD say so', () => {
    assert.equal(toCurl(request({ method: 'POST', body: [text('a=1')] }), { multiline: false }), "curl --data-binary a=1 'https://api.example.com/items?page=2'");
    assert.match(toCurl(request({ method: 'PUT', body: [text('x')] }), { multiline: false }), /^curl -X PUT --data-binary x /);
    assert.match(toCurl(request({ method: 'HEAD' }), { multiline: false }), /^curl --head /);
    assert.match(toCurl(request({ method: 'DELETE' }), { multiline: false }), /^curl -X DELETE /);
  });

  test('single quotes, dollars and backticks survive bash exactly', () => {
    const body = `{"name": "O'Brien", "cost": "$HOME \`id\` \\n"}\nsecond line`;
    const command = toCurl(request({ method: 'POST', headers: [['X-Note', "it's $PATH"]], body: [text(body)] }));
    assert.deepEqual(bashWords(command), ['-H', "X-Note: it's $PATH", '--data-binary', body, 'https://api.example.com/items?page=2']);
  });

  test('binary bodies become $-quoted bytes that bash turns back into the same bytes', () => {
    const bytes = new Uint8Array([0x00, 0xff, 0x27, 0x5c, 0x0a, 0x41]);
    const command = toCurl(request({ method: 'POST', body: [bytes] }), { multiline: false });
    assert.match(command, /--data-binary \$'\\x00\\xff\\'\\\\\\x0aA'/);
    const printer = 'curl() { printf "%s" "$2" | od -An -tx1; }';
    // bash strings stop at NUL, so check the bytes after it.
    const dumped = execFileSync('bash', ['-c', `${printer}\n${command.replace("$'\\x00", () => "$'")}`]).toString().trim().split(/\s+/);
    assert.deepEqual(dumped, ['ff', '27', '5c', '0a', '41']);
  });

  test('an empty header value is sent with curl\'s "Name;" form', () => {
    assert.deepEqual(bashWords(toCurl(request({ headers: [['X-Empty', '']] }))).slice(0, 2), ['-H', 'X-Empty;']);
  });

  test('Basic credentials written as "user password" become -u; tokens stay headers', () => {
    assert.deepEqual(bashWords(toCurl(request({ headers: [['Authorization', 'Basic alice s3cret pass']] }))).slice(0, 2), ['-u', 'alice:s3cret pass']);
    assert.deepEqual(bashWords(toCurl(request({ headers: [['Authorization', 'Basic YWxpY2U6eA==']] }))).slice(0, 2), ['-H', 'Authorization: Basic YWxpY2U6eA==']);
    assert.deepEqual(bashWords(toCurl(request({ headers: [['Authorization', 'Digest bob pw']] }))).slice(0, 3), ['--digest', '-u', 'bob:pw']);
    assert.deepEqual(bashWords(toCurl(request({ headers: [['Authorization', 'Bearer abc']] }))).slice(0, 2), ['-H', 'Authorization: Bearer abc']);
  });

  test('send options become curl options', () => {
    const command = toCurl(request({ options: { ...defaultSendOptions, followRedirects: true, maxRedirects: 3, timeoutMs: 2500, connectTimeoutMs: 1000, insecure: true, retries: 2 } }));
    assert.deepEqual(bashWords(command).slice(0, -1), ['--location', '--max-redirs', '3', '--max-time', '2.5', '--connect-timeout', '1', '--insecure', '--retry', '2']);
  });

  test('a file body is streamed with @path; text and files together are piped in order', () => {
    assert.deepEqual(bashWords(toCurl(request({ method: 'POST', body: [{ path: "/tmp/it's.bin" }] }))).slice(0, 2), ['--data-binary', "@/tmp/it's.bin"]);
    const mixed = toCurl(request({ method: 'POST', body: [text('head\n'), { path: '/tmp/x.bin' }, text('tail')] }), { multiline: false });
    assert.match(mixed, /^\{ printf '%s' 'head\n'; cat \/tmp\/x\.bin; printf '%s' tail; \} \| curl --data-binary @- /);
  });

  test('shellQuote leaves plain words bare and quotes the rest', () => {
    assert.equal(shellQuote('https://a.example/x'), 'https://a.example/x');
    assert.equal(shellQuote('a b'), "'a b'");
    assert.equal(shellQuote("'"), "''\\'''");
    assert.equal(shellQuote(''), "''");
  });

  test('the words round-trip through the importer\'s shell tokenizer', () => {
    const chunks: BodyChunk[] = [text(`multi\nline 'quoted' "double" \\ $x`)];
    const command = toCurl(request({ method: 'PATCH', headers: [['A', 'b c']], body: chunks }));
    assert.deepEqual(shellWords(command).words, ['curl', ...bashWords(command)]);
  });

  test('the command sends the same bytes through the real curl', { skip: !hasProgram('curl') && 'curl is not installed' }, async () => {
    const seen: { method?: string; url?: string; headers?: Record<string, string | string[] | undefined>; body?: Buffer } = {};
    const server = await httpServer((incoming, response) => {
      void readBody(incoming).then((body) => {
        Object.assign(seen, { method: incoming.method, url: incoming.url, headers: incoming.headers, body });
        response.end('ok');
      });
    });
    try {
      const folder = mkdtempSync(join(tmpdir(), 'courier-curl-'));
      const file = join(folder, 'part two.bin');
      writeFileSync(file, Buffer.from([0, 1, 2, 0xff]));
      const body: BodyChunk[] = [text("it's {\"a\": 1}\n"), { path: file }];
      const command = toCurl(request({ method: 'PUT', url: `${server.url}/up?q=a%20b`, headers: [['X-Token', "t'k $v"], ['Content-Type', 'application/octet-stream']], body }));
      await new Promise<void>((resolve, reject) => execFile('bash', ['-c', `${command} --silent --show-error`], (error: Error | null) => (error === null ? resolve() : reject(error))));
      assert.equal(seen.method, 'PUT');
      assert.equal(seen.url, '/up?q=a%20b');
      assert.equal(seen.headers?.['x-token'], "t'k $v");
      assert.deepEqual(seen.body, Buffer.concat([Buffer.from("it's {\"a\": 1}\n"), Buffer.from([0, 1, 2, 0xff])]));
    } finally {
      await server.close();
    }
  });
});

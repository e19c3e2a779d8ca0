import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import type { BodyChunk, EngineError, PreparedRequest, SendOptions } from '../../../engine/model';
import { encodeOnce, prepareRequest, type PrepareResult } from '../../../engine/prepare';
import { Resolver } from '../../../engine/variables';
import { parse } from '../../../language/parser';

const folder = mkdtempSync(join(tmpdir(), 'courier-prepare-'));
const httpFile = join(folder, 'api.http');
writeFileSync(join(folder, 'data.json'), '{"from":"file"}\n');
writeFileSync(join(folder, 'template.json'), '{"user":"{{user}}"}');
writeFileSync(join(folder, 'logo.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));

/** Prepares the `index`-th request of `text`, with file and environment variables as given. */
function prepareText(text: string, options: { index?: number; environment?: Record<string, string>; defaults?: Partial<SendOptions> } = {}): PrepareResult {
  const document = parse(text);
  const request = document.requests[options.index ?? 0];
  assert.ok(request, 'no request in the text');
  const resolver = new Resolver({
    overrides: new Map(),
    fileVariables: new Map(document.variables.map((variable) => [variable.name.text, variable.value.text])),
    environment: new Map(Object.entries(options.environment ?? {})),
    prompted: new Map(),
    sentRequest: () => undefined,
    system: { now: () => new Date(0), random: () => 0, uuid: () => 'u-1', processEnv: () => undefined, dotenv: () => undefined },
  });
  return prepareRequest({ document, request, file: httpFile, resolver, defaults: options.defaults });
}

function prepared(text: string, options: Parameters<typeof prepareText>[1] = {}): PreparedRequest {
  const result = prepareText(text, options);
  assert.ok('prepared' in result, 'error' in result ? result.error.message : '');
  return result.prepared;
}

function failed(text: string, options: Parameters<typeof prepareText>[1] = {}): EngineError {
  const result = prepareText(text, options);
  assert.ok('error' in result, 'should not prepare');
  return result.error;
}

/** The body as text, with file chunks shown as <file:name>. */
function bodyText(chunks: readonly BodyChunk[] | undefined): string | undefined {
  if (chunks === undefined) return undefined;
  return chunks.map((chunk) => (chunk instanceof Uint8Array ? new TextDecoder().decode(chunk) : `<file:${chunk.path.slice(folder.length + 1)}>`)).join('');
}

describe('preparing the target', () => {
  test('a multi-line query is joined and variables substituted', () => {
    const request = prepared('@id = 42\nGET https://api.test/items/{{id}}\n    ?expand=owner\n    &sort=desc\n');
    assert.equal(request.url, 'https://api.test/items/42?expand=owner&sort=desc');
    assert.equal(request.method, 'GET');
    assert.deepEqual(request.origin, { file: httpFile, line: 2, name: undefined });
  });

  test('spaces and non-ASCII are percent-encoded once; %20 already written stays', () => {
    assert.equal(prepared('GET https://api.test/a b/ü?q=café&r=%20x&s=100%\n').url, 'https://api.test/a%20b/%C3%BC?q=caf%C3%A9&r=%20x&s=100%25');
    assert.equal(prepared('@term = a b\nGET https://api.test/?q={{term}}\n').url, 'https://api.test/?q=a%20b');
    assert.equal(encodeOnce('/x%2Fy%zz😀'), '/x%2Fy%25zz%F0%9F%98%80');
    assert.equal(encodeOnce(encodeOnce('/ä ö')), encodeOnce('/ä ö'));
  });

  test('encoding is idempotent and leaves only URL-safe ASCII, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const once = encodeOnce(text);
        assert.equal(encodeOnce(once), once);
        assert.match(once, /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/);
        // Without a % written by the user, decoding gives the text back: nothing lost, nothing encoded twice.
        if (!text.includes('%')) assert.equal(decodeURIComponent(once), text);
      }),
      { numRuns: 2000 },
    );
  });

  test('a non-ASCII host becomes punycode and the fragment is not sent', () => {
    assert.equal(prepared('GET http://bücher.test/x#section\n').url, 'http://xn--bcher-kva.test/x');
  });

  test('an other-form target gets http://, an origin-form target uses the Host header', () => {
    assert.equal(prepared('GET localhost:3000/health\n').url, 'http://localhost:3000/health');
    assert.equal(prepared('GET /v1/items?a=1\nHost: api.test:8080\n').url, 'http://api.test:8080/v1/items?a=1');
    assert.equal(prepared('GET /secure\nHost: api.test:443\n').url, 'https://api.test/secure');
  });

  test("without a Host header, an origin-form target goes to the host variable, as httpYac sends it", () => {
    assert.equal(prepared('@host = https://api.test\n\nGET /v1/items?a=1\n').url, 'https://api.test/v1/items?a=1');
    assert.equal(prepared('GET /v1/items\n', { environment: { host: 'https://api.test/base' } }).url, 'https://api.test/base/v1/items', 'concatenated, a path prefix kept');
    assert.equal(prepared('GET /x\n', { environment: { host: 'localhost:3000' } }).url, 'http://localhost:3000/x', 'a bare host gets http:// like any other-form target');
    assert.equal(prepared('@host = https://ignored.test\nGET /v1\nHost: api.test\n').url, 'http://api.test/v1', 'a Host header wins, as in httpYac');
  });

  test('an origin-form target without Host, or an invalid URL, fails naming the line', () => {
    assert.match(failed('\n\nGET /v1/items\n').message, /api\.http:3: \/v1\/items has no host: add a Host header/);
    assert.match(failed('GET http://exa mple:99999/\n').message, /api\.http:1: .* is not a valid URL/);
    assert.match(failed('GET ftp://files.test/a\n').message, /uses ftp:, which Courier cannot send: it sends http and https URLs/);
    assert.match(failed('GET ws://chat.test/socket\n').message, /api\.http:1: "ws:\/\/chat\.test\/socket": ws: URLs open a WebSocket: write WEBSOCKET \(or WS\) instead of GET/);
    assert.equal(prepared('WEBSOCKET https://chat.test/socket\n').url, 'wss://chat.test/socket', 'a WebSocket to an https URL goes as wss');
    assert.equal(prepared('WS localhost:3000/socket\n').url, 'ws://localhost:3000/socket');
    assert.equal(prepared('GRAPHQL http://api.test/graphql\n\nsubscription { ticks }\n').url, 'ws://api.test/graphql', 'a subscription goes over a WebSocket');
    assert.equal(prepared('GRAPHQL http://api.test/graphql\n\nsubscription { ticks }\n').method, 'GRAPHQL');
    assert.equal(prepared('GRAPHQL http://api.test/graphql\n\nquery { items { id } }\n').method, 'POST');
    assert.equal(prepared('GRAPHQL http://api.test/graphql\n\n# subscription { x }\nfragment F on S { subscription }\nquery Q { ...F }\n').url, 'http://api.test/graphql', 'comments and fragments are not the operation');
  });

  test('the request line\'s HTTP version chooses the protocol: HTTP/2, HTTP/2 (Prior Knowledge), else HTTP/1.1', () => {
    assert.equal(prepared('GET https://api.test/ HTTP/2\n').httpVersion, '2');
    assert.equal(prepared('GET http://api.test/ HTTP/2 (Prior Knowledge)\n').httpVersion, '2-prior-knowledge');
    assert.equal(prepared('GET http://api.test/ HTTP/2 (prior knowledge)\n').url, 'http://api.test/');
    assert.equal(prepared('GET https://api.test/ HTTP/1.1\n').httpVersion, undefined);
    assert.equal(prepared('GET https://api.test/\n').httpVersion, undefined);
  });

  test('an undefined variable fails with code variable, its name and its line', () => {
    const error = failed('GET https://api.test/\nAccept: */*\nAuthorization: Bearer {{token}}\n');
    assert.equal(error.code, 'variable');
    assert.match(error.message, /^.*api\.http:3: variable token is not defined/);
  });
});

describe('preparing headers and options', () => {
  test('headers keep their order and case, values are trimmed and substituted', () => {
    const request = prepared('@t = abc\nGET https://api.test/\nX-Custom:   spaced value  \naccept: application/json\nAuthorization: Bearer {{t}}\n');
    assert.deepEqual(request.headers, [['X-Custom', 'spaced value'], ['accept', 'application/json'], ['Authorization', 'Bearer abc']]);
    assert.equal(request.body, undefined);
  });

  test('directives become send options and win over settings', () => {
    const text = '# @no-redirect\n# @no-cookie-jar\n# @timeout 2 s\n// @connection-timeout 150 ms\n# @insecure\nGET https://api.test/\n';
    assert.deepEqual(prepared(text, { defaults: { timeoutMs: 99, retries: 2, maxRedirects: 3 } }).options, {
      followRedirects: false, maxRedirects: 3, useCookieJar: false, timeoutMs: 2000, connectTimeoutMs: 150, insecure: true, retries: 2,
    });
    assert.equal(prepared('# @timeout 1 m\nGET https://api.test/\n').options.timeoutMs, 60_000);
    assert.equal(prepared('# @timeout 250 ms\nGET https://api.test/\n').options.timeoutMs, 250);
    assert.equal(prepared('# @timeout 5\nGET https://api.test/\n').options.timeoutMs, 5000, 'a bare number is seconds');
    assert.deepEqual(prepared('GET https://api.test/\n').options, { followRedirects: true, maxRedirects: 10, useCookieJar: true, timeoutMs: undefined, connectTimeoutMs: undefined, insecure: false, retries: 0 });
    assert.match(failed('# @timeout soon\nGET https://api.test/\n').message, /api\.http:1: @timeout needs a duration/);
  });
});

describe('preparing bodies', () => {
  test('inline text loses leading blank lines and trailing newlines, keeps inner ones', () => {
    const request = prepared('@n = 7\nPOST https://api.test/\nContent-Type: application/json\n\n\n{\n  "n": {{n}},\n\n  "s": "x"\n}\n\n\n');
    assert.equal(bodyText(request.body), '{\n  "n": 7,\n\n  "s": "x"\n}');
  });

  test('CRLF bodies keep their line endings inside', () => {
    assert.equal(bodyText(prepared('POST https://api.test/\r\n\r\na\r\nb\r\n\r\n').body), 'a\r\nb');
  });

  test('< path is a file chunk resolved from the .http folder, between text chunks', () => {
    const request = prepared('POST https://api.test/\n\nbefore\n< ./data.json\nafter\n');
    assert.deepEqual(request.body?.[1], { path: join(folder, 'data.json') });
    assert.equal(bodyText(request.body), 'before\n<file:data.json>\nafter');
  });

  test('<@ path is read as text with variables substituted', () => {
    assert.equal(bodyText(prepared('@user = ann\nPOST https://api.test/\n\n<@ ./template.json\n').body), '{"user":"ann"}');
  });

  test('a missing body file fails with code file, its path and line', () => {
    const error = failed('POST https://api.test/\n\n< ./nope.json\n');
    assert.equal(error.code, 'file');
    assert.match(error.message, /api\.http:3: file \.\/nope\.json not found \(looked for .*nope\.json\)/);
  });

  test('multipart bodies are built part by part with CRLF and a closing delimiter', () => {
    const text = [
      '@title = Hello',
      'POST https://api.test/upload',
      'Content-Type: multipart/form-data; boundary=XyZ',
      '',
      '--XyZ',
      'Content-Disposition: form-data; name="title"',
      '',
      '{{title}}',
      'second line',
      '--XyZ',
      'Content-Disposition: form-data; name="logo"; filename="logo.png"',
      'Content-Type: image/png',
      '',
      '< ./logo.png',
      '--XyZ--',
      '',
    ].join('\n');
    const request = prepared(text);
    assert.equal(
      bodyText(request.body),
      '--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nHello\r\nsecond line\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="logo"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n<file:logo.png>\r\n--XyZ--\r\n',
    );
    assert.deepEqual(request.body?.[1], { path: join(folder, 'logo.png') });
  });

  test('form-urlencoded lines are joined into one', () => {
    const request = prepared('@name = ann\nPOST https://api.test/form\nContent-Type: application/x-www-form-urlencoded\n\nname={{name}}\n  &age=30\n&city=Paris\n');
    assert.equal(bodyText(request.body), 'name=ann&age=30&city=Paris');
  });

  test('GraphQL bodies become query, variables and operationName JSON', () => {
    const request = prepared('@id = 5\nGRAPHQL https://api.test/graphql\n\nquery Item($id: ID!) {\n  item(id: $id) { name }\n}\n\n{"id": "{{id}}"}\n');
    assert.equal(request.method, 'POST');
    assert.deepEqual(request.headers, [['Content-Type', 'application/json']]);
    assert.equal(bodyText(request.body), JSON.stringify({ query: 'query Item($id: ID!) {\n  item(id: $id) { name }\n}', variables: { id: '5' }, operationName: 'Item' }));
  });

  test('a GraphQL request keeps a Content-Type that is set, and invalid variables fail', () => {
    const request = prepared('POST https://api.test/graphql\nX-Request-Type: GraphQL\nContent-Type: application/graphql+json\n\n{ items { id } }\n');
    assert.deepEqual(request.headers, [['X-Request-Type', 'GraphQL'], ['Content-Type', 'application/graphql+json']]);
    assert.equal(bodyText(request.body), '{"query":"{ items { id } }"}');
    assert.match(failed('GRAPHQL https://api.test/graphql\n\nquery { a }\n\n{ nope\n').message, /api\.http:5: the GraphQL variables are not valid JSON/);
  });
});

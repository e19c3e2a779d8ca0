import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { digestResponse, parseAuthParams } from '../../../samples/demo-api/httpAuth';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';

let api: DemoApi;
before(async () => {
  api = await startDemoApi(0);
});
after(async () => {
  await api.close();
});

async function json(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}${path}`, { redirect: 'manual', ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

function postJson(value: unknown, method = 'POST'): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}

describe('demo API: items', () => {
  test('lists the seeded items, filtered, sorted and limited by query parameters', async () => {
    const all = await json('/items');
    assert.equal(all.status, 200);
    assert.ok(Array.isArray(all.body) && all.body.length >= 3);
    const filtered = await json('/items?name=penc&sort=name&limit=1');
    assert.deepEqual(filtered.body, [{ id: 2, name: 'Pencil', price: 1.25, tags: ['wood', 'graphite'] }]);
  });

  test('creates, reads, replaces, patches and deletes an item', async () => {
    const created = await json('/items', postJson({ name: 'Eraser', price: 0.5 }));
    assert.equal(created.status, 201);
    const id = created.body.id as number;
    assert.equal(created.headers.get('location'), `/items/${id}`);
    assert.deepEqual((await json(`/items/${id}`)).body, { id, name: 'Eraser', price: 0.5, tags: [] });
    assert.equal((await json(`/items/${id}`, postJson({ name: 'Big eraser', price: 1 }, 'PUT'))).body.name, 'Big eraser');
    const patched = await json(`/items/${id}`, postJson({ tags: ['rubber'] }, 'PATCH'));
    assert.deepEqual(patched.body, { id, name: 'Big eraser', price: 1, tags: ['rubber'] });
    assert.equal((await json(`/items/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await json(`/items/${id}`)).status, 404);
  });

  test('rejects invalid items with 400 and a list of what is wrong', async () => {
    const invalid = await json('/items', postJson({ price: -1, colour: 'red' }));
    assert.equal(invalid.status, 400);
    assert.deepEqual(invalid.body.details, ['unknown field "colour" (allowed: name, price, tags)', 'name is required', 'price must be a number >= 0']);
    const malformed = await json('/items', { method: 'POST', body: '{"name":' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error as string, /not valid JSON/);
    assert.equal((await json('/items/abc')).status, 400);
  });

  test('answers unknown paths with 404 and wrong methods with 405 and Allow', async () => {
    assert.equal((await json('/nowhere')).status, 404);
    const wrongMethod = await json('/items', { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET, HEAD, POST');
  });

  test('serves the items as XML', async () => {
    const response = await fetch(`${api.url}/xml`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/xml/);
    const text = await response.text();
    assert.match(text, /^<\?xml version="1.0"/);
    assert.match(text, /<item id="1">\s*<name>Notebook<\/name>/);
  });
});

describe('demo API: login, cookies and tokens', () => {
  test('login sets an HttpOnly session cookie and returns a token; /me accepts either', async () => {
    assert.equal((await json('/me')).status, 401);
    const wrong = await json('/login', postJson({ username: 'demo', password: 'nope' }));
    assert.equal(wrong.status, 401);
    const login = await json('/login', postJson({ username: 'demo', password: 'secret' }));
    assert.equal(login.status, 200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^session=[0-9a-f]+; Path=\/; HttpOnly/);
    const cookie = setCookie.split(';')[0];
    assert.deepEqual((await json('/me', { headers: { Cookie: cookie } })).body, { username: 'demo', authenticatedBy: 'cookie' });
    const bearer = { Authorization: `Bearer ${login.body.token as string}` };
    assert.deepEqual((await json('/me', { headers: bearer })).body, { username: 'demo', authenticatedBy: 'bearer' });
    assert.equal((await json('/me', { headers: { Authorization: 'Bearer forged' } })).status, 401);
  });

  test('/cookies/set sets each query parameter as a cookie and /cookies echoes them', async () => {
    const set = await json('/cookies/set?flavour=oat&size=large');
    assert.deepEqual(set.headers.getSetCookie(), ['flavour=oat; Path=/', 'size=large; Path=/']);
    assert.deepEqual((await json('/cookies', { headers: { Cookie: 'flavour=oat; size=large' } })).body, { cookies: { flavour: 'oat', size: 'large' } });
  });
});

describe('demo API: HTTP authentication', () => {
  test('basic auth accepts exactly the user and password in the path', async () => {
    const missing = await json('/basic-auth/ann/pw');
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Basic realm="courier-demo"/);
    const good = await json('/basic-auth/ann/pw', { headers: { Authorization: `Basic ${Buffer.from('ann:pw').toString('base64')}` } });
    assert.deepEqual(good.body, { authenticated: true, user: 'ann', scheme: 'basic' });
    assert.equal((await json('/basic-auth/ann/pw', { headers: { Authorization: `Basic ${Buffer.from('ann:x').toString('base64')}` } })).status, 401);
  });

  test('digest auth (RFC 7616, MD5, qop=auth) accepts a correct answer to its challenge and refuses a wrong password', async () => {
    const path = '/digest-auth/ann/pw?x=1';
    const challenge = await json(path);
    assert.equal(challenge.status, 401);
    const header = challenge.headers.get('www-authenticate') ?? '';
    assert.match(header, /^Digest /);
    const params = parseAuthParams(header.slice('Digest '.length));
    assert.equal(params.qop, 'auth');
    assert.equal(params.algorithm, 'MD5');
    const answer = (password: string): string => {
      const fields = { username: 'ann', password, method: 'GET', uri: path, nonce: params.nonce, nc: '00000001', cnonce: 'abc123' };
      return `Digest username="ann", realm="${params.realm}", nonce="${params.nonce}", uri="${path}", qop=auth, nc=00000001, cnonce="abc123", response="${digestResponse(fields)}", opaque="${params.opaque}", algorithm=MD5`;
    };
    const good = await json(path, { headers: { Authorization: answer('pw') } });
    assert.equal(good.status, 200);
    assert.deepEqual(good.body, { authenticated: true, user: 'ann', scheme: 'digest' });
    const bad = await json(path, { headers: { Authorization: answer('wrong') } });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body.details, ['response digest is wrong (check the password)']);
  });

  test('the digest response matches the worked example of RFC 2617 section 3.5 (same MD5 computation)', () => {
    // RFC 2617 uses realm "testrealm@host.com"; recompute with ours to check the formula itself.
    const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
    const ha1 = md5('Mufasa:courier-demo:Circle Of Life');
    const ha2 = md5('GET:/dir/index.html');
    const expected = md5(`${ha1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:${ha2}`);
    const actual = digestResponse({ username: 'Mufasa', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', nc: '00000001', cnonce: '0a4f113b' });
    assert.equal(actual, expected);
  });
});

describe('demo API: echoes', () => {
  test('/get echoes method, query (repeated keys as arrays) and headers as sent', async () => {
    const echo = await json('/get?a=1&b=2&b=3', { headers: { 'X-Trace': 'abc' } });
    assert.equal(echo.body.method, 'GET');
    assert.deepEqual(echo.body.query, { a: '1', b: ['2', '3'] });
    // fetch lower-cases header names on the wire; the echo shows them as received.
    const trace = Object.entries(echo.body.headers as Record<string, string>).find(([name]) => name.toLowerCase() === 'x-trace');
    assert.equal(trace?.[1], 'abc');
  });

  test('/post and /anything echo the body as text, as parsed JSON, with size and hash', async () => {
    const echo = await json('/post', postJson({ hello: 'world' }));
    assert.equal(echo.body.body, '{"hello":"world"}');
    assert.deepEqual(echo.body.json, { hello: 'world' });
    assert.equal(echo.body.bodySize, 17);
    assert.equal(echo.body.sha256, createHash('sha256').update('{"hello":"world"}').digest('hex'));
    const binary = await json('/anything/deep/path', { method: 'PUT', body: new Uint8Array([0xff, 0x00, 0xfe]) });
    assert.equal(binary.body.path, '/anything/deep/path');
    assert.equal(binary.body.bodyBase64, '/wD+');
    assert.equal((await json('/post')).status, 405);
  });

  test('/gzip sends gzip-encoded JSON that decodes to an echo', async () => {
    const raw = await new Promise<{ encoding: string | undefined; firstBytes: number[] }>((resolve, reject) => {
      httpRequest(`${api.url}/gzip`, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ encoding: response.headers['content-encoding'], firstBytes: [...Buffer.concat(chunks).subarray(0, 2)] }));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(raw.encoding, 'gzip');
    assert.deepEqual(raw.firstBytes, [0x1f, 0x8b]);
    const decoded = await json('/gzip');
    assert.equal(decoded.body.gzipped, true);
  });
});

describe('demo API: status, redirects, delays, downloads', () => {
  test('/status/:code answers with that status; redirect codes point at /get', async () => {
    const notFound = await json('/status/404');
    assert.equal(notFound.status, 404);
    assert.deepEqual(notFound.body, { status: 404, statusText: 'Not Found' });
    assert.equal((await json('/status/204')).status, 204);
    assert.equal((await json('/status/307')).headers.get('location'), '/get');
    assert.equal((await json('/status/99')).status, 400);
  });

  test('/redirect/:n redirects n times, then lands on /get', async () => {
    const first = await json('/redirect/3');
    assert.equal(first.status, 302);
    assert.equal(first.headers.get('location'), '/redirect/2');
    assert.equal((await json('/redirect/1')).headers.get('location'), '/get');
    const followed = await fetch(`${api.url}/redirect/3`);
    assert.equal(followed.url, `${api.url}/get`);
    assert.equal(followed.status, 200);
    await followed.body?.cancel();
  });

  test('/slow waits the requested time before answering', async () => {
    const started = performance.now();
    const slow = await json('/slow?ms=150');
    assert.ok(performance.now() - started >= 140, 'answered too early');
    assert.deepEqual(slow.body, { waitedMs: 150 });
    assert.equal((await json('/slow?ms=abc')).status, 400);
  });

  test('/slow lets a client give up without breaking the server', async () => {
    await assert.rejects(fetch(`${api.url}/slow?ms=5000`, { signal: AbortSignal.timeout(50) }));
    assert.equal((await json('/get')).status, 200);
  });

  test('/download streams exactly the requested size with a Content-Length', async () => {
    const response = await fetch(`${api.url}/download?mb=3`);
    assert.equal(response.headers.get('content-length'), String(3 * 1024 * 1024));
    let size = 0;
    let first: Uint8Array | undefined;
    const reader = response.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      first ??= read.value;
      size += read.value.length;
    }
    assert.equal(size, 3 * 1024 * 1024);
    assert.equal(Buffer.from(first!.subarray(0, 10)).toString('latin1'), '0123456789');
    assert.equal((await json('/download?mb=-1')).status, 400);
  });
});

describe('demo API: uploads', () => {
  test('/upload reports each multipart part: name, file name, content type, size', async () => {
    const form = new FormData();
    form.append('title', 'Holiday');
    form.append('file', new Blob(['hello\r\nworld'], { type: 'text/plain' }), 'hello.txt');
    form.append('data', new Blob([new Uint8Array([0, 1, 2, 3])], { type: 'application/octet-stream' }), 'data.bin');
    const upload = await json('/upload', { method: 'POST', body: form });
    assert.equal(upload.status, 200);
    assert.deepEqual(
      (upload.body.parts as Record<string, unknown>[]).map(({ name, filename, contentType, size }) => ({ name, filename, contentType, size })),
      [
        { name: 'title', filename: undefined, contentType: undefined, size: 7 },
        { name: 'file', filename: 'hello.txt', contentType: 'text/plain', size: 12 },
        { name: 'data', filename: 'data.bin', contentType: 'application/octet-stream', size: 4 },
      ],
    );
    assert.equal((upload.body.parts as Record<string, unknown>[])[0].value, 'Holiday');
  });

  test('/upload refuses a non-multipart body and a body without the closing boundary', async () => {
    assert.equal((await json('/upload', postJson({}))).status, 415);
    const unterminated = await json('/upload', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XYZ' }, body: '--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n' });
    assert.equal(unterminated.status, 400);
    assert.match(unterminated.body.error as string, /closing "--XYZ--"/);
  });
});

describe('demo API: GraphQL', () => {
  const graphql = (query: string, variables?: Record<string, unknown>) => json('/graphql', postJson({ query, variables }));

  test('queries items with nested selections and aliases', async () => {
    const result = await graphql('query List { items { id name } first: item(id: 1) { name } }');
    assert.equal(result.status, 200);
    const data = result.body.data as { items: { id: number; name: string }[]; first: { name: string } };
    assert.deepEqual(data.items[0], { id: 1, name: 'Notebook' });
    assert.deepEqual(data.first, { name: 'Notebook' });
  });

  test('runs a mutation with variables and defaults; the REST collection sees the new item', async () => {
    const result = await graphql('mutation Add($name: String!, $price: Float = 3) { addItem(name: $name, price: $price) { id name price } }', { name: 'Ruler' });
    const added = (result.body.data as { addItem: { id: number; name: string; price: number } }).addItem;
    assert.deepEqual({ name: added.name, price: added.price }, { name: 'Ruler', price: 3 });
    assert.equal((await json(`/items/${added.id}`)).body.name, 'Ruler');
  });

  test('reports parse errors, unknown fields and missing variables in "errors"', async () => {
    const cases: [string, RegExp][] = [
      ['{ items { id }', /ends too early/],
      ['{ items { colour } }', /Item has no field "colour"/],
      ['mutation M($name: String!) { addItem(name: $name) { id } }', /\$name is required/],
      ['{ ...Frag }', /fragments/],
    ];
    for (const [query, message] of cases) {
      const result = await graphql(query);
      assert.equal(result.body.data, null, query);
      assert.match((result.body.errors as { message: string }[])[0].message, message, query);
    }
  });
});

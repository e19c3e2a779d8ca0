// The JetBrains scripting API inside the sandbox, member by member, as their reference documents it.
import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { type ScriptResult } from '../../../../engine/scripts/scriptTypes';
import { jsonResponse, scriptInput, testSandbox } from './sandboxHarness';

const sandbox = testSandbox();
after(() => sandbox.close());

/** Runs `source` and answers its log lines, failing on any script error. */
async function logOf(source: string, overrides: Parameters<typeof scriptInput>[1] = {}): Promise<string[]> {
  const result = await sandbox.run(scriptInput(source, overrides));
  assert.equal(result.error, undefined, result.error?.message);
  return [...result.log];
}

function passed(result: ScriptResult): void {
  assert.equal(result.error, undefined, result.error?.message);
  for (const test of result.tests) assert.ok(test.ok, `${test.name}: ${test.error}`);
}

describe('client', () => {
  test('client.test records a pass, a failed client.assert with its message, and a thrown error', async () => {
    const result = await sandbox.run(scriptInput([
      'client.test("passes", () => client.assert(true, "never"));',
      'client.test("fails", () => client.assert(1 === 2, "one is not two"));',
      'client.test("throws", () => { null.x; });',
      'client.test("default message", () => client.assert(false));',
    ].join('\n')));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.tests.map(({ name, ok, error }) => ({ name, ok, error })), [
      { name: 'passes', ok: true, error: undefined },
      { name: 'fails', ok: false, error: 'one is not two' },
      { name: 'throws', ok: false, error: "cannot read property 'x' of null" },
      { name: 'default message', ok: false, error: 'Assertion failed' },
    ]);
  });

  test('an async client.test counts once its promise settles', async () => {
    const result = await sandbox.run(scriptInput([
      'client.test("later pass", async () => { await null; client.assert(true); });',
      'client.test("later fail", () => Promise.resolve().then(() => client.assert(false, "after a tick")));',
    ].join('\n')));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.tests.map(({ name, ok, error }) => ({ name, ok, error })), [
      { name: 'later pass', ok: true, error: undefined },
      { name: 'later fail', ok: false, error: 'after a tick' },
    ]);
  });

  test('client.assert outside a test is a script error', async () => {
    const result = await sandbox.run(scriptInput('client.assert(false, "no token");'));
    assert.equal(result.error?.kind, 'script');
    assert.match(result.error.message, /^requests\.http:1:\d+: Error: no token$/);
  });

  test('client.log and console.* collect lines; objects are shown as JSON', async () => {
    assert.deepEqual(await logOf('client.log("a", 1, { b: [2] }); console.log("c"); console.error(null, undefined); console.info(true)'), ['a 1 {"b":[2]}', 'c', 'null undefined', 'true']);
  });

  test('client.exit() stops the script without an error and keeps what was done before', async () => {
    const result = await sandbox.run(scriptInput('client.global.set("before", "1");\nclient.test("t", () => {});\nclient.exit();\nclient.global.set("after", "2");'));
    assert.equal(result.error, undefined);
    assert.equal(result.exited, true);
    assert.deepEqual(result.globalChanges, [{ kind: 'set', name: 'before', value: '1' }]);
    assert.equal(result.tests.length, 1);
  });

  test('client.exit() inside a test ends the script, not just the test', async () => {
    const result = await sandbox.run(scriptInput('client.test("t", () => client.exit());\nclient.log("not reached");'));
    assert.equal(result.error, undefined);
    assert.equal(result.exited, true);
    assert.deepEqual(result.log, []);
  });
});

describe('client.global', () => {
  test('set, get, isEmpty, clear and clearAll, reported as changes in order', async () => {
    const result = await sandbox.run(scriptInput([
      'client.log(client.global.isEmpty(), client.global.get("seed"), client.global.get("missing"));',
      'client.global.set("token", "abc"); client.global.set("count", 3); client.global.set("data", { a: 1 });',
      'client.log(client.global.get("token"), client.global.get("count"), client.global.get("data"));',
      'client.global.clear("token"); client.log(client.global.get("token"));',
      'client.global.clearAll(); client.log(client.global.isEmpty());',
      'client.global.set("last", "x");',
    ].join('\n'), { globals: { seed: 's' } }));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.log, ['false s null', 'abc 3 {"a":1}', 'null', 'true']);
    assert.deepEqual(result.globalChanges, [
      { kind: 'set', name: 'token', value: 'abc' },
      { kind: 'set', name: 'count', value: '3' },
      { kind: 'set', name: 'data', value: '{"a":1}' },
      { kind: 'clear', name: 'token' },
      { kind: 'clearAll' },
      { kind: 'set', name: 'last', value: 'x' },
    ]);
  });

  test('globals round-trip: what one script sets, the next reads when the caller hands it back', async () => {
    const first = await sandbox.run(scriptInput('client.global.set("auth_token", response.body.token);', { response: jsonResponse }));
    const globals: Record<string, string> = {};
    for (const change of first.globalChanges) if (change.kind === 'set') globals[change.name] = change.value;
    const second = await sandbox.run(scriptInput('client.test("token", () => client.assert(client.global.get("auth_token") === "abc"));', { globals }));
    passed(second);
    assert.equal(second.tests.length, 1);
  });

  test('a global named like an Object.prototype member is not found unless set', async () => {
    assert.deepEqual(await logOf('client.log(client.global.get("toString"), client.global.get("__proto__"))'), ['null null']);
  });
});

describe('response', () => {
  test('status, the parsed JSON body, headers and content type', async () => {
    const log = await logOf([
      'client.log(response.status, response.body.token, response.body.items.length);',
      'client.log(response.headers.valueOf("content-type"), response.headers.valueOf("X-Missing"));',
      'client.log(response.headers.valuesOf("SET-COOKIE"), response.headers.valuesOf("none"));',
      'client.log(response.contentType.mimeType, response.contentType.charset);',
    ].join('\n'), { response: jsonResponse });
    assert.deepEqual(log, ['200 abc 2', 'application/json; charset=utf-8 null', '["a=1","b=2"] []', 'application/json utf-8']);
  });

  test('the body is text for other content types, for +json types parsed, and text when JSON does not parse', async () => {
    const text = { status: 201, headers: [['Content-Type', 'text/plain']] as [string, string][], body: '{"a":1}' };
    assert.deepEqual(await logOf('client.log(typeof response.body, response.body, response.contentType.charset === "")', { response: text }), ['string {"a":1} true']);
    const problem = { status: 400, headers: [['Content-Type', 'application/problem+json']] as [string, string][], body: '{"title":"bad"}' };
    assert.deepEqual(await logOf('client.log(response.body.title, response.contentType.charset)', { response: problem }), ['bad UTF-8']);
    const broken = { status: 200, headers: [['Content-Type', 'application/json']] as [string, string][], body: '{oops' };
    assert.deepEqual(await logOf('client.log(typeof response.body, response.body)', { response: broken }), ['string {oops']);
  });

  test('there is no response in a pre-request script', async () => {
    assert.deepEqual(await logOf('client.log(typeof response)'), ['undefined']);
  });
});

describe('request', () => {
  const request = {
    method: 'POST',
    url: { raw: '{{host}}/items', substituted: 'http://localhost/items' },
    body: { raw: '{"name":"{{name}}"}', substituted: '{"name":"pen"}' },
    headers: [{ name: 'Content-Type', raw: 'application/json', substituted: 'application/json' }, { name: 'X-Token', raw: '{{token}}', substituted: 't1' }],
  };

  test('method, url, body and headers, raw and substituted', async () => {
    const log = await logOf([
      'client.log(request.method, request.url.getRaw(), request.url.tryGetSubstituted());',
      'client.log(request.body.getRaw(), request.body.tryGetSubstituted());',
      'client.log(request.headers.all().map((h) => h.name + "=" + h.getRawValue() + "/" + h.tryGetSubstitutedValue()).join(","));',
      'client.log(request.headers.findByName("x-token").tryGetSubstitutedValue(), request.headers.findByName("nope"));',
    ].join('\n'), { request });
    assert.deepEqual(log, [
      'POST {{host}}/items http://localhost/items',
      '{"name":"{{name}}"} {"name":"pen"}',
      'Content-Type=application/json/application/json,X-Token={{token}}/t1',
      't1 null',
    ]);
  });

  test('a request without a body answers empty text', async () => {
    assert.deepEqual(await logOf('client.log(JSON.stringify(request.body.getRaw()), JSON.stringify(request.body.tryGetSubstituted()))', { request: { ...request, body: undefined } }), ['"" ""']);
  });

  test('request.variables.set/get and request.environment.get', async () => {
    const result = await sandbox.run(scriptInput([
      'client.log(request.environment.get("host"), request.environment.get("none"), request.variables.get("seen"));',
      'request.variables.set("signature", "s1"); request.variables.set("n", 5); request.variables.set("signature", "s2");',
      'client.log(request.variables.get("signature"), request.variables.get("n"));',
    ].join('\n'), { environment: { host: 'http://localhost' }, requestVariables: { seen: 'yes' } }));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.log, ['http://localhost null yes', 's2 5']);
    assert.deepEqual(result.requestVariables, { signature: 's2', n: '5' });
  });
});

describe('helpers', () => {
  test('crypto hashes from text, hex and Base64, as hex and Base64', async () => {
    const log = await logOf([
      'client.log(crypto.sha1().updateWithText("abc").digest().toHex());',
      'client.log(crypto.sha256().updateWithText("ab").updateWithHex("63").digest().toHex());',
      'client.log(crypto.sha384().updateWithBase64("YWJj").digest().toBase64());',
      'client.log(crypto.sha512().updateWithText("abc").digest().toHex());',
      'client.log(crypto.md5().updateWithText("é", "ISO-8859-1").digest().toHex());',
      'client.log(crypto.sha256().updateWithBase64("-_8", true).digest().toBase64(true));',
    ].join('\n'));
    const hash = (algorithm: string, data: Buffer | string) => createHash(algorithm).update(data);
    assert.deepEqual(log, [
      hash('sha1', 'abc').digest('hex'),
      hash('sha256', 'abc').digest('hex'),
      hash('sha384', 'abc').digest('base64'),
      hash('sha512', 'abc').digest('hex'),
      hash('md5', Buffer.from([0xe9])).digest('hex'),
      hash('sha256', Buffer.from([0xfb, 0xff])).digest('base64url'),
    ]);
  });

  test('crypto.hmac with text, hex and Base64 secrets', async () => {
    const log = await logOf([
      'client.log(crypto.hmac.sha256().withTextSecret(request.environment.get("secret")).updateWithText("body").digest().toHex());',
      'client.log(crypto.hmac.sha1().withHexSecret("6b6579").updateWithText("body").digest().toBase64());',
      'client.log(crypto.hmac.sha512().withBase64Secret("a2V5").updateWithText("body").digest().toHex());',
      'client.log(crypto.hmac.md5().withTextSecret("key").updateWithText("body").digest().toHex());',
    ].join('\n'), { environment: { secret: 'key' } });
    const hmac = (algorithm: string) => createHmac(algorithm, 'key').update('body');
    assert.deepEqual(log, [hmac('sha256').digest('hex'), hmac('sha1').digest('base64'), hmac('sha512').digest('hex'), hmac('md5').digest('hex')]);
  });

  test('crypto input errors are script errors with a sentence', async () => {
    const result = await sandbox.run(scriptInput('crypto.sha256().updateWithHex("abc").digest()'));
    assert.equal(result.error?.kind, 'script');
    assert.match(result.error.message, /updateWithHex needs an even number of hexadecimal digits/);
  });

  test('xpath over XML text: a node as its text, several as an array, a count as a number, bad XML as an error', async () => {
    const xml = '<catalog><item id="1"><name>Pen</name></item><item id="2"><name>Ink</name></item></catalog>';
    assert.deepEqual(await logOf(`client.log(xpath(${JSON.stringify(xml)}, "//item[@id=2]/name"), JSON.stringify(xpath(${JSON.stringify(xml)}, "//name")), xpath(${JSON.stringify(xml)}, "count(//item)"))`), ['Ink ["Pen","Ink"] 2']);
    const broken = await sandbox.run(scriptInput('xpath("<open>", "//x")'));
    assert.match(broken.error?.message ?? '', /xpath: the body is not XML/);
  });

  test('jsonPath over a parsed body, over JSON text, with one, several or no matches', async () => {
    const log = await logOf([
      'client.log(jsonPath(response.body, "$.token"), jsonPath(response.body, "$.items[*].id"), jsonPath(response.body, "$.none"));',
      'client.log(jsonPath(\'{"a":{"b":2}}\', "$.a.b"));',
    ].join('\n'), { response: jsonResponse });
    assert.deepEqual(log, ['abc [1,2] undefined', '2']);
  });

  test('jsonPath never evaluates script expressions', async () => {
    const result = await sandbox.run(scriptInput('jsonPath({ a: [1] }, "$.a[?(@ > 0)]")'));
    assert.equal(result.error?.kind, 'script');
  });

  test('$random values have their documented shapes', async () => {
    const [line] = await logOf('client.log($random.uuid, $random.integer, $random.float, $random.alphabetic, $random.alphanumeric, $random.hexadecimal, $random.email)');
    const [uuid, integer, float, alphabetic, alphanumeric, hexadecimal, email] = (line ?? '').split(' ');
    assert.match(uuid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(integer ?? '', /^\d+$/);
    assert.match(float ?? '', /^\d+(\.\d+)?(e-?\d+)?$/);
    assert.match(alphabetic ?? '', /^[A-Za-z]{10}$/);
    assert.match(alphanumeric ?? '', /^\w{10}$/);
    assert.match(hexadecimal ?? '', /^[0-9a-f]{10}$/);
    assert.match(email ?? '', /^[a-z]{8}@example\.com$/);
  });

  test('Window.btoa/atob and the bare btoa/atob, Latin-1 only as in browsers', async () => {
    assert.deepEqual(await logOf('client.log(Window.btoa("user:pass"), Window.atob("dXNlcjpwYXNz"), btoa("é"), atob(btoa("\\u00ff")) === "\\u00ff")'), ['dXNlcjpwYXNz user:pass 6Q== true']);
    const wide = await sandbox.run(scriptInput('btoa("€")'));
    assert.match(wide.error?.message ?? '', /btoa: the string has characters outside Latin-1/);
    const invalid = await sandbox.run(scriptInput('atob("%%%")'));
    assert.match(invalid.error?.message ?? '', /atob: the string is not valid Base64/);
  });

  test('API globals can be shadowed by the script without breaking the result', async () => {
    const result = await sandbox.run(scriptInput('client.test("kept", () => {}); var console = { log() {} }; crypto = 1; client.log(crypto)'));
    assert.equal(result.error, undefined, result.error?.message);
    assert.deepEqual(result.log, ['1']);
    assert.equal(result.tests.length, 1);
  });
});

describe('top-level await', () => {
  test('a script with a top-level await runs as a module and its tests count', async () => {
    const result = await sandbox.run(scriptInput('const value = await Promise.resolve(2);\nclient.test("awaited", () => client.assert(value === 2));'));
    passed(result);
    assert.equal(result.tests.length, 1);
  });
});

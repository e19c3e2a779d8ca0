import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type AssertionHost, type AssertionResult, evaluateAssertion, evaluateAssertions, ResponseSubject } from '../../../engine/assertions';
import type { Exchange, Timings } from '../../../engine/model';
import { type Assertion, parseAssertionLine } from '../../../language/assertions';

interface ResponseShape {
  readonly status?: number;
  readonly headers?: [string, string][];
  readonly body?: string | Uint8Array;
  /** The whole body is in this temp file, the prefix only its first bytes. */
  readonly file?: string;
  readonly size?: number;
  readonly timings?: Timings;
}

function exchange(response: ResponseShape | undefined): Exchange {
  const body = typeof response?.body === 'string' ? new TextEncoder().encode(response.body) : (response?.body ?? new Uint8Array());
  return {
    request: { method: 'GET', url: 'http://127.0.0.1/', headers: [], bodySize: 0 },
    origin: { file: undefined, line: 1, name: 'r' },
    response:
      response === undefined
        ? undefined
        : {
            status: response.status ?? 200,
            statusText: 'OK',
            httpVersion: '1.1',
            headers: response.headers ?? [],
            body: { size: response.size ?? body.length, encodedSize: body.length, prefix: body, file: response.file, contentType: undefined, charset: 'utf-8' },
          },
    redirects: [],
    timings: response?.timings ?? { total: 120 },
    error: response === undefined ? { code: 'refused', message: 'connection refused by 127.0.0.1:9' } : undefined,
    warnings: [],
  };
}

function line(text: string): Assertion {
  const parsed = parseAssertionLine(text);
  assert.ok(parsed.assertion, `${text}: ${parsed.problem?.message ?? ''}`);
  return parsed.assertion;
}

const host: AssertionHost = {
  substitute: (text) => text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => ({ id: '42', type: 'json' })[name] ?? `{{${name}}}`),
  evaluateJs: () => Promise.reject(new Error('no js in this test')),
};

async function check(text: string, response: ResponseShape | undefined, options: Partial<AssertionHost> = {}): Promise<AssertionResult> {
  const [result] = await evaluateAssertions([line(text)], exchange(response), { ...host, ...options });
  return result;
}

/** Asserts each line passes (or fails) against the response, naming the line when it does not. */
async function expectOutcomes(response: ResponseShape, passing: readonly string[], failing: readonly string[]): Promise<void> {
  const assertions = [...passing, ...failing].map(line);
  const results = await evaluateAssertions(assertions, exchange(response), host);
  results.forEach((result, index) => {
    const shouldPass = index < passing.length;
    assert.equal(result.ok, shouldPass, `${[...passing, ...failing][index]} should ${shouldPass ? 'pass' : 'fail'}: ${result.message ?? ''}`);
  });
}

const json = { id: 42, name: 'Ada Lovelace', active: true, count: 0, tags: ['admin', 'ops'], ids: [13, 7], owner: { id: 1 }, items: [{ name: 'One' }, { name: 'Two' }], note: null };
const jsonResponse: ResponseShape = { headers: [['Content-Type', 'application/json; charset=utf-8']], body: JSON.stringify(json) };

describe('assertions: status', () => {
  test('every comparison reads the status as a number', async () => {
    await expectOutcomes(
      { status: 201 },
      ['?? status == 201', '?? status != 200', '?? status > 200', '?? status >= 201', '?? status < 202', '?? status <= 201', '?? status startsWith 20', '?? status endsWith 01', '?? status includes 0', '?? status matches ^2\\d\\d$', '?? status isNumber', '?? status exists', '?? status isTrue', '?? status === 201', '?? status ==201'],
      ['?? status == 200', '?? status != 201', '?? status > 201', '?? status < 201', '?? status startsWith 3', '?? status isString', '?? status isFalse', '?? status matches ^3'],
    );
  });

  test('the test is named as httpYac names it, and a failure says what was expected', async () => {
    const result = await check('?? status == 200', { status: 404 });
    assert.deepEqual(result, { name: 'status == 200', ok: false, message: 'status is 404, expected == 200', expected: 200, actual: 404 });
    assert.deepEqual(await check('?? status == 404', { status: 404 }), { name: 'status == 404', ok: true, message: undefined, expected: 404, actual: 404 });
  });

  test('an expected value that is not a number stays text, so it never equals a number', async () => {
    const quoted = await check('?? status == "200"', { status: 200 });
    assert.equal(quoted.ok, false);
    assert.equal(quoted.message, 'status is 200, expected == "\\"200\\""');
    // httpYac read this as 200 with parseFloat.
    assert.equal((await check('?? status == 200abc', { status: 200 })).ok, false);
  });

  test('no response is a failed test that says why', async () => {
    const result = await check('?? status == 200', undefined);
    assert.equal(result.ok, false);
    assert.equal(result.message, 'status == 200: no response arrived (connection refused by 127.0.0.1:9)');
  });
});

describe('assertions: header', () => {
  const headers: ResponseShape = {
    headers: [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['X-Count', '3'],
      ['Vary', 'Accept'],
      ['Vary', 'Origin'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['X-Empty', ''],
    ],
  };

  test('the value is text, found whatever the case of the name', async () => {
    await expectOutcomes(
      headers,
      ['?? header content-type includes json', '?? header CONTENT-TYPE startsWith application/', '?? header content-type == application/json; charset=utf-8', '?? header x-count == 3', '?? header x-count > 2', '?? header x-count isString', '?? header content-type matches ^application/(json|xml)'],
      ['?? header content-type includes xml', '?? header x-count isNumber', '?? header content-type == application/json'],
    );
  });

  test('repeated headers are joined, Set-Cookie is a list', async () => {
    await expectOutcomes(headers, ['?? header vary == Accept, Origin', '?? header set-cookie isArray', '?? header set-cookie includes b=2'], ['?? header set-cookie includes b', '?? header vary isArray']);
  });

  test('a missing header fails exists and says so; an empty one exists', async () => {
    const missing = await check('?? header location exists', headers);
    assert.deepEqual(missing, { name: 'location exists', ok: false, message: 'header location is missing, expected exists', expected: undefined, actual: undefined });
    await expectOutcomes(headers, ['?? header location isFalse', '?? header x-empty exists', '?? header x-empty isFalse'], ['?? header location == x', '?? header location includes x', '?? header location isTrue']);
  });
});

describe('assertions: body', () => {
  test('alone, the body is its text', async () => {
    await expectOutcomes({ body: 'hello world' }, ['?? body == hello world', '?? body includes lo wo', '?? body startsWith hello', '?? body isString', '?? body matches ^h.*d$'], ['?? body == hello', '?? body isArray']);
  });

  test('a property path reads the JSON value, and the expected value takes its type', async () => {
    await expectOutcomes(
      jsonResponse,
      [
        '?? body id == 42', '?? body id isNumber', '?? body id > 41', '?? body name == Ada Lovelace', '?? body name startsWith Ada',
        '?? body active == true', '?? body active == TRUE', '?? body active isBoolean', '?? body active isTrue', '?? body tags isArray',
        '?? body tags includes admin', '?? body ids includes 7', '?? body tags[1] == ops', '?? body tags.length == 2', '?? body name.length == 12',
        '?? body owner == {"id": 1}', '?? body owner.id == 1', '?? body items[1].name == Two', '?? body items[0]["name"] == One',
        '?? body note == null', '?? body count exists', '?? body owner == {"id":1}', '?? body count isFalse', '?? body count != 1', '?? body owner != {"id": 2}',
      ],
      [
        '?? body id == 43', '?? body id isString', '?? body id == 42abc', '?? body active == false', '?? body active == yes',
        '?? body tags includes adm', '?? body ids includes 3', '?? body owner == {"id": 2}', '?? body owner != {"id": 1}',
        '?? body missing exists', '?? body items[5].name exists', '?? body count isTrue', '?? body name.first exists',
      ],
    );
  });

  test('objects are equal whatever the order of their keys', async () => {
    await expectOutcomes({ body: '{"point": {"x": 1, "y": 2}}' }, ['?? body point == {"y": 2, "x": 1}'], ['?? body point != {"y": 2, "x": 1}', '?? body point == {"x": 1}']);
  });

  test('a failure names the target in full', async () => {
    assert.equal((await check('?? body $.id == 41', jsonResponse)).message, 'body $.id is 42, expected == 41');
    assert.equal((await check('?? body name == Ada', jsonResponse)).message, 'body name is "Ada Lovelace", expected == "Ada"');
  });

  test('a JSONPath reads one match as its value, several as a list, none as missing', async () => {
    await expectOutcomes(jsonResponse, ['?? body $.id == 42', '?? body $.items[0].name == One', '?? body $.items[*].name isArray', '?? body $.items[*].name == ["One","Two"]', '?? body $.nothing isFalse'], ['?? body $.nothing exists', '?? body $.id == 1']);
  });

  test('a JSONPath filter runs no code: the failure points to js', async () => {
    const result = await check("?? body $.items[?(@.name=='One')].name == One", jsonResponse);
    assert.equal(result.ok, false);
    assert.match(result.message ?? '', /invalid JSONPath .*write `\?\? js EXPRESSION` for them$/);
  });

  test('a path on a body that is not JSON fails and says why', async () => {
    const result = await check('?? body id == 1', { body: '<html>' });
    assert.equal(result.ok, false);
    assert.match(result.message ?? '', /^id == 1: the body is not JSON \(.+\), so the path id cannot apply$/);
  });

  test('the hashes are base64 (as httpYac) or hex digests of the body as received', async () => {
    const bytes = new Uint8Array([0xff, 0x00, 0x41, 0xfe]);
    const digest = (algorithm: string, encoding: 'base64' | 'hex'): string => createHash(algorithm).update(bytes).digest(encoding);
    await expectOutcomes(
      { body: bytes },
      [`?? body sha256 ${digest('sha256', 'base64')}`, `?? body sha512 ${digest('sha512', 'base64')}`, `?? body md5 ${digest('md5', 'base64')}`, `?? body sha256 ${digest('sha256', 'hex')}`, `?? body md5 ${digest('md5', 'hex').toUpperCase()}`],
      [`?? body sha256 ${digest('sha512', 'base64')}`, `?? body md5 ${digest('sha256', 'hex')}`, '?? body sha256 x'],
    );
    // A header's hash is of its text.
    const header = createHash('md5').update('abc').digest('base64');
    assert.equal((await check(`?? header etag md5 ${header}`, { headers: [['ETag', 'abc']] })).ok, true);
  });

  test('a large body is read from its temp file, once for all assertions', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-assertions-'));
    try {
      const file = join(folder, 'body');
      writeFileSync(file, JSON.stringify({ id: 7, tail: 'x'.repeat(1000) }));
      const response: ResponseShape = { body: '{"id": 7, "ta', file, size: 1020 };
      const subject = new ResponseSubject(exchange(response));
      assert.equal((await evaluateAssertion(line('?? body id == 7'), subject, host)).ok, true);
      rmSync(file);
      // Read already: the file is not needed again.
      assert.equal((await evaluateAssertion(line('?? body tail.length == 1000'), subject, host)).ok, true);
      assert.equal((await evaluateAssertion(line('?? body includes "id":7'), subject, host)).ok, true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a body over the cap is not read, and the failure says so', async () => {
    const result = await check('?? body id == 7', { body: '{', file: '/nonexistent/body', size: 3 * 1024 * 1024 }, { maxBodyBytes: 1024 * 1024 });
    assert.equal(result.ok, false);
    assert.equal(result.message, 'id == 7: the body is 3.0 MiB, more than the 1.0 MiB assertions read, so the path id cannot apply');
  });

  test('a temp file that is gone fails the test, naming the reason', async () => {
    const result = await check('?? body == x', { body: 'x', file: join(tmpdir(), 'courier-assertions-missing', 'body'), size: 10 });
    assert.equal(result.ok, false);
    assert.match(result.message ?? '', /^body == x: the body's temp file cannot be read \(ENOENT/);
  });
});

describe('assertions: duration', () => {
  test('the total, or a phase, in milliseconds', async () => {
    const timings: Timings = { connect: 3, firstByte: 80, total: 120 };
    await expectOutcomes({ timings }, ['?? duration < 300', '?? duration == 120', '?? duration isNumber', '?? duration firstByte < 100', '?? duration connect exists', '?? duration total >= 120'], ['?? duration > 300', '?? duration firstByte > 100', '?? duration dns exists']);
  });
});

describe('assertions: js', () => {
  test('the expression goes to the sandbox, and its value is compared by its type', async () => {
    const asked: string[] = [];
    const values: Record<string, unknown> = { 'response.parsedBody.items.length': 2, 'response.ok': true, 'typeof x': 'string', 'list()': [1, 2] };
    const evaluateJs = (expression: string): Promise<unknown> => {
      asked.push(expression);
      return Promise.resolve(values[expression]);
    };
    const lines = ['?? js response.parsedBody.items.length > 1', '?? js response.parsedBody.items.length == 2', '?? js response.ok isTrue', '?? js response.ok == true', '?? js typeof x == string', '?? js list() == [1,2]', '?? js list() includes 2'];
    const results = await evaluateAssertions(lines.map(line), exchange({}), { ...host, evaluateJs });
    assert.deepEqual(results.map((result) => [result.name, result.ok]), [
      ['response.parsedBody.items.length > 1', true],
      ['response.parsedBody.items.length == 2', true],
      ['response.ok isTrue', true],
      ['response.ok == true', true],
      ['typeof x == string', true],
      ['list() == [1,2]', true],
      ['list() includes 2', true],
    ]);
    assert.deepEqual(asked, ['response.parsedBody.items.length', 'response.parsedBody.items.length', 'response.ok', 'response.ok', 'typeof x', 'list()', 'list()']);
  });

  test('an expression that throws fails the test with its message', async () => {
    const result = await check('?? js boom() isTrue', {}, { evaluateJs: () => Promise.reject(new Error('boom is not defined')) });
    assert.deepEqual(result, { name: 'boom() isTrue', ok: false, message: 'boom() isTrue: the expression threw: boom is not defined', expected: undefined, actual: undefined });
  });
});

describe('assertions: xpath', () => {
  const xml: ResponseShape = { headers: [['Content-Type', 'application/xml']], body: '<feed><item id="1"><name>One</name></item><item id="2"><name>Two</name></item><item id="3"><name>Three</name></item></feed>' };

  test('a node is its text, several nodes a list, a number a number', async () => {
    await expectOutcomes(
      xml,
      ['?? xpath count(//item) == 3', '?? xpath count(//item) isNumber', '?? xpath //item[2]/name == Two', '?? xpath //item[@id = "3"]/name == Three', '?? xpath //item/@id isArray', '?? xpath //item/name == ["One","Two","Three"]', '?? xpath //item[1]/name startsWith O', '?? xpath //nothing isFalse'],
      ['?? xpath count(//item) > 3', '?? xpath //item[2]/name == One', '?? xpath //nothing exists'],
    );
  });

  test('a body that is not XML fails and says why', async () => {
    const result = await check('?? xpath //id exists', { body: '{"id": 1}' });
    assert.equal(result.ok, false);
    assert.match(result.message ?? '', /^\/\/id exists: the body is not XML \(.+\), so the XPath \/\/id cannot apply$/);
  });

  test('an invalid XPath fails and says why', async () => {
    const result = await check('?? xpath //item[ exists', xml);
    assert.equal(result.ok, false);
    assert.match(result.message ?? '', /invalid XPath \/\/item\[/);
  });
});

describe('assertions: expected values', () => {
  test('{{ }} is substituted before comparing; the name keeps the line as written', async () => {
    const result = await check('?? body id == {{id}}', jsonResponse);
    assert.deepEqual(result, { name: 'id == {{id}}', ok: true, message: undefined, expected: 42, actual: 42 });
    assert.equal((await check('?? header content-type includes {{type}}', jsonResponse)).ok, true);
  });

  test('a substitution that fails fails the test with its reason', async () => {
    const result = await check('?? status == {{nope}}', { status: 200 }, {
      substitute: () => {
        throw new Error('variable nope is not defined');
      },
    });
    assert.equal(result.ok, false);
    assert.equal(result.message, 'status == {{nope}}: the expected value cannot be substituted (variable nope is not defined)');
  });

  test('matches and the hashes take the value as written (no conversion)', async () => {
    const result = await check('?? body id matches ^4\\d$', jsonResponse);
    assert.equal(result.ok, true);
    assert.equal(result.expected, '^4\\d$');
  });

  test('an invalid regular expression fails the test with its reason', async () => {
    const result = await check('?? status matches (', { status: 200 });
    assert.equal(result.ok, false);
    assert.match(result.message ?? '', /^status matches \(: Invalid regular expression/);
  });

  test('long actual values are shortened in the message', async () => {
    const result = await check('?? body == short', { body: 'y'.repeat(500) });
    assert.equal(result.ok, false);
    assert.ok((result.message ?? '').length < 260, result.message);
    assert.equal(result.actual, 'y'.repeat(500));
  });
});

// Static test discovery: the `client.test("literal")` calls of handler scripts and the `??` lines
// of each request, named as the engine reports them, with the lines the Test Explorer shows.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { evaluateAssertion, ResponseSubject } from '../../../engine/assertions';
import type { Exchange } from '../../../engine/model';
import { parse } from '../../../language/parser';
import { discoverTests, literalTestCalls, mayHaveTests } from '../../../language/testDiscovery';

describe('discoverTests', () => {
  test('each request with tests: its label, request line and tests with their lines, in the order written', () => {
    const text = [
      '### Log in', // 0
      'POST http://h/login', // 1
      'Content-Type: application/json', // 2
      '', // 3
      '{ "user": "a" }', // 4
      '', // 5
      '> {%', // 6
      '  client.test("logged in", () => client.assert(response.status === 200));', // 7
      "  client.test('has a token', function () {});", // 8
      '%}', // 9
      '?? status == 200', // 10
      '?? header content-type includes json', // 11
      '', // 12
      '### Plain', // 13
      'GET http://h/plain', // 14
      '', // 15
      '###', // 16
      'GET http://h/items?page=1', // 17
      '', // 18
      '?? body $.items isArray', // 19
      '?? duration < 500', // 20
      '',
    ].join('\n');
    const found = discoverTests(parse(text));
    assert.deepEqual(found, [
      {
        label: 'Log in',
        line: 1,
        hasHandlers: true,
        tests: [
          { name: 'logged in', kind: 'script', line: 7, character: 2 },
          { name: 'has a token', kind: 'script', line: 8, character: 2 },
          { name: 'status == 200', kind: 'assertion', line: 10, character: 0 },
          { name: 'content-type includes json', kind: 'assertion', line: 11, character: 0 },
        ],
      },
      {
        label: 'GET http://h/items?page=1',
        line: 17,
        hasHandlers: false,
        tests: [
          { name: '$.items isArray', kind: 'assertion', line: 19, character: 0 },
          { name: 'duration < 500', kind: 'assertion', line: 20, character: 0 },
        ],
      },
    ]);
  });

  test('a request with only a file handler or computed names is listed without known tests; a handler that tests nothing too', () => {
    const text = '# @name fromFile\nGET http://h/a\n\n> ./check.js\n\n###\nGET http://h/b\n\n> {% const name = "x"; client.test(name, () => {}); client.test(`n ${name}`, () => {}); %}\n';
    assert.deepEqual(discoverTests(parse(text)), [
      { label: 'fromFile', line: 1, hasHandlers: true, tests: [] },
      { label: 'GET http://h/b', line: 6, hasHandlers: true, tests: [] },
    ]);
  });

  test('given a reader, the literal tests of a handler file are known, at their line in that file, after the inline ones', () => {
    const text = '# @name fromFile\nGET http://h/a\n\n> ./check.js\n> {% client.test("inline", () => {}) %}\n> ./missing.js\n> ./{{dir}}/x.js\n';
    const asked: string[] = [];
    const read = (written: string): { path: string; text: string } | undefined => {
      asked.push(written);
      return written === './check.js' ? { path: '/work/check.js', text: '// checks\nclient.test("from file", () => {});\n  client.test("second", () => {});\n' } : undefined;
    };
    assert.deepEqual(discoverTests(parse(text), read), [
      {
        label: 'fromFile',
        line: 1,
        hasHandlers: true,
        tests: [
          { name: 'inline', kind: 'script', line: 4, character: 5 },
          { name: 'from file', kind: 'script', line: 1, character: 0, file: '/work/check.js' },
          { name: 'second', kind: 'script', line: 2, character: 2, file: '/work/check.js' },
        ],
      },
    ]);
    assert.deepEqual(asked, ['./check.js', './missing.js'], 'a path made of variables is not read');
  });

  test('a malformed ?? line is no test (the parser reports it); pre-request scripts hold no tests', () => {
    const text = '< {% client.test("not here", () => {}) %}\nGET http://h/a\n\n?? nonsense\n?? status == 201\n';
    assert.deepEqual(discoverTests(parse(text)), [{ label: 'GET http://h/a', line: 1, hasHandlers: false, tests: [{ name: 'status == 201', kind: 'assertion', line: 4, character: 0 }] }]);
  });

  test('CRLF line ends give the same lines', () => {
    const text = 'GET http://h/a\n\n> {%\n  client.test("a", f);\n%}\n?? status == 200\n';
    assert.deepEqual(discoverTests(parse(text.replace(/\n/g, '\r\n'))), discoverTests(parse(text)));
    assert.deepEqual(discoverTests(parse(text))[0]?.tests.map((found) => found.line), [3, 5]);
  });

  test('a document without ?? or handlers is not searched, and gives nothing', () => {
    assert.equal(mayHaveTests('GET http://h/a\n\n>> saved.json\n'), false);
    assert.equal(mayHaveTests('GET http://h/a\n\n> {% %}\n'), true);
    assert.equal(mayHaveTests('GET http://h/a\n\n> check.js\n'), true);
    assert.equal(mayHaveTests('GET http://h/a\n?? status == 200\n'), true);
    assert.deepEqual(discoverTests(parse('GET http://h/a\n\n>> saved.json\n')), []);
  });

  test('`??` names are those the engine reports for the same line', async () => {
    const lines = ['?? status == 200', '?? header x-id exists', '?? body $.name startsWith Ada', '?? body isString', '?? js response.status === 200 isTrue', '?? duration total < 2000'];
    const document = parse(`GET http://h/a\n\n${lines.join('\n')}\n`);
    const [request] = discoverTests(document);
    const exchange: Exchange = {
      request: { method: 'GET', url: 'http://h/a', headers: [], bodySize: 0 },
      origin: { file: undefined, line: 1, name: undefined },
      response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['X-Id', '1']], body: { size: 2, encodedSize: 2, prefix: new TextEncoder().encode('{}'), file: undefined, contentType: 'application/json', charset: 'utf-8' } },
      redirects: [],
      timings: { total: 10 },
      error: undefined,
      warnings: [],
    };
    const subject = new ResponseSubject(exchange, 1 << 20);
    const host = { substitute: (text: string) => text, evaluateJs: () => Promise.resolve(true) };
    const engineNames: string[] = [];
    for (const line of document.requests[0].assertions) {
      assert.ok(line.parsed.assertion, line.text);
      engineNames.push((await evaluateAssertion(line.parsed.assertion, subject, host)).name);
    }
    assert.deepEqual(request?.tests.map((found) => found.name), engineNames);
  });
});

describe('literalTestCalls', () => {
  test("'...', \"...\" and `...` without ${} are names, with escapes read", () => {
    assert.deepEqual(
      literalTestCalls(`client.test("a", f); client.test('b\\'s', f); client .test( \`c\\n\` , f); client.test("d")`).map((call) => call.name),
      ['a', "b's", 'c\n', 'd'],
    );
  });

  test('calls in comments and strings, on other objects, or with computed names are left out', () => {
    const script = [
      '// client.test("commented", f)',
      '/* client.test("blocked", f) */',
      'const s = "client.test(\\"quoted\\", f)";',
      'other.client.test("member", f);',
      'myclient.test("prefixed", f);',
      'client.test(name, f);',
      'client.test(`t ${name}`, f);',
      'client.test("item " + n, f);',
      'client.test("a" ? "b" : "c", f);',
      'client.test("kept", () => client.test("nested", f));',
    ].join('\n');
    assert.deepEqual(literalTestCalls(script).map((call) => call.name), ['kept', 'nested']);
  });

  test('offsets point at the call; an unterminated literal is no name', () => {
    assert.deepEqual(literalTestCalls('x;\n  client.test("a", f)'), [{ name: 'a', offset: 5 }]);
    assert.deepEqual(literalTestCalls('client.test("open'), []);
  });
});

describe('httpYac script blocks', () => {
  test('test("literal") in blocks that run on the response are known before a run, at their lines; pre-request and {{+ blocks are not the request\'s', () => {
    const document = parse([
      '{{+after', //                                    0
      '  test("every request", () => {});', //          1
      '}}', //                                           2
      '###', //                                          3
      '{{', //                                           4
      '  test("before", () => {});', //                  5
      '}}', //                                           6
      'GET https://example.com', //                      7
      '', //                                             8
      '{{', //                                           9
      '  test("status is fine", () => {});', //         10
      '  test(`computed ${1}`, () => {});', //          11
      '  client.test("not httpYac\'s", () => {});', //  12
      '}}', //                                          13
    ].join('\n'));
    const [request] = discoverTests(document);
    assert.deepEqual(request.tests.map((found) => [found.name, found.line, found.character]), [['status is fine', 10, 2]]);
    assert.equal(request.hasHandlers, true);
  });

  test('a file whose only tests are in script blocks may have tests', () => {
    assert.equal(mayHaveTests('GET https://example.com\n\n{{\n  test.status(200);\n}}\n'), true);
    assert.equal(mayHaveTests('GET https://example.com/{{id}}\n'), false);
  });

  test('literalTestCalls for httpYac finds test(...) and not x.test(...) or client.test(...)', () => {
    assert.deepEqual(literalTestCalls('test("a", f); regex.test("b"); client.test("c", f); mytest("d")', 'test').map((call) => call.name), ['a']);
  });
});

// Pre-request scripts, response handlers and `??` assertion lines: where each may stand and
// what stays body, header or target around them.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { parse } from '../../../language/parser';
import type { HttpDocument, Request, ResponseHandler, Span } from '../../../language/syntax';

function slice(document: HttpDocument, span: Span | undefined): string | undefined {
  return span === undefined ? undefined : document.text.slice(span.start, span.end);
}

function onlyRequest(document: HttpDocument): Request {
  assert.equal(document.requests.length, 1, 'expected exactly one request');
  return document.requests[0];
}

function contents(handlers: readonly ResponseHandler[]): string[] {
  return handlers.map((handler) => (handler.kind === 'script' ? `{%${handler.script.text}%}` : handler.path.text));
}

describe('pre-request scripts', () => {
  test('`< {% %}` and `< path.js` above the request line are its pre-request scripts, in order', () => {
    const document = parse('### one\n< {% request.variables.set("a", "1") %}\n< ./sign.js\nGET http://h/a\n\n> ./after.js\n');
    const request = onlyRequest(document);
    assert.deepEqual(contents(request.preRequestScripts), ['{% request.variables.set("a", "1") %}', './sign.js']);
    assert.deepEqual(contents(request.handlers), ['./after.js']);
    assert.equal(request.target.text, 'http://h/a');
    assert.deepEqual(document.problems, []);
  });

  test('a multi-line pre-request script spans its lines and the request after it is found', () => {
    const document = parse('< {%\n  const t = Date.now();\n  request.variables.set("t", String(t));\n%}\nPOST http://h/t\n');
    const request = onlyRequest(document);
    assert.equal(request.preRequestScripts.length, 1);
    const [script] = request.preRequestScripts;
    assert.equal(slice(document, script), '< {%\n  const t = Date.now();\n  request.variables.set("t", String(t));\n%}');
    assert.equal(request.methodName, 'POST');
  });

  test('an unclosed pre-request script is reported and no request is read from inside it', () => {
    const document = parse('< {%\n  request.variables.set("a", "1");\nGET http://h/a\n');
    assert.equal(document.requests.length, 0);
    assert.deepEqual(document.problems.map((problem) => problem.code), [Code.HandlerUnterminated]);
  });

  test('each request keeps its own scripts', () => {
    const document = parse('< {% a() %}\nGET http://h/1\n\n> {% b() %}\n\n###\n< {% c() %}\nGET http://h/2\n\n> {% d() %}\n');
    assert.deepEqual(document.requests.map((request) => [...contents(request.preRequestScripts), ...contents(request.handlers)]), [
      ['{% a() %}', '{% b() %}'],
      ['{% c() %}', '{% d() %}'],
    ]);
  });

  test('`< path` below the request line is still a body file, not a script', () => {
    const document = parse('POST http://h/a\n\n< ./payload.json\n');
    const request = onlyRequest(document);
    assert.deepEqual(request.preRequestScripts, []);
    assert.equal(request.body?.parts[0]?.kind, 'file');
  });
});

describe('assertion lines', () => {
  test('`??` lines above the request line, among the headers and after the body all belong to the request', () => {
    const document = parse(
      '?? status == 200\nPOST http://h/login\nContent-Type: application/json\n?? header content-type includes json\nAccept: */*\n\n{ "a": 1 }\n\n?? body a == 1\n> {% client.test("x", () => {}) %}\n?? duration < 500\n',
    );
    const request = onlyRequest(document);
    assert.deepEqual(request.assertions.map((line) => line.text), ['?? status == 200', '?? header content-type includes json', '?? body a == 1', '?? duration < 500']);
    assert.deepEqual(request.headers.map((header) => header.name.text), ['Content-Type', 'Accept']);
    assert.equal(slice(document, request.body), '{ "a": 1 }');
    assert.equal(request.handlers.length, 1);
    assert.deepEqual(document.problems, []);
  });

  test('each line is parsed, with spans into its own text', () => {
    const document = parse('GET http://h/\n\n?? header x-id == {{id}}\n');
    const [line] = onlyRequest(document).assertions;
    const assertion = line.parsed.assertion;
    assert.ok(assertion);
    assert.equal(assertion.target.kind, 'header');
    assert.equal(assertion.target.argument?.text, 'x-id');
    assert.equal(line.text.slice(assertion.expected?.span.start, assertion.expected?.span.end), '{{id}}');
    assert.equal(document.text.slice(line.start + (assertion.expected?.span.start ?? 0), line.start + (assertion.expected?.span.end ?? 0)), '{{id}}');
  });

  test('a malformed line is still an assertion line, carrying its problem', () => {
    const [line] = onlyRequest(parse('GET http://h/\n\n?? stauts == 200\n')).assertions;
    assert.equal(line.parsed.problem?.code, Code.AssertionUnknownTarget);
  });

  test('an indented `??` right after the request line is an assertion, not a continuation of the URL', () => {
    const request = onlyRequest(parse('GET http://h/items\n    ?page=2\n    ?? status == 200\n'));
    assert.equal(request.target.text, 'http://h/items?page=2');
    assert.deepEqual(request.assertions.map((line) => line.text), ['?? status == 200']);
  });

  test('a body line starting with one `?` stays body', () => {
    const document = parse('POST http://h/\n\n?not an assertion\n');
    const request = onlyRequest(document);
    assert.equal(slice(document, request.body), '?not an assertion');
    assert.deepEqual(request.assertions, []);
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { parse } from '../../../language/parser';
import type { BodyPart, HttpDocument, Request, Span } from '../../../language/syntax';

function slice(document: HttpDocument, span: Span | undefined): string | undefined {
  return span === undefined ? undefined : document.text.slice(span.start, span.end);
}

function onlyRequest(document: HttpDocument): Request {
  assert.equal(document.requests.length, 1, 'expected exactly one request');
  return document.requests[0];
}

function describeParts(document: HttpDocument, parts: readonly BodyPart[]): string[] {
  return parts.map((part) => `${part.kind}:${slice(document, part)}`);
}

describe('multipart bodies', () => {
  const text = [
    'POST /upload',
    'Content-Type: multipart/form-data; boundary="WebKit42"',
    '',
    '--WebKit42',
    'Content-Disposition: form-data; name="title"',
    '',
    'My {{title}}',
    '--WebKit42',
    'Content-Disposition: form-data; name="file"; filename="a.png"',
    'Content-Type: image/png',
    '',
    '< ./a.png',
    '--WebKit42--',
    '',
  ].join('\n');

  test('parts between --boundary lines, each with headers and content', () => {
    const document = parse(text);
    const multipart = onlyRequest(document).body?.multipart;
    assert.ok(multipart !== undefined);
    assert.equal(multipart.boundary, 'WebKit42');
    assert.equal(multipart.closed, true);
    assert.equal(multipart.parts.length, 2);
    const [title, file] = multipart.parts;
    assert.deepEqual(title.headers.map((header) => [header.name.text, header.value.text]), [['Content-Disposition', 'form-data; name="title"']]);
    assert.deepEqual(describeParts(document, title.content), ['text:My {{title}}']);
    assert.equal(slice(document, title), 'Content-Disposition: form-data; name="title"\n\nMy {{title}}');
    assert.deepEqual(file.headers.map((header) => header.name.text), ['Content-Disposition', 'Content-Type']);
    assert.deepEqual(describeParts(document, file.content), ['file:< ./a.png']);
  });

  test('the body parts still hold the whole body, and references are reported once', () => {
    const broken = text.replace('{{title}}', '{{title');
    const document = parse(broken);
    const body = onlyRequest(document).body;
    assert.equal(slice(document, body), broken.slice(broken.indexOf('--WebKit42'), broken.lastIndexOf('--WebKit42--') + '--WebKit42--'.length));
    assert.deepEqual(document.problems.map((problem) => problem.code), [Code.VariableUnterminated]);
  });

  test('an unquoted boundary works, and a missing closing line leaves the body open', () => {
    const document = parse('POST /\nContent-Type: multipart/mixed; boundary=abc\n\n--abc\nX: 1\n\nhello\n');
    const multipart = onlyRequest(document).body?.multipart;
    assert.equal(multipart?.boundary, 'abc');
    assert.equal(multipart?.closed, false);
    assert.deepEqual(describeParts(document, multipart?.parts[0].content ?? []), ['text:hello']);
  });

  test('malformed part headers are reported', () => {
    const document = parse('POST /\nContent-Type: multipart/form-data; boundary=b\n\n--b\nbroken\n\nx\n--b--');
    assert.deepEqual(document.problems.map((problem) => [problem.code, slice(document, problem)]), [[Code.HeaderMissingColon, 'broken']]);
  });

  test('without a boundary parameter there is no multipart view', () => {
    const body = onlyRequest(parse('POST /\nContent-Type: multipart/form-data\n\n--x\n\ny\n--x--')).body;
    assert.equal(body?.multipart, undefined);
    assert.equal(body?.parts.length, 1);
  });
});

describe('GraphQL bodies', () => {
  test('X-Request-Type: GraphQL splits the query from the JSON variables', () => {
    const text = 'POST /graphql\nX-Request-Type: GraphQL\n\nquery UserById($id: ID!) {\n  user(id: $id) { name }\n}\n\n{\n  "id": "{{id}}"\n}\n';
    const document = parse(text);
    const graphql = onlyRequest(document).body?.graphql;
    assert.ok(graphql !== undefined);
    assert.equal(slice(document, graphql.query), 'query UserById($id: ID!) {\n  user(id: $id) { name }\n}');
    assert.equal(graphql.query.text, 'query UserById($id: ID!) {\n  user(id: $id) { name }\n}');
    assert.equal(slice(document, graphql.variables), '{\n  "id": "{{id}}"\n}');
    assert.deepEqual(graphql.variables?.references.map((reference) => reference.expression), ['id']);
    assert.equal(graphql.operationName, 'UserById');
  });

  test('the GRAPHQL method makes a GraphQL body; a blank line inside the query is kept', () => {
    const document = parse('GRAPHQL https://api.test/graphql\n\nmutation {\n\n  like\n}');
    const graphql = onlyRequest(document).body?.graphql;
    assert.equal(graphql?.query.text, 'mutation {\n\n  like\n}');
    assert.equal(graphql?.variables, undefined);
    assert.equal(graphql?.operationName, undefined);
  });

  test('other requests have no GraphQL view', () => {
    assert.equal(onlyRequest(parse('POST /\n\nquery { a }')).body?.graphql, undefined);
  });
});

describe('response handlers and what follows the body', () => {
  test('a one-line script handler ends the body', () => {
    const document = parse('POST /\n\n{"a": 1}\n\n> {% client.global.set("a", 1); %}\n');
    const request = onlyRequest(document);
    assert.equal(slice(document, request.body), '{"a": 1}');
    const [handler] = request.handlers;
    assert.ok(handler.kind === 'script');
    assert.equal(handler.script.text, ' client.global.set("a", 1); ');
    assert.equal(slice(document, handler), '> {% client.global.set("a", 1); %}');
    assert.equal(handler.terminated, true);
  });

  test('a script may span lines and be followed by other handlers', () => {
    const document = parse('GET /\n\n> {%\n  client.test("ok", () => {});\n%}\n> ./check.js\n');
    const [script, file] = onlyRequest(document).handlers;
    assert.ok(script.kind === 'script' && file.kind === 'file');
    assert.equal(script.script.text, '\n  client.test("ok", () => {});\n');
    assert.equal(slice(document, file.path), './check.js');
    assert.equal(onlyRequest(document).body, undefined);
  });

  test('an unterminated script runs to the block end and is reported at its opening', () => {
    const document = parse('GET /\n\n> {% client.log(1)\nmore\n\n###\nGET /b');
    const [handler] = document.requests[0].handlers;
    assert.ok(handler.kind === 'script');
    assert.equal(handler.terminated, false);
    assert.equal(slice(document, handler), '> {% client.log(1)\nmore');
    assert.deepEqual(document.problems.map((problem) => [problem.code, slice(document, problem)]), [[Code.HandlerUnterminated, '> {%']]);
    assert.equal(document.requests[1].target.text, '/b', 'the next block still parses');
  });

  test('a handler right after the headers, without a blank line', () => {
    const request = onlyRequest(parse('GET /\nAccept: */*\n> {% %}'));
    assert.equal(request.headers.length, 1);
    assert.equal(request.handlers.length, 1);
  });

  test('>> and >>! redirect the response to a file', () => {
    const document = parse('GET /\n\n>> ./out/{{id}}.json');
    const redirect = onlyRequest(document).outputRedirect;
    assert.equal(redirect?.path.text, './out/{{id}}.json');
    assert.equal(redirect?.overwrite, false);
    assert.equal(slice(document, redirect), '>> ./out/{{id}}.json');
    assert.equal(onlyRequest(parse('GET /\n\n>>! out.json')).outputRedirect?.overwrite, true);
  });

  test('<> lines reference previous responses', () => {
    const document = parse('GET /\n\n<> 2024-01-01T000000.200.json\n<> older.json');
    assert.deepEqual(onlyRequest(document).responseReferences.map((reference) => reference.path.text), [
      '2024-01-01T000000.200.json', 'older.json',
    ]);
  });

  test('a quoted line of prose starting with > stays in the body', () => {
    const document = parse('POST /\n\n> note this\ntext');
    assert.equal(slice(document, onlyRequest(document).body), '> note this\ntext');
    assert.equal(onlyRequest(document).handlers.length, 0);
  });
});

describe('pasted responses', () => {
  test('a block starting with HTTP/ is a pasted response with no request and no problems', () => {
    const document = parse('GET /a\n\n###\n# what it returned\nHTTP/1.1 200 OK\nbroken header line\n\n{{not a ref\n\n###\nGET /b');
    const block = document.blocks[1];
    assert.equal(block.request, undefined);
    assert.equal(slice(document, block.pastedResponse), 'HTTP/1.1 200 OK\nbroken header line\n\n{{not a ref');
    assert.deepEqual(document.problems, []);
    assert.deepEqual(document.requests.map((request) => request.target.text), ['/a', '/b']);
  });
});

describe('bodies with CRLF line endings', () => {
  test('multipart delimiters and part content are found without the CR', () => {
    const document = parse('POST /\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n--b\r\nX: 1\r\n\r\nhello\r\n--b--\r\n');
    const multipart = onlyRequest(document).body?.multipart;
    assert.equal(multipart?.closed, true);
    assert.deepEqual(multipart?.parts[0].headers.map((header) => header.value.text), ['1']);
    assert.deepEqual(describeParts(document, multipart?.parts[0].content ?? []), ['text:hello']);
  });

  test('GraphQL variables after a CRLF blank line', () => {
    const document = parse('GRAPHQL /g\r\n\r\nquery Q { a }\r\n\r\n{"x": 1}\r\n');
    const graphql = onlyRequest(document).body?.graphql;
    assert.equal(graphql?.query.text, 'query Q { a }');
    assert.equal(graphql?.variables?.text, '{"x": 1}');
    assert.equal(graphql?.operationName, 'Q');
  });

  test('a script handler spanning CRLF lines', () => {
    const document = parse('GET /\r\n\r\n> {%\r\n  client.log(1);\r\n%}\r\n');
    const [handler] = onlyRequest(document).handlers;
    assert.ok(handler.kind === 'script');
    assert.equal(handler.script.text, '\r\n  client.log(1);\r\n');
  });
});

describe('pre-request scripts', () => {
  test('a JetBrains pre-request script before the request line is skipped, not read as the request', () => {
    const document = parse('### With script\n< {%\n  request.variables.set("id", "1");\n%}\n# @name withScript\nGET /items/{{id}}\nAccept: */*');
    const request = onlyRequest(document);
    assert.equal(request.methodName, 'GET');
    assert.equal(request.target.text, '/items/{{id}}');
    assert.equal(request.name?.text, 'withScript');
    assert.deepEqual(document.problems, []);
  });

  test('an unterminated pre-request script is reported and consumes its block only', () => {
    const document = parse('< {% request.variables.set("a", 1)\nGET /a\n###\nGET /b');
    assert.deepEqual(document.problems.map((problem) => [problem.code, slice(document, problem)]), [
      [Code.HandlerUnterminated, '< {% request.variables.set("a", 1)'],
    ]);
    assert.deepEqual(document.requests.map((request) => request.target.text), ['/b']);
  });
});

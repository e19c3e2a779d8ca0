import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { parse } from '../../../language/parser';
import type { HttpDocument, Request, Span } from '../../../language/syntax';

/** The text a span covers, so expectations read as source rather than offsets. */
function slice(document: HttpDocument, span: Span | undefined): string | undefined {
  return span === undefined ? undefined : document.text.slice(span.start, span.end);
}

function onlyRequest(document: HttpDocument): Request {
  assert.equal(document.requests.length, 1, 'expected exactly one request');
  return document.requests[0];
}

function codes(document: HttpDocument): string[] {
  return document.problems.map((problem) => problem.code);
}

describe('blocks and separators', () => {
  test('an empty file has one empty block and no requests or problems', () => {
    const document = parse('');
    assert.equal(document.blocks.length, 1);
    assert.deepEqual({ start: document.blocks[0].start, end: document.blocks[0].end }, { start: 0, end: 0 });
    assert.equal(document.requests.length, 0);
    assert.deepEqual(document.problems, []);
    assert.deepEqual(Array.from(document.lineStarts), [0]);
  });

  test('### splits blocks; the blocks cover the text without gaps', () => {
    const text = 'GET /a\n\n### Second\nGET /b\n###\nGET /c';
    const document = parse(text);
    assert.equal(document.blocks.length, 3);
    assert.equal(document.blocks[0].start, 0);
    for (let index = 1; index < document.blocks.length; index++) {
      assert.equal(document.blocks[index].start, document.blocks[index - 1].end);
    }
    assert.equal(document.blocks[2].end, text.length);
    assert.deepEqual(document.requests.map((request) => request.target.text), ['/a', '/b', '/c']);
    assert.equal(slice(document, document.blocks[1].separator), '### Second');
    assert.equal(document.blocks[1].separator?.title?.text, 'Second');
    assert.equal(document.blocks[2].separator?.title, undefined);
  });

  test('the separator title names the request unless # @name overrides it', () => {
    const document = parse('### List users\nGET /users\n\n### Create\n# @name createUser\nPOST /users\n');
    assert.equal(document.requests[0].name?.text, 'List users');
    assert.equal(slice(document, document.requests[0].name), 'List users');
    assert.equal(document.requests[1].name?.text, 'createUser');
    assert.equal(slice(document, document.requests[1].name), 'createUser');
  });

  test('a request with no blank line before ### ends at the separator', () => {
    const document = parse('POST /a\nContent-Type: text/plain\n\nhello\n###\nGET /b');
    const [first, second] = document.requests;
    assert.equal(slice(document, first.body), 'hello');
    assert.equal(slice(document, first), 'POST /a\nContent-Type: text/plain\n\nhello');
    assert.equal(second.target.text, '/b');
  });

  test('an indented ### is body text, not a separator', () => {
    const document = parse('POST /a\n\n  ### heading\nmore');
    assert.equal(document.blocks.length, 1);
    assert.equal(slice(document, onlyRequest(document).body), '  ### heading\nmore');
  });

  test('a file with only comments has blocks with comments and no requests', () => {
    const document = parse('# first\n// second\n###\n# third\n');
    assert.equal(document.requests.length, 0);
    assert.deepEqual(document.blocks[0].comments.map((comment) => comment.text), ['first', 'second']);
    assert.deepEqual(document.blocks[0].comments.map((comment) => slice(document, comment)), ['# first', '// second']);
    assert.deepEqual(document.blocks[1].comments.map((comment) => comment.text), ['third']);
    assert.deepEqual(document.problems, []);
  });
});

describe('directives', () => {
  test('# and // directives take the rest of the line as their value', () => {
    const document = parse('# @name login\n// @timeout 5 s\n# @no-redirect\n# @prompt otp One-time code\n#@name=compact\nGET /');
    const directives = onlyRequest(document).directives;
    assert.deepEqual(directives.map((directive) => [directive.name.text, directive.value?.text]), [
      ['name', 'login'],
      ['timeout', '5 s'],
      ['no-redirect', undefined],
      ['prompt', 'otp One-time code'],
      ['name', 'compact'],
    ]);
    assert.deepEqual(directives.map((directive) => slice(document, directive)), [
      '# @name login', '// @timeout 5 s', '# @no-redirect', '# @prompt otp One-time code', '#@name=compact',
    ]);
    assert.equal(slice(document, directives[1].name), 'timeout');
    assert.equal(onlyRequest(document).name?.text, 'compact', 'the last @name wins');
  });

  test('a comment with a lone @ is a comment, not a directive', () => {
    const document = parse('# @ nothing\nGET /');
    assert.equal(document.blocks[0].directives.length, 0);
    assert.equal(document.blocks[0].comments[0].text, '@ nothing');
  });
});

describe('file variables', () => {
  test('@name = value is trimmed and may reference other variables', () => {
    const document = parse('@host = example.com  \n@url=https://{{host}}/v1\nGET {{url}}/users');
    assert.deepEqual(document.variables.map((variable) => [variable.name.text, variable.value.text]), [
      ['host', 'example.com'],
      ['url', 'https://{{host}}/v1'],
    ]);
    assert.equal(slice(document, document.variables[0]), '@host = example.com');
    assert.equal(slice(document, document.variables[0].value), 'example.com');
    assert.deepEqual(document.variables[1].value.references.map((reference) => slice(document, reference)), ['{{host}}']);
  });

  test('variables in a block without a request are collected', () => {
    const document = parse('@a = 1\n###\n@b = 2\n# just variables here\n');
    assert.deepEqual(document.variables.map((variable) => variable.name.text), ['a', 'b']);
    assert.equal(document.requests.length, 0);
  });

  test('a definition without = or without a name is reported on its line', () => {
    const document = parse('@host example.com\n@ = 1\nGET /');
    assert.deepEqual(codes(document), [Code.VariableDefinitionInvalid, Code.VariableDefinitionInvalid]);
    assert.equal(slice(document, document.problems[0]), '@host example.com');
    assert.match(document.problems[0].message, /@host = value/);
    assert.equal(slice(document, document.problems[1]), '@ = 1');
    assert.equal(document.variables.length, 0);
    assert.equal(onlyRequest(document).target.text, '/');
  });
});

describe('request line', () => {
  test('method, target and version', () => {
    const document = parse('POST https://example.com/users HTTP/1.1');
    const request = onlyRequest(document);
    assert.equal(slice(document, request.method), 'POST');
    assert.equal(request.methodName, 'POST');
    assert.equal(slice(document, request.target), 'https://example.com/users');
    assert.equal(request.target.form, 'absolute');
    assert.equal(slice(document, request.httpVersion), 'HTTP/1.1');
    assert.equal(slice(document, { start: request.start, end: request.requestLineEnd }), 'POST https://example.com/users HTTP/1.1');
  });

  test('a lone target implies GET', () => {
    const document = parse('https://example.com');
    const request = onlyRequest(document);
    assert.equal(request.method, undefined);
    assert.equal(request.methodName, 'GET');
    assert.equal(request.target.text, 'https://example.com');
  });

  test('any RFC 9110 token is a method, including WebDAV and custom ones', () => {
    for (const method of ['PROPFIND', 'GRAPHQL', 'MY-METHOD', 'get']) {
      const request = onlyRequest(parse(`${method} /x`));
      assert.equal(request.methodName, method);
      assert.equal(request.target.text, '/x');
    }
  });

  test('target forms: absolute, origin, asterisk, other', () => {
    const forms = ['GET https://a.test/', 'GET /path', 'OPTIONS *', 'GET localhost:3000/x', 'GET {{host}}/x'].map(
      (line) => onlyRequest(parse(line)).target.form,
    );
    assert.deepEqual(forms, ['absolute', 'origin', 'asterisk', 'other', 'other']);
  });

  test('a reference with spaces stays inside the target', () => {
    const document = parse('GET {{ host }}/users HTTP/2');
    const request = onlyRequest(document);
    assert.equal(request.target.text, '{{ host }}/users');
    assert.equal(request.httpVersion?.text, 'HTTP/2');
  });

  test('JetBrains\' "HTTP/2 (Prior Knowledge)" is the version, in any case; without a version before it, it stays in the target', () => {
    const request = onlyRequest(parse('GET http://h2c.test/a b HTTP/2   (prior knowledge)'));
    assert.equal(request.target.text, 'http://h2c.test/a b');
    assert.equal(request.httpVersion?.text, 'HTTP/2   (prior knowledge)');
    const plain = onlyRequest(parse('GET http://h2c.test/search?q= (Prior Knowledge)'));
    assert.equal(plain.target.text, 'http://h2c.test/search?q= (Prior Knowledge)');
    assert.equal(plain.httpVersion, undefined);
  });

  test('a method without a target is reported', () => {
    for (const text of ['GET', 'POST HTTP/1.1']) {
      const document = parse(text);
      assert.deepEqual(codes(document), [Code.RequestMissingTarget], text);
      const request = onlyRequest(document);
      assert.equal(request.target.text, '');
      assert.equal(request.target.start, request.target.end);
      assert.match(document.problems[0].message, /write a URL/);
    }
  });

  test('indented lines starting with ?, & or / continue the target', () => {
    const text = 'GET https://example.com/api\n    /users\n    ?page=1\n    &size={{size}} HTTP/1.1\nAccept: */*';
    const document = parse(text);
    const request = onlyRequest(document);
    assert.equal(request.target.text, 'https://example.com/api/users?page=1&size={{size}}');
    assert.deepEqual(request.target.continuedPieces.map((line) => slice(document, line)), [
      'https://example.com/api', '/users', '?page=1', '&size={{size}}',
    ]);
    assert.equal(slice(document, request.target), 'https://example.com/api\n    /users\n    ?page=1\n    &size={{size}}');
    assert.equal(request.httpVersion?.text, 'HTTP/1.1');
    assert.deepEqual(request.target.references.map((reference) => slice(document, reference)), ['{{size}}']);
    assert.deepEqual(request.headers.map((header) => header.name.text), ['Accept']);
  });

  test('a one-line target has no continued pieces: the target is its own piece', () => {
    const document = parse('GET https://example.com/{{id}} HTTP/1.1\nAccept: */*');
    const request = onlyRequest(document);
    assert.deepEqual(request.target.continuedPieces, []);
    assert.equal(slice(document, request.target), 'https://example.com/{{id}}');
    assert.equal(slice(document, { start: request.start, end: request.requestLineEnd }), 'GET https://example.com/{{id}} HTTP/1.1');
  });

  test('an indented header after the request line is a header, not the target', () => {
    const request = onlyRequest(parse('GET /x\n  Accept: */*'));
    assert.equal(request.target.text, '/x');
    assert.equal(request.headers[0]?.name.text, 'Accept');
  });
});

describe('headers', () => {
  test('Name: value pairs until the first blank line', () => {
    const document = parse('GET /\nAccept: application/json\nX-Token:abc \n\nbody');
    const headers = onlyRequest(document).headers;
    assert.deepEqual(headers.map((header) => [header.name.text, header.value.text]), [
      ['Accept', 'application/json'],
      ['X-Token', 'abc'],
    ]);
    assert.equal(slice(document, headers[1]), 'X-Token:abc');
    assert.equal(document.text[headers[1].colon ?? -1], ':');
    assert.equal(slice(document, headers[0].value), 'application/json');
  });

  test('indented lines continue the previous value, joined with one space', () => {
    const document = parse('GET /\nX-List: a,\n   b,\n\tc\nAccept: */*');
    const [list, accept] = onlyRequest(document).headers;
    assert.equal(list.value.text, 'a, b, c');
    assert.equal(slice(document, list), 'X-List: a,\n   b,\n\tc');
    assert.equal(accept.name.text, 'Accept');
  });

  test('a comment line ends a folded value: the indented line after it is not part of the header', () => {
    // Found by the fuzz test: the value's span covered the comment (and its {{reference}}) that the value skips.
    const document = parse('GET /\nX-List: a,\n# {{skipped}}\n  b\n');
    const [list, stray] = onlyRequest(document).headers;
    assert.equal(list.value.text, 'a,');
    assert.equal(slice(document, list), 'X-List: a,');
    assert.equal(stray.name.text, 'b');
    assert.deepEqual(codes(document), [Code.HeaderMissingColon]);
  });

  test('a line without a colon is a header with no colon, reported', () => {
    const document = parse('POST /\nContent-Type: text/plain\nhello world \n');
    const broken = onlyRequest(document).headers[1];
    assert.equal(broken.colon, undefined);
    assert.equal(broken.name.text, 'hello world');
    assert.equal(broken.value.text, '');
    assert.deepEqual(codes(document), [Code.HeaderMissingColon]);
    assert.equal(slice(document, document.problems[0]), 'hello world');
    assert.match(document.problems[0].message, /blank line/);
  });

  test('an empty or invalid header name is reported at the name', () => {
    const document = parse('GET /\n: value\nBad Name: x\nX-Ok: 1');
    assert.deepEqual(codes(document), [Code.HeaderEmptyName, Code.HeaderInvalidName]);
    assert.equal(slice(document, document.problems[0]), ':');
    assert.equal(slice(document, document.problems[1]), 'Bad Name');
    assert.match(document.problems[1].message, /' '/);
  });

  test('comment lines among headers are comments', () => {
    const document = parse('GET /\n# why this header\nAccept: */*\n// another\n');
    assert.deepEqual(onlyRequest(document).headers.map((header) => header.name.text), ['Accept']);
    assert.deepEqual(document.blocks[0].comments.map((comment) => comment.text), ['why this header', 'another']);
  });
});

describe('body', () => {
  test('the body runs from after the blank line to the end of the block, trailing blank lines excluded', () => {
    const document = parse('POST /\nContent-Type: application/json\n\n{\n  "a": 1,\n\n  "b": 2\n}\n\n\n###\nGET /');
    const body = document.requests[0].body;
    assert.equal(slice(document, body), '{\n  "a": 1,\n\n  "b": 2\n}');
    assert.equal(body?.parts.length, 1);
    const part = body?.parts[0];
    assert.equal(part?.kind, 'text');
    if (part?.kind === 'text') assert.equal(part.text.text, '{\n  "a": 1,\n\n  "b": 2\n}');
  });

  test('< and <@ lines include files, interleaved with text in order', () => {
    const document = parse('POST /\n\nbefore\n< ./data.json\nmiddle\n<@ ./{{name}}.txt\n');
    const parts = onlyRequest(document).body?.parts ?? [];
    assert.deepEqual(parts.map((part) => [part.kind, slice(document, part)]), [
      ['text', 'before'],
      ['file', '< ./data.json'],
      ['text', 'middle'],
      ['file', '<@ ./{{name}}.txt'],
    ]);
    const [, file, , template] = parts;
    assert.ok(file.kind === 'file' && template.kind === 'file');
    assert.equal(file.path.text, './data.json');
    assert.equal(file.substituteVariables, false);
    assert.equal(template.path.text, './{{name}}.txt');
    assert.equal(template.substituteVariables, true);
    assert.equal(template.path.references[0]?.expression, 'name');
  });

  test('an XML body line starting with < is text', () => {
    const body = onlyRequest(parse('POST /\n\n<root>\n</root>')).body;
    assert.deepEqual(body?.parts.map((part) => part.kind), ['text']);
  });

  test('a request without a body has none', () => {
    assert.equal(onlyRequest(parse('GET /\nAccept: */*\n\n\n')).body, undefined);
  });
});

describe('line endings, tabs and unicode', () => {
  test('CRLF line endings keep spans exact and out of values', () => {
    const text = '### One\r\n# @name one\r\nPOST /a HTTP/1.1\r\nX-A: 1\r\n  2\r\n\r\nline1\r\nline2\r\n\r\n###\r\nGET /b\r\n';
    const document = parse(text);
    const [first, second] = document.requests;
    assert.equal(first.name?.text, 'one');
    assert.equal(first.httpVersion?.text, 'HTTP/1.1');
    assert.equal(first.headers[0].value.text, '1 2');
    assert.equal(slice(document, first.body), 'line1\r\nline2');
    assert.equal(second.target.text, '/b');
    assert.deepEqual(Array.from(document.lineStarts.slice(0, 3)), [0, 9, 22]);
  });

  test('a lone CR also ends a line', () => {
    const document = parse('GET /a\rAccept: x');
    assert.equal(onlyRequest(document).headers[0].value.text, 'x');
  });

  test('tabs separate the method from the target', () => {
    const request = onlyRequest(parse('GET\t/tabs\tHTTP/1.1\nAccept:\t*/*'));
    assert.equal(request.target.text, '/tabs');
    assert.equal(request.httpVersion?.text, 'HTTP/1.1');
    assert.equal(request.headers[0].value.text, '*/*');
  });

  test('unicode text keeps UTF-16 offsets', () => {
    const document = parse('### Ünïcødé 🚀\nPOST /ö\n\n{"emoji": "🚀", "v": "{{naïve}}"}');
    const request = onlyRequest(document);
    assert.equal(request.name?.text, 'Ünïcødé 🚀');
    assert.equal(slice(document, request.body), '{"emoji": "🚀", "v": "{{naïve}}"}');
    assert.equal(request.body?.parts[0].kind === 'text' && request.body.parts[0].text.references[0].target.kind, 'invalid');
  });
});

describe('byte order mark', () => {
  test('a leading byte order mark is skipped before a request line', () => {
    const document = parse('\uFEFFGET /a\nAccept: */*');
    const request = onlyRequest(document);
    assert.equal(request.method?.text, 'GET');
    assert.equal(request.target.text, '/a');
    assert.deepEqual(document.problems, []);
  });

  test('a leading byte order mark is skipped before a separator', () => {
    const document = parse('\uFEFF### First\nGET /a');
    assert.equal(document.blocks.length, 1);
    assert.equal(slice(document, document.blocks[0].separator), '### First');
    assert.equal(onlyRequest(document).name?.text, 'First');
  });
});

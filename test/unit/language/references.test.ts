import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { parse } from '../../../language/parser';
import { allReferences } from '../../../language/positions';
import { classifyReference, isReferenceableName } from '../../../language/references';
import type { HttpDocument, Span } from '../../../language/syntax';

function slice(document: HttpDocument, span: Span): string {
  return document.text.slice(span.start, span.end);
}

describe('finding references', () => {
  test('references are found in targets, header values, variable values, bodies and file paths', () => {
    const text = [
      '@base = https://{{host}}',
      'POST {{base}}/users',
      'Authorization: Bearer {{token}}',
      '',
      '{"id": "{{$uuid}}"}',
      '< ./{{file}}',
      '',
      '>> ./out/{{name}}.json',
    ].join('\n');
    const document = parse(text);
    assert.deepEqual(allReferences(document).map((reference) => slice(document, reference)), [
      '{{host}}', '{{base}}', '{{token}}', '{{$uuid}}', '{{file}}', '{{name}}',
    ]);
    assert.deepEqual(document.problems, []);
  });

  test('the expression is trimmed and its span excludes the braces and spaces', () => {
    const document = parse('GET /{{  token  }}');
    const [reference] = allReferences(document);
    assert.equal(slice(document, reference), '{{  token  }}');
    assert.equal(reference.expression, 'token');
    assert.equal(slice(document, { start: reference.expressionStart, end: reference.expressionEnd }), 'token');
    assert.equal(reference.terminated, true);
  });

  test('an unterminated reference ends at its line and is reported, and the next line is unaffected', () => {
    const document = parse('GET /{{host/x\nAccept: {{accept}}');
    const [broken, next] = allReferences(document);
    assert.equal(slice(document, broken), '{{host/x');
    assert.equal(broken.terminated, false);
    assert.equal(broken.expression, 'host/x');
    assert.equal(slice(document, next), '{{accept}}');
    assert.deepEqual(document.problems.map((problem) => problem.code), [Code.VariableUnterminated]);
    assert.equal(slice(document, document.problems[0]), '{{host/x');
    assert.match(document.problems[0].message, /add '}}'/);
  });

  test('a body reference never spans lines', () => {
    const document = parse('POST /\n\n{{a\n}}');
    const [reference] = allReferences(document);
    assert.equal(slice(document, reference), '{{a');
    assert.equal(reference.terminated, false);
  });

  test('empty braces are invalid and reported on the braces', () => {
    const document = parse('GET /{{ }}');
    const [reference] = allReferences(document);
    assert.deepEqual(reference.target, { kind: 'invalid' });
    assert.deepEqual(document.problems.map((problem) => [problem.code, slice(document, problem)]), [[Code.VariableInvalid, '{{ }}']]);
  });

  test('an expression of no known form is reported on the expression, as a warning: httpYac and kulala evaluate it as JavaScript (issue 14)', () => {
    const document = parse('GET /{{ login.foo }}');
    assert.deepEqual(document.problems.map((problem) => [problem.code, slice(document, problem), problem.severity]), [[Code.VariableUnsupported, 'login.foo', 'warning']]);
    assert.match(document.problems[0].message, /login\.response\.body/);
  });

  test('a request reference without a path says what to add', () => {
    const document = parse('GET /{{login.response.body}}');
    assert.deepEqual(document.problems.map((problem) => problem.code), [Code.VariableInvalid]);
    assert.match(document.problems[0].message, /login\.response\.body\.\$\.id/);
  });
});

describe('classifying references', () => {
  test('plain names are variables', () => {
    assert.deepEqual(classifyReference('host', 0), { kind: 'variable', name: 'host' });
    assert.deepEqual(classifyReference('api_key-2', 0), { kind: 'variable', name: 'api_key-2' });
  });

  test('$name with whitespace-separated arguments is a system variable', () => {
    assert.deepEqual(classifyReference('$uuid', 0), { kind: 'system', name: '$uuid', args: [] });
    assert.deepEqual(classifyReference('$randomInt 1   10', 0), { kind: 'system', name: '$randomInt', args: ['1', '10'] });
    assert.deepEqual(classifyReference('$dotenv API_KEY', 0), { kind: 'system', name: '$dotenv', args: ['API_KEY'] });
  });

  test('dotted system names with parentheses stay whole', () => {
    assert.deepEqual(classifyReference('$random.alphabetic(10)', 0), { kind: 'system', name: '$random.alphabetic(10)', args: [] });
  });

  test('quoted system arguments may contain spaces; the quotes are removed', () => {
    assert.deepEqual(classifyReference('$datetime "DD MM YYYY" 1 d', 0), {
      kind: 'system', name: '$datetime', args: ['DD MM YYYY', '1', 'd'],
    });
    assert.deepEqual(classifyReference("$localDatetime 'HH:mm'", 0), { kind: 'system', name: '$localDatetime', args: ['HH:mm'] });
  });

  test('name.response|request.body|headers.path is a request reference', () => {
    assert.deepEqual(classifyReference('login.response.body.$.token', 10), {
      kind: 'request', requestName: 'login', requestNameSpan: { start: 10, end: 15 },
      source: 'response', part: 'body', path: '$.token',
    });
    assert.deepEqual(classifyReference('login.response.headers.X-Id', 0), {
      kind: 'request', requestName: 'login', requestNameSpan: { start: 0, end: 5 },
      source: 'response', part: 'headers', path: 'X-Id',
    });
    assert.deepEqual(classifyReference('make-user.request.body.*', 0), {
      kind: 'request', requestName: 'make-user', requestNameSpan: { start: 0, end: 9 },
      source: 'request', part: 'body', path: '*',
    });
    assert.deepEqual(classifyReference('x.request.headers.Content-Type', 0), {
      kind: 'request', requestName: 'x', requestNameSpan: { start: 0, end: 1 },
      source: 'request', part: 'headers', path: 'Content-Type',
    });
  });

  test('the request name span points into the document', () => {
    const document = parse('GET /{{ login.response.body.//id }}');
    const [reference] = allReferences(document);
    assert.ok(reference.target.kind === 'request');
    assert.equal(slice(document, reference.target.requestNameSpan), 'login');
    assert.equal(reference.target.path, '//id');
  });

  test('anything else is invalid', () => {
    for (const expression of ['', '$', 'login.foo', 'a.response.cookies.x', 'a.response.body', '1abc', 'a b', 'host.name', '{{x']) {
      assert.deepEqual(classifyReference(expression, 0), { kind: 'invalid' }, expression);
    }
  });

  test('referenceable names are the names a reference can use', () => {
    assert.equal(isReferenceableName('createUser'), true);
    assert.equal(isReferenceableName('get-user_2'), true);
    assert.equal(isReferenceableName('List users'), false);
    assert.equal(isReferenceableName('2fa'), false);
    assert.equal(isReferenceableName(''), false);
  });
});

describe('unterminated references and trailing blanks', () => {
  test('an unterminated reference stops before trailing blanks, in a body as in a header', () => {
    const document = parse('POST /\nX-A: {{a \t\n\n{{b  \nend');
    assert.deepEqual(allReferences(document).map((reference) => slice(document, reference)), ['{{a', '{{b']);
  });
});

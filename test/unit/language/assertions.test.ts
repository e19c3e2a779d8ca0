import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import {
  type Assertion,
  type AssertionOperatorName,
  assertionOperators,
  isAssertionLine,
  operatorTakesValue,
  parseAssertionLine,
  parseBodyPath,
} from '../../../language/assertions';
import { Code } from '../../../language/codes';

/** The assertion of a line that must parse. */
function parsed(line: string): Assertion {
  const result = parseAssertionLine(line);
  assert.ok(result.assertion, `${line}: ${result.problem?.message ?? ''}`);
  return result.assertion;
}

/** The problem of a line that must not parse, with the text its span covers. */
function problemOf(line: string): { code: string; message: string; covers: string } {
  const result = parseAssertionLine(line);
  assert.ok(result.problem, `${line} should not parse`);
  return { code: result.problem.code, message: result.problem.message, covers: line.slice(result.problem.start, result.problem.end) };
}

/** The line's parts as the text their spans cover, so a test shows offsets at a glance. */
function parts(line: string): { target: string; kind: string; argument: string | undefined; operator: string; written: string; expected: string | undefined } {
  const { target, operator, expected } = parsed(line);
  assert.equal(target.argument?.text, target.argument === undefined ? undefined : line.slice(target.argument.span.start, target.argument.span.end));
  assert.equal(expected?.text, expected === undefined ? undefined : line.slice(expected.span.start, expected.span.end));
  return {
    target: line.slice(target.span.start, target.span.end),
    kind: target.kind,
    argument: target.argument?.text,
    operator: operator.name,
    written: line.slice(operator.span.start, operator.span.end),
    expected: expected?.text,
  };
}

describe('assertion lines: targets', () => {
  test('status takes no argument', () => {
    assert.deepEqual(parts('?? status == 200'), { target: 'status', kind: 'status', argument: undefined, operator: '==', written: '==', expected: '200' });
  });

  test('header takes its name', () => {
    assert.deepEqual(parts('?? header content-type includes json'), { target: 'header content-type', kind: 'header', argument: 'content-type', operator: 'includes', written: 'includes', expected: 'json' });
  });

  test('body alone is the whole body', () => {
    assert.deepEqual(parts('?? body == hello'), { target: 'body', kind: 'body', argument: undefined, operator: '==', written: '==', expected: 'hello' });
    assert.deepEqual(parts('?? body isString'), { target: 'body', kind: 'body', argument: undefined, operator: 'isString', written: 'isString', expected: undefined });
  });

  test('body takes a property path or a JSONPath', () => {
    assert.equal(parts('?? body items[0].name == Ada').argument, 'items[0].name');
    assert.equal(parts('?? body $.items[0].name == Ada').argument, '$.items[0].name');
    assert.equal(parts('?? body active isBoolean').argument, 'active');
  });

  test('a body property named like an operator is a path when an operator follows it', () => {
    assert.deepEqual(parts('?? body exists == true'), { target: 'body exists', kind: 'body', argument: 'exists', operator: '==', written: '==', expected: 'true' });
  });

  test('duration is the total, or the phase it names', () => {
    assert.deepEqual(parts('?? duration < 300'), { target: 'duration', kind: 'duration', argument: undefined, operator: '<', written: '<', expected: '300' });
    assert.equal(parts('?? duration firstByte < 100').argument, 'firstByte');
  });

  test('js takes an expression with spaces, up to the last operator (httpYac reads it greedily)', () => {
    assert.deepEqual(parts('?? js response.parsedBody.items.length > 2'), { target: 'js response.parsedBody.items.length', kind: 'js', argument: 'response.parsedBody.items.length', operator: '>', written: '>', expected: '2' });
    assert.deepEqual(parts('?? js a > 3 && b < 4 isTrue'), { target: 'js a > 3 && b < 4', kind: 'js', argument: 'a > 3 && b < 4', operator: 'isTrue', written: 'isTrue', expected: undefined });
  });

  test('xpath takes an expression', () => {
    assert.deepEqual(parts('?? xpath count(//item) == 3'), { target: 'xpath count(//item)', kind: 'xpath', argument: 'count(//item)', operator: '==', written: '==', expected: '3' });
    assert.equal(parts('?? xpath //item[@id = "2"]/name == Two').argument, '//item[@id = "2"]/name');
  });
});

describe('assertion lines: operators', () => {
  const binary: readonly [AssertionOperatorName, string][] = [
    ['==', '200'], ['!=', '500'], ['>', '199'], ['>=', '200'], ['<', '300'], ['<=', '299'],
    ['startsWith', '20'], ['endsWith', '00'], ['includes', '0'], ['contains', '0'], ['matches', '^\\d+$'],
    ['sha256', 'abc='], ['sha512', 'abc='], ['md5', 'abc='],
  ];
  for (const [operator, value] of binary) {
    test(`${operator} takes a value`, () => {
      assert.equal(operatorTakesValue(operator), true);
      assert.deepEqual(parts(`?? status ${operator} ${value}`), { target: 'status', kind: 'status', argument: undefined, operator, written: operator, expected: value });
      assert.equal(problemOf(`?? status ${operator}`).code, Code.AssertionMissingValue);
    });
  }

  const unary: readonly AssertionOperatorName[] = ['exists', 'isTrue', 'isFalse', 'isNumber', 'isBoolean', 'isString', 'isArray'];
  for (const operator of unary) {
    test(`${operator} takes no value`, () => {
      assert.equal(operatorTakesValue(operator), false);
      assert.deepEqual(parts(`?? header x-id ${operator}`), { target: 'header x-id', kind: 'header', argument: 'x-id', operator, written: operator, expected: undefined });
      const extra = problemOf(`?? header x-id ${operator} yes`);
      assert.equal(extra.code, Code.AssertionUnexpectedValue);
      assert.equal(extra.covers, 'yes');
    });
  }

  test('every operator is listed once, for completion', () => {
    assert.equal(new Set(assertionOperators).size, 21);
    for (const operator of [...binary.map(([name]) => name), ...unary]) assert.ok(assertionOperators.includes(operator), operator);
  });

  test("httpYac's aliases read as the canonical operator, with the span of what was written", () => {
    assert.deepEqual(parts('?? status === 200'), { target: 'status', kind: 'status', argument: undefined, operator: '==', written: '===', expected: '200' });
    assert.deepEqual(parts('?? status equals 200'), { target: 'status', kind: 'status', argument: undefined, operator: '==', written: 'equals', expected: '200' });
    assert.deepEqual(parts('?? status !== 200'), { target: 'status', kind: 'status', argument: undefined, operator: '!=', written: '!==', expected: '200' });
  });

  test('a symbolic operator may touch its value; the longest one is read', () => {
    assert.deepEqual(parts('?? status ==200'), { target: 'status', kind: 'status', argument: undefined, operator: '==', written: '==', expected: '200' });
    assert.deepEqual(parts('?? status >=200'), { target: 'status', kind: 'status', argument: undefined, operator: '>=', written: '>=', expected: '200' });
    assert.deepEqual(parts('?? status <=299'), { target: 'status', kind: 'status', argument: undefined, operator: '<=', written: '<=', expected: '299' });
  });

  test('a word operator must stand alone', () => {
    assert.equal(problemOf('?? status isStringy').code, Code.AssertionUnknownOperator);
    assert.equal(problemOf('?? header x-id existing').code, Code.AssertionUnknownOperator);
    // After body, one word that is no operator is the path: then the operator is missing.
    assert.equal(problemOf('?? body isStringy').code, Code.AssertionMissingOperator);
  });
});

describe('assertion lines: spacing and values', () => {
  test('indentation, tabs, several spaces and trailing spaces do not matter; offsets point into the line', () => {
    const line = '  ??\tstatus   ==   200  \r';
    const { target, operator, expected } = parsed(line);
    assert.deepEqual(target.span, { start: 5, end: 11 });
    assert.deepEqual(operator.span, { start: 14, end: 16 });
    assert.deepEqual(expected?.span, { start: 19, end: 22 });
  });

  test('?? may touch the target, as httpYac allows', () => {
    assert.equal(parts('??status == 200').kind, 'status');
  });

  test('the expected value runs to the end of the line, spaces, quotes and operators included', () => {
    assert.equal(parts('?? header content-type == text/html; charset=utf-8').expected, 'text/html; charset=utf-8');
    // httpYac compares quotes as written: they are part of the value.
    assert.equal(parts('?? header etag == "abc"').expected, '"abc"');
    assert.equal(parts('?? body $.op == a == b').expected, 'a == b');
    assert.equal(parts('?? header x-state == exists').expected, 'exists');
  });

  test('{{ }} in the value is kept for the engine to substitute', () => {
    assert.equal(parts('?? body $.id == {{userId}}').expected, '{{userId}}');
  });

  test('isAssertionLine sees ?? after indentation only', () => {
    assert.equal(isAssertionLine('?? status == 200'), true);
    assert.equal(isAssertionLine('  ?? status'), true);
    assert.equal(isAssertionLine('# ?? status'), false);
    assert.equal(isAssertionLine('GET /a??b'), false);
  });
});

describe('assertion lines: malformed', () => {
  test('nothing after ??', () => {
    const problem = problemOf('??   ');
    assert.equal(problem.code, Code.AssertionMissingTarget);
    assert.match(problem.message, /\?\? status == 200/);
  });

  test('a line that is not an assertion', () => {
    assert.equal(problemOf('status == 200').code, Code.AssertionMissingTarget);
  });

  test('an unknown target names the targets and suggests the closest', () => {
    const problem = problemOf('?? stauts == 200');
    assert.deepEqual([problem.code, problem.covers], [Code.AssertionUnknownTarget, 'stauts']);
    assert.match(problem.message, /did you mean `status`/);
    assert.match(problem.message, /header NAME/);
    assert.match(problemOf('?? Status == 200').message, /did you mean `status`/);
  });

  test('a target glued to its operator is an unknown target that says to separate them', () => {
    const problem = problemOf('?? status==200');
    assert.equal(problem.code, Code.AssertionUnknownTarget);
    assert.match(problem.message, /separated by spaces/);
  });

  test('an unknown operator suggests the closest, in its right case', () => {
    const lower = problemOf('?? status isnumber');
    assert.deepEqual([lower.code, lower.covers], [Code.AssertionUnknownOperator, 'isnumber']);
    assert.match(lower.message, /did you mean `isNumber`/);
    assert.match(problemOf('?? status = 200').message, /did you mean `==`/);
    assert.match(problemOf('?? header content-type has json').message, /write one of ==, !=/);
  });

  test('a target without an operator', () => {
    const problem = problemOf('?? header location');
    assert.deepEqual([problem.code, problem.covers], [Code.AssertionMissingOperator, 'header location']);
    assert.match(problem.message, /\?\? header location exists/);
    assert.equal(problemOf('?? status').code, Code.AssertionMissingOperator);
    assert.equal(problemOf('?? js response.ok').code, Code.AssertionMissingOperator);
    assert.equal(problemOf('?? xpath //id').code, Code.AssertionMissingOperator);
  });

  test('header, js and xpath need their argument', () => {
    for (const line of ['?? header', '?? header exists', '?? js', '?? js isTrue', '?? xpath == 3']) {
      const problem = problemOf(line);
      assert.equal(problem.code, Code.AssertionMissingArgument, line);
    }
    assert.match(problemOf('?? header == x').message, /name the header/);
    assert.equal(problemOf('?? header').covers, 'header');
  });

  test('a header name glued to its operator is not a header name', () => {
    const problem = problemOf('?? header content-type==json');
    assert.deepEqual([problem.code, problem.covers], [Code.AssertionInvalidArgument, 'content-type==json']);
    assert.match(problem.message, /put spaces around the operator/);
  });

  test('status takes no argument', () => {
    const problem = problemOf('?? status code == 200');
    assert.deepEqual([problem.code, problem.covers], [Code.AssertionInvalidArgument, 'code']);
  });

  test('a duration phase must be one the engine measures', () => {
    const problem = problemOf('?? duration wait < 100');
    assert.deepEqual([problem.code, problem.covers], [Code.AssertionInvalidArgument, 'wait']);
    assert.match(problem.message, /firstByte/);
  });

  test('a body path that is neither a property path nor a JSONPath points to js', () => {
    const problem = problemOf('?? body items.map(x) isArray');
    assert.deepEqual([problem.code, problem.covers], [Code.AssertionInvalidArgument, 'items.map(x)']);
    assert.match(problem.message, /\?\? js EXPRESSION/);
  });

  test('a missing value says what to write', () => {
    assert.match(problemOf('?? status ==').message, /after ==, e.g. `\?\? status == 200`/);
    assert.match(problemOf('?? body sha256').message, /BASE64_OR_HEX_DIGEST/);
  });
});

describe('body paths', () => {
  test('property paths: names, indexes and quoted keys', () => {
    assert.deepEqual(parseBodyPath('a.b'), { kind: 'properties', keys: ['a', 'b'] });
    assert.deepEqual(parseBodyPath('items[0].id'), { kind: 'properties', keys: ['items', 0, 'id'] });
    assert.deepEqual(parseBodyPath('data["first-name"]'), { kind: 'properties', keys: ['data', 'first-name'] });
    assert.deepEqual(parseBodyPath("data['x y']"), { kind: 'properties', keys: ['data', 'x y'] });
    assert.deepEqual(parseBodyPath('[1]'), { kind: 'properties', keys: [1] });
  });

  test('a $ path is a JSONPath', () => {
    assert.deepEqual(parseBodyPath('$..id'), { kind: 'jsonpath', text: '$..id' });
  });

  test('anything else is not a path', () => {
    for (const text of ['.a', 'a.', 'a..b', 'a[0]b', 'a[x]', 'a-b', 'f()', 'a b']) assert.equal(parseBodyPath(text), undefined, text);
  });
});

describe('assertion lines: any line', () => {
  const pieces = ['??', ' ', '  ', '\t', 'status', 'header', 'body', 'duration', 'js', 'xpath', 'x-id', '$.a', 'a.b', 'firstByte', '==', '===', '!=', '>', '>=', '<', '=', 'exists', 'isTrue', 'includes', 'matches', 'sha256', '200', '"a b"', '{{id}}', '//item', 'count(//i)', '(', '\r'];

  test('never throws; spans stay in the line and cover their texts, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 10 }), (chosen) => {
        const line = chosen.join('');
        const result = parseAssertionLine(line);
        if (result.problem !== undefined) {
          assert.ok(result.problem.start >= 0 && result.problem.start <= result.problem.end && result.problem.end <= line.length, line);
          assert.ok(result.problem.message.length > 0, line);
          return;
        }
        const { target, operator, expected } = result.assertion;
        assert.ok(target.span.end <= operator.span.start && operator.span.end <= (expected?.span.start ?? line.length), line);
        assert.equal(line.slice(target.span.start, target.span.end).split(/\s/)[0], target.kind, line);
        if (target.argument !== undefined) assert.equal(line.slice(target.argument.span.start, target.argument.span.end), target.argument.text, line);
        if (expected !== undefined) assert.equal(line.slice(expected.span.start, expected.span.end), expected.text, line);
        assert.equal(operatorTakesValue(operator.name), expected !== undefined, line);
      }),
    );
  });
});

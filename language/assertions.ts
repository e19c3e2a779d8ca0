// httpYac's assertion lines, `?? target [argument] operator [expected]`, as a pure function of
// one line's text. The engine evaluates what this returns (engine/assertions.ts); the parser,
// diagnostics and completion will call it for lines that start with `??`.
//
// Where the operator is follows httpYac's parser: for `js` and `xpath`, whose expressions may
// hold spaces, it is the last operator on the line (httpYac's pattern is greedy); `status`,
// `header NAME`, `body [PATH]` and `duration [PHASE]` take at most one word before it, so an
// expected value may itself contain `==` or `exists`. Operators are case-sensitive, as httpYac's
// lookup is, and a symbolic operator may touch its value (`== 200` or `==200`).

import { Code } from './codes';
import { closestName } from './data/spelling';
import type { Span } from './syntax';

export type AssertionTargetKind = 'status' | 'header' | 'body' | 'duration' | 'js' | 'xpath';

export type AssertionOperatorName =
  | '=='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'startsWith'
  | 'endsWith'
  | 'includes'
  | 'contains'
  | 'exists'
  | 'isTrue'
  | 'isFalse'
  | 'isNumber'
  | 'isBoolean'
  | 'isString'
  | 'isArray'
  | 'matches'
  | 'sha256'
  | 'sha512'
  | 'md5';

/** What an assertion checks: `argument` is the header name, body path, duration phase or expression. */
export interface AssertionTarget {
  readonly kind: AssertionTargetKind;
  readonly argument: { readonly text: string; readonly span: Span } | undefined;
  /** From the target's keyword to the end of its argument. */
  readonly span: Span;
}

/** One `??` line, parsed. Offsets are into the line's text. */
export interface Assertion {
  readonly target: AssertionTarget;
  /** `name` is canonical: `===` and `equals` are `==`, `!==` is `!=`; `span` is what was written. */
  readonly operator: { readonly name: AssertionOperatorName; readonly span: Span };
  /** Raw text, before `{{ }}` substitution; undefined for operators that take no value. */
  readonly expected: { readonly text: string; readonly span: Span } | undefined;
}

/** Why a `??` line is not an assertion, with a sentence that says what to write. */
export interface AssertionProblem extends Span {
  readonly code: Code;
  readonly message: string;
}

export type AssertionParse =
  | { readonly assertion: Assertion; readonly problem?: undefined }
  | { readonly assertion?: undefined; readonly problem: AssertionProblem };

/** The targets, as completion offers them. */
export const assertionTargets: readonly AssertionTargetKind[] = ['status', 'header', 'body', 'duration', 'js', 'xpath'];

/** The operators, as completion offers them (aliases excluded). */
export const assertionOperators: readonly AssertionOperatorName[] = [
  '==', '!=', '>', '>=', '<', '<=', 'startsWith', 'endsWith', 'includes', 'contains', 'exists', 'isTrue',
  'isFalse', 'isNumber', 'isBoolean', 'isString', 'isArray', 'matches', 'sha256', 'sha512', 'md5',
];

/** The phases `?? duration PHASE` may name: those of the engine's `Timings`. */
export const durationPhases: readonly string[] = ['total', 'dns', 'connect', 'tls', 'firstByte', 'download'];

const unaryOperators: ReadonlySet<AssertionOperatorName> = new Set(['exists', 'isTrue', 'isFalse', 'isNumber', 'isBoolean', 'isString', 'isArray']);

/** The test a `??` line is reported as, as httpYac names it: `status == 200`, `content-type includes json`. */
export function assertionName(assertion: Assertion): string {
  const label = assertion.target.argument?.text ?? assertion.target.kind;
  return `${label} ${assertion.operator.name}${assertion.expected !== undefined ? ` ${assertion.expected.text}` : ''}`;
}

/** Whether the operator compares with a value (`== 200`) rather than testing alone (`exists`). */
export function operatorTakesValue(name: AssertionOperatorName): boolean {
  return !unaryOperators.has(name);
}

// Word operators and their httpYac aliases, by spelling.
const wordOperators: ReadonlyMap<string, AssertionOperatorName> = new Map<string, AssertionOperatorName>([
  ...assertionOperators.filter((name) => /^[a-z]/i.test(name)).map((name): [string, AssertionOperatorName] => [name, name]),
  ['equals', '=='],
]);

// Longest first, so `>=` is not read as `>` followed by `=`.
const symbolicOperators: readonly (readonly [string, AssertionOperatorName])[] = [
  ['===', '=='], ['!==', '!='], ['==', '=='], ['!=', '!='], ['>=', '>='], ['<=', '<='], ['>', '>'], ['<', '<'],
];

// RFC 9110 token characters: what a header name is made of.
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const operatorSpellings: readonly string[] = [...wordOperators.keys()];

const targetHelp = '`status`, `header NAME`, `body`, `body PATH`, `duration`, `js EXPRESSION` or `xpath EXPRESSION`';

/** Whether a line is an assertion line: optional indentation, then `??`. */
export function isAssertionLine(line: string): boolean {
  return /^[ \t]*\?\?/.test(line);
}

/** Parses one `??` line (without its line break). Never throws: a malformed line gives a problem. */
export function parseAssertionLine(line: string): AssertionParse {
  const marker = /^[ \t]*\?\?/.exec(line);
  if (marker === null) {
    return problem(Code.AssertionMissingTarget, 0, line.length, 'an assertion line starts with ??, e.g. `?? status == 200`');
  }
  const words = wordsOf(line, marker[0].length);
  const keyword = words[0];
  if (keyword === undefined) {
    return problem(Code.AssertionMissingTarget, 0, marker[0].length, `write what to check after ??: ${targetHelp}, then an operator, e.g. \`?? status == 200\``);
  }
  const kind = targetKind(keyword.text);
  if (kind === undefined) {
    const suggestion = closestName(keyword.text, assertionTargets, (name) => name.toLowerCase());
    const hint = suggestion !== undefined ? `did you mean \`${suggestion}\`? ` : '';
    return problem(Code.AssertionUnknownTarget, keyword.start, keyword.end, `unknown assertion target \`${keyword.text}\`: ${hint}write ${targetHelp}, separated by spaces from the operator (e.g. \`?? status == 200\`)`);
  }
  return kind === 'js' || kind === 'xpath' ? parseExpressionTarget(line, kind, words) : parseWordTarget(line, kind, words);
}

/** The segments of a `body PATH` written as a property path (`items[0].name`), or undefined when it is not one. */
export type BodyPath =
  | { readonly kind: 'jsonpath'; readonly text: string }
  | { readonly kind: 'properties'; readonly keys: readonly (string | number)[] };

/**
 * How `?? body PATH` reads the JSON body: `$...` is a JSONPath (as in request variables);
 * anything else is httpYac's property path, `a.b`, `items[0].id`, `data["first-name"]`, read
 * without running code. Undefined when the text is neither.
 */
export function parseBodyPath(text: string): BodyPath | undefined {
  if (text.startsWith('$')) return { kind: 'jsonpath', text };
  const keys: (string | number)[] = [];
  let at = 0;
  while (at < text.length) {
    // A name needs a dot before it, except the first: `a.b`, `a[0]`, but not `.a`, `a.` or `a[0]b`.
    const segment = at === 0 ? firstPathSegment : nextPathSegment;
    segment.lastIndex = at;
    const match = segment.exec(text);
    if (match === null) return undefined;
    if (match[1] !== undefined) keys.push(match[1]);
    else if (match[2] !== undefined) keys.push(Number(match[2]));
    else keys.push(match[3] ?? match[4] ?? '');
    at = segment.lastIndex;
  }
  return keys.length === 0 ? undefined : { kind: 'properties', keys };
}

const firstPathSegment = /([A-Za-z0-9_$]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/y;
const nextPathSegment = /\.([A-Za-z0-9_$]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/y;

interface Word {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface OperatorAt {
  readonly name: AssertionOperatorName;
  /** Where the operator's spelling ends: a symbolic operator may be followed by its value in the same word. */
  readonly end: number;
}

function wordsOf(line: string, from: number): Word[] {
  const words: Word[] = [];
  const pattern = /\S+/g;
  pattern.lastIndex = from;
  for (let match = pattern.exec(line); match !== null; match = pattern.exec(line)) {
    words.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  return words;
}

function targetKind(text: string): AssertionTargetKind | undefined {
  return (assertionTargets as readonly string[]).includes(text) ? (text as AssertionTargetKind) : undefined;
}

function operatorAt(word: Word | undefined): OperatorAt | undefined {
  if (word === undefined) return undefined;
  const named = wordOperators.get(word.text);
  if (named !== undefined) return { name: named, end: word.end };
  for (const [spelling, name] of symbolicOperators) {
    if (word.text.startsWith(spelling)) return { name, end: word.start + spelling.length };
  }
  return undefined;
}

/** `status`, `header NAME`, `body [PATH]`, `duration [PHASE]`: at most one word before the operator. */
function parseWordTarget(line: string, kind: AssertionTargetKind, words: readonly Word[]): AssertionParse {
  const keyword = words[0];
  let argument: Word | undefined;
  if (kind === 'header') {
    argument = words[1];
    if (argument === undefined || operatorAt(argument) !== undefined) {
      const at = argument ?? keyword;
      return problem(Code.AssertionMissingArgument, at.start, at.end, 'name the header to check, e.g. `?? header content-type includes json`');
    }
    if (!headerName.test(argument.text)) {
      return problem(Code.AssertionInvalidArgument, argument.start, argument.end, `\`${argument.text}\` is not a header name (letters, digits and !#$%&'*+-.^_\`|~): if an operator touches it, put spaces around the operator, e.g. \`?? header content-type == application/json\``);
    }
  } else if (kind === 'status') {
    if (words[1] !== undefined && operatorAt(words[1]) === undefined && operatorAt(words[2]) !== undefined) {
      return problem(Code.AssertionInvalidArgument, words[1].start, words[1].end, `status takes nothing before the operator: remove \`${words[1].text}\`, e.g. \`?? status == 200\``);
    }
  } else if (words[1] !== undefined && (operatorAt(words[1]) === undefined || operatorAt(words[2]) !== undefined)) {
    // `body exists == true` checks the property `exists`: a second operator means the first word is the argument.
    argument = words[1];
    const invalid = kind === 'body' ? bodyPathProblem(argument) : durationPhaseProblem(argument);
    if (invalid !== undefined) return invalid;
  }
  const operatorWord = words[argument === undefined ? 1 : 2];
  const operator = operatorAt(operatorWord);
  if (operatorWord === undefined) {
    const end = (argument ?? keyword).end;
    return problem(Code.AssertionMissingOperator, keyword.start, end, `end the assertion with an operator, e.g. \`?? ${line.slice(keyword.start, end)} == VALUE\` or \`?? ${line.slice(keyword.start, end)} exists\``);
  }
  if (operator === undefined) return unknownOperator(operatorWord);
  return finish(line, kind, keyword, argument, operatorWord.start, operator);
}

/** `js EXPRESSION` and `xpath EXPRESSION`: the expression runs to the line's last operator. */
function parseExpressionTarget(line: string, kind: 'js' | 'xpath', words: readonly Word[]): AssertionParse {
  const keyword = words[0];
  let operatorIndex = -1;
  let operator: OperatorAt | undefined;
  for (let index = words.length - 1; index >= 2 && operator === undefined; index--) {
    operator = operatorAt(words[index]);
    if (operator !== undefined) operatorIndex = index;
  }
  const example = kind === 'js' ? '`?? js response.parsedBody.items.length > 0`' : '`?? xpath count(//item) == 3`';
  if (words.length < 2 || (operator === undefined && operatorAt(words[1]) !== undefined)) {
    return problem(Code.AssertionMissingArgument, keyword.start, keyword.end, `write the expression to check after ${kind}, e.g. ${example}`);
  }
  if (operator === undefined) {
    const last = words[words.length - 1];
    return problem(Code.AssertionMissingOperator, keyword.start, last.end, `end the assertion with an operator after the expression, e.g. ${example} or \`?? ${kind} EXPRESSION isTrue\``);
  }
  const first = words[1];
  const last = words[operatorIndex - 1];
  const argument: Word = { start: first.start, end: last.end, text: line.slice(first.start, last.end) };
  return finish(line, kind, keyword, argument, words[operatorIndex].start, operator);
}

function finish(line: string, kind: AssertionTargetKind, keyword: Word, argument: Word | undefined, operatorStart: number, operator: OperatorAt): AssertionParse {
  const valueStart = skipSpaces(line, operator.end);
  const valueEnd = trimmedEnd(line);
  const expected = valueStart < valueEnd ? { text: line.slice(valueStart, valueEnd), span: { start: valueStart, end: valueEnd } } : undefined;
  const written = line.slice(operatorStart, operator.end);
  if (operatorTakesValue(operator.name) && expected === undefined) {
    return problem(Code.AssertionMissingValue, operatorStart, operator.end, `write the value to compare with after ${written}, e.g. \`?? ${exampleFor(operator.name)}\``);
  }
  if (!operatorTakesValue(operator.name) && expected !== undefined) {
    return problem(Code.AssertionUnexpectedValue, expected.span.start, expected.span.end, `${written} takes no value: remove \`${expected.text}\`, or use an operator that compares, such as ==`);
  }
  const targetEnd = (argument ?? keyword).end;
  return {
    assertion: {
      target: {
        kind,
        argument: argument === undefined ? undefined : { text: argument.text, span: { start: argument.start, end: argument.end } },
        span: { start: keyword.start, end: targetEnd },
      },
      operator: { name: operator.name, span: { start: operatorStart, end: operator.end } },
      expected,
    },
  };
}

function unknownOperator(word: Word): AssertionParse {
  const spelled = /^=[^=]/.test(word.text) || word.text === '=' ? '==' : closestName(word.text, operatorSpellings, (name) => name.toLowerCase());
  const hint = spelled !== undefined ? `did you mean \`${spelled}\`? ` : '';
  return problem(Code.AssertionUnknownOperator, word.start, word.end, `unknown assertion operator \`${word.text}\`: ${hint}write one of ${assertionOperators.join(', ')}`);
}

function bodyPathProblem(argument: Word): AssertionParse | undefined {
  if (parseBodyPath(argument.text) !== undefined) return undefined;
  return problem(Code.AssertionInvalidArgument, argument.start, argument.end, `\`${argument.text}\` is not a body path: write a property path such as \`items[0].name\` or a JSONPath such as \`$.items[0].name\`; for an expression, use \`?? js EXPRESSION\``);
}

function durationPhaseProblem(argument: Word): AssertionParse | undefined {
  if (durationPhases.includes(argument.text)) return undefined;
  return problem(Code.AssertionInvalidArgument, argument.start, argument.end, `unknown duration phase \`${argument.text}\`: write one of ${durationPhases.join(', ')}, or nothing for the total`);
}

function exampleFor(name: AssertionOperatorName): string {
  switch (name) {
    case 'matches':
      return 'header content-type matches ^application/json';
    case 'sha256':
    case 'sha512':
    case 'md5':
      return `body ${name} BASE64_OR_HEX_DIGEST`;
    case 'startsWith':
    case 'endsWith':
    case 'includes':
    case 'contains':
      return `header content-type ${name} json`;
    default:
      return `status ${name} 200`;
  }
}

function skipSpaces(line: string, from: number): number {
  let at = from;
  while (at < line.length && /\s/.test(line[at])) at++;
  return at;
}

function trimmedEnd(line: string): number {
  let end = line.length;
  while (end > 0 && /\s/.test(line[end - 1])) end--;
  return end;
}

function problem(code: Code, start: number, end: number, message: string): AssertionParse {
  return { problem: { code, start, end, message } };
}

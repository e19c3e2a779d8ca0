// Evaluates httpYac assertion lines (`?? status == 200`, parsed by language/assertions.ts)
// against an exchange. The expected value is compared by the actual value's type, as httpYac
// does: `?? status == 200` compares numbers, `?? body active == true` booleans, `?? header x == 1`
// strings. Where httpYac's behaviour is a bug it is not kept, and the comment says so.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { type Assertion, type AssertionOperatorName, assertionName, parseBodyPath } from '../language/assertions';
import type { Exchange, ResponseSummary } from './model';
import { loadJsonPath } from './lazyLibraries';
import { parseXml, selectXPath } from './xmlQuery';

/** The outcome of one assertion: a test named as httpYac names it. */
export interface AssertionResult {
  /** `status == 200`, `content-type includes json`: the argument (or target) and the line as written. */
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed; undefined when it passed. */
  readonly message: string | undefined;
  /** The expected value after substitution and conversion to the actual value's type. */
  readonly expected: unknown;
  /** What the response had (undefined when it had nothing there). */
  readonly actual: unknown;
}

/** What evaluation needs from the host. */
export interface AssertionHost {
  /** Expands `{{ }}` in an expected value; may throw an Error whose message says which variable is undefined. */
  readonly substitute: (text: string) => string;
  /** Evaluates `?? js EXPRESSION` in the script sandbox. */
  readonly evaluateJs: (expression: string) => Promise<unknown>;
  /** Bodies larger than this (decoded) are not read for `body` and `xpath`; 32 MiB by default. */
  readonly maxBodyBytes?: number;
}

const defaultMaxBodyBytes = 32 * 1024 * 1024;

/** Evaluates a request's assertions in order; the body is read, decoded and parsed once for all of them. */
export async function evaluateAssertions(assertions: readonly Assertion[], exchange: Exchange, host: AssertionHost): Promise<AssertionResult[]> {
  const subject = new ResponseSubject(exchange, host.maxBodyBytes ?? defaultMaxBodyBytes);
  const results: AssertionResult[] = [];
  for (const assertion of assertions) results.push(await evaluateAssertion(assertion, subject, host));
  return results;
}

/** Evaluates one assertion; never throws (a problem reading the response is a failed test that says why). */
export async function evaluateAssertion(assertion: Assertion, subject: ResponseSubject, host: AssertionHost): Promise<AssertionResult> {
  const name = assertionName(assertion);
  const failure = (message: string, actual?: unknown, expected?: unknown): AssertionResult => ({ name, ok: false, message, expected, actual });

  let expectedText: string | undefined;
  try {
    expectedText = assertion.expected === undefined ? undefined : host.substitute(assertion.expected.text);
  } catch (error) {
    return failure(`${name}: the expected value cannot be substituted (${messageOf(error)})`);
  }
  const actual = await subject.value(assertion, host);
  if ('problem' in actual) return failure(`${name}: ${actual.problem}`);

  const operator = assertion.operator.name;
  const expected = convertsExpected(operator) ? convertToTypeOf(actual.value, expectedText) : expectedText;
  let ok: boolean;
  try {
    ok = matches(operator, actual.value, expected, actual.bytes);
  } catch (error) {
    // Only `matches` throws: an invalid regular expression.
    return failure(`${name}: ${messageOf(error)}`, actual.value, expected);
  }
  if (ok) return { name, ok, message: undefined, expected, actual: actual.value };
  // The message names the target in full (`header location`, `body $.id`): the name may not.
  const target = assertion.target.argument === undefined ? assertion.target.kind : `${assertion.target.kind} ${assertion.target.argument.text}`;
  const wanted = expected === undefined ? operator : `${operator} ${display(expected)}`;
  return failure(`${target} is ${display(actual.value)}, expected ${wanted}`, actual.value, expected);
}

type Actual = { readonly value: unknown; readonly bytes?: Uint8Array } | { readonly problem: string };

/** One exchange's response, read lazily and at most once: body bytes, text, JSON and XML. Evaluate a request's assertions against one. */
export class ResponseSubject {
  private bytes: Promise<Uint8Array | { problem: string }> | undefined;
  private text: string | undefined;
  private json: { value: unknown } | { problem: string } | undefined;
  private xml: { document: unknown } | { problem: string } | undefined;

  constructor(
    private readonly exchange: Exchange,
    private readonly maxBodyBytes = defaultMaxBodyBytes,
  ) {}

  async value(assertion: Assertion, host: AssertionHost): Promise<Actual> {
    const response = this.exchange.response;
    if (response === undefined) return { problem: `no response arrived (${this.exchange.error?.message ?? 'unknown error'})` };
    const argument = assertion.target.argument?.text;
    switch (assertion.target.kind) {
      case 'status':
        return { value: response.status };
      case 'header':
        return { value: headerValue(response, argument ?? '') };
      case 'duration':
        return { value: this.exchange.timings[(argument ?? 'total') as keyof Exchange['timings']] };
      case 'js':
        try {
          return { value: await host.evaluateJs(argument ?? '') };
        } catch (error) {
          return { problem: `the expression threw: ${messageOf(error)}` };
        }
      case 'body':
        return argument === undefined ? this.wholeBody(response) : this.bodyPath(response, argument);
      case 'xpath':
        return this.xpath(response, argument ?? '');
    }
  }

  private async wholeBody(response: ResponseSummary): Promise<Actual> {
    const bytes = await this.readBytes(response);
    if (!(bytes instanceof Uint8Array)) return bytes;
    // The text is what `==` and `includes` compare; the hashes are of the bytes as received (decoded).
    return { value: this.decoded(bytes, response.body.charset), bytes };
  }

  private async bodyPath(response: ResponseSummary, path: string): Promise<Actual> {
    const parsed = parseBodyPath(path);
    if (parsed === undefined) return { problem: `\`${path}\` is not a body path` };
    const json = await this.parsedJson(response);
    if ('problem' in json) return { problem: `${json.problem}, so the path ${path} cannot apply` };
    if (parsed.kind === 'properties') return { value: propertyAt(json.value, parsed.keys) };
    try {
      // `eval: false`: a JSONPath in a .http file must never run code.
      const found: unknown = loadJsonPath().JSONPath<unknown>({ path: parsed.text, json: json.value as object, wrap: true, eval: false });
      const matches = Array.isArray(found) ? (found as unknown[]) : [];
      // As httpYac's XPath: nothing is undefined, one match is its value, several an array.
      return { value: matches.length === 0 ? undefined : matches.length === 1 ? matches[0] : matches };
    } catch (error) {
      const filterHint = path.includes('[?') ? '; filters run no code here: write `?? js EXPRESSION` for them' : '';
      return { problem: `invalid JSONPath ${path} (${messageOf(error)})${filterHint}` };
    }
  }

  private async xpath(response: ResponseSummary, expression: string): Promise<Actual> {
    if (this.xml === undefined) {
      const bytes = await this.readBytes(response);
      this.xml = bytes instanceof Uint8Array ? parseXml(this.decoded(bytes, response.body.charset)) : bytes;
    }
    if ('problem' in this.xml) return { problem: `${this.xml.problem}, so the XPath ${expression} cannot apply` };
    const selected = selectXPath(this.xml.document, expression);
    return 'problem' in selected ? selected : { value: selected.value };
  }

  private async parsedJson(response: ResponseSummary): Promise<{ value: unknown } | { problem: string }> {
    if (this.json === undefined) {
      const bytes = await this.readBytes(response);
      if (!(bytes instanceof Uint8Array)) {
        this.json = bytes;
      } else {
        try {
          this.json = { value: JSON.parse(this.decoded(bytes, response.body.charset)) as unknown };
        } catch (error) {
          this.json = { problem: `the body is not JSON (${messageOf(error)})` };
        }
      }
    }
    return this.json;
  }

  private decoded(bytes: Uint8Array, charset: string): string {
    this.text ??= decode(bytes, charset);
    return this.text;
  }

  /** The whole decoded body: the in-memory prefix, or the spill file when the body was larger (up to the cap). */
  private readBytes(response: ResponseSummary): Promise<Uint8Array | { problem: string }> {
    this.bytes ??= (async () => {
      const body = response.body;
      if (body.file === undefined) return body.prefix;
      if (body.size > this.maxBodyBytes) {
        return { problem: `the body is ${mebibytes(body.size)}, more than the ${mebibytes(this.maxBodyBytes)} assertions read` };
      }
      try {
        return await readFile(body.file);
      } catch (error) {
        return { problem: `the body's temp file cannot be read (${messageOf(error)})` };
      }
    })();
    return this.bytes;
  }
}

/** As Node gives headers: one value as is, repeated ones joined with `, `, except `set-cookie`, an array. */
function headerValue(response: ResponseSummary, name: string): string | string[] | undefined {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [header, value] of response.headers) if (header.toLowerCase() === wanted) values.push(value);
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return wanted === 'set-cookie' ? values : values.join(', ');
}

/** Walks a property path as JavaScript would read it, without running any: `length` of arrays and strings included. */
function propertyAt(root: unknown, keys: readonly (string | number)[]): unknown {
  let value = root;
  for (const key of keys) {
    if (value === null || value === undefined) return undefined;
    if ((typeof value === 'string' || Array.isArray(value)) && key === 'length') {
      value = value.length;
    } else if (typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key)) {
      value = (value as Record<string | number, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return value;
}

/** httpYac compares `matches` and the hashes with the expected text as written; the others convert it. */
function convertsExpected(operator: AssertionOperatorName): boolean {
  return operator !== 'matches' && operator !== 'sha256' && operator !== 'sha512' && operator !== 'md5';
}

/**
 * The expected text as a value of the actual value's type, as httpYac converts it. Two httpYac
 * laxities are not kept: a number is read with `Number` (httpYac's `parseFloat` read `200abc` as
 * 200), and a boolean only from `true` or `false` (httpYac read any other non-empty text as true).
 */
function convertToTypeOf(actual: unknown, expected: string | undefined): unknown {
  if (expected === undefined) return undefined;
  if (typeof actual === 'number') return toNumber(expected) ?? expected;
  if (typeof actual === 'boolean') {
    const word = expected.trim().toLowerCase();
    return word === 'true' ? true : word === 'false' ? false : expected;
  }
  if (actual === null && expected === 'null') return null;
  if (actual === undefined && expected === 'undefined') return undefined;
  if (typeof actual === 'object' && actual !== null) {
    try {
      return JSON.parse(expected) as unknown;
    } catch {
      return expected;
    }
  }
  return expected;
}

function matches(operator: AssertionOperatorName, actual: unknown, expected: unknown, bytes: Uint8Array | undefined): boolean {
  switch (operator) {
    case '==':
      return equals(actual, expected);
    case '!=':
      // httpYac compared objects by reference here, so `!=` held for every equal object.
      return !equals(actual, expected);
    case '>':
    case '>=':
    case '<':
    case '<=':
      return compareNumbers(operator, toNumber(actual), toNumber(expected));
    case 'startsWith':
      return bothTexts(actual, expected, (a, e) => a.startsWith(e));
    case 'endsWith':
      return bothTexts(actual, expected, (a, e) => a.endsWith(e));
    case 'includes':
    case 'contains':
      // An array holds an element (httpYac searched the array's JSON text first, so `[13]` included 3).
      if (Array.isArray(actual)) return actual.some((element) => equals(element, convertToTypeOf(element, textOf(expected))));
      return bothTexts(actual, expected, (a, e) => a.includes(e));
    case 'exists':
      // httpYac tested truthiness, so a 0, false or empty value did not "exist"; present is what the name says.
      return actual !== undefined && actual !== null;
    case 'isTrue':
      return Boolean(actual);
    case 'isFalse':
      return !actual;
    case 'isNumber':
      return typeof actual === 'number';
    case 'isBoolean':
      return typeof actual === 'boolean';
    case 'isString':
      return typeof actual === 'string';
    case 'isArray':
      return Array.isArray(actual);
    case 'matches':
      return bothTexts(actual, expected, (a, e) => new RegExp(e, 'u').test(a));
    case 'sha256':
    case 'sha512':
    case 'md5':
      return digestMatches(operator, bytes ?? textOf(actual), textOf(expected));
  }
}

/** Values equal by content; objects whatever the order of their keys (httpYac compared their JSON texts). */
function equals(actual: unknown, expected: unknown): boolean {
  return isDeepStrictEqual(actual, expected);
}

function compareNumbers(operator: '>' | '>=' | '<' | '<=', actual: number | undefined, expected: number | undefined): boolean {
  if (actual === undefined || expected === undefined) return false;
  switch (operator) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
  }
}

/** Both sides as non-empty texts (httpYac's rule: an empty side never matches). */
function bothTexts(actual: unknown, expected: unknown, test: (actual: string, expected: string) => boolean): boolean {
  const actualText = textOf(actual);
  const expectedText = textOf(expected);
  return actualText !== undefined && actualText !== '' && expectedText !== undefined && expectedText !== '' && test(actualText, expectedText);
}

/** httpYac compares base64 digests; hex (what `sha256sum` prints) is accepted too. */
function digestMatches(algorithm: 'sha256' | 'sha512' | 'md5', value: Uint8Array | string | undefined, expected: string | undefined): boolean {
  if (value === undefined || expected === undefined) return false;
  const digest = createHash(algorithm).update(value).digest();
  const wanted = expected.trim();
  return wanted === digest.toString('base64') || wanted.toLowerCase() === digest.toString('hex');
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value.trim());
  return Number.isNaN(number) ? undefined : number;
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** A value as a failure message shows it: texts quoted, so `"200"` and 200 differ. */
function display(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  // JSON.stringify gives undefined only for functions and symbols, which no target yields.
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function decode(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is the best guess and never throws.
    return new TextDecoder().decode(bytes);
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

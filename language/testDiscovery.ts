// The tests of a `.http` document known before anything runs: `client.test("literal", ...)` in a
// request's `> {% %}` handlers and its `??` lines, named as the engine names them when it reports
// results (engine/assertions.ts), so the Test Explorer can show them before a run and match the
// run's results to them. A test whose name is computed (`client.test(name, ...)`, a template
// literal with `${}`) is not known until it runs; one in a `> file.js` handler is known when the
// caller can read that file.

import { requestScriptBlocks } from './httpYacScripts';
import type { AssertionLine, FileHandler, HttpDocument, Request, ScriptBlock, ScriptHandler } from './syntax';
import { assertionName } from './assertions';
import { lineAt, lineStarts, offsetToPosition } from './positions';

/** `script`: a `client.test` in a handler; `assertion`: a `??` line. The engine's `TestResult.kind` uses the same words. */
export type DiscoveredTestKind = 'script' | 'assertion';

/** One statically known test. */
export interface DiscoveredTest {
  /** The name the engine reports it under. */
  readonly name: string;
  readonly kind: DiscoveredTestKind;
  /** 0-based line of the `client.test` call or the `??` line. */
  readonly line: number;
  /** 0-based character where the call or the `??` starts. */
  readonly character: number;
  /** The handler file the test is in (`> ./checks.js`), absolute; undefined when it is in the `.http` document. */
  readonly file?: string;
}

/** Reads a handler file named in the document (`> ./checks.js`, the path as written): its absolute path and text, or undefined. */
export type ReadScriptFile = (written: string) => { readonly path: string; readonly text: string } | undefined;

/** A request that has tests, known or to be created when it runs. */
export interface RequestTests {
  /** `# @name` or the separator's title, else `METHOD target`: how the request is shown. */
  readonly label: string;
  /** 0-based line of the request line (what the engine's `RequestOrigin.line` names, 1-based). */
  readonly line: number;
  /** Statically known tests, in the order they are written. */
  readonly tests: readonly DiscoveredTest[];
  /** Whether it has response handlers, which may create tests only known when they run. */
  readonly hasHandlers: boolean;
}

/** Whether a text may hold tests at all: a cheap look before parsing a large file for nothing. */
export function mayHaveTests(text: string): boolean {
  return text.includes('??') || /^[ \t]*>[ \t]*(\{%|[^>\s])/m.test(text) || /^[ \t]*\{\{[+@\w \t]*$/m.test(text);
}

/** The requests of `document` that have `??` lines or response handlers, with their statically known tests (those of handler files too, given a reader). */
export function discoverTests(document: HttpDocument, readScriptFile?: ReadScriptFile): RequestTests[] {
  if (!mayHaveTests(document.text)) return [];
  const found: RequestTests[] = [];
  for (const request of document.requests) {
    // httpYac blocks that run on the response: below the request line, or `{{@response` / `{{@after` anywhere in its region.
    const blocks = requestScriptBlocks(document, request).filter((block) => !block.everyRequest && (block.event === 'response' || block.event === 'after' || (block.event === '' && block.afterRequest)));
    if (request.handlers.length === 0 && request.assertions.length === 0 && blocks.length === 0) continue;
    const tests: DiscoveredTest[] = [];
    for (const block of blocks) tests.push(...blockTests(document, block));
    const fileTests: DiscoveredTest[] = [];
    for (const handler of request.handlers) {
      if (handler.kind === 'script') tests.push(...scriptTests(document, handler));
      else if (readScriptFile !== undefined) fileTests.push(...fileHandlerTests(handler, readScriptFile));
    }
    for (const line of request.assertions) {
      const test = assertionTest(document, line);
      if (test !== undefined) tests.push(test);
    }
    tests.sort((a, b) => a.line - b.line || a.character - b.character);
    // A handler file's tests come after the document's own, in the order the file runs them.
    found.push({ label: requestLabel(request), line: offsetToPosition(document, request.start).line, tests: [...tests, ...fileTests], hasHandlers: request.handlers.length > 0 || blocks.length > 0 });
  }
  return found;
}

/** How a request is shown: its name, else `METHOD target` as written. */
export function requestLabel(request: Request): string {
  return request.name?.text ?? `${request.methodName} ${request.target.text}`;
}

/** The test the engine reports for a `??` line (`assertionName`); undefined for a malformed line, which the parser reports. */
export function assertionTestName(line: AssertionLine): string | undefined {
  const assertion = line.parsed.assertion;
  return assertion === undefined ? undefined : assertionName(assertion);
}

function assertionTest(document: HttpDocument, line: AssertionLine): DiscoveredTest | undefined {
  const name = assertionTestName(line);
  if (name === undefined) return undefined;
  const marker = line.text.indexOf('??');
  const position = offsetToPosition(document, line.start + Math.max(0, marker));
  return { name, kind: 'assertion', line: position.line, character: position.character };
}

function scriptTests(document: HttpDocument, handler: ScriptHandler): DiscoveredTest[] {
  return literalTestCalls(handler.script.text).map(({ name, offset }) => {
    const position = offsetToPosition(document, handler.script.start + offset);
    return { name, kind: 'script', line: position.line, character: position.character };
  });
}

/** httpYac's `test("literal", ...)` calls in a `{{` block. */
function blockTests(document: HttpDocument, block: ScriptBlock): DiscoveredTest[] {
  return literalTestCalls(block.script.text, 'test').map(({ name, offset }) => {
    const position = offsetToPosition(document, block.script.start + offset);
    return { name, kind: 'script', line: position.line, character: position.character };
  });
}

function fileHandlerTests(handler: FileHandler, readScriptFile: ReadScriptFile): DiscoveredTest[] {
  const written = handler.path.text;
  // A path made of variables is known only when sent.
  if (written.includes('{{')) return [];
  const script = readScriptFile(written);
  if (script === undefined) return [];
  const starts = lineStarts(script.text);
  return literalTestCalls(script.text).map(({ name, offset }) => {
    const line = lineAt(starts, offset);
    return { name, kind: 'script', line, character: offset - starts[line], file: script.path };
  });
}

const testCalls = { 'client.test': /client\s*\.\s*test\s*\(\s*/y, test: /test\s*\(\s*/y } as const;

/**
 * `client.test(<literal>, ...)` calls in a script, with the literal's value and the call's offset.
 * A scan, not a parse: comments and strings are stepped over so a call written inside them does
 * not count; a name that is not a plain literal (a variable, a template with `${}`, `"item " + n`)
 * is left out.
 */
export function literalTestCalls(script: string, callee: keyof typeof testCalls = 'client.test'): { readonly name: string; readonly offset: number }[] {
  const calls: { name: string; offset: number }[] = [];
  const testCall = testCalls[callee];
  const first = callee.charAt(0);
  let index = 0;
  while (index < script.length) {
    const char = script[index];
    if (char === '/' && script[index + 1] === '/') {
      const end = script.indexOf('\n', index);
      index = end < 0 ? script.length : end + 1;
    } else if (char === '/' && script[index + 1] === '*') {
      const end = script.indexOf('*/', index + 2);
      index = end < 0 ? script.length : end + 2;
    } else if (char === '"' || char === "'" || char === '`') {
      index = readString(script, index).end;
    } else if (char === first && !isIdentifierChar(script[index - 1]) && !precededByDot(script, index)) {
      testCall.lastIndex = index;
      const call = testCall.exec(script);
      if (call === null) {
        index++;
        continue;
      }
      const literalStart = index + call[0].length;
      const quote = script[literalStart];
      if (quote === '"' || quote === "'" || quote === '`') {
        const literal = readString(script, literalStart);
        // `"item " + n` is a computed name: the literal must be the whole first argument.
        const after = /\s*([,)])/y;
        after.lastIndex = literal.end;
        if (literal.value !== undefined && after.test(script)) calls.push({ name: literal.value, offset: index });
        index = literal.end;
      } else {
        index = literalStart;
      }
    } else {
      index++;
    }
  }
  return calls;
}

/** A string literal starting at `start` (its quote): its end, and its value when it is plain (closed, and for a template without `${}`). */
function readString(script: string, start: number): { readonly end: number; readonly value: string | undefined } {
  const quote = script[start];
  let value = '';
  let plain = true;
  let index = start + 1;
  while (index < script.length) {
    const char = script[index];
    if (char === '\\') {
      const escaped = script[index + 1];
      value += escapes[escaped] ?? escaped ?? '';
      index += 2;
      continue;
    }
    if (char === quote) return { end: index + 1, value: plain ? value : undefined };
    if (quote !== '`' && char === '\n') return { end: index, value: undefined };
    if (quote === '`' && char === '$' && script[index + 1] === '{') {
      plain = false;
      index = skipSubstitution(script, index + 2);
      continue;
    }
    value += char;
    index++;
  }
  return { end: script.length, value: undefined };
}

const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v' };

/** Past the `}` that closes a template's `${`, counting braces and stepping over strings inside. */
function skipSubstitution(script: string, start: number): number {
  let depth = 1;
  let index = start;
  while (index < script.length && depth > 0) {
    const char = script[index];
    if (char === '"' || char === "'" || char === '`') {
      index = readString(script, index).end;
      continue;
    }
    if (char === '{') depth++;
    else if (char === '}') depth--;
    index++;
  }
  return index;
}

function isIdentifierChar(char: string | undefined): boolean {
  return char !== undefined && /[\w$]/.test(char);
}

/** `x.client.test(...)` is some other object's `client`. */
function precededByDot(script: string, index: number): boolean {
  let before = index - 1;
  while (before >= 0 && /\s/.test(script[before])) before--;
  return script[before] === '.';
}

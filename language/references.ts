// `{{ ... }}` references: where they are, and what they name.
//
// A reference never spans lines: an unterminated `{{` ends at its line's end, so
// one typo cannot swallow the rest of the document. What a reference names is
// decided from its text alone (see `ReferenceTarget` in syntax.ts).

import { Code } from './codes';
import { isNamePart, isNameStart, isWhitespace, recentTextSlot, recentTextSlots, sameCharacters, scanName, trimEnd } from './scanner';
import type { ReferenceTarget, SyntaxProblem, VariableReference } from './syntax';
import { Ref, type SharedTarget, Table } from './syntaxTables';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The one empty list of a tree: most nodes have no references, comments or handlers. Read-only
 * by its type, not frozen: V8 does not inline `for...of` over a frozen array, so a walk over a
 * tree that mixed it with ordinary lists allocated an iterator per loop and a result per item
 * (2.6 MB and 6.3 ms per walk of the 20,000-request corpus's references; 0.01 MB and 1.7 ms).
 */
export const empty: readonly never[] = [];

const invalid: ReferenceTarget = Object.freeze({ kind: 'invalid' });

/**
 * Every `{{ ... }}` in `text[start, end)`, in order, as objects (for texts outside a parse:
 * variable values, environment values). Problems (unterminated or invalid references) are
 * appended to `problems`.
 */
export function scanReferences(text: string, start: number, end: number, problems: SyntaxProblem[]): readonly VariableReference[] {
  const refs = new Table(Ref.size, 4);
  const targets: SharedTarget[] = [];
  const count = scanReferencesInto(refs, targets, text, start, end, problems, noSharing);
  if (count === 0) return empty;
  const references: VariableReference[] = [];
  for (let index = 0; index < count; index++) {
    const at = index * Ref.size;
    references.push(referenceView(refs.data, at, targets, text.slice(refs.data[at + Ref.expressionStart], refs.data[at + Ref.expressionEnd])));
  }
  return references;
}

/**
 * Appends a record to `refs` for every `{{ ... }}` in `text[start, end)`, in order, and returns
 * how many. What each names is added to `targets` when new (see `ReferenceSharing`); problems
 * (unterminated or invalid references) are appended to `problems`.
 */
export function scanReferencesInto(
  refs: Table,
  targets: SharedTarget[],
  text: string,
  start: number,
  end: number,
  problems: SyntaxProblem[],
  sharing: ReferenceSharing,
): number {
  let open = sharing.findOpen(text, start, end);
  let count = 0;
  while (open !== -1) {
    // One pass from the braces to the first `}}`, stopping at the line's end: a reference never
    // spans lines. (Finding the line's end first, then `}}`, read each request line once per reference.)
    let close = -1;
    let offset = open + 2;
    for (; offset < end; offset++) {
      const code = text.charCodeAt(offset);
      if (code === LF || code === CR) break;
      if (code === CLOSE_BRACE && offset + 1 < end && text.charCodeAt(offset + 1) === CLOSE_BRACE) {
        close = offset;
        break;
      }
    }
    const terminated = close !== -1;
    // Trailing blanks are not part of an unterminated reference: the same whether
    // the line is scanned alone (a header piece, trimmed) or within a larger range.
    const referenceEnd = terminated ? close + 2 : trimEnd(text, open + 2, offset);
    addReference(refs, targets, text, open, terminated ? close : referenceEnd, referenceEnd, terminated, problems, sharing);
    count++;
    open = sharing.findOpen(text, referenceEnd, end);
  }
  return count;
}

/** The reference recorded at `at` in `refs` (a `Table` of `Ref` records), as an object; `expression` is its text. */
export function referenceView(refs: ArrayLike<number>, at: number, targets: readonly SharedTarget[], expression: string): VariableReference {
  const expressionStart = refs[at + Ref.expressionStart];
  const expressionEnd = refs[at + Ref.expressionEnd];
  const shared = targets[refs[at + Ref.target]];
  // Shared by every reference with the same expression: the span of the name is this one's.
  const target: ReferenceTarget = shared.kind === 'request' ? { ...shared, requestNameSpan: { start: expressionStart, end: expressionStart + shared.requestName.length } } : shared;
  return {
    start: refs[at + Ref.start],
    end: refs[at + Ref.end],
    expression,
    expressionStart,
    expressionEnd,
    terminated: refs[at + Ref.terminated] === 1,
    target,
  };
}

/**
 * What references of one parse share: what an expression names is worked out once per
 * distinct expression (large documents repeat the same few references thousands of times).
 */
export interface ReferenceSharing {
  /** Index in `targets` of what `text[start, end)` names, adding it when new. */
  targetOf(text: string, start: number, end: number, targets: SharedTarget[]): number;
  /** Offset of the first `{{` in `[from, end)`, or -1. */
  findOpen(text: string, from: number, end: number): number;
}

/** For `scanReferences`, which makes a new `targets` list per call. */
const noSharing: ReferenceSharing = {
  targetOf: (text, start, end, targets) => targets.push(classifyReference(text.slice(start, end), start)) - 1,
  // Bounded to `[from, end)`: an unbounded `indexOf` per template would rescan the rest of the text.
  findOpen: (text, from, end) => findPair(text, OPEN_BRACE, from, end),
};

/** Sharing for one parse of a text of `textLength` characters; dropped with the parser, so nothing outlives the document. */
export function newReferenceSharing(textLength: number): ReferenceSharing {
  return new ParseSharing(textLength);
}

/**
 * Sharing for a parse. A class, not closures made per parse: optimised code that called one
 * parse's closures was thrown away once they were collected, and compiled again on every parse.
 */
class ParseSharing implements ReferenceSharing {
  /** Keeps this class's hidden class alive between parses (see `DocumentParser.shapeKeeper`). */
  static readonly shapeKeeper: ParseSharing = new ParseSharing(0);

  /** A direct-mapped cache of recent expressions: where one was, its length and its target. */
  private readonly recentStarts: Int32Array;
  private readonly recentLengths: Int32Array;
  private readonly recentTargets: Int32Array;
  private readonly mask: number;
  private readonly byExpression = new Map<string, number>();
  /** Where `findOpen` last searched from, and the `{{` it found there (-1: none; -2: not searched yet). */
  private searchedFrom = 0;
  private next = -2;

  constructor(textLength: number) {
    const slots = recentTextSlots(textLength);
    this.mask = slots - 1;
    this.recentStarts = new Int32Array(slots);
    this.recentLengths = new Int32Array(slots).fill(-1);
    this.recentTargets = new Int32Array(slots);
  }

  /**
   * Recent expressions are found again by their characters, compared in place, so a repeated
   * `{{token}}` costs neither a copy of its text nor a map lookup; others by their text in a map.
   */
  targetOf(text: string, start: number, end: number, targets: SharedTarget[]): number {
    const length = end - start;
    const slot = recentTextSlot(text, start, end, this.mask);
    if (this.recentLengths[slot] === length && sameCharacters(text, start, this.recentStarts[slot], length)) return this.recentTargets[slot];
    const expression = text.slice(start, end);
    let index = this.byExpression.get(expression);
    if (index === undefined) {
      index = targets.push(classifyReference(expression, start)) - 1;
      this.byExpression.set(expression, index);
    }
    this.recentStarts[slot] = start;
    this.recentLengths[slot] = length;
    this.recentTargets[slot] = index;
    return index;
  }

  /**
   * A parse asks about ranges mostly in increasing order: `indexOf` (much faster than a loop
   * over char codes) finds the next `{{` once, and the answer is reused for every range before
   * it, so the text is searched once. A range before the last search (a multipart part re-read)
   * is searched on its own, bounded, so it cannot send `indexOf` across the rest of the text.
   */
  findOpen(text: string, from: number, end: number): number {
    if (from < this.searchedFrom) return findPair(text, OPEN_BRACE, from, end);
    if (this.next === -2 || (this.next !== -1 && this.next < from)) {
      this.searchedFrom = from;
      this.next = text.indexOf('{{', from);
    }
    return this.next !== -1 && this.next + 2 <= end ? this.next : -1;
  }
}

/** Offset of the first `code code` pair (`{{`) inside `[from, to)`, or -1. */
function findPair(text: string, code: number, from: number, to: number): number {
  for (let offset = from; offset + 1 < to; offset++) {
    if (text.charCodeAt(offset) === code && text.charCodeAt(offset + 1) === code) return offset;
  }
  return -1;
}

function addReference(
  refs: Table,
  targets: SharedTarget[],
  text: string,
  open: number,
  innerEnd: number,
  end: number,
  terminated: boolean,
  problems: SyntaxProblem[],
  sharing: ReferenceSharing,
): void {
  let expressionStart = open + 2;
  let expressionEnd = innerEnd;
  while (expressionStart < expressionEnd && isWhitespace(text.charCodeAt(expressionStart))) expressionStart++;
  while (expressionEnd > expressionStart && isWhitespace(text.charCodeAt(expressionEnd - 1))) expressionEnd--;
  const index = sharing.targetOf(text, expressionStart, expressionEnd, targets);
  const target = targets[index];
  if (!terminated) {
    const expression = text.slice(expressionStart, expressionEnd);
    problems.push({
      start: open,
      end,
      code: Code.VariableUnterminated,
      message: `'{{${expression}' is not closed: add '}}' after the ${expression === '' ? 'variable name' : `'${expression}'`} on the same line.`,
      severity: 'error',
    });
  } else if (target.kind === 'invalid') {
    const expression = text.slice(expressionStart, expressionEnd);
    const foreign = isForeignExpression(expression);
    problems.push(foreign ? {
      start: expressionStart,
      end: expressionEnd,
      code: Code.VariableUnsupported,
      message: foreignExpressionMessage(expression),
      severity: 'warning',
    } : {
      start: expression === '' ? open : expressionStart,
      end: expression === '' ? end : expressionEnd,
      code: Code.VariableInvalid,
      message: invalidMessage(expression),
      severity: 'error',
    });
  }
  const at = refs.add();
  const data = refs.data;
  data[at + Ref.start] = open;
  data[at + Ref.end] = end;
  data[at + Ref.expressionStart] = expressionStart;
  data[at + Ref.expressionEnd] = expressionEnd;
  data[at + Ref.terminated] = terminated ? 1 : 0;
  data[at + Ref.target] = index;
}

/**
 * Whether `expression`, which names nothing Courier knows, is another tool's: httpYac and kulala
 * evaluate JavaScript between the braces (`{{users[*].name}}`, `{{keycloak.access_token}}`,
 * `{{6 + index}}`). What starts as Courier's own request reference and lacks its path
 * (`{{login.response.body}}`) is a mistake in Courier's form, and so is what starts with neither
 * a name nor a digit.
 */
function isForeignExpression(expression: string): boolean {
  const first = expression.charCodeAt(0);
  if (!(isNameStart(first) || (first >= 0x30 && first <= 0x39))) return false;
  return !requestReferenceWithoutPath.test(expression);
}

const requestReferenceWithoutPath = /^[A-Za-z_][\w-]*\.(?:response|request)\.(?:body|headers)$/;

/**
 * httpYac and kulala evaluate what is between the braces as JavaScript or a path
 * (`{{users[*].name}}`, `{{token.split('.')[1]}}`): valid there, but Courier does not evaluate it.
 */
function foreignExpressionMessage(expression: string): string {
  return (
    `Courier cannot resolve '{{${expression}}}', an expression other tools (httpYac, kulala) evaluate: sending this request fails here. ` +
    "Courier resolves names ('{{host}}'), system variables ('{{$uuid}}') and request values ('{{login.response.body.$.users[0].name}}')."
  );
}

function invalidMessage(expression: string): string {
  if (expression === '') return "Empty reference '{{}}': write a variable name between the braces, e.g. '{{host}}'.";
  if (expression === '$') return "'{{$}}' names no system variable: write one after the '$', e.g. '{{$uuid}}'.";
  const requestForm = /^([^.]+)\.(response|request)\.(body|headers)$/.exec(expression);
  if (requestForm !== null) {
    const example = requestForm[3] === 'body' ? 'body.$.id' : 'headers.Location';
    return `'{{${expression}}}' is missing what to take from the ${requestForm[2]}: add a path, e.g. '{{${requestForm[1]}.${requestForm[2]}.${example}}}'.`;
  }
  return (
    `'{{${expression}}}' is not a variable name, a system variable or a request reference: ` +
    "write a name like '{{host}}', '{{$uuid}}' or '{{login.response.body.$.token}}'."
  );
}

/**
 * What `expression` (the trimmed text between the braces) names. `expressionStart`
 * is its offset in the document, used for the span of a request name.
 */
export function classifyReference(expression: string, expressionStart: number): ReferenceTarget {
  const length = expression.length;
  if (length === 0) return invalid;
  if (expression.charCodeAt(0) === 0x24 /* $ */) return classifySystem(expression);
  const nameEnd = scanName(expression, 0, length);
  if (nameEnd === length) return { kind: 'variable', name: expression };
  if (nameEnd === 0 || expression.charCodeAt(nameEnd) !== 0x2e /* . */) return invalid;
  return classifyRequest(expression, nameEnd, expressionStart);
}

function classifySystem(expression: string): ReferenceTarget {
  // The name runs to the first whitespace, so `$random.alphabetic(10)` stays whole.
  let nameEnd = 1;
  while (nameEnd < expression.length && !isWhitespace(expression.charCodeAt(nameEnd))) nameEnd++;
  if (nameEnd === 1) return invalid;
  const name = expression.slice(0, nameEnd);
  const args = splitArguments(expression, nameEnd);
  return { kind: 'system', name, args: args.length === 0 ? empty : args };
}

/**
 * Arguments separated by whitespace. A quoted argument (`"DD MM YYYY"`, `'a b'`)
 * may contain whitespace; its quotes are removed.
 */
function splitArguments(expression: string, from: number): string[] {
  const args: string[] = [];
  let offset = from;
  const length = expression.length;
  while (offset < length) {
    while (offset < length && isWhitespace(expression.charCodeAt(offset))) offset++;
    if (offset >= length) break;
    const quote = expression.charCodeAt(offset);
    if (quote === 0x22 /* " */ || quote === 0x27 /* ' */) {
      const closing = expression.indexOf(String.fromCharCode(quote), offset + 1);
      if (closing !== -1) {
        args.push(expression.slice(offset + 1, closing));
        offset = closing + 1;
        continue;
      }
    }
    const start = offset;
    while (offset < length && !isWhitespace(expression.charCodeAt(offset))) offset++;
    args.push(expression.slice(start, offset));
  }
  return args;
}

const requestParts = [
  { prefix: '.response.body.', source: 'response', part: 'body' },
  { prefix: '.response.headers.', source: 'response', part: 'headers' },
  { prefix: '.request.body.', source: 'request', part: 'body' },
  { prefix: '.request.headers.', source: 'request', part: 'headers' },
] as const;

/** `.response.headers['Date']` (httpYac's and kulala's form): the header name between quotes and brackets. */
const bracketedHeaderPattern = /^\.(response|request)\.headers\[(["'])([^"'\]]+)\2\]$/;

function classifyRequest(expression: string, nameEnd: number, expressionStart: number): ReferenceTarget {
  const bracketed = bracketedHeaderPattern.exec(expression.slice(nameEnd));
  if (bracketed !== null) {
    return {
      kind: 'request',
      requestName: expression.slice(0, nameEnd),
      requestNameSpan: { start: expressionStart, end: expressionStart + nameEnd },
      source: bracketed[1] === 'response' ? 'response' : 'request',
      part: 'headers',
      path: bracketed[3],
    };
  }
  for (const { prefix, source, part } of requestParts) {
    if (!expression.startsWith(prefix, nameEnd)) continue;
    const path = expression.slice(nameEnd + prefix.length);
    if (path === '' || isWhitespace(path.charCodeAt(0))) return invalid;
    return {
      kind: 'request',
      requestName: expression.slice(0, nameEnd),
      requestNameSpan: { start: expressionStart, end: expressionStart + nameEnd },
      source,
      part,
      path,
    };
  }
  return invalid;
}

/** Whether `name` can be referenced as `{{name}}` or `{{name.response...}}`. */
export function isReferenceableName(name: string): boolean {
  if (name.length === 0 || !isNameStart(name.charCodeAt(0))) return false;
  for (let index = 1; index < name.length; index++) {
    if (!isNamePart(name.charCodeAt(index))) return false;
  }
  return true;
}

// A small JSON parser that keeps offsets, so problems in JSON bodies and env files
// point at the exact character. `JSON.parse` cannot: Node 20's messages often omit
// the position. It stops at the first error, which is all a diagnostic needs.

import type { Span } from './syntax';

export type JsonNode = JsonObject | JsonArray | JsonScalar | JsonTemplate;

export interface JsonObject extends Span {
  readonly kind: 'object';
  readonly properties: readonly JsonProperty[];
}

export interface JsonProperty extends Span {
  readonly key: JsonString;
  readonly value: JsonNode;
}

export interface JsonArray extends Span {
  readonly kind: 'array';
  readonly items: readonly JsonNode[];
}

export interface JsonString extends Span {
  readonly kind: 'string';
  readonly value: string;
}

export type JsonScalar =
  | JsonString
  | (Span & { readonly kind: 'number'; readonly value: number })
  | (Span & { readonly kind: 'boolean'; readonly value: boolean })
  | (Span & { readonly kind: 'null' });

/** `{{ ... }}` standing for a value, allowed in request bodies where variables are substituted before sending. */
export interface JsonTemplate extends Span {
  readonly kind: 'template';
}

export interface JsonError extends Span {
  readonly message: string;
}

export interface JsonParseResult {
  /** The value, when the text parsed without error. */
  readonly root: JsonNode | undefined;
  readonly error: JsonError | undefined;
}

export interface JsonParseOptions {
  /** Accept `{{ ... }}` wherever a value may stand (request bodies). */
  readonly allowTemplates?: boolean;
}

/** Deep enough for any real body; deeper input would overflow the stack. */
const maxDepth = 500;

/**
 * Unwinds the reader from the first error to `read`, which copies it into a `JsonError`. The one
 * instance is thrown every time: constructing an Error captures a stack trace, which was half
 * the cost of checking a broken body (3 of 6 us), and this one never leaves `read`.
 */
class JsonSyntaxError extends Error {
  static readonly instance = new JsonSyntaxError();

  start = 0;
  end = 0;
}

/** Parses `text` as one JSON value (surrounding whitespace allowed); never throws. */
export function parseJson(text: string, options: JsonParseOptions = {}): JsonParseResult {
  return read(new JsonReader(text, options.allowTemplates === true, true));
}

/**
 * The first syntax error in `text`, as `parseJson` reports it, or undefined when it is valid
 * JSON. Builds no tree (no string values, no property or item lists): diagnostics check every
 * JSON body of large documents and need only the verdict.
 */
export function findJsonError(text: string, options: JsonParseOptions = {}): JsonError | undefined {
  // Most bodies are valid JSON, and `JSON.parse` says so at native speed even in a fresh process,
  // where V8 still runs the reader below unoptimised (a server's first pass over a large file).
  if (text.length <= nativeCheckLimit && isValidJson(text)) return undefined;
  return read(new JsonReader(text, options.allowTemplates === true, false)).error;
}

/**
 * The longest text `JSON.parse` may judge for `findJsonError`: they accept the same texts except
 * those nested deeper than `maxDepth`, which take an opening and a closing bracket per level.
 */
const nativeCheckLimit = 2 * maxDepth;

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function read(reader: JsonReader): JsonParseResult {
  try {
    reader.skipWhitespace();
    const root = reader.readValue(0);
    reader.skipWhitespace();
    if (reader.offset < reader.text.length) reader.fail(reader.offset, reader.offset + 1, 'Unexpected text after the JSON value; remove it or wrap both values in an array.');
    return { root, error: undefined };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { root: undefined, error: { start: error.start, end: error.end, message: error.message } };
    throw error;
  }
}

class JsonReader {
  /**
   * A reader's hidden class comes from adding its fields one at a time, and stays alive only
   * while some reader does: once the last one is collected, a full GC frees it and V8 throws
   * away every optimised reader method ("weak objects" deopts), after each GC between two
   * diagnostic passes over a large document. This idle reader lives as long as the module.
   */
  static readonly shapeKeeper: JsonReader = new JsonReader('', false, false);

  offset = 0;

  constructor(
    readonly text: string,
    private readonly allowTemplates: boolean,
    /** False when only the verdict matters: strings keep no value, containers no children. */
    private readonly buildTree: boolean,
  ) {}

  fail(start: number, end: number, message: string): never {
    const error = JsonSyntaxError.instance;
    error.start = start;
    error.end = Math.min(Math.max(end, start), this.text.length);
    error.message = message;
    throw error;
  }

  skipWhitespace(): void {
    const text = this.text;
    let offset = this.offset;
    while (offset < text.length) {
      const code = text.charCodeAt(offset);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      offset++;
    }
    this.offset = offset;
  }

  readValue(depth: number): JsonNode {
    if (depth > maxDepth) this.fail(this.offset, this.offset + 1, `JSON is nested more than ${maxDepth} levels deep.`);
    const start = this.offset;
    // Char codes, not one-character strings: every value of every JSON body goes through here.
    const code = this.text.charCodeAt(start);
    switch (code) {
      case 0x7b /* { */:
        if (this.allowTemplates && this.text.charCodeAt(start + 1) === 0x7b) return this.readTemplate();
        return this.readObject(depth);
      case 0x5b /* [ */:
        return this.readArray(depth);
      case 0x22 /* " */:
        return this.readString();
      case 0x74 /* t */:
        this.readLiteral('true');
        return this.buildTree ? { kind: 'boolean', value: true, start, end: this.offset } : unbuiltScalar;
      case 0x66 /* f */:
        this.readLiteral('false');
        return this.buildTree ? { kind: 'boolean', value: false, start, end: this.offset } : unbuiltScalar;
      case 0x6e /* n */:
        this.readLiteral('null');
        return this.buildTree ? { kind: 'null', start, end: this.offset } : unbuiltScalar;
      default:
        if (Number.isNaN(code)) return this.fail(start, start, 'Unexpected end of JSON: a value is missing.');
        if (code === 0x2d /* - */ || isDigit(code)) return this.readNumber();
        return this.fail(start, this.wordEnd(start), `Unexpected ${describe(this.text.slice(start, this.wordEnd(start)))}: expected a JSON value (object, array, string, number, true, false or null).`);
    }
  }

  private wordEnd(start: number): number {
    let end = start + 1;
    while (end < this.text.length && /[\w$.-]/.test(this.text[end] ?? '')) end++;
    return end;
  }

  private readLiteral(word: string): void {
    if (!this.text.startsWith(word, this.offset)) {
      const end = this.wordEnd(this.offset);
      this.fail(this.offset, end, `Unexpected ${describe(this.text.slice(this.offset, end))}: did you mean ${word}? Strings need double quotes.`);
    }
    this.offset += word.length;
  }

  private readTemplate(): JsonTemplate {
    const start = this.offset;
    const close = this.text.indexOf('}}', start + 2);
    const lineEnd = this.text.indexOf('\n', start);
    if (close < 0 || (lineEnd >= 0 && close > lineEnd)) this.fail(start, lineEnd < 0 ? this.text.length : lineEnd, 'Unterminated {{ reference: close it with }}.');
    this.offset = close + 2;
    return this.buildTree ? { kind: 'template', start, end: this.offset } : unbuiltTemplate;
  }

  private readObject(depth: number): JsonObject {
    const text = this.text;
    const start = this.offset;
    this.offset++;
    const properties: JsonProperty[] | undefined = this.buildTree ? [] : undefined;
    this.skipWhitespace();
    if (text.charCodeAt(this.offset) === 0x7d /* } */) {
      this.offset++;
      return properties === undefined ? unbuiltObject : { kind: 'object', start, end: this.offset, properties };
    }
    for (;;) {
      this.skipWhitespace();
      if (text.charCodeAt(this.offset) !== 0x22 /* " */) {
        if (text.charCodeAt(this.offset) === 0x7d /* } */) this.fail(this.offset, this.offset + 1, 'Trailing comma in object: remove the comma before }.');
        if (this.offset >= text.length) this.fail(start, start + 1, 'Unterminated object: add the closing }.');
        this.fail(this.offset, this.wordEnd(this.offset), 'Expected a property name in double quotes.');
      }
      const keyStart = this.offset;
      const key = this.readString();
      this.skipWhitespace();
      if (text.charCodeAt(this.offset) !== 0x3a /* : */) this.fail(this.offset, this.offset + 1, `Expected ':' after property name ${JSON.stringify(this.stringValue(key, keyStart))}.`);
      this.offset++;
      this.skipWhitespace();
      const value = this.readValue(depth + 1);
      properties?.push({ start: key.start, end: value.end, key, value });
      this.skipWhitespace();
      const next = text.charCodeAt(this.offset);
      if (next === 0x2c /* , */) {
        this.offset++;
        continue;
      }
      if (next === 0x7d /* } */) {
        this.offset++;
        return properties === undefined ? unbuiltObject : { kind: 'object', start, end: this.offset, properties };
      }
      if (Number.isNaN(next)) this.fail(start, start + 1, 'Unterminated object: add the closing }.');
      this.fail(this.offset, this.offset + 1, `Expected ',' or '}' after a property value, found ${describe(text.charAt(this.offset))}.`);
    }
  }

  private readArray(depth: number): JsonArray {
    const text = this.text;
    const start = this.offset;
    this.offset++;
    const items: JsonNode[] | undefined = this.buildTree ? [] : undefined;
    this.skipWhitespace();
    if (text.charCodeAt(this.offset) === 0x5d /* ] */) {
      this.offset++;
      return items === undefined ? unbuiltArray : { kind: 'array', start, end: this.offset, items };
    }
    for (;;) {
      this.skipWhitespace();
      if (text.charCodeAt(this.offset) === 0x5d /* ] */) this.fail(this.offset, this.offset + 1, 'Trailing comma in array: remove the comma before ].');
      const item = this.readValue(depth + 1);
      items?.push(item);
      this.skipWhitespace();
      const next = text.charCodeAt(this.offset);
      if (next === 0x2c /* , */) {
        this.offset++;
        continue;
      }
      if (next === 0x5d /* ] */) {
        this.offset++;
        return items === undefined ? unbuiltArray : { kind: 'array', start, end: this.offset, items };
      }
      if (Number.isNaN(next)) this.fail(start, start + 1, 'Unterminated array: add the closing ].');
      this.fail(this.offset, this.offset + 1, `Expected ',' or ']' after an array item, found ${describe(text.charAt(this.offset))}.`);
    }
  }

  private readString(): JsonString {
    const text = this.text;
    const start = this.offset;
    let offset = start + 1;
    let value = '';
    let chunkStart = offset;
    for (;;) {
      const code = text.charCodeAt(offset);
      if (Number.isNaN(code) || code === 0x0a || code === 0x0d) this.fail(start, offset, 'Unterminated string: add the closing double quote.');
      if (code === 0x22) break;
      if (code < 0x20) this.fail(offset, offset + 1, 'Control characters must be escaped in JSON strings (use \\t or \\n).');
      if (code === 0x5c) {
        if (this.buildTree) value += text.slice(chunkStart, offset);
        const escape = text[offset + 1];
        const simple = escape === undefined ? undefined : simpleEscapes[escape];
        if (simple !== undefined) {
          if (this.buildTree) value += simple;
          offset += 2;
        } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(offset + 2, offset + 6))) {
          if (this.buildTree) value += String.fromCharCode(parseInt(text.slice(offset + 2, offset + 6), 16));
          offset += 6;
        } else {
          this.fail(offset, offset + 2, `Invalid escape ${describe(text.slice(offset, offset + 2))} in string.`);
        }
        chunkStart = offset;
        continue;
      }
      offset++;
    }
    this.offset = offset + 1;
    if (!this.buildTree) return unbuiltString;
    value += text.slice(chunkStart, offset);
    return { kind: 'string', start, end: this.offset, value };
  }

  /** The value of the string read at `start` (read again when the tree keeps no values). */
  private stringValue(node: JsonString, start: number): string {
    if (this.buildTree) return node.value;
    const reader = new JsonReader(this.text, this.allowTemplates, true);
    reader.offset = start;
    return reader.readString().value;
  }

  private readNumber(): JsonScalar {
    const start = this.offset;
    jsonNumber.lastIndex = start;
    const found = jsonNumber.exec(this.text);
    const end = found === null ? start : start + found[0].length;
    if (found === null || found[0] === '-' || isWordOrDot(this.text.charCodeAt(end))) {
      this.fail(start, this.wordEnd(start), `Invalid number ${describe(this.text.slice(start, this.wordEnd(start)))}.`);
    }
    this.offset = end;
    return this.buildTree ? { kind: 'number', value: Number(this.text.slice(start, end)), start, end } : unbuiltScalar;
  }
}

/** A JSON number at `lastIndex` (sticky): one regular expression for every number, not one per number. */
const jsonNumber = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** `/[\w.]/` for a char code (NaN past the end is neither). */
function isWordOrDot(code: number): boolean {
  const lower = code | 0x20;
  return isDigit(code) || (lower >= 0x61 && lower <= 0x7a) || code === 0x5f /* _ */ || code === 0x2e /* . */;
}

/** What values read as when no tree is built: checking JSON bodies allocates no node per value. */
const unbuiltString: JsonString = Object.freeze({ kind: 'string', start: 0, end: 0, value: '' });
const unbuiltScalar: JsonScalar = Object.freeze({ kind: 'null', start: 0, end: 0 });
const unbuiltTemplate: JsonTemplate = Object.freeze({ kind: 'template', start: 0, end: 0 });
const unbuiltObject: JsonObject = Object.freeze({ kind: 'object', start: 0, end: 0, properties: [] });
const unbuiltArray: JsonArray = Object.freeze({ kind: 'array', start: 0, end: 0, items: [] });

const simpleEscapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function describe(fragment: string): string {
  return fragment.length === 0 ? 'end of input' : `'${fragment.length > 20 ? `${fragment.slice(0, 20)}…` : fragment}'`;
}

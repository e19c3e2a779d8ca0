// The `.http` parser: lines in, syntax tree out (see syntax.ts for the contract).
//
// The grammar is line-oriented, so the parser is a small recursive descent over
// lines: document -> blocks (split at `###`) -> preamble (comments, directives,
// variables) -> request line -> headers -> body -> response handlers. Each step
// consumes whole lines and hands the rest on; malformed lines become nodes plus
// problems, never exceptions, so every keystroke yields a usable tree.

import { Code } from './codes';
import { empty, exactly, newReferenceSharing, scanReferences } from './references';
import {
  commentMarkerLength,
  firstNonTokenCharacter,
  isBlank,
  isSeparator,
  isToken,
  isWhitespace,
  type LineTable,
  scanLines,
  scanName,
  scanWord,
  skipNonWhitespace,
  skipWhitespace,
  startsWithScheme,
  trimEnd,
} from './scanner';
import type {
  Block,
  Body,
  BodyPart,
  Comment,
  Directive,
  GraphqlBody,
  Header,
  HttpDocument,
  MultipartBody,
  MultipartPart,
  OutputRedirect,
  Request,
  RequestTarget,
  ResponseHandler,
  ResponseReference,
  Separator,
  Span,
  SyntaxProblem,
  Template,
  Token,
  VariableDefinition,
  VariableReference,
} from './syntax';

/** Parses a `.http` document. Never throws; malformed input yields nodes plus `problems`. */
export function parse(text: string): HttpDocument {
  return new DocumentParser(text).parseDocument();
}

/**
 * Methods that alone on a line are a request missing its target (`GET`), not a
 * target named `GET`. Other single words are targets (`example.com`).
 */
const wellKnownMethods = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY', 'GRAPHQL',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT',
]);

const graphqlOperationPattern = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** Longer texts are rarely repeated, and V8 slices them without copying. */
const internedLength = 32;
/** Powers of two, for the cache of recent short texts: small texts (a block re-parsed after an edit) need few slots. */
const maxRecentTextSlots = 1024;
const minRecentTextSlots = 64;

const GREATER = 0x3e;
const LESS = 0x3c;
const AT = 0x40;
const EQUALS = 0x3d;
const COLON = 0x3a;
const QUESTION = 0x3f;
const AMPERSAND = 0x26;
const SLASH = 0x2f;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const PERCENT = 0x25;
const EXCLAMATION = 0x21;
const MINUS = 0x2d;
const ASTERISK = 0x2a;

const referenceCodes: ReadonlySet<string> = new Set([Code.VariableUnterminated, Code.VariableInvalid]);

/** What a line at column 0 in a body or after headers starts, when it is not body text. */
type TrailerKind = 'script' | 'handler-file' | 'redirect' | 'response-reference';

class DocumentParser {
  /**
   * V8 gives a parser its hidden class by adding the fields below one at a time, and
   * every class after the first stays alive only while some parser does. Once a parse
   * ends, a full GC therefore frees them, and V8 throws away all optimised parser
   * code, which checks `this` against them ("weak objects" deopts: 17 in 20 runs of
   * parse.bench). This idle parser of the empty text lives as long as the module,
   * so the classes, and the optimised code, survive from one parse to the next.
   */
  static readonly shapeKeeper: DocumentParser = new DocumentParser('');

  private readonly lines: LineTable;
  private readonly problems: SyntaxProblem[] = [];
  /**
   * Arrays reused while collecting a node's children, which are then copied out
   * exactly sized (see `exactly`): one growing array per node would be garbage.
   * Each is used by one step at a time; steps that nest use different ones.
   */
  private readonly scratch = {
    comments: [] as Comment[],
    directives: [] as Directive[],
    variables: [] as VariableDefinition[],
    pieces: [] as Span[],
    headers: [] as Header[],
    handlers: [] as ResponseHandler[],
    responseReferences: [] as ResponseReference[],
    parts: [] as BodyPart[],
  };
  /** Direct-mapped cache of recent short texts (see `slice`), sized to the text. */
  private readonly recentTexts: (string | undefined)[];
  /** Where each recent text was sliced from (see `slice`). */
  private readonly recentStarts: Int32Array;
  private readonly recentTextMask: number;

  constructor(private readonly text: string) {
    this.lines = scanLines(text);
    let slots = minRecentTextSlots;
    // About one slot per 32 characters: a 200-character block gets 64, a large file 1,024.
    while (slots < maxRecentTextSlots && slots * 32 < text.length) slots *= 2;
    // Holes read as undefined, so the array needs no filling.
    this.recentTexts = new Array<string | undefined>(slots);
    this.recentStarts = new Int32Array(slots);
    this.recentTextMask = slots - 1;
  }

  parseDocument(): HttpDocument {
    const { text, lines } = this;
    const lineCount = lines.starts.length;
    const blocks: Block[] = [];
    let blockFirstLine = 0;
    for (let line = 1; line < lineCount; line++) {
      if (isSeparator(text, lines.starts[line], lines.ends[line])) {
        blocks.push(this.parseBlock(blockFirstLine, line));
        blockFirstLine = line;
      }
    }
    blocks.push(this.parseBlock(blockFirstLine, lineCount));

    const requests: Request[] = [];
    const variables: VariableDefinition[] = [];
    // Indexed loops: this runs once per parse, often before it is optimised, and `for...of`
    // then allocates an iterator result per item.
    for (let index = 0; index < blocks.length; index++) {
      const block = blocks[index];
      if (block.request !== undefined) requests.push(block.request);
      for (let variable = 0; variable < block.variables.length; variable++) variables.push(block.variables[variable]);
    }
    // Stable sort: problems found on one span keep the order they were found in.
    const problems = this.problems.sort((a, b) => a.start - b.start);
    return {
      text,
      lineStarts: lines.starts,
      blocks: exactly(blocks),
      requests: exactly(requests),
      variables: exactly(variables),
      problems: exactly(problems),
    };
  }

  // ---- Blocks -------------------------------------------------------------

  /** Lines `[firstLine, limit)`: an optional `###` line, a preamble, then a request or a pasted response. */
  private parseBlock(firstLine: number, limit: number): Block {
    const { text, lines } = this;
    const start = lines.starts[firstLine];
    const end = limit < lines.starts.length ? lines.starts[limit] : text.length;
    let line = firstLine;
    let separator: Separator | undefined;
    if (isSeparator(text, lines.starts[line], lines.ends[line])) {
      separator = this.parseSeparator(line);
      line++;
    }
    const comments = this.scratch.comments;
    const directives = this.scratch.directives;
    const variables = this.scratch.variables;
    clear(comments);
    clear(directives);
    clear(variables);
    let request: Request | undefined;
    let pastedResponse: Span | undefined;
    let blockDirectives: readonly Directive[] | undefined;
    for (; line < limit; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) continue;
      const marker = commentMarkerLength(text, first, lineEnd);
      if (marker > 0) {
        const directive = this.parseDirective(first, first + marker, lineEnd);
        if (directive !== undefined) directives.push(directive);
        else comments.push(this.parseComment(first, first + marker, lineEnd));
        continue;
      }
      if (text.charCodeAt(first) === AT) {
        const variable = this.parseVariableDefinition(first, lineEnd);
        if (variable !== undefined) variables.push(variable);
        continue;
      }
      if (this.opensPreRequestScript(first, lineEnd)) {
        // JetBrains' `< {% ... %}` before the request line. The tree has no node for it
        // and Courier does not run it; skipping it keeps it from being read as the request.
        const close = indexOfPair(text, PERCENT, CLOSE_BRACE, first, this.lineStart(limit));
        if (close === -1) {
          this.report(first, lineEnd, Code.HandlerUnterminated, "Pre-request script is not closed: add '%}' where the script ends, before the request line.");
          break;
        }
        while (lines.ends[line] < close + 2) line++;
        continue;
      }
      if (text.startsWith('HTTP/', first)) {
        // A response pasted for reference: documentation, so nothing inside it is checked.
        pastedResponse = { start: first, end: this.lastContentEnd(line, limit) };
        break;
      }
      blockDirectives = exactly(directives);
      request = this.parseRequest(line, limit, separator, blockDirectives, comments);
      break;
    }
    return {
      start, end, separator, comments: exactly(comments), directives: blockDirectives ?? exactly(directives), variables: exactly(variables), request, pastedResponse,
    };
  }

  /** `< {%` at `first`: the start of a pre-request script. */
  private opensPreRequestScript(first: number, lineEnd: number): boolean {
    const { text } = this;
    if (text.charCodeAt(first) !== LESS) return false;
    const open = skipWhitespace(text, first + 1, lineEnd);
    return open > first + 1 && open + 1 < lineEnd && text.charCodeAt(open) === OPEN_BRACE && text.charCodeAt(open + 1) === PERCENT;
  }

  private parseSeparator(line: number): Separator {
    const { text, lines } = this;
    // Skips a byte order mark before a first-line `###` (see `isSeparator`).
    const start = skipWhitespace(text, lines.starts[line], lines.ends[line]);
    const end = trimEnd(text, start, lines.ends[line]);
    let titleStart = start;
    while (titleStart < end && text.charCodeAt(titleStart) === 0x23 /* # */) titleStart++;
    titleStart = skipWhitespace(text, titleStart, end);
    // Titles name one request each: the cache of repeated texts would only miss on them.
    const title = titleStart < end ? { start: titleStart, end, text: text.slice(titleStart, end) } : undefined;
    return { start, end, title };
  }

  private parseComment(markerStart: number, markerEnd: number, lineEnd: number): Comment {
    const { text } = this;
    const end = trimEnd(text, markerStart, lineEnd);
    const textStart = skipWhitespace(text, markerEnd, end);
    return { start: markerStart, end, text: text.slice(textStart, end) };
  }

  /** `# @name value`, `// @no-log`, `# @name=value`; undefined when the comment is not a directive. */
  private parseDirective(markerStart: number, markerEnd: number, lineEnd: number): Directive | undefined {
    const { text } = this;
    const at = skipWhitespace(text, markerEnd, lineEnd);
    if (at >= lineEnd || text.charCodeAt(at) !== AT) return undefined;
    const nameStart = at + 1;
    let nameEnd = nameStart;
    while (nameEnd < lineEnd && !isWhitespace(text.charCodeAt(nameEnd)) && text.charCodeAt(nameEnd) !== EQUALS) nameEnd++;
    if (nameEnd === nameStart) return undefined;
    const end = trimEnd(text, markerStart, lineEnd);
    let valueStart = skipWhitespace(text, nameEnd, end);
    if (valueStart < end && text.charCodeAt(valueStart) === EQUALS) valueStart = skipWhitespace(text, valueStart + 1, end);
    const value = valueStart < end ? this.token(valueStart, end) : undefined;
    return { start: markerStart, end, name: this.token(nameStart, nameEnd), value };
  }

  /** `@name = value`. Malformed definitions are reported and dropped. */
  private parseVariableDefinition(at: number, lineEnd: number): VariableDefinition | undefined {
    const { text } = this;
    const end = trimEnd(text, at, lineEnd);
    const nameStart = at + 1;
    const nameEnd = scanName(text, nameStart, end);
    if (nameEnd === nameStart) {
      this.report(at, end, Code.VariableDefinitionInvalid,
        "Expected a variable name after '@': write '@name = value', the name made of letters, digits, '_' or '-' and not starting with a digit.");
      return undefined;
    }
    const equals = skipWhitespace(text, nameEnd, end);
    if (equals >= end || text.charCodeAt(equals) !== EQUALS) {
      const name = text.slice(nameStart, nameEnd);
      const found = equals >= end ? 'nothing' : `'${text.slice(equals, skipNonWhitespace(text, equals, end))}'`;
      this.report(at, end, Code.VariableDefinitionInvalid,
        `Expected '=' after '@${name}' but found ${found}: write '@${name} = value' (names may contain letters, digits, '_' and '-').`);
      return undefined;
    }
    const valueStart = skipWhitespace(text, equals + 1, end);
    return { start: at, end, name: this.token(nameStart, nameEnd), value: this.template(valueStart, end) };
  }

  // ---- Requests -----------------------------------------------------------

  private parseRequest(
    requestLine: number,
    limit: number,
    separator: Separator | undefined,
    directives: readonly Directive[],
    comments: Comment[],
  ): Request {
    const { text, lines } = this;
    const lineStart = lines.starts[requestLine];
    const lineFirst = skipWhitespace(text, lineStart, lines.ends[requestLine]);
    const lineEnd = trimEnd(text, lineFirst, lines.ends[requestLine]);
    const requestLineParts = this.splitRequestLine(lineFirst, lineEnd);
    const { method, targetStart, targetEnd } = requestLineParts;
    let httpVersion = requestLineParts.httpVersion;

    let line = requestLine + 1;
    const pieces = this.scratch.pieces;
    clear(pieces);
    for (; line < limit && this.continuesTarget(line); line++) {
      if (pieces.length === 0) pieces.push({ start: targetStart, end: targetEnd });
      const first = skipWhitespace(text, lines.starts[line], lines.ends[line]);
      pieces.push({ start: first, end: trimEnd(text, first, lines.ends[line]) });
    }
    if (httpVersion === undefined && pieces.length > 1) {
      // In a multi-line target the version closes the last line: `    &page=2 HTTP/1.1`.
      const last = pieces[pieces.length - 1];
      const versionStart = lastWordStart(text, last.start, last.end);
      if (versionStart > last.start && isHttpVersion(text, versionStart, last.end)) {
        httpVersion = this.token(versionStart, last.end);
        pieces[pieces.length - 1] = { start: last.start, end: trimEnd(text, last.start, versionStart) };
      }
    }
    const target = pieces.length === 0
      ? this.requestTarget(this.template(targetStart, targetEnd), empty)
      : this.continuedTarget(pieces.map((piece) => this.template(piece.start, piece.end)));

    const headers = this.scratch.headers;
    clear(headers);
    line = this.parseHeaders(line, limit, headers, comments);
    const requestHeaders = exactly(headers);

    let bodyEndLine = line;
    while (bodyEndLine < limit && this.trailerKind(bodyEndLine) === undefined) bodyEndLine++;
    const parts = this.parseContent(line, bodyEndLine);
    const body = parts.length === 0 ? undefined : this.body(parts, line, bodyEndLine, method, requestHeaders);

    const handlers = this.scratch.handlers;
    const responseReferences = this.scratch.responseReferences;
    clear(handlers);
    clear(responseReferences);
    const outputRedirect = this.parseTrailers(bodyEndLine, limit, handlers, responseReferences, comments);

    let name: Token | undefined = separator?.title;
    for (const directive of directives) {
      if (directive.name.text === 'name' && directive.value !== undefined) name = directive.value;
    }
    return {
      start: lineFirst,
      end: Math.max(lineEnd, this.lastContentEnd(requestLine, limit)),
      name,
      directives,
      requestLineEnd: lineEnd,
      method,
      methodName: method?.text ?? 'GET',
      target,
      httpVersion,
      headers: requestHeaders,
      body,
      handlers: exactly(handlers),
      outputRedirect,
      responseReferences: exactly(responseReferences),
    };
  }

  /** `[METHOD] target [HTTP/x.y]`; the target may be missing (reported) or contain spaces. */
  private splitRequestLine(first: number, end: number) {
    const { text } = this;
    const firstWordEnd = scanWord(text, first, end);
    const afterFirstWord = skipWhitespace(text, firstWordEnd, end);
    let method: Token | undefined;
    let restStart = first;
    if (afterFirstWord === end) {
      if (wellKnownMethods.has(text.slice(first, firstWordEnd))) {
        method = this.token(first, firstWordEnd);
        restStart = end;
      }
    } else if (isToken(text, first, firstWordEnd)) {
      method = this.token(first, firstWordEnd);
      restStart = afterFirstWord;
    }

    let targetEnd = end;
    let httpVersion: Token | undefined;
    const versionStart = lastWordStart(text, restStart, end);
    if (versionStart < end && isHttpVersion(text, versionStart, end)) {
      httpVersion = this.token(versionStart, end);
      targetEnd = trimEnd(text, restStart, versionStart);
    }
    const targetStart = Math.min(restStart, targetEnd);
    if (targetStart === targetEnd) {
      const after = method?.text ?? 'the method';
      this.report(method?.start ?? first, end, Code.RequestMissingTarget,
        `Request has no target: write a URL after ${after}, e.g. '${method?.text ?? 'GET'} https://example.com/path'.`);
    }
    return { method, targetStart, targetEnd, httpVersion };
  }

  /** Indented lines right after the request line continue the target: `?a=1`, `&b=2`, `/more`. */
  private continuesTarget(line: number): boolean {
    const { text, lines } = this;
    const lineStart = lines.starts[line];
    const lineEnd = lines.ends[line];
    if (lineStart >= lineEnd || !isWhitespace(text.charCodeAt(lineStart))) return false;
    const first = skipWhitespace(text, lineStart, lineEnd);
    if (first === lineEnd) return false;
    const code = text.charCodeAt(first);
    if (code === QUESTION || code === AMPERSAND || code === SLASH) return true;
    if (commentMarkerLength(text, first, lineEnd) > 0) return false;
    // An indented `Name: value` is a header; anything else still belongs to the target.
    const nameEnd = firstNonTokenCharacter(text, first, lineEnd);
    return !(nameEnd > first && nameEnd < lineEnd && text.charCodeAt(nameEnd) === COLON);
  }

  /** A target over several lines: their pieces joined with no separator. */
  private continuedTarget(pieces: readonly Template[]): RequestTarget {
    const first = pieces[0];
    const last = pieces[pieces.length - 1];
    let text = '';
    const references: VariableReference[] = [];
    for (const piece of pieces) {
      text += piece.text;
      for (const reference of piece.references) references.push(reference);
    }
    return this.requestTarget({ start: first.start, end: last.end, text, references: exactly(references) }, pieces);
  }

  private requestTarget(whole: Template, continuedPieces: readonly Template[]): RequestTarget {
    const { text } = whole;
    const form = text.length === 1 && text.charCodeAt(0) === ASTERISK ? 'asterisk'
      : text.charCodeAt(0) === SLASH ? 'origin'
        : startsWithScheme(text) ? 'absolute'
          : 'other';
    return { start: whole.start, end: whole.end, text, references: whole.references, continuedPieces, form };
  }

  // ---- Headers ------------------------------------------------------------

  /** Headers up to the first blank line; returns the first line after them (and after the blank line). */
  private parseHeaders(firstLine: number, limit: number, headers: Header[], comments: Comment[]): number {
    const { text, lines } = this;
    let line = firstLine;
    // Only a line right after a header (or its continuation) may continue it: a comment in
    // between ends the fold, so a value's span never covers text its value skips.
    let previousLineIsHeader = false;
    for (; line < limit; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) return line + 1;
      if (this.trailerKind(line) !== undefined || this.isBodyFileLine(lineStart, lineEnd)) return line;
      const marker = commentMarkerLength(text, first, lineEnd);
      if (marker > 0) {
        comments.push(this.parseComment(first, first + marker, lineEnd));
        previousLineIsHeader = false;
        continue;
      }
      const previous = headers.length > 0 ? headers[headers.length - 1] : undefined;
      const continues = first > lineStart && previous !== undefined && previousLineIsHeader;
      previousLineIsHeader = true;
      if (continues) {
        headers[headers.length - 1] = this.continueHeader(previous, first, trimEnd(text, first, lineEnd));
        continue;
      }
      headers.push(this.parseHeader(first, trimEnd(text, first, lineEnd)));
    }
    return line;
  }

  private parseHeader(first: number, end: number): Header {
    const { text } = this;
    let colon = first;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon++;
    if (colon === end) {
      const name = this.token(first, end);
      this.report(first, end, Code.HeaderMissingColon,
        `Header '${name.text}' has no ':': write 'Name: value', or add a blank line before it if it is body text.`);
      return { start: first, end, name, colon: undefined, value: this.template(end, end) };
    }
    const name = this.token(first, trimEnd(text, first, colon));
    if (name.text === '') {
      this.report(first, colon + 1, Code.HeaderEmptyName, "Header has no name before ':': write 'Name: value'.");
    } else {
      const bad = firstNonTokenCharacter(text, name.start, name.end);
      if (bad < name.end) {
        this.report(name.start, name.end, Code.HeaderInvalidName,
          `Header name '${name.text}' contains '${text[bad]}', which header names cannot contain: use only letters, digits and !#$%&'*+-.^_\`|~.`);
      }
    }
    const valueStart = skipWhitespace(text, colon + 1, end);
    return { start: first, end, name, colon, value: this.template(valueStart, end) };
  }

  /** An indented line after a header continues its value, joined with one space. */
  private continueHeader(header: Header, first: number, end: number): Header {
    const piece = this.template(first, end);
    const value = header.value;
    const references = piece.references.length === 0 ? value.references
      : value.references.length === 0 ? piece.references
        : [...value.references, ...piece.references];
    const joined = value.text === '' ? piece.text : `${value.text} ${piece.text}`;
    const valueStart = value.text === '' ? first : value.start;
    return { ...header, end, value: { start: valueStart, end, text: joined, references } };
  }

  // ---- Bodies -------------------------------------------------------------

  /** `< path` or `<@ path` at the start of a line, with a path. */
  private isBodyFileLine(lineStart: number, lineEnd: number): boolean {
    const { text } = this;
    if (lineStart + 1 >= lineEnd || text.charCodeAt(lineStart) !== LESS) return false;
    const second = text.charCodeAt(lineStart + 1);
    const pathFrom = second === AT ? lineStart + 2 : isWhitespace(second) ? lineStart + 1 : -1;
    return pathFrom !== -1 && skipWhitespace(text, pathFrom, lineEnd) < lineEnd;
  }

  /** Text runs and file includes in lines `[firstLine, endLine)`, in order; blank lines at a run's edges are left out. */
  private parseContent(firstLine: number, endLine: number): readonly BodyPart[] {
    const { text, lines } = this;
    const parts = this.scratch.parts;
    clear(parts);
    let runStart = -1;
    let runEnd = -1;
    const flushText = () => {
      if (runStart !== -1) parts.push({ kind: 'text', start: runStart, end: runEnd, text: this.template(runStart, runEnd) });
      runStart = -1;
    };
    for (let line = firstLine; line < endLine; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      if (this.isBodyFileLine(lineStart, lineEnd)) {
        flushText();
        const substituteVariables = text.charCodeAt(lineStart + 1) === AT;
        const pathStart = skipWhitespace(text, lineStart + (substituteVariables ? 2 : 1), lineEnd);
        const end = trimEnd(text, pathStart, lineEnd);
        parts.push({ kind: 'file', start: lineStart, end, path: this.template(pathStart, end), substituteVariables });
        continue;
      }
      if (isBlank(text, lineStart, lineEnd)) continue;
      if (runStart === -1) runStart = lineStart;
      runEnd = lineEnd;
    }
    flushText();
    return exactly(parts);
  }

  private body(parts: readonly BodyPart[], firstLine: number, endLine: number, method: Token | undefined, headers: readonly Header[]): Body {
    return {
      start: parts[0].start,
      end: parts[parts.length - 1].end,
      parts,
      multipart: this.multipart(firstLine, endLine, headers),
      graphql: this.isGraphql(method, headers) ? this.graphql(parts[0], firstLine, endLine) : undefined,
    };
  }

  private multipart(firstLine: number, endLine: number, headers: readonly Header[]): MultipartBody | undefined {
    const contentType = lastHeader(headers, 'content-type');
    if (contentType === undefined || !contentType.value.text.toLowerCase().startsWith('multipart/')) return undefined;
    const boundary = boundaryParameter(contentType.value.text);
    if (boundary === undefined) return undefined;

    const { text, lines } = this;
    const delimiter = `--${boundary}`;
    const parts: MultipartPart[] = [];
    let closed = false;
    let partFirstLine = -1;
    // Body-level problems (references) were reported with the body's text; only header problems are new here.
    const problemsBefore = this.problems.length;
    const finishPart = (partEndLine: number) => {
      if (partFirstLine !== -1) parts.push(this.multipartPart(partFirstLine, partEndLine));
    };
    for (let line = firstLine; line < endLine && !closed; line++) {
      const lineStart = lines.starts[line];
      if (!text.startsWith(delimiter, lineStart)) continue;
      const after = trimEnd(text, lineStart, lines.ends[line]);
      const delimiterEnd = lineStart + delimiter.length;
      if (after === delimiterEnd) {
        finishPart(line);
        partFirstLine = line + 1;
      } else if (after === delimiterEnd + 2 && text.charCodeAt(delimiterEnd) === MINUS && text.charCodeAt(delimiterEnd + 1) === MINUS) {
        finishPart(line);
        partFirstLine = -1;
        closed = true;
      }
    }
    if (!closed) finishPart(endLine);
    this.keepOnlyHeaderProblemsSince(problemsBefore);
    return { boundary, parts: exactly(parts), closed };
  }

  private multipartPart(firstLine: number, endLine: number): MultipartPart {
    const { text, lines } = this;
    const headers: Header[] = [];
    let line = firstLine;
    for (; line < endLine; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) {
        line++;
        break;
      }
      const previous = headers.length > 0 ? headers[headers.length - 1] : undefined;
      if (first > lineStart && previous !== undefined) {
        headers[headers.length - 1] = this.continueHeader(previous, first, trimEnd(text, first, lineEnd));
      } else {
        headers.push(this.parseHeader(first, trimEnd(text, first, lineEnd)));
      }
    }
    const content = this.parseContent(line, endLine);
    const start = this.lineStart(firstLine);
    const lastEnd = content.length > 0 ? content[content.length - 1].end : headers.length > 0 ? headers[headers.length - 1].end : start;
    return { start, end: Math.max(start, lastEnd), headers: exactly(headers), content };
  }

  private keepOnlyHeaderProblemsSince(index: number): void {
    const kept = this.problems.slice(index).filter((problem) => !referenceCodes.has(problem.code));
    this.problems.length = index;
    for (const problem of kept) this.problems.push(problem);
  }

  private isGraphql(method: Token | undefined, headers: readonly Header[]): boolean {
    if (method?.text.toUpperCase() === 'GRAPHQL') return true;
    return lastHeader(headers, 'x-request-type')?.value.text.toLowerCase() === 'graphql';
  }

  /**
   * The query, then after a blank line followed by a `{` line, the JSON variables.
   * Only inline text is a query: a body taken from a file is sent as written.
   */
  private graphql(firstPart: BodyPart, firstLine: number, endLine: number): GraphqlBody | undefined {
    if (firstPart.kind !== 'text') return undefined;
    const { text, lines } = this;
    let queryEnd = firstPart.end;
    let variables: Template | undefined;
    let sawBlank = false;
    for (let line = firstLine; line < endLine; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      if (lineStart < firstPart.start) continue;
      if (lineStart >= firstPart.end) break;
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) {
        sawBlank = true;
        continue;
      }
      if (sawBlank && text.charCodeAt(first) === OPEN_BRACE) {
        queryEnd = this.lastContentEnd(firstLine, line);
        variables = this.template(first, firstPart.end);
        break;
      }
      sawBlank = false;
    }
    const query = variables === undefined ? firstPart.text : this.template(firstPart.start, queryEnd);
    const operationName = graphqlOperationPattern.exec(query.text)?.[1];
    return { query, variables, operationName };
  }

  // ---- Response handlers and what follows the body --------------------------

  /** What a line after the body starts, or undefined when it is body text. */
  private trailerKind(line: number): TrailerKind | undefined {
    const { text, lines } = this;
    const start = lines.starts[line];
    const end = lines.ends[line];
    if (start + 1 >= end) return undefined;
    const first = text.charCodeAt(start);
    const second = text.charCodeAt(start + 1);
    if (first === LESS) return second === GREATER && this.hasWordAfter(start + 2, end) ? 'response-reference' : undefined;
    if (first !== GREATER) return undefined;
    if (second === GREATER) {
      const pathFrom = start + 2 < end && text.charCodeAt(start + 2) === EXCLAMATION ? start + 3 : start + 2;
      return this.hasWordAfter(pathFrom, end) ? 'redirect' : undefined;
    }
    const afterMarker = skipWhitespace(text, start + 1, end);
    if (text.charCodeAt(afterMarker) === OPEN_BRACE && text.charCodeAt(afterMarker + 1) === PERCENT && afterMarker + 1 < end) return 'script';
    // `> path.js`: one word, so a quoted line of prose (`> note this`) stays body text.
    if (!isWhitespace(second) || afterMarker === end) return undefined;
    return skipNonWhitespace(text, afterMarker, end) === trimEnd(text, afterMarker, end) ? 'handler-file' : undefined;
  }

  private hasWordAfter(from: number, end: number): boolean {
    return from < end && isWhitespace(this.text.charCodeAt(from)) && skipWhitespace(this.text, from, end) < end;
  }

  /** Handlers, output redirect and response references after the body, to the block's end. */
  private parseTrailers(
    firstLine: number,
    limit: number,
    handlers: ResponseHandler[],
    responseReferences: ResponseReference[],
    comments: Comment[],
  ): OutputRedirect | undefined {
    const { text, lines } = this;
    let outputRedirect: OutputRedirect | undefined;
    for (let line = firstLine; line < limit; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const kind = this.trailerKind(line);
      if (kind === 'script') {
        const script = this.parseScript(line, limit);
        handlers.push(script.handler);
        line = script.lastLine;
      } else if (kind === 'handler-file') {
        const pathStart = skipWhitespace(text, lineStart + 1, lineEnd);
        const end = trimEnd(text, pathStart, lineEnd);
        handlers.push({ kind: 'file', start: lineStart, end, path: this.token(pathStart, end) });
      } else if (kind === 'redirect') {
        const overwrite = text.charCodeAt(lineStart + 2) === EXCLAMATION;
        const pathStart = skipWhitespace(text, lineStart + (overwrite ? 3 : 2), lineEnd);
        const end = trimEnd(text, pathStart, lineEnd);
        // One response, one file: the first redirect wins, as in the JetBrains client.
        outputRedirect ??= { start: lineStart, end, path: this.template(pathStart, end), overwrite };
      } else if (kind === 'response-reference') {
        const pathStart = skipWhitespace(text, lineStart + 2, lineEnd);
        const end = trimEnd(text, pathStart, lineEnd);
        responseReferences.push({ start: lineStart, end, path: this.token(pathStart, end) });
      } else {
        const first = skipWhitespace(text, lineStart, lineEnd);
        const marker = commentMarkerLength(text, first, lineEnd);
        if (marker > 0) comments.push(this.parseComment(first, first + marker, lineEnd));
      }
    }
    return outputRedirect;
  }

  /** `> {% ... %}`, possibly over several lines; unterminated scripts run to the block's end. */
  private parseScript(line: number, limit: number): { handler: ResponseHandler; lastLine: number } {
    const { text, lines } = this;
    const start = lines.starts[line];
    const lineEnd = lines.ends[line];
    const scriptStart = indexOfPair(text, OPEN_BRACE, PERCENT, start, lineEnd) + 2;
    const blockEnd = this.lineStart(limit);
    const close = indexOfPair(text, PERCENT, CLOSE_BRACE, scriptStart, blockEnd);
    if (close !== -1) {
      let lastLine = line;
      while (lines.ends[lastLine] < close + 2) lastLine++;
      return { handler: { kind: 'script', start, end: close + 2, script: this.token(scriptStart, close), terminated: true }, lastLine };
    }
    const end = Math.max(scriptStart, this.lastContentEnd(line, limit));
    this.report(start, scriptStart, Code.HandlerUnterminated,
      "Response handler script is not closed: add '%}' where the script ends, before the next '###'.");
    return { handler: { kind: 'script', start, end, script: this.token(scriptStart, end), terminated: false }, lastLine: limit - 1 };
  }

  // ---- Small builders -----------------------------------------------------

  /** End of the last non-blank line in `[firstLine, limit)`, trimmed; the first line's start if all are blank. */
  private lastContentEnd(firstLine: number, limit: number): number {
    const { text, lines } = this;
    for (let line = limit - 1; line >= firstLine; line--) {
      const end = trimEnd(text, lines.starts[line], lines.ends[line]);
      if (end > lines.starts[line]) return end;
    }
    return lines.starts[firstLine];
  }

  /** Offset where `line` starts; the text's end for the line past the last. */
  private lineStart(line: number): number {
    return line < this.lines.starts.length ? this.lines.starts[line] : this.text.length;
  }

  private token(start: number, end: number): Token {
    return { start, end, text: this.slice(start, end) };
  }

  private template(start: number, end: number): Template {
    return { start, end, text: this.slice(start, end), references: scanReferences(this.text, start, end, this.problems, this.referenceSharing) };
  }

  /**
   * Text of a span. Short texts repeat across requests (`Accept`, `application/json`,
   * `{{token}}`) and each slice is a separate copy, so recent short texts are reused
   * from a small direct-mapped cache: cheaper than a Map, which would hash every slice.
   */
  private slice(start: number, end: number): string {
    const { text } = this;
    const length = end - start;
    if (length === 0) return '';
    if (length > internedLength) return text.slice(start, end);
    const slot = (length * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(end - 1) * 3 + text.charCodeAt(start + (length >> 1))) & this.recentTextMask;
    const recent = this.recentTexts[slot];
    if (recent !== undefined && recent.length === length && sameCharacters(text, start, this.recentStarts[slot], length)) return recent;
    const fresh = text.slice(start, end);
    this.recentTexts[slot] = fresh;
    this.recentStarts[slot] = start;
    return fresh;
  }

  /** Reference expressions are sliced from the text too; reuse them the same way. */
  private readonly referenceSharing = newReferenceSharing((_text, start, end) => this.slice(start, end));

  private report(start: number, end: number, code: Code, message: string): void {
    this.problems.push({ start, end, code, message, severity: 'error' });
  }
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOT = 0x2e;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/** `HTTP/d` or `HTTP/d.d` exactly, checked in place: every request line asks, so no slice and no regex. */
function isHttpVersion(text: string, start: number, end: number): boolean {
  const length = end - start;
  if ((length !== 6 && length !== 8) || !text.startsWith('HTTP/', start) || !isDigit(text.charCodeAt(start + 5))) return false;
  return length === 6 || (text.charCodeAt(start + 6) === DOT && isDigit(text.charCodeAt(start + 7)));
}

/** Start of the last whitespace-separated word in `[start, end)` (`end` is already trimmed). */
function lastWordStart(text: string, start: number, end: number): number {
  let offset = end;
  while (offset > start && !isWhitespace(text.charCodeAt(offset - 1))) offset--;
  return offset;
}

/** Offset of the first `first second` character pair inside `[from, to)`, or -1. Bounded, unlike `indexOf`. */
function indexOfPair(text: string, first: number, second: number, from: number, to: number): number {
  for (let offset = from; offset + 1 < to; offset++) {
    if (text.charCodeAt(offset) === first && text.charCodeAt(offset + 1) === second) return offset;
  }
  return -1;
}

/**
 * Whether `text` holds the same `length` characters at `start` and at `other`. Compared within
 * `text`, one flat string: a recent text is a slice, flat or not, and `startsWith` with it as the
 * search string took 11% of a parse in profiles (this takes 2%). Backwards, because texts that
 * differ often share a prefix (`listusers10`, `listusers11`).
 */
function sameCharacters(text: string, start: number, other: number, length: number): boolean {
  for (let index = length - 1; index >= 0; index--) {
    if (text.charCodeAt(start + index) !== text.charCodeAt(other + index)) return false;
  }
  return true;
}

/**
 * Empties a scratch array. Setting `length` calls into the V8 runtime (1-3% of a parse in
 * profiles); scratch arrays hold a few items, which `pop` removes inline.
 */
function clear(items: unknown[]): void {
  while (items.length !== 0) items.pop();
}

/** The last header named `name` (lower case), as the last one wins when sent. */
function lastHeader(headers: readonly Header[], name: string): Header | undefined {
  for (let index = headers.length - 1; index >= 0; index--) {
    if (headers[index].name.text.toLowerCase() === name) return headers[index];
  }
  return undefined;
}

/** `boundary` from a Content-Type value (`multipart/form-data; boundary="abc"`), quotes removed. */
function boundaryParameter(contentType: string): string | undefined {
  for (const parameter of contentType.split(';').slice(1)) {
    const equals = parameter.indexOf('=');
    if (equals === -1 || parameter.slice(0, equals).trim().toLowerCase() !== 'boundary') continue;
    let value = parameter.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value === '' ? undefined : value;
  }
  return undefined;
}

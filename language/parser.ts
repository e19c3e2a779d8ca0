// The `.http` parser: lines in, syntax tables out (see syntaxTables.ts; syntax.ts for the tree
// they describe).
//
// The grammar is line-oriented, so the parser is a small recursive descent over
// lines: document -> blocks (split at `###`) -> preamble (comments, directives,
// variables) -> request line -> headers -> body -> response handlers. Each step
// consumes whole lines and hands the rest on; malformed lines become nodes plus
// problems, never exceptions, so every keystroke yields a usable tree. Nodes are
// records appended to the tables, children before the record that ranges over them.

import { Code } from './codes';
import { contentTypeHeaderIndex } from './contentType';
import { isScriptBlockEnd, scriptBlockStart, type ScriptBlockStart } from './httpYacScripts';
import { newReferenceSharing, type ReferenceSharing, scanReferencesInto } from './references';
import { isMessageSeparator } from './streamScript';
import {
  commentMarkerLength,
  equalsIgnoringCaseAt,
  firstNonTokenCharacter,
  isAsciiLetter,
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
import type { HttpDocument, SyntaxProblem } from './syntax';
import { Assert, Blk, Cmt, Comp, CompKind, Dir, Frag, FragUse, Graphql, HandlerKind, HandlerPhase, Handler, Hdr, joinedText, MPart, Multi, Part, PartKind, Ref, Req, ResponseRef, ScriptBlk, SyntaxTables, TargetForm, Tpl, Var } from './syntaxTables';
import { ParsedDocument } from './syntaxViews';

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
  'WEBSOCKET', 'WS', 'SSE', 'GRPC',
]);

const graphqlOperationPattern = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

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
const HASH = 0x23;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const UPPER_A = 0x41;
const LOWER_F = 0x66;
const UPPER_Z = 0x5a;
const UNDERSCORE = 0x5f;

/** What a line at column 0 in a body or after headers starts, when it is not body text. */
const enum Trailer {
  none,
  script,
  handlerFile,
  redirect,
  responseReference,
  assertion,
  /** httpYac's `{{` line opening a script block. */
  scriptBlock,
}

/** The request line's parts, as offsets (-1: absent). Reused: one parse asks once per request. */
interface RequestLineParts {
  methodStart: number;
  methodEnd: number;
  targetStart: number;
  targetEnd: number;
  versionStart: number;
  versionEnd: number;
}

/** An output redirect's offsets, its path's template and whether it overwrites (1) (-1s and 0: none). */
interface RedirectParts {
  start: number;
  end: number;
  path: number;
  overwrite: number;
}

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
  private readonly tables: SyntaxTables;
  /** Offsets of a multi-line target's pieces, two per piece. */
  private readonly pieces: number[] = [];
  /** The output redirect `parseTrailers` found (`path` -1: none). Reused: one parse asks once per request. */
  private readonly redirect: RedirectParts = { start: -1, end: -1, path: -1, overwrite: 0 };
  private readonly requestLine: RequestLineParts = { methodStart: -1, methodEnd: -1, targetStart: 0, targetEnd: 0, versionStart: -1, versionEnd: -1 };
  /** What references share (see `ReferenceSharing`), for this text only. */
  private readonly referenceSharing: ReferenceSharing;
  /**
   * While a multipart body or a GraphQL query is read from a body's lines, the refs the body's
   * scan found, `[borrowedRef, borrowedRefsEnd)` (-1: none): its templates take theirs from
   * these instead of scanning the text again, so each reference is scanned, recorded and
   * reported once, and every reader of the body sees the same ones.
   */
  private borrowedRef = -1;
  private borrowedRefsEnd = -1;

  constructor(private readonly text: string) {
    this.lines = scanLines(text);
    this.tables = new SyntaxTables(text.length);
    this.referenceSharing = newReferenceSharing(text.length);
  }

  parseDocument(): HttpDocument {
    const { text, lines } = this;
    const { starts, ends } = lines;
    const lineCount = starts.length;
    let blockFirstLine = 0;
    for (let line = 1; line < lineCount; line++) {
      // `isSeparator` inlined for its first test: every line of the document is asked.
      if (text.charCodeAt(starts[line]) === HASH && isSeparator(text, starts[line], ends[line])) {
        this.parseBlocks(blockFirstLine, line);
        blockFirstLine = line;
      }
    }
    this.parseBlocks(blockFirstLine, lineCount);
    // Stable sort: problems found on one span keep the order they were found in.
    const problems = this.problems.sort((a, b) => a.start - b.start);
    this.tables.trim();
    return new ParsedDocument(text, starts, this.tables, problems);
  }

  // ---- Blocks -------------------------------------------------------------

  /** Lines `[firstLine, limit)` up to the next `###`: one block, or several when requests follow each other without `###`. */
  private parseBlocks(firstLine: number, limit: number): void {
    let line = firstLine;
    while (line < limit) line = this.parseBlock(line, limit);
  }

  /**
   * Lines from `firstLine`: an optional `###` line, a preamble, then a request or a pasted
   * response, to `limit` or to where the next request starts without `###` (see
   * `nextRequestStart`). Returns the line after the block.
   */
  private parseBlock(firstLine: number, limit: number): number {
    const { text, lines, tables } = this;
    const firstComment = tables.comments.count;
    const firstDirective = tables.directives.count;
    const firstVariable = tables.variables.count;
    // Pre-request scripts and `??` lines above the request line belong to the request below them.
    const firstHandler = tables.handlers.count;
    const firstAssertion = tables.assertions.count;
    let line = firstLine;
    let separatorStart = -1;
    let separatorEnd = -1;
    let titleStart = -1;
    let titleEnd = -1;
    if (isSeparator(text, lines.starts[line], lines.ends[line])) {
      // Skips a byte order mark before a first-line `###` (see `isSeparator`).
      separatorStart = skipWhitespace(text, lines.starts[line], lines.ends[line]);
      separatorEnd = trimEnd(text, separatorStart, lines.ends[line]);
      let title = separatorStart;
      while (title < separatorEnd && text.charCodeAt(title) === HASH) title++;
      title = skipWhitespace(text, title, separatorEnd);
      if (title < separatorEnd) {
        titleStart = title;
        titleEnd = separatorEnd;
      }
      line++;
    }
    let request = -1;
    let pastedStart = -1;
    let pastedEnd = -1;
    for (; line < limit; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) continue;
      const marker = commentMarkerLength(text, first, lineEnd);
      if (marker > 0) {
        if (!this.parseDirective(first, first + marker, lineEnd)) this.parseComment(first, first + marker, lineEnd);
        continue;
      }
      if (text.charCodeAt(first) === AT) {
        this.parseVariableDefinition(first, lineEnd);
        continue;
      }
      const scriptBlock = scriptBlockStart(text, first, lineEnd);
      if (scriptBlock !== undefined) {
        line = this.parseScriptBlock(line, limit, first, scriptBlock, false);
        continue;
      }
      if (text.charCodeAt(first) === SLASH) {
        const lastLine = this.blockCommentEnd(line, limit);
        if (lastLine !== -1) {
          this.addBlockComment(line, lastLine);
          line = lastLine;
          continue;
        }
      }
      if (text.charCodeAt(first) === LOWER_F && this.opensGraphqlFragment(first, lineEnd)) {
        line = this.parseGraphqlFragment(line, first, limit);
        continue;
      }
      if (this.opensPreRequestScript(first, lineEnd)) {
        // JetBrains' `< {% ... %}` before the request line.
        const scriptStart = indexOfPair(text, OPEN_BRACE, PERCENT, first, lineEnd) + 2;
        const close = indexOfPair(text, PERCENT, CLOSE_BRACE, scriptStart, this.lineStart(limit));
        if (close === -1) {
          this.report(first, lineEnd, Code.HandlerUnterminated, "Pre-request script is not closed: add '%}' where the script ends, before the request line.");
          break;
        }
        this.addHandler(HandlerKind.script, HandlerPhase.preRequest, first, close + 2, scriptStart, close, true);
        while (lines.ends[line] < close + 2) line++;
        continue;
      }
      if (this.namesPreRequestFile(first, lineEnd)) {
        // JetBrains' `< ./script.js` before the request line: no request line starts with `<`.
        const pathStart = skipWhitespace(text, first + 1, lineEnd);
        const end = trimEnd(text, pathStart, lineEnd);
        this.addHandler(HandlerKind.file, HandlerPhase.preRequest, first, end, pathStart, end, true);
        continue;
      }
      if (isAssertionStart(text, first, lineEnd)) {
        this.addAssertion(first, lineEnd);
        continue;
      }
      if (this.parseCompositionLine(first, lineEnd)) continue;
      if (text.startsWith('HTTP/', first)) {
        // A response pasted for reference: documentation, so nothing inside it is checked.
        pastedStart = first;
        pastedEnd = this.lastContentEnd(line, limit);
        break;
      }
      const requestLimit = this.nextRequestStart(line, limit, separatorStart !== -1);
      request = this.parseRequest(line, requestLimit, titleStart, titleEnd, firstDirective, firstHandler, firstAssertion);
      limit = requestLimit;
      break;
    }
    const blocks = tables.blocks;
    const at = blocks.add();
    const data = blocks.data;
    data[at + Blk.start] = lines.starts[firstLine];
    data[at + Blk.end] = limit < lines.starts.length ? lines.starts[limit] : text.length;
    data[at + Blk.separatorStart] = separatorStart;
    data[at + Blk.separatorEnd] = separatorEnd;
    data[at + Blk.titleStart] = titleStart;
    data[at + Blk.titleEnd] = titleEnd;
    data[at + Blk.firstComment] = firstComment;
    data[at + Blk.commentCount] = tables.comments.count - firstComment;
    data[at + Blk.firstDirective] = firstDirective;
    data[at + Blk.directiveCount] = tables.directives.count - firstDirective;
    data[at + Blk.firstVariable] = firstVariable;
    data[at + Blk.variableCount] = tables.variables.count - firstVariable;
    data[at + Blk.request] = request;
    data[at + Blk.pastedStart] = pastedStart;
    data[at + Blk.pastedEnd] = pastedEnd;
    return limit;
  }

  /**
   * Where the block of the request at `requestLine` ends, before `limit`, because another request
   * follows it without `###`, as httpYac reads a file: a line at column 0 that is a request line by
   * httpYac's rule (an upper-case method it knows, blanks, a URL) after a request starts the next
   * one. The tools disagree on one case: where such a line directly follows a line of body text,
   * REST Client and JetBrains send it as part of the body, whose lines run to the next `###`. In a
   * block opened by `###` (`separated`), a file written for them, Courier reads it as they do;
   * elsewhere as httpYac does. The comments, directives and variables right above the next request
   * line belong to it, as they do under `###`. Returns that request's first line, or `limit`.
   */
  private nextRequestStart(requestLine: number, limit: number, separated: boolean): number {
    const { text, lines } = this;
    let inBody = false;
    // The last line of text since a blank line, a block comment or a script (-1: none), and whether
    // the body had begun there: whether it was body text is only asked of it when a request line
    // follows, not of every body line (a quarter of parsing a large file otherwise).
    let previousTextLine = -1;
    let previousInBody = false;
    for (let line = requestLine + 1; line < limit; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) {
        inBody = true;
        previousTextLine = -1;
        continue;
      }
      const code = text.charCodeAt(first);
      if (first === lineStart && code >= UPPER_A && code <= UPPER_Z && isHttpYacRequestLine(text, lineStart, lineEnd)) {
        // Only a block opened by `###` asks whether the line follows body text.
        if (!(separated && this.isBodyText(previousTextLine, previousInBody))) return this.leadingCommentsStart(requestLine + 1, line);
      }
      if (code === SLASH) {
        const lastLine = this.blockCommentEnd(line, limit);
        if (lastLine !== -1) {
          line = lastLine;
          previousTextLine = -1;
          continue;
        }
      }
      if ((code === GREATER || code === LESS) && first === lineStart && this.opensScript(first, lineEnd)) {
        // A script's lines are JavaScript, never a request line: skip to its `%}`.
        const close = indexOfPair(text, PERCENT, CLOSE_BRACE, first, this.lineStart(limit));
        if (close === -1) return limit;
        while (line + 1 < limit && lines.ends[line] < close + 2) line++;
        previousTextLine = -1;
        inBody = true;
        continue;
      }
      if (!inBody && startsBodyWithoutBlankLine(text, first, lineEnd)) inBody = true;
      previousTextLine = line;
      previousInBody = inBody;
    }
    return limit;
  }

  /** Whether `line` (-1: none) is a line of body text: in the body, neither a comment nor a `>`/`<`/`??` trailer line. */
  private isBodyText(line: number, inBody: boolean): boolean {
    if (line === -1 || !inBody) return false;
    const lineEnd = this.lines.ends[line];
    const first = skipWhitespace(this.text, this.lines.starts[line], lineEnd);
    return commentMarkerLength(this.text, first, lineEnd) === 0 && this.trailerKind(line) === Trailer.none;
  }

  /**
   * The end of a body in lines `[firstLine, endLine)` without the block comments that close it
   * (each after a blank line, or at the body's start): httpYac reads them as comments, not body
   * text, and no other tool has them. Returns the line after the body text that remains.
   */
  private bodyEndBeforeBlockComments(firstLine: number, endLine: number): number {
    const { text, lines } = this;
    let end = endLine;
    for (;;) {
      let last = end - 1;
      while (last >= firstLine && isBlank(text, lines.starts[last], lines.ends[last])) last--;
      if (last < firstLine) return end;
      const contentEnd = trimEnd(text, lines.starts[last], lines.ends[last]);
      if (contentEnd - lines.starts[last] < 2 || text.charCodeAt(contentEnd - 1) !== SLASH || text.charCodeAt(contentEnd - 2) !== ASTERISK) return end;
      let open = last;
      while (open >= firstLine && this.blockCommentEnd(open, last + 1) !== last) open--;
      if (open < firstLine || (open > firstLine && !isBlank(text, lines.starts[open - 1], lines.ends[open - 1]))) return end;
      end = open;
    }
  }

  /** `> {%` or `< {%` at `first`: a script opens on this line. */
  private opensScript(first: number, lineEnd: number): boolean {
    const open = skipWhitespace(this.text, first + 1, lineEnd);
    return open + 1 < lineEnd && this.text.charCodeAt(open) === OPEN_BRACE && this.text.charCodeAt(open + 1) === PERCENT;
  }

  /**
   * The first of the lines right above `requestLine` (not before `firstLine`) that are blank,
   * comments, directives, variable definitions, block comments or pre-request scripts
   * (`< {% ... %}`, `< ./script.js`): they belong to that request.
   */
  private leadingCommentsStart(firstLine: number, requestLine: number): number {
    const { text, lines } = this;
    let start = requestLine;
    while (start > firstLine) {
      const previous = start - 1;
      const lineEnd = lines.ends[previous];
      const first = skipWhitespace(text, lines.starts[previous], lineEnd);
      if (first === lineEnd || commentMarkerLength(text, first, lineEnd) > 0 || text.charCodeAt(first) === AT) {
        start = previous;
        continue;
      }
      const end = trimEnd(text, first, lineEnd);
      if (first === lines.starts[previous] && text.charCodeAt(first) === LESS && text.endsWith('.js', end) && this.namesPreRequestFile(first, lineEnd)) {
        // JetBrains' `< ./script.js` above a request line is that request's pre-request script.
        start = previous;
        continue;
      }
      if (end - first >= 2 && text.charCodeAt(end - 2) === PERCENT && text.charCodeAt(end - 1) === CLOSE_BRACE) {
        // The end of a `< {% ... %}` pre-request script: it belongs to the request below it too.
        let open = previous;
        while (open >= firstLine && !(text.charCodeAt(lines.starts[open]) === LESS && this.opensScript(lines.starts[open], lines.ends[open]))) open--;
        if (open < firstLine) break;
        start = open;
        continue;
      }
      if (end - first < 2 || text.charCodeAt(end - 2) !== ASTERISK || text.charCodeAt(end - 1) !== SLASH) break;
      let open = previous;
      while (open >= firstLine && this.blockCommentEnd(open, requestLine) !== previous) open--;
      if (open < firstLine) break;
      start = open;
    }
    // Blank lines between the previous request and the comments stay with the previous request.
    while (start < requestLine && isBlank(text, lines.starts[start], lines.ends[start])) start++;
    return start;
  }

  /** `fragment Name on ` at `first`: httpYac's GraphQL fragment, written above a request line. */
  private opensGraphqlFragment(first: number, lineEnd: number): boolean {
    const { text } = this;
    if (!text.startsWith('fragment', first) || !isWhitespace(text.charCodeAt(first + 8))) return false;
    const nameStart = skipWhitespace(text, first + 8, lineEnd);
    const nameEnd = scanGraphqlName(text, nameStart, lineEnd);
    if (nameEnd === nameStart || !isWhitespace(text.charCodeAt(nameEnd))) return false;
    const on = skipWhitespace(text, nameEnd, lineEnd);
    return text.startsWith('on', on) && on + 2 < lineEnd && isWhitespace(text.charCodeAt(on + 2));
  }

  /** The fragment opening at `first` on `line`, to the first blank line (as httpYac reads it); returns its last line. */
  private parseGraphqlFragment(line: number, first: number, limit: number): number {
    const { text, lines } = this;
    let last = line;
    while (last + 1 < limit && !isBlank(text, lines.starts[last + 1], lines.ends[last + 1])) last++;
    const end = trimEnd(text, first, lines.ends[last]);
    const nameStart = skipWhitespace(text, first + 8, end);
    const fragments = this.tables.fragments;
    const template = this.template(first, end);
    const at = fragments.add();
    const data = fragments.data;
    data[at + Frag.start] = first;
    data[at + Frag.end] = end;
    data[at + Frag.nameStart] = nameStart;
    data[at + Frag.nameEnd] = scanGraphqlName(text, nameStart, end);
    data[at + Frag.template] = template;
    return last;
  }

  /**
   * JetBrains' `import PATH`, `run #Request name`, `run #Request name (@a=1, @b=2)` and `run PATH`
   * at `first`: one `Comp` row; false when the line is none of them. Only lower-case keywords, and a
   * path only when it names an `.http` or `.rest` file, so a request with a custom method such as
   * `run /jobs` stays a request.
   */
  private parseCompositionLine(first: number, lineEnd: number): boolean {
    const { text } = this;
    const code = text.charCodeAt(first);
    if (code !== 0x69 && code !== 0x72) return false; // `i`, `r`
    const isImport = text.startsWith('import', first) && first + 6 < lineEnd && isWhitespace(text.charCodeAt(first + 6));
    const isRun = !isImport && text.startsWith('run', first) && first + 3 < lineEnd && isWhitespace(text.charCodeAt(first + 3));
    if (!isImport && !isRun) return false;
    const end = trimEnd(text, first, lineEnd);
    const targetStart = skipWhitespace(text, first + (isImport ? 6 : 3), end);
    let targetEnd = end;
    let argsStart = -1;
    let argsEnd = -1;
    const byName = isRun && text.charCodeAt(targetStart) === HASH;
    if (isRun && text.charCodeAt(end - 1) === CLOSE_PAREN) {
      const open = text.lastIndexOf('(', end - 1);
      if (open > targetStart) {
        argsStart = open + 1;
        argsEnd = end - 1;
        targetEnd = trimEnd(text, targetStart, open);
      }
    }
    const nameStart = byName ? skipWhitespace(text, targetStart + 1, targetEnd) : targetStart;
    if (!byName && !namesHttpFile(text, nameStart, targetEnd)) return false;
    const compositions = this.tables.compositions;
    const at = compositions.add();
    const data = compositions.data;
    data[at + Comp.kind] = isImport ? CompKind.importFile : byName ? CompKind.runRequest : CompKind.runFile;
    data[at + Comp.start] = first;
    data[at + Comp.end] = end;
    data[at + Comp.targetStart] = nameStart;
    data[at + Comp.targetEnd] = targetEnd;
    data[at + Comp.argsStart] = argsStart;
    data[at + Comp.argsEnd] = argsEnd;
    if (byName && nameStart === targetEnd) {
      this.report(first, end, Code.RunMissingName, "Expected a request name after 'run #': write 'run #Request name', the name given by '# @name' or a '###' title.");
    }
    return true;
  }

  /** `< path` at `first`: one word after `<` and whitespace names a pre-request script file. */
  private namesPreRequestFile(first: number, lineEnd: number): boolean {
    const { text } = this;
    if (text.charCodeAt(first) !== LESS || first + 1 >= lineEnd || !isWhitespace(text.charCodeAt(first + 1))) return false;
    const pathStart = skipWhitespace(text, first + 1, lineEnd);
    return pathStart < lineEnd && skipNonWhitespace(text, pathStart, lineEnd) === trimEnd(text, pathStart, lineEnd);
  }

  /** `??` at `first`, to the line's trimmed end: one assertion row. */
  private addAssertion(first: number, lineEnd: number): void {
    const assertions = this.tables.assertions;
    const at = assertions.add();
    const data = assertions.data;
    data[at + Assert.start] = first;
    data[at + Assert.end] = trimEnd(this.text, first, lineEnd);
  }

  /** `< {%` at `first`: the start of a pre-request script. */
  private opensPreRequestScript(first: number, lineEnd: number): boolean {
    const { text } = this;
    if (text.charCodeAt(first) !== LESS) return false;
    const open = skipWhitespace(text, first + 1, lineEnd);
    return open > first + 1 && open + 1 < lineEnd && text.charCodeAt(open) === OPEN_BRACE && text.charCodeAt(open + 1) === PERCENT;
  }

  private parseComment(markerStart: number, markerEnd: number, lineEnd: number): void {
    const { text } = this;
    const end = trimEnd(text, markerStart, lineEnd);
    const comments = this.tables.comments;
    const at = comments.add();
    const data = comments.data;
    data[at + Cmt.start] = markerStart;
    data[at + Cmt.end] = end;
    data[at + Cmt.textStart] = skipWhitespace(text, markerEnd, end);
    data[at + Cmt.textEnd] = end;
  }

  /**
   * httpYac's block comment: a line that starts with `/*` (after blanks), to the first line that
   * ends with a star and a slash (the same one or a later one before `limit`). Returns that last line, or -1 when
   * `line` opens no comment or it is not closed (then httpYac does not read it as one either).
   */
  private blockCommentEnd(line: number, limit: number): number {
    const { text, lines } = this;
    const first = skipWhitespace(text, lines.starts[line], lines.ends[line]);
    if (first + 1 >= lines.ends[line] || text.charCodeAt(first) !== SLASH || text.charCodeAt(first + 1) !== ASTERISK) return -1;
    for (let last = line; last < limit; last++) {
      const from = last === line ? first + 2 : lines.starts[last];
      const end = trimEnd(text, from, lines.ends[last]);
      if (end - from >= 2 && text.charCodeAt(end - 2) === ASTERISK && text.charCodeAt(end - 1) === SLASH) return last;
    }
    return -1;
  }

  /** Records the block comment from `line` to `lastLine` (see `blockCommentEnd`). */
  private addBlockComment(line: number, lastLine: number): void {
    const { text, lines } = this;
    const start = skipWhitespace(text, lines.starts[line], lines.ends[line]);
    const end = trimEnd(text, start, lines.ends[lastLine]);
    const comments = this.tables.comments;
    const at = comments.add();
    const data = comments.data;
    data[at + Cmt.start] = start;
    data[at + Cmt.end] = end;
    let textStart = start + 2;
    let textEnd = end - 2;
    while (textStart < textEnd && isBlankOrLineBreak(text.charCodeAt(textStart))) textStart++;
    while (textEnd > textStart && isBlankOrLineBreak(text.charCodeAt(textEnd - 1))) textEnd--;
    data[at + Cmt.textStart] = textStart;
    data[at + Cmt.textEnd] = textEnd;
  }

  /** `# @name value`, `// @no-log`, `# @name=value`; false when the comment is not a directive. */
  private parseDirective(markerStart: number, markerEnd: number, lineEnd: number): boolean {
    const { text } = this;
    const at = skipWhitespace(text, markerEnd, lineEnd);
    if (at >= lineEnd || text.charCodeAt(at) !== AT) return false;
    const nameStart = at + 1;
    let nameEnd = nameStart;
    while (nameEnd < lineEnd && !isWhitespace(text.charCodeAt(nameEnd)) && text.charCodeAt(nameEnd) !== EQUALS) nameEnd++;
    if (nameEnd === nameStart) return false;
    const end = trimEnd(text, markerStart, lineEnd);
    let valueStart = skipWhitespace(text, nameEnd, end);
    if (valueStart < end && text.charCodeAt(valueStart) === EQUALS) valueStart = skipWhitespace(text, valueStart + 1, end);
    const directives = this.tables.directives;
    const record = directives.add();
    const data = directives.data;
    data[record + Dir.start] = markerStart;
    data[record + Dir.end] = end;
    data[record + Dir.nameStart] = nameStart;
    data[record + Dir.nameEnd] = nameEnd;
    data[record + Dir.valueStart] = valueStart < end ? valueStart : -1;
    data[record + Dir.valueEnd] = valueStart < end ? end : -1;
    return true;
  }

  /** `@name = value`. Malformed definitions are reported and dropped. */
  private parseVariableDefinition(at: number, lineEnd: number): void {
    const { text } = this;
    const end = trimEnd(text, at, lineEnd);
    const nameStart = at + 1;
    const nameEnd = scanName(text, nameStart, end);
    if (nameEnd === nameStart) {
      this.report(at, end, Code.VariableDefinitionInvalid,
        "Expected a variable name after '@': write '@name = value', the name made of letters, digits, '_' or '-' and not starting with a digit.");
      return;
    }
    let equals = skipWhitespace(text, nameEnd, end);
    // httpYac's `@name := value` keeps `{{...}}` in the value until it is used: Courier expands
    // every file variable where it is used, so `:=` reads as `=`.
    if (equals + 1 < end && text.charCodeAt(equals) === COLON && text.charCodeAt(equals + 1) === EQUALS) equals++;
    if (equals >= end || text.charCodeAt(equals) !== EQUALS) {
      const name = text.slice(nameStart, nameEnd);
      const found = equals >= end ? 'nothing' : `'${text.slice(equals, skipNonWhitespace(text, equals, end))}'`;
      this.report(at, end, Code.VariableDefinitionInvalid,
        `Expected '=' after '@${name}' but found ${found}: write '@${name} = value' (names may contain letters, digits, '_' and '-').`);
      return;
    }
    const value = this.template(skipWhitespace(text, equals + 1, end), end);
    const variables = this.tables.variables;
    const record = variables.add();
    const data = variables.data;
    data[record + Var.start] = at;
    data[record + Var.end] = end;
    data[record + Var.nameStart] = nameStart;
    data[record + Var.nameEnd] = nameEnd;
    data[record + Var.value] = value;
  }

  // ---- Requests -----------------------------------------------------------

  /** The request starting at `requestLine`; returns its index in the requests table. */
  private parseRequest(requestLine: number, limit: number, titleStart: number, titleEnd: number, firstDirective: number, firstHandler: number, firstAssertion: number): number {
    const { text, lines, tables } = this;
    const lineStart = lines.starts[requestLine];
    const lineFirst = skipWhitespace(text, lineStart, lines.ends[requestLine]);
    const lineEnd = trimEnd(text, lineFirst, lines.ends[requestLine]);
    const parts = this.splitRequestLine(lineFirst, lineEnd);
    const { methodStart, methodEnd, targetStart, targetEnd } = parts;
    let { versionStart, versionEnd } = parts;

    let line = requestLine + 1;
    const pieces = this.pieces;
    clear(pieces);
    for (; line < limit; line++) {
      if (!this.continuesTarget(line)) {
        // REST Client drops comment lines before it reads a request: `    # &limit=10` between
        // the pieces of a multi-line target is left out, and the target goes on after it.
        const resumed = this.skipCommentsInTarget(line, limit);
        if (resumed === line) break;
        line = resumed;
      }
      if (pieces.length === 0) pieces.push(targetStart, targetEnd);
      const first = skipWhitespace(text, lines.starts[line], lines.ends[line]);
      pieces.push(first, trimEnd(text, first, lines.ends[line]));
    }
    const firstTarget = tables.templates.count;
    if (pieces.length === 0) {
      this.template(targetStart, targetEnd);
    } else {
      if (versionStart === -1) {
        // In a multi-line target the version closes the last line: `    &page=2 HTTP/1.1`.
        const lastStart = pieces[pieces.length - 2];
        const lastEnd = pieces[pieces.length - 1];
        const wordStart = lastWordStart(text, lastStart, lastEnd);
        if (wordStart > lastStart && isHttpVersion(text, wordStart, lastEnd)) {
          versionStart = wordStart;
          versionEnd = lastEnd;
          pieces[pieces.length - 1] = trimEnd(text, lastStart, wordStart);
        }
      }
      for (let index = 0; index < pieces.length; index += 2) this.template(pieces[index], pieces[index + 1]);
    }
    const targetCount = tables.templates.count - firstTarget;
    const form = this.targetForm(firstTarget, targetCount);

    const firstHeader = tables.headers.count;
    line = this.parseHeaders(line, limit);
    const headerCount = tables.headers.count - firstHeader;

    let bodyEndLine = line;
    while (bodyEndLine < limit && this.trailerKind(bodyEndLine) === Trailer.none) bodyEndLine++;
    bodyEndLine = this.bodyEndBeforeBlockComments(line, bodyEndLine);
    const firstPart = tables.parts.count;
    this.parseContent(line, bodyEndLine);
    const partCount = tables.parts.count - firstPart;
    let bodyStart = -1;
    let bodyEnd = -1;
    let multipart = -1;
    let graphql = -1;
    if (partCount > 0) {
      const partData = tables.parts.data;
      bodyStart = partData[firstPart * Part.size + Part.start];
      bodyEnd = partData[(firstPart + partCount - 1) * Part.size + Part.end];
      const bodyRefs = tables.templates.data[partData[firstPart * Part.size + Part.template] * Tpl.size + Tpl.firstRef];
      this.borrowRefs(bodyRefs);
      multipart = this.multipart(line, bodyEndLine, firstHeader, headerCount);
      this.borrowRefs(bodyRefs);
      if (this.isGraphql(methodStart, methodEnd, firstHeader, headerCount) || this.isHttpYacGraphql(firstPart, firstHeader, headerCount)) {
        graphql = this.graphql(firstPart, line, bodyEndLine);
      }
      this.borrowedRefsEnd = -1;
    }

    const firstResponseRef = tables.responseRefs.count;
    const redirect = this.parseTrailers(bodyEndLine, limit);

    let nameStart = titleStart;
    let nameEnd = titleEnd;
    const directives = tables.directives;
    for (let index = firstDirective; index < directives.count; index++) {
      const at = index * Dir.size;
      const data = directives.data;
      if (data[at + Dir.valueStart] !== -1 && data[at + Dir.nameEnd] - data[at + Dir.nameStart] === 4 && text.startsWith('name', data[at + Dir.nameStart])) {
        nameStart = data[at + Dir.valueStart];
        nameEnd = data[at + Dir.valueEnd];
      }
    }

    const requests = tables.requests;
    const at = requests.add();
    const data = requests.data;
    data[at + Req.start] = lineFirst;
    data[at + Req.end] = Math.max(lineEnd, this.lastContentEnd(requestLine, limit));
    data[at + Req.requestLineEnd] = lineEnd;
    data[at + Req.methodStart] = methodStart;
    data[at + Req.methodEnd] = methodEnd;
    data[at + Req.versionStart] = versionStart;
    data[at + Req.versionEnd] = versionEnd;
    data[at + Req.firstTarget] = firstTarget;
    data[at + Req.targetCount] = targetCount;
    data[at + Req.form] = form;
    data[at + Req.firstHeader] = firstHeader;
    data[at + Req.headerCount] = headerCount;
    data[at + Req.firstPart] = firstPart;
    data[at + Req.partCount] = partCount;
    data[at + Req.bodyStart] = bodyStart;
    data[at + Req.bodyEnd] = bodyEnd;
    data[at + Req.multipart] = multipart;
    data[at + Req.graphql] = graphql;
    data[at + Req.firstHandler] = firstHandler;
    data[at + Req.handlerCount] = tables.handlers.count - firstHandler;
    data[at + Req.firstAssertion] = firstAssertion;
    data[at + Req.assertionCount] = tables.assertions.count - firstAssertion;
    data[at + Req.redirectStart] = redirect.start;
    data[at + Req.redirectEnd] = redirect.end;
    data[at + Req.redirectPath] = redirect.path;
    data[at + Req.redirectOverwrite] = redirect.overwrite;
    data[at + Req.firstResponseRef] = firstResponseRef;
    data[at + Req.responseRefCount] = tables.responseRefs.count - firstResponseRef;
    data[at + Req.nameStart] = nameStart;
    data[at + Req.nameEnd] = nameEnd;
    return at / Req.size;
  }

  /** `[METHOD] target [HTTP/x.y]`; the target may be missing (reported) or contain spaces. */
  private splitRequestLine(first: number, end: number): RequestLineParts {
    const { text } = this;
    const parts = this.requestLine;
    const firstWordEnd = scanWord(text, first, end);
    const afterFirstWord = skipWhitespace(text, firstWordEnd, end);
    let methodStart = -1;
    let methodEnd = -1;
    let restStart = first;
    if (afterFirstWord === end) {
      if (wellKnownMethods.has(text.slice(first, firstWordEnd))) {
        methodStart = first;
        methodEnd = firstWordEnd;
        restStart = end;
      }
    } else if (isToken(text, first, firstWordEnd)) {
      methodStart = first;
      methodEnd = firstWordEnd;
      restStart = afterFirstWord;
    }

    let targetEnd = end;
    let versionStart = -1;
    let versionEnd = -1;
    // JetBrains writes cleartext HTTP/2 as `HTTP/2 (Prior Knowledge)`: the version token spans both.
    const versionWordEnd = endsWithPriorKnowledge(text, restStart, end) ? trimEnd(text, restStart, end - priorKnowledge.length) : end;
    const wordStart = lastWordStart(text, restStart, versionWordEnd);
    if (wordStart < versionWordEnd && isHttpVersion(text, wordStart, versionWordEnd)) {
      versionStart = wordStart;
      versionEnd = end;
      targetEnd = trimEnd(text, restStart, wordStart);
    }
    const targetStart = Math.min(restStart, targetEnd);
    if (targetStart === targetEnd) {
      const method = methodStart === -1 ? undefined : text.slice(methodStart, methodEnd);
      const after = method ?? 'the method';
      this.report(methodStart === -1 ? first : methodStart, end, Code.RequestMissingTarget,
        `Request has no target: write a URL after ${after}, e.g. '${method ?? 'GET'} https://example.com/path'.`);
    }
    parts.methodStart = methodStart;
    parts.methodEnd = methodEnd;
    parts.targetStart = targetStart;
    parts.targetEnd = targetEnd;
    parts.versionStart = versionStart;
    parts.versionEnd = versionEnd;
    return parts;
  }

  /** Indented lines right after the request line continue the target: `?a=1`, `&b=2`, `/more`. */
  private continuesTarget(line: number): boolean {
    const { text, lines } = this;
    const lineStart = lines.starts[line];
    const lineEnd = lines.ends[line];
    if (lineStart >= lineEnd || !isWhitespace(text.charCodeAt(lineStart))) return false;
    const first = skipWhitespace(text, lineStart, lineEnd);
    if (first === lineEnd) return false;
    if (isAssertionStart(text, first, lineEnd)) return false;
    const code = text.charCodeAt(first);
    if (code === QUESTION || code === AMPERSAND || code === SLASH) return true;
    if (commentMarkerLength(text, first, lineEnd) > 0) return false;
    // An indented `Name: value` is a header; anything else still belongs to the target.
    const nameEnd = firstNonTokenCharacter(text, first, lineEnd);
    return !(nameEnd > first && nameEnd < lineEnd && text.charCodeAt(nameEnd) === COLON);
  }

  /**
   * When the comment lines from `line` on are followed by a line that continues the target,
   * records them as comments and returns that line; otherwise returns `line`, recording nothing.
   */
  private skipCommentsInTarget(line: number, limit: number): number {
    const { text, lines } = this;
    let next = line;
    for (; next < limit; next++) {
      const first = skipWhitespace(text, lines.starts[next], lines.ends[next]);
      if (first === lines.ends[next] || commentMarkerLength(text, first, lines.ends[next]) === 0) break;
    }
    if (next === line || next >= limit || !this.continuesTarget(next)) return line;
    for (let comment = line; comment < next; comment++) {
      const first = skipWhitespace(text, lines.starts[comment], lines.ends[comment]);
      this.parseComment(first, first + commentMarkerLength(text, first, lines.ends[comment]), lines.ends[comment]);
    }
    return next;
  }

  /** The form of the target whose pieces are the `count` templates from `first`. */
  private targetForm(first: number, count: number): TargetForm {
    const { text } = this;
    const data = this.tables.templates.data;
    if (count > 1) {
      const joined = joinedText(text, data, first, count, '');
      return formOf(joined, 0, joined.length);
    }
    return formOf(text, data[first * Tpl.size + Tpl.start], data[first * Tpl.size + Tpl.end]);
  }

  // ---- Headers ------------------------------------------------------------

  /** Headers up to the first blank line; returns the first line after them (and after the blank line). */
  private parseHeaders(firstLine: number, limit: number): number {
    const { text, lines, tables } = this;
    const firstHeader = tables.headers.count;
    let line = firstLine;
    // Only a line right after a header (or its continuation) may continue it: a comment in
    // between ends the fold, so a value's span never covers text its value skips.
    let previousLineIsHeader = false;
    for (; line < limit; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) return line + 1;
      if (isAssertionStart(text, first, lineEnd)) {
        // httpYac reads `??` lines among the headers too; the headers go on after them.
        this.addAssertion(first, lineEnd);
        previousLineIsHeader = false;
        continue;
      }
      if (this.trailerKind(line) !== Trailer.none || this.isBodyFileLine(lineStart, lineEnd)) return line;
      const marker = commentMarkerLength(text, first, lineEnd);
      if (marker > 0) {
        this.parseComment(first, first + marker, lineEnd);
        previousLineIsHeader = false;
        continue;
      }
      const continues = first > lineStart && tables.headers.count > firstHeader && previousLineIsHeader;
      // httpYac starts the body at the first line that is not a header, blank line or not.
      if (!continues && startsBodyWithoutBlankLine(text, first, lineEnd)) return line;
      previousLineIsHeader = true;
      if (continues) {
        this.continueHeader(first, trimEnd(text, first, lineEnd));
        continue;
      }
      this.parseHeader(first, trimEnd(text, first, lineEnd));
    }
    return line;
  }

  private parseHeader(first: number, end: number): void {
    const { text } = this;
    let colon = first;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon++;
    let nameEnd: number;
    let value: number;
    if (colon === end) {
      nameEnd = end;
      this.report(first, end, Code.HeaderMissingColon,
        `Header '${text.slice(first, end)}' has no ':': write 'Name: value', or add a blank line before it if it is body text.`);
      value = this.template(end, end);
    } else {
      nameEnd = trimEnd(text, first, colon);
      if (nameEnd === first) {
        this.report(first, colon + 1, Code.HeaderEmptyName, "Header has no name before ':': write 'Name: value'.");
      } else {
        const bad = firstNonTokenCharacter(text, first, nameEnd);
        if (bad < nameEnd) {
          this.report(first, nameEnd, Code.HeaderInvalidName,
            `Header name '${text.slice(first, nameEnd)}' contains '${text[bad]}', which header names cannot contain: use only letters, digits and !#$%&'*+-.^_\`|~.`);
        }
      }
      value = this.template(skipWhitespace(text, colon + 1, end), end);
    }
    const headers = this.tables.headers;
    const at = headers.add();
    const data = headers.data;
    data[at + Hdr.start] = first;
    data[at + Hdr.end] = end;
    data[at + Hdr.nameStart] = first;
    data[at + Hdr.nameEnd] = nameEnd;
    data[at + Hdr.colon] = colon === end ? -1 : colon;
    data[at + Hdr.firstValue] = value;
    data[at + Hdr.valueCount] = 1;
  }

  /** An indented line after a header continues its value (joined with one space when read). */
  private continueHeader(first: number, end: number): void {
    this.template(first, end);
    const headers = this.tables.headers;
    const at = (headers.count - 1) * Hdr.size;
    headers.data[at + Hdr.end] = end;
    headers.data[at + Hdr.valueCount]++;
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
  private parseContent(firstLine: number, endLine: number): void {
    const { text, lines } = this;
    let runStart = -1;
    let runEnd = -1;
    for (let line = firstLine; line < endLine; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      if (this.isBodyFileLine(lineStart, lineEnd)) {
        if (runStart !== -1) this.addPart(PartKind.text, runStart, runEnd, runStart, runEnd, false);
        runStart = -1;
        const substituteVariables = text.charCodeAt(lineStart + 1) === AT;
        const pathStart = skipWhitespace(text, lineStart + (substituteVariables ? 2 : 1), lineEnd);
        this.addPart(PartKind.file, lineStart, trimEnd(text, pathStart, lineEnd), pathStart, trimEnd(text, pathStart, lineEnd), substituteVariables);
        continue;
      }
      if (isBlank(text, lineStart, lineEnd)) continue;
      if (runStart === -1) runStart = lineStart;
      runEnd = lineEnd;
    }
    if (runStart !== -1) this.addPart(PartKind.text, runStart, runEnd, runStart, runEnd, false);
  }

  private addPart(kind: number, start: number, end: number, templateStart: number, templateEnd: number, substitute: boolean): void {
    const template = this.template(templateStart, templateEnd);
    const parts = this.tables.parts;
    const at = parts.add();
    const data = parts.data;
    data[at + Part.kind] = kind;
    data[at + Part.start] = start;
    data[at + Part.end] = end;
    data[at + Part.template] = template;
    data[at + Part.substitute] = substitute ? 1 : 0;
  }

  /** The multipart body in lines `[firstLine, endLine)` when `Content-Type` asks for one with a boundary; its index, or -1. */
  private multipart(firstLine: number, endLine: number, firstHeader: number, headerCount: number): number {
    const { text, lines, tables } = this;
    const contentType = this.contentTypeValue(firstHeader, headerCount);
    if (contentType === undefined || !contentType.toLowerCase().startsWith('multipart/')) return -1;
    const boundary = boundaryParameter(contentType);
    if (boundary === undefined) return -1;

    const delimiter = `--${boundary}`;
    const firstPart = tables.multipartParts.count;
    let closed = false;
    let partFirstLine = -1;
    for (let line = firstLine; line < endLine && !closed; line++) {
      const lineStart = lines.starts[line];
      if (!text.startsWith(delimiter, lineStart)) continue;
      const after = trimEnd(text, lineStart, lines.ends[line]);
      const delimiterEnd = lineStart + delimiter.length;
      if (after === delimiterEnd) {
        if (partFirstLine !== -1) this.multipartPart(partFirstLine, line);
        partFirstLine = line + 1;
      } else if (after === delimiterEnd + 2 && text.charCodeAt(delimiterEnd) === MINUS && text.charCodeAt(delimiterEnd + 1) === MINUS) {
        if (partFirstLine !== -1) this.multipartPart(partFirstLine, line);
        partFirstLine = -1;
        closed = true;
      }
    }
    if (!closed && partFirstLine !== -1) this.multipartPart(partFirstLine, endLine);
    const multiparts = tables.multiparts;
    const at = multiparts.add();
    const data = multiparts.data;
    data[at + Multi.boundary] = tables.strings.push(boundary) - 1;
    data[at + Multi.closed] = closed ? 1 : 0;
    data[at + Multi.firstPart] = firstPart;
    data[at + Multi.partCount] = tables.multipartParts.count - firstPart;
    return at / Multi.size;
  }

  private multipartPart(firstLine: number, endLine: number): void {
    const { text, lines, tables } = this;
    const firstHeader = tables.headers.count;
    let line = firstLine;
    for (; line < endLine; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) {
        line++;
        break;
      }
      if (first > lineStart && tables.headers.count > firstHeader) this.continueHeader(first, trimEnd(text, first, lineEnd));
      else this.parseHeader(first, trimEnd(text, first, lineEnd));
    }
    const headerCount = tables.headers.count - firstHeader;
    const firstPart = tables.parts.count;
    this.parseContent(line, endLine);
    const partCount = tables.parts.count - firstPart;
    const start = this.lineStart(firstLine);
    const lastEnd = partCount > 0 ? tables.parts.data[(firstPart + partCount - 1) * Part.size + Part.end]
      : headerCount > 0 ? tables.headers.data[(firstHeader + headerCount - 1) * Hdr.size + Hdr.end] : start;
    const parts = tables.multipartParts;
    const at = parts.add();
    const data = parts.data;
    data[at + MPart.start] = start;
    data[at + MPart.end] = Math.max(start, lastEnd);
    data[at + MPart.firstHeader] = firstHeader;
    data[at + MPart.headerCount] = headerCount;
    data[at + MPart.firstPart] = firstPart;
    data[at + MPart.partCount] = partCount;
  }

  /**
   * httpYac sends a body that starts with `query` or `mutation` as a GraphQL query whatever the
   * method and headers. Courier follows it where the body cannot be meant as written: a JSON
   * Content-Type, which such a body is not (an `application/graphql` body stays raw, as REST Client
   * and JetBrains send it).
   */
  private isHttpYacGraphql(firstPart: number, firstHeader: number, headerCount: number): boolean {
    const { text, tables } = this;
    const at = firstPart * Part.size;
    if (tables.parts.data[at + Part.kind] !== PartKind.text) return false;
    const start = tables.parts.data[at + Part.start];
    const keywordEnd = text.startsWith('query', start) ? start + 5 : text.startsWith('mutation', start) ? start + 8 : -1;
    if (keywordEnd === -1) return false;
    const next = text.charCodeAt(keywordEnd);
    if (!(isWhitespace(next) || next === OPEN_BRACE || next === 0x28 /* ( */ || next === 0x0a || next === 0x0d)) return false;
    const contentType = this.contentTypeValue(firstHeader, headerCount)?.toLowerCase();
    return contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\b/.test(contentType);
  }

  private isGraphql(methodStart: number, methodEnd: number, firstHeader: number, headerCount: number): boolean {
    if (methodStart !== -1 && equalsIgnoringCaseAt(this.text, methodStart, methodEnd, 'graphql')) return true;
    return this.lastHeaderValue(firstHeader, headerCount, 'x-request-type')?.toLowerCase() === 'graphql';
  }

  /**
   * The query, then after a blank line followed by a `{` line, the JSON variables; its index, or -1.
   * Only inline text is a query: a body taken from a file is sent as written.
   */
  private graphql(firstPart: number, firstLine: number, endLine: number): number {
    const { text, lines, tables } = this;
    const partAt = firstPart * Part.size;
    if (tables.parts.data[partAt + Part.kind] !== PartKind.text) return -1;
    const partStart = tables.parts.data[partAt + Part.start];
    const partEnd = tables.parts.data[partAt + Part.end];
    let queryEnd = partEnd;
    let variablesStart = -1;
    let sawBlank = false;
    for (let line = firstLine; line < endLine; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      if (lineStart < partStart) continue;
      if (lineStart >= partEnd) break;
      const first = skipWhitespace(text, lineStart, lineEnd);
      if (first === lineEnd) {
        sawBlank = true;
        continue;
      }
      if (sawBlank && text.charCodeAt(first) === OPEN_BRACE) {
        queryEnd = this.lastContentEnd(firstLine, line);
        variablesStart = first;
        break;
      }
      sawBlank = false;
    }
    // The query's template first: both take their refs from the body's, in document order.
    const query = variablesStart === -1 ? tables.parts.data[partAt + Part.template] : this.template(partStart, queryEnd);
    const variables = variablesStart === -1 ? -1 : this.template(variablesStart, partEnd);
    const queryText = text.slice(tables.templates.data[query * Tpl.size + Tpl.start], tables.templates.data[query * Tpl.size + Tpl.end]);
    const operationName = graphqlOperationPattern.exec(queryText)?.[1];
    const firstFragmentUse = tables.fragmentUses.count;
    if (tables.fragments.count > 0) this.useFragments(queryText);
    const graphqls = tables.graphqls;
    const at = graphqls.add();
    const data = graphqls.data;
    data[at + Graphql.query] = query;
    data[at + Graphql.variables] = variables;
    data[at + Graphql.operationName] = operationName === undefined ? -1 : tables.strings.push(operationName) - 1;
    data[at + Graphql.firstFragmentUse] = firstFragmentUse;
    data[at + Graphql.fragmentUseCount] = tables.fragmentUses.count - firstFragmentUse;
    return at / Graphql.size;
  }

  /**
   * Records the fragments written so far that `query` spreads (`...Name`), as httpYac picks them:
   * in the file's order, each appended to what is sent, so a fragment may spread one written after it.
   */
  private useFragments(query: string): void {
    const { text, tables } = this;
    const fragments = tables.fragments;
    let sent = query;
    for (let fragment = 0; fragment < fragments.count; fragment++) {
      const at = fragment * Frag.size;
      const name = text.slice(fragments.data[at + Frag.nameStart], fragments.data[at + Frag.nameEnd]);
      if (!spreadsFragment(sent, name)) continue;
      const uses = tables.fragmentUses;
      // `add` may grow the table into a new array: read `data` after it.
      const use = uses.add();
      uses.data[use + FragUse.fragment] = fragment;
      sent += `\n${text.slice(fragments.data[at + Frag.start], fragments.data[at + Frag.end])}`;
    }
  }

  /** The value of the header that gives the request its Content-Type (the rule of contentType.ts), or undefined. */
  private contentTypeValue(first: number, count: number): string | undefined {
    const { text, tables } = this;
    const data = tables.headers.data;
    const index = contentTypeHeaderIndex(count, (header) => equalsIgnoringCaseAt(text, data[(first + header) * Hdr.size + Hdr.nameStart], data[(first + header) * Hdr.size + Hdr.nameEnd], 'content-type'));
    if (index === -1) return undefined;
    const at = (first + index) * Hdr.size;
    return joinedText(text, tables.templates.data, data[at + Hdr.firstValue], data[at + Hdr.valueCount], ' ');
  }

  /** The value of the last of the `count` headers from `first` named `name` (lower case). */
  private lastHeaderValue(first: number, count: number, name: string): string | undefined {
    const { text, tables } = this;
    const data = tables.headers.data;
    for (let index = first + count - 1; index >= first; index--) {
      const at = index * Hdr.size;
      if (equalsIgnoringCaseAt(text, data[at + Hdr.nameStart], data[at + Hdr.nameEnd], name)) {
        return joinedText(text, tables.templates.data, data[at + Hdr.firstValue], data[at + Hdr.valueCount], ' ');
      }
    }
    return undefined;
  }

  // ---- Response handlers and what follows the body --------------------------

  /** What a line after the body starts. */
  private trailerKind(line: number): Trailer {
    const { text, lines } = this;
    const start = lines.starts[line];
    const end = lines.ends[line];
    if (start + 1 >= end) return Trailer.none;
    const firstNonBlank = skipWhitespace(text, start, end);
    if (isAssertionStart(text, firstNonBlank, end)) return Trailer.assertion;
    if (scriptBlockStart(text, firstNonBlank, end) !== undefined) return Trailer.scriptBlock;
    const first = text.charCodeAt(start);
    const second = text.charCodeAt(start + 1);
    if (first === LESS) return second === GREATER && this.hasWordAfter(start + 2, end) ? Trailer.responseReference : Trailer.none;
    if (first !== GREATER) return Trailer.none;
    if (second === GREATER) {
      const pathFrom = start + 2 < end && text.charCodeAt(start + 2) === EXCLAMATION ? start + 3 : start + 2;
      return this.hasWordAfter(pathFrom, end) ? Trailer.redirect : Trailer.none;
    }
    const afterMarker = skipWhitespace(text, start + 1, end);
    if (text.charCodeAt(afterMarker) === OPEN_BRACE && text.charCodeAt(afterMarker + 1) === PERCENT && afterMarker + 1 < end) return Trailer.script;
    // `> path.js`: one word, so a quoted line of prose (`> note this`) stays body text.
    if (!isWhitespace(second) || afterMarker === end) return Trailer.none;
    return skipNonWhitespace(text, afterMarker, end) === trimEnd(text, afterMarker, end) ? Trailer.handlerFile : Trailer.none;
  }

  private hasWordAfter(from: number, end: number): boolean {
    return from < end && isWhitespace(this.text.charCodeAt(from)) && skipWhitespace(this.text, from, end) < end;
  }

  /** Handlers, output redirect and response references after the body, to the block's end; returns the redirect. */
  private parseTrailers(firstLine: number, limit: number): RedirectParts {
    const { text, lines, tables } = this;
    const redirect = this.redirect;
    redirect.start = -1;
    redirect.end = -1;
    redirect.path = -1;
    redirect.overwrite = 0;
    for (let line = firstLine; line < limit; line++) {
      const lineStart = lines.starts[line];
      const lineEnd = lines.ends[line];
      const kind = this.trailerKind(line);
      if (kind === Trailer.script) {
        line = this.parseScript(line, limit);
      } else if (kind === Trailer.scriptBlock) {
        const first = skipWhitespace(text, lineStart, lineEnd);
        const opened = scriptBlockStart(text, first, lineEnd);
        if (opened !== undefined) line = this.parseScriptBlock(line, limit, first, opened, true);
      } else if (kind === Trailer.handlerFile) {
        const pathStart = skipWhitespace(text, lineStart + 1, lineEnd);
        const end = trimEnd(text, pathStart, lineEnd);
        this.addHandler(HandlerKind.file, HandlerPhase.response, lineStart, end, pathStart, end, true);
      } else if (kind === Trailer.assertion) {
        this.addAssertion(skipWhitespace(text, lineStart, lineEnd), lineEnd);
      } else if (kind === Trailer.redirect) {
        const overwrite = text.charCodeAt(lineStart + 2) === EXCLAMATION;
        const pathStart = skipWhitespace(text, lineStart + (overwrite ? 3 : 2), lineEnd);
        const end = trimEnd(text, pathStart, lineEnd);
        // One response, one file: the first redirect wins, as in the JetBrains client.
        if (redirect.path === -1) {
          redirect.path = this.template(pathStart, end);
          redirect.start = lineStart;
          redirect.end = end;
          redirect.overwrite = overwrite ? 1 : 0;
        }
      } else if (kind === Trailer.responseReference) {
        const pathStart = skipWhitespace(text, lineStart + 2, lineEnd);
        const end = trimEnd(text, pathStart, lineEnd);
        const references = tables.responseRefs;
        const at = references.add();
        const data = references.data;
        data[at + ResponseRef.start] = lineStart;
        data[at + ResponseRef.end] = end;
        data[at + ResponseRef.pathStart] = pathStart;
        data[at + ResponseRef.pathEnd] = end;
      } else {
        const first = skipWhitespace(text, lineStart, lineEnd);
        const marker = commentMarkerLength(text, first, lineEnd);
        const blockCommentEnd = marker > 0 ? -1 : this.blockCommentEnd(line, limit);
        if (marker > 0) this.parseComment(first, first + marker, lineEnd);
        else if (blockCommentEnd !== -1) {
          this.addBlockComment(line, blockCommentEnd);
          line = blockCommentEnd;
        }
      }
    }
    return redirect;
  }

  /** `> {% ... %}`, possibly over several lines; unterminated scripts run to the block's end. Returns its last line. */
  private parseScript(line: number, limit: number): number {
    const { text, lines } = this;
    const start = lines.starts[line];
    const lineEnd = lines.ends[line];
    const scriptStart = indexOfPair(text, OPEN_BRACE, PERCENT, start, lineEnd) + 2;
    const blockEnd = this.lineStart(limit);
    const close = indexOfPair(text, PERCENT, CLOSE_BRACE, scriptStart, blockEnd);
    if (close !== -1) {
      let lastLine = line;
      while (lines.ends[lastLine] < close + 2) lastLine++;
      this.addHandler(HandlerKind.script, HandlerPhase.response, start, close + 2, scriptStart, close, true);
      return lastLine;
    }
    const end = Math.max(scriptStart, this.lastContentEnd(line, limit));
    this.report(start, scriptStart, Code.HandlerUnterminated,
      "Response handler script is not closed: add '%}' where the script ends, before the next '###'.");
    this.addHandler(HandlerKind.script, HandlerPhase.response, start, end, scriptStart, end, false);
    return limit - 1;
  }

  /**
   * httpYac's `{{` script block opened on `line` (at `first`): its lines up to a line `}}`, which
   * httpYac needs to see a script at all. Unclosed, it runs to the block's end (reported), as an
   * unclosed `{% %}` does. Returns its last line.
   */
  private parseScriptBlock(line: number, limit: number, first: number, opened: ScriptBlockStart, afterRequest: boolean): number {
    const { text, lines } = this;
    let close = line + 1;
    while (close < limit && !isScriptBlockEnd(text, lines.starts[close], lines.ends[close])) close++;
    const terminated = close < limit;
    const contentStart = this.lineStart(line + 1);
    let contentEnd: number;
    let end: number;
    if (terminated) {
      contentEnd = close > line + 1 ? lines.ends[close - 1] : contentStart;
      end = trimEnd(text, lines.starts[close], lines.ends[close]);
    } else {
      contentEnd = Math.max(contentStart, this.lastContentEnd(line + 1, limit));
      end = Math.max(trimEnd(text, first, lines.ends[line]), contentEnd);
      this.report(first, trimEnd(text, first, lines.ends[line]), Code.ScriptBlockUnterminated,
        "Script block is not closed: add a line with '}}' alone where the script ends (a '{{' alone on its line starts an httpYac script; write '{{name}}' on one line for a variable).");
    }
    const blocks = this.tables.scriptBlocks;
    const at = blocks.add();
    const data = blocks.data;
    data[at + ScriptBlk.start] = first;
    data[at + ScriptBlk.end] = end;
    data[at + ScriptBlk.contentStart] = Math.min(contentStart, contentEnd);
    data[at + ScriptBlk.contentEnd] = contentEnd;
    data[at + ScriptBlk.event] = opened.event;
    data[at + ScriptBlk.everyRequest] = opened.everyRequest ? 1 : 0;
    data[at + ScriptBlk.afterRequest] = afterRequest ? 1 : 0;
    data[at + ScriptBlk.terminated] = terminated ? 1 : 0;
    return terminated ? close : limit - 1;
  }

  private addHandler(kind: number, phase: number, start: number, end: number, contentStart: number, contentEnd: number, terminated: boolean): void {
    const handlers = this.tables.handlers;
    const at = handlers.add();
    const data = handlers.data;
    data[at + Handler.kind] = kind;
    data[at + Handler.phase] = phase;
    data[at + Handler.start] = start;
    data[at + Handler.end] = end;
    data[at + Handler.contentStart] = contentStart;
    data[at + Handler.contentEnd] = contentEnd;
    data[at + Handler.terminated] = terminated ? 1 : 0;
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

  /** Records the template `[start, end)` and its references; returns its index. */
  private template(start: number, end: number): number {
    const { tables } = this;
    let firstRef = tables.refs.count;
    let refCount: number;
    if (this.borrowedRefsEnd === -1) {
      refCount = scanReferencesInto(tables.refs, tables.targets, this.text, start, end, this.problems, this.referenceSharing);
    } else {
      // Templates of a body are read in document order: the borrowed refs are walked once.
      const refs = tables.refs.data;
      let ref = this.borrowedRef;
      while (ref < this.borrowedRefsEnd && refs[ref * Ref.size + Ref.start] < start) ref++;
      firstRef = ref;
      while (ref < this.borrowedRefsEnd && refs[ref * Ref.size + Ref.end] <= end) ref++;
      refCount = ref - firstRef;
      this.borrowedRef = ref;
    }
    const templates = tables.templates;
    const at = templates.add();
    const data = templates.data;
    data[at + Tpl.start] = start;
    data[at + Tpl.end] = end;
    data[at + Tpl.firstRef] = firstRef;
    data[at + Tpl.refCount] = refCount;
    return at / Tpl.size;
  }

  /** Makes templates take their refs from those recorded from `first` on (see `borrowedRef`). */
  private borrowRefs(first: number): void {
    this.borrowedRef = first;
    this.borrowedRefsEnd = this.tables.refs.count;
  }

  private report(start: number, end: number, code: Code, message: string): void {
    this.problems.push({ start, end, code, message, severity: 'error' });
  }
}

/** The form of the target `text[start, end)`, as its first characters tell. */
function formOf(text: string, start: number, end: number): TargetForm {
  if (start >= end) return TargetForm.other;
  const first = text.charCodeAt(start);
  if (first === ASTERISK && end === start + 1) return TargetForm.asterisk;
  if (first === SLASH) return TargetForm.origin;
  return startsWithScheme(text, start, end) ? TargetForm.absolute : TargetForm.other;
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

const priorKnowledge = '(Prior Knowledge)';

/** Whether `[start, end)` ends with `(Prior Knowledge)`, in any case; the last character is checked first, so most lines pay one comparison. */
function endsWithPriorKnowledge(text: string, start: number, end: number): boolean {
  const from = end - priorKnowledge.length;
  return from > start && text.charCodeAt(end - 1) === 0x29 && text.slice(from, end).toLowerCase() === priorKnowledge.toLowerCase();
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
 * Empties a scratch array. Setting `length` calls into the V8 runtime (1-3% of a parse in
 * profiles); scratch arrays hold a few items, which `pop` removes inline.
 */
/** Whether `[start, end)` is a path to an `.http` or `.rest` file (what `import` and `run` name). */
function namesHttpFile(text: string, start: number, end: number): boolean {
  if (end - start < 6) return false;
  const tail = text.slice(Math.max(start, end - 5), end).toLowerCase();
  return tail.endsWith('.http') || tail.endsWith('.rest');
}

function clear(items: unknown[]): void {
  while (items.length !== 0) items.pop();
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

/** `??` at `first` (the line's first non-blank character): an httpYac assertion line, as `isAssertionLine` reads it. */
function isAssertionStart(text: string, first: number, end: number): boolean {
  return first + 1 < end && text.charCodeAt(first) === QUESTION && text.charCodeAt(first + 1) === QUESTION;
}

/**
 * Whether the line whose first non-blank character is at `first` opens a body although no blank
 * line came before it, as httpYac reads it: its first line cannot be a header (`{` of JSON, but
 * not `{{`, `[`, `<` of XML, or a JWT-like `xxx.yyy.zzz` token), so the headers end there. A
 * message separator of a WebSocket body (`===`, `=== wait-for-server`) cannot be a header either.
 */
function startsBodyWithoutBlankLine(text: string, first: number, lineEnd: number): boolean {
  const code = text.charCodeAt(first);
  if (code === OPEN_BRACE) return !(first + 1 < lineEnd && text.charCodeAt(first + 1) === OPEN_BRACE);
  if (code === EQUALS) return isMessageSeparator(text.slice(first, trimEnd(text, first, lineEnd)));
  if (code === OPEN_BRACKET) return true;
  if (code === LESS) {
    const next = first + 1 < lineEnd ? text.charCodeAt(first + 1) : 0;
    return next === QUESTION || next === EXCLAMATION || isAsciiLetter(next | 0x20);
  }
  return isJwtLike(text, first, trimEnd(text, first, lineEnd));
}

/** Three base64url segments joined by dots (`header.payload.signature`), the last one possibly empty. */
function isJwtLike(text: string, start: number, end: number): boolean {
  let dots = 0;
  let segmentLength = 0;
  for (let offset = start; offset < end; offset++) {
    const code = text.charCodeAt(offset);
    if (code === DOT) {
      if (segmentLength === 0) return false;
      dots++;
      segmentLength = 0;
    } else if (isBase64UrlCharacter(code)) {
      segmentLength++;
    } else {
      return false;
    }
  }
  return dots === 2;
}

function isBase64UrlCharacter(code: number): boolean {
  return isDigit(code) || isAsciiLetter(code | 0x20) || code === MINUS || code === UNDERSCORE;
}

/**
 * The methods httpYac's request line accepts, upper case as it requires, and the request forms of
 * its plugins that Courier sends too (WebSocket, Server-Sent Events, gRPC; JetBrains' WEBSOCKET).
 */
const httpYacMethods = [
  'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE',
  'LOCK', 'UNLOCK', 'CHECKOUT', 'CHECKIN', 'REPORT', 'MERGE', 'MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL', 'BASELINE-CONTROL',
  'MKCALENDAR', 'ACL', 'SEARCH', 'GRAPHQL', 'WEBSOCKET', 'WS', 'SSE', 'GRPC',
];

/**
 * Whether the line `[start, end)` is a request line by httpYac's rule: one of its methods, blanks,
 * then a URL. Compared in place: lines of headers and bodies that start with a capital are asked.
 */
function isHttpYacRequestLine(text: string, start: number, end: number): boolean {
  let wordEnd = start;
  while (wordEnd < end) {
    const code = text.charCodeAt(wordEnd);
    if (!((code >= UPPER_A && code <= UPPER_Z) || code === MINUS)) break;
    wordEnd++;
  }
  if (wordEnd === end || !isWhitespace(text.charCodeAt(wordEnd)) || skipWhitespace(text, wordEnd, end) === end) return false;
  const length = wordEnd - start;
  for (const method of httpYacMethods) {
    if (method.length === length && text.startsWith(method, start)) return true;
  }
  return false;
}

/** End of the GraphQL name (`[_A-Za-z][_0-9A-Za-z]*`) at `start`, or `start`. */
function scanGraphqlName(text: string, start: number, end: number): number {
  let offset = start;
  while (offset < end) {
    const code = text.charCodeAt(offset);
    if (!(code === UNDERSCORE || isAsciiLetter(code | 0x20) || (offset > start && isDigit(code)))) break;
    offset++;
  }
  return offset;
}

/** Whether `query` holds the spread `...name`, the name whole (`...PartsMore` does not spread `Parts`). */
function spreadsFragment(query: string, name: string): boolean {
  const spread = `...${name}`;
  for (let at = query.indexOf(spread); at !== -1; at = query.indexOf(spread, at + 1)) {
    const after = at + spread.length;
    const next = after < query.length ? query.charCodeAt(after) : 0;
    if (!(next === UNDERSCORE || isDigit(next) || isAsciiLetter(next | 0x20))) return true;
  }
  return false;
}

function isBlankOrLineBreak(code: number): boolean {
  return isWhitespace(code) || code === 0x0a || code === 0x0d;
}

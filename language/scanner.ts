// The line scanner: `.http` is a line-oriented format, so the parser walks lines,
// not characters. Lines are kept as offsets into the text (no copies), and the few
// character tests the grammar needs are done on char codes at those offsets.

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const SLASH = 0x2f;
const BYTE_ORDER_MARK = 0xfeff;

/** The lines of a text, as offsets. Line `i` is `[starts[i], ends[i])`, line break excluded. */
export interface LineTable {
  readonly starts: Uint32Array;
  /** Where each line's content ends, before its `\n`, `\r\n` or `\r`. */
  readonly ends: Uint32Array;
}

/**
 * Splits `text` into lines, recognising `\n`, `\r\n` and a lone `\r` as LSP does.
 * Lines are counted first so both tables are allocated once at their exact size:
 * the document keeps `starts`, and large files have hundreds of thousands of lines.
 */
export function scanLines(text: string): LineTable {
  // Most files use `\n` alone; `indexOf` finds those far faster than a loop over char codes.
  if (text.indexOf('\r') === -1) return scanLinesEndingInLineFeed(text);
  const length = text.length;
  let count = 1;
  for (let offset = 0; offset < length; offset++) {
    const code = text.charCodeAt(offset);
    if (code === LF) count++;
    else if (code === CR) {
      count++;
      if (offset + 1 < length && text.charCodeAt(offset + 1) === LF) offset++;
    }
  }
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  let line = 0;
  for (let offset = 0; offset < length; offset++) {
    const code = text.charCodeAt(offset);
    if (code === LF || code === CR) {
      ends[line] = offset;
      if (code === CR && offset + 1 < length && text.charCodeAt(offset + 1) === LF) offset++;
      starts[++line] = offset + 1;
    }
  }
  ends[line] = length;
  return { starts, ends };
}

function scanLinesEndingInLineFeed(text: string): LineTable {
  // Read before the loops: V8 compiles a long loop while it runs, and a first read of
  // `text.length` after it had no type feedback then, so the compiled code was thrown away there
  // on about every other small text (a chunk re-parsed after an edit).
  const length = text.length;
  let count = 1;
  for (let offset = text.indexOf('\n'); offset !== -1; offset = text.indexOf('\n', offset + 1)) count++;
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  let line = 0;
  for (let offset = text.indexOf('\n'); offset !== -1; offset = text.indexOf('\n', offset + 1)) {
    ends[line] = offset;
    starts[++line] = offset + 1;
  }
  ends[line] = length;
  return { starts, ends };
}

/**
 * Space or tab. A byte order mark counts too: files read from disk may start with
 * one, and it must not turn `GET /` into a target named `\uFEFFGET`.
 */
export function isWhitespace(code: number): boolean {
  return code === SPACE || code === TAB || code === BYTE_ORDER_MARK;
}

/** First offset in `[from, to)` that is not a space or tab, or `to`. */
export function skipWhitespace(text: string, from: number, to: number): number {
  let offset = from;
  while (offset < to && isWhitespace(text.charCodeAt(offset))) offset++;
  return offset;
}

/** Offset just after the last non-space, non-tab character in `[from, to)`, or `from`. */
export function trimEnd(text: string, from: number, to: number): number {
  let offset = to;
  while (offset > from && isWhitespace(text.charCodeAt(offset - 1))) offset--;
  return offset;
}

/** First offset in `[from, to)` that is a space or tab, or `to`. */
export function skipNonWhitespace(text: string, from: number, to: number): number {
  let offset = from;
  while (offset < to && !isWhitespace(text.charCodeAt(offset))) offset++;
  return offset;
}

export function isBlank(text: string, start: number, end: number): boolean {
  return skipWhitespace(text, start, end) === end;
}

export function isIndented(text: string, start: number, end: number): boolean {
  return start < end && isWhitespace(text.charCodeAt(start));
}

/**
 * `###` (or more `#`) at the very start of a line: a request separator. Indented
 * `###` is not one, so body text such as Markdown headings can be indented safely.
 */
export function isSeparator(text: string, start: number, end: number): boolean {
  const first = start === 0 && text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : start;
  // Every line is asked: one char code rules out nearly all before `startsWith` runs.
  return first + 3 <= end && text.charCodeAt(first) === HASH && text.startsWith('###', first);
}

/**
 * Length of the comment marker (`#` or `//`) at `offset`, or 0 when there is none.
 * Callers check separators first: `###` is a separator, not a comment.
 */
export function commentMarkerLength(text: string, offset: number, end: number): number {
  if (offset >= end) return 0;
  const code = text.charCodeAt(offset);
  if (code === HASH) return 1;
  if (code === SLASH && offset + 1 < end && text.charCodeAt(offset + 1) === SLASH) return 2;
  return 0;
}

// RFC 9110 `tchar`: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const tokenCharacters = new Uint8Array(128);
for (const char of "!#$%&'*+-.^_`|~") tokenCharacters[char.charCodeAt(0)] = 1;
for (let code = 0x30; code <= 0x39; code++) tokenCharacters[code] = 1;
for (let code = 0x41; code <= 0x5a; code++) tokenCharacters[code] = 1;
for (let code = 0x61; code <= 0x7a; code++) tokenCharacters[code] = 1;

export function isTokenCharacter(code: number): boolean {
  return code < 128 && tokenCharacters[code] === 1;
}

/** Whether `[start, end)` is a non-empty RFC 9110 token (a method or header name). */
export function isToken(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let offset = start; offset < end; offset++) {
    if (!isTokenCharacter(text.charCodeAt(offset))) return false;
  }
  return true;
}

/** First offset in `[start, end)` that is not an RFC 9110 token character, or `end`. */
export function firstNonTokenCharacter(text: string, start: number, end: number): number {
  let offset = start;
  while (offset < end && isTokenCharacter(text.charCodeAt(offset))) offset++;
  return offset;
}

/** `[A-Za-z_]`: may start a variable or request name. */
export function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** `[A-Za-z0-9_-]`: may continue a variable or request name. */
export function isNamePart(code: number): boolean {
  return isNameStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2d;
}

/** Offset after the name starting at `start` (`[A-Za-z_][A-Za-z0-9_-]*`), or `start` if none starts there. */
export function scanName(text: string, start: number, end: number): number {
  if (start >= end || !isNameStart(text.charCodeAt(start))) return start;
  let offset = start + 1;
  while (offset < end && isNamePart(text.charCodeAt(offset))) offset++;
  return offset;
}

/**
 * Offset after the word at `start`: up to the next space or tab, except inside
 * `{{ ... }}`, so `{{ host }}/path` stays one word.
 */
export function scanWord(text: string, start: number, end: number): number {
  let offset = start;
  while (offset < end) {
    const code = text.charCodeAt(offset);
    if (isWhitespace(code)) return offset;
    if (code === 0x7b && offset + 1 < end && text.charCodeAt(offset + 1) === 0x7b) {
      offset += 2;
      while (offset + 1 < end && !(text.charCodeAt(offset) === 0x7d && text.charCodeAt(offset + 1) === 0x7d)) offset++;
      if (offset + 1 >= end) return end;
      offset += 2;
    } else {
      offset++;
    }
  }
  return end;
}

/** Whether `text[start, end)` starts with `scheme://` (`[A-Za-z][A-Za-z0-9+.-]*`), checked by char codes: every target asks. */
export function startsWithScheme(text: string, start = 0, end = text.length): boolean {
  if (start >= end || !isLetter(text.charCodeAt(start))) return false;
  let offset = start + 1;
  for (; offset < end; offset++) {
    const code = text.charCodeAt(offset);
    if (!(isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x2b /* + */ || code === 0x2e /* . */ || code === 0x2d /* - */)) break;
  }
  return offset + 3 <= end && text.startsWith('://', offset);
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** `text.toLowerCase() === other.toLowerCase()`, without the copies for ASCII text (header names are ASCII tokens). */
export function equalsIgnoringCase(text: string, other: string): boolean {
  if (text.length !== other.length) return false;
  for (let index = 0; index < text.length; index++) {
    const a = text.charCodeAt(index);
    const b = other.charCodeAt(index);
    if (a === b) continue;
    // Beyond ASCII, case folding has surprises (the Kelvin sign lowers to 'k'): ask the real thing.
    if (a >= 0x80 || b >= 0x80) return text.toLowerCase() === other.toLowerCase();
    if ((a | 0x20) !== (b | 0x20) || !isAsciiLetter(a | 0x20)) return false;
  }
  return true;
}

/** Whether `lower`, a char code with the lower-case bit set, is an ASCII letter. */
export function isAsciiLetter(lower: number): boolean {
  return lower >= 0x61 && lower <= 0x7a;
}

/** `equalsIgnoringCase(text.slice(start, end), lower)` without the copy. */
export function equalsIgnoringCaseAt(text: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let index = 0; index < lower.length; index++) {
    const a = text.charCodeAt(start + index);
    const b = lower.charCodeAt(index);
    if (a === b) continue;
    if (a >= 0x80 || b >= 0x80) return equalsIgnoringCase(text.slice(start, end), lower);
    if ((a | 0x20) !== (b | 0x20) || !isAsciiLetter(a | 0x20)) return false;
  }
  return true;
}

/** `equalsIgnoringCase` of two spans of `text`, without copies. */
export function sameNameIgnoringCase(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let index = 0; index < aEnd - aStart; index++) {
    const a = text.charCodeAt(aStart + index);
    const b = text.charCodeAt(bStart + index);
    if (a === b) continue;
    if (a >= 0x80 || b >= 0x80) return equalsIgnoringCase(text.slice(aStart, aEnd), text.slice(bStart, bEnd));
    if ((a | 0x20) !== (b | 0x20) || !isAsciiLetter(a | 0x20)) return false;
  }
  return true;
}

/**
 * How many slots a direct-mapped cache of a document's recent short texts gets: a power of two,
 * about one per 32 characters, from 64 (a block re-parsed after an edit) to 1,024 (a large file).
 */
export function recentTextSlots(textLength: number): number {
  let slots = 64;
  while (slots < 1024 && slots * 32 < textLength) slots *= 2;
  return slots;
}

/** The slot of `text[start, end)` in such a cache of `mask + 1` slots, from its length and three of its characters. */
export function recentTextSlot(text: string, start: number, end: number, mask: number): number {
  const length = end - start;
  if (length === 0) return 0;
  return (length * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(end - 1) * 3 + text.charCodeAt(start + (length >> 1))) & mask;
}

/**
 * Whether `text` holds the same `length` characters at `start` and at `other`. Compared within
 * `text`, one flat string: `startsWith` with a slice as the search string took 11% of a parse in
 * profiles (this takes 2%). Backwards, because texts that differ often share a prefix
 * (`listusers10`, `listusers11`).
 */
export function sameCharacters(text: string, start: number, other: number, length: number): boolean {
  for (let index = length - 1; index >= 0; index--) {
    if (text.charCodeAt(start + index) !== text.charCodeAt(other + index)) return false;
  }
  return true;
}

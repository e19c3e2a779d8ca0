// A streaming JSON pretty-printer that never builds the pretty text. One pass over the raw
// text, chunk by chunk as it arrives, records where each pretty line starts in the raw text
// and its depth (8 bytes a line); a line is tokenised only when it is shown or searched.
// The pass also validates: on a syntax error the panel falls back to raw lines.
import { IntList, maxRenderedLineLength, type LineModel, type TextStore, type Token, tokensText } from './lineModel';

const enum Expect {
  Value,
  ValueOrClose,
  Key,
  KeyOrClose,
  Colon,
  CommaOrClose,
  End,
}

const indentUnit = '  ';
/** Characters scanned between two looks at the clock. */
const scanStep = 32 * 1024;
const scalarPattern = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isScalarChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x2e || code === 0x2b || code === 0x2d;
}

export class JsonLineModel implements LineModel {
  private readonly starts = new IntList();
  private readonly depths = new IntList();
  /** Per line: the line closing the container it opens, or -1. */
  private readonly foldEnds = new IntList();
  private scannedChunks = 0;
  /** Characters of chunk `scannedChunks` already scanned. */
  private scannedInChunk = 0;
  private scannedTo = 0;
  private depth = 0;
  private readonly openers: { readonly array: boolean; readonly line: number }[] = [];
  private expect = Expect.Value;
  private inString = false;
  private escaped = false;
  private stringIsKey = false;
  private scalar: string | undefined;
  private pendingBreak = true;
  private justOpened = false;
  private finished = false;
  /** Why the text is not JSON, with the offset; undefined while it still is. */
  error: string | undefined;

  constructor(private readonly store: TextStore) {}

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * Scans what arrived since the last call, stopping once `deadline` (a `performance.now()` time)
   * has passed so a large chunk is indexed over several tasks. Returns false once the text proved not to be JSON.
   */
  scan(deadline = Number.POSITIVE_INFINITY): boolean {
    let chunk = this.store.chunkAt(this.scannedChunks);
    while (chunk !== undefined && this.error === undefined) {
      const end = Math.min(chunk.text.length, this.scannedInChunk + scanStep);
      this.scanChunk(chunk.text, chunk.start, this.scannedInChunk, end);
      this.scannedTo = chunk.start + end;
      if (end < chunk.text.length) {
        this.scannedInChunk = end;
      } else {
        this.scannedInChunk = 0;
        chunk = this.store.chunkAt(++this.scannedChunks);
      }
      if (deadline !== Number.POSITIVE_INFINITY && performance.now() >= deadline) break;
    }
    return this.error === undefined;
  }

  /** Whether everything that arrived is scanned (or the scan stopped at an error). */
  get scanned(): boolean {
    return this.error !== undefined || this.scannedTo >= this.store.length;
  }

  /** Ends the scan. `complete` is false when the panel got only the body's first part: then an unfinished document is expected. */
  finish(complete: boolean): boolean {
    if (!this.scan() || this.finished) return this.error === undefined;
    this.finished = true;
    if (this.scalar !== undefined) this.endScalar(this.scannedTo);
    if (complete && this.error === undefined) {
      if (this.inString) this.fail(this.scannedTo, 'the text ends inside a string');
      else if (this.starts.length === 0) this.fail(this.scannedTo, 'the body holds no JSON value');
      else if (this.expect !== Expect.End) this.fail(this.scannedTo, 'the text ends before the JSON value does');
    }
    return this.error === undefined;
  }

  private fail(offset: number, reason: string): void {
    this.error ??= `Not valid JSON at character ${offset}: ${reason}.`;
  }

  private pushLine(offset: number, depth: number): void {
    this.starts.push(offset);
    this.depths.push(depth);
    this.foldEnds.push(-1);
  }

  private afterValue(): void {
    this.expect = this.depth === 0 ? Expect.End : Expect.CommaOrClose;
  }

  private endScalar(offset: number): void {
    if (this.scalar !== undefined && !scalarPattern.test(this.scalar)) this.fail(offset, `\`${this.scalar.slice(0, 40)}\` is not a JSON value`);
    this.scalar = undefined;
    this.afterValue();
  }

  /** Scans `text` (a chunk starting at global offset `base`) from `from` to `to`; any split of the text gives the same lines. */
  private scanChunk(text: string, base: number, from: number, to: number): void {
    const length = to;
    for (let index = from; index < length; index++) {
      const code = text.charCodeAt(index);
      if (this.inString) {
        // Strings are most of a JSON body: a tight loop to the closing quote.
        while (index < length) {
          const inner = text.charCodeAt(index);
          if (this.escaped) this.escaped = false;
          else if (inner === 0x5c) this.escaped = true;
          else if (inner === 0x22) break;
          index++;
        }
        if (index === length) break;
        this.inString = false;
        if (this.stringIsKey) this.expect = Expect.Colon;
        else this.afterValue();
        continue;
      }
      if (this.scalar !== undefined) {
        if (isScalarChar(code)) {
          if (this.scalar.length < 64) this.scalar += text[index];
          continue;
        }
        this.endScalar(base + index);
        if (this.error !== undefined) return;
      }
      if (isWhitespace(code)) continue;
      const offset = base + index;
      if (this.pendingBreak) {
        this.pendingBreak = false;
        const top = this.openers[this.openers.length - 1];
        if (this.justOpened && top !== undefined && code === (top.array ? 0x5d : 0x7d)) {
          // `{}` and `[]` stay on their opener's line.
          this.openers.pop();
          this.depth--;
          this.justOpened = false;
          this.afterValue();
          continue;
        }
        this.justOpened = false;
        this.pushLine(offset, this.depth);
      }
      if (this.expect === Expect.End) return this.fail(offset, 'more text after the JSON value');
      switch (code) {
        case 0x7b: // {
        case 0x5b: // [
          if (this.expect !== Expect.Value && this.expect !== Expect.ValueOrClose) return this.fail(offset, `unexpected \`${text[index]}\``);
          this.openers.push({ array: code === 0x5b, line: this.starts.length - 1 });
          this.depth++;
          this.pendingBreak = true;
          this.justOpened = true;
          this.expect = code === 0x5b ? Expect.ValueOrClose : Expect.KeyOrClose;
          break;
        case 0x7d: // }
        case 0x5d: {
          // ]
          const top = this.openers[this.openers.length - 1];
          if (top === undefined || top.array !== (code === 0x5d) || this.expect !== Expect.CommaOrClose) return this.fail(offset, `unexpected \`${text[index]}\``);
          this.openers.pop();
          this.depth--;
          this.pushLine(offset, this.depth);
          this.foldEnds.set(top.line, this.starts.length - 1);
          this.afterValue();
          break;
        }
        case 0x2c: // ,
          if (this.expect !== Expect.CommaOrClose) return this.fail(offset, 'unexpected `,`');
          this.pendingBreak = true;
          this.expect = this.openers[this.openers.length - 1].array ? Expect.Value : Expect.Key;
          break;
        case 0x3a: // :
          if (this.expect !== Expect.Colon) return this.fail(offset, 'unexpected `:`');
          this.expect = Expect.Value;
          break;
        case 0x22: // "
          if (this.expect === Expect.Key || this.expect === Expect.KeyOrClose) this.stringIsKey = true;
          else if (this.expect === Expect.Value || this.expect === Expect.ValueOrClose) this.stringIsKey = false;
          else return this.fail(offset, 'unexpected string');
          this.inString = true;
          break;
        default:
          if (!isScalarChar(code) || (this.expect !== Expect.Value && this.expect !== Expect.ValueOrClose)) {
            return this.fail(offset, `unexpected \`${text[index]}\``);
          }
          this.scalar = text[index];
      }
    }
  }

  foldEnd(line: number): number {
    return line < this.foldEnds.length ? this.foldEnds.get(line) : -1;
  }

  private rawLine(line: number): { readonly raw: string; readonly cut: boolean } {
    const start = this.starts.get(line);
    const end = line + 1 < this.starts.length ? this.starts.get(line + 1) : this.scannedTo;
    return { raw: this.store.slice(start, Math.min(end, start + maxRenderedLineLength)), cut: end - start > maxRenderedLineLength };
  }

  tokens(line: number): readonly Token[] {
    const tokens: Token[] = [];
    const depth = this.depths.get(line);
    if (depth > 0) tokens.push({ text: indentUnit.repeat(depth), kind: 'punctuation' });
    const { raw, cut } = this.rawLine(line);
    let index = 0;
    while (index < raw.length) {
      const char = raw[index];
      if (char === ' ' || char === '\n' || char === '\r' || char === '\t') {
        index++;
      } else if (char === '"') {
        let end = index + 1;
        while (end < raw.length && raw[end] !== '"') end += raw[end] === '\\' ? 2 : 1;
        const text = raw.slice(index, Math.min(end + 1, raw.length));
        let next = end + 1;
        while (next < raw.length && /\s/.test(raw[next])) next++;
        tokens.push({ text, kind: raw[next] === ':' ? 'key' : 'string' });
        index = end + 1;
      } else if (char === ':') {
        tokens.push({ text: ': ', kind: 'punctuation' });
        index++;
      } else if ('{}[],'.includes(char)) {
        tokens.push({ text: char, kind: 'punctuation' });
        index++;
      } else {
        let end = index;
        while (end < raw.length && isScalarChar(raw.charCodeAt(end))) end++;
        if (end === index) end++;
        const text = raw.slice(index, end);
        tokens.push({ text, kind: /^[-\d]/.test(text) ? 'number' : 'literal' });
        index = end;
      }
    }
    if (cut) tokens.push({ text: ' … (line cut)', kind: 'ellipsis' });
    return tokens;
  }

  text(line: number): string {
    return tokensText(this.tokens(line));
  }
}

// The contract between body formatters (JSON, XML, plain text) and the virtual list:
// a body is a list of lines, each rendered on demand as coloured tokens.

export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punctuation' | 'tag' | 'attribute' | 'value' | 'comment' | 'text' | 'ellipsis';

export interface Token {
  readonly text: string;
  readonly kind: TokenKind;
}

/** Lines longer than this are cut when rendered: one 10 MB string value must not become one 10 MB DOM node. */
export const maxRenderedLineLength = 10_000;

export interface LineModel {
  /** Lines known so far; grows while body chunks arrive. */
  readonly lineCount: number;
  /** The line as coloured tokens, indentation included. */
  tokens(line: number): readonly Token[];
  /** The line's text: exactly its tokens joined, so search offsets match what is shown. */
  text(line: number): string;
  /** The last line of the fold that starts at `line`, or -1 when no fold starts there. */
  foldEnd(line: number): number;
}

/** Joins tokens into the line's text. */
export function tokensText(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) text += token.text;
  return text;
}

/** Entries per block of an `IntList`: 64 Ki (256 KiB), allocated in well under a millisecond. */
const blockBits = 16;
const blockSize = 1 << blockBits;
const blockMask = blockSize - 1;

/**
 * A growable array of 32-bit integers: millions of line offsets without millions of objects. It
 * grows by adding fixed-size blocks, never by copying: doubling one array of millions of entries
 * froze the panel for tens of milliseconds at a time while a large body was indexed.
 */
export class IntList {
  private readonly blocks: Int32Array[] = [];
  length = 0;

  push(value: number): number {
    const block = this.length >>> blockBits;
    if (block === this.blocks.length) this.blocks.push(new Int32Array(blockSize));
    this.blocks[block][this.length & blockMask] = value;
    return this.length++;
  }

  get(index: number): number {
    return this.blocks[index >>> blockBits][index & blockMask];
  }

  set(index: number, value: number): void {
    this.blocks[index >>> blockBits][index & blockMask] = value;
  }
}

/** Body text kept as the chunks it arrived in (no giant concatenation), addressed by global offset. */
export class TextStore {
  private readonly chunks: string[] = [];
  private readonly starts: number[] = [];
  length = 0;

  append(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    this.starts.push(this.length);
    this.length += text.length;
  }

  /** The chunks with their global start offsets, for scanners that walk the text once. */
  chunkAt(index: number): { readonly text: string; readonly start: number } | undefined {
    return index < this.chunks.length ? { text: this.chunks[index], start: this.starts[index] } : undefined;
  }

  /** Text between two global offsets, across chunk boundaries. */
  slice(start: number, end: number): string {
    end = Math.min(end, this.length);
    if (start >= end) return '';
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= start) low = middle;
      else high = middle - 1;
    }
    let result = '';
    for (let index = low; index < this.chunks.length && this.starts[index] < end; index++) {
      const chunkStart = this.starts[index];
      result += this.chunks[index].slice(Math.max(0, start - chunkStart), end - chunkStart);
    }
    return result;
  }
}

// Raw lines of a text body, indexed as chunks arrive: one offset per line, text sliced
// and tokenised only when a line is shown or searched. Used for plain text, HTML source,
// JSON that is not JSON, and XML too large to pretty-print.
import { IntList, maxRenderedLineLength, type LineModel, type TextStore, type Token, tokensText } from './lineModel';

/** Colours one line; plain text is a single token. */
export type LineTokenizer = (line: string) => Token[];

export const plainTokens: LineTokenizer = (line) => (line === '' ? [] : [{ text: line, kind: 'text' }]);

export class TextLineModel implements LineModel {
  private readonly starts = new IntList();
  private scannedChunks = 0;
  /** End of the text indexed so far: the last line ends here, not at text still unscanned. */
  private scannedTo = 0;

  constructor(
    private readonly store: TextStore,
    private readonly tokenizer: LineTokenizer = plainTokens,
  ) {
    this.starts.push(0);
  }

  get lineCount(): number {
    // A body ending with a newline has no empty line after it.
    const last = this.starts.get(this.starts.length - 1);
    return this.starts.length > 1 && last === this.scannedTo ? this.starts.length - 1 : this.starts.length;
  }

  /** Indexes the chunks that arrived since the last call, one chunk at a time until `deadline` (a `performance.now()` time) has passed. */
  scan(deadline = Number.POSITIVE_INFINITY): void {
    for (let chunk = this.store.chunkAt(this.scannedChunks); chunk !== undefined; chunk = this.store.chunkAt(++this.scannedChunks)) {
      for (let newline = chunk.text.indexOf('\n'); newline >= 0; newline = chunk.text.indexOf('\n', newline + 1)) {
        this.starts.push(chunk.start + newline + 1);
      }
      this.scannedTo = chunk.start + chunk.text.length;
      if (deadline !== Number.POSITIVE_INFINITY && performance.now() >= deadline) {
        this.scannedChunks++;
        return;
      }
    }
  }

  /** Whether every chunk that arrived is indexed. */
  get scanned(): boolean {
    return this.scannedTo >= this.store.length;
  }

  private lineText(line: number): { readonly text: string; readonly cut: boolean } {
    const start = this.starts.get(line);
    const end = line + 1 < this.starts.length ? this.starts.get(line + 1) - 1 : this.scannedTo;
    let text = this.store.slice(start, Math.min(end, start + maxRenderedLineLength));
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { text, cut: end - start > maxRenderedLineLength };
  }

  tokens(line: number): readonly Token[] {
    const { text, cut } = this.lineText(line);
    const tokens = this.tokenizer(text);
    if (cut) tokens.push({ text: ' … (line cut)', kind: 'ellipsis' });
    return tokens;
  }

  text(line: number): string {
    return tokensText(this.tokens(line));
  }

  foldEnd(): number {
    return -1;
  }
}

/** Lines already in memory (a pretty-printed XML body), with their folds. */
export class ArrayLineModel implements LineModel {
  constructor(
    private readonly lines: readonly string[],
    private readonly foldEnds: ReadonlyMap<number, number>,
    private readonly tokenizer: LineTokenizer,
  ) {}

  get lineCount(): number {
    return this.lines.length;
  }

  tokens(line: number): readonly Token[] {
    const text = this.lines[line];
    if (text.length <= maxRenderedLineLength) return this.tokenizer(text);
    return [...this.tokenizer(text.slice(0, maxRenderedLineLength)), { text: ' … (line cut)', kind: 'ellipsis' }];
  }

  text(line: number): string {
    return tokensText(this.tokens(line));
  }

  foldEnd(line: number): number {
    return this.foldEnds.get(line) ?? -1;
  }
}

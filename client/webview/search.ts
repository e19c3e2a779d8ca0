// Search over the body's line model (not the DOM, which holds only the visible rows):
// case-insensitive, run in slices so a 50 MB body keeps the panel responsive.
import { type LineModel } from './lineModel';

export interface Match {
  readonly line: number;
  readonly start: number;
  readonly length: number;
}

/** Stops collecting past this many matches: the count is then shown as "10000+". */
export const maxMatches = 10_000;

export class Search {
  readonly matches: Match[] = [];
  private nextLine = 0;
  private readonly needle: string;

  constructor(
    private readonly model: LineModel,
    query: string,
  ) {
    this.needle = query.toLowerCase();
  }

  get done(): boolean {
    return this.needle === '' || this.matches.length >= maxMatches || this.nextLine >= this.model.lineCount;
  }

  /** Searches up to `lineBudget` more lines; returns true when the whole model has been searched. */
  step(lineBudget: number): boolean {
    const stop = Math.min(this.model.lineCount, this.nextLine + lineBudget);
    for (; this.nextLine < stop && !this.done; this.nextLine++) {
      const text = this.model.text(this.nextLine).toLowerCase();
      for (let at = text.indexOf(this.needle); at >= 0 && this.matches.length < maxMatches; at = text.indexOf(this.needle, at + this.needle.length)) {
        this.matches.push({ line: this.nextLine, start: at, length: this.needle.length });
      }
    }
    return this.done;
  }

  /** Matches on one line, for highlighting it. */
  matchesOn(line: number): Match[] {
    let low = 0;
    let high = this.matches.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.matches[middle].line < line) low = middle + 1;
      else high = middle;
    }
    const found: Match[] = [];
    for (let index = low; index < this.matches.length && this.matches[index].line === line; index++) found.push(this.matches[index]);
    return found;
  }
}

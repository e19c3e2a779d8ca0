// Collapsed folds and the mapping between rows on screen and lines of the body.

export class FoldState {
  private readonly collapsed = new Map<number, number>();
  /** Outermost collapsed ranges in line order, rebuilt when folds change. */
  private ranges: (readonly [start: number, end: number])[] = [];

  get hiddenLines(): number {
    let hidden = 0;
    for (const [start, end] of this.ranges) hidden += end - start;
    return hidden;
  }

  isCollapsed(line: number): boolean {
    return this.collapsed.has(line);
  }

  /** Collapses lines `start + 1 ..= end` under `start`, or expands them again. */
  toggle(start: number, end: number): void {
    if (this.collapsed.has(start)) this.collapsed.delete(start);
    else if (end > start) this.collapsed.set(start, end);
    this.rebuild();
  }

  clear(): void {
    this.collapsed.clear();
    this.ranges = [];
  }

  /** Expands every fold that hides `line`, so a search match can be shown. */
  reveal(line: number): void {
    let changed = false;
    for (const [start, end] of this.collapsed) {
      if (start < line && line <= end) {
        this.collapsed.delete(start);
        changed = true;
      }
    }
    if (changed) this.rebuild();
  }

  private rebuild(): void {
    const sorted = [...this.collapsed].sort((a, b) => a[0] - b[0]);
    this.ranges = [];
    let coveredTo = -1;
    for (const [start, end] of sorted) {
      if (start <= coveredTo) continue;
      this.ranges.push([start, end]);
      coveredTo = end;
    }
  }

  rowCount(lineCount: number): number {
    return lineCount - this.hiddenLines;
  }

  lineOfRow(row: number): number {
    let line = row;
    for (const [start, end] of this.ranges) {
      if (start < line) line += end - start;
      else break;
    }
    return line;
  }

  /** The row showing `line` (or the collapsed line hiding it). */
  rowOfLine(line: number): number {
    let row = line;
    for (const [start, end] of this.ranges) {
      if (end < line) row -= end - start;
      else if (start < line) row -= line - start;
      else break;
    }
    return row;
  }
}

// Virtual-scroll arithmetic: which rows to render for a scroll position. Browsers cap an
// element's height (Chromium near 33 million px), so past `maxScrollHeight` the scrollbar
// is scaled: the scroll position maps proportionally onto the real content.

/** Keeps the spacer well under every browser's element-height limit. */
export const maxScrollHeight = 10_000_000;

export interface RowWindow {
  /** First row to render. */
  readonly first: number;
  /** One past the last row to render. */
  readonly end: number;
  /** Where the first rendered row goes, in px from the top of the scroll content. */
  readonly top: number;
}

/** Height of the spacer that gives the scroll container its scrollbar. */
export function scrollHeight(rowCount: number, rowHeight: number): number {
  return Math.min(rowCount * rowHeight, maxScrollHeight);
}

/** The real content offset (as if unscaled) shown at the top of the viewport. */
function contentOffset(scrollTop: number, viewportHeight: number, rowCount: number, rowHeight: number): number {
  const real = rowCount * rowHeight;
  const scrollable = scrollHeight(rowCount, rowHeight) - viewportHeight;
  if (real <= maxScrollHeight || scrollable <= 0) return Math.max(0, scrollTop);
  const fraction = Math.min(1, Math.max(0, scrollTop / scrollable));
  return fraction * (real - viewportHeight);
}

/** The rows to render for a viewport, with `overscan` extra rows on each side. */
export function visibleRows(scrollTop: number, viewportHeight: number, rowCount: number, rowHeight: number, overscan = 10): RowWindow {
  if (rowCount === 0) return { first: 0, end: 0, top: 0 };
  const offset = contentOffset(scrollTop, viewportHeight, rowCount, rowHeight);
  const firstVisible = Math.min(rowCount - 1, Math.floor(offset / rowHeight));
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(rowCount, Math.ceil((offset + viewportHeight) / rowHeight) + overscan);
  // Place rows so the one at `offset` sits exactly at the viewport's top.
  const top = Math.max(0, scrollTop) - (offset - first * rowHeight);
  return { first, end, top };
}

/** The scrollTop that brings `row` to the middle of the viewport. */
export function scrollTopForRow(row: number, viewportHeight: number, rowCount: number, rowHeight: number): number {
  const real = rowCount * rowHeight;
  const offset = Math.max(0, Math.min(row * rowHeight - (viewportHeight - rowHeight) / 2, real - viewportHeight));
  const scrollable = scrollHeight(rowCount, rowHeight) - viewportHeight;
  if (real <= maxScrollHeight || scrollable <= 0) return offset;
  return (offset / (real - viewportHeight)) * scrollable;
}

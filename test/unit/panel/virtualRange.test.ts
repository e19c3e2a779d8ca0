import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { maxScrollHeight, scrollHeight, scrollTopForRow, visibleRows } from '../../../client/webview/virtualRange';

describe('virtual list range', () => {
  test('renders the rows in view plus overscan, placed at their offset', () => {
    assert.deepEqual(visibleRows(0, 200, 1000, 20, 5), { first: 0, end: 15, top: 0 });
    assert.deepEqual(visibleRows(1000, 200, 1000, 20, 5), { first: 45, end: 65, top: 900 });
    assert.deepEqual(visibleRows(0, 200, 3, 20, 5), { first: 0, end: 3, top: 0 });
    assert.deepEqual(visibleRows(0, 200, 0, 20), { first: 0, end: 0, top: 0 });
  });

  test('scales the scrollbar past the browser height limit, reaching the last row at the bottom', () => {
    const rows = 5_000_000;
    const rowHeight = 18;
    const viewport = 600;
    assert.equal(scrollHeight(rows, rowHeight), maxScrollHeight);
    const bottom = visibleRows(maxScrollHeight - viewport, viewport, rows, rowHeight, 0);
    assert.equal(bottom.end, rows);
    assert.equal(bottom.top + (rows - bottom.first) * rowHeight, maxScrollHeight, 'the last row ends at the bottom of the spacer');
    const middle = visibleRows((maxScrollHeight - viewport) / 2, viewport, rows, rowHeight, 0);
    assert.ok(Math.abs(middle.first - (rows * rowHeight - viewport) / 2 / rowHeight) < 1);
  });

  test('jumping to a row scrolls it into the middle of the viewport, scaled or not', () => {
    for (const rows of [1000, 5_000_000]) {
      const scrollTop = scrollTopForRow(rows / 2, 400, rows, 20);
      const window = visibleRows(scrollTop, 400, rows, 20, 0);
      assert.ok(window.first <= rows / 2 && rows / 2 < window.end, `${rows} rows`);
    }
    assert.equal(scrollTopForRow(0, 400, 1000, 20), 0);
  });
});

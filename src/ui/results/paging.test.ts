import { describe, expect, it } from 'vitest';
import { nextPageSize, PAGE_ROWS, selectPage } from './paging';

const rows = Array.from({ length: 540 }, (_, i) => i);

describe('selectPage', () => {
  it('draws the first page of a long list and says more remain', () => {
    const page = selectPage(rows, PAGE_ROWS);
    expect(page.rows).toEqual(rows.slice(0, 25));
    expect(page).toMatchObject({ total: 540, hasMore: true });
  });

  it('grows by a page with nextPageSize and stops at the end', () => {
    expect(selectPage(rows, nextPageSize(PAGE_ROWS)).rows).toHaveLength(50);
    const all = selectPage(rows, rows.length);
    expect(all.rows).toHaveLength(540);
    expect(all.hasMore).toBe(false);
    expect(selectPage(rows, 10_000).rows).toHaveLength(540);
  });

  it('never draws less than a page, and a short list whole', () => {
    expect(selectPage(rows, 0).rows).toHaveLength(25);
    expect(selectPage(rows.slice(0, 6), PAGE_ROWS)).toEqual({ rows: [0, 1, 2, 3, 4, 5], total: 6, hasMore: false });
  });
});

/**
 * The table draws one page of rows: a model yields hundreds of configurations (Qwen3-8B: 540) and
 * drawing them all kept the main thread busy for over a second per input change. Sorting and filters
 * act on all rows before (tableRows.ts); paging only decides how many of them are drawn.
 */

/** Rows drawn at first and added by "Show more": the best picks and their neighbours fit in it. */
export const PAGE_ROWS = 25;

export interface TablePage<T> {
  rows: T[];
  /** Rows in the table before paging (after filters and the compact view). */
  total: number;
  hasMore: boolean;
}

/** The first `shownRows` rows (at least one page, at most all). */
export function selectPage<T>(rows: readonly T[], shownRows: number): TablePage<T> {
  const count = Math.min(rows.length, Math.max(PAGE_ROWS, shownRows));
  return { rows: rows.slice(0, count), total: rows.length, hasMore: count < rows.length };
}

/** How many rows "Show more" asks for: one page more. */
export function nextPageSize(shownRows: number): number {
  return Math.max(PAGE_ROWS, shownRows) + PAGE_ROWS;
}

import { describe, expect, it } from 'vitest';
import type { TableFilters } from '../../state/tableState';
import { selectCompactRows } from './compactRows';
import { layoutLabel, selectVisibleRows } from './tableRows';
import { makeResult } from './testData';

const ALL: TableFilters = { fitsOnly: false, meetsSloOnly: false };
const BY_COST = { column: 'costPerMTokens', descending: false } as const;

describe('selectCompactRows', () => {
  it('keeps the best-ranked layout of each GPU type × count, plus best-pick rows, in display order', () => {
    const result = makeResult();
    const rows = selectCompactRows(selectVisibleRows(result, ALL, BY_COST), result.best);
    // h100 ×8 has four layouts: 3 (8 × TP1) ranks first; 4 (TP8) stays as the lowest-latency pick;
    // 5 and 6 (2 × TP4, 4 × TP2) are left out and counted on the group's row.
    expect(rows.map((r) => r.index)).toEqual([0, 3, 1, 2, 4, 7]);
    expect(rows.find((r) => r.index === 3)?.otherLayouts).toBe(2);
    expect(rows.find((r) => r.index === 0)?.otherLayouts).toBe(0);
    expect(rows.find((r) => r.index === 4)?.otherLayouts).toBeUndefined();
  });

  it('follows the sort: the same rows in the order asked for', () => {
    const result = makeResult();
    const rows = selectCompactRows(selectVisibleRows(result, ALL, { column: 'itl', descending: false }), result.best);
    expect(rows.map((r) => `${r.candidate.gpuId} ${layoutLabel(r.candidate.layout)}`)).toEqual([
      'h100 TP8',
      'h100 TP2',
      'h200 TP1',
      'h100 TP1',
      'h100 DP8 · TP1',
      'a100-40gb TP1',
    ]);
  });

  it('picks the best layout among the rows the filters leave', () => {
    const result = makeResult();
    // Without best picks, meets-SLO only: h100 ×8 is represented by 3 and hides 5 and 6.
    const rows = selectCompactRows(selectVisibleRows(result, { ...ALL, meetsSloOnly: true }, BY_COST), {
      cheapestMeetingSlo: null,
      lowestLatency: null,
      highestThroughput: null,
    });
    // h100 ×8 is represented by 3 (8 × TP1), which hides 5 and 6 and is itself 8 copies of 0's layout: folded into 0.
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(rows[0]?.replicaCopies?.map((c) => c.index)).toEqual([0, 3]);
  });

  it('keeps the selected row, so a point clicked in a chart finds its row', () => {
    const result = makeResult();
    const rows = selectCompactRows(selectVisibleRows(result, ALL, BY_COST), result.best, 5);
    expect(rows.map((r) => r.index)).toEqual([0, 3, 1, 2, 5, 4, 7]);
    expect(rows.find((r) => r.index === 3)?.otherLayouts).toBe(1);
  });

  it('folds replica copies of one layout into their best-ranked row, which lists them', () => {
    const result = makeResult();
    // Without best picks, 3 (8 × TP1 as DP8) is a copy of 0 (1 × TP1): one row, listing both.
    const rows = selectCompactRows(selectVisibleRows(result, ALL, BY_COST), { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null });
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 7]);
    expect(rows[0]?.replicaCopies?.map((c) => [c.gpuCount, c.copies])).toEqual([
      [1, 1],
      [8, 8],
    ]);
    // A best pick (3 holds "highest throughput") stays a row of its own, not listed on 0's row.
    const withPicks = selectCompactRows(selectVisibleRows(result, ALL, BY_COST), result.best);
    expect(withPicks.map((r) => r.index)).toContain(3);
    expect(withPicks.find((r) => r.index === 0)?.replicaCopies).toBeUndefined();
  });

  it('is empty for no rows', () => {
    expect(selectCompactRows([], makeResult().best)).toEqual([]);
  });
});

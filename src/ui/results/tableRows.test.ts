import { describe, expect, it } from 'vitest';
import type { TableFilters } from '../../state/tableState';
import { bestPicksOf, configKey, layoutLabel, nextSort, selectVisibleRows, toggleMember } from './tableRows';
import { makeResult } from './testData';

const ALL: TableFilters = { fitsOnly: false, meetsSloOnly: false };

describe('selectVisibleRows', () => {
  it('sorts ascending by cost with ties in engine rank order and the non-fitting row last', () => {
    const rows = selectVisibleRows(makeResult(), ALL, { column: 'costPerMTokens', descending: false });
    expect(rows.map((r) => r.index)).toEqual([0, 3, 1, 2, 6, 5, 4, 7]);
  });

  it('keeps rows without a figure last when descending too', () => {
    const rows = selectVisibleRows(makeResult(), ALL, { column: 'ttft', descending: true });
    expect(rows.map((r) => r.index)).toEqual([4, 0, 3, 1, 2, 6, 5, 7]);
  });

  it('sorts layouts by TP, then PP, then DP', () => {
    const rows = selectVisibleRows(makeResult(), ALL, { column: 'layout', descending: false });
    expect(rows.map((r) => layoutLabel(r.candidate.layout))).toEqual(['TP1', 'TP1', 'TP1', 'DP8 · TP1', 'TP2', 'DP4 · TP2', 'DP2 · TP4', 'TP8']);
  });

  it('filters fits only, meets SLO and GPU type', () => {
    const sort = { column: 'costPerMTokens', descending: false } as const;
    expect(selectVisibleRows(makeResult(), { ...ALL, fitsOnly: true }, sort).map((r) => r.index)).not.toContain(7);
    expect(selectVisibleRows(makeResult(), { ...ALL, meetsSloOnly: true }, sort).map((r) => r.index)).toEqual([0, 3, 1, 2, 6, 5]);
  });
});

describe('nextSort', () => {
  it('flips direction on the same column; throughput starts descending, latency ascending', () => {
    expect(nextSort({ column: 'itl', descending: false }, 'itl')).toEqual({ column: 'itl', descending: true });
    expect(nextSort({ column: 'itl', descending: false }, 'outputTokensPerS')).toEqual({ column: 'outputTokensPerS', descending: true });
    expect(nextSort({ column: 'outputTokensPerS', descending: true }, 'ttft')).toEqual({ column: 'ttft', descending: false });
  });
});

describe('helpers', () => {
  it('layoutLabel names replicas, TP, PP and EP', () => {
    expect(layoutLabel({ tp: 4, pp: 2, dp: 2, ep: true })).toBe('DP2 · TP4 · PP2 · EP8');
  });

  it('configKey names a configuration uniquely, independent of its rank', () => {
    const keys = makeResult().candidates.map(configKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[5]).toBe('h100|8|DP2 · TP4');
  });

  it('bestPicksOf lists every pick a row holds', () => {
    expect(bestPicksOf({ cheapestMeetingSlo: 1, lowestLatency: 1, highestThroughput: 2 }, 1)).toEqual(['cheapestMeetingSlo', 'lowestLatency']);
  });


  it('toggleMember adds and removes', () => {
    expect(toggleMember([1, 2], 3)).toEqual([1, 2, 3]);
    expect(toggleMember([1, 2], 1)).toEqual([2]);
  });
});

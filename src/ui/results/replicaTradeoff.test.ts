import { describe, expect, it } from 'vitest';
import { defaultTradeoffGroup, selectTradeoff, selectTradeoffGroups } from './replicaTradeoff';
import { makeResult } from './testData';

describe('selectTradeoffGroups', () => {
  it('finds the budgets with several layouts (8 × h100 has four)', () => {
    expect(selectTradeoffGroups(makeResult())).toEqual([{ key: 'h100|8', gpuId: 'h100', gpuCount: 8, size: 4 }]);
  });
});

describe('defaultTradeoffGroup', () => {
  it("uses the selected row's budget when it has alternatives, else the largest group", () => {
    expect(defaultTradeoffGroup(makeResult(), 5)?.key).toBe('h100|8');
    expect(defaultTradeoffGroup(makeResult(), 0)?.key).toBe('h100|8');
    expect(defaultTradeoffGroup(makeResult(), null)?.key).toBe('h100|8');
  });
});

describe('selectTradeoff', () => {
  it('lists 1 × TP8, 2 × TP4, 4 × TP2, 8 × TP1 with throughput and per-user latency', () => {
    const options = selectTradeoff(makeResult(), 'h100|8');
    expect(options.map((o) => [o.layoutLabel, o.replicas, o.gpusPerReplica, o.outputTokensPerS, o.itlMs])).toEqual([
      ['TP8', 1, 8, 6000, 5],
      ['DP2 · TP4', 2, 4, 8000, 8],
      ['DP4 · TP2', 4, 2, 10400, 11],
      ['DP8 · TP1', 8, 1, 12000, 20],
    ]);
  });
});

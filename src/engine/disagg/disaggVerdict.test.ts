import { describe, expect, it } from 'vitest';
import type { DisaggRow } from './disaggRows';
import { disaggVerdictOf } from './disaggVerdict';
import { TIE_BAND_PCT } from '../verdict';

/** A row with only what the verdict reads: status, the plan's cost and GPUs, the aggregated plan's cost. */
function row(key: string, status: DisaggRow['status'], pdUsdPerHour: number | null, aggUsdPerHour: number | null): DisaggRow {
  const [p = '', d = ''] = key.split('>');
  return {
    prefillGpuId: p,
    decodeGpuId: d,
    status,
    sloPercentile: 99,
    ignored: [],
    simulations: 0,
    computeMs: 0,
    plan: pdUsdPerHour === null ? null : ({ costUsdPerHour: pdUsdPerHour, totalGpus: 4 } as DisaggRow['plan']),
    aggregated:
      aggUsdPerHour === null
        ? null
        : {
            gpuId: d,
            tp: 1,
            pp: 1,
            atEqualGpus: null,
            cheapest: { status: 'planned', totalGpus: 6, costUsdPerHour: aggUsdPerHour, usdPerMillionOutputTokens: 1, ttftAtPercentileMs: 100, itlAtPercentileMs: 10 },
          },
  };
}

describe('disaggVerdictOf', () => {
  it('P/D cheaper than the cheapest aggregated plan by more than the tie band: pd-cheaper, with the saving', () => {
    const v = disaggVerdictOf([row('A>A', 'planned', 15, 30), row('B>B', 'planned', 20, 25)]);
    expect(v.kind).toBe('pd-cheaper');
    if (v.kind === 'no-plan') throw new Error('unreachable');
    expect(v.best.prefillGpuId).toBe('A');
    // Cheapest aggregated over all pairs: 25 $/h (B's); (25 − 15) / 25 = 40 %.
    expect(v.aggregated?.costUsdPerHour).toBe(25);
    expect(v.savingPct).toBeCloseTo(40, 9);
  });

  it('aggregated cheaper: aggregated-cheaper (P/D is not worth it), the saving negative', () => {
    const v = disaggVerdictOf([row('A>A', 'planned', 30, 20)]);
    expect(v.kind).toBe('aggregated-cheaper');
    if (v.kind === 'no-plan') throw new Error('unreachable');
    expect(v.savingPct).toBeCloseTo(-50, 9);
  });

  it('within the tie band of verdict.ts: a tie', () => {
    const pd = 100 * (1 - (TIE_BAND_PCT / 100) * 0.5);
    expect(disaggVerdictOf([row('A>A', 'planned', pd, 100)]).kind).toBe('tie');
  });

  it('no plan meets the SLOs: no-plan with the closest; none aggregated: no-aggregated', () => {
    const none = disaggVerdictOf([row('A>A', 'slo-unreachable', 12, 20), row('B>B', 'over-gpu-budget', null, null)]);
    expect(none.kind).toBe('no-plan');
    if (none.kind !== 'no-plan') throw new Error('unreachable');
    expect(none.closest?.prefillGpuId).toBe('A');
    expect(disaggVerdictOf([]).kind).toBe('no-plan');
    expect(disaggVerdictOf([row('A>A', 'planned', 12, null)]).kind).toBe('no-aggregated');
  });
});

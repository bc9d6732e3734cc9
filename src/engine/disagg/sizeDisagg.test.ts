import { describe, expect, it } from 'vitest';
import { simulateDisagg } from './simulateDisagg';
import { compareAggregated, poolCapacityRequestsPerS, sizeDisagg } from './sizeDisagg';
import { pool, workload } from './testPools.testing';

const slo = { percentile: 99 as const, maxTtftMs: 1000, maxItlMs: 30, maxE2eMs: null };

describe('sizeDisagg', () => {
  const w = workload(20, 2048, 256);
  const search = sizeDisagg(pool('H100', 1), pool('H100', 1), w, slo);

  it('finds counts at or above each pool’s capacity bound that meet the SLOs', () => {
    const best = search.best;
    expect(best).not.toBeNull();
    if (best === null) return;
    expect(best.meetsSlo).toBe(true);
    expect(best.prefillReplicas).toBeGreaterThanOrEqual(Math.ceil(20 / search.prefillCapacityRequestsPerS));
    expect(best.decodeReplicas).toBeGreaterThanOrEqual(Math.ceil(20 / search.decodeCapacityRequestsPerS));
    expect(best.estimate.latency.ttftP99Ms).toBeLessThanOrEqual(1000);
    expect(best.estimate.latency.itlP99Ms).toBeLessThanOrEqual(30);
  });

  it('is the cheapest: one replica fewer in either pool fails the SLOs or cannot keep up', () => {
    const best = search.best;
    if (best === null) throw new Error('no plan');
    for (const [np, nd] of [
      [best.prefillReplicas - 1, best.decodeReplicas],
      [best.prefillReplicas, best.decodeReplicas - 1],
    ] as const) {
      if (np < 1 || nd < 1) continue;
      const r = simulateDisagg(pool('H100', 1, np), pool('H100', 1, nd), w);
      const passes = r.prefillKeepsUp && r.decodeKeepsUp && r.latency.ttftP99Ms <= 1000 && r.latency.itlP99Ms <= 30;
      expect(passes).toBe(false);
    }
  });

  it('the search is reproducible: the same pair, bit for bit, re-simulated alone', () => {
    const best = search.best;
    if (best === null) throw new Error('no plan');
    const again = simulateDisagg(pool('H100', 1, best.prefillReplicas), pool('H100', 1, best.decodeReplicas), w);
    expect(again.latency).toEqual(best.estimate.latency);
  });

  it('more traffic needs at least as many replicas of each pool', () => {
    const light = sizeDisagg(pool('H100', 1), pool('H100', 1), workload(5, 2048, 256), slo).best;
    const heavy = search.best;
    if (light === null || heavy === null) throw new Error('no plan');
    expect(heavy.prefillReplicas).toBeGreaterThanOrEqual(light.prefillReplicas);
    expect(heavy.decodeReplicas).toBeGreaterThanOrEqual(light.decodeReplicas);
  });

  it('an SLO no count can meet gives no plan, and the closest pair that keeps up', () => {
    const s = sizeDisagg(pool('H100', 1), pool('H100', 1), w, { ...slo, maxItlMs: 0.5 });
    expect(s.best).toBeNull();
    expect(s.closest).not.toBeNull();
  });

  it('capacity of a decode replica exceeds a prefill replica’s for long prompts and short outputs', () => {
    const wl = workload(1, 4096, 64);
    expect(poolCapacityRequestsPerS(pool('H100', 1), 'decode', wl)).toBeGreaterThan(poolCapacityRequestsPerS(pool('H100', 1), 'prefill', wl));
  });
});

describe('compareAggregated', () => {
  it('runs aggregated copies at the P/D plan’s GPU count and the capacity plan of the same shape', () => {
    const w = workload(20, 2048, 256);
    const c = compareAggregated(pool('H100', 1), w, { ratePerS: 20, burstiness: 1, slo, numRequests: 200 }, 4);
    expect(c.atEqualGpus?.replicas).toBe(4);
    expect(c.atEqualGpus?.totalGpus).toBe(4);
    expect(c.capacityPlan.status).toBe('planned');
    if (c.capacityPlan.status === 'planned') expect(c.capacityPlan.atTarget.itlP99Ms).toBeLessThanOrEqual(30);
  });
});

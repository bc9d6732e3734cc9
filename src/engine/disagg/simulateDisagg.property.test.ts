import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { replicaUnderTest, runAtRate } from '../sim/capacity';
import { combineLatency, runPool } from './simulateDisagg';
import { poolCapacityRequestsPerS } from './sizeDisagg';
import { pool, workload } from './testPools.testing';

describe('P/D against aggregated serving (properties)', () => {
  it('at zero transfer cost, with as many decode replicas as aggregated copies of the same layout, ITL (mean and p99) is never worse', () => {
    const d = pool('H100', 1, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 256, max: 4096 }),
        fc.integer({ min: 32, max: 256 }),
        fc.double({ min: 0.1, max: 0.7, noNaN: true }),
        fc.integer({ min: 1, max: 3 }),
        (isl, osl, load, copies) => {
          const w0 = { ...workload(1, isl, osl), numRequests: 120 };
          // A share of the aggregated replica's capacity (its all-at-once throughput) per copy.
          const u = replicaUnderTest(
            { gpu: d.gpu, layout: d.layout, serving: d.serving, engine: 'vllm', memory: d.memory, inputTokens: isl, outputTokens: osl, target: { ratePerS: 1, burstiness: 1, slo: { percentile: 99, maxTtftMs: null, maxItlMs: null, maxE2eMs: null }, numRequests: 120 } },
            d.cost,
          );
          const capacity = Math.min(poolCapacityRequestsPerS(d, 'prefill', w0), poolCapacityRequestsPerS(d, 'decode', w0));
          const ratePerS = load * capacity * copies * 0.5;
          const w = { ...w0, ratePerS };
          const agg = runAtRate(u, ratePerS / copies, 1);
          const dec = runPool(d, 'decode', w, copies);
          const pre = runPool(d, 'prefill', w, copies);
          const disagg = combineLatency(pre, dec, () => 0);
          expect(disagg.itlMs).toBeLessThanOrEqual(agg.itlMs);
          expect(disagg.itlP99Ms).toBeLessThanOrEqual(agg.itlP99Ms);
        },
      ),
      { seed: 12, numRuns: 8 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { StepBatch } from '../perf/stepBatch';
import { RATE_KEEP_UP_FRACTION, RATE_SEARCH_REL_TOLERANCE, maxRateMeetingSlo, meetsPercentileSlo } from './maxRate';
import { runSimulation } from './run';
import { testReplica } from './testReplica';

const step = (b: StepBatch): number => 8 + 0.02 * b.prefillTokens + 0.04 * b.decodeRequests;
const replica = testReplica(step, { maxNumSeqs: 128, maxNumBatchedTokens: 4096, requestOverheadMs: 20 });
const spec = { inputTokens: 1000, outputTokens: 100, numRequests: 500, seed: 3 } as const;

describe('maxRateMeetingSlo', () => {
  it('finds a rate that meets the p99 TTFT limit while 1.5× it does not, to the stated tolerance', () => {
    const slo = { maxTtftMs: 400, maxItlMs: null, maxE2eMs: null, percentile: 99 } as const;
    const r = maxRateMeetingSlo(replica, spec, slo);
    expect(r.maxRateMeetingSloRequestsPerS).toBeGreaterThan(0);
    expect(r.atMaxRate).not.toBeNull();
    if (r.atMaxRate !== null) {
      expect(meetsPercentileSlo(r.atMaxRate, slo)).toBe(true);
      expect(r.atMaxRate.requestsPerS).toBeGreaterThanOrEqual(RATE_KEEP_UP_FRACTION * r.maxRateMeetingSloRequestsPerS);
    }
    const above = runSimulation(replica, { ...spec, load: { kind: 'open-loop', ratePerS: 1.5 * r.maxRateMeetingSloRequestsPerS, burstiness: 1 } });
    expect(meetsPercentileSlo(above, slo)).toBe(false);
    expect(r.simulations).toBeLessThan(15);
  });

  it('a looser limit never gives a lower rate; a tighter percentile never a higher one', () => {
    const at = (maxTtftMs: number, percentile: 50 | 99): number =>
      maxRateMeetingSlo(replica, spec, { maxTtftMs, maxItlMs: null, maxE2eMs: null, percentile }).maxRateMeetingSloRequestsPerS;
    expect(at(800, 99)).toBeGreaterThanOrEqual(at(300, 99) * (1 - RATE_SEARCH_REL_TOLERANCE));
    expect(at(300, 50)).toBeGreaterThanOrEqual(at(300, 99) * (1 - RATE_SEARCH_REL_TOLERANCE));
  });

  it('a rate the replica cannot keep up with does not count even when a finite run meets a loose limit', () => {
    const loose = maxRateMeetingSlo(replica, spec, { maxTtftMs: 1e9, maxItlMs: null, maxE2eMs: null, percentile: 99 });
    expect(loose.maxRateMeetingSloRequestsPerS).toBeLessThan(1.3 * loose.capacityRequestsPerS);
  });

  it('without limits the answer is the capacity; with an unreachable one it is 0', () => {
    const none = maxRateMeetingSlo(replica, spec, { maxTtftMs: null, maxItlMs: null, maxE2eMs: null, percentile: 99 });
    expect(none.maxRateMeetingSloRequestsPerS).toBe(none.capacityRequestsPerS);
    // TTFT can never beat the 20 ms client overhead.
    const impossible = maxRateMeetingSlo(replica, spec, { maxTtftMs: 10, maxItlMs: null, maxE2eMs: null, percentile: 50 });
    expect(impossible.maxRateMeetingSloRequestsPerS).toBe(0);
  });
});

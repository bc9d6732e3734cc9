/**
 * Queueing properties of the simulator on hand-given step times (fast): Little's law, throughput
 * below saturation, ordered percentiles, and latency not falling as the rate rises.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StepBatch } from '../perf/stepBatch';
import type { SimRunSpec } from './run';
import { runSimulation } from './run';
import { testReplica } from './testReplica';

/** A memory-bound-looking step: 8 ms fixed + 0.02 ms per prompt token + 0.04 ms per decode. */
const step = (b: StepBatch): number => 8 + 0.02 * b.prefillTokens + 0.04 * b.decodeRequests;
const replica = testReplica(step, { maxNumSeqs: 128, maxNumBatchedTokens: 4096, requestOverheadMs: 20 });
const lengths = { inputLengths: { kind: 'uniform', rangeRatio: 0.5 }, outputLengths: { kind: 'uniform', rangeRatio: 0.5 } } as const;

/** Capacity of the replica at these lengths: throughput of an all-at-once run. */
const capacityPerS = (isl: number, osl: number): number =>
  runSimulation(replica, { load: { kind: 'burst' }, inputTokens: isl, outputTokens: osl, numRequests: 600, ...lengths }).requestsPerS;

const arbWorkload = fc.record({
  isl: fc.integer({ min: 50, max: 1500 }),
  osl: fc.integer({ min: 20, max: 200 }),
  fraction: fc.double({ min: 0.2, max: 0.7, noNaN: true }),
  burstiness: fc.constantFrom(0.5, 1, 2),
  seed: fc.integer({ min: 1, max: 1000 }),
});

function openLoop(w: { isl: number; osl: number; burstiness: number; seed: number }, ratePerS: number, numRequests = 800): SimRunSpec {
  return { load: { kind: 'open-loop', ratePerS, burstiness: w.burstiness }, inputTokens: w.isl, outputTokens: w.osl, numRequests, seed: w.seed, ...lengths };
}

describe('simulator queueing properties', () => {
  it("Little's law: mean requests in the engine = throughput × mean time in it, within sampling noise", () => {
    fc.assert(
      fc.property(arbWorkload, (w) => {
        const rate = w.fraction * capacityPerS(w.isl, w.osl);
        const r = runSimulation(replica, openLoop(w, rate));
        const engineE2eS = (r.e2eMs - replica.requestOverheadMs) / 1000;
        expect(Math.abs(r.meanRequestsInSystem - r.requestsPerS * engineE2eS) / r.meanRequestsInSystem).toBeLessThan(0.1);
      }),
      { numRuns: 8 },
    );
  });

  it('below saturation the replica serves what is offered: requests/s = rate, output tokens/s = rate × mean output', () => {
    fc.assert(
      fc.property(arbWorkload, (w) => {
        const rate = w.fraction * capacityPerS(w.isl, w.osl);
        const r = runSimulation(replica, openLoop(w, rate));
        expect(Math.abs(r.requestsPerS - rate) / rate).toBeLessThan(0.12);
        expect(Math.abs(r.outputTokensPerS - rate * w.osl) / (rate * w.osl)).toBeLessThan(0.12);
      }),
      { numRuns: 12 },
    );
  });

  it('percentiles are ordered p99 ≥ p90 ≥ p50 for TTFT, ITL, TPOT and E2E, and every figure is finite and ≥ 0', () => {
    fc.assert(
      fc.property(arbWorkload, fc.constantFrom('open', 'closed', 'burst'), (w, kind) => {
        const spec: SimRunSpec =
          kind === 'open'
            ? openLoop(w, w.fraction * 20, 300)
            : { ...openLoop(w, 1, 300), load: kind === 'closed' ? { kind: 'closed-loop', concurrency: Math.round(w.fraction * 100) } : { kind: 'burst' } };
        const r = runSimulation(replica, spec);
        for (const m of ['ttft', 'itl', 'tpot', 'e2e'] as const) {
          expect(r[`${m}P99Ms`]).toBeGreaterThanOrEqual(r[`${m}P90Ms`]);
          expect(r[`${m}P90Ms`]).toBeGreaterThanOrEqual(r[`${m}P50Ms`]);
          expect(r[`${m}P50Ms`]).toBeGreaterThanOrEqual(0);
        }
        for (const v of Object.values(r)) if (typeof v === 'number') expect(Number.isFinite(v) && v >= 0).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('a lower rate never gives a higher p99 TTFT on average over several seeds', () => {
    fc.assert(
      fc.property(arbWorkload, fc.double({ min: 0.5, max: 0.95, noNaN: true }), (w, ratio) => {
        const high = w.fraction * 1.4 * capacityPerS(w.isl, w.osl);
        const meanP99 = (rate: number): number => {
          let s = 0;
          for (let seed = 1; seed <= 4; seed += 1) s += runSimulation(replica, openLoop({ ...w, seed: w.seed + seed }, rate, 300)).ttftP99Ms;
          return s / 4;
        };
        expect(meanP99(high * ratio)).toBeLessThanOrEqual(meanP99(high) * 1.02);
      }),
      { numRuns: 6 },
    );
  });
});

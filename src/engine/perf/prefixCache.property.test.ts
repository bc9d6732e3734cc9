import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Layout, PerfEstimate } from '../types';
import { H100, LLAMA_31_8B, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { estimatePerf } from './estimatePerf';

const LAYOUT: Layout = { tp: 1, pp: 1, dp: 1, ep: false };

/** Llama-3.1-8B on an H100 with a KV pool of `kvGiB`, a prompt of isl tokens sharing `shared` and hitting `hitRate`. */
const at = (isl: number, osl: number, concurrency: number, kvGiB: number, shared: number, hitRate: number, engine: 'vllm' | 'sglang'): PerfEstimate =>
  estimatePerf({
    arch: LLAMA_31_8B,
    gpu: H100,
    layout: LAYOUT,
    serving: testServing({ ...PERF_SERVING, prefixCache: { sharedPrefixTokens: shared, hitRate } }),
    workload: { inputTokens: isl, outputTokens: osl, concurrency },
    engine,
    memory: memoryPlan(32, 4096, kvGiB * 2 ** 30),
  });

describe('prefix caching properties', () => {
  it('more hit (rate or shared prefix) never raises TTFT nor lowers the running requests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 16_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.constantFrom(1, 4, 32, 256, 1024),
        fc.constantFrom(2, 8, 50),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('vllm' as const, 'sglang' as const),
        (isl, osl, c, kvGiB, a, b, sharedFraction, engine) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const rateLo = at(isl, osl, c, kvGiB, 0, lo, engine);
          const rateHi = at(isl, osl, c, kvGiB, 0, hi, engine);
          expect(rateHi.ttftMs).toBeLessThanOrEqual(rateLo.ttftMs * (1 + 1e-6));
          expect(rateHi.effectiveConcurrency).toBeGreaterThanOrEqual(rateLo.effectiveConcurrency);
          const sharedLo = at(isl, osl, c, kvGiB, Math.floor(lo * sharedFraction * isl), 0, engine);
          const sharedHi = at(isl, osl, c, kvGiB, Math.floor(hi * sharedFraction * isl), 0, engine);
          expect(sharedHi.effectiveConcurrency).toBeGreaterThanOrEqual(sharedLo.effectiveConcurrency);
          expect(sharedHi.ttftMs).toBeLessThanOrEqual(sharedLo.ttftMs * (1 + 1e-6));
        },
      ),
      { numRuns: 300 },
    );
  });
});

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

/**
 * KNOWN LIMIT (not asserted): for prompts the prefill splits into several chunks, TTFT is not monotone
 * in the hit. The closed form prices every chunk of a prompt whole (serving.ts flowPass: ⌈isl / chunk⌉ ×
 * a full chunk's step, at the request's mean prompt context), so TTFT is a sawtooth in the computed
 * prompt length: it drops where the chunk count drops and rises between, as the suffix's mean context
 * grows (its queries still see the cached part) while the priced tokens stay. Measured: up to +15 %
 * over the lowest TTFT at a smaller hit (SGLang, isl 16385, osl 512, concurrency 1). The same rounding
 * exists without a hit (isl 8193 costs two whole chunks); pricing the last chunk at its size would fix
 * both but moves every multi-chunk figure of the calibration, so it is left to a calibrated change.
 */

describe('prefix caching properties', () => {
  it('prompts within one prefill chunk: more hit never raises TTFT (to the solve tolerance)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.constantFrom(1, 4, 32),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('vllm' as const, 'sglang' as const),
        (isl, osl, c, a, b, engine) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(at(isl, osl, c, 50, 0, hi, engine).ttftMs).toBeLessThanOrEqual(at(isl, osl, c, 50, 0, lo, engine).ttftMs * (1 + 1e-6));
          expect(at(isl, osl, c, 50, Math.floor(hi * isl), 0, engine).ttftMs).toBeLessThanOrEqual(at(isl, osl, c, 50, Math.floor(lo * isl), 0, engine).ttftMs * (1 + 1e-6));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('more hit (rate or shared prefix) never lowers the running requests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 16_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.constantFrom(1, 4, 32, 256, 1024),
        fc.constantFrom(2, 8, 50),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('vllm' as const, 'sglang' as const),
        (isl, osl, c, kvGiB, a, b, engine) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(at(isl, osl, c, kvGiB, 0, hi, engine).effectiveConcurrency).toBeGreaterThanOrEqual(at(isl, osl, c, kvGiB, 0, lo, engine).effectiveConcurrency);
          expect(at(isl, osl, c, kvGiB, Math.floor(hi * isl), 0, engine).effectiveConcurrency).toBeGreaterThanOrEqual(
            at(isl, osl, c, kvGiB, Math.floor(lo * isl), 0, engine).effectiveConcurrency,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

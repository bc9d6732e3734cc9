/**
 * Every engine's plan keeps the invariants of vLLM's (memory/planMemory.property.test.ts): a larger
 * memory share (vLLM gpu_memory_utilization, SGLang mem_fraction_static, TensorRT-LLM
 * kv_cache_free_gpu_memory_fraction) never gives less KV cache; a longer context never gives more
 * concurrency; every figure is finite and ≥ 0 when the model fits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newModelCaches } from '../../cache/modelCaches';
import { GEMMA2_9B, LLAMA_31_8B, testGpu, testServing } from '../../testArchs';
import type { MemoryPlan, ModelArch, ServingEngine, ResolvedServingOptions } from '../../types';
import { SERVING_ENGINES } from '../../types';
import { planMemoryIn } from '../planMemory';

const archs = [LLAMA_31_8B, GEMMA2_9B];

/** The engine's options with its memory share set to `fraction` and a context of `lenTokens`. */
function servingFor(engine: ServingEngine, fraction: number, lenTokens: number): ResolvedServingOptions {
  const base = testServing({ maxModelLenTokens: lenTokens, engine });
  switch (engine) {
    case 'vllm':
      return { ...base, gpuMemoryUtilization: fraction };
    case 'sglang':
      return { ...base, sglang: { memFractionStatic: fraction, chunkedPrefillSizeTokens: null, maxRunningRequests: null, cudaGraphMaxBs: null } };
    case 'trtllm':
      return { ...base, trtllm: { kvCacheFreeGpuMemoryFraction: fraction, maxBatchSize: null, maxNumTokens: null } };
    default: {
      const _exhaustive: never = engine;
      return _exhaustive;
    }
  }
}

function plan(arch: ModelArch, engine: ServingEngine, fraction: number, lenTokens: number, tp: number): MemoryPlan {
  return planMemoryIn(newModelCaches(arch), testGpu(), { tp, pp: 1, dp: 1, ep: false }, servingFor(engine, fraction, lenTokens));
}

describe('every engine keeps the memory plan invariants', () => {
  it('a larger memory share never gives less KV cache, fewer tokens or less concurrency', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SERVING_ENGINES),
        fc.constantFrom(...archs),
        fc.double({ min: 0.3, max: 0.94, noNaN: true }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        fc.constantFrom(1, 2, 4),
        (engine, arch, fraction, step, tp) => {
          const lo = plan(arch, engine, fraction, 8192, tp);
          const hi = plan(arch, engine, fraction + step, 8192, tp);
          expect(hi.kvCacheBytesPerGpu).toBeGreaterThanOrEqual(lo.kvCacheBytesPerGpu);
          expect(hi.kvCacheTokens).toBeGreaterThanOrEqual(lo.kvCacheTokens);
          expect(hi.maxConcurrency).toBeGreaterThanOrEqual(lo.maxConcurrency);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('memory other processes hold never adds KV; SGLang and TensorRT-LLM, which size from free memory, lose KV to it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SERVING_ENGINES), fc.constantFrom(...archs), fc.double({ min: 0.5, max: 8, noNaN: true }), (engine, arch, otherGiB) => {
        const serving = servingFor(engine, 0.8, 8192);
        const caches = newModelCaches(arch);
        const layout = { tp: 1, pp: 1, dp: 1, ep: false };
        const free = planMemoryIn(caches, testGpu(), layout, serving);
        const busy = planMemoryIn(caches, testGpu(), layout, { ...serving, usedByOtherProcessesBytes: otherGiB * 2 ** 30 });
        expect(busy.kvCacheBytesPerGpu).toBeLessThanOrEqual(free.kvCacheBytesPerGpu);
        // vLLM keeps total × utilization (0.8 × 80 GiB leaves 16 GiB for others) and the same pool.
        if (engine === 'vllm') expect(busy.kvCacheBytesPerGpu).toBe(free.kvCacheBytesPerGpu);
        else if (free.fits) expect(busy.kvCacheBytesPerGpu).toBeLessThan(free.kvCacheBytesPerGpu);
      }),
      { numRuns: 40 },
    );
  });

  it('a longer context never gives more concurrency; figures are finite and ≥ 0', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SERVING_ENGINES), fc.constantFrom(...archs), fc.integer({ min: 512, max: 8192 }), fc.integer({ min: 1, max: 4096 }), (engine, arch, len, more) => {
        const short = plan(arch, engine, 0.9, len, 1);
        const long = plan(arch, engine, 0.9, len + more, 1);
        expect(long.maxConcurrency).toBeLessThanOrEqual(short.maxConcurrency);
        for (const v of [short.weightsBytesPerGpu, short.kvCacheBytesPerGpu, short.numGpuBlocks, short.kvCacheTokens, short.maxConcurrency, short.activationPeakBytesPerGpu, short.nonTorchBytesPerGpu]) {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('more GPUs (TP) never lower the tokens one GPU holds for the same share', () => {
    fc.assert(
      fc.property(fc.constantFrom<ServingEngine>('sglang', 'trtllm'), fc.constantFrom(...archs), fc.double({ min: 0.5, max: 0.9, noNaN: true }), (engine, arch, fraction) => {
        const one = plan(arch, engine, fraction, 8192, 1);
        const two = plan(arch, engine, fraction, 8192, 2);
        expect(two.kvCacheTokens).toBeGreaterThanOrEqual(one.kvCacheTokens);
      }),
      { numRuns: 30 },
    );
  });
});

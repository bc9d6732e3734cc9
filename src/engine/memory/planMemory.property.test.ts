import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planMemoryWithQuantization } from './planMemory';
import { weightsBytesPerRank } from './weights';
import { GEMMA2_9B, LLAMA_31_8B, NO_QUANT, testGpu, testServing } from '../testArchs';

const archs = [LLAMA_31_8B, GEMMA2_9B];

describe('planMemory properties', () => {
  it('more utilization never gives fewer blocks', () => {
    fc.assert(
      fc.property(fc.constantFrom(...archs), fc.double({ min: 0.3, max: 0.94, noNaN: true }), fc.constantFrom(1, 2, 4), (arch, util, tp) => {
        const layout = { tp, pp: 1, dp: 1, ep: false };
        const lo = planMemoryWithQuantization(arch, testGpu(), layout, testServing({ gpuMemoryUtilization: util }), NO_QUANT);
        const hi = planMemoryWithQuantization(arch, testGpu(), layout, testServing({ gpuMemoryUtilization: util + 0.05 }), NO_QUANT);
        expect(hi.numGpuBlocks).toBeGreaterThanOrEqual(lo.numGpuBlocks);
      }),
    );
  });

  it('doubling TP never raises the weights per GPU', () => {
    fc.assert(
      fc.property(fc.constantFrom(...archs), fc.constantFrom(1, 2, 4), fc.constantFrom(1, 2, 3), (arch, tp, pp) => {
        const a = weightsBytesPerRank(arch, NO_QUANT, { tp, pp, dp: 1, ep: false }, 'bf16').total;
        const b = weightsBytesPerRank(arch, NO_QUANT, { tp: tp * 2, pp, dp: 1, ep: false }, 'bf16').total;
        expect(b).toBeLessThanOrEqual(a);
      }),
    );
  });

  it('every output is finite and ≥ 0 when the model fits; concurrency falls as max_model_len grows', () => {
    fc.assert(
      fc.property(fc.constantFrom(...archs), fc.integer({ min: 1024, max: 8192 }), (arch, len) => {
        const layout = { tp: 1, pp: 1, dp: 1, ep: false };
        const a = planMemoryWithQuantization(arch, testGpu(), layout, testServing({ maxModelLenTokens: len }), NO_QUANT);
        const b = planMemoryWithQuantization(arch, testGpu(), layout, testServing({ maxModelLenTokens: len * 2 }), NO_QUANT);
        for (const v of [a.weightsBytesPerGpu, a.kvCacheBytesPerGpu, a.numGpuBlocks, a.kvCacheTokens, a.maxConcurrency, a.activationPeakBytesPerGpu]) {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
        expect(b.maxConcurrency).toBeLessThanOrEqual(a.maxConcurrency);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GiB } from '../units';
import { VLLM_VERSIONS } from '../types';
import { GEMMA2_9B, LLAMA_31_8B, NO_QUANT, testGpu, testServing } from '../testArchs';
import { planMemoryWithQuantization } from './planMemory';
import { explainMemoryPlan } from './explain';
import { DEFAULT_VLLM_VERSION, sortsLogitsInProfileRun, vllmMemoryAccounting, vllmVersionOf } from './vllmVersion';

const tp1 = { tp: 1, pp: 1, dp: 1, ep: false };
const tp2 = { tp: 2, pp: 1, dp: 1, ep: false };

describe('vllmVersion', () => {
  it('vllmVersionOf reads releases as people write them and maps 0.21 and later to 0.21+', () => {
    expect(vllmVersionOf('0.16')).toBe('0.16');
    expect(vllmVersionOf('0.17.1')).toBe('0.17');
    expect(vllmVersionOf('v0.19.0')).toBe('0.19');
    expect(vllmVersionOf('0.25.1')).toBe('0.21+');
    expect(vllmVersionOf('0.21+')).toBe('0.21+');
    for (const bad of ['', '0.9', '1.0', 'latest', '0.x', '0.16.0.1', '16']) expect(vllmVersionOf(bad)).toBeNull();
  });

  it('the default is the current release (0.21+: CUDA graphs inside the budget)', () => {
    expect(DEFAULT_VLLM_VERSION).toBe('0.21+');
    expect(vllmMemoryAccounting(undefined)).toEqual(vllmMemoryAccounting('0.21+'));
    expect(vllmMemoryAccounting(undefined).cudaGraphsInBudget).toBe(true);
  });

  it('"GPU KV cache size" as each release logs it: from 0.21 max concurrency × max_model_len, before num_blocks // groups × block', () => {
    // Gemma-2-9B: sliding-window (4096) and full layers in two block-table groups; 2,048 batched tokens.
    const serving = (v: '0.20' | '0.21+') => testServing({ vllmVersion: v, maxModelLenTokens: 8192, maxNumBatchedTokens: 2048 });
    const old = planMemoryWithQuantization(GEMMA2_9B, testGpu(79.19), tp1, serving('0.20'), NO_QUANT);
    const now = planMemoryWithQuantization(GEMMA2_9B, testGpu(79.19), tp1, serving('0.21+'), NO_QUANT);
    expect(old.kvCacheTokens).toBe(Math.floor(old.numGpuBlocks / 2) * 16);
    expect(now.kvCacheTokens).toBe(Math.floor(now.maxConcurrency * 8192));
    // The sliding group holds its window, not max_model_len: the new figure is above the old formula's for the same pool.
    expect(now.kvCacheTokens).toBeGreaterThan(1.1 * Math.floor(now.numGpuBlocks / 2) * 16);
    // One group and a max_model_len of whole blocks: both formulas give num_blocks × block.
    const llama = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), tp1, testServing({ vllmVersion: '0.21+', maxModelLenTokens: 8192 }), NO_QUANT);
    expect(llama.kvCacheTokens).toBe(llama.numGpuBlocks * 16);
    expect(vllmMemoryAccounting('0.20').kvTokensFromConcurrency).toBe(false);
    expect(vllmMemoryAccounting('0.21+').kvTokensFromConcurrency).toBe(true);
  });

  it('0.12–0.16 sort the logits in the profile run (Qwen3-14B sweep: 5.64 vs 2.23 GiB), other figures unchanged', () => {
    const at16 = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), tp1, testServing({ vllmVersion: '0.16' }), NO_QUANT);
    const at17 = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), tp1, testServing({ vllmVersion: '0.17' }), NO_QUANT);
    expect(at16.activationPeakBytesPerGpu).toBeGreaterThan(2 * at17.activationPeakBytesPerGpu);
    expect(at16.weightsBytesPerGpu).toBe(at17.weightsBytesPerGpu);
    expect(at16.kvCacheBytesPerGpu).toBeLessThan(at17.kvCacheBytesPerGpu);
    for (const v of ['0.12', '0.13', '0.14', '0.15', '0.16'] as const) expect(sortsLogitsInProfileRun(v)).toBe(true);
    for (const v of ['0.17', '0.18', '0.19', '0.20', '0.21+'] as const) expect(sortsLogitsInProfileRun(v)).toBe(false);
  });

  it('0.10 and 0.11 sample with FlashInfer on CUDA (the 0.17+ activation) but sort on ROCm', () => {
    const plan = (v: '0.10' | '0.11' | '0.14' | '0.19', generation: 'hopper' | 'cdna3' = 'hopper') =>
      planMemoryWithQuantization(LLAMA_31_8B, testGpu(generation === 'hopper' ? 79.19 : 191.5, generation), tp1, testServing({ vllmVersion: v }), NO_QUANT);
    for (const v of ['0.10', '0.11'] as const) {
      expect(sortsLogitsInProfileRun(v)).toBe(false);
      expect(sortsLogitsInProfileRun(v, { rocm: true })).toBe(true);
      expect(plan(v).activationPeakBytesPerGpu).toBe(plan('0.19').activationPeakBytesPerGpu);
      expect(plan(v, 'cdna3').activationPeakBytesPerGpu).toBe(plan('0.14', 'cdna3').activationPeakBytesPerGpu);
      expect(plan(v, 'cdna3').activationPeakBytesPerGpu).toBeGreaterThan(2 * plan(v).activationPeakBytesPerGpu);
    }
    // ROCm from 0.17 keeps the fitted 0.19 rule, as CUDA does.
    expect(plan('0.19', 'cdna3').activationPeakBytesPerGpu).toBe(plan('0.19').activationPeakBytesPerGpu);
  });

  it('non-torch memory before 0.18: 0.13 GiB at TP1 and ~0.54 GiB at TP2 (llm-d January 2026 starts), ~0.25 / ~2.07 from 0.18', () => {
    const plan = (v: '0.11' | '0.17' | '0.18', layout = tp1, disableCustomAllReduce = false) =>
      planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), layout, testServing({ vllmVersion: v, disableCustomAllReduce }), NO_QUANT);
    expect(plan('0.17').nonTorchBytesPerGpu).toBeCloseTo(0.13 * GiB, 0);
    expect(plan('0.18').nonTorchBytesPerGpu).toBeCloseTo(0.25 * GiB, 0);
    for (const v of ['0.11', '0.17'] as const) expect(Math.abs(plan(v, tp2).nonTorchBytesPerGpu / GiB - 0.545)).toBeLessThan(0.01);
    expect(Math.abs(plan('0.18', tp2).nonTorchBytesPerGpu / GiB - 2.07)).toBeLessThan(0.01);
    // Without custom all-reduce, NCCL's buffers alone: one figure in every release.
    expect(plan('0.17', tp2, true).nonTorchBytesPerGpu).toBe(plan('0.18', tp2, true).nonTorchBytesPerGpu);
  });

  it('from 0.21 the CUDA graph estimate comes out of the KV pool instead of the headroom', () => {
    const at19 = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), tp1, testServing({ vllmVersion: '0.19' }), NO_QUANT);
    const at21 = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), tp1, testServing({ vllmVersion: '0.21+' }), NO_QUANT);
    expect(at21.cudaGraphBytesPerGpu).toBe(at19.cudaGraphBytesPerGpu);
    expect(at19.kvCacheBytesPerGpu - at21.kvCacheBytesPerGpu).toBeCloseTo(at19.cudaGraphBytesPerGpu, 0);
    expect(at21.headroomBytesPerGpu - at19.headroomBytesPerGpu).toBeCloseTo(at19.cudaGraphBytesPerGpu, 0);
    expect(explainMemoryPlan(at21).find((l) => l.startsWith('KV pool'))).toContain('(CUDA graphs)');
    // --enforce-eager captures no graphs: 0.21+ then gives the 0.19 pool.
    const eager21 = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), tp1, testServing({ vllmVersion: '0.21+', enforceEager: true }), NO_QUANT);
    expect(eager21.kvCacheBytesPerGpu).toBe(at19.kvCacheBytesPerGpu);
  });

  it('in every release more utilization never gives less KV, and memory held by other processes never adds any', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VLLM_VERSIONS),
        fc.constantFrom(LLAMA_31_8B, GEMMA2_9B),
        fc.double({ min: 0.5, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (vllmVersion, arch, util, otherGiB) => {
          const plan = (u: number, other: number) =>
            planMemoryWithQuantization(arch, testGpu(79.19), tp1, testServing({ vllmVersion, gpuMemoryUtilization: u, usedByOtherProcessesBytes: other * GiB }), NO_QUANT);
          expect(plan(util + 0.05, 0).kvCacheBytesPerGpu).toBeGreaterThanOrEqual(plan(util, 0).kvCacheBytesPerGpu);
          const free = plan(util, 0);
          const busy = plan(util, otherGiB);
          // vLLM sizes the pool from the device total, but refuses to start when total × utilization is not free.
          if (busy.fits) expect(busy.kvCacheBytesPerGpu).toBe(free.kvCacheBytesPerGpu);
          else expect(busy.reason === 'insufficient-free-memory' || !free.fits).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

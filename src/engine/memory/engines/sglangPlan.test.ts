import { fixtureArch } from '../../fixtureArch.testing';
import { describe, expect, it } from 'vitest';
import { newModelCaches } from '../../cache/modelCaches';
import { findGpu } from '../../catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../../defaults';
import { LLAMA_31_8B, testGpu, testServing } from '../../testArchs';
import type { ResolvedServingOptions } from '../../types';
import { GiB } from '../../units';
import { explainMemoryPlan } from '../explain';
import { planMemoryIn } from '../planMemory';
import { CUDA_CONTEXT_BYTES, startupBytesPerGpu } from './startupOverheads';

const ONE = { tp: 1, pp: 1, dp: 1, ep: false };

const sglang = (overrides: Partial<ResolvedServingOptions> = {}, memFractionStatic: number | null = null): ResolvedServingOptions =>
  testServing({ engine: 'sglang', sglang: { memFractionStatic, chunkedPrefillSizeTokens: null, maxRunningRequests: null, cudaGraphMaxBs: null }, ...overrides });

describe('SGLang memory plan', () => {
  it('the KV pool is mem_fraction_static × total − weights, within the start-up memory SGLang measures before weights', () => {
    for (const mfs of [0.6, 0.8, 0.9]) {
      for (const tp of [1, 2, 4]) {
        const gpu = testGpu();
        const layout = { tp, pp: 1, dp: 1, ep: false };
        const plan = planMemoryIn(newModelCaches(LLAMA_31_8B), gpu, layout, sglang({}, mfs));
        const nominal = mfs * gpu.memoryBytes - plan.weightsBytesPerGpu;
        // Documented slack: SGLang takes the fraction of the memory free at "Load weight begin", so the
        // pool is short of the nominal figure by mfs × (CUDA context + distributed init), and rounds
        // down to whole tokens (less than one cell).
        const slack = mfs * startupBytesPerGpu(gpu, layout, {}) + plan.kvBytesPerTokenPerGpu;
        expect(nominal - plan.kvCacheBytesPerGpu).toBeGreaterThanOrEqual(0);
        expect(nominal - plan.kvCacheBytesPerGpu).toBeLessThanOrEqual(slack);
        expect(plan.engine).toBe('sglang');
        expect(plan.numGpuBlocks).toBe(plan.kvCacheTokens); // page size 1
      }
    }
  });

  it('max_total_num_tokens = rest // cell: Llama-3.1-8B at mem_fraction_static 0.8 on 79.19 GiB (hand calculation)', () => {
    const plan = planMemoryIn(newModelCaches(LLAMA_31_8B), testGpu(), ONE, sglang({}, 0.8));
    // cell = 2 × 8 KV heads × 128 × 32 layers × 2 B = 131,072 B per token.
    expect(plan.kvBytesPerTokenPerGpu).toBe(131_072);
    const rest = 0.8 * (79.19 * GiB - CUDA_CONTEXT_BYTES) - plan.weightsBytesPerGpu;
    expect(plan.kvCacheTokens).toBe(Math.floor(rest / 131_072));
    expect(plan.engineDetail).toMatchObject({ engine: 'sglang', memFractionStatic: 0.8, restBytes: rest });
    // context 8192: clamp(393,570 / 8192 × 512 = 24,598, 2048, 4096) = 4096 requests, far above the ~48 the pool holds at full length.
    expect(plan.engineDetail?.maxRunningRequests).toBe(4096);
    expect(plan.maxConcurrency).toBeCloseTo(rest / (8192 * 131_072), 6);
  });

  it('the default mem_fraction_static depends on the GPU (H100 TP1: 0.834)', () => {
    const h100 = findGpu('H100');
    if (h100 === undefined) throw new Error('catalog has no H100');
    const plan = planMemoryIn(newModelCaches(LLAMA_31_8B), h100, ONE, sglang());
    expect(plan.gpuMemoryUtilization).toBe(0.834);
  });

  // Logged: vllm-project/vllm issue #21348 (2025-07-22), Qwen3-235B-A22B-FP8, 4 × H100, --tp 4
  // --mem-fraction-static 0.93: "KV Cache is allocated. #tokens: 367404, K size: 8.23 GB, V size: 8.23 GB".
  it('Qwen3-235B-A22B-FP8 on 4 × H100 at 0.93: within 2 % of the logged 367,404 tokens', () => {
    const arch = fixtureArch('Qwen__Qwen3-235B-A22B-FP8');
    const plan = planMemoryIn(newModelCaches(arch), testGpu(79.19), { tp: 4, pp: 1, dp: 1, ep: false }, sglang({ maxModelLenTokens: 40_960 }, 0.93));
    // cell = 1 KV head (4 / TP4) × 128 × 94 layers × 2 (K, V) × 2 B = 48,128 B.
    expect(plan.kvBytesPerTokenPerGpu).toBe(48_128);
    expect(Math.abs(plan.kvCacheTokens / 367_404 - 1)).toBeLessThan(0.02);
    expect(plan.fits).toBe(true);
  });

  it('weights above the static pool do not fit, with SGLang\'s words', () => {
    const plan = planMemoryIn(newModelCaches(LLAMA_31_8B), testGpu(16), ONE, sglang({}, 0.88));
    expect(plan.fits).toBe(false);
    expect(plan.reason).toBe('weights-exceed-memory');
    expect(plan.message).toContain('--mem-fraction-static');
  });

  it("explains itself in SGLang's terms", () => {
    const lines = explainMemoryPlan(planMemoryIn(newModelCaches(LLAMA_31_8B), testGpu(), ONE, sglang({}, 0.8))).join('\n');
    expect(lines).toContain('--mem-fraction-static 0.8');
    expect(lines).toContain('max_total_num_tokens');
    expect(lines).toContain('max_running_requests=4096');
    expect(lines).not.toContain('gpu_memory_utilization');
  });

  it("vLLM's plan of the same options is unchanged by the engine fields it does not read", () => {
    const caches = newModelCaches(LLAMA_31_8B);
    const plain = planMemoryIn(caches, testGpu(), ONE, DEFAULT_RESOLVED_SERVING_OPTIONS);
    const tagged = planMemoryIn(caches, testGpu(), ONE, { ...DEFAULT_RESOLVED_SERVING_OPTIONS, engine: 'vllm', sglang: { memFractionStatic: 0.5, chunkedPrefillSizeTokens: 1, maxRunningRequests: 1, cudaGraphMaxBs: 1 } });
    expect(tagged).toEqual(plain);
    expect('engine' in plain).toBe(false);
  });
});

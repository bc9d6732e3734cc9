import { explainMemoryPlan } from './explain';
import { describe, expect, it } from 'vitest';
import { GiB } from '../units';
import { planMemory, planMemoryWithQuantization } from './planMemory';
import { GPU_CATALOG } from '../catalog/gpus';
import { GEMMA2_9B, LLAMA_31_8B, NO_QUANT, testGpu, testServing } from '../testArchs';

const layout = { tp: 1, pp: 1, dp: 1, ep: false };

describe('planMemory', () => {
  it('an H100 budget at 0.9 is 0.9 × 79.19 GiB', () => {
    const plan = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), layout, testServing({ gpuMemoryUtilization: 0.9 }), NO_QUANT);
    expect(plan.budgetBytes).toBeCloseTo(0.9 * 79.19 * GiB, 0);
  });

  it('plans Llama-3.1-8B TP=1 at 8192 tokens as vLLM 0.19 logs it on an H100', () => {
    // Truth CSV (llm-d-planner PR#205, v0.19.0, H100, util 0.95, max_model_len 8192): weights 14.99 GiB,
    // activation 1.89 GiB, non-torch 0.25 GiB, KV 58.11 GiB, 29751 blocks, 476016 tokens, 58.11x.
    // Hand calculation: 8,030,261,248 params × 2 B + rope cache 131072 × 128 × 2 B = 16,094,076,928 B
    // = 14.989 GiB; activation 2 × 8192 × 4096 × 2 B + 64 MiB + 1024 × 128256 × 14 B = 1.900 GiB;
    // KV 0.95 × 79.19 − 14.989 − 1.900 − 0.25 = 58.09 GiB; page 32 layers × 2 × 16 × 8 × 128 × 2 B = 2 MiB
    // → 29743 blocks × 16 = 475888 tokens; concurrency 29743 / 512 = 58.09x (0.03 % under the log).
    const plan = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), layout, testServing(), NO_QUANT);
    expect(plan.fits).toBe(true);
    expect(plan.weightsBytesPerGpu).toBe(16_094_076_928);
    expect(plan.activationPeakBytesPerGpu / GiB).toBeCloseTo(1.9, 2);
    expect(plan.kvBytesPerTokenPerGpu).toBe(131072);
    expect(plan.pageBytes).toBe(2 * 1024 * 1024);
    expect(plan.blockSizeTokens).toBe(16);
    expect(plan.numGpuBlocks).toBe(29743);
    expect(plan.kvCacheTokens).toBe(29743 * 16);
    expect(plan.maxConcurrency).toBeCloseTo(29743 / 512, 6);
    expect(Math.abs(plan.numGpuBlocks / 29751 - 1)).toBeLessThan(0.005);
    const explain = explainMemoryPlan(plan);
    expect(explain).toHaveLength(9);
    expect(explain[0]).toBe('Budget: 79.19 GiB × 0.95 = 75.23 GiB per GPU.');
    expect(explain[6]).toContain(`= ${plan.numGpuBlocks};`);
    expect(explain[7]).toBe(`GPU KV cache size: ${29743 * 16} tokens; maximum concurrency for 8192 tokens per request: ${(29743 / 512).toFixed(2)}x.`);
  });

  it('charges a sliding-window layer min(window − 1 + max_num_batched_tokens, max_model_len) tokens plus one block', () => {
    const plan = planMemoryWithQuantization(GEMMA2_9B, testGpu(), layout, testServing(), NO_QUANT);
    // 2 block-table groups of 21 layers; per request: full 512 blocks + sliding (512 + 1) = 1025.
    expect(plan.kvGroups.map((g) => g.kind).sort()).toEqual(['full-attention', 'sliding-window']);
    expect(plan.maxConcurrency).toBeCloseTo(plan.numGpuBlocks / 1025, 6);
    // vLLM 0.19 logs tokens = num_blocks // num_groups × block size.
    expect(plan.kvCacheTokens).toBe(Math.floor(plan.numGpuBlocks / 2) * 16);
  });

  it('reports weights-exceed-memory when the shard is larger than the budget', () => {
    const plan = planMemoryWithQuantization(LLAMA_31_8B, testGpu(15), layout, testServing(), NO_QUANT);
    expect(plan.fits).toBe(false);
    expect(plan.reason).toBe('weights-exceed-memory');
    expect(plan.numGpuBlocks).toBe(0);
  });

  it('reports no-kv-memory when weights fit but nothing is left for the cache', () => {
    const plan = planMemoryWithQuantization(LLAMA_31_8B, testGpu(17), layout, testServing(), NO_QUANT);
    expect(plan.reason).toBe('no-kv-memory');
  });

  it('reports context-exceeds-kv when one max_model_len request does not fit (vLLM refuses to start)', () => {
    const plan = planMemoryWithQuantization(LLAMA_31_8B, testGpu(24), layout, testServing({ maxModelLenTokens: 131072 }), NO_QUANT);
    expect(plan.reason).toBe('context-exceeds-kv');
    expect(plan.maxFittingModelLenTokens).toBeGreaterThan(0);
    expect(plan.maxFittingModelLenTokens).toBeLessThan(131072);
    expect(plan.message).toMatch(/131072 tokens/);
  });

  it('caps maxFittingModelLenTokens at the model limit', () => {
    const plan = planMemoryWithQuantization(LLAMA_31_8B, testGpu(), layout, testServing(), NO_QUANT);
    expect(plan.maxFittingModelLenTokens).toBe(131072);
  });

  it('rejects TP that does not divide the attention heads', () => {
    const plan = planMemoryWithQuantization(LLAMA_31_8B, testGpu(), { ...layout, tp: 3 }, testServing(), NO_QUANT);
    expect(plan.reason).toBe('invalid-layout');
    expect(plan.validTp).toEqual([1, 2, 4, 8]);
  });

  it('takes the minimum block count over pipeline stages (the last stage runs the sampler)', () => {
    const pp2 = planMemoryWithQuantization(LLAMA_31_8B, testGpu(), { ...layout, pp: 2 }, testServing(), NO_QUANT);
    // Truth CSV (0.19, PP=2): rank 0 KV 66.54 GiB but 67207 blocks of 1 MiB (= 65.63 GiB, the last stage's pool).
    const rank0Blocks = Math.floor(pp2.kvCacheBytesPerGpu / pp2.pageBytes);
    expect(pp2.numGpuBlocks).toBeLessThan(rank0Blocks);
    expect(Math.abs(pp2.numGpuBlocks / 67207 - 1)).toBeLessThan(0.02);
  });

  it('FP8 KV doubles the tokens of the same pool', () => {
    const auto = planMemoryWithQuantization(LLAMA_31_8B, testGpu(), layout, testServing(), NO_QUANT);
    const fp8 = planMemoryWithQuantization(LLAMA_31_8B, testGpu(), layout, testServing({ kvCacheDtype: 'fp8' }), NO_QUANT);
    expect(fp8.kvCacheBytesPerGpu).toBe(auto.kvCacheBytesPerGpu);
    expect(Math.abs(fp8.numGpuBlocks - 2 * auto.numGpuBlocks)).toBeLessThanOrEqual(1);
  });
});

describe('non-torch memory and vLLM custom all-reduce', () => {
  const l40s = GPU_CATALOG.find((g) => g.id === 'L40S');
  const h100 = GPU_CATALOG.find((g) => g.id === 'H100');
  const tp8 = { tp: 8, pp: 1, dp: 1, ep: false };
  it('PCIe-only GPUs at TP 8 hold NCCL buffers only (8 × L40S logs 0.21 GiB): no custom all-reduce', () => {
    // The bug this guards: every TP ≥ 2 layout was charged the ~2.3 GiB of NVLink custom all-reduce buffers.
    if (l40s === undefined || h100 === undefined) throw new Error('catalog');
    expect(l40s.interconnect.kind).toBe('pcie');
    const plan = planMemory(LLAMA_31_8B, l40s, tp8, testServing());
    expect(plan.nonTorchBytesPerGpu / GiB).toBeCloseTo(0.21, 6);
    expect(explainMemoryPlan(plan).join(' ')).toMatch(/custom all-reduce off/);
    expect(planMemory(LLAMA_31_8B, h100, tp8, testServing()).nonTorchBytesPerGpu / GiB).toBeCloseTo(1.98 + 0.045 * 8, 6);
  });

  it('--disable-custom-all-reduce drops the buffers on NVLink GPUs too, and the KV pool gains them', () => {
    if (h100 === undefined) throw new Error('catalog');
    const on = planMemory(LLAMA_31_8B, h100, tp8, testServing());
    const off = planMemory(LLAMA_31_8B, h100, tp8, testServing({ disableCustomAllReduce: true }));
    expect(off.nonTorchBytesPerGpu / GiB).toBeCloseTo(0.21, 6);
    expect(off.kvCacheBytesPerGpu - on.kvCacheBytesPerGpu).toBeCloseTo(on.nonTorchBytesPerGpu - off.nonTorchBytesPerGpu, 0);
    // TP = 1 has no all-reduce: the flag changes nothing.
    const tp1 = { tp: 1, pp: 1, dp: 1, ep: false };
    expect(planMemory(LLAMA_31_8B, h100, tp1, testServing({ disableCustomAllReduce: true }))).toEqual(planMemory(LLAMA_31_8B, h100, tp1, testServing()));
  });
});

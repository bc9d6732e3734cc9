import { describe, expect, it } from 'vitest';
import { newModelCaches } from '../../cache/modelCaches';
import { LLAMA_31_8B, testGpu, testServing } from '../../testArchs';
import type { ResolvedServingOptions, TrtllmServingOptions } from '../../types';
import { GiB, MiB } from '../../units';
import { explainMemoryPlan } from '../explain';
import { planMemoryIn } from '../planMemory';
import { trtllmProfilingRequests } from './trtllmDefaults';

const ONE = { tp: 1, pp: 1, dp: 1, ep: false };
const trtllm = (flags: Partial<TrtllmServingOptions> = {}, overrides: Partial<ResolvedServingOptions> = {}): ResolvedServingOptions =>
  testServing({ engine: 'trtllm', trtllm: { kvCacheFreeGpuMemoryFraction: null, maxBatchSize: null, maxNumTokens: null, ...flags }, ...overrides });

describe('TensorRT-LLM memory plan', () => {
  it('Llama-3.1-8B on one 79.19 GiB GPU with the defaults (hand-checked)', () => {
    const plan = planMemoryIn(newModelCaches(LLAMA_31_8B), testGpu(79.19), ONE, trtllm());
    // Weights 14.99 GiB (BF16); profiling forward of max_num_tokens 8192 tokens in 2 requests
    // (prompts of max_seq_len − 1 = 8191 tokens, then 1): 0.84 GiB; CUDA context outside torch 0.45 GiB.
    expect(plan.weightsBytesPerGpu / GiB).toBeCloseTo(14.99, 2);
    expect(plan.activationPeakBytesPerGpu / GiB).toBeCloseTo(0.84, 2);
    expect(plan.nonTorchBytesPerGpu / GiB).toBeCloseTo(0.45, 6);
    // CUDA graphs (captured before the estimate): 0.45 + 0.016 × 32 layers = 0.962 GiB.
    expect(plan.cudaGraphBytesPerGpu / GiB).toBeCloseTo(0.962, 6);
    // free = 79.19 − 14.99 − 0.84 − 0.45 − 0.96 = 61.95 GiB; KV = 0.9 × 61.95 = 55.75 GiB.
    const free = 79.19 * GiB - plan.weightsBytesPerGpu - plan.activationPeakBytesPerGpu - plan.nonTorchBytesPerGpu - plan.cudaGraphBytesPerGpu;
    expect(plan.engineDetail).toMatchObject({ engine: 'trtllm', freeAfterProfilingBytes: free, kvCacheFreeGpuMemoryFraction: 0.9, tokensPerBlock: 32, profilingRequests: 2 });
    // A block of 32 tokens × 131,072 B = 4 MiB: 55.75 GiB / 4 MiB = 55.75 × 256 → 14,272 blocks = 456,704 tokens.
    expect(plan.pageBytes).toBe(4 * MiB);
    expect(plan.numGpuBlocks).toBe(Math.floor((0.9 * free) / (4 * MiB)));
    expect(plan.numGpuBlocks).toBe(14_272);
    expect(plan.kvCacheTokens).toBe(456_704);
    // One request of max_seq_len 8192 takes 256 blocks: 14,272 / 256 = 55.75 requests (< max_batch_size 2048).
    expect(plan.maxConcurrency).toBeCloseTo(14_272 / 256, 10);
    expect(plan.kvCacheBytesPerGpu).toBe(14_272 * 4 * MiB);
    expect(plan.fits).toBe(true);
  });

  it('max_batch_size caps the concurrency', () => {
    const plan = planMemoryIn(newModelCaches(LLAMA_31_8B), testGpu(), ONE, trtllm({ maxBatchSize: 16 }, { maxModelLenTokens: 1024 }));
    expect(plan.maxConcurrency).toBe(16);
    expect(plan.engineDetail?.maxRunningRequests).toBe(16);
  });

  it('a larger max_num_tokens profiles a larger forward and leaves less KV cache', () => {
    const small = planMemoryIn(newModelCaches(LLAMA_31_8B), testGpu(), ONE, trtllm({ maxNumTokens: 2048 }));
    const large = planMemoryIn(newModelCaches(LLAMA_31_8B), testGpu(), ONE, trtllm({ maxNumTokens: 32768 }));
    expect(large.activationPeakBytesPerGpu).toBeGreaterThan(small.activationPeakBytesPerGpu);
    expect(large.kvCacheBytesPerGpu).toBeLessThan(small.kvCacheBytesPerGpu);
  });

  it('profiling requests: max_num_tokens in prompts of max_seq_len − 1 tokens', () => {
    expect(trtllmProfilingRequests(8192, 8192)).toBe(2);
    expect(trtllmProfilingRequests(8192, 131_072)).toBe(1);
    expect(trtllmProfilingRequests(8192, 1025)).toBe(8);
    expect(trtllmProfilingRequests(8192, 1000)).toBe(9);
  });

  it("explains itself in TensorRT-LLM's terms", () => {
    const lines = explainMemoryPlan(planMemoryIn(newModelCaches(LLAMA_31_8B), testGpu(), ONE, trtllm())).join('\n');
    expect(lines).toContain('kv_cache_free_gpu_memory_fraction 0.9');
    expect(lines).toContain('primary blocks=');
    expect(lines).toContain('max_batch_size=2048');
  });
});

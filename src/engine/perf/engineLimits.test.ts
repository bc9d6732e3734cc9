import { describe, expect, it } from 'vitest';
import { newModelCaches } from '../cache/modelCaches';
import { LLAMA_31_8B, testGpu, testServing } from '../testArchs';
import type { ResolvedServingOptions } from '../types';
import { planMemoryIn } from '../memory/planMemory';
import { batchLimits } from './engineLimits';
import { modelCostFor, replicaModel } from './estimatePerf';

const LAYOUT = { tp: 1, pp: 1, dp: 1, ep: false };

function modelFor(serving: ResolvedServingOptions) {
  const caches = newModelCaches(LLAMA_31_8B);
  const gpu = testGpu();
  const memory = planMemoryIn(caches, gpu, LAYOUT, serving);
  return { memory, model: replicaModel({ gpu, serving, engine: serving.engine ?? 'vllm', memory }, modelCostFor(caches, serving, LAYOUT), 1000, 200) };
}

describe('batchLimits: each engine runs with its own caps', () => {
  it("vLLM: max_num_seqs and max_num_batched_tokens", () => {
    const serving = testServing({ maxNumSeqs: 7, maxNumBatchedTokens: 4096 });
    const { memory, model } = modelFor(serving);
    expect(batchLimits(serving, memory)).toEqual({ maxRunningRequests: 7, maxBatchedTokens: 4096 });
    expect(model.maxRunning).toBe(7);
  });

  it("TensorRT-LLM: --max_batch_size and --max_num_tokens from its plan, not vLLM's limits", () => {
    const serving = testServing({ maxNumSeqs: 1024, maxNumBatchedTokens: 8192, engine: 'trtllm', trtllm: { kvCacheFreeGpuMemoryFraction: null, maxBatchSize: 5, maxNumTokens: 2048 } });
    const { memory, model } = modelFor(serving);
    expect(batchLimits(serving, memory)).toEqual({ maxRunningRequests: 5, maxBatchedTokens: 2048 });
    expect(model.maxRunning).toBe(5);
    expect(model.maxNumBatchedTokens).toBe(2048);
  });

  it("SGLang: --max-running-requests and --chunked-prefill-size from its plan", () => {
    const serving = testServing({ engine: 'sglang', sglang: { memFractionStatic: null, chunkedPrefillSizeTokens: 1024, maxRunningRequests: 9, cudaGraphMaxBs: null } });
    const { model } = modelFor(serving);
    expect(model.maxRunning).toBe(9);
    expect(model.maxNumBatchedTokens).toBe(1024);
  });
});

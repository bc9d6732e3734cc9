/**
 * The memory plan of one GPU (rank 0) as TensorRT-LLM's PyTorch backend computes it at start-up
 * (tensorrt_llm/_torch/pyexecutor/_util.py KvCacheCreator.configure_kv_cache_capacity, _cal_max_memory):
 * it loads the weights, runs one profiling forward of max_num_tokens tokens, then measures
 *
 *   peak = torch peak (weights + activations) + memory outside torch (CUDA context, NCCL)
 *   KV   = kv_cache_free_gpu_memory_fraction × (total − peak)
 *
 * and hands the KV cache manager `KV // (bytes per token)` tokens, allocated in blocks of
 * tokens_per_block (32) tokens: "[kv cache manager] … primary blocks=N", "[MemUsageChange] Allocated
 * X GiB for max tokens in paged KV cache (T)". A request of max_seq_len tokens takes
 * ceil(max_seq_len / 32) blocks; max_batch_size caps the requests scheduled at once.
 *
 * The activation peak is vLLM's rule (../activation.ts) for a forward of max_num_tokens tokens that
 * samples one token per profiling request. The decode CUDA graphs are captured before the
 * estimate (logs: "Run generation only CUDA graph warmup for batch size=…" precede "Memory used
 * outside torch (e.g., NCCL and CUDA graphs)"), so they are part of the peak, not of the KV cache.
 * APPROXIMATIONS: the CUDA graphs' size is vLLM's estimate (../overheads.ts); sliding-window layers
 * are charged every token (TensorRT-LLM's VSWA pools size per window); Mamba state is charged per
 * request in the same pool.
 */
import type { ModelCaches } from '../../cache/modelCaches';
import type { GpuSpec, Layout, MemoryPlan, NoFitReason, ResolvedServingOptions, TrtllmMemoryDetail } from '../../types';
import { cudaGraphBytes } from '../overheads';
import { gib } from '../prepareLayout';
import { engineStageCosts } from './engineStages';
import { engineFailurePlan, prepareForEngine } from './enginePlanParts';
import { resolveTrtllmOptions, TRTLLM_TOKENS_PER_BLOCK, trtllmProfilingRequests } from './trtllmDefaults';
import { startupBytesPerGpu } from './startupOverheads';

/** _cal_max_memory: available_kv_mem = (total − peak) × fraction (the temporary estimation KV is part of neither). */
export function trtllmKvCacheBytes(totalBytes: number, peakBytes: number, fraction: number): number {
  return fraction * Math.max(0, totalBytes - peakBytes);
}

export function planTrtllmMemoryIn(caches: ModelCaches, gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions): MemoryPlan {
  const opts = resolveTrtllmOptions(serving.trtllm);
  const fraction = opts.kvCacheFreeGpuMemoryFraction;
  const maxSeqLen = serving.maxModelLenTokens;
  const profilingRequests = trtllmProfilingRequests(opts.maxNumTokens, maxSeqLen);
  // The profiling forward is vLLM's dummy run with TensorRT-LLM's token budget and its requests' samplers.
  const profiled: ResolvedServingOptions = { ...serving, maxNumBatchedTokens: opts.maxNumTokens, maxNumSeqs: profilingRequests };
  const p = prepareForEngine(caches, gpu, layout, profiled, 'TensorRT-LLM');
  if (!p.ok) return engineFailurePlan(caches, gpu, serving, 'trtllm', fraction, p);
  const prepared = p.prepared;
  const stages = engineStageCosts(prepared);
  const rank0 = stages[0];
  if (rank0 === undefined) throw new Error('planTrtllmMemory: a layout has at least one pipeline stage');

  const nonTorch = startupBytesPerGpu(gpu, layout, serving);
  const cudaGraph = cudaGraphBytes(rank0.numLayers, serving.enforceEager);
  const blockTokens = TRTLLM_TOKENS_PER_BLOCK;
  const blocksPerRequest = Math.ceil(maxSeqLen / blockTokens);

  // Per stage: free after profiling, KV bytes, blocks; the plan takes the minimum over stages.
  let numBlocks = Infinity;
  let requestsByKv = Infinity;
  let worstFree = Infinity;
  let worstWeightsOver = -Infinity;
  for (const stage of stages) {
    // Free memory as TensorRT-LLM measures it after profiling: other processes' share is not free.
    const free =
      gpu.memoryBytes - (serving.usedByOtherProcessesBytes ?? 0) - stage.weightsBytes - stage.activationBytes - nonTorch - cudaGraphBytes(stage.numLayers, serving.enforceEager);
    worstFree = Math.min(worstFree, free);
    worstWeightsOver = Math.max(worstWeightsOver, stage.weightsBytes + nonTorch - gpu.memoryBytes);
    const kv = trtllmKvCacheBytes(gpu.memoryBytes, gpu.memoryBytes - free, fraction);
    const blockBytes = stage.kvBytesPerToken * blockTokens;
    if (blockBytes > 0) numBlocks = Math.min(numBlocks, Math.floor(kv / blockBytes));
    const perRequest = blocksPerRequest * blockBytes + stage.stateBytesPerRequest;
    if (perRequest > 0) requestsByKv = Math.min(requestsByKv, kv / perRequest);
  }
  const attentionFree = !Number.isFinite(numBlocks);
  const blocks = attentionFree ? 0 : numBlocks;
  const tokens = blocks * blockTokens;
  const freeRank0 = gpu.memoryBytes - rank0.weightsBytes - rank0.activationBytes - nonTorch - cudaGraph;
  const kvRank0 = trtllmKvCacheBytes(gpu.memoryBytes, gpu.memoryBytes - freeRank0, fraction);
  const kvBytes = attentionFree ? kvRank0 : blocks * blockTokens * rank0.kvBytesPerToken;
  const byKv = attentionFree ? (Number.isFinite(requestsByKv) ? requestsByKv : 0) : blocks / blocksPerRequest;
  const concurrency = Math.max(0, Math.min(byKv, opts.maxBatchSize));
  // Where its start-up allocations stop: everything profiled plus the KV cache.
  const budget = rank0.weightsBytes + rank0.activationBytes + nonTorch + cudaGraph + kvBytes;
  const headroom = gpu.memoryBytes - budget;
  const maxFitting = attentionFree ? caches.arch.maxPositionTokens : Math.min(caches.arch.maxPositionTokens, tokens);

  let reason: NoFitReason | null = null;
  let message: string | null = null;
  if (worstWeightsOver > 0) {
    reason = 'weights-exceed-memory';
    message = `Weights need ${gib(rank0.weightsBytes)} per GPU but only ${gib(gpu.memoryBytes - nonTorch)} is free after the CUDA context; use more GPUs or a smaller precision.`;
  } else if (worstFree <= 0 || (!attentionFree && blocks <= 0)) {
    reason = 'no-kv-memory';
    message = `No memory left for TensorRT-LLM's KV cache: weights, the ${opts.maxNumTokens}-token profiling forward and memory outside torch take the whole GPU; lower --max_num_tokens.`;
  } else if (!attentionFree && blocks < blocksPerRequest) {
    reason = 'context-exceeds-kv';
    message = `TensorRT-LLM's KV cache holds ${tokens} tokens, fewer than one request of max_seq_len ${maxSeqLen}; lower --max_seq_len or raise --kv_cache_free_gpu_memory_fraction.`;
  }

  const engineDetail: TrtllmMemoryDetail = {
    engine: 'trtllm',
    maxRunningRequests: opts.maxBatchSize,
    maxBatchedTokens: opts.maxNumTokens,
    kvCacheFreeGpuMemoryFraction: fraction,
    freeAfterProfilingBytes: freeRank0,
    tokensPerBlock: blockTokens,
    profilingRequests,
  };
  return {
    fits: reason === null,
    reason,
    message,
    gpuMemoryBytes: gpu.memoryBytes,
    budgetBytes: budget,
    weightsBytesPerGpu: rank0.weightsBytes,
    activationPeakBytesPerGpu: rank0.activationBytes,
    nonTorchBytesPerGpu: nonTorch,
    cudaGraphBytesPerGpu: cudaGraph,
    kvCacheBytesPerGpu: kvBytes,
    kvGroups: prepared.kvGroups,
    kvBytesPerTokenPerGpu: rank0.kvBytesPerToken,
    stateBytesPerRequestPerGpu: rank0.stateBytesPerRequest,
    blockSizeTokens: blockTokens,
    pageBytes: rank0.kvBytesPerToken * blockTokens,
    numGpuBlocks: reason === 'weights-exceed-memory' || reason === 'no-kv-memory' ? 0 : blocks,
    kvCacheTokens: tokens,
    maxConcurrency: concurrency,
    maxModelLenTokens: maxSeqLen,
    maxFittingModelLenTokens: maxFitting,
    headroomBytesPerGpu: headroom,
    validTp: caches.validTp,
    maxPp: caches.maxPp,
    gpuMemoryUtilization: fraction,
    explainText: prepared.text,
    engine: 'trtllm',
    engineDetail,
  };
}

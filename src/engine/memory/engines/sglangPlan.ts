/**
 * The memory plan of one GPU (rank 0) as SGLang computes it at start-up
 * (python/sglang/srt/model_executor/model_runner.py init_memory_pool / profile_max_num_token, and
 * model_runner_kv_cache_mixin.py in current releases):
 *
 *   free  = memory free when weight loading begins (after the CUDA context and distributed init)
 *   rest  = (free after loading the weights) − free × (1 − mem_fraction_static)
 *         = mem_fraction_static × free − weights
 *   max_total_num_tokens = rest // cell,  cell = Σ layers KV bytes per token on this rank
 *          (2 × KV heads on this rank × head_dim × dtype; MLA: (kv_lora_rank + qk_rope_head_dim) × dtype)
 *
 * The pool is token-granular (page size 1 by default); with PP every rank takes the minimum token
 * count (all_reduce MIN). Activations and CUDA graphs are not measured: they live in the
 * (1 − mem_fraction_static) share, which SGLang's default sizes from its own estimate of them
 * (sglangDefaults.ts). max_running_requests follows from the pool (sglangMaxRunningRequests).
 *
 * APPROXIMATIONS: sliding-window layers are charged every token as full attention (SGLang's hybrid
 * SWA pool, used for some models, splits tokens by --swa-full-tokens-ratio); Mamba / DeltaNet state
 * is charged per request inside the same pool (SGLang gives it a separate pool sized by
 * --mamba-full-memory-ratio); attention backends that need pages > 1 (FlashMLA: 64) round the pool
 * down by less than one page.
 */
import type { ModelCaches } from '../../cache/modelCaches';
import type { GpuSpec, Layout, MemoryPlan, NoFitReason, ResolvedServingOptions, SglangMemoryDetail } from '../../types';
import { gib } from '../prepareLayout';
import { engineStageCosts } from './engineStages';
import { engineFailurePlan, prepareForEngine } from './enginePlanParts';
import { cudaGraphBytes } from '../overheads';
import { resolveSglangOptions, sglangMaxRunningRequests } from './sglangDefaults';
import { startupBytesPerGpu } from './startupOverheads';

/** SGLang's default page size (`--page-size` 1): the KV pool is allocated and counted per token. */
export const SGLANG_PAGE_SIZE_TOKENS = 1;

/** profile_max_num_token: rest_memory = free − free × (1 − mem_fraction_static) − weights = mfs × free − weights. */
export function sglangRestBytes(freeBeforeLoadBytes: number, memFractionStatic: number, weightsBytes: number): number {
  return memFractionStatic * freeBeforeLoadBytes - weightsBytes;
}

/** profile_max_num_token: max_total_num_tokens = int(rest_memory // cell_size), 0 when nothing is left. */
export function sglangPoolTokens(restBytes: number, cellBytesPerToken: number): number {
  return restBytes > 0 && cellBytesPerToken > 0 ? Math.floor(restBytes / cellBytesPerToken) : 0;
}

export function planSglangMemoryIn(caches: ModelCaches, gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions): MemoryPlan {
  const opts = resolveSglangOptions(gpu, layout, serving.sglang);
  const mfs = opts.memFractionStatic;
  // Activations: vLLM's rule for a forward of one prefill chunk (SGLang's largest step), sampling up
  // to cuda_graph_max_bs requests; SGLang itself only reserves for them (sglangDefaults.ts).
  const stepped: ResolvedServingOptions = { ...serving, maxNumBatchedTokens: opts.chunkedPrefillSizeTokens, maxNumSeqs: opts.cudaGraphMaxBs };
  const p = prepareForEngine(caches, gpu, layout, stepped, 'SGLang');
  if (!p.ok) return engineFailurePlan(caches, gpu, serving, 'sglang', mfs, p);
  const prepared = p.prepared;
  const stages = engineStageCosts(prepared);
  const rank0 = stages[0];
  if (rank0 === undefined) throw new Error('planSglangMemory: a layout has at least one pipeline stage');

  const nonTorch = startupBytesPerGpu(gpu, layout, serving);
  // SGLang sizes from the memory free at start (get_available_gpu_memory): other processes' share is not there.
  const freeBefore = gpu.memoryBytes - (serving.usedByOtherProcessesBytes ?? 0) - nonTorch;
  const budget = sglangRestBytes(freeBefore, mfs, 0);
  const contextLen = serving.maxModelLenTokens;

  // Per stage: rest, tokens and requests of context_len; the plan takes the minimum over stages.
  let poolTokens = Infinity;
  let requestsByKv = Infinity;
  let worstRest = Infinity;
  let worstWeights = 0;
  for (const stage of stages) {
    const rest = sglangRestBytes(freeBefore, mfs, stage.weightsBytes);
    worstRest = Math.min(worstRest, rest);
    worstWeights = Math.max(worstWeights, stage.weightsBytes);
    if (stage.kvBytesPerToken > 0) poolTokens = Math.min(poolTokens, sglangPoolTokens(rest, stage.kvBytesPerToken));
    const perRequest = contextLen * stage.kvBytesPerToken + stage.stateBytesPerRequest;
    if (perRequest > 0) requestsByKv = Math.min(requestsByKv, Math.max(0, rest) / perRequest);
  }
  const attentionFree = !Number.isFinite(poolTokens);
  const tokens = attentionFree ? 0 : poolTokens;
  const restRank0 = sglangRestBytes(freeBefore, mfs, rank0.weightsBytes);
  const maxRunning = sglangMaxRunningRequests(attentionFree ? Math.max(0, Math.floor(requestsByKv)) * 2 : tokens, contextLen, opts.maxRunningRequests);
  const byKv = Number.isFinite(requestsByKv) ? requestsByKv : 0;
  const concurrency = Math.max(0, Math.min(byKv, maxRunning));
  const kvBytes = attentionFree ? Math.max(0, restRank0) : tokens * rank0.kvBytesPerToken;
  const activation = rank0.activationBytes;
  // CUDA graphs: the project's estimate (../overheads.ts; SGLang's own reserve of 2 MB per batch size
  // undercounts: QwQ-32B TP4 on L4 logged "Capture cuda graph end … mem usage=0.93 GB").
  const cudaGraph = cudaGraphBytes(rank0.numLayers, serving.enforceEager);
  const headroom = gpu.memoryBytes - nonTorch - rank0.weightsBytes - kvBytes - activation - cudaGraph;
  const maxFitting = attentionFree ? caches.arch.maxPositionTokens : Math.min(caches.arch.maxPositionTokens, tokens);

  let reason: NoFitReason | null = null;
  let message: string | null = null;
  if (worstWeights > budget) {
    reason = 'weights-exceed-memory';
    message = `Weights need ${gib(worstWeights)} per GPU but SGLang's static pool is ${gib(budget)} (--mem-fraction-static ${mfs} × ${gib(freeBefore)} free); SGLang stops with "Not enough memory"; raise --mem-fraction-static or use more GPUs.`;
  } else if (worstRest <= 0 || (!attentionFree && tokens <= 0)) {
    reason = 'no-kv-memory';
    message = `No memory left for SGLang's KV pool: the weights fill the ${gib(budget)} static pool.`;
  } else if (!attentionFree && tokens < contextLen) {
    reason = 'context-exceeds-kv';
    message = `SGLang's pool holds ${tokens} tokens, fewer than one request of ${contextLen}; it would cap requests at ${Math.max(0, tokens - 1)} tokens.`;
  }
  if (reason === null && headroom < 0)
    message = `Activations (~${gib(activation)}) and CUDA graphs (~${gib(cudaGraph)}) may not fit in the ${gib(gpu.memoryBytes - nonTorch - budget)} left outside the static pool; lower --mem-fraction-static or --cuda-graph-max-bs.`;

  const engineDetail: SglangMemoryDetail = {
    engine: 'sglang',
    maxRunningRequests: maxRunning,
    maxBatchedTokens: opts.chunkedPrefillSizeTokens,
    memFractionStatic: mfs,
    cudaGraphMaxBs: opts.cudaGraphMaxBs,
    freeBeforeLoadBytes: freeBefore,
    restBytes: restRank0,
    poolTokens: tokens,
  };
  return {
    fits: reason === null,
    reason,
    message,
    gpuMemoryBytes: gpu.memoryBytes,
    budgetBytes: budget,
    weightsBytesPerGpu: rank0.weightsBytes,
    activationPeakBytesPerGpu: activation,
    nonTorchBytesPerGpu: nonTorch,
    cudaGraphBytesPerGpu: cudaGraph,
    kvCacheBytesPerGpu: kvBytes,
    kvGroups: prepared.kvGroups,
    kvBytesPerTokenPerGpu: rank0.kvBytesPerToken,
    stateBytesPerRequestPerGpu: rank0.stateBytesPerRequest,
    blockSizeTokens: SGLANG_PAGE_SIZE_TOKENS,
    pageBytes: rank0.kvBytesPerToken * SGLANG_PAGE_SIZE_TOKENS,
    numGpuBlocks: reason === 'weights-exceed-memory' || reason === 'no-kv-memory' ? 0 : tokens,
    kvCacheTokens: tokens,
    maxConcurrency: concurrency,
    maxModelLenTokens: contextLen,
    maxFittingModelLenTokens: maxFitting,
    headroomBytesPerGpu: headroom,
    validTp: caches.validTp,
    maxPp: caches.maxPp,
    gpuMemoryUtilization: mfs,
    explainText: prepared.text,
    engine: 'sglang',
    engineDetail,
  };
}

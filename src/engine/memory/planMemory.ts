/**
 * The memory plan of one GPU (rank 0) as vLLM V1 (0.19+) computes it at start-up:
 * budget = total × gpu_memory_utilization; KV pool = budget − weights − activation peak − non-torch
 * (vllm/v1/worker/gpu_worker.py determine_available_memory); blocks, tokens and concurrency from
 * vllm/v1/core/kv_cache_utils.py. With PP every stage is planned and the block count is the minimum
 * over stages (get_kv_cache_configs: "Change the num_blocks of each rank to the smallest").
 */
import type { ModelCaches } from '../cache/modelCaches';
import { newModelCaches, quantizationFor } from '../cache/modelCaches';
import type { GpuSpec, Layout, MemoryPlan, ModelArch, NoFitReason, QuantizationInfo, ResolvedServingOptions } from '../types';
import { maxFittingModelLenFromCosts, numBlocksFromCosts } from './blocks';
import { budgetBytes, cudaGraphBytes } from './overheads';
import { vllmMemoryAccounting } from './vllmVersion';
import { gib, prepareMemoryLayout } from './prepareLayout';
import { emptyPlan } from './emptyPlan';
import { planNonVllmMemoryIn } from './engines/planEngineMemory';

export { validTpSizes } from './layouts';
export { resolveModelDtype } from './prepareLayout';

/**
 * One plan, computed from scratch (nothing is kept): for a one-off plan. Everything that plans
 * repeatedly goes through an engine session (../session.ts), whose caches make a recommendation's
 * ~1,600 plans cost microseconds each.
 */
export function planMemory(arch: ModelArch, gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions): MemoryPlan {
  return planMemoryIn(newModelCaches(arch), gpu, layout, serving);
}

/** planMemory with a given quantization for the requested precision (tests and what-ifs), from scratch. */
export function planMemoryWithQuantization(
  arch: ModelArch,
  gpu: GpuSpec,
  layout: Layout,
  serving: ResolvedServingOptions,
  quant: QuantizationInfo,
): MemoryPlan {
  return planMemoryIn(newModelCaches(arch, { precision: serving.weightPrecision, quantization: quant }), gpu, layout, serving);
}

/**
 * The plan of one GPU with the caches' model. The GPU-independent part (prepareLayout.ts) is built
 * once per layout and serving options and kept in `caches`; this step adds the GPU: budget, KV
 * pool, blocks, tokens, concurrency, largest fitting length, messages and the explain lines that
 * mention them.
 */
export function planMemoryIn(caches: ModelCaches, gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions): MemoryPlan {
  // SGLang and TensorRT-LLM size their pools their own way (memory/engines/).
  const engine = serving.engine ?? 'vllm';
  if (engine !== 'vllm') return planNonVllmMemoryIn(engine, caches, gpu, layout, serving);
  const arch = caches.arch;
  const q = quantizationFor(caches, serving.weightPrecision);
  if (!q.ok) return emptyPlan(caches, gpu, serving, 'precision-unsupported', q.error.detail);
  const quant = q.value;
  const prepared = prepareMemoryLayout(caches, layout, serving, quant, gpu);
  if (prepared.kind === 'invalid-layout') return emptyPlan(caches, gpu, serving, 'invalid-layout', prepared.message);

  const mnbt = serving.maxNumBatchedTokens;
  const budget = budgetBytes(gpu, serving.gpuMemoryUtilization);
  // From vLLM 0.21 the CUDA graph pool is profiled and reserved inside the budget (vllmVersion.ts).
  const graphsInBudget = vllmMemoryAccounting(serving.vllmVersion).cudaGraphsInBudget;
  const nonTorch = prepared.nonTorchBytes;
  const stages = prepared.stages;
  const rank0 = stages[0];
  if (rank0 === undefined) throw new Error('planMemory: a layout has at least one pipeline stage');

  // Per stage: KV pool, blocks and largest fitting max_model_len; the plan takes the minimum over
  // stages (get_kv_cache_configs). Math.min pairwise = Math.min over all (also for −0 and NaN).
  let rank0Available = 0;
  let numBlocks = 0;
  let maxFitting = 0;
  let worstAvailable = 0;
  let short: { neededBytes: number; availableKvBytes: number } | null = null;
  for (let i = 0; i < stages.length; i += 1) {
    const stage = stages[i];
    if (stage === undefined) continue;
    const stageGraphBytes = graphsInBudget ? cudaGraphBytes(stage.view.end - stage.view.start, serving.enforceEager) : 0;
    const availableKvBytes = budget - stage.weightsBytes - stage.activationBytes - nonTorch - stageGraphBytes;
    const blocks = numBlocksFromCosts(stage.kv, availableKvBytes);
    const fitting = maxFittingModelLenFromCosts(stage.kv, Math.max(0, availableKvBytes), mnbt, arch.maxPositionTokens);
    if (i === 0) {
      rank0Available = availableKvBytes;
      numBlocks = blocks;
      maxFitting = fitting;
      worstAvailable = availableKvBytes;
    } else {
      numBlocks = Math.min(numBlocks, blocks);
      maxFitting = Math.min(maxFitting, fitting);
      worstAvailable = Math.min(worstAvailable, availableKvBytes);
    }
    if (short === null && stage.neededBytes > availableKvBytes) short = { neededBytes: stage.neededBytes, availableKvBytes };
  }

  const { kvBytesPerToken, stateBytesPerRequest, pageBytes, layersPerBlock } = prepared;
  const blockSize = prepared.blockSizeTokens;
  const blockBytes = pageBytes * layersPerBlock;
  // maxConcurrency (blocks.ts): num_blocks / blocks per request.
  const concurrency = prepared.blocksPerRequest > 0 ? numBlocks / prepared.blocksPerRequest : 0;
  // "GPU KV cache size" as the release logs it (vllmVersion.ts kvTokensFromConcurrency): from 0.21
  // max concurrency × max_model_len; before, num_blocks // num_groups × the smallest block (blocks.ts).
  const tokens =
    prepared.kvGroupCount === 0
      ? 0
      : vllmMemoryAccounting(serving.vllmVersion).kvTokensFromConcurrency
        ? Math.floor(concurrency * serving.maxModelLenTokens)
        : Math.floor(numBlocks / prepared.kvGroupCount) * prepared.minGroupBlockTokens;
  const cudaGraph = cudaGraphBytes(rank0.view.end - rank0.view.start, serving.enforceEager);
  const headroom = gpu.memoryBytes - budget - (graphsInBudget ? 0 : cudaGraph);

  let reason: NoFitReason | null = null;
  let message: string | null = null;
  const worstWeights = prepared.worstWeightsBytes;
  // vllm/v1/worker/gpu_worker.py init_device: the free memory at start must cover the requested
  // total × gpu_memory_utilization, else "Free memory on device … on startup is less than desired
  // GPU memory utilization"; other processes' memory is not subtracted from the budget otherwise.
  const freeAtStart = gpu.memoryBytes - (serving.usedByOtherProcessesBytes ?? 0);
  if (freeAtStart < budget) {
    reason = 'insufficient-free-memory';
    message = `Free memory on device (${gib(freeAtStart)}/${gib(gpu.memoryBytes)}) on startup is less than desired GPU memory utilization (${serving.gpuMemoryUtilization}, ${gib(budget)}); vLLM refuses to start: decrease GPU memory utilization to at most ${(Math.floor((freeAtStart / gpu.memoryBytes) * 100) / 100).toFixed(2)} or reduce GPU memory used by other processes.`;
  } else if (worstWeights > budget) {
    reason = 'weights-exceed-memory';
    message = `Weights need ${gib(worstWeights)} per GPU but the budget is ${gib(budget)} (${gib(gpu.memoryBytes)} × ${serving.gpuMemoryUtilization}); use more GPUs or a smaller precision.`;
  } else if (worstAvailable <= 0) {
    reason = 'no-kv-memory';
    message = `No memory left for the KV cache: weights, activation peak${graphsInBudget ? ', CUDA graphs' : ''} and non-torch memory take ${gib(budget - worstAvailable)} of the ${gib(budget)} budget (vLLM: "No available memory for the cache blocks").`;
  } else if (short !== null) {
    reason = 'context-exceeds-kv';
    message = `One request of ${serving.maxModelLenTokens} tokens needs ${gib(short.neededBytes)} of KV cache but only ${gib(short.availableKvBytes)} is available; vLLM refuses to start (largest max_model_len that fits: ${maxFitting}).`;
  }
  if (reason === null && headroom < 0)
    message = `CUDA graphs (~${gib(cudaGraph)}) may not fit in the ${gib(gpu.memoryBytes - budget)} left outside the budget; lower gpu_memory_utilization or use --enforce-eager.`;


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
    cudaGraphsInBudget: graphsInBudget,
    kvCacheBytesPerGpu: Math.max(0, rank0Available),
    kvGroups: prepared.kvGroups,
    kvBytesPerTokenPerGpu: kvBytesPerToken,
    stateBytesPerRequestPerGpu: stateBytesPerRequest,
    blockSizeTokens: blockSize,
    pageBytes: blockBytes,
    numGpuBlocks: reason === 'weights-exceed-memory' || reason === 'no-kv-memory' ? 0 : numBlocks,
    kvCacheTokens: tokens,
    maxConcurrency: concurrency,
    maxModelLenTokens: serving.maxModelLenTokens,
    maxFittingModelLenTokens: maxFitting,
    headroomBytesPerGpu: headroom,
    validTp: caches.validTp,
    maxPp: caches.maxPp,
    gpuMemoryUtilization: serving.gpuMemoryUtilization,
    explainText: prepared.text,
  };
}

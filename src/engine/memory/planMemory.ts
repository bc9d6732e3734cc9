/**
 * The memory plan of one GPU (rank 0) as vLLM V1 (0.19+) computes it at start-up:
 * budget = total × gpu_memory_utilization; KV pool = budget − weights − activation peak − non-torch
 * (vllm/v1/worker/gpu_worker.py determine_available_memory); blocks, tokens and concurrency from
 * vllm/v1/core/kv_cache_utils.py. With PP every stage is planned and the block count is the minimum
 * over stages (get_kv_cache_configs: "Change the num_blocks of each rank to the smallest").
 */
import { memoFor } from './memo';
import { effectiveQuantization } from '../arch/quantization';
import type { Dtype, GpuSpec, Layout, MemoryPlan, ModelArch, NoFitReason, QuantizationInfo, ServingOptions } from '../types';
import { GiB } from '../units';
import { activationPeakBytes } from './activation';
import type { KvCacheLayout, StageKvView } from './blocks';
import {
  bytesPerBlock,
  kvCacheLayout,
  kvCacheTokens,
  maxConcurrency,
  maxFittingModelLen,
  neededBytesForOneRequest,
  numBlocksForMemory,
} from './blocks';
import type { LayerKvSpec } from './kvCache';
import { blockSizeTokens, kvDtypeBytes, modelKvSpecs, summarizeKvGroups } from './kvCache';
import { layoutRejection, maxPipelineParallel, ppLayerRange, validTpSizes } from './layouts';
import { budgetBytes, cudaGraphBytes, nonTorchBytes } from './overheads';
import { weightsBytesPerRank } from './weights';

export { validTpSizes } from './layouts';

/** GiB with two decimals, as vLLM prints them (format_gib). For explain lines only. */
function gib(bytes: number): string {
  return `${(bytes / GiB).toFixed(2)} GiB`;
}

/**
 * vLLM `--dtype`: 'auto' keeps a 16-bit checkpoint's dtype and loads float32 checkpoints as bf16
 * (vllm/config/model.py _get_and_verify_dtype).
 */
export function resolveModelDtype(arch: ModelArch, serving: ServingOptions): Dtype {
  switch (serving.modelDtype ?? 'auto') {
    case 'bf16':
      return 'bf16';
    case 'fp16':
      return 'fp16';
    case 'fp32':
      return 'fp32';
    case 'auto':
      return arch.checkpointDtype === 'fp16' ? 'fp16' : 'bf16';
  }
}

function emptyPlan(arch: ModelArch, gpu: GpuSpec, serving: ServingOptions, reason: NoFitReason, message: string): MemoryPlan {
  const budget = budgetBytes(gpu, serving.gpuMemoryUtilization);
  return {
    fits: false,
    reason,
    message,
    gpuMemoryBytes: gpu.memoryBytes,
    budgetBytes: budget,
    weightsBytesPerGpu: 0,
    activationPeakBytesPerGpu: 0,
    nonTorchBytesPerGpu: 0,
    cudaGraphBytesPerGpu: 0,
    kvCacheBytesPerGpu: 0,
    kvGroups: [],
    kvBytesPerTokenPerGpu: 0,
    stateBytesPerRequestPerGpu: 0,
    blockSizeTokens: serving.blockSizeTokens ?? 0,
    pageBytes: 0,
    numGpuBlocks: 0,
    kvCacheTokens: 0,
    maxConcurrency: 0,
    maxModelLenTokens: serving.maxModelLenTokens,
    maxFittingModelLenTokens: 0,
    headroomBytesPerGpu: gpu.memoryBytes - budget,
    validTp: memoFor(arch, 'validTp', () => validTpSizes(arch)),
    maxPp: memoFor(arch, 'maxPp', () => maxPipelineParallel(arch)),
    explain: [message],
  };
}

export function planMemory(arch: ModelArch, gpu: GpuSpec, layout: Layout, serving: ServingOptions): MemoryPlan {
  const quant = memoFor(arch, `quant|${serving.weightPrecision}`, () => effectiveQuantization(arch, serving.weightPrecision));
  if (!quant.ok) return emptyPlan(arch, gpu, serving, 'precision-unsupported', quant.error.detail);
  return planMemoryWithQuantization(arch, gpu, layout, serving, quant.value);
}

interface StagePlan {
  view: StageKvView;
  weightsBytes: number;
  activationBytes: number;
  nonTorchBytes: number;
  availableKvBytes: number;
  numBlocks: number;
  neededBytes: number;
}

/** A small number per object, for cache keys (the resolved quantization is one object per precision). */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function idOf(obj: object): number {
  let id = objectIds.get(obj);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(obj, id);
  }
  return id;
}

type PreparedStage = Omit<StagePlan, 'nonTorchBytes' | 'availableKvBytes' | 'numBlocks'>;

/** The GPU-independent figures of a plan (rank 0 is the GPU the plan reports). */
interface PreparedPlan {
  kvLayout: KvCacheLayout;
  stages: PreparedStage[];
  kvBytesPerToken: number;
  stateBytesPerRequest: number;
  kvLayerCount: number;
  kvGroups: MemoryPlan['kvGroups'];
  pageBytes: number;
  layersPerBlock: number;
}

/** Per pipeline stage, everything that does not depend on the GPU's memory: weights, activation peak, KV view. */
function prepareStages(
  arch: ModelArch,
  layout: Layout,
  quant: QuantizationInfo,
  modelDtype: Dtype,
  specs: ReturnType<typeof modelKvSpecs>,
  blockSize: number,
  serving: ServingOptions,
  generation: GpuSpec['generation'],
): { ok: true; value: PreparedPlan } | { ok: false; error: string } {
  const kvLayout = kvCacheLayout(specs, blockSize, serving.maxModelLenTokens);
  if (!kvLayout.ok) return { ok: false, error: kvLayout.error };
  const mnbt = serving.maxNumBatchedTokens;
  const stages: PreparedStage[] = [];
  for (let rank = 0; rank < layout.pp; rank += 1) {
    const { start, end } = ppLayerRange(arch.numLayers, layout.pp, rank);
    const view: StageKvView = { layout: kvLayout.value, start, end };
    stages.push({
      view,
      weightsBytes: weightsBytesPerRank(arch, quant, layout, modelDtype, rank, generation).total,
      activationBytes: activationPeakBytes({
        arch,
        quant,
        layout,
        modelDtype,
        maxNumBatchedTokens: mnbt,
        maxNumSeqs: serving.maxNumSeqs,
        start,
        end,
        isFirstStage: rank === 0,
        isLastStage: rank === layout.pp - 1,
      }).peak,
      neededBytes: neededBytesForOneRequest(view, serving.maxModelLenTokens, mnbt),
    });
  }
  const rank0 = stages[0];
  if (rank0 === undefined) throw new Error('planMemory: a layout has at least one pipeline stage');
  const rankLayers = specs.slice(rank0.view.start, rank0.view.end).filter((l): l is LayerKvSpec => l !== null);
  const { pageBytes, layersPerBlock } = bytesPerBlock(rank0.view);
  return {
    ok: true,
    value: {
      kvLayout: kvLayout.value,
      stages,
      kvBytesPerToken: rankLayers.reduce((sum, l) => sum + l.bytesPerToken, 0),
      stateBytesPerRequest: rankLayers.reduce((sum, l) => sum + l.stateBytes, 0),
      kvLayerCount: rankLayers.filter((l) => l.bytesPerToken > 0).length,
      kvGroups: summarizeKvGroups(rankLayers),
      pageBytes,
      layersPerBlock,
    },
  };
}

/** planMemory with the quantization already resolved (tests and what-ifs call this directly). */
export function planMemoryWithQuantization(
  arch: ModelArch,
  gpu: GpuSpec,
  layout: Layout,
  serving: ServingOptions,
  quant: QuantizationInfo,
): MemoryPlan {
  const layoutWhy = memoFor(arch, `rejection|${layout.tp}|${layout.pp}|${layout.dp}|${layout.ep}`, () => layoutRejection(arch, layout));
  if (layoutWhy !== null) return emptyPlan(arch, gpu, serving, 'invalid-layout', `vLLM rejects this layout: ${layoutWhy}.`);

  const modelDtype = resolveModelDtype(arch, serving);
  const kvBytes = kvDtypeBytes(serving.kvCacheDtype, modelDtype);
  // GPU-independent parts are memoized per model (memo.ts); the GPU enters through the budget, the
  // generation (block size for MLA, MXFP4 kernel padding) and nothing else.
  const specs = memoFor(arch, `specs|${layout.tp}|${kvBytes}|${modelDtype}`, () => modelKvSpecs(arch, layout.tp, kvBytes, modelDtype));
  const blockSize = blockSizeTokens(specs, gpu, serving.blockSizeTokens);
  const mnbt = serving.maxNumBatchedTokens;
  const prepared = memoFor(
    arch,
    `stages|${idOf(quant)}|${layout.tp}|${layout.pp}|${layout.dp}|${layout.ep}|${modelDtype}|${kvBytes}|${blockSize}|` +
      `${serving.maxModelLenTokens}|${mnbt}|${serving.maxNumSeqs}|${quant.method === 'mxfp4' ? gpu.generation : ''}`,
    () => prepareStages(arch, layout, quant, modelDtype, specs, blockSize, serving, gpu.generation),
  );
  if (!prepared.ok) return emptyPlan(arch, gpu, serving, 'invalid-layout', `vLLM cannot build the KV cache: ${prepared.error}.`);
  const kvLayout = prepared.value.kvLayout;

  const budget = budgetBytes(gpu, serving.gpuMemoryUtilization);
  const nonTorch = nonTorchBytes(layout);
  const stages: StagePlan[] = prepared.value.stages.map((stage) => {
    const availableKvBytes = budget - stage.weightsBytes - stage.activationBytes - nonTorch;
    return { ...stage, nonTorchBytes: nonTorch, availableKvBytes, numBlocks: numBlocksForMemory(stage.view, availableKvBytes) };
  });
  const rank0 = stages[0];
  if (rank0 === undefined) throw new Error('planMemory: a layout has at least one pipeline stage');

  const numBlocks = Math.min(...stages.map((s) => s.numBlocks));
  const { kvBytesPerToken, stateBytesPerRequest, kvLayerCount, pageBytes, layersPerBlock } = prepared.value;
  const blockBytes = pageBytes * layersPerBlock;
  const tokens = kvCacheTokens(kvLayout, numBlocks);
  const concurrency = maxConcurrency(rank0.view, numBlocks, serving.maxModelLenTokens, mnbt);
  const maxFitting = Math.min(
    ...stages.map((s) => maxFittingModelLen(s.view, Math.max(0, s.availableKvBytes), mnbt, arch.maxPositionTokens)),
  );
  const cudaGraph = cudaGraphBytes(rank0.view.end - rank0.view.start, serving.enforceEager);
  const headroom = gpu.memoryBytes - budget - cudaGraph;

  let reason: NoFitReason | null = null;
  let message: string | null = null;
  const worstWeights = Math.max(...stages.map((s) => s.weightsBytes));
  const worstAvailable = Math.min(...stages.map((s) => s.availableKvBytes));
  if (worstWeights > budget) {
    reason = 'weights-exceed-memory';
    message = `Weights need ${gib(worstWeights)} per GPU but the budget is ${gib(budget)} (${gib(gpu.memoryBytes)} × ${serving.gpuMemoryUtilization}); use more GPUs or a smaller precision.`;
  } else if (worstAvailable <= 0) {
    reason = 'no-kv-memory';
    message = `No memory left for the KV cache: weights, activation peak and non-torch memory take ${gib(budget - worstAvailable)} of the ${gib(budget)} budget (vLLM: "No available memory for the cache blocks").`;
  } else {
    const short = stages.find((s) => s.neededBytes > s.availableKvBytes);
    if (short !== undefined) {
      reason = 'context-exceeds-kv';
      message = `One request of ${serving.maxModelLenTokens} tokens needs ${gib(short.neededBytes)} of KV cache but only ${gib(short.availableKvBytes)} is available; vLLM refuses to start (largest max_model_len that fits: ${maxFitting}).`;
    }
  }
  if (reason === null && headroom < 0)
    message = `CUDA graphs (~${gib(cudaGraph)}) may not fit in the ${gib(gpu.memoryBytes - budget)} left outside the budget; lower gpu_memory_utilization or use --enforce-eager.`;

  const explain = [
    `Budget: ${gib(gpu.memoryBytes)} × ${serving.gpuMemoryUtilization} = ${gib(budget)} per GPU.`,
    `Weights on rank 0: ${gib(rank0.weightsBytes)} (${quant.label}, TP=${layout.tp}, PP stage 0 of ${layout.pp}: layers ${rank0.view.start}–${rank0.view.end - 1}).`,
    `Activation peak: ${gib(rank0.activationBytes)} (dummy forward of ${mnbt} tokens${layout.pp === 1 ? ` and sampler over ${Math.min(serving.maxNumSeqs, mnbt)} × ${arch.vocabSize} logits` : ''}).`,
    `Non-torch memory: ${gib(nonTorch)} (${layout.tp >= 2 ? 'NCCL and custom all-reduce buffers' : 'CUDA libraries and allocator'}).`,
    `KV pool: ${gib(budget)} − ${gib(rank0.weightsBytes)} − ${gib(rank0.activationBytes)} − ${gib(nonTorch)} = ${gib(rank0.availableKvBytes)}.`,
    `KV per token on this GPU: ${kvBytesPerToken} B over ${kvLayerCount} layers (${kvBytes} B per element)${stateBytesPerRequest > 0 ? `; constant state ${gib(stateBytesPerRequest)} per request` : ''}.`,
    `Blocks: ${gib(Math.max(0, rank0.availableKvBytes))} ÷ ${blockBytes} B per block (${blockSize} tokens × ${layersPerBlock} layers) = ${numBlocks}${layout.pp > 1 ? ' (minimum over pipeline stages)' : ''}; ${kvLayout.groups.length} block-table group(s).`,
    `GPU KV cache size: ${tokens} tokens; maximum concurrency for ${serving.maxModelLenTokens} tokens per request: ${concurrency.toFixed(2)}x.`,
    `CUDA graphs ~${gib(cudaGraph)} (estimate, captured after the KV cache, outside the budget); headroom ${gib(headroom)}.`,
  ];

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
    kvCacheBytesPerGpu: Math.max(0, rank0.availableKvBytes),
    kvGroups: prepared.value.kvGroups,
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
    validTp: memoFor(arch, 'validTp', () => validTpSizes(arch)),
    maxPp: memoFor(arch, 'maxPp', () => maxPipelineParallel(arch)),
    explain,
  };
}

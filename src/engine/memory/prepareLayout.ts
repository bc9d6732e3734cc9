/**
 * The GPU-independent half of a memory plan: everything planMemory needs except the GPU's memory —
 * per pipeline stage the weights, activation peak, KV pages and per-request bytes, and the explain
 * lines that do not mention the budget. A recommendation plans 27 GPUs × every layout; the GPU
 * enters only through its memory (the budget, in planMemory.ts) and its generation (the MLA block
 * size, the MXFP4 kernel padding), so this is built once per model, layout, serving options and
 * block size (+ generation for MXFP4) and reused for every GPU.
 *
 * Cached on the ModelArch object by memoFor (../memo.ts): the cache dies with the model.
 */
import type { Dtype, GpuGeneration, Layout, MemoryExplainText, MemoryPlan, ModelArch, QuantizationInfo, ServingOptions } from '../types';
import { GiB } from '../units';
import { activationPeakBytes } from './activation';
import type { KvCacheLayout, StageKvCosts, StageKvView } from './blocks';
import { blocksPerRequest, bytesPerBlock, kvCacheLayout, neededBytesForOneRequest, stageKvCosts } from './blocks';
import type { LayerKvSpec } from './kvCache';
import { blockSizeTokens, kvDtypeBytes, modelKvSpecs, summarizeKvGroups } from './kvCache';
import { layoutRejection, ppLayerRange } from './layouts';
import { memoFor, objectId } from '../memo';
import { nonTorchBytes } from './overheads';
import { weightsBytesPerRank } from './weights';

/** GiB with two decimals, as vLLM prints them (format_gib). For explain lines only. */
export function gib(bytes: number): string {
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

/** One pipeline stage: what its GPUs hold before the KV cache, and its KV page / request figures. */
export interface PreparedStage {
  view: StageKvView;
  kv: StageKvCosts;
  weightsBytes: number;
  activationBytes: number;
  /** KV bytes one request of max_model_len needs on this stage. */
  neededBytes: number;
}

export interface PreparedLayout {
  kind: 'prepared';
  modelDtype: Dtype;
  kvBytes: number;
  blockSizeTokens: number;
  kvLayout: KvCacheLayout;
  /** Stage 0 first (the GPU the plan reports). */
  stages: readonly PreparedStage[];
  nonTorchBytes: number;
  worstWeightsBytes: number;
  /** kvCacheTokens: number of block-table groups and their smallest block. */
  kvGroupCount: number;
  minGroupBlockTokens: number;
  /** Stage 0: blocks one request of max_model_len takes (maxConcurrency's divisor). */
  blocksPerRequest: number;
  kvBytesPerToken: number;
  stateBytesPerRequest: number;
  kvGroups: MemoryPlan['kvGroups'];
  /** Stage 0's block: page bytes × layers sharing it. */
  pageBytes: number;
  layersPerBlock: number;
  /** Explain lines and fragments that do not depend on the GPU. */
  text: MemoryExplainText;
}

/** Why no plan can be built: the layout is rejected, or the KV cache cannot be laid out. */
export interface PreparedFailure {
  kind: 'invalid-layout';
  message: string;
}

/** One (layout, serving options) of one model: whether vLLM accepts the layout, and its preparations by GPU generation. */
interface CallEntry {
  rejection: PreparedFailure | null;
  byGeneration: Map<GpuGeneration, PreparedLayout | PreparedFailure>;
}

/**
 * The GPU-independent part of planMemory for (arch, layout, serving, quant) on a GPU of `generation`,
 * built once and shared (callers must not mutate it).
 */
export function prepareMemoryLayout(
  arch: ModelArch,
  layout: Layout,
  serving: ServingOptions,
  quant: QuantizationInfo,
  generation: GpuGeneration,
): PreparedLayout | PreparedFailure {
  // Every serving field this file reads (not gpuMemoryUtilization or enforceEager: planMemory's).
  const key =
    `prepare.call|${objectId(quant)}|${layout.tp}|${layout.pp}|${layout.dp}|${layout.ep ? 1 : 0}|${serving.modelDtype ?? 'auto'}|${serving.kvCacheDtype}|` +
    `${serving.blockSizeTokens ?? ''}|${serving.maxModelLenTokens}|${serving.maxNumBatchedTokens}|${serving.maxNumSeqs}`;
  const entry = memoFor(arch, key, (): CallEntry => {
    const why = memoFor(arch, `rejection|${layout.tp}|${layout.pp}|${layout.dp}|${layout.ep}`, () => layoutRejection(arch, layout));
    return {
      rejection: why === null ? null : { kind: 'invalid-layout', message: `vLLM rejects this layout: ${why}.` },
      byGeneration: new Map(),
    };
  });
  if (entry.rejection !== null) return entry.rejection;
  let prepared = entry.byGeneration.get(generation);
  if (prepared === undefined) {
    prepared = prepareForGeneration(arch, layout, serving, quant, generation);
    entry.byGeneration.set(generation, prepared);
  }
  return prepared;
}

/**
 * Generations that give the same block size share one preparation (unless MXFP4 experts are padded
 * per generation); pipeline and expert layouts with the same TP share one KV layout.
 */
function prepareForGeneration(
  arch: ModelArch,
  layout: Layout,
  serving: ServingOptions,
  quant: QuantizationInfo,
  generation: GpuGeneration,
): PreparedLayout | PreparedFailure {
  const modelDtype = resolveModelDtype(arch, serving);
  const kvBytes = kvDtypeBytes(serving.kvCacheDtype, modelDtype);
  const specs = memoFor(arch, `specs|${layout.tp}|${kvBytes}|${modelDtype}`, () => modelKvSpecs(arch, layout.tp, kvBytes, modelDtype));
  const blockSize = blockSizeTokens(specs, { generation }, serving.blockSizeTokens);
  const mnbt = serving.maxNumBatchedTokens;
  const key =
    `prepare|${objectId(quant)}|${layout.tp}|${layout.pp}|${layout.dp}|${layout.ep}|${modelDtype}|${kvBytes}|${blockSize}|` +
    `${serving.maxModelLenTokens}|${mnbt}|${serving.maxNumSeqs}|${quant.method === 'mxfp4' ? generation : ''}`;
  return memoFor(arch, key, (): PreparedLayout | PreparedFailure => {
    // Pipeline and expert layouts with the same TP share one KV layout.
    const kvLayout = memoFor(arch, `kvLayout|${layout.tp}|${kvBytes}|${modelDtype}|${blockSize}|${serving.maxModelLenTokens}`, () =>
      kvCacheLayout(specs, blockSize, serving.maxModelLenTokens),
    );
    return kvLayout.ok
      ? buildPrepared(arch, layout, serving, quant, generation, { modelDtype, kvBytes, specs, blockSize, kvLayout: kvLayout.value })
      : { kind: 'invalid-layout', message: `vLLM cannot build the KV cache: ${kvLayout.error}.` };
  });
}

function buildPrepared(
  arch: ModelArch,
  layout: Layout,
  serving: ServingOptions,
  quant: QuantizationInfo,
  generation: GpuGeneration,
  kv: { modelDtype: Dtype; kvBytes: number; specs: readonly (LayerKvSpec | null)[]; blockSize: number; kvLayout: KvCacheLayout },
): PreparedLayout {
  const { modelDtype, kvBytes, specs, blockSize, kvLayout } = kv;
  const mnbt = serving.maxNumBatchedTokens;
  const stages: PreparedStage[] = [];
  for (let rank = 0; rank < layout.pp; rank += 1) {
    const { start, end } = ppLayerRange(arch.numLayers, layout.pp, rank);
    const view: StageKvView = { layout: kvLayout, start, end };
    stages.push({
      view,
      kv: stageKvCosts(view),
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
  const nonTorch = nonTorchBytes(layout);
  const kvBytesPerToken = rankLayers.reduce((sum, l) => sum + l.bytesPerToken, 0);
  const stateBytesPerRequest = rankLayers.reduce((sum, l) => sum + l.stateBytes, 0);
  const kvLayerCount = rankLayers.filter((l) => l.bytesPerToken > 0).length;
  const blockBytes = pageBytes * layersPerBlock;
  const text: MemoryExplainText = {
    weights: `Weights on rank 0: ${gib(rank0.weightsBytes)} (${quant.label}, TP=${layout.tp}, PP stage 0 of ${layout.pp}: layers ${rank0.view.start}–${rank0.view.end - 1}).`,
    activation: `Activation peak: ${gib(rank0.activationBytes)} (dummy forward of ${mnbt} tokens${layout.pp === 1 ? ` and sampler over ${Math.min(serving.maxNumSeqs, mnbt)} × ${arch.vocabSize} logits` : ''}).`,
    nonTorch: `Non-torch memory: ${gib(nonTorch)} (${layout.tp >= 2 ? 'NCCL and custom all-reduce buffers' : 'CUDA libraries and allocator'}).`,
    kvPoolTail: ` − ${gib(rank0.weightsBytes)} − ${gib(rank0.activationBytes)} − ${gib(nonTorch)} = `,
    kvPerToken: `KV per token on this GPU: ${kvBytesPerToken} B over ${kvLayerCount} layers (${kvBytes} B per element)${stateBytesPerRequest > 0 ? `; constant state ${gib(stateBytesPerRequest)} per request` : ''}.`,
    blocksMid: ` ÷ ${blockBytes} B per block (${blockSize} tokens × ${layersPerBlock} layers) = `,
    blocksTail: `${layout.pp > 1 ? ' (minimum over pipeline stages)' : ''}; ${kvLayout.groups.length} block-table group(s).`,
  };
  return {
    kind: 'prepared',
    modelDtype,
    kvBytes,
    blockSizeTokens: blockSize,
    kvLayout,
    stages,
    nonTorchBytes: nonTorch,
    worstWeightsBytes: Math.max(...stages.map((s) => s.weightsBytes)),
    kvGroupCount: kvLayout.groups.length,
    minGroupBlockTokens: kvLayout.groups.length === 0 ? 0 : Math.min(...kvLayout.groups.map((g) => g.paged.blockSizeTokens)),
    blocksPerRequest: blocksPerRequest(rank0.view, serving.maxModelLenTokens, mnbt),
    kvBytesPerToken,
    stateBytesPerRequest,
    kvGroups: summarizeKvGroups(rankLayers),
    pageBytes,
    layersPerBlock,
    text,
  };
}

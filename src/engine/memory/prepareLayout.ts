/**
 * The GPU-independent half of a memory plan: everything planMemory needs except the GPU's memory —
 * per pipeline stage the weights, activation peak, KV pages and per-request bytes, and the explain
 * lines that do not mention the budget. A recommendation plans 27 GPUs × every layout; the GPU
 * enters only through its memory (the budget, in planMemory.ts) and its generation (the MLA block
 * size, the MXFP4 kernel padding), so this is built once per model, layout, serving options and
 * block size (+ generation for MXFP4) and reused for every GPU.
 *
 * Kept in the engine session's caches (../cache/modelCaches.ts), keyed by cache/cacheKeys.ts.
 */
import type { Dtype, GpuGeneration, GpuSpec, Layout, MemoryExplainText, ModelArch, QuantizationInfo, ResolvedServingOptions } from '../types';
import { GiB } from '../units';
import { activationPeakBytes } from './activation';
import type { KvCacheLayout, StageKvView } from './blocks';
import { blocksPerRequest, bytesPerBlock, kvCacheLayout, neededBytesForOneRequest, stageKvCosts } from './blocks';
import type { LayerKvSpec } from './kvCache';
import { blockSizeTokens, kvDtypeBytes, modelKvSpecs, summarizeKvGroups } from './kvCache';
import { layoutRejection, ppLayerRange } from './layouts';
import type { ModelCaches } from '../cache/modelCaches';
import type { KvSpecKey } from '../cache/cacheKeys';
import { joinKeys } from '../cache/keys';
import { kvLayoutKey, kvSpecKey, layerShareKey, layoutKey, prepareServingKey, preparedVariantKey } from '../cache/cacheKeys';
import type { PreparedFailure, PreparedLayout, PreparedStage } from './preparedLayout';
import { customAllReduceActive, nonTorchBytes } from './overheads';
import { layerShareTable, weightsBytesPerRank } from './weights';
import { vllmMemoryAccounting } from './vllmVersion';

/** GiB with two decimals, as vLLM prints them (format_gib). For explain lines only. */
export function gib(bytes: number): string {
  return `${(bytes / GiB).toFixed(2)} GiB`;
}

/**
 * vLLM `--dtype`: 'auto' keeps a 16-bit checkpoint's dtype and loads float32 checkpoints as bf16
 * (vllm/config/model.py _get_and_verify_dtype).
 */
export function resolveModelDtype(arch: ModelArch, serving: ResolvedServingOptions): Dtype {
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

/**
 * The GPU-independent part of planMemory for (layout, serving, quant) of the caches' model on a GPU
 * of `generation`, built once per session and shared (callers must not mutate it). `quant` must be
 * the caches' quantization for `serving.weightPrecision` (quantizationFor): the cache is keyed by
 * the precision.
 */
export function prepareMemoryLayout(
  caches: ModelCaches,
  layout: Layout,
  serving: ResolvedServingOptions,
  quant: QuantizationInfo,
  gpu: Pick<GpuSpec, 'generation' | 'interconnect'>,
): PreparedLayout | PreparedFailure {
  const generation = gpu.generation;
  const customAllReduce = customAllReduceActive(gpu, layout, serving);
  const callKey = joinKeys(layoutKey(layout), prepareServingKey(serving));
  return caches.preparedByGeneration.getOrCompute(joinKeys(callKey, generation, customAllReduce ? 'custom-ar' : 'nccl'), () => {
    const arch = caches.arch;
    const why = caches.layoutRejection.getOrCompute(layoutKey(layout), () => layoutRejection(arch, layout));
    if (why !== null) return { kind: 'invalid-layout', message: `vLLM rejects this layout: ${why}.` };
    const modelDtype = resolveModelDtype(arch, serving);
    const kvBytes = kvDtypeBytes(serving.kvCacheDtype, modelDtype);
    const specKey: KvSpecKey = { tp: layout.tp, kvBytes, modelDtype };
    const specs = caches.kvSpecs.getOrCompute(kvSpecKey(specKey), () => modelKvSpecs(arch, layout.tp, kvBytes, modelDtype));
    const blockSize = blockSizeTokens(specs, { generation }, serving.blockSizeTokens);
    // Generations that give the same block size share one preparation, unless MXFP4 experts are
    // padded per generation (mxfp4Experts.ts).
    const variant = preparedVariantKey({ blockSizeTokens: blockSize, customAllReduce, mxfp4Generation: quant.method === 'mxfp4' ? generation : null });
    return caches.prepared.getOrCompute(joinKeys(callKey, variant), () => {
      // Pipeline and expert layouts with the same TP share one KV layout.
      const kvLayout = caches.kvLayout.getOrCompute(
        kvLayoutKey({ ...specKey, blockSizeTokens: blockSize, maxModelLenTokens: serving.maxModelLenTokens }),
        () => kvCacheLayout(specs, blockSize, serving.maxModelLenTokens),
      );
      return kvLayout.ok
        ? buildPrepared(caches, layout, serving, quant, generation, customAllReduce, { modelDtype, kvBytes, specs, blockSize, kvLayout: kvLayout.value })
        : { kind: 'invalid-layout', message: `vLLM cannot build the KV cache: ${kvLayout.error}.` };
    });
  });
}

function buildPrepared(
  caches: ModelCaches,
  layout: Layout,
  serving: ResolvedServingOptions,
  quant: QuantizationInfo,
  generation: GpuGeneration,
  customAllReduce: boolean,
  kv: { modelDtype: Dtype; kvBytes: number; specs: readonly (LayerKvSpec | null)[]; blockSize: number; kvLayout: KvCacheLayout },
): PreparedLayout {
  const { modelDtype, kvBytes, specs, blockSize, kvLayout } = kv;
  const arch = caches.arch;
  // Per-layer shares per (tp, EP ranks): every pipeline stage of every layout with them reads one table.
  const epRanks = layout.ep ? layout.tp * layout.dp : 0;
  const shares = caches.layerShares.getOrCompute(layerShareKey({ tp: layout.tp, epRanks }), () =>
    layerShareTable(arch, layout, caches.distinctLayers),
  );
  const mnbt = serving.maxNumBatchedTokens;
  // The sampler kernel of the profile run differs on ROCm before 0.17 (vllmVersion.ts).
  const accounting = vllmMemoryAccounting(serving.vllmVersion, { rocm: generation === 'cdna3' || generation === 'cdna4' });
  const stages: PreparedStage[] = [];
  for (let rank = 0; rank < layout.pp; rank += 1) {
    const { start, end } = ppLayerRange(arch.numLayers, layout.pp, rank);
    const view: StageKvView = { layout: kvLayout, start, end };
    stages.push({
      view,
      kv: stageKvCosts(view),
      weightsBytes: weightsBytesPerRank(arch, quant, layout, modelDtype, rank, generation, shares).total,
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
        samplerFp32BytesPerLogit: accounting.samplerFp32BytesPerLogit,
      }).peak,
      neededBytes: neededBytesForOneRequest(view, serving.maxModelLenTokens, mnbt),
    });
  }
  const rank0 = stages[0];
  if (rank0 === undefined) throw new Error('planMemory: a layout has at least one pipeline stage');
  const rankLayers = specs.slice(rank0.view.start, rank0.view.end).filter((l): l is LayerKvSpec => l !== null);
  const { pageBytes, layersPerBlock } = bytesPerBlock(rank0.view);
  const nonTorch = nonTorchBytes(layout, customAllReduce, serving.vllmVersion);
  const kvBytesPerToken = rankLayers.reduce((sum, l) => sum + l.bytesPerToken, 0);
  const stateBytesPerRequest = rankLayers.reduce((sum, l) => sum + l.stateBytes, 0);
  const kvLayerCount = rankLayers.filter((l) => l.bytesPerToken > 0).length;
  const blockBytes = pageBytes * layersPerBlock;
  const text: MemoryExplainText = {
    weights: `Weights on rank 0: ${gib(rank0.weightsBytes)} (${quant.label}, TP=${layout.tp}, PP stage 0 of ${layout.pp}: layers ${rank0.view.start}–${rank0.view.end - 1}).`,
    activation: `Activation peak: ${gib(rank0.activationBytes)} (dummy forward of ${mnbt} tokens${layout.pp === 1 ? ` and sampler over ${Math.min(serving.maxNumSeqs, mnbt)} × ${arch.vocabSize} logits` : ''}).`,
    nonTorch: `Non-torch memory: ${gib(nonTorch)} (${layout.tp >= 2 ? (customAllReduce ? 'NCCL and custom all-reduce buffers' : 'NCCL buffers; custom all-reduce off: PCIe-only GPUs or --disable-custom-all-reduce') : 'CUDA libraries and allocator'}).`,
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

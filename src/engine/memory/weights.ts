/**
 * Weight bytes one GPU holds after vLLM shards the model over TP / PP (/ EP) and packs quantized
 * tensors. Component parameter counts come from `arch.params` (whole model); this file decides
 * what share of each component a rank holds, from the layer shapes, and how many bytes an element
 * takes (quantized storage plus scales, or the 16-bit dtype for what stays unquantized).
 */
import type {
  Dtype,
  GpuGeneration,
  Layout,
  LayerSpec,
  ModelArch,
  Mixer,
  QuantizationInfo,
  QuantizedComponent,
} from '../types';
import { DTYPE_BYTES } from '../types';
import { ffnTensors, mixerTensors, type WeightTensor } from '../arch/params';
import { kvHeadsPerRank } from './kvCache';
import { ppLayerRange } from './layouts';
import type { DistinctLayers } from '../arch/distinctLayers';
import { distinctLayers } from '../arch/distinctLayers';
import { mxfp4ExpertLayerBytes } from './mxfp4Experts';

/**
 * vllm/model_executor/layers/vocab_parallel_embedding.py DEFAULT_VOCAB_PADDING_SIZE: the embedding
 * and lm_head vocab is padded to a multiple of 64 before being split over TP ranks.
 */
export const VOCAB_PADDING_SIZE = 64;

/** Weight bytes per GPU by component (after TP/PP sharding and quantized packing); ParamCountsByComponent counts elements. */
export interface WeightBytesByComponent {
  embedding: number;
  lmHead: number;
  mixer: number;
  denseFfn: number;
  routedExperts: number;
  sharedExperts: number;
  router: number;
  norms: number;
  vision: number;
  /** Rotary cos/sin cache and MLA's absorbed up-projection copies: buffers vLLM allocates while loading. */
  buffers: number;
  total: number;
}

/** Elements of tensors on one TP rank: column/row-parallel split over tp, replicated kept whole. */
function tensorsPerRank(tensors: readonly WeightTensor[], tp: number, kvShare: number): { total: number; perRank: number } {
  let total = 0;
  let perRank = 0;
  for (const tensor of tensors) {
    total += tensor.elements;
    if (tensor.tp === 'replicated') perRank += tensor.elements;
    // vllm/model_executor/layers/linear.py QKVParallelLinear: each rank holds max(1, kv / tp) KV
    // heads, so K/V projections are replicated when tp exceeds the KV heads.
    else if (isKvTensor(tensor.name)) perRank += tensor.elements * kvShare;
    else perRank += tensor.elements / tp;
  }
  return { total, perRank };
}

/** K/V projections and norms (arch/params.ts names: `self_attn.{k,v}_{proj,norm}.*`). */
function isKvTensor(name: string): boolean {
  return (
    name.startsWith('self_attn.k_proj.') || name.startsWith('self_attn.v_proj.') || name.startsWith('self_attn.k_norm.') || name.startsWith('self_attn.v_norm.')
  );
}

/**
 * Elements of a mixer on the whole model (total) and on one TP rank, from the tensor list of
 * arch/params.ts. MLA: q_a_proj and kv_a_proj_with_mqa are replicated (vllm/model_executor/models/
 * deepseek_v2.py, fused_qkv_a_proj with disable_tp); Mamba and DeltaNet split by heads.
 */
export function mixerParamsPerLayer(mixer: Mixer, hiddenSize: number, tp: number): { total: number; perRank: number } {
  const kvShare = mixer.kind === 'attention' ? kvHeadsPerRank(mixer.numKvHeads, tp) / mixer.numKvHeads : 1 / tp;
  return tensorsPerRank(mixerTensors(mixer, hiddenSize), tp, kvShare);
}

interface FfnShare {
  denseTotal: number;
  densePerRank: number;
  expertsTotal: number;
  expertsPerRank: number;
  sharedTotal: number;
  sharedPerRank: number;
}

function ffnParamsPerLayer(layer: LayerSpec, hiddenSize: number, layout: Layout): FfnShare {
  const ts = ffnTensors(layer.ffn, hiddenSize);
  const dense = tensorsPerRank(ts.dense, layout.tp, 1 / layout.tp);
  const shared = tensorsPerRank(ts.sharedExperts, layout.tp, 1 / layout.tp);
  const experts = tensorsPerRank(ts.routedExperts, layout.tp, 1 / layout.tp);
  let expertsPerRank = experts.perRank;
  if (layout.ep && layer.ffn.kind === 'moe') {
    // EP (vllm/model_executor/layers/fused_moe/layer.py determine_expert_map): whole experts split
    // over ep = tp × dp ranks; rank 0 gets floor(E / ep).
    const epRanks = layout.tp * layout.dp;
    expertsPerRank = (experts.total * Math.floor(layer.ffn.numExperts / epRanks)) / layer.ffn.numExperts;
  }
  return {
    denseTotal: dense.total,
    densePerRank: dense.perRank,
    expertsTotal: experts.total,
    expertsPerRank,
    sharedTotal: shared.total,
    sharedPerRank: shared.perRank,
  };
}

interface LayerShare {
  mixerTotal: number;
  mixerPerRank: number;
  ffn: FfnShare;
}

/** Per-layer shares and their whole-model totals (summed in layer order, once). */
export interface LayerShareTable {
  rows: readonly LayerShare[];
  mixerAll: number;
  denseAll: number;
  expertsAll: number;
  sharedAll: number;
}

/**
 * mixerParamsPerLayer and ffnParamsPerLayer of every layer (same index as arch.layers). They read
 * tp, and dp only with EP; an engine session keeps one table per (tp, EP ranks)
 * (cache/modelCaches.ts layerShares), since every pipeline stage of every layout reads it.
 */
export function layerShareTable(arch: ModelArch, layout: Layout, layers: DistinctLayers = distinctLayers(arch)): LayerShareTable {
  // One row per distinct layer, shared by the layers equal to it.
  const { groups, groupOf } = layers;
  const perGroup = groups.map(({ layer }) => {
    const mixer = mixerParamsPerLayer(layer.mixer, arch.hiddenSize, layout.tp);
    return { mixerTotal: mixer.total, mixerPerRank: mixer.perRank, ffn: ffnParamsPerLayer(layer, arch.hiddenSize, layout) };
  });
  const rows = groupOf.map((g) => perGroup[g]).filter((r): r is LayerShare => r !== undefined);
  const all = rangeSums(rows, 0, arch.numLayers, false);
  return { rows, mixerAll: all.mixer, denseAll: all.dense, expertsAll: all.experts, sharedAll: all.shared };
}

/** Sums over layers [start, end) of the per-rank (perRank) or whole-layer parameter counts, in layer order. */
function rangeSums(rows: readonly LayerShare[], start: number, end: number, perRank: boolean): { mixer: number; dense: number; experts: number; shared: number } {
  let mixer = 0;
  let dense = 0;
  let experts = 0;
  let shared = 0;
  for (let i = start; i < end; i += 1) {
    const r = rows[i];
    if (r === undefined) continue;
    mixer += perRank ? r.mixerPerRank : r.mixerTotal;
    dense += perRank ? r.ffn.densePerRank : r.ffn.denseTotal;
    experts += perRank ? r.ffn.expertsPerRank : r.ffn.expertsTotal;
    shared += perRank ? r.ffn.sharedPerRank : r.ffn.sharedTotal;
  }
  return { mixer, dense, experts, shared };
}

/** Bytes per element of a component: quantized storage + scales, or the unquantized dtype. */
export function bytesPerParam(component: QuantizedComponent, quant: QuantizationInfo, unquantizedDtype: Dtype): number {
  const unquantizedBytes = DTYPE_BYTES[unquantizedDtype];
  if (quant.method === 'none' || quant.weightBits >= 16 || quant.unquantized.includes(component)) return unquantizedBytes;
  // Block-wise FP8 128×128: one fp32 scale per 16384 weights (groupSize 16384, scaleBytes 4);
  // group-wise int4 g128: an fp16 scale (+ zero) per 128 weights. Per-channel / per-tensor scales
  // (groupSize 0) are a vector per output row: negligible (< 0.1 %).
  const scaleBytes = quant.groupSize > 0 ? quant.scaleBytes / quant.groupSize : 0;
  const quantizedBytes = quant.weightBits / 8 + scaleBytes;
  const keptFraction = quant.unquantizedFraction?.[component] ?? 0;
  return keptFraction * unquantizedBytes + (1 - keptFraction) * quantizedBytes;
}

function sumRange<T>(items: readonly T[], start: number, end: number, f: (item: T) => number): number {
  let sum = 0;
  for (let i = start; i < end; i += 1) {
    const item = items[i];
    if (item !== undefined) sum += f(item);
  }
  return sum;
}

/** Share of `componentTotal` held by a rank, from the shape-based totals of all layers and the rank's layers. */
function share(componentTotal: number, rankShapeParams: number, allShapeParams: number): number {
  return allShapeParams > 0 ? (componentTotal * rankShapeParams) / allShapeParams : 0;
}

/**
 * Weight bytes held by one rank: pipeline stage `ppRank` (0 = first; the planner reports rank 0),
 * any TP rank (all TP ranks of a stage hold the same amount). `gpuGeneration` selects the kernel
 * layout of MXFP4 MoE experts (mxfp4Experts.ts); without it they are counted at 4.25 bits.
 */
export function weightsBytesPerRank(
  arch: ModelArch,
  quant: QuantizationInfo,
  layout: Layout,
  modelDtype: Dtype,
  ppRank = 0,
  gpuGeneration?: GpuGeneration,
  shares: LayerShareTable = layerShareTable(arch, layout),
): WeightBytesByComponent {
  const { tp, pp } = layout;
  const h = arch.hiddenSize;
  const { start, end } = ppLayerRange(arch.numLayers, pp, ppRank);
  const isFirst = ppRank === 0;
  const isLast = ppRank === pp - 1;
  const p = arch.params;

  // Per-layer shares: given by the caller's cache (prepareLayout.ts), else computed here.
  const table = shares;
  const rank = rangeSums(table.rows, start, end, true);
  const layerFraction = arch.numLayers > 0 ? (end - start) / arch.numLayers : 0;

  // Vocab-parallel embedding and lm_head: vocab padded to 64, split over TP
  // (vocab_parallel_embedding.py pad_vocab_size, VocabParallelEmbedding / ParallelLMHead).
  const paddedVocab = Math.ceil(arch.vocabSize / VOCAB_PADDING_SIZE) * VOCAB_PADDING_SIZE;
  const embeddingWidth = arch.vocabSize > 0 ? p.embedding / arch.vocabSize : h;
  const vocabShardParams = (paddedVocab / tp) * embeddingWidth;
  // Tied: the last stage of a PP>1 layout holds its own copy as lm_head; with PP=1 it is one tensor.
  const embeddingParams = isFirst ? vocabShardParams : 0;
  const lmHeadParams = isLast && (!arch.tiedEmbeddings || (pp > 1 && !isFirst)) ? vocabShardParams : 0;

  const elements = {
    embedding: embeddingParams,
    lmHead: lmHeadParams,
    mixer: share(p.mixer, rank.mixer, table.mixerAll),
    denseFfn: share(p.denseFfn, rank.dense, table.denseAll),
    routedExperts: share(p.routedExperts, rank.experts, table.expertsAll),
    sharedExperts: share(p.sharedExperts, rank.shared, table.sharedAll),
    // Router gates and norms are replicated on every TP rank.
    router: p.router * layerFraction,
    norms: p.norms * layerFraction,
    // Vision towers load on the first stage; their linears are TP-parallel in vLLM (approximation:
    // a few replicated norms/patch embeddings are ignored, < 0.1 GiB on the calibration rows).
    vision: isFirst ? p.vision / tp : 0,
  };

  const bytes = (component: QuantizedComponent, n: number): number => n * bytesPerParam(component, quant, modelDtype);
  const dtypeBytes = DTYPE_BYTES[modelDtype];
  const buffers = loadTimeBuffersBytes(arch, tp, start, end, dtypeBytes);
  const out = {
    embedding: bytes('embedding', elements.embedding),
    lmHead: bytes('lmHead', elements.lmHead),
    mixer: bytes('mixer', elements.mixer),
    denseFfn: bytes('denseFfn', elements.denseFfn),
    routedExperts:
      quant.method === 'mxfp4' && gpuGeneration !== undefined && !quant.unquantized.includes('routedExperts')
        ? mxfp4ExpertsBytesPerRank(arch, layout, start, end, gpuGeneration)
        : bytes('routedExperts', elements.routedExperts),
    sharedExperts: bytes('sharedExperts', elements.sharedExperts),
    router: bytes('router', elements.router),
    // Norm weights are never quantized.
    norms: elements.norms * dtypeBytes,
    vision: bytes('vision', elements.vision),
    buffers,
  };
  const total =
    out.embedding + out.lmHead + out.mixer + out.denseFfn + out.routedExperts + out.sharedExperts + out.router + out.norms + out.vision + out.buffers;
  return { ...out, total };
}

/** MXFP4 routed experts of layers [start, end) on one rank, with the kernel's padding (mxfp4Experts.ts). */
function mxfp4ExpertsBytesPerRank(arch: ModelArch, layout: Layout, start: number, end: number, generation: GpuGeneration): number {
  return sumRange(arch.layers, start, end, (l) => {
    if (l.ffn.kind !== 'moe') return 0;
    const epRanks = layout.tp * layout.dp;
    return mxfp4ExpertLayerBytes({
      numExperts: layout.ep ? Math.floor(l.ffn.numExperts / epRanks) : l.ffn.numExperts,
      hiddenSize: arch.hiddenSize,
      intermediateSizePerRank: layout.ep ? l.ffn.expertIntermediateSize : l.ffn.expertIntermediateSize / layout.tp,
      bias: l.ffn.bias,
      generation,
    });
  });
}

/**
 * Buffers vLLM allocates while loading, counted in its "Model loading took X GiB":
 * - the rotary cos/sin cache, [max_position, rotary_dim] in the model dtype, one per rank
 *   (vllm/model_executor/layers/rotary_embedding/base.py RotaryEmbedding._compute_cos_sin_cache;
 *   Llama-3.1-8B: 131072 × 128 × 2 B = 32 MiB, the 0.03 GiB between its 14.96 GiB of parameters and
 *   the logged 14.99 GiB). Full rotary dim assumed (partial rotary, e.g. phi-2, overestimates).
 * - MLA: W_UK_T / W_UV, dequantized copies of kv_b_proj made in process_weights_after_loading
 *   (vllm/v1/attention/backends/mla/common.py), in the model dtype, split over TP. APPROXIMATION:
 *   explains 0.1 of the 0.17 GiB logged above DeepSeek-V2-Lite's parameter bytes.
 */
function loadTimeBuffersBytes(arch: ModelArch, tp: number, start: number, end: number, dtypeBytes: number): number {
  let rotaryDim = 0;
  let mlaCopies = 0;
  for (let i = start; i < end; i += 1) {
    const mixer = arch.layers[i]?.mixer;
    if (mixer === undefined || mixer.kind === 'none') continue;
    if (mixer.kind === 'attention') rotaryDim = Math.max(rotaryDim, mixer.headDim);
    if (mixer.kind === 'mla') {
      rotaryDim = Math.max(rotaryDim, mixer.qkRopeHeadDim);
      mlaCopies += (mixer.kvLoraRank * mixer.numHeads * (mixer.qkNopeHeadDim + mixer.vHeadDim)) / tp;
    }
  }
  return arch.maxPositionTokens * rotaryDim * dtypeBytes + mlaCopies * dtypeBytes;
}

/**
 * Per-model aggregates the step-time model reads, computed once per (model, quantization, layout)
 * and reused for every concurrency point and every GPU: FLOPs per token by compute dtype, weight
 * bytes every step reads, MoE expert shards, attention coefficients, collective counts.
 * Everything is per GPU and per pipeline stage (the slowest stage: an even share of the layers plus
 * the LM head).
 */
import type { Dtype, Layout, ModelArch, QuantizationInfo, QuantizedComponent } from '../types';
import type { DistinctLayers } from '../arch/distinctLayers';
import { distinctLayers } from '../arch/distinctLayers';
import { DTYPE_BYTES } from '../types';
import type { WeightTensor } from '../arch/params';
import { ffnTensors, mixerTensors } from '../arch/params';
import { ACTIVATION_HIDDEN_VECTORS_PER_LAYER, ACTIVATION_INTERMEDIATE_VECTORS_PER_LAYER } from '../calibration';
import { attentionFlops } from './flops';
import { kernelsOfLayer } from './kernelFloor';
import { bytesPerWeightElement, isQuantized, servingDtype } from './bytes';

/** Attention layers of one stage that share a window, FLOPs summed over those layers. */
export interface AttentionCost {
  decodeFlopsPerContextToken: number;
  prefillFlopsPerContextToken: number;
  windowTokens: number | null;
}

/** Routed experts of one stage that share (numExperts, topK). */
export interface MoeCost {
  numExperts: number;
  topK: number;
  /** Bytes of one expert (all its matrices) summed over this stage's MoE layers, on one GPU's share. */
  bytesPerExpertPerGpu: number;
  /**
   * FLOPs of one token row through one expert (all its matrices) summed over this stage's MoE
   * layers, on one GPU's share (÷ shardGpus): the unit of the grouped GEMM's padded rows
   * (flops.ts expertGemmRows). Over a large batch, rows × this = tokens × expertFlopsPerToken.
   */
  flopsPerExpertRowPerGpu: number;
  /** GPUs that hold a share of each expert's work: tp (sharded experts) or tp × dp (expert parallel). */
  shardGpus: number;
  /** Replicas whose tokens meet in one expert group (dp with EP, else 1). */
  tokenGroupReplicas: number;
  /** ln(1 − topK / numExperts): the log-probability one token misses a given expert (flops.ts expectedDistinctExperts, precomputed). */
  logMissPerToken: number;
}

export interface ModelCost {
  tp: number;
  pp: number;
  dp: number;
  ep: boolean;
  hiddenSize: number;
  /** Bytes of one activation element (the 16-bit serving dtype). */
  activationBytes: number;
  /** Linear-layer FLOPs per token on this GPU, by whether the weights are quantized (routed experts excluded). */
  linearFlopsPerTokenUnquantized: number;
  linearFlopsPerTokenQuantized: number;
  /** Routed-expert FLOPs per token on this GPU (top-k experts' matmuls ÷ the GPUs sharing them). */
  expertFlopsPerToken: number;
  expertsQuantized: boolean;
  /** LM head FLOPs per sampled token (last token of each finished prefill, every decode token). */
  lmHeadFlopsPerSampledToken: number;
  lmHeadQuantized: boolean;
  /** Weights every step reads regardless of routing (mixers, dense MLPs, shared experts, routers, LM head). */
  denseWeightBytes: number;
  /** The LM head's share of denseWeightBytes (vocab ÷ tp rows per GPU); optional for hand-built costs. */
  lmHeadWeightBytes?: number;
  moe: readonly MoeCost[];
  attention: readonly AttentionCost[];
  /** Activation traffic per token through HBM (norms, residuals, linear inputs/outputs). */
  activationBytesPerToken: number;
  /** TP all-reduces per step on this stage: after attention and after the MLP of each layer. */
  allReducesPerStep: number;
  /** EP all-to-alls per step (dispatch + combine per MoE layer). */
  allToAllsPerStep: number;
  /** Decoder layers on this stage. */
  layersPerStage: number;
  /**
   * Kernels the stage's layers launch per step (perf/kernelFloor.ts kernelsOfLayer): with
   * calibration.ts KERNEL_FLOOR, the least time a step takes. Optional for hand-built costs (absent = no floor).
   */
  kernelsPerStage?: number;
  /** Dtype the quantized matmuls run in (before checking the GPU supports it). */
  quantizedComputeDtype: Dtype;
  /** Elements per weight scale of the quantized layers (0 = per-tensor/channel; > 0 with FP8: block-scaled). */
  quantizedScaleGroupElements: number;
  /** Some linear layer, expert or the LM head runs quantized (else the quantized rate is never used). */
  hasQuantizedGemms: boolean;
  unquantizedComputeDtype: Dtype;
}

/** K and V projections (arch/params.ts names): replicated once there are more TP ranks than KV heads. */
const KV_PROJECTIONS = new Set(['self_attn.k_proj.weight', 'self_attn.v_proj.weight', 'self_attn.k_proj.bias', 'self_attn.v_proj.bias']);

/** Elements one GPU holds of a tensor list: column/row split over TP (KV heads at least one), replicated whole. */
function perGpuElements(ts: readonly WeightTensor[], tp: number, kvShare = 1 / tp): number {
  let n = 0;
  for (const t of ts) {
    if (t.tp === 'replicated') n += t.elements;
    else if (KV_PROJECTIONS.has(t.name)) n += t.elements * kvShare;
    else n += t.elements / tp;
  }
  return n;
}

/** Width of the MLP intermediate a token passes through on this GPU (for activation traffic). */
function mlpWidthPerGpu(ffn: ModelArch['layers'][number]['ffn'], tp: number): number {
  switch (ffn.kind) {
    case 'dense':
      return ffn.intermediateSize / tp;
    case 'moe':
      return (ffn.topK * ffn.expertIntermediateSize + ffn.sharedIntermediateSize + ffn.parallelDenseIntermediateSize) / tp;
    case 'none':
      return 0;
    default: {
      const _: never = ffn;
      return _;
    }
  }
}

export function buildModelCost(arch: ModelArch, quant: QuantizationInfo, layout: Layout, layers: DistinctLayers = distinctLayers(arch)): ModelCost {
  const { tp, pp, dp, ep } = layout;
  const h = arch.hiddenSize;
  const dtype = servingDtype(arch.checkpointDtype);
  const actBytes = DTYPE_BYTES[dtype];
  const bpe = (c: QuantizedComponent): number => bytesPerWeightElement(c, quant, arch.checkpointDtype);
  const quantFlops = { q: 0, u: 0 };
  const addFlops = (c: QuantizedComponent, elements: number): void => {
    if (isQuantized(c, quant)) quantFlops.q += 2 * elements;
    else quantFlops.u += 2 * elements;
  };

  let denseWeightBytes = 0;
  let expertFlopsPerToken = 0;
  let activationBytesPerToken = 0;
  let allReduces = 0;
  let allToAlls = 0;
  let kernels = 0;
  const attention = new Map<number | null, AttentionCost>();
  const moe = new Map<string, MoeCost>();

  // Identical layers contribute identically: each distinct layer once, times its count.
  for (const { layer, count } of layers.groups) {
    const mixer = layer.mixer;
    kernels += kernelsOfLayer(layer) * count;
    const kvShare = mixer.kind === 'attention' ? Math.max(1, Math.ceil(mixer.numKvHeads / tp)) / mixer.numKvHeads : 1 / tp;
    const mixerElements = perGpuElements(mixerTensors(mixer, h), tp, kvShare);
    addFlops('mixer', mixerElements * count);
    denseWeightBytes += mixerElements * bpe('mixer') * count;

    const af = attentionFlops(mixer, tp);
    if (af !== null) {
      const prev = attention.get(af.windowTokens) ?? {
        decodeFlopsPerContextToken: 0,
        prefillFlopsPerContextToken: 0,
        windowTokens: af.windowTokens,
      };
      prev.decodeFlopsPerContextToken += af.decodePerContextToken * count;
      prev.prefillFlopsPerContextToken += af.prefillPerContextToken * count;
      attention.set(af.windowTokens, prev);
    }

    const ft = ffnTensors(layer.ffn, h);
    const denseEl = perGpuElements(ft.dense, tp);
    const sharedEl = perGpuElements(ft.sharedExperts, tp);
    const routerEl = perGpuElements(ft.router, tp);
    addFlops('denseFfn', denseEl * count);
    addFlops('sharedExperts', sharedEl * count);
    addFlops('router', routerEl * count);
    denseWeightBytes += (denseEl * bpe('denseFfn') + sharedEl * bpe('sharedExperts') + routerEl * bpe('router')) * count;

    if (layer.ffn.kind === 'moe') {
      const f = layer.ffn;
      const expertElements = ft.routedExperts.reduce((a, t) => a + t.elements, 0) / f.numExperts;
      // TP shards every expert over tp GPUs; EP places whole experts on tp × dp GPUs. Either way a
      // GPU does 1/shardGpus of the expert work of the tokens that meet in its group.
      const shardGpus = ep ? tp * dp : tp;
      expertFlopsPerToken += ((2 * f.topK * expertElements) / tp) * count;
      const key = `${f.numExperts}/${f.topK}`;
      const prev = moe.get(key) ?? {
        numExperts: f.numExperts,
        topK: f.topK,
        bytesPerExpertPerGpu: 0,
        flopsPerExpertRowPerGpu: 0,
        shardGpus,
        tokenGroupReplicas: ep ? dp : 1,
        logMissPerToken: Math.log1p(-Math.min(f.topK, f.numExperts) / f.numExperts),
      };
      prev.bytesPerExpertPerGpu += ((expertElements * bpe('routedExperts')) / shardGpus) * count;
      prev.flopsPerExpertRowPerGpu += ((2 * expertElements) / shardGpus) * count;
      moe.set(key, prev);
      if (ep && shardGpus > 1) allToAlls += 2 * count;
    }

    if (mixer.kind !== 'none' || layer.ffn.kind !== 'none') {
      activationBytesPerToken +=
        actBytes * (ACTIVATION_HIDDEN_VECTORS_PER_LAYER * h + ACTIVATION_INTERMEDIATE_VECTORS_PER_LAYER * mlpWidthPerGpu(layer.ffn, tp)) * count;
    }
    // Row-parallel outputs are summed over TP: one all-reduce after the mixer, one after the FFN
    // (vllm/model_executor/layers/linear.py RowParallelLinear reduce_results).
    if (tp > 1) allReduces += ((mixer.kind !== 'none' ? 1 : 0) + (layer.ffn.kind !== 'none' ? 1 : 0)) * count;
  }

  // Vocab-parallel LM head (vocab ÷ tp rows per GPU), on the last stage only.
  const lmHeadElements = (arch.vocabSize * h) / tp;
  const lmHeadQuantized = isQuantized('lmHead', quant);
  const stageShare = 1 / pp;
  const scaleMoe = [...moe.values()].map((m) => ({
    ...m,
    bytesPerExpertPerGpu: m.bytesPerExpertPerGpu * stageShare,
    flopsPerExpertRowPerGpu: m.flopsPerExpertRowPerGpu * stageShare,
  }));
  const scaleAttention = [...attention.values()].map((a) => ({
    ...a,
    decodeFlopsPerContextToken: a.decodeFlopsPerContextToken * stageShare,
    prefillFlopsPerContextToken: a.prefillFlopsPerContextToken * stageShare,
  }));

  return {
    tp,
    pp,
    dp,
    ep,
    hiddenSize: h,
    activationBytes: actBytes,
    linearFlopsPerTokenUnquantized: quantFlops.u * stageShare,
    linearFlopsPerTokenQuantized: quantFlops.q * stageShare,
    expertFlopsPerToken: expertFlopsPerToken * stageShare,
    expertsQuantized: isQuantized('routedExperts', quant),
    lmHeadFlopsPerSampledToken: 2 * lmHeadElements,
    lmHeadQuantized,
    denseWeightBytes: denseWeightBytes * stageShare + lmHeadElements * bpe('lmHead'),
    lmHeadWeightBytes: lmHeadElements * bpe('lmHead'),
    moe: scaleMoe,
    attention: scaleAttention,
    activationBytesPerToken: activationBytesPerToken * stageShare,
    allReducesPerStep: allReduces * stageShare,
    allToAllsPerStep: allToAlls * stageShare,
    layersPerStage: arch.numLayers * stageShare,
    kernelsPerStage: kernels * stageShare,
    quantizedComputeDtype: quant.computeDtype,
    quantizedScaleGroupElements: quant.groupSize,
    hasQuantizedGemms: quantFlops.q > 0 || isQuantized('routedExperts', quant) || lmHeadQuantized,
    unquantizedComputeDtype: dtype,
  };
}

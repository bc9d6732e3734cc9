/**
 * Time of one engine step on one GPU of one pipeline stage: a roofline (compute vs memory, each at
 * an achievable fraction of the datasheet peak) plus communication and a fixed per-step overhead.
 */
import type { Dtype, GpuSpec, KvGroupPlan, ServingEngine } from '../types';
import { ENGINE_EFFICIENCY, GEMM_EFFICIENCY, GENERATION_EFFICIENCY } from '../calibration';
import { MS_PER_S, TERA } from '../units';
import type { ModelCost } from './modelCost';
import { decodeContextTokens, expectedDistinctExpertsFromLog, meanPrefillContextTokens } from './flops';
import { kvReadBytesPerRequest, kvWriteBytesPerToken } from './bytes';
import type { Link } from './comm';
import { allReduceMs, allToAllMs, linkFor } from './comm';

/** What a GPU achieves for this model and engine: FLOP/s per dtype class, bytes/s, fixed costs. */
export interface HardwareRates {
  unquantizedFlopsPerS: number;
  quantizedFlopsPerS: number;
  attentionFlopsPerS: number;
  bandwidthBytesPerS: number;
  stepOverheadMs: number;
  tpLink: Link;
  epLink: Link;
}

/**
 * Dense peak TFLOPS for a compute dtype on this GPU. A dtype the tensor cores lack falls back to
 * the 16-bit rate: vLLM then runs weight-only kernels (Marlin for FP8/FP4 on Ampere/Hopper,
 * vllm/model_executor/layers/quantization/utils/marlin_utils*.py) that dequantize to bf16.
 */
export function peakTflops(gpu: GpuSpec, dtype: Dtype): number {
  const direct = gpu.denseTflops[dtype];
  if (direct !== undefined && direct > 0) return direct;
  return gpu.denseTflops.bf16 ?? gpu.denseTflops.fp16 ?? gpu.denseTflops.fp32 ?? 0;
}

export function hardwareRates(gpu: GpuSpec, engine: ServingEngine, cost: ModelCost): HardwareRates {
  const gen = GENERATION_EFFICIENCY[gpu.generation];
  const eng = ENGINE_EFFICIENCY[engine];
  const computeFraction = Math.min(1, gen.computeFraction * eng.kernelMultiplier);
  const attentionFraction = Math.min(1, gen.attentionFraction * eng.kernelMultiplier);
  const bandwidthFraction = Math.min(1, gen.bandwidthFraction * eng.kernelMultiplier);
  return {
    unquantizedFlopsPerS: peakTflops(gpu, cost.unquantizedComputeDtype) * TERA * computeFraction,
    quantizedFlopsPerS: peakTflops(gpu, cost.quantizedComputeDtype) * TERA * computeFraction,
    attentionFlopsPerS: peakTflops(gpu, cost.unquantizedComputeDtype) * TERA * attentionFraction,
    bandwidthBytesPerS: gpu.memBandwidthBytesPerS * bandwidthFraction,
    stepOverheadMs: gen.stepOverheadMs * eng.stepOverheadMultiplier,
    tpLink: linkFor(gpu, cost.tp),
    epLink: linkFor(gpu, cost.ep ? cost.tp * cost.dp : cost.tp),
  };
}

/** Fraction of the GEMM plateau a matmul of `rows` rows reaches: rows / (rows + half-efficiency rows). */
export function gemmUtilization(rows: number): number {
  return rows > 0 ? rows / (rows + GEMM_EFFICIENCY.halfEfficiencyTokens) : 1;
}

/** The work in one step of one replica (whole replica, before the pipeline split). */
export interface StepWork {
  decodeTokens: number;
  prefillTokens: number;
  /** Prompt length the prefill tokens belong to (their mean attention context follows from it). */
  promptTokens: number;
}

export interface StepTime {
  computeMs: number;
  memoryMs: number;
  communicationMs: number;
  overheadMs: number;
  totalMs: number;
}

/** Per-request decode constants that depend on the workload, computed once per estimate. */
export interface StepContext {
  cost: ModelCost;
  rates: HardwareRates;
  /** Attention FLOPs per decode token at the mean decode context (this stage). */
  decodeAttentionFlopsPerToken: number;
  /** Attention FLOPs per prefill token averaged over the prompt (this stage). */
  prefillAttentionFlopsPerToken: number;
  /** KV (and state) bytes one decoding request reads per step on this GPU. */
  kvReadBytesPerDecodeToken: number;
  kvWriteBytesPerToken: number;
  /** Extra per-step cost of eager mode (no CUDA graphs), ms. */
  eagerOverheadMs: number;
}

export function stepContext(
  cost: ModelCost,
  rates: HardwareRates,
  kvGroups: readonly KvGroupPlan[],
  promptTokens: number,
  decodeContext: number,
  eagerOverheadMs: number,
): StepContext {
  let decodeAttention = 0;
  let prefillAttention = 0;
  for (const a of cost.attention) {
    decodeAttention += a.decodeFlopsPerContextToken * decodeContextTokens(decodeContext, a.windowTokens);
    prefillAttention += a.prefillFlopsPerContextToken * meanPrefillContextTokens(promptTokens, a.windowTokens);
  }
  // The memory plan's KV groups describe one stage (rank 0); other stages hold a like share.
  return {
    cost,
    rates,
    decodeAttentionFlopsPerToken: decodeAttention,
    prefillAttentionFlopsPerToken: prefillAttention,
    kvReadBytesPerDecodeToken: kvReadBytesPerRequest(kvGroups, decodeContext),
    kvWriteBytesPerToken: kvWriteBytesPerToken(kvGroups),
    eagerOverheadMs,
  };
}

/**
 * One stage's step for `decodeTokens` decodes and `prefillTokens` prompt tokens:
 * compute = linear FLOPs ÷ rate per dtype + attention FLOPs ÷ attention rate + LM head;
 * memory = weights read (dense + the experts the step's tokens touch) + KV read/write + activations;
 * step = max(compute, memory) + collectives + fixed overhead.
 */
export function stepTime(ctx: StepContext, work: StepWork): StepTime {
  return stepTimeOf(ctx, work.decodeTokens, work.prefillTokens, work.promptTokens);
}

/** stepTime without the work object. */
export function stepTimeOf(ctx: StepContext, decodeTokens: number, prefillTokens: number, promptTokens: number): StepTime {
  const out: StepTime = { computeMs: 0, memoryMs: 0, communicationMs: 0, overheadMs: 0, totalMs: 0 };
  stepInto(ctx, decodeTokens, prefillTokens, promptTokens, out);
  return out;
}

/** The step model, writing into `out` (the sweep's hot path reuses one object: no allocation per step). */
export function stepInto(ctx: StepContext, decodeTokens: number, prefillTokens: number, promptTokens: number, out: StepTime): StepTime {
  const { cost, rates } = ctx;
  const d = Math.max(0, decodeTokens);
  const p = Math.max(0, prefillTokens);
  const tokens = d + p;
  // Finished prefills sample one token each: p / prompt length of them per step on average.
  const sampled = d + (promptTokens > 0 ? p / promptTokens : 0);

  const linearUnq = tokens * cost.linearFlopsPerTokenUnquantized;
  const linearQ = tokens * cost.linearFlopsPerTokenQuantized;
  const lmHeadFlops = sampled * cost.lmHeadFlopsPerSampledToken;
  const expertFlops = tokens * cost.expertFlopsPerToken;
  const attentionFlops = d * ctx.decodeAttentionFlopsPerToken + p * ctx.prefillAttentionFlopsPerToken;
  // Dense GEMMs see all `tokens` rows; each expert only its share tokens·k/E (across the EP group).
  const denseUtil = gemmUtilization(tokens);
  const firstMoe = cost.moe[0];
  const expertRows = firstMoe !== undefined ? (tokens * firstMoe.tokenGroupReplicas * firstMoe.topK) / firstMoe.numExperts : tokens;
  const expertUtil = gemmUtilization(expertRows);
  // The LM head GEMM has one row per sampled token, not per token of the step (vLLM computes logits
  // only at logits_indices, vllm/v1/worker/gpu_model_runner.py). The bug this guards: charging it at
  // the whole step's row efficiency made adding prompt tokens to a step make it faster.
  const lmHeadUtil = gemmUtilization(sampled);
  const computeS =
    (linearUnq / rates.unquantizedFlopsPerS + linearQ / rates.quantizedFlopsPerS) / denseUtil +
    (sampled > 0 ? lmHeadFlops / (cost.lmHeadQuantized ? rates.quantizedFlopsPerS : rates.unquantizedFlopsPerS) / lmHeadUtil : 0) +
    expertFlops / (cost.expertsQuantized ? rates.quantizedFlopsPerS : rates.unquantizedFlopsPerS) / expertUtil +
    attentionFlops / rates.attentionFlopsPerS;

  let expertBytes = 0;
  for (const m of cost.moe) {
    const groupTokens = tokens * m.tokenGroupReplicas;
    expertBytes += expectedDistinctExpertsFromLog(m.numExperts, m.logMissPerToken, groupTokens) * m.bytesPerExpertPerGpu;
  }
  const bytes =
    (tokens > 0 ? cost.denseWeightBytes + expertBytes : 0) +
    d * ctx.kvReadBytesPerDecodeToken +
    tokens * (ctx.kvWriteBytesPerToken + cost.activationBytesPerToken);
  const memoryS = bytes / rates.bandwidthBytesPerS;

  const messageBytes = tokens * cost.hiddenSize * cost.activationBytes;
  const communicationMs =
    cost.allReducesPerStep * allReduceMs(messageBytes, cost.tp, rates.tpLink) +
    cost.allToAllsPerStep * allToAllMs(messageBytes * (cost.moe[0]?.topK ?? 1), cost.ep ? cost.tp * cost.dp : 1, rates.epLink);

  const computeMs = computeS * MS_PER_S;
  const memoryMs = memoryS * MS_PER_S;
  const overheadMs = tokens > 0 ? rates.stepOverheadMs + ctx.eagerOverheadMs : 0;
  out.computeMs = computeMs;
  out.memoryMs = memoryMs;
  out.communicationMs = tokens > 0 ? communicationMs : 0;
  out.overheadMs = overheadMs;
  out.totalMs = tokens > 0 ? Math.max(computeMs, memoryMs) + communicationMs + overheadMs : 0;
  return out;
}

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

/** One configuration's step model at one workload's lengths, computed once per estimate. */
export interface StepContext {
  cost: ModelCost;
  rates: HardwareRates;
  /** The step's terms with the rates folded in (attention at the workload's context, KV bytes per request). */
  k: StepCoefficients;
}

/**
 * The step model's terms with the hardware rates folded in, in ms per unit, so that one step is a
 * few multiply-adds (a recommendation evaluates ~40,000 steps). Each is a term of stepInto's
 * formula divided by its rate; the GEMM utilization and the MoE touched-expert count stay per step.
 */
export interface StepCoefficients {
  /** Linear layers (non-expert) per token at full GEMM efficiency. */
  linearMsPerToken: number;
  lmHeadMsPerSample: number;
  expertMsPerToken: number;
  /** Rows of one expert's GEMM per step token: token groups × topK ÷ experts (1 for dense). */
  expertRowsPerToken: number;
  decodeAttentionMsPerToken: number;
  prefillAttentionMsPerToken: number;
  /** Weights every step reads (dense part + LM head). */
  denseWeightsMs: number;
  /** KV read per decoding request. */
  kvReadMsPerDecode: number;
  /** KV write + activation traffic per token. */
  trafficMsPerToken: number;
  /** Routed experts: ms to read one expert's weights, with the touched-expert formula's terms. */
  moe: readonly { numExperts: number; logMissPerToken: number; tokenGroupReplicas: number; msPerExpert: number }[];
  /** Collectives: fixed latency per step and the bandwidth term per token (all-reduces + all-to-alls). */
  communicationFixedMs: number;
  communicationMsPerToken: number;
  overheadMs: number;
}

function stepCoefficients(
  cost: ModelCost,
  rates: HardwareRates,
  decodeAttentionFlops: number,
  prefillAttentionFlops: number,
  kvRead: number,
  kvWrite: number,
  eagerOverheadMs: number,
): StepCoefficients {
  const ms = (work: number, perS: number): number => (perS > 0 ? (work / perS) * MS_PER_S : work > 0 ? Infinity : 0);
  const firstMoe = cost.moe[0];
  const tokenBytes = cost.hiddenSize * cost.activationBytes;
  // allReduceMs / allToAllMs (comm.ts) are affine in the message bytes: fixed part + bytes × slope.
  const arFixed = allReduceMs(0, cost.tp, rates.tpLink);
  const arPerToken = allReduceMs(tokenBytes, cost.tp, rates.tpLink) - arFixed;
  const epRanks = cost.ep ? cost.tp * cost.dp : 1;
  const a2aBytes = tokenBytes * (firstMoe?.topK ?? 1);
  const a2aFixed = allToAllMs(0, epRanks, rates.epLink);
  const a2aPerToken = allToAllMs(a2aBytes, epRanks, rates.epLink) - a2aFixed;
  return {
    linearMsPerToken:
      ms(cost.linearFlopsPerTokenUnquantized, rates.unquantizedFlopsPerS) + ms(cost.linearFlopsPerTokenQuantized, rates.quantizedFlopsPerS),
    lmHeadMsPerSample: ms(cost.lmHeadFlopsPerSampledToken, cost.lmHeadQuantized ? rates.quantizedFlopsPerS : rates.unquantizedFlopsPerS),
    expertMsPerToken: ms(cost.expertFlopsPerToken, cost.expertsQuantized ? rates.quantizedFlopsPerS : rates.unquantizedFlopsPerS),
    expertRowsPerToken: firstMoe !== undefined ? (firstMoe.tokenGroupReplicas * firstMoe.topK) / firstMoe.numExperts : 1,
    decodeAttentionMsPerToken: ms(decodeAttentionFlops, rates.attentionFlopsPerS),
    prefillAttentionMsPerToken: ms(prefillAttentionFlops, rates.attentionFlopsPerS),
    denseWeightsMs: ms(cost.denseWeightBytes, rates.bandwidthBytesPerS),
    kvReadMsPerDecode: ms(kvRead, rates.bandwidthBytesPerS),
    trafficMsPerToken: ms(kvWrite + cost.activationBytesPerToken, rates.bandwidthBytesPerS),
    moe: cost.moe.map((m) => ({
      numExperts: m.numExperts,
      logMissPerToken: m.logMissPerToken,
      tokenGroupReplicas: m.tokenGroupReplicas,
      msPerExpert: ms(m.bytesPerExpertPerGpu, rates.bandwidthBytesPerS),
    })),
    communicationFixedMs: cost.allReducesPerStep * arFixed + cost.allToAllsPerStep * a2aFixed,
    communicationMsPerToken: cost.allReducesPerStep * arPerToken + cost.allToAllsPerStep * a2aPerToken,
    overheadMs: rates.stepOverheadMs + eagerOverheadMs,
  };
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
  const kvRead = kvReadBytesPerRequest(kvGroups, decodeContext);
  const kvWrite = kvWriteBytesPerToken(kvGroups);
  return { cost, rates, k: stepCoefficients(cost, rates, decodeAttention, prefillAttention, kvRead, kvWrite, eagerOverheadMs) };
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
  const v = newStepVector();
  stepInto(ctx, decodeTokens, prefillTokens, promptTokens, v);
  return stepTimeFromVector(v);
}

/**
 * A step's figures in a typed array, indexed by the STEP_* constants: the solver's hot path writes
 * ~40,000 steps per recommendation, and stores of fractional numbers into plain objects' fields
 * allocated a boxed number each in V8 (measured with the sampling heap profiler: ~2 MB of garbage
 * per recommendation); typed-array stores never allocate.
 */
export type StepVector = Float64Array;
export const STEP_COMPUTE = 0;
export const STEP_MEMORY = 1;
export const STEP_COMMUNICATION = 2;
export const STEP_OVERHEAD = 3;
export const STEP_TOTAL = 4;

export const newStepVector = (): StepVector => new Float64Array(5);

export function stepTimeFromVector(v: StepVector): StepTime {
  return {
    computeMs: v[STEP_COMPUTE] ?? 0,
    memoryMs: v[STEP_MEMORY] ?? 0,
    communicationMs: v[STEP_COMMUNICATION] ?? 0,
    overheadMs: v[STEP_OVERHEAD] ?? 0,
    totalMs: v[STEP_TOTAL] ?? 0,
  };
}

/**
 * The step model, writing into `out` (the sweep's hot path reuses one object: no allocation per step).
 *   compute = linear FLOPs ÷ rate ÷ GEMM utilization(tokens) + LM head FLOPs ÷ rate ÷ utilization(sampled)
 *           + expert FLOPs ÷ rate ÷ utilization(expert rows) + attention FLOPs ÷ attention rate;
 *   memory  = (dense weights + touched experts' weights + KV read per decode + KV write and activations
 *             per token) ÷ bandwidth;
 *   step    = max(compute, memory) + collectives + fixed overhead (0 for an empty step).
 * The rates are folded into ctx.k (StepCoefficients) once per configuration. Returns nothing: a
 * number returned from a call V8 does not inline is boxed (an allocation per step).
 */
export function stepInto(ctx: StepContext, decodeTokens: number, prefillTokens: number, promptTokens: number, out: StepVector): void {
  const k = ctx.k;
  const d = Math.max(0, decodeTokens);
  const p = Math.max(0, prefillTokens);
  const tokens = d + p;
  if (tokens <= 0) {
    out.fill(0);
    return;
  }
  // Finished prefills sample one token each: p / prompt length of them per step on average.
  const sampled = d + (promptTokens > 0 ? p / promptTokens : 0);
  const half = GEMM_EFFICIENCY.halfEfficiencyTokens;
  // Dense GEMMs see all `tokens` rows; each expert only its share tokens·k/E (across the EP group).
  // gemmUtilization(rows) = rows / (rows + half), so work ÷ utilization = work × (rows + half) / rows.
  const expertRows = tokens * k.expertRowsPerToken;
  // The LM head GEMM has one row per sampled token, not per token of the step (vLLM computes logits
  // only at logits_indices, vllm/v1/worker/gpu_model_runner.py). The bug this guards: charging it at
  // the whole step's row efficiency made adding prompt tokens to a step make it faster.
  const computeMs =
    k.linearMsPerToken * (tokens + half) +
    (sampled > 0 ? k.lmHeadMsPerSample * (sampled + half) : 0) +
    (expertRows > 0 ? (k.expertMsPerToken * tokens * (expertRows + half)) / expertRows : 0) +
    d * k.decodeAttentionMsPerToken +
    p * k.prefillAttentionMsPerToken;

  let expertMs = 0;
  for (let i = 0; i < k.moe.length; i += 1) {
    const m = k.moe[i];
    if (m === undefined) continue;
    // Expected distinct experts the step's tokens touch: E·(1 − (1 − k/E)^T) (flops.ts).
    expertMs += expectedDistinctExpertsFromLog(m.numExperts, m.logMissPerToken, tokens * m.tokenGroupReplicas) * m.msPerExpert;
  }
  const memoryMs = k.denseWeightsMs + expertMs + d * k.kvReadMsPerDecode + tokens * k.trafficMsPerToken;
  const communicationMs = k.communicationFixedMs + tokens * k.communicationMsPerToken;
  const totalMs = Math.max(computeMs, memoryMs) + communicationMs + k.overheadMs;
  out[STEP_COMPUTE] = computeMs;
  out[STEP_MEMORY] = memoryMs;
  out[STEP_COMMUNICATION] = communicationMs;
  out[STEP_OVERHEAD] = k.overheadMs;
  out[STEP_TOTAL] = totalMs;
}

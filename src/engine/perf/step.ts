/**
 * Time of one engine step on one GPU of one pipeline stage: a roofline (compute vs memory, each at
 * an achievable fraction of the datasheet peak) plus communication and a fixed per-step overhead.
 * The one step model both solvers call (issue 10: one physics, two solvers): the closed form
 * (serving.ts) with the mean batch of its steady state, the request-level simulator with the batch
 * it scheduled. The input is a StepBatch (stepBatch.ts): counts and per-window context sums.
 */
import type { Dtype, GpuSpec, KvGroupPlan, ServingEngine } from '../types';
import {
  ENGINE_EFFICIENCY,
  GEMM_EFFICIENCY,
  GEMM_KERNEL_EFFICIENCY,
  GEMM_TOKEN_TILE_ROWS,
  GENERATION_EFFICIENCY,
  ASYNC_SCHEDULING,
  GROUPED_GEMM,
  MOE_TOKEN_TILE_ROWS,
  STATE_LAYER_KERNEL_FLOOR_MS,
} from '../calibration';
import { gemmKernelOf, kernelPeakDtype } from './gemmKernel';
import { kernelFloorMs } from './kernelFloor';
import { MS_PER_S, TERA } from '../units';
import type { ModelCost } from './modelCost';
import { expectedDistinctExpertsFromLog, expertGemmRowsOfTouched, tiledRows } from './flops';
import { kvWriteBytesPerToken } from './bytes';
import type { StepBatch, StepWindows } from './stepBatch';
import type { AllReduceOptions, AllReducePlan, Link } from './comm';
import { allReducePlan, linkFor } from './comm';
import type { CrossNodeRates } from './crossNode';
import { crossNodeRates, epAllToAllMs, pipelineHandOffsMs } from './crossNode';

/** What a GPU achieves for this model and engine: FLOP/s per dtype class, bytes/s, fixed costs. */
export interface HardwareRates {
  unquantizedFlopsPerS: number;
  quantizedFlopsPerS: number;
  attentionFlopsPerS: number;
  bandwidthBytesPerS: number;
  stepOverheadMs: number;
  /** Host time per request that samples in a step (calibration.ts EngineEfficiency.hostMsPerSampledToken). */
  hostMsPerSampledToken: number;
  tpLink: Link;
  /** How the TP group's all-reduces run by message size: the engine's custom kernels, then NCCL (comm.ts allReducePlan). */
  tpAllReduce: AllReducePlan;
  /** The EP group's in-node link; what crosses nodes is priced by `crossNode` (crossNode.ts epAllToAllMs). */
  epLink: Link;
  /** [multinode] Network link, PP hand-offs and EP ranks across nodes (perf/crossNode.ts). */
  crossNode: CrossNodeRates;
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

export function hardwareRates(gpu: GpuSpec, engine: ServingEngine, cost: ModelCost, comm: AllReduceOptions = {}): HardwareRates {
  const gen = GENERATION_EFFICIENCY[gpu.generation];
  const eng = ENGINE_EFFICIENCY[engine];
  const computeFraction = Math.min(1, gen.computeFraction * eng.kernelMultiplier);
  const attentionFraction = Math.min(1, gen.attentionFraction * eng.kernelMultiplier);
  const bandwidthFraction = Math.min(1, gen.bandwidthFraction * eng.kernelMultiplier);
  // The quantized layers' kernel on this GPU (gemmKernel.ts): its dtype's peak, or the 16-bit one
  // for a dequantizing fallback, at the kernel family's efficiency relative to bf16.
  const kernel = gemmKernelOf(cost.quantizedComputeDtype, cost.quantizedScaleGroupElements, gpu);
  const quantizedPeakTflops = peakTflops(gpu, kernelPeakDtype(kernel, cost.quantizedComputeDtype, cost.unquantizedComputeDtype));
  const quantizedFraction = Math.min(1, computeFraction * GEMM_KERNEL_EFFICIENCY[kernel]);
  return {
    unquantizedFlopsPerS: peakTflops(gpu, cost.unquantizedComputeDtype) * TERA * computeFraction,
    quantizedFlopsPerS: quantizedPeakTflops * TERA * quantizedFraction,
    attentionFlopsPerS: peakTflops(gpu, cost.unquantizedComputeDtype) * TERA * attentionFraction,
    bandwidthBytesPerS: gpu.memBandwidthBytesPerS * bandwidthFraction,
    stepOverheadMs: gen.stepOverheadMs * eng.stepOverheadMultiplier,
    hostMsPerSampledToken: eng.hostMsPerSampledToken,
    tpLink: linkFor(gpu, cost.tp),
    tpAllReduce: allReducePlan(gpu, cost.tp, engine, comm),
    epLink: linkFor(gpu, 1),
    crossNode: crossNodeRates(gpu, { tp: cost.tp, pp: cost.pp, dp: cost.dp, ep: cost.ep }),
  };
}

export interface StepTime {
  computeMs: number;
  memoryMs: number;
  communicationMs: number;
  overheadMs: number;
  totalMs: number;
}

/**
 * A StepTime to fill. Non-integer initial values so V8 gives the fields a double representation
 * from the start: a solver that reuses one (`stepTime(ctx, batch, out)`) then stores into them
 * without allocating.
 */
export const newStepTime = (): StepTime => ({ computeMs: 0.5, memoryMs: 0.5, communicationMs: 0.5, overheadMs: 0.5, totalMs: 0.5 });

function setStep(out: StepTime, computeMs: number, memoryMs: number, communicationMs: number, overheadMs: number, totalMs: number): StepTime {
  out.computeMs = computeMs;
  out.memoryMs = memoryMs;
  out.communicationMs = communicationMs;
  out.overheadMs = overheadMs;
  out.totalMs = totalMs;
  return out;
}

/**
 * One configuration's step model (model cost × GPU × engine), independent of the workload: the
 * attention windows a StepBatch's per-window sums follow and the step's terms with the hardware
 * rates folded in, in ms per unit. Built once per configuration; a step is then a few multiply-adds
 * (a recommendation evaluates ~40,000 steps).
 */
export interface StepContext extends StepWindows {
  cost: ModelCost;
  rates: HardwareRates;
  /** Ascending; Infinity = full attention. Entry i of every per-window array below belongs to windowsTokens[i]. */
  windowsTokens: readonly number[];
  coefficients: StepCoefficients;
  /**
   * With async scheduling: the same context without the overlap, for a step built from several
   * forwards (speculative.ts speculativeStepTime prices its parts serially and hides the host part
   * once, under the whole step). Absent without async scheduling.
   */
  serial?: StepContext;
}

/** The step formula's coefficients: each is a term's work per unit divided by its achievable rate, ms. */
export interface StepCoefficients {
  /** Linear layers (non-expert) per token at full GEMM efficiency. */
  linearMsPerToken: number;
  /** LM head per sampled token at full GEMM efficiency. */
  lmHeadMsPerSample: number;
  /** Per window: decode attention (QKᵀ + PV) per (decoding request × clipped context token). */
  decodeAttentionMsPerContextToken: Float64Array;
  /** Per window: prefill attention per (prompt token × clipped context token). */
  prefillAttentionMsPerContextToken: Float64Array;
  /** Per window: KV bytes a decode reads per clipped context token (the window's KV groups), over bandwidth. */
  kvReadMsPerContextToken: Float64Array;
  /**
   * Constant-state layers (Mamba, DeltaNet): the recurrent state read and written back per decoding
   * request (the state update is in place: every step reads and rewrites the whole state).
   */
  stateUpdateMsPerDecode: number;
  /** Weights every step reads (dense part + LM head). */
  denseWeightsMs: number;
  /** KV write + activation traffic per token. */
  trafficMsPerToken: number;
  /**
   * Routed experts, per (numExperts, topK) group: ms to read one expert's weights and to run one
   * token row through one expert (modelCost.ts flopsPerExpertRowPerGpu at the expert dtype's rate),
   * with the touched-expert formula's terms.
   */
  moe: readonly { numExperts: number; topK: number; logMissPerToken: number; tokenGroupReplicas: number; msPerExpert: number; msPerExpertRow: number }[];
  /** EP all-to-alls: fixed latency per step and the bandwidth term per token. */
  communicationFixedMs: number;
  communicationMsPerToken: number;
  /**
   * TP all-reduces of the step, by the step's token count (the message is tokens × hidden × activation
   * bytes; comm.ts allReducePlan's segments, times the all-reduces per step): a step of `tokens` uses
   * the first entry with tokens < maxTokens (the last is Infinity). Empty without TP.
   */
  allReduceByTokens: readonly { maxTokens: number; fixedMs: number; msPerToken: number }[];
  overheadMs: number;
  /** The least time the step's kernels take at their floor (perf/kernelFloor.ts): the roofline's third limb. */
  kernelFloorMs: number;
  /** Host time per sampled token (per request that samples in the step). */
  hostMsPerSample: number;
  /** The host's fixed share of `overheadMs` (the fitted step overhead): what async scheduling hides. Absent = 0. */
  hostOverheadMs?: number;
  /**
   * The share of min(host, GPU) time that async scheduling hides (1 − ASYNC_SCHEDULING.exposedHostFraction;
   * perf/asyncScheduling.ts); 0 without it. Absent = 0.
   */
  hostHiddenFraction?: number;
  /**
   * With async scheduling: the share of the host cost per sampled token that the engine loop runs
   * under the GPU with the fixed host part (ASYNC_SCHEDULING.sampledHostOverlapFraction); 0 without
   * it. Absent = 0.
   */
  sampledHostOverlapFraction?: number;
}

/** ms to do `work` at `perS` per second; no work takes no time, work at a zero rate never ends. */
const ms = (work: number, perS: number): number => (perS > 0 ? (work / perS) * MS_PER_S : work > 0 ? Infinity : 0);

/** null (the model's and memory plan's "no window") as the StepBatch convention: Infinity. */
const windowOf = (windowTokens: number | null): number => (windowTokens === null ? Infinity : windowTokens);

/**
 * The distinct attention windows of a model: every attention cost's window and every KV group
 * that caches per token (constant-state groups have no context), ascending, Infinity for full
 * attention; [Infinity] when nothing attends (a pure Mamba model), so a batch always has an entry.
 */
export function stepWindowsTokens(cost: ModelCost, kvGroups: readonly KvGroupPlan[]): number[] {
  const windows = new Set<number>();
  for (const a of cost.attention) windows.add(windowOf(a.windowTokens));
  for (const g of kvGroups) if (g.bytesPerTokenPerLayer > 0) windows.add(windowOf(g.slidingWindowTokens));
  if (windows.size === 0) windows.add(Infinity);
  return [...windows].sort((a, b) => a - b);
}

/**
 * The step model of one configuration. `kvGroups` come from the memory plan (rank 0's stage; other
 * stages hold a like share). `eagerOverheadMs`: the per-step launch cost without CUDA graphs.
 * `asyncScheduling`: the host's part of each step runs under the GPU's (perf/asyncScheduling.ts
 * asyncSchedulingActive decides it for a configuration).
 */
export function stepContext(cost: ModelCost, rates: HardwareRates, kvGroups: readonly KvGroupPlan[], eagerOverheadMs: number, asyncScheduling = false): StepContext {
  const windowsTokens = stepWindowsTokens(cost, kvGroups);
  const n = windowsTokens.length;
  const decodeAttention = new Float64Array(n);
  const prefillAttention = new Float64Array(n);
  const kvRead = new Float64Array(n);
  for (const a of cost.attention) {
    const i = windowsTokens.indexOf(windowOf(a.windowTokens));
    decodeAttention[i] = (decodeAttention[i] ?? 0) + ms(a.decodeFlopsPerContextToken, rates.attentionFlopsPerS);
    prefillAttention[i] = (prefillAttention[i] ?? 0) + ms(a.prefillFlopsPerContextToken, rates.attentionFlopsPerS);
  }
  let stateBytes = 0;
  let stateLayers = 0;
  for (const g of kvGroups) {
    stateBytes += g.numLayers * g.stateBytesPerRequestPerLayer;
    if (g.stateBytesPerRequestPerLayer > 0) stateLayers += g.numLayers;
    if (g.bytesPerTokenPerLayer <= 0) continue;
    const i = windowsTokens.indexOf(windowOf(g.slidingWindowTokens));
    kvRead[i] = (kvRead[i] ?? 0) + ms(g.numLayers * g.bytesPerTokenPerLayer, rates.bandwidthBytesPerS);
  }
  const firstMoe = cost.moe[0];
  const tokenBytes = cost.hiddenSize * cost.activationBytes;
  // All-reduces: each algorithm segment is affine in the message bytes (comm.ts allReducePlan).
  const allReduceByTokens = cost.allReducesPerStep > 0 && tokenBytes > 0
    ? rates.tpAllReduce.segments.map((s) => ({
        maxTokens: s.maxBytes / tokenBytes,
        fixedMs: cost.allReducesPerStep * s.latencyMs,
        msPerToken: cost.allReducesPerStep * s.msPerByte * tokenBytes,
      }))
    : [];
  const a2aBytes = tokenBytes * (firstMoe?.topK ?? 1);
  // EP dispatch/combine: in-node share over NVLink, the rest over the network (crossNode.ts).
  const a2aFixed = epAllToAllMs(0, rates.crossNode, rates.epLink);
  const a2aPerToken = epAllToAllMs(a2aBytes, rates.crossNode, rates.epLink) - a2aFixed;
  const coefficients: StepCoefficients = {
    linearMsPerToken:
      ms(cost.linearFlopsPerTokenUnquantized, rates.unquantizedFlopsPerS) + ms(cost.linearFlopsPerTokenQuantized, rates.quantizedFlopsPerS),
    lmHeadMsPerSample: ms(cost.lmHeadFlopsPerSampledToken, cost.lmHeadQuantized ? rates.quantizedFlopsPerS : rates.unquantizedFlopsPerS),
    decodeAttentionMsPerContextToken: decodeAttention,
    prefillAttentionMsPerContextToken: prefillAttention,
    kvReadMsPerContextToken: kvRead,
    stateUpdateMsPerDecode: ms(2 * stateBytes, rates.bandwidthBytesPerS),
    denseWeightsMs: ms(cost.denseWeightBytes, rates.bandwidthBytesPerS),
    trafficMsPerToken: ms(kvWriteBytesPerToken(kvGroups) + cost.activationBytesPerToken, rates.bandwidthBytesPerS),
    moe: cost.moe.map((m) => ({
      numExperts: m.numExperts,
      topK: m.topK,
      logMissPerToken: m.logMissPerToken,
      tokenGroupReplicas: m.tokenGroupReplicas,
      msPerExpert: ms(m.bytesPerExpertPerGpu, rates.bandwidthBytesPerS),
      // The grouped GEMM at its own fraction of the dense GEMMs' rate (calibration.ts GROUPED_GEMM).
      msPerExpertRow: ms(m.flopsPerExpertRowPerGpu, (cost.expertsQuantized ? rates.quantizedFlopsPerS : rates.unquantizedFlopsPerS) * GROUPED_GEMM.efficiency),
    })),
    communicationFixedMs: cost.allToAllsPerStep * a2aFixed,
    communicationMsPerToken: cost.allToAllsPerStep * a2aPerToken,
    allReduceByTokens,
    // Per step: the fitted host/launch overhead, the eager launches, and the constant-state layers'
    // own small kernels (calibration.ts STATE_LAYER_KERNEL_FLOOR_MS).
    overheadMs: rates.stepOverheadMs + eagerOverheadMs + stateLayers * STATE_LAYER_KERNEL_FLOOR_MS,
    kernelFloorMs: kernelFloorMs(cost.kernelsPerStage ?? 0),
    hostMsPerSample: rates.hostMsPerSampledToken,
    // The fitted step overhead is the engine loop's host work (scheduler, input prep, output
    // processing, graph launch); the eager launches and the state layers' kernels stay GPU-side.
    hostOverheadMs: rates.stepOverheadMs,
    hostHiddenFraction: asyncScheduling ? 1 - Math.min(1, Math.max(0, ASYNC_SCHEDULING.exposedHostFraction)) : 0,
    sampledHostOverlapFraction: asyncScheduling ? Math.min(1, Math.max(0, ASYNC_SCHEDULING.sampledHostOverlapFraction)) : 0,
  };
  if (!asyncScheduling) return { cost, rates, windowsTokens, coefficients };
  return { cost, rates, windowsTokens, coefficients, serial: { cost, rates, windowsTokens, coefficients: { ...coefficients, hostHiddenFraction: 0 } } };
}

/** coefficient × amount, where no amount costs nothing (a zero-rate coefficient is Infinity; ∞ × 0 is not a time). */
const term = (msPerUnit: number, units: number): number => (units > 0 ? msPerUnit * units : 0);

/**
 * One stage's step for one batch (the model's whole formula; every coefficient is in
 * StepCoefficients with its source in stepContext):
 *
 *   tokens      = decodeRequests + prefillTokens
 *   sampled     = decodeRequests + finishingPrefills              (LM head rows)
 *   GEMM rows   = rows rounded up to the kernel's token tile, in expectation (flops.ts tiledRows;
 *                 calibration.ts GEMM_TOKEN_TILE_ROWS 16, MOE_TOKEN_TILE_ROWS 16)
 *   touched     = E·(1 − (1 − k/E)^(tokens × token groups))   experts the step's tokens reach (flops.ts)
 *   compute     = linear ms/row × tiled(tokens) + LM head ms/row × tiled(sampled)
 *                 + expert ms/row × touched × tiled(tokens·groups·k ÷ touched)   (flops.ts expertGemmRows)
 *                 + Σ_window attention ms/context token × (decode + prefill context sums of that window)
 *   memory      = weights (dense + touched experts')
 *                 + Σ_window KV read ms/context token × decode context sum of that window
 *                 + state read and write-back × decodeRequests + (KV write + activations) × tokens
 *   exposed     = exposed fraction × min(GEMM MMA time, weights read time)
 *                 (calibration.ts GEMM_EFFICIENCY.weightStreamExposedFraction: the share of the smaller
 *                 of a GEMM's MMAs and its weight stream the other does not hide; fit by perfFit.ts)
 *   overhead    = step overhead + eager launches + constant-state layers × kernel floor
 *                 + host ms per sampled token × sampled   (the engine loop's per-request work)
 *                 − hidden × min(host, GPU)   with async scheduling (perf/asyncScheduling.ts):
 *                   host = step overhead (the fixed host part), GPU = the step less both host parts,
 *                   hidden = 1 − ASYNC_SCHEDULING.exposedHostFraction (calibration.ts), so
 *                   step = GPU + host − hidden × min(host, GPU) + host per sampled token × sampled
 *                        ≈ max(GPU, host) + exposed × min(GPU, host) + the per-sample host cost
 *   communication = all-reduces × (latency + bytes × ms/byte of the algorithm the engine runs at
 *                 tokens × hidden × activation bytes: comm.ts allReducePlan) + all-to-alls (affine in tokens)
 *   floor       = kernels of the stage × a kernel's floor (perf/kernelFloor.ts; calibration.ts KERNEL_FLOOR)
 *   step        = max(compute, memory, floor) + exposed + communication (collectives) + overhead   (0 for an empty batch)
 *                 (the floor's excess over max(compute, memory) is reported in overheadMs)
 *
 * Writes into `out` when given (a solver's hot path reuses one: the closed form evaluates ~40,000
 * steps per recommendation, and a fresh object per step made GC a third of its time) and returns it.
 */
export function stepTime(ctx: StepContext, batch: StepBatch, out: StepTime = newStepTime()): StepTime {
  const c = ctx.coefficients;
  const decodes = Math.max(0, batch.decodeRequests);
  const prefillTokens = Math.max(0, batch.prefillTokens);
  const tokens = decodes + prefillTokens;
  // An empty batch: nothing runs, nothing is charged (not even the fixed overhead).
  if (tokens <= 0) return setStep(out, 0, 0, 0, 0, 0);
  const sampled = decodes + Math.max(0, batch.finishingPrefills);

  // Dense GEMMs compute all `tokens` rows, rounded up to the token tile: a batch-1 decode pays one
  // tile of MMA work. The bug this guards (issue 11): the fitted M / (M + 173) utilization charged
  // it ~174× its FLOPs, so 70B on 8 × H20 decoded compute-bound (45 ms compute vs 7 ms memory).
  const linearMs = term(c.linearMsPerToken, tiledRows(tokens, GEMM_TOKEN_TILE_ROWS));
  // The LM head GEMM has one row per sampled token, not per token of the step (vLLM computes logits
  // only at logits_indices, vllm/v1/worker/gpu_model_runner.py). The bug this guards: charging it at
  // the whole step's row efficiency made adding prompt tokens to a step make it faster.
  const lmHeadMs = term(c.lmHeadMsPerSample, tiledRows(sampled, GEMM_TOKEN_TILE_ROWS));
  // Routed experts: each touched expert runs its own GEMM over the tokens routed to it, padded to
  // its tile, and its weights are read once (tokens of every replica of the EP group meet there).
  let expertGemmMs = 0;
  let expertWeightsMs = 0;
  for (const m of c.moe) {
    const groupTokens = tokens * m.tokenGroupReplicas;
    const touched = expectedDistinctExpertsFromLog(m.numExperts, m.logMissPerToken, groupTokens);
    expertGemmMs += term(m.msPerExpertRow, expertGemmRowsOfTouched(touched, Math.min(m.topK, m.numExperts), groupTokens, MOE_TOKEN_TILE_ROWS));
    expertWeightsMs += touched * m.msPerExpert;
  }
  // Attention (QKᵀ, PV) and KV reads over each window's clipped context sums.
  let attentionMs = 0;
  let kvReadMs = 0;
  for (let i = 0; i < ctx.windowsTokens.length; i += 1) {
    attentionMs +=
      term(c.decodeAttentionMsPerContextToken[i] ?? 0, batch.decodeContextTokens[i] ?? 0) +
      term(c.prefillAttentionMsPerContextToken[i] ?? 0, batch.prefillContextTokens[i] ?? 0);
    kvReadMs += term(c.kvReadMsPerContextToken[i] ?? 0, batch.decodeContextTokens[i] ?? 0);
  }
  const weightStreamMs = c.denseWeightsMs + expertWeightsMs;
  const gemmMs = linearMs + lmHeadMs + expertGemmMs;
  const computeMs = gemmMs + attentionMs;
  // The GEMMs cannot hide all of their weight stream behind their MMAs or vice versa: the exposed
  // share of the smaller of the two adds to the roofline (pipeline fill and drain of each tile wave).
  const exposedMs = GEMM_EFFICIENCY.weightStreamExposedFraction * Math.min(gemmMs, weightStreamMs);

  const memoryMs = weightStreamMs + kvReadMs + term(c.stateUpdateMsPerDecode, decodes) + tokens * c.trafficMsPerToken;

  // TP all-reduces: the algorithm the engine runs for this step's message size (comm.ts allReducePlan).
  let allReduceMs = 0;
  const ar = c.allReduceByTokens;
  for (let i = 0; i < ar.length; i += 1) {
    const s = ar[i];
    if (s !== undefined && (tokens < s.maxTokens || i === ar.length - 1)) {
      allReduceMs = s.fixedMs + tokens * s.msPerToken;
      break;
    }
  }
  const communicationMs = c.communicationFixedMs + tokens * c.communicationMsPerToken + allReduceMs;
  // Every kernel takes at least its floor: a step of thin kernels is floor-bound (perf/kernelFloor.ts).
  const rooflineMs = Math.max(computeMs, memoryMs);
  const floorExcessMs = Math.max(0, c.kernelFloorMs - rooflineMs);
  const overheadMs = c.overheadMs + c.hostMsPerSample * sampled + floorExcessMs;
  setStep(out, computeMs, memoryMs, communicationMs, overheadMs, rooflineMs + exposedMs + communicationMs + overheadMs);
  const sampledHostMs = c.hostMsPerSample * sampled;
  return hideHostPart(ctx, out, sampledHostMs, (c.sampledHostOverlapFraction ?? 0) * sampledHostMs);
}

/**
 * Async scheduling (perf/asyncScheduling.ts): the host schedules and prepares the next step while the
 * GPU runs this one, so the step's host part hides under its GPU part, at most up to the GPU's time
 * (a host-bound step stays host-bound): overhead −= hidden × min(host, GPU), GPU = the step less its
 * host parts. `serialHostMs`: the host work of the step that is serial without async scheduling; of it
 * `overlappedHostMs` is work the engine's loop also runs under the GPU with async scheduling (the
 * draft loop's host launches of a speculative step: speculative.ts speculativeStepTime). The host
 * cost per sampled token is serial: at its fitted 30 µs upper bound it stands for more than the
 * engine core's loop (the output path to the front end), and hidden too it fits to no overlap at all
 * (calibration.ts ASYNC_SCHEDULING). Without async scheduling `step` is returned unchanged. In place.
 *
 *   host = fixed host part + overlappedHostMs
 *   GPU  = step − fixed host part − serialHostMs
 *   step −= hidden × min(host, GPU)
 */
export function hideHostPart(ctx: StepContext, step: StepTime, serialHostMs: number, overlappedHostMs = 0): StepTime {
  const c = ctx.coefficients;
  const hidden = c.hostHiddenFraction ?? 0;
  if (hidden <= 0 || step.totalMs <= 0) return step;
  const hostMs = (c.hostOverheadMs ?? 0) + Math.max(0, Math.min(overlappedHostMs, serialHostMs));
  const gpuMs = step.totalMs - (c.hostOverheadMs ?? 0) - serialHostMs;
  const hiddenMs = hidden * Math.min(hostMs, Math.max(0, gpuMs));
  step.overheadMs -= hiddenMs;
  step.totalMs -= hiddenMs;
  return step;
}

/**
 * A token's step across pp pipeline stages, from one stage's step on its micro-batch (the caller
 * builds that batch: 1/pp of the replica's step, never less than one request — ppShare): pp stage
 * steps plus pp − 1 hand-offs of the micro-batch's hidden states over the TP link. vLLM keeps pp
 * micro-batches in flight (one per virtual engine); with fewer requests than stages some stages
 * idle (the pipeline bubble).
 */
export function pipelineStepTime(ctx: StepContext, stage: StepTime, replicaStepTokens: number, out: StepTime = newStepTime()): StepTime {
  const pp = ctx.cost.pp;
  if (pp <= 1) return setStep(out, stage.computeMs, stage.memoryMs, stage.communicationMs, stage.overheadMs, stage.totalMs);
  // pp − 1 hand-offs; those between nodes go over the network (crossNode.ts pipelineHandOffsMs).
  const handOffsMs = pipelineHandOffsMs((replicaStepTokens / pp) * ctx.cost.hiddenSize * ctx.cost.activationBytes, pp, ctx.rates.crossNode, ctx.rates.tpLink);
  return setStep(
    out,
    stage.computeMs * pp,
    stage.memoryMs * pp,
    stage.communicationMs * pp + handOffsMs,
    stage.overheadMs * pp,
    stage.totalMs * pp + handOffsMs,
  );
}

/** One micro-batch's share of a step's tokens over pp stages: never less than one request (the pipeline bubble). */
export function ppShare(tokens: number, pp: number): number {
  return tokens <= 0 ? 0 : Math.max(Math.min(tokens, 1), tokens / pp);
}

/**
 * Adds one request's clipped context to a batch's per-window sums: out[i] += min(contextTokens,
 * windowsTokens[i]) (a decode attends to and reads at most its window of KV).
 */
export function addClippedContextTokens(windowsTokens: readonly number[], contextTokens: number, out: Float64Array): void {
  for (let i = 0; i < windowsTokens.length; i += 1) out[i] = (out[i] ?? 0) + Math.min(contextTokens, windowsTokens[i] ?? Infinity);
}

/** Σ_{c=1..n} min(c, w): the causal context of a prompt's first n tokens under window w. */
function causalContextTokens(n: number, windowTokens: number): number {
  if (n <= 0) return 0;
  if (n <= windowTokens) return (n * (n + 1)) / 2;
  const w = windowTokens;
  return (w * (w + 1)) / 2 + (n - w) * w;
}

/**
 * Adds one prompt chunk's attention context to a batch's per-window sums: prompt positions
 * start..start+chunk−1 (0-based) each attend to min(position + 1, window) tokens (causal), so
 * out[i] += Σ min(pos + 1, w) = S(start + chunk) − S(start), S(n) = Σ_{c=1..n} min(c, w) in closed form.
 */
export function addPrefillChunkContextTokens(windowsTokens: readonly number[], startPositionTokens: number, chunkTokens: number, out: Float64Array): void {
  const start = Math.max(0, startPositionTokens);
  const end = start + Math.max(0, chunkTokens);
  for (let i = 0; i < windowsTokens.length; i += 1) {
    const w = windowsTokens[i] ?? Infinity;
    out[i] = (out[i] ?? 0) + causalContextTokens(end, w) - causalContextTokens(start, w);
  }
}

/**
 * One operating point: a model on a GPU type and layout, served by an engine, under a workload.
 * Splits the client load over dp replicas, runs the replica model (serving.ts) on the step model
 * (step.ts) and turns the result into throughput, cost and energy.
 */
import type {
  Bottleneck,
  GpuSpec,
  Layout,
  MemoryPlan,
  ModelArch,
  PerfEstimate,
  QuantizationInfo,
  ServingEngine,
  ServingOptions,
  ServingSettings,
  SloLimits,
  Workload,
} from '../types';
import type { ModelCaches, QuantizationResult } from '../cache/modelCaches';
import { newModelCaches, quantizationFor } from '../cache/modelCaches';
import { costServingKey, layoutKey } from '../cache/cacheKeys';
import { joinKeys } from '../cache/keys';
import { DEFAULT_BENCHMARK_NUM_REQUESTS, EAGER_LAUNCH_OVERHEAD_PER_LAYER_MS, ENGINE_EFFICIENCY } from '../calibration';
import type { ModelCost } from './modelCost';
import { buildModelCost } from './modelCost';
import { hardwareRates, stepContext } from './step';
import { kvReadBytesPerRequest } from './bytes';
import type { ReplicaLimits, ReplicaPerf } from './serving';
import { considerPoint, meetsSlo, newPickState, pickedPoint } from './sweep';
import { newReplicaPerf, replicaPerf, replicaPerfInto } from './serving';

export interface EstimatePerfInput {
  arch: ModelArch;
  gpu: GpuSpec;
  layout: Layout;
  serving: ServingOptions;
  workload: Workload;
  engine: ServingEngine;
  memory: MemoryPlan;
  /** USD per GPU-hour; absent = the catalog's reference price. */
  priceUsdPerHour?: number;
}

const SECONDS_PER_HOUR = 3600;
const TOKENS_PER_MILLION = 1e6;

/** The quantization the perf model uses: the requested precision, or the checkpoint's own when that fails. */
export function perfQuantization(quantization: QuantizationResult, arch: ModelArch): QuantizationInfo {
  return quantization.ok ? quantization.value : arch.quantization;
}

/**
 * Per-model aggregates for a replica's layout (the GPU enters later), kept in the caches
 * (cache/modelCaches.ts modelCosts): every GPU, sweep point and call of a session shares them.
 * dp matters only with expert parallelism (experts spread over tp × dp).
 */
export function modelCostFor(caches: ModelCaches, serving: ServingOptions | ServingSettings, layout: Layout): ModelCost {
  const replica: Layout = layout.ep ? layout : { tp: layout.tp, pp: layout.pp, dp: 1, ep: false };
  return caches.modelCosts.getOrCompute(joinKeys(costServingKey(serving), layoutKey(replica)), () =>
    buildModelCost(caches.arch, perfQuantization(quantizationFor(caches, serving.weightPrecision), caches.arch), replica, caches.distinctLayers),
  );
}

/** How many requests of isl + osl tokens the KV pool of one replica holds (per GPU pool ÷ per-request bytes). */
export function kvCapacityRequests(memory: MemoryPlan, contextTokens: number): number {
  const perRequest = kvReadBytesPerRequest(memory.kvGroups, contextTokens);
  if (perRequest <= 0) return Number.POSITIVE_INFINITY;
  return Math.floor(memory.kvCacheBytesPerGpu / perRequest);
}

/** One estimate from scratch (nothing kept); an engine session (../session.ts) caches the model cost. */
export function estimatePerf(input: EstimatePerfInput): PerfEstimate {
  return estimatePerfWithCost(input, modelCostFor(newModelCaches(input.arch), input.serving, input.layout));
}

export function estimatePerfWithCost(input: EstimatePerfInput, cost: ModelCost): PerfEstimate {
  const w = input.workload;
  return perfEstimator(input, cost, w.inputTokens, w.outputTokens)(w.concurrency, w.numRequests);
}

/**
 * The load-independent part of one configuration, per data-parallel replica: the step context
 * (hardware rates, per-request KV bytes, attention at the workload's context) and the replica's
 * admission limits. A replica does not depend on dp unless experts are spread over the replicas
 * (EP), so the recommender builds one per (GPU, tp, pp) and shares it between the dp variants.
 */
export type ReplicaModel = ReplicaLimits;

export function replicaModel(
  input: Pick<EstimatePerfInput, 'gpu' | 'serving' | 'engine' | 'memory'>,
  cost: ModelCost,
  inputTokens: number,
  outputTokens: number,
): ReplicaModel {
  const { gpu, serving, engine, memory } = input;
  const isl = Math.max(0, inputTokens);
  const osl = Math.max(1, outputTokens);
  const rates = hardwareRates(gpu, engine, cost);
  const eagerMs = serving.enforceEager ? EAGER_LAUNCH_OVERHEAD_PER_LAYER_MS * cost.layersPerStage : 0;
  const kvRequests = kvCapacityRequests(memory, isl + osl);
  const seqLimit = Math.max(1, serving.maxNumSeqs);
  return {
    ctx: stepContext(cost, rates, memory.kvGroups, isl, isl + osl / 2, eagerMs),
    inputTokens: isl,
    outputTokens: osl,
    maxRunning: Math.max(1, Math.min(seqLimit, kvRequests)),
    kvLimited: kvRequests < seqLimit,
    maxNumBatchedTokens: serving.maxNumBatchedTokens,
    requestOverheadMs: ENGINE_EFFICIENCY[engine].requestOverheadMs,
  };
}

/**
 * One replica under a load: `perReplica` closed-loop requests, or a burst of that many.
 * `guessPerRunning`: admissions per step per running request of a nearby load (a sweep's previous
 * point), where the steady-state solve starts; the answer does not depend on it beyond its tolerance.
 */
export function runReplica(m: ReplicaModel, kind: 'closed-loop' | 'burst', perReplica: number, guessPerRunning?: number): ReplicaPerf {
  return replicaPerf(m, kind, Math.max(1, perReplica), guessPerRunning);
}

/** One replica at each closed-loop concurrency of a sweep (ascending), each solve started from the previous point's. */
export function runReplicaSweep(m: ReplicaModel, points: readonly number[]): ReplicaPerf[] {
  const out: ReplicaPerf[] = [];
  let guess: number | undefined;
  for (const c of points) {
    const r = runReplica(m, 'closed-loop', c, guess);
    guess = nextGuess(r);
    out.push(r);
  }
  return out;
}

/** Where the next sweep point's solve starts: this point's admissions per step per running request. */
const nextGuess = (r: ReplicaPerf): number => r.admittedPerStep / Math.max(1, r.runningRequests);

const scratchPerf: ReplicaPerf = newReplicaPerf();

/**
 * The operating point of a replica's closed-loop sweep under an SLO (sweep.ts considerPoint: the
 * highest requests/s meeting it, else the lowest E2E), solved point by point as runReplicaSweep does
 * but keeping only the points that can still win: the result equals runReplicaSweep(m, points)[index]
 * bit for bit, without a result object per point (a recommendation sweeps ~700 replicas).
 */
export function pickReplicaPoint(m: ReplicaModel, points: readonly number[], slo: SloLimits): { index: number; meetsSlo: boolean; result: ReplicaPerf } | null {
  const state = newPickState();
  const best = newReplicaPerf();
  const lowest = newReplicaPerf();
  let guess: number | undefined;
  for (let i = 0; i < points.length; i += 1) {
    const r = replicaPerfInto(m, 'closed-loop', Math.max(1, points[i] ?? 1), guess, scratchPerf);
    const slot = considerPoint(state, i, meetsSlo(r, slo), r.requestsPerS, r.e2eMs);
    if (slot === 'best') copyReplicaPerf(r, best);
    else if (slot === 'lowest') copyReplicaPerf(r, lowest);
    guess = nextGuess(r);
  }
  const pick = pickedPoint(state);
  return pick === null ? null : { ...pick, result: pick.meetsSlo ? best : lowest };
}

function copyReplicaPerf(from: ReplicaPerf, to: ReplicaPerf): void {
  to.runningRequests = from.runningRequests;
  to.ttftMs = from.ttftMs;
  to.itlMs = from.itlMs;
  to.e2eMs = from.e2eMs;
  to.requestsPerS = from.requestsPerS;
  to.prefillMs = from.prefillMs;
  to.queueMs = from.queueMs;
  Object.assign(to.decodeStep, from.decodeStep);
  to.kvBound = from.kvBound;
  to.admittedPerStep = from.admittedPerStep;
}

/** What turns replica results into a configuration's figures: the replica's lengths, GPUs, price, power. */
export interface FleetTerms {
  inputTokens: number;
  outputTokens: number;
  gpuCount: number;
  costUsdPerHour: number;
  /** Board power of the whole configuration, W (every GPU at TDP: an APPROXIMATION). */
  powerWatts: number;
}

export function fleetTerms(gpu: GpuSpec, layout: Layout, m: Pick<ReplicaModel, 'inputTokens' | 'outputTokens'>, priceUsdPerHour?: number): FleetTerms {
  const gpuCount = layout.tp * layout.pp * Math.max(1, layout.dp);
  return {
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    gpuCount,
    costUsdPerHour: gpuCount * (priceUsdPerHour ?? gpu.priceUsdPerHour),
    powerWatts: gpuCount * gpu.tdpWatts,
  };
}

/**
 * Replicas that have work: a client load of `requests` spreads over at most `requests` of the dp
 * replicas (the others idle, still paid for). The bug this guards: concurrency 1 on dp = 8 counted
 * 8 running requests and 8× the throughput.
 */
export function busyReplicas(dp: number, requests: number): number {
  return Math.max(1, Math.min(Math.max(1, dp), Math.ceil(requests)));
}

/** A configuration's estimate from one replica's result and the number of replicas running like it. */
export function assembleEstimate(r: ReplicaPerf, busy: number, f: FleetTerms): PerfEstimate {
  const requestsPerS = r.requestsPerS * busy;
  const outputTokensPerS = requestsPerS * f.outputTokens;
  const step = r.decodeStep;
  return {
    effectiveConcurrency: r.runningRequests * busy,
    ttftMs: safe(r.ttftMs),
    itlMs: safe(r.itlMs),
    e2eMs: safe(r.e2eMs),
    outputTokensPerS: safe(outputTokensPerS),
    totalTokensPerS: safe(requestsPerS * (f.inputTokens + f.outputTokens)),
    requestsPerS: safe(requestsPerS),
    outputTokensPerSPerGpu: safe(outputTokensPerS / f.gpuCount),
    bottleneck: bottleneckOf(r.kvBound, step.computeMs, step.memoryMs, step.communicationMs),
    decodeStep: {
      computeMs: safe(step.computeMs),
      memoryMs: safe(step.memoryMs),
      communicationMs: safe(step.communicationMs),
      overheadMs: safe(step.overheadMs),
    },
    prefillMs: safe(r.prefillMs),
    queueMs: safe(r.queueMs),
    costUsdPerHour: safe(f.costUsdPerHour),
    usdPerMillionOutputTokens:
      outputTokensPerS > 0 ? safe((f.costUsdPerHour / (outputTokensPerS * SECONDS_PER_HOUR)) * TOKENS_PER_MILLION) : 0,
    // APPROXIMATION: every GPU draws its TDP while serving (datasheet board power, not measured draw).
    joulesPerOutputToken: outputTokensPerS > 0 ? safe(f.powerWatts / outputTokensPerS) : 0,
  };
}

/**
 * Everything that does not depend on the load, computed once (replicaModel, fleetTerms). Returns
 * the estimate as a function of the load: the client's concurrency (or a finite all-at-once run of
 * numRequests) is split evenly over the replicas that get work.
 */
export function perfEstimator(
  input: Omit<EstimatePerfInput, 'workload'>,
  cost: ModelCost,
  inputTokens: number,
  outputTokens: number,
): (concurrency: number | 'max', numRequests?: number) => PerfEstimate {
  const m = replicaModel(input, cost, inputTokens, outputTokens);
  const f = fleetTerms(input.gpu, input.layout, m, input.priceUsdPerHour);
  const dp = Math.max(1, input.layout.dp);
  return (concurrency, numRequests) => {
    const requests = concurrency === 'max' ? Math.max(1, numRequests ?? DEFAULT_BENCHMARK_NUM_REQUESTS) : Math.max(1, concurrency);
    const busy = busyReplicas(dp, requests);
    return assembleEstimate(runReplica(m, concurrency === 'max' ? 'burst' : 'closed-loop', requests / busy), busy, f);
  };
}

/** Outputs are finite and ≥ 0 by contract: anything else (a division by zero upstream) reads 0. */
const safe = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);

function bottleneckOf(kvBound: boolean, computeMs: number, memoryMs: number, communicationMs: number): Bottleneck {
  if (kvBound) return 'kv-capacity';
  if (communicationMs > Math.max(computeMs, memoryMs)) return 'communication';
  return computeMs >= memoryMs ? 'compute' : 'memory';
}

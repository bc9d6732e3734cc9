/**
 * One operating point: a model on a GPU type and layout, served by an engine, under a workload.
 * Splits the client load over dp replicas, runs the replica model (serving.ts) on the step model
 * (step.ts) and turns the result into throughput, cost and energy.
 */
import { SCHEDULER_POLICIES } from '../sim/policy';
import { batchLimits } from './engineLimits';
import type {
  ApiFrontend,
  Bottleneck,
  GpuSpec,
  Layout,
  MemoryPlan,
  ModelArch,
  PerfError,
  PerfEstimate,
  PerfFigureField,
  PerfNumberField,
  QuantizationInfo,
  ServingEngine,
  ResolvedServingOptions,
  ServingSettings,
  SloLimits,
  Workload,
} from '../types';
import type { ModelCaches, QuantizationResult } from '../cache/modelCaches';
import { newModelCaches, quantizationFor } from '../cache/modelCaches';
import { costServingKey, layoutKey } from '../cache/cacheKeys';
import { joinKeys } from '../cache/keys';
import { DEFAULT_BENCHMARK_NUM_REQUESTS, EAGER_LAUNCH_OVERHEAD_PER_LAYER_MS, requestOverheadMs } from '../calibration';
import type { ModelCost } from './modelCost';
import { buildModelCost } from './modelCost';
import { hardwareRates, stepContext } from './step';
import { asyncSchedulingActive, draftingMethod } from './asyncScheduling';
import { kvReadBytesPerRequest } from './bytes';
import { prefixCacheUse, sharedPrefixKvBytes } from './prefixCache';
import { usdPerMillionTokens } from './cost';
import type { ReplicaLimits, ReplicaPerf } from './serving';
import { considerPoint, meetsSlo, newPickState, pickedPoint } from './sweep';
import { meanContextTokens, newReplicaPerf, replicaPerf } from './serving';
import type { SpeculativeModel } from './speculative';
import { speculativeForEngine } from './speculative';

export interface EstimatePerfInput {
  arch: ModelArch;
  gpu: GpuSpec;
  layout: Layout;
  serving: ResolvedServingOptions;
  workload: Workload;
  engine: ServingEngine;
  memory: MemoryPlan;
  /** The request front end (TTFT's per-request cost); absent = the engine's OpenAI-compatible server. */
  frontend?: ApiFrontend;
  /** USD per GPU-hour; absent = the catalog's reference price. */
  priceUsdPerHour?: number;
  /**
   * Speculative decoding (speculative.ts resolveSpeculative); absent = none. `memory` should then be
   * the plan with the draft loaded (speculative.ts speculativeMemoryPlan).
   */
  speculative?: SpeculativeModel;
}

/** The quantization the perf model uses: the requested precision, or the checkpoint's own when that fails. */
export function perfQuantization(quantization: QuantizationResult, arch: ModelArch): QuantizationInfo {
  return quantization.ok ? quantization.value : arch.quantization;
}

/**
 * Per-model aggregates for a replica's layout (the GPU enters later), kept in the caches
 * (cache/modelCaches.ts modelCosts): every GPU, sweep point and call of a session shares them.
 * dp matters only with expert parallelism (experts spread over tp × dp).
 */
export function modelCostFor(caches: ModelCaches, serving: ResolvedServingOptions | ServingSettings, layout: Layout): ModelCost {
  const replica: Layout = layout.ep ? layout : { tp: layout.tp, pp: layout.pp, dp: 1, ep: false };
  return caches.modelCosts.getOrCompute(joinKeys(costServingKey(serving), layoutKey(replica)), () =>
    buildModelCost(caches.arch, perfQuantization(quantizationFor(caches, serving.weightPrecision), caches.arch), replica, caches.distinctLayers),
  );
}

/**
 * How many requests of isl + osl tokens the KV pool of one replica holds (per GPU pool ÷ per-request
 * bytes). `sharedPrefixTokens` of every request's context are held once (prefixCache.ts): they leave
 * the pool once and each request's demand; 0 gives the plain quotient.
 */
export function kvCapacityRequests(memory: MemoryPlan, contextTokens: number, sharedPrefixTokens = 0): number {
  const sharedBytes = sharedPrefixKvBytes(memory.kvGroups, sharedPrefixTokens);
  const perRequest = kvReadBytesPerRequest(memory.kvGroups, contextTokens) - sharedBytes;
  if (perRequest <= 0) return Number.POSITIVE_INFINITY;
  return Math.floor((memory.kvCacheBytesPerGpu - sharedBytes) / perRequest);
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
  input: Pick<EstimatePerfInput, 'gpu' | 'serving' | 'engine' | 'memory' | 'frontend' | 'speculative'>,
  cost: ModelCost,
  inputTokens: number,
  outputTokens: number,
): ReplicaModel {
  const { gpu, serving, engine, memory } = input;
  const isl = Math.max(0, inputTokens);
  const osl = Math.max(1, outputTokens);
  const rates = hardwareRates(gpu, engine, cost, { disableCustomAllReduce: serving.disableCustomAllReduce });
  const eagerMs = serving.enforceEager ? EAGER_LAUNCH_OVERHEAD_PER_LAYER_MS * cost.layersPerStage : 0;
  // Prefix caching (prefixCache.ts): the prefill computes only the uncached suffix; the shared prefix sits in the pool once.
  const prefix = prefixCacheUse(serving.prefixCache, engine, isl, memory.blockSizeTokens);
  const kvRequests = kvCapacityRequests(memory, isl + osl, prefix.sharedPoolTokens);
  // The planning engine's own caps (SGLang / TensorRT-LLM: their plan's; vLLM: max_num_seqs, engineLimits.ts).
  const limits = batchLimits(serving, memory);
  const seqLimit = Math.max(1, limits.maxRunningRequests);
  // vLLM's async scheduling hides the step's host work under its GPU work (asyncScheduling.ts).
  // (A draft of no tokens is plain decoding: speculativeStepTime then prices the plain step.)
  const ctx = stepContext(cost, rates, memory.kvGroups, eagerMs, asyncSchedulingActive(serving, engine, cost.pp, draftingMethod(input.speculative)));
  return {
    ctx,
    inputTokens: isl,
    outputTokens: osl,
    cachedPrefixTokens: prefix.cachedTokensPerRequest,
    ...meanContextTokens(ctx, isl, osl, prefix.cachedTokensPerRequest),
    maxRunning: Math.max(1, Math.min(seqLimit, kvRequests)),
    kvLimited: kvRequests < seqLimit,
    maxNumBatchedTokens: limits.maxBatchedTokens,
    requestOverheadMs: requestOverheadMs(engine, input.frontend),
    ...(input.speculative === undefined ? {} : { spec: speculativeForEngine(input.speculative, engine) }),
    // The scheduler's rule the simulator runs (sim/policy.ts); only SGLang's differs from the default.
    ...(SCHEDULER_POLICIES[engine].prefillWithDecodes ? {} : { prefillWithDecodes: false }),
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

/**
 * The operating point of a replica's closed-loop sweep under an SLO (sweep.ts considerPoint: the
 * highest requests/s meeting it, else the lowest E2E).
 */
export function pickReplicaPoint(
  m: ReplicaModel,
  points: readonly number[],
  slo: SloLimits,
  /** The sweep's results at `points` when the caller already has them (runReplicaSweep). */
  results: readonly ReplicaPerf[] = runReplicaSweep(m, points),
): { index: number; meetsSlo: boolean; result: ReplicaPerf } | null {
  const state = newPickState();
  results.forEach((r, i) => considerPoint(state, i, meetsSlo(r, slo), r.requestsPerS, r.e2eMs));
  const pick = pickedPoint(state);
  const result = pick === null ? undefined : results[pick.index];
  return pick === null || result === undefined ? null : { ...pick, result };
}

/** Reused by sweepPick: one result every point of a sweep is written into, and each point's solve start. */
const scratchSweepPerf: ReplicaPerf = newReplicaPerf();
const scratchSweepGuesses: number[] = [];

/**
 * pickReplicaPoint over a sweep it runs itself, keeping only what the pick and its caller read: the
 * points are solved into one reused result (filledPerf), and only the first point (one request: the
 * lightest load, returned as `first` when it is 1) and the picked one get an object of their own.
 * The picked point is solved again from the same start as in the sweep (runReplicaSweep's guess
 * chain), so its figures are bit-identical to runReplicaSweep's at that index.
 */
export function sweepPick(
  m: ReplicaModel,
  points: readonly number[],
  slo: SloLimits,
): { pick: { index: number; meetsSlo: boolean; result: ReplicaPerf } | null; first: ReplicaPerf | undefined } {
  const state = newPickState();
  const guesses = scratchSweepGuesses;
  let first: ReplicaPerf | undefined;
  let guess: number | undefined;
  for (let i = 0; i < points.length; i += 1) {
    const c = points[i] ?? 1;
    guesses[i] = guess ?? Number.NaN;
    const r = i === 0 ? (first = runReplica(m, 'closed-loop', c, guess)) : replicaPerf(m, 'closed-loop', Math.max(1, c), guess, scratchSweepPerf);
    considerPoint(state, i, meetsSlo(r, slo), r.requestsPerS, r.e2eMs);
    guess = nextGuess(r);
  }
  const picked = pickedPoint(state);
  if (picked === null || first === undefined) return { pick: null, first };
  const start = guesses[picked.index] ?? Number.NaN;
  const result = picked.index === 0 ? first : runReplica(m, 'closed-loop', points[picked.index] ?? 1, Number.isNaN(start) ? undefined : start);
  return { pick: { ...picked, result }, first: points[0] === 1 ? first : undefined };
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
  const estimate: PerfEstimate = {
    effectiveConcurrency: r.runningRequests * busy,
    ttftMs: r.ttftMs,
    itlMs: r.itlMs,
    e2eMs: r.e2eMs,
    outputTokensPerS,
    totalTokensPerS: requestsPerS * (f.inputTokens + f.outputTokens),
    requestsPerS,
    outputTokensPerSPerGpu: outputTokensPerS / f.gpuCount,
    bottleneck: bottleneckOf(r.kvBound, step.computeMs, step.memoryMs, step.communicationMs),
    decodeStep: {
      computeMs: step.computeMs,
      memoryMs: step.memoryMs,
      communicationMs: step.communicationMs,
      overheadMs: step.overheadMs,
    },
    prefillMs: r.prefillMs,
    queueMs: r.queueMs,
    costUsdPerHour: f.costUsdPerHour,
    // No output, no price per token: a serving estimate always produces tokens, so Infinity here
    // is an engine error (perfError names it), never a $0 row.
    usdPerMillionOutputTokens: usdPerMillionTokens(f.costUsdPerHour, outputTokensPerS) ?? Infinity,
    // APPROXIMATION: every GPU draws its TDP while serving (datasheet board power, not measured draw).
    joulesPerOutputToken: f.powerWatts / outputTokensPerS,
    perfError: null,
  };
  estimate.perfError = invalidFigure(estimate);
  return estimate;
}

/** The figures perfError checks, in the order it reports the first bad one (what a reader sees first). */
const CHECKED_FIGURES = [
  'ttftMs',
  'itlMs',
  'e2eMs',
  'outputTokensPerS',
  'totalTokensPerS',
  'requestsPerS',
  'outputTokensPerSPerGpu',
  'effectiveConcurrency',
  'prefillMs',
  'queueMs',
  'costUsdPerHour',
  'usdPerMillionOutputTokens',
  'joulesPerOutputToken',
] as const satisfies readonly PerfFigureField[];
// Compile-time check that every number-valued figure is checked: adding one to PerfEstimate
// without listing it above fails here.
type UncheckedFigure = Exclude<PerfNumberField, (typeof CHECKED_FIGURES)[number]>;
const everyFigureChecked: [UncheckedFigure] extends [never] ? true : UncheckedFigure = true;
void everyFigureChecked;
const CHECKED_STEP_PARTS = ['computeMs', 'memoryMs', 'communicationMs', 'overheadMs'] as const satisfies readonly (keyof PerfEstimate['decodeStep'])[];

/** The first figure that breaks the contract (finite and ≥ 0) as a typed error, or null. */
export function invalidFigure(e: Omit<PerfEstimate, 'perfError'>): PerfError | null {
  for (const field of CHECKED_FIGURES) {
    const error = checkFigure(field, e[field]);
    if (error !== null) return error;
  }
  for (const part of CHECKED_STEP_PARTS) {
    const error = checkFigure(`decodeStep.${part}`, e.decodeStep[part]);
    if (error !== null) return error;
  }
  return null;
}

function checkFigure(field: PerfFigureField, value: number): PerfError | null {
  if (Number.isNaN(value)) return { kind: 'invalid-figure', field, reason: 'not-a-number', value };
  if (!Number.isFinite(value)) return { kind: 'invalid-figure', field, reason: 'infinite', value };
  if (value < 0) return { kind: 'invalid-figure', field, reason: 'negative', value };
  return null;
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

function bottleneckOf(kvBound: boolean, computeMs: number, memoryMs: number, communicationMs: number): Bottleneck {
  if (kvBound) return 'kv-capacity';
  if (communicationMs > Math.max(computeMs, memoryMs)) return 'communication';
  return computeMs >= memoryMs ? 'compute' : 'memory';
}

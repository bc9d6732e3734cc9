/**
 * The engine session: one parsed model (+ the GPUs to consider) and every cache the engine keeps
 * for it (cache/modelCaches.ts, typed fields keyed by cache/cacheKeys.ts). The worker creates one
 * per model it is sent (worker/compute.ts), the CLI one per command, the validation scripts one per
 * model; everything that plans or estimates repeatedly goes through it, so moving a workload or SLO
 * input re-ranks without re-planning, and nothing is cached anywhere else (no module-level or
 * per-object caches).
 *
 * Bounded: each cache keeps MAX_CACHE_ENTRIES entries and then drops its oldest (boundedCache.ts);
 * a session dies with its model (a new model, or an edited custom GPU list, is a new session).
 */
import type { GpuSpec, Layout, MemoryPlan, ModelArch, PerfEstimate, RecommendRequest, RecommendResult, ResolvedServingOptions, ServingSettings } from './types';
import { GPU_CATALOG } from './catalog/gpus';
import type { ModelCaches } from './cache/modelCaches';
import { newModelCaches } from './cache/modelCaches';
import { cachedPlan, gpuServingKeyOf, invalidRequestResult, recommendIn, sweepFor, withResolvedSpeculative } from './recommend';
import type { EstimatePerfInput } from './perf/estimatePerf';
import { estimatePerfWithCost, modelCostFor } from './perf/estimatePerf';
import type { ModelCost } from './perf/modelCost';
import type { SweepPoint } from './perf/sweep';
import type { ConfigurationSimResult, SimulateInput } from './sim/simulateConfiguration';
import { simulateConfiguration } from './sim/simulateConfiguration';
import type { CapacityInput } from './sim/capacity';
import { planCapacity } from './sim/capacity';
import { candidateCapacityIn, candidateRateCurveIn, recommendAtRateIn } from './recommendAtRate';
import type { RateLatencyPoint } from './sim/capacity';
import type { CapacityPlan, TargetLoad } from './types';
import { adviseIn } from './fixes';
import { verdictOf } from './verdict';
import { judgeAtTargetRate } from './sloJudgement';

export interface EngineSessionOptions {
  /** GPUs a recommendation considers (the catalog plus the user's own); default the catalog. */
  gpus?: readonly GpuSpec[];
}

/** One estimate's inputs without the model (the session's) and with the plan optional (planned when absent). */
export type SessionEstimateInput = Omit<EstimatePerfInput, 'arch' | 'memory'> & { memory?: MemoryPlan };

/** One simulation's inputs without the model (the session's) and with the plan optional (planned when absent). */
export type SessionSimulateInput = Omit<SimulateInput, 'memory'> & { memory?: MemoryPlan };

/** One capacity plan's inputs without the model (the session's) and with the plan optional (planned when absent). */
export type SessionCapacityInput = Omit<CapacityInput, 'memory'> & { memory?: MemoryPlan };

export interface EngineSession {
  readonly arch: ModelArch;
  readonly gpus: readonly GpuSpec[];
  /**
   * Every GPU type × layout within the request's budget, ranked (recommend.ts); with a target load
   * (request.load) a capacity plan ranked by the cost of serving it (recommendAtRate.ts).
   */
  recommend(request: RecommendRequest, clock?: () => number): RecommendResult;
  /** The recommendation with its advice: per-row fixes (fixes.ts) and the verdict (verdict.ts). */
  recommendWithAdvice(request: RecommendRequest, clock?: () => number): RecommendResult;
  /** vLLM's start-up memory plan of one GPU (memory/planMemory.ts), cached. */
  plan(gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions): MemoryPlan;
  /** One operating point (perf/estimatePerf.ts) on a cached plan and model cost. */
  estimate(input: SessionEstimateInput): PerfEstimate;
  /** The per-layout model aggregates the step model reads (perf/modelCost.ts), cached. */
  modelCost(serving: ResolvedServingOptions | ServingSettings, layout: Layout): ModelCost;
  /** The full concurrency sweep of one configuration of a recommendation (a row whose sweep was omitted). */
  sweep(request: RecommendRequest, gpu: GpuSpec, layout: Layout): SweepPoint[];
  /** Entries per cache now (tests of the bound, `npm run bench`). */
  cacheSizes(): Readonly<Record<CacheName, number>>;
  /** One configuration under a simulated load (sim/simulateConfiguration.ts), on a cached plan and model cost. */
  simulate(input: SessionSimulateInput): ConfigurationSimResult;
  /** What serving a target rate within percentile SLOs takes on one configuration (sim/capacity.ts). */
  capacity(input: SessionCapacityInput): CapacityPlan;
  /** One row of a recommendation at a target load: its capacity plan (null when it does not fit). */
  candidateCapacity(request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout): CapacityPlan | null;
  /** One row's latency percentiles against the offered rate, to its capacity ([] when it does not fit). */
  rateCurve(request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout): RateLatencyPoint[];
}

const CACHE_NAMES = ['layoutRejection', 'layerShares', 'kvSpecs', 'kvLayout', 'preparedByGeneration', 'prepared', 'plans', 'keyIds', 'modelCosts', 'replicaRates'] as const satisfies readonly (keyof ModelCaches)[];
export type CacheName = (typeof CACHE_NAMES)[number];

export function createEngineSession(arch: ModelArch, options: EngineSessionOptions = {}): EngineSession {
  const caches = newModelCaches(arch);
  const gpus = options.gpus ?? GPU_CATALOG;
  const plan = (gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions): MemoryPlan =>
    cachedPlan(caches, gpu, gpuServingKeyOf(caches, gpu, serving), layout, serving);
  // With a target load (request.load) the ranking is the capacity plan's (recommendAtRate.ts).
  const rankOf = (request: RecommendRequest, clock?: () => number): RecommendResult =>
    request.load !== undefined && request.load !== null ? recommendAtRateIn(caches, request, gpus, clock) : recommendIn(caches, request, gpus, clock);
  // The page's speculativeSettings, resolved against this model (recommend.ts withResolvedSpeculative) on every path.
  const resolved = (request: RecommendRequest): RecommendRequest | null => {
    const r = withResolvedSpeculative(arch, request);
    return r.ok ? r.value : null;
  };
  const recommendOf = (asked: RecommendRequest, clock?: () => number): { request: RecommendRequest; result: RecommendResult } => {
    const r = withResolvedSpeculative(arch, asked);
    return r.ok ? { request: r.value, result: rankOf(r.value, clock) } : { request: asked, result: invalidRequestResult(r.error) };
  };
  return {
    arch,
    gpus,
    recommend: (request, clock) => recommendOf(request, clock).result,
    recommendWithAdvice(asked, clock) {
      const { request, result } = recommendOf(asked, clock);
      const advice = result.candidates.length === 0 ? undefined : adviseIn(caches, request, result, gpus);
      const withAdvice = advice === undefined ? result : { ...result, advice };
      // A target rate: rows judged on their simulated percentiles where planned (sloJudgement.ts).
      const load = request.load ?? null;
      if (load !== null) return judgeAtTargetRate(withAdvice, request, load, { gpus, advice });
      return { ...withAdvice, verdict: verdictOf(result, request, { gpus, advice }) };
    },
    plan,
    estimate(input) {
      const memory = input.memory ?? plan(input.gpu, input.layout, input.serving);
      return estimatePerfWithCost({ ...input, arch, memory }, modelCostFor(caches, input.serving, input.layout));
    },
    modelCost: (serving, layout) => modelCostFor(caches, serving, layout),
    sweep(asked, gpu, layout) {
      const request = resolved(asked);
      return request === null ? [] : sweepFor(caches, request, gpu, layout);
    },
    cacheSizes() {
      const sizes = {} as Record<CacheName, number>;
      for (const name of CACHE_NAMES) sizes[name] = caches[name].size;
      return sizes;
    },
    simulate(input) {
      const memory = input.memory ?? plan(input.gpu, input.layout, input.serving);
      return simulateConfiguration({ ...input, memory }, modelCostFor(caches, input.serving, input.layout));
    },
    capacity(input) {
      const memory = input.memory ?? plan(input.gpu, input.layout, input.serving);
      return planCapacity({ ...input, memory }, modelCostFor(caches, input.serving, input.layout));
    },
    candidateCapacity(asked, target, gpuId, layout) {
      const request = resolved(asked);
      return request === null ? null : candidateCapacityIn(caches, gpus, request, target, gpuId, layout);
    },
    rateCurve(asked, target, gpuId, layout) {
      const request = resolved(asked);
      return request === null ? [] : candidateRateCurveIn(caches, gpus, request, target, gpuId, layout);
    },
  };
}

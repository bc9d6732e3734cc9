/**
 * [disagg] The P/D recommendation at a target rate (issue 12 item 1, CLI `recommend --disagg`):
 * for every pair of a prefill GPU type and a decode GPU type, the pool layouts and replica counts
 * that serve the rate within the percentile SLOs at the least cost (sizeDisagg.ts), with aggregated
 * serving of the same rate on the decode pool's shape beside it (at the same GPU count, and its own
 * capacity plan).
 *
 * Layouts: one engine replica per pool replica, TP 1, 2, 4 or 8 within the GPU's NVLink domain, and
 * for MoE models also wide expert parallelism — DP 2, 4 or 8 attention ranks at TP 1 with the experts
 * over all of them (vLLM --data-parallel-size N --enable-expert-parallel, the shape SGLang's and
 * llm-d's large-scale P/D deployments run, e.g. DeepSeek-R1 with EP decode); no PP (APPROXIMATION: a
 * model that needs PP or a multi-node EP replica to fit is left to `estimate --disagg`).
 * To keep the search short each GPU keeps, per role, the DISAGG_LAYOUTS_PER_GPU layouts with the
 * lowest cost per unit of capacity ($/h per replica ÷ the all-at-once throughput of one replica, the
 * pool's own lower bound); the pairs share their pools' runs (sizeDisagg.ts PoolRunCache).
 */
import type { GpuSpec, Layout, MemoryPlan, ServingEngine, ServingSettings, SpeculativeModel, TargetLoad } from '../types';
import { speculativeMemoryPlan } from '../perf/speculative';
import type { Result } from '../result';
import { err, ok } from '../result';
import type { EngineSession } from '../session';
import type { LengthDistribution } from '../sim/load';
import { CAPACITY_NUM_REQUESTS } from '../sim/capacity';
import { resolveServing } from '../defaults';
import { withEngine } from '../memory/engines/planEngineMemory';
import { validTpSizes } from '../memory/layouts';
import type { DisaggPool, DisaggWorkload } from './simulateDisagg';
import type { DisaggRouting } from './routing';
import { gpusPerReplica } from './simulateDisagg';
import { disaggLayoutProblem } from './compatibility';
import type { AggregatedComparison, DisaggSearch } from './sizeDisagg';
import { compareAggregated, newPoolRunCache, poolCapacityRequestsPerS, poolKey, sizeDisagg } from './sizeDisagg';

/** Layouts kept per GPU type and role (the cheapest per unit of capacity): 2 keeps a search of 2 × 2 GPU types near a few seconds. */
export const DISAGG_LAYOUTS_PER_GPU = 2;
const TP_SIZES = [1, 2, 4, 8] as const;
/** DP ranks of the expert-parallel layouts tried for MoE models (TP 1 each, within one NVLink domain). */
const EP_DP_SIZES = [2, 4, 8] as const;

export interface DisaggRecommendRequest {
  inputTokens: number;
  outputTokens: number;
  target: TargetLoad;
  serving: ServingSettings;
  engine: ServingEngine;
  prefillGpus: readonly GpuSpec[];
  decodeGpus: readonly GpuSpec[];
  priceOverridesUsdPerHour: Readonly<Record<string, number>>;
  /** Most GPUs of both pools together. */
  maxGpus: number;
  inputLengths?: LengthDistribution;
  outputLengths?: LengthDistribution;
  /**
   * Speculative decoding in the decode pool (perf/speculative.ts): the draft / heads loaded on every
   * decode GPU, verify steps in its runs. The prefill pool runs without it (its requests emit one
   * token, no verify step runs). Absent = none. Prefix caching comes with `serving.prefixCache`.
   */
  speculative?: SpeculativeModel;
  /** How the proxy picks each pool's replica (routing.ts); absent = round-robin (vLLM's proxy). */
  routing?: DisaggRouting;
}

export interface DisaggPairResult {
  prefillGpuId: string;
  decodeGpuId: string;
  prefill: Omit<DisaggPool, 'replicas'>;
  decode: Omit<DisaggPool, 'replicas'>;
  search: DisaggSearch;
  aggregated: AggregatedComparison | null;
}

export interface DisaggRecommendResult {
  /** One row per (prefill GPU, decode GPU) pair with a fitting layout each, cheapest plan first, then those without one. */
  pairs: DisaggPairResult[];
  simulations: number;
  computeMs: number;
}

export function disaggWorkload(req: Pick<DisaggRecommendRequest, 'inputTokens' | 'outputTokens' | 'target' | 'inputLengths' | 'outputLengths' | 'routing'>): DisaggWorkload {
  return {
    inputTokens: req.inputTokens,
    outputTokens: req.outputTokens,
    ratePerS: req.target.ratePerS,
    burstiness: req.target.burstiness,
    numRequests: req.target.numRequests ?? CAPACITY_NUM_REQUESTS,
    ...(req.target.seed !== undefined ? { seed: req.target.seed } : {}),
    ...(req.inputLengths !== undefined ? { inputLengths: req.inputLengths } : {}),
    ...(req.outputLengths !== undefined ? { outputLengths: req.outputLengths } : {}),
    ...(req.routing !== undefined && req.routing !== 'round-robin' ? { routing: req.routing } : {}),
  };
}

/**
 * A pool shape of one GPU and layout; the memory plan that says why when the model (or one request)
 * does not fit it. `speculative`: the draft loaded in this pool (speculativeMemoryPlan: its weights
 * and KV come out of the KV pool), for the decode pool.
 */
export function poolShape(
  session: EngineSession,
  gpu: GpuSpec,
  layout: Layout,
  serving: ServingSettings,
  engine: ServingEngine,
  priceUsdPerHour: number,
  speculative?: SpeculativeModel,
): Result<Omit<DisaggPool, 'replicas'>, MemoryPlan> {
  const resolved = withEngine(resolveServing(serving, gpu), engine);
  const target = session.plan(gpu, layout, resolved);
  const memory = speculative === undefined ? target : speculativeMemoryPlan(target, session.arch, speculative);
  if (!memory.fits) return err(memory);
  return ok({ gpu, layout, serving: resolved, engine, memory, cost: session.modelCost(resolved, layout), priceUsdPerHour, ...(speculative === undefined ? {} : { speculative }) });
}

export function recommendDisagg(session: EngineSession, req: DisaggRecommendRequest, clock: () => number = Date.now): DisaggRecommendResult {
  const t0 = clock();
  const w = disaggWorkload(req);
  const cache = newPoolRunCache();
  const priceOf = (g: GpuSpec): number => req.priceOverridesUsdPerHour[g.id] ?? g.priceUsdPerHour;
  const validTp = new Set(validTpSizes(session.arch, 8));
  const isMoe = session.arch.layers.some((l) => l.ffn.kind === 'moe');
  const layoutsFor = (gpu: GpuSpec): Layout[] => {
    const out: Layout[] = [];
    for (const tp of TP_SIZES) if (validTp.has(tp) && tp <= gpu.interconnect.gpusPerNode && tp <= req.maxGpus) out.push({ tp, pp: 1, dp: 1, ep: false });
    if (isMoe) for (const dp of EP_DP_SIZES) if (dp <= gpu.interconnect.gpusPerNode && dp <= req.maxGpus) out.push({ tp: 1, pp: 1, dp, ep: true });
    return out;
  };
  const shapesFor = (gpu: GpuSpec, role: 'prefill' | 'decode'): Omit<DisaggPool, 'replicas'>[] => {
    const shapes: { shape: Omit<DisaggPool, 'replicas'>; usdPerCapacity: number }[] = [];
    for (const layout of layoutsFor(gpu)) {
      const planned = poolShape(session, gpu, layout, req.serving, req.engine, priceOf(gpu), role === 'decode' ? req.speculative : undefined);
      if (!planned.ok) continue;
      const shape = planned.value;
      const key = poolKey(role, shape);
      let capacity = cache.capacities.get(key);
      if (capacity === undefined) {
        capacity = poolCapacityRequestsPerS({ ...shape, replicas: 1 }, role, w);
        cache.capacities.set(key, capacity);
      }
      if (capacity > 0) shapes.push({ shape, usdPerCapacity: (gpusPerReplica(shape.layout) * shape.priceUsdPerHour) / capacity });
    }
    return shapes
      .sort((a, b) => a.usdPerCapacity - b.usdPerCapacity)
      .slice(0, DISAGG_LAYOUTS_PER_GPU)
      .map((s) => s.shape);
  };
  const prefillShapes = new Map(req.prefillGpus.map((g) => [g.id, shapesFor(g, 'prefill')] as const));
  const decodeShapes = new Map(req.decodeGpus.map((g) => [g.id, shapesFor(g, 'decode')] as const));
  let simulations = cache.capacities.size;

  const pairs: DisaggPairResult[] = [];
  const aggregatedCache = new Map<string, AggregatedComparison>();
  for (const pg of req.prefillGpus) {
    for (const dg of req.decodeGpus) {
      let best: DisaggPairResult | null = null;
      let fallback: DisaggPairResult | null = null;
      for (const ps of prefillShapes.get(pg.id) ?? []) {
        for (const ds of decodeShapes.get(dg.id) ?? []) {
          if (disaggLayoutProblem(session.arch, ps.layout, ds.layout) !== null) continue;
          const search = sizeDisagg(ps, ds, w, req.target.slo, req.maxGpus, cache);
          simulations += search.simulations;
          const row: DisaggPairResult = { prefillGpuId: pg.id, decodeGpuId: dg.id, prefill: ps, decode: ds, search, aggregated: null };
          const cost = search.best?.estimate.costUsdPerHour ?? Infinity;
          if (search.best !== null && (best === null || cost < (best.search.best?.estimate.costUsdPerHour ?? Infinity))) best = row;
          fallback ??= row;
        }
      }
      const chosen = best ?? fallback;
      if (chosen === null) continue;
      const plan = chosen.search.best ?? chosen.search.closest;
      if (plan !== null) {
        // Aggregated serving of the rate on the decode pool's shape, at the plan's GPU count (cached per shape and count).
        const key = `${poolKey('decode', chosen.decode)}|${plan.estimate.totalGpus}`;
        let agg = aggregatedCache.get(key);
        if (agg === undefined) {
          agg = compareAggregated(chosen.decode, w, req.target, plan.estimate.totalGpus);
          aggregatedCache.set(key, agg);
          simulations += (agg.capacityPlan.status === 'not-simulated' ? 0 : agg.capacityPlan.simulations) + (agg.atEqualGpus === null ? 0 : 1);
        }
        chosen.aggregated = agg;
      }
      pairs.push(chosen);
    }
  }
  pairs.sort((a, b) => (a.search.best?.estimate.costUsdPerHour ?? Infinity) - (b.search.best?.estimate.costUsdPerHour ?? Infinity));
  return { pairs, simulations, computeMs: Math.max(0, clock() - t0) };
}

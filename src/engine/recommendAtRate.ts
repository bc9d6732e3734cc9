/**
 * The recommendation at a target request rate (issue 10 part 4: "with a rate given, this *is* the
 * recommendation"): every configuration's capacity plan (sim/capacity.ts) — copies needed, GPUs,
 * cost at the rate within the percentile SLOs — ranked by the cost of serving the rate.
 *
 * Simulating every configuration would take seconds (a rate search is ~9 runs), so the closed form
 * prunes first. Its steady state at the best closed-loop point meeting the limits (recommend.ts,
 * sweep mode, the percentile limits applied to its means) is an optimistic rate per copy: an open
 * loop at the same throughput queues more than a closed loop, and a p90/p99 is above the mean. So
 * ⌈target ÷ that rate⌉ × the copy's price is a lower bound on the simulated plan's cost. Replica
 * shapes (GPU, tp, pp; dp too with expert parallelism) are searched in the order of their lowest
 * bound, and the search stops when the next bound is no cheaper than the cheapest simulated plan,
 * or after CAPACITY_MAX_SEARCHED_SHAPES shapes (shapes where the closed form meets the limits at no
 * point come last, tried only while no plan is found). APPROXIMATION: the bound is a heuristic where the
 * closed form's TTFT is below the simulator's or a p50 limit sits below the mean; rows left out
 * say so (status not-simulated, with their bound).
 *
 * Runs through an engine session (session.ts dispatches on request.load), on its cached plans and
 * model costs.
 */
import type { Candidate, CapacityPlan, CapacitySummary, GpuSpec, Layout, RecommendRequest, RecommendResult, ResolvedServingOptions, TargetLoad } from './types';
import type { ModelCaches } from './cache/modelCaches';
import { recommendIn, replicaGroupFor, replicaLayout, workloadRejection } from './recommend';
import { gpuPlanKey, layoutKey, planServingKey, replicaRateKey } from './cache/cacheKeys';
import { joinKeys } from './cache/keys';
import type { SimResult } from './sim/summarize';
import type { RateLatencyPoint, ReplicaUnderTest } from './sim/capacity';
import { CAPACITY_NUM_REQUESTS, latencyAgainstRate, planFromReplicaRate, replicaUnderTestOfModel, runAtTarget, searchReplicaRate } from './sim/capacity';
import { DEFAULT_SIM_SEED } from './sim/run';

/**
 * Most replica shapes whose rate is searched by simulation in one recommendation: each search is
 * ~100 ms at CAPACITY_NUM_REQUESTS on one core, so 4 keep the plan within half a second; the bound
 * usually stops the search earlier (RecommendResult.capacity says how many were searched).
 */
export const CAPACITY_MAX_SEARCHED_SHAPES = 4;

const now = (): number => Date.now();

/**
 * One engine replica's searched rate, kept in the session's caches (replicaRates): the dp variants
 * of a shape, and every target rate with the same SLOs, share one search.
 */
function cachedReplicaRate(
  caches: ModelCaches,
  gpu: GpuSpec,
  serving: ResolvedServingOptions,
  layout: Layout,
  req: RecommendRequest,
  target: TargetLoad,
  u: ReplicaUnderTest,
): { ratePerS: number; simulations: number } {
  const key = joinKeys(
    gpuPlanKey(gpu),
    planServingKey(serving),
    layoutKey(replicaLayout(layout)),
    replicaRateKey({
      inputTokens: req.inputTokens,
      outputTokens: req.outputTokens,
      engine: req.engine,
      burstiness: target.burstiness,
      percentile: target.slo.percentile,
      maxTtftMs: target.slo.maxTtftMs,
      maxItlMs: target.slo.maxItlMs,
      maxE2eMs: target.slo.maxE2eMs,
      numRequests: target.numRequests ?? CAPACITY_NUM_REQUESTS,
      seed: target.seed ?? DEFAULT_SIM_SEED,
      speculative: req.speculative === undefined ? 'none' : JSON.stringify(req.speculative),
    }),
  );
  let simulations = 0;
  const found = caches.replicaRates.getOrCompute(key, () => {
    const r = searchReplicaRate(u, target);
    simulations = r.simulations;
    return r;
  });
  // A cached search cost no run now.
  return { ratePerS: found.ratePerS, simulations };
}

/** The closed form's lower bound on the cost of serving the target on a candidate, USD/h; null when it meets the limits at no point. */
function boundUsdPerHour(c: Candidate, target: TargetLoad): number | null {
  const p = c.perf;
  if (p === null || p.perfError !== null || !c.meetsSlo || !(p.requestsPerS > 0)) return null;
  return Math.max(1, Math.ceil(target.ratePerS / p.requestsPerS)) * p.costUsdPerHour;
}

interface Shape {
  gpu: GpuSpec;
  /** Indices (into the closed-form ranking) of the candidates sharing this engine replica. */
  members: number[];
  boundUsdPerHour: number | null;
}

export function recommendAtRateIn(caches: ModelCaches, req: RecommendRequest, gpus: readonly GpuSpec[], clock: () => number = now): RecommendResult {
  const t0 = clock();
  const target = req.load ?? null;
  // The closed form with the percentile limits on its means, at its best point per configuration.
  const closed = recommendIn(caches, { ...req, concurrency: 'sweep', slo: target === null ? req.slo : target.slo }, gpus, clock);
  if (target === null || closed.candidates.length === 0 || (closed.warnings ?? []).some((w) => w.kind === 'invalid-request')) return closed;

  const candidates = closed.candidates;
  const bounds = candidates.map((c) => boundUsdPerHour(c, target));
  const shapes = new Map<string, Shape>();
  for (let i = 0; i < candidates.length; i += 1) {
    const c = candidates[i];
    if (c === undefined || c.perf === null || c.perf.perfError !== null) continue;
    const gpu = gpus.find((g) => g.id === c.gpuId);
    if (gpu === undefined) continue;
    const key = `${c.gpuId}|${layoutKey(replicaLayout(c.layout))}`;
    let shape = shapes.get(key);
    if (shape === undefined) {
      shape = { gpu, members: [], boundUsdPerHour: null };
      shapes.set(key, shape);
    }
    shape.members.push(i);
    const b = bounds[i] ?? null;
    if (b !== null && (shape.boundUsdPerHour === null || b < shape.boundUsdPerHour)) shape.boundUsdPerHour = b;
  }
  const order = [...shapes.values()].sort((a, b) => (a.boundUsdPerHour ?? Infinity) - (b.boundUsdPerHour ?? Infinity));

  const plans = new Array<CapacityPlan | null>(candidates.length).fill(null);
  let cheapestUsdPerHour = Infinity;
  let searched = 0;
  let simulations = 0;
  for (const shape of order) {
    if (searched >= CAPACITY_MAX_SEARCHED_SHAPES) break;
    // Nothing later can be cheaper than a plan in hand; until one is found, shapes without a bound are tried too.
    if (Number.isFinite(cheapestUsdPerHour) && (shape.boundUsdPerHour ?? Infinity) >= cheapestUsdPerHour) break;
    searched += 1;
    const first = candidates[shape.members[0] ?? -1];
    if (first === undefined) continue;
    const c = configurationUnderTest(caches, req, target, shape.gpu, first.layout);
    if (c === null) continue;
    const u = c.u;
    const search = cachedReplicaRate(caches, shape.gpu, c.serving, first.layout, req, target, u);
    simulations += search.simulations;
    // dp variants with the same number of engine replicas in all run the same operating point.
    const atTarget = new Map<number, SimResult>();
    const runFor = (engineReplicas: number): SimResult => {
      let r = atTarget.get(engineReplicas);
      if (r === undefined) {
        r = runAtTarget(u, target, engineReplicas);
        atTarget.set(engineReplicas, r);
        simulations += 1;
      }
      return r;
    };
    for (const i of shape.members) {
      const c = candidates[i];
      if (c === undefined || c.perf === null) continue;
      const plan = planFromReplicaRate(target, search.ratePerS, c.layout.dp, c.gpuCount, c.perf.costUsdPerHour, req.outputTokens, runFor, search.simulations);
      plans[i] = plan;
      if (plan.status === 'planned' && plan.costUsdPerHour < cheapestUsdPerHour) cheapestUsdPerHour = plan.costUsdPerHour;
    }
  }

  // Fitting rows the search did not reach: their bound, said so.
  for (let i = 0; i < candidates.length; i += 1) {
    const c = candidates[i];
    if (plans[i] !== null || c === undefined || c.perf === null || c.perf.perfError !== null) continue;
    plans[i] = { status: 'not-simulated', targetRequestsPerS: target.ratePerS, boundUsdPerHour: bounds[i] ?? null };
  }

  const rank = rankByCapacity(candidates, plans);
  const newIndex = new Int32Array(candidates.length);
  rank.forEach((oldIndex, k) => {
    newIndex[oldIndex] = k;
  });
  const ranked = rank.map((oldIndex) => {
    const c = candidates[oldIndex] as Candidate;
    const plan = plans[oldIndex] ?? null;
    // The candidates are the closed-form call's own fresh objects: completed in place.
    c.capacity = plan;
    c.meetsSlo = plan !== null && plan.status === 'planned';
    return c;
  });
  const remap = (i: number | null): number | null => (i === null ? null : (newIndex[i] ?? null));
  const firstPlanned = ranked.findIndex((c) => c.capacity?.status === 'planned');
  const summary: CapacitySummary = {
    targetRequestsPerS: target.ratePerS,
    simulatedCandidates: plans.filter((p) => p !== null && p.status !== 'not-simulated').length,
    searchedReplicaShapes: searched,
    prunedCandidates: plans.filter((p) => p !== null && p.status === 'not-simulated').length,
    simulations,
  };
  return {
    candidates: ranked,
    best: {
      cheapestMeetingSlo: firstPlanned >= 0 ? firstPlanned : null,
      lowestLatency: remap(closed.best.lowestLatency),
      highestThroughput: remap(closed.best.highestThroughput),
    },
    pareto: closed.pareto.map((i) => newIndex[i] ?? i),
    computeMs: Math.max(0, clock() - t0),
    ...(closed.lowestLatencyPoint !== undefined ? { lowestLatencyPoint: closed.lowestLatencyPoint } : {}),
    ...(closed.warnings !== undefined ? { warnings: closed.warnings } : {}),
    capacity: summary,
  };
}

/**
 * Ranking at a target rate (indices into the closed-form ranking): planned first, cheapest per hour
 * at the target (then fewest GPUs, then the smaller copy); then the rows not simulated by their
 * bound; then those that cannot meet the SLOs; then the rest in the closed form's order (not
 * fitting, engine errors). Stable: ties keep the closed form's order.
 */
function rankByCapacity(candidates: readonly Candidate[], plans: readonly (CapacityPlan | null)[]): number[] {
  const tier = (p: CapacityPlan | null): number => (p === null ? 3 : p.status === 'planned' ? 0 : p.status === 'not-simulated' ? 1 : 2);
  const key = (p: CapacityPlan | null): number =>
    p === null ? 0 : p.status === 'planned' ? p.costUsdPerHour : p.status === 'not-simulated' ? (p.boundUsdPerHour ?? Infinity) : 0;
  const gpusOf = (p: CapacityPlan | null): number => (p !== null && p.status === 'planned' ? p.totalGpus : 0);
  const order = candidates.map((_, i) => i);
  return order.sort((a, b) => {
    const pa = plans[a] ?? null;
    const pb = plans[b] ?? null;
    return (
      tier(pa) - tier(pb) ||
      compareNumbers(key(pa), key(pb)) ||
      gpusOf(pa) - gpusOf(pb) ||
      (tier(pa) < 2 ? (candidates[a]?.gpuCount ?? 0) - (candidates[b]?.gpuCount ?? 0) : 0) ||
      a - b
    );
  });
}

/** a − b for sorting, with Infinity equal to Infinity (Infinity − Infinity is NaN). */
function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * The simulated engine replica of one configuration of a recommendation's request, or null when it
 * is not a fitting one: recommend.ts replicaGroupFor's plan (the draft loaded) and replica model
 * (speculative decoding, the prefix cache, the engine's batch caps) — the configuration the closed
 * form ranked, never a second resolution of it.
 */
function configurationUnderTest(
  caches: ModelCaches,
  req: RecommendRequest,
  target: TargetLoad,
  gpu: GpuSpec,
  layout: Layout,
): { serving: ResolvedServingOptions; u: ReplicaUnderTest } | null {
  if (target.ratePerS <= 0) return null;
  const { serving, group } = replicaGroupFor(caches, req, gpu, layout, workloadRejection(req));
  if (group.model === null) return null;
  const u = replicaUnderTestOfModel(
    { serving, engine: req.engine, memory: group.memory, inputTokens: req.inputTokens, outputTokens: req.outputTokens, target },
    group.model,
  );
  return { serving, u };
}

/**
 * One row's capacity plan (the page fills in its visible rows one by one, worker/compute.ts): as
 * planCapacity on the row's GPU and layout with the request's serving settings, engine and price,
 * its search kept in the session (a dp variant or another target rate reuses it).
 * null when the configuration does not fit or the request is refused.
 */
export function candidateCapacityIn(
  caches: ModelCaches,
  gpus: readonly GpuSpec[],
  req: RecommendRequest,
  target: TargetLoad,
  gpuId: string,
  layout: Layout,
): CapacityPlan | null {
  const gpu = gpus.find((g) => g.id === gpuId);
  if (gpu === undefined) return null;
  const c = configurationUnderTest(caches, req, target, gpu, layout);
  if (c === null) return null;
  const u = c.u;
  const search = cachedReplicaRate(caches, gpu, c.serving, layout, req, target, u);
  const dp = Math.max(1, layout.dp);
  const gpusPerReplica = layout.tp * layout.pp * dp;
  const price = req.priceOverridesUsdPerHour[gpuId] ?? gpu.priceUsdPerHour;
  return planFromReplicaRate(
    target,
    search.ratePerS,
    dp,
    gpusPerReplica,
    gpusPerReplica * price,
    req.outputTokens,
    (engineReplicas) => runAtTarget(u, target, engineReplicas),
    search.simulations,
  );
}

/** One row's latency percentiles against the offered rate (sim/capacity.ts latencyAgainstRate); [] when it does not fit. */
export function candidateRateCurveIn(
  caches: ModelCaches,
  gpus: readonly GpuSpec[],
  req: RecommendRequest,
  target: TargetLoad,
  gpuId: string,
  layout: Layout,
): RateLatencyPoint[] {
  const gpu = gpus.find((g) => g.id === gpuId);
  if (gpu === undefined) return [];
  const c = configurationUnderTest(caches, req, target, gpu, layout);
  if (c === null) return [];
  return latencyAgainstRate(c.u, layout.dp, target.burstiness, target.routing);
}

/**
 * Capacity planning (issue 10 part 4): what serving a target request rate within percentile SLOs
 * takes on one configuration — how many copies of it, how many GPUs, the cost per hour and per
 * million output tokens at that rate.
 *
 * A "replica" here is a copy of the configuration as laid out (tp × pp × dp GPUs); a load balancer
 * gives each copy an equal share of the stream (a random split of a Poisson stream is Poisson; for
 * burstiness ≠ 1 the split's burstiness is an APPROXIMATION, as in simulateConfiguration.ts) — or,
 * with TargetLoad.routing round-robin / least-loaded, a router that sees the whole stream spreads it
 * over the copies' engine replicas (sim/routedRun.ts). One
 * copy's largest rate within the SLOs is searched by simulation (maxRate.ts); the copies needed are
 * ⌈target ÷ that rate⌉, and the target split over them is simulated once more for the latencies the
 * plan runs at. That run is the one the plan is judged on and reports (planFromReplicaRate): near
 * the searched rate a p99 over a few hundred requests moves by a few % with the rate (the search's
 * 2 % bracket, sampling noise of the tail; measured on Qwen3-8B 1k/1k at p99 TTFT ≤ 450 ms: 451–456 ms
 * at 0.2–10 % below the searched rate), so where it misses the limits copies are added until it meets.
 *
 * Inside a copy the dp replicas are alike (simulateConfiguration.ts): the simulator runs one
 * engine replica at the copy's rate ÷ dp, so every dp variant of a (GPU, tp, pp) shares one search
 * (recommendAtRate.ts uses that).
 */
import type { CapacityLatency, CapacityPlan, ReplicaRouting, TargetLoad } from '../types';
import type { EstimatePerfInput, ReplicaModel } from '../perf/estimatePerf';
import { replicaModel } from '../perf/estimatePerf';
import type { ModelCost } from '../perf/modelCost';
import { usdPerMillionTokens } from '../perf/cost';
import type { LengthDistribution } from './load';
import type { RateSearchSpec } from './maxRate';
import { keepsUpWithArrivals, maxRateMeetingSlo, meetsPercentileSlo, RATE_SEARCH_REL_TOLERANCE } from './maxRate';
import type { SimReplica } from './replica';
import { DEFAULT_SIM_SEED, runSimulation } from './run';
import { simReplicaFor } from './fromEngine';
import type { SimResult } from './summarize';
import { routingMatters, runRouted } from './routedRun';

/**
 * Requests per simulated run of a capacity plan, per engine replica: p99 over 300 requests is the
 * 3rd-largest value (numpy's R-7 interpolation), steady enough for a plan (the rate search's own
 * bracket is 2 %), and a search of ~9 runs stays near 100 ms on one core — a recommendation
 * searches several replica shapes. `vllm bench serve`'s 1,000 (--num-requests) is the CLI's choice
 * for one configuration.
 */
export const CAPACITY_NUM_REQUESTS = 300;

/** One configuration and the load it must serve (the model is the session's). */
export interface CapacityInput extends Omit<EstimatePerfInput, 'workload' | 'arch'> {
  inputTokens: number;
  outputTokens: number;
  target: TargetLoad;
  inputLengths?: LengthDistribution;
  outputLengths?: LengthDistribution;
}

/** ⌈target ÷ the rate one copy sustains⌉, at least 1; null when no rate meets the SLOs (rate 0). */
export function replicasNeeded(targetRequestsPerS: number, maxRatePerReplicaRequestsPerS: number): number | null {
  if (!(maxRatePerReplicaRequestsPerS > 0) || !Number.isFinite(maxRatePerReplicaRequestsPerS)) return null;
  return Math.max(1, Math.ceil(targetRequestsPerS / maxRatePerReplicaRequestsPerS));
}

/** The plan's money and GPUs from its copies: arithmetic only. */
export function capacityCost(
  targetRequestsPerS: number,
  replicas: number,
  gpusPerReplica: number,
  costUsdPerHourPerReplica: number,
  meanOutputTokens: number,
): { totalGpus: number; costUsdPerHour: number; usdPerMillionOutputTokens: number } {
  const costUsdPerHour = replicas * costUsdPerHourPerReplica;
  return {
    totalGpus: replicas * gpusPerReplica,
    costUsdPerHour,
    // Output tokens per second at the target: every request completes (a plan keeps up), mean length each.
    usdPerMillionOutputTokens: usdPerMillionTokens(costUsdPerHour, targetRequestsPerS * meanOutputTokens) ?? 0,
  };
}

/** A simulated engine replica of a configuration and the run spec its searches share. */
export interface ReplicaUnderTest {
  replica: SimReplica;
  spec: RateSearchSpec;
}

export function replicaUnderTest(input: CapacityInput, cost: ModelCost): ReplicaUnderTest {
  return replicaUnderTestOfModel(input, replicaModel(input, cost, input.inputTokens, input.outputTokens));
}

/**
 * The same from a replica model already built — recommend.ts replicaGroupOf's, so the rate mode
 * simulates exactly the plan, draft and prefix cache the closed form ranks (recommendAtRate.ts).
 */
export function replicaUnderTestOfModel(input: Omit<CapacityInput, 'gpu' | 'layout'>, model: ReplicaModel): ReplicaUnderTest {
  const replica = simReplicaFor({ memory: input.memory, serving: input.serving, engine: input.engine, model });
  const t = input.target;
  return {
    replica,
    spec: {
      inputTokens: input.inputTokens,
      outputTokens: input.outputTokens,
      numRequests: t.numRequests ?? CAPACITY_NUM_REQUESTS,
      seed: t.seed ?? DEFAULT_SIM_SEED,
      inputLengths: input.inputLengths,
      outputLengths: input.outputLengths,
      slo: { maxTtftMs: t.slo.maxTtftMs, maxItlMs: t.slo.maxItlMs, maxE2eMs: t.slo.maxE2eMs },
      maxRequestTokens: input.serving.maxModelLenTokens,
      burstiness: t.burstiness,
    },
  };
}

/** One engine replica's largest rate within the target's SLOs, and the runs it took. */
export function searchReplicaRate(u: ReplicaUnderTest, target: TargetLoad): { ratePerS: number; simulations: number } {
  const r = maxRateMeetingSlo(u.replica, u.spec, target.slo);
  return { ratePerS: r.maxRateMeetingSloRequestsPerS, simulations: r.simulations };
}

/** One engine replica open-loop at `ratePerS` (the plan's operating point). */
export function runAtRate(u: ReplicaUnderTest, ratePerS: number, burstiness: number): SimResult {
  return runSimulation(u.replica, { ...u.spec, load: { kind: 'open-loop', ratePerS, burstiness } });
}

/**
 * The engine replicas of a plan's copies at the whole target rate, behind the target's router
 * (TargetLoad.routing, sim/routedRun.ts): 'random' (the default) is runAtRate at target ÷ replicas.
 */
export function runAtTarget(u: ReplicaUnderTest, target: TargetLoad, engineReplicas: number): SimResult {
  return runRouted(u.replica, { ...u.spec, load: { kind: 'open-loop', ratePerS: target.ratePerS, burstiness: target.burstiness } }, engineReplicas, target.routing ?? 'random');
}

export function capacityLatency(r: SimResult): CapacityLatency {
  return {
    ttftMs: r.ttftMs,
    ttftP50Ms: r.ttftP50Ms,
    ttftP90Ms: r.ttftP90Ms,
    ttftP95Ms: r.ttftP95Ms,
    ttftP99Ms: r.ttftP99Ms,
    itlMs: r.itlMs,
    itlP50Ms: r.itlP50Ms,
    itlP90Ms: r.itlP90Ms,
    itlP95Ms: r.itlP95Ms,
    itlP99Ms: r.itlP99Ms,
    e2eMs: r.e2eMs,
    e2eP50Ms: r.e2eP50Ms,
    e2eP90Ms: r.e2eP90Ms,
    e2eP95Ms: r.e2eP95Ms,
    e2eP99Ms: r.e2eP99Ms,
    preemptions: r.preemptions,
    simulatedRequests: r.simulatedRequests,
  };
}

/**
 * Most times a plan adds copies when its run at the split target misses the limits: the k-th try
 * has ⌈target ÷ rate⌉ × (1 + RATE_SEARCH_REL_TOLERANCE)^(2^k) copies (at least one more than the last),
 * so the last of 7 tries has ~3.5× as many — far beyond the sampling noise of a p99 at the boundary
 * (a few %); a configuration still missing there did not meet at the searched rate in any sense
 * a plan can rest on, and is reported as unreachable.
 */
export const CAPACITY_MAX_ADDED_REPLICA_TRIES = 7;

/**
 * Most routed runs a plan tries with fewer copies than the random split's count (a router other than
 * 'random'): halving steps down then bisection take ⌈log₂ s⌉ + ⌈log₂ s⌉ runs for a saving of s
 * copies, so 12 find a saving of up to 64 copies exactly (a count further down is left at the last one found).
 */
export const CAPACITY_MAX_REMOVED_REPLICA_TRIES = 12;

/** Whether a run at a plan's operating point meets the target's limits, as the rate search judges a trial (maxRate.ts). */
function meetsAtOperatingPoint(r: SimResult, target: TargetLoad): boolean {
  return r.measuredRequests > 0 && keepsUpWithArrivals(r) && meetsPercentileSlo(r, target.slo);
}

/**
 * The plan of one configuration (dp engine replicas per copy) from its engine replica's searched
 * rate. `atTarget(engineReplicas)` simulates one engine replica with the target split over that many
 * (callers may cache it: dp variants with the same total share it).
 *
 * The copies are ⌈target ÷ the copy's searched rate⌉, and more where the run at the split target —
 * the run whose percentiles the plan reports and is judged on (sloJudgement.ts) — misses the limits
 * (CAPACITY_MAX_ADDED_REPLICA_TRIES; `replicasAdded` says how many): a 'planned' row's reported
 * percentile never exceeds its limit. The searched rate is a different run (at the rate itself, not
 * at target ÷ copies), and a p99 near its limit is not monotone in the rate within a few %.
 *
 * With a router other than 'random' (target.routing; `atTarget` must run it, runAtTarget): the
 * searched rate is one replica's under a random split, so ⌈target ÷ it⌉ is where the count search
 * starts; where that routed run meets the limits, the fewest copies whose routed run still meets
 * them is searched below it (CAPACITY_MAX_REMOVED_REPLICA_TRIES runs; `replicasSavedByRouting` says
 * how many fewer; APPROXIMATION: a p99 taken as monotone in the copies): least-loaded can need fewer
 * copies at the same SLO.
 */
export function planFromReplicaRate(
  target: TargetLoad,
  engineReplicaRatePerS: number,
  dp: number,
  gpusPerReplica: number,
  costUsdPerHourPerReplica: number,
  meanOutputTokens: number,
  atTarget: (engineReplicas: number) => SimResult,
  simulationsSoFar: number,
): CapacityPlan {
  const ranks = Math.max(1, dp);
  const perCopy = engineReplicaRatePerS * ranks;
  const base = replicasNeeded(target.ratePerS, perCopy);
  const unreachable = (simulations: number): CapacityPlan => ({
    status: 'slo-unreachable',
    targetRequestsPerS: target.ratePerS,
    maxRatePerReplicaRequestsPerS: 0,
    replicasNeeded: null,
    totalGpus: null,
    costUsdPerHour: null,
    usdPerMillionOutputTokens: null,
    atTarget: null,
    simulations,
  });
  if (base === null) return unreachable(simulationsSoFar);
  let replicas = base;
  let run = atTarget(replicas * ranks);
  let simulations = simulationsSoFar + 1;
  for (let k = 0; !meetsAtOperatingPoint(run, target); k += 1) {
    if (k >= CAPACITY_MAX_ADDED_REPLICA_TRIES) return unreachable(simulations);
    replicas = Math.max(replicas + 1, Math.ceil(base * (1 + RATE_SEARCH_REL_TOLERANCE) ** (2 ** k)));
    run = atTarget(replicas * ranks);
    simulations += 1;
  }
  const routing = target.routing ?? 'random';
  if (routing !== 'random' && replicas === base) {
    // Fewer copies while the routed run still meets: steps of 1, 2, 4, … down until one misses, then
    // bisection between the last count that missed (0 copies always do) and the fewest that met.
    let missed = 0;
    let step = 1;
    for (let k = 0; k < CAPACITY_MAX_REMOVED_REPLICA_TRIES && replicas - missed > 1; k += 1) {
      const fewer = missed === 0 ? Math.max(1, replicas - step) : Math.floor((replicas + missed) / 2);
      const r = atTarget(fewer * ranks);
      simulations += 1;
      if (meetsAtOperatingPoint(r, target)) {
        replicas = fewer;
        run = r;
        step *= 2;
      } else missed = fewer;
    }
  }
  return {
    status: 'planned',
    targetRequestsPerS: target.ratePerS,
    maxRatePerReplicaRequestsPerS: perCopy,
    replicasNeeded: replicas,
    ...capacityCost(target.ratePerS, replicas, gpusPerReplica, costUsdPerHourPerReplica, meanOutputTokens),
    atTarget: capacityLatency(run),
    simulations,
    replicasAdded: Math.max(0, replicas - base),
    ...(routing === 'random' ? {} : { routing, replicasSavedByRouting: Math.max(0, base - replicas) }),
  };
}

/** The capacity plan of one configuration: search, copies, cost, and the latencies at the target (session.capacity). */
export function planCapacity(input: CapacityInput, cost: ModelCost): CapacityPlan {
  const u = replicaUnderTest(input, cost);
  const search = searchReplicaRate(u, input.target);
  const dp = Math.max(1, input.layout.dp);
  const gpusPerReplica = input.layout.tp * input.layout.pp * dp;
  const price = input.priceUsdPerHour ?? input.gpu.priceUsdPerHour;
  return planFromReplicaRate(
    input.target,
    search.ratePerS,
    dp,
    gpusPerReplica,
    gpusPerReplica * price,
    input.outputTokens,
    (engineReplicas) => runAtTarget(u, input.target, engineReplicas),
    search.simulations,
  );
}

/** Fractions of a copy's capacity (its all-at-once throughput) the latency curve is simulated at: 10 % to 100 %. */
export const RATE_CURVE_FRACTIONS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

/** One point of latency against request rate: the percentiles where the queue builds (the knee). */
export interface RateLatencyPoint {
  /** Offered rate for the whole configuration (all its dp replicas). */
  ratePerS: number;
  ttftP50Ms: number;
  ttftP90Ms: number;
  ttftP99Ms: number;
  itlP50Ms: number;
  itlP90Ms: number;
  itlP99Ms: number;
}

/**
 * TTFT and ITL percentiles against the offered rate, up to the copy's capacity (RATE_CURVE_FRACTIONS
 * of it): the chart of where latency turns up. Every point sends the same requests (common random
 * numbers, load.ts), so the curve's shape is the rate's, not the sample's. A copy's dp engine
 * replicas sit behind `routing` (TargetLoad.routing, sim/routedRun.ts): 'random' (the default) is one
 * replica at the rate ÷ dp; a router that sees the stream runs every replica (up to
 * ROUTED_REPLICAS_SIMULATED), as the plan's operating point does (runAtTarget).
 */
export function latencyAgainstRate(u: ReplicaUnderTest, dp: number, burstiness: number, routing: ReplicaRouting = 'random'): RateLatencyPoint[] {
  const capacity = runSimulation(u.replica, { ...u.spec, load: { kind: 'burst' } }).requestsPerS;
  if (!(capacity > 0)) return [];
  const replicas = Math.max(1, dp);
  return RATE_CURVE_FRACTIONS.map((f) => {
    const r = routingMatters(routing, replicas)
      ? runRouted(u.replica, { ...u.spec, load: { kind: 'open-loop', ratePerS: f * capacity * replicas, burstiness } }, replicas, routing)
      : runAtRate(u, f * capacity, burstiness);
    return {
      ratePerS: f * capacity * replicas,
      ttftP50Ms: r.ttftP50Ms,
      ttftP90Ms: r.ttftP90Ms,
      ttftP99Ms: r.ttftP99Ms,
      itlP50Ms: r.itlP50Ms,
      itlP90Ms: r.itlP90Ms,
      itlP99Ms: r.itlP99Ms,
    };
  });
}

/**
 * [disagg] Sizing a prefill/decode deployment for a target rate and percentile SLOs (issue 12
 * item 1): the prefill and decode replica counts that cost least while meeting the SLOs, for one
 * pair of pool shapes (GPU type and layout each), and the comparison with aggregated serving.
 *
 * Search: a pool's count is at least ⌈rate ÷ one replica's capacity⌉ (capacity = throughput of an
 * all-at-once run of the same requests, the lower bound maxRate.ts also starts from: fewer replicas
 * cannot keep up). Counts from there up to DISAGG_EXTRA_REPLICAS more are tried, pairs in order of
 * cost, and the first pair whose combined percentiles meet the SLOs is the answer (the cheapest in
 * that box). Each pair runs both pools in tandem (tandem.ts: the decode pool fed by the prefill
 * pool's departures); the prefill pool's run at a count (and stream length) is simulated once and
 * shared by every decode count paired with it, a decode pool's run is its pair's own. Pairs whose
 * transfers would need more than the link carries are skipped.
 */
import type { SloLimits, SloPercentile, TargetLoad } from '../types';
import type { SimResult } from '../sim/summarize';
import type { CapacityPlan } from '../types';
import { capacityCost, planFromReplicaRate, replicaUnderTest, runAtTarget, searchReplicaRate } from '../sim/capacity';
import type { DisaggEstimate, DisaggPool, DisaggWorkload, PoolRun } from './simulateDisagg';
import {
  assembleTandem,
  deploymentStream,
  gpusPerReplica,
  meetsDisaggSlo,
  poolCostUsdPerHour,
  poolReplica,
  poolRequests,
  runDisaggTandem,
  poolEngines,
  tandemPrefill,
  tandemRequestCount,
} from './simulateDisagg';
import type { TandemPrefill } from './tandem';
import type { SimReplica } from '../sim/replica';
import { simulate } from '../sim/simulate';
import { summarize } from '../sim/summarize';
import { keepsUpWithArrivals, latencyAtPercentile, meetsPercentileSlo } from '../sim/maxRate';

/** Replicas tried above each pool's lower bound: a p99 limit rarely needs more than a few beyond the bound; more is a sign the shape is wrong for the SLO. */
export const DISAGG_EXTRA_REPLICAS = 6;

export type PercentileSloLimits = SloLimits & { percentile: SloPercentile };

/** One replica's capacity: completions per second of an all-at-once run of the pool's requests. */
export function poolCapacityRequestsPerS(pool: DisaggPool, role: 'prefill' | 'decode', w: DisaggWorkload): number {
  const replica = poolReplica(pool, role, w);
  const requests = poolRequests(role, w, 1, pool.serving.maxModelLenTokens, replica.prefixCache);
  const burst = { kind: 'burst' as const };
  // One engine scheduler's throughput × the schedulers of one replica (the DP ranks of an EP replica).
  return summarize(simulate(replica, { ...requests, sendMs: new Float64Array(requests.count) }, burst), replica.requestOverheadMs, null).requestsPerS * poolEngines(pool, 1);
}

export interface DisaggSizing {
  prefillReplicas: number;
  decodeReplicas: number;
  estimate: DisaggEstimate;
  meetsSlo: boolean;
}

export interface DisaggSearch {
  /** Cheapest pair meeting the SLOs; null when none in the searched box does. */
  best: DisaggSizing | null;
  /** The cheapest pair that keeps up when none meets the SLOs, else null. */
  closest: DisaggSizing | null;
  prefillCapacityRequestsPerS: number;
  decodeCapacityRequestsPerS: number;
  pairsTried: number;
  /** Pairs of counts within the GPU budget (0: even each pool's lower bound is over it). */
  pairsInBudget: number;
  /** Runs this search simulated (runs found in the cache not counted). */
  simulations: number;
}

/**
 * Pool runs and capacities kept between searches of one workload (recommendDisagg.ts sizes every
 * pair of pool shapes: a shape's runs serve every pair it is in). Keys: poolKey.
 */
export interface PoolRunCache {
  /** Independent-split pool runs (simulateDisagg.ts runPool); the tandem search does not fill it. */
  runs: Map<string, PoolRun>;
  capacities: Map<string, number>;
  /** Prefill pools' tandem runs by poolKey, replica count and stream length (absent: made on first use). */
  tandemPrefill?: Map<string, TandemPrefill>;
}

export const newPoolRunCache = (): PoolRunCache => ({ runs: new Map(), capacities: new Map(), tandemPrefill: new Map() });

/** A pool shape's identity within one workload: role, GPU (and its price-free plan inputs), layout. */
export const poolKey = (role: 'prefill' | 'decode', pool: Omit<DisaggPool, 'replicas'>): string =>
  `${role}|${pool.gpu.id}|${pool.gpu.memoryBytes}|${pool.layout.tp}|${pool.layout.pp}|${pool.engine}` +
  (pool.layout.ep ? `|ep${pool.layout.dp}` : '') +
  (pool.speculative === undefined ? '' : `|${pool.speculative.method}${pool.speculative.tokens}@${pool.speculative.acceptance}x${pool.speculative.topk ?? 1}/${pool.speculative.draftTokens ?? ''}`);

export function sizeDisagg(
  prefill: Omit<DisaggPool, 'replicas'>,
  decode: Omit<DisaggPool, 'replicas'>,
  w: DisaggWorkload,
  slo: PercentileSloLimits,
  maxTotalGpus = Infinity,
  cache: PoolRunCache = newPoolRunCache(),
): DisaggSearch {
  const p: DisaggPool = { ...prefill, replicas: 1 };
  const d: DisaggPool = { ...decode, replicas: 1 };
  const pKey = poolKey('prefill', p);
  const dKey = poolKey('decode', d);
  let simulations = 0;
  const capacityOf = (pool: DisaggPool, role: 'prefill' | 'decode', key: string): number => {
    let c = cache.capacities.get(key);
    if (c === undefined) {
      c = poolCapacityRequestsPerS(pool, role, w);
      cache.capacities.set(key, c);
      simulations += 1;
    }
    return c;
  };
  const capP = capacityOf(p, 'prefill', pKey);
  const capD = capacityOf(d, 'decode', dKey);
  const empty: DisaggSearch = { best: null, closest: null, prefillCapacityRequestsPerS: capP, decodeCapacityRequestsPerS: capD, pairsTried: 0, pairsInBudget: 0, simulations };
  if (!(capP > 0) || !(capD > 0)) return empty;
  const minP = Math.max(1, Math.ceil(w.ratePerS / capP));
  const minD = Math.max(1, Math.ceil(w.ratePerS / capD));
  const pairs: { np: number; nd: number; costUsdPerHour: number }[] = [];
  for (let np = minP; np <= minP + DISAGG_EXTRA_REPLICAS; np += 1) {
    for (let nd = minD; nd <= minD + DISAGG_EXTRA_REPLICAS; nd += 1) {
      if (np * gpusPerReplica(p.layout) + nd * gpusPerReplica(d.layout) > maxTotalGpus) continue;
      pairs.push({ np, nd, costUsdPerHour: poolCostUsdPerHour(p, np) + poolCostUsdPerHour(d, nd) });
    }
  }
  // Cheapest first; ties to fewer GPUs, then more decode replicas (ITL is the SLO a P/D split is for).
  pairs.sort((a, b) => a.costUsdPerHour - b.costUsdPerHour || a.np + a.nd - (b.np + b.nd) || b.nd - a.nd);
  const maxRequestTokens = Math.min(p.serving.maxModelLenTokens, d.serving.maxModelLenTokens);
  const prefillRuns = (cache.tandemPrefill ??= new Map<string, TandemPrefill>());
  let preReplica: SimReplica | undefined;
  let decReplica: SimReplica | undefined;
  let closest: DisaggSizing | null = null;
  let tried = 0;
  // Decode counts ruled out: their decode pool did not keep up, or missed the ITL limit, at the
  // cheapest prefill count tried with them. The decode pool's offered rate is the same at every
  // prefill count and ITL is the decode pool's alone; the prefill count only changes how smooth its
  // arrivals are (APPROXIMATION: such a decode count is not re-tried with more prefill replicas).
  const decodeRuledOut = new Set<number>();
  for (const pair of pairs) {
    if (decodeRuledOut.has(pair.nd)) continue;
    const count = tandemRequestCount(w, poolEngines(p, pair.np), poolEngines(d, pair.nd));
    const stream = deploymentStream(w, count, maxRequestTokens);
    const preKey = `${pKey}|${pair.np}|${count}|${maxRequestTokens}|${w.routing ?? 'round-robin'}`;
    let pr = prefillRuns.get(preKey);
    if (pr === undefined) {
      preReplica ??= poolReplica(p, 'prefill', w);
      pr = tandemPrefill({ ...p, replicas: pair.np }, w, stream, preReplica);
      prefillRuns.set(preKey, pr);
      simulations += poolEngines(p, pair.np);
    }
    if (!pr.pool.keepsUp) continue;
    const prefillPool = { ...p, replicas: pair.np };
    const decodePool = { ...d, replicas: pair.nd };
    decReplica ??= poolReplica(d, 'decode', w);
    const run = runDisaggTandem(prefillPool, decodePool, w, { stream, prefillRun: pr, decodeReplica: decReplica });
    simulations += poolEngines(d, pair.nd);
    if (!run.decode.keepsUp) {
      decodeRuledOut.add(pair.nd);
      continue;
    }
    tried += 1;
    const estimate = assembleTandem(prefillPool, decodePool, w, run);
    if (slo.maxItlMs !== null && !(latencyAtPercentile(estimate.latency, slo.percentile).itlMs <= slo.maxItlMs)) decodeRuledOut.add(pair.nd);
    if (estimate.kvLinkUtilisation > 1) continue;
    const sizing: DisaggSizing = { prefillReplicas: pair.np, decodeReplicas: pair.nd, estimate, meetsSlo: meetsDisaggSlo(estimate.latency, slo) };
    if (sizing.meetsSlo) return { ...empty, best: sizing, closest: null, pairsTried: tried, pairsInBudget: pairs.length, simulations };
    closest ??= sizing;
  }
  return { ...empty, best: null, closest, pairsTried: tried, pairsInBudget: pairs.length, simulations };
}

/** Aggregated serving of the same rate, for the comparison (sim/capacity.ts on one pool's GPU and layout, with its draft and prefix cache). */
export interface AggregatedComparison {
  gpuId: string;
  tp: number;
  pp: number;
  /** DP ranks per copy and expert parallelism (an EP pool's shape); absent = 1 and false. */
  dp?: number;
  ep?: boolean;
  /** At the P/D plan's GPU count: ⌊GPUs ÷ GPUs per copy⌋ copies, each at rate ÷ copies. */
  atEqualGpus: {
    replicas: number;
    totalGpus: number;
    costUsdPerHour: number;
    usdPerMillionOutputTokens: number;
    latency: Pick<SimResult, 'ttftMs' | 'ttftP50Ms' | 'ttftP90Ms' | 'ttftP99Ms' | 'itlMs' | 'itlP50Ms' | 'itlP90Ms' | 'itlP99Ms' | 'e2eP99Ms'>;
    keepsUp: boolean;
    meetsSlo: boolean;
  } | null;
  /** The cheapest number of copies of that shape meeting the SLOs (the existing capacity plan). */
  capacityPlan: CapacityPlan;
}

export function compareAggregated(pool: Omit<DisaggPool, 'replicas'>, w: DisaggWorkload, target: TargetLoad, totalGpus: number): AggregatedComparison {
  // An EP layout's copy keeps its DP ranks (each an engine scheduler); otherwise one engine per copy.
  const layout = pool.layout.ep ? pool.layout : { ...pool.layout, dp: 1 };
  const ranks = poolEngines(pool, 1);
  const u = replicaUnderTest(
    {
      gpu: pool.gpu,
      layout,
      serving: pool.serving,
      engine: pool.engine,
      memory: pool.memory,
      inputTokens: w.inputTokens,
      outputTokens: w.outputTokens,
      target,
      inputLengths: w.inputLengths,
      outputLengths: w.outputLengths,
      // The same draft and prefix cache as the pool (its memory already has the draft loaded).
      ...(pool.speculative === undefined ? {} : { speculative: pool.speculative }),
    },
    pool.cost,
  );
  const gpus = gpusPerReplica(layout);
  const copyUsdPerHour = gpus * pool.priceUsdPerHour;
  const copies = Math.floor(totalGpus / gpus);
  let atEqualGpus: AggregatedComparison['atEqualGpus'] = null;
  if (copies >= 1) {
    // The aggregated copies behind the target's router (TargetLoad.routing; random: the even split).
    const r = runAtTarget(u, target, copies * ranks);
    const keepsUp = r.measuredRequests > 0 && keepsUpWithArrivals(r);
    const cost = capacityCost(target.ratePerS, copies, gpus, copyUsdPerHour, w.outputTokens);
    atEqualGpus = {
      replicas: copies,
      totalGpus: cost.totalGpus,
      costUsdPerHour: cost.costUsdPerHour,
      usdPerMillionOutputTokens: cost.usdPerMillionOutputTokens,
      latency: { ttftMs: r.ttftMs, ttftP50Ms: r.ttftP50Ms, ttftP90Ms: r.ttftP90Ms, ttftP99Ms: r.ttftP99Ms, itlMs: r.itlMs, itlP50Ms: r.itlP50Ms, itlP90Ms: r.itlP90Ms, itlP99Ms: r.itlP99Ms, e2eP99Ms: r.e2eP99Ms },
      keepsUp,
      meetsSlo: keepsUp && meetsPercentileSlo(r, target.slo),
    };
  }
  const search = searchReplicaRate(u, target);
  const capacityPlan = planFromReplicaRate(
    target,
    search.ratePerS,
    ranks,
    gpus,
    copyUsdPerHour,
    w.outputTokens,
    (engineReplicas) => runAtTarget(u, target, engineReplicas),
    search.simulations,
  );
  return { gpuId: pool.gpu.id, tp: layout.tp, pp: layout.pp, ...(layout.ep ? { dp: layout.dp, ep: true } : {}), atEqualGpus, capacityPlan };
}


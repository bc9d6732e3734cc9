/**
 * One configuration (a model on a GPU type and layout, served by an engine) under a simulated
 * load: the client's load is split over the dp replicas that get work, one replica is simulated
 * (all are alike), and throughput is multiplied back by the busy replicas — as the closed form's
 * perfEstimator does (perf/estimatePerf.ts busyReplicas).
 *
 * Splits: a closed loop of N requests gives each of the busy replicas N / busy of them (rounded to
 * a whole number); an open loop at R/s gives each replica R / dp (a random split of a Poisson stream
 * is Poisson; for burstiness ≠ 1 the split stream's burstiness is an APPROXIMATION); the requests
 * sent (numRequests) are split like the load. With `routing` round-robin / least-loaded an open loop
 * over dp > 1 replicas is routed by a router that sees the whole stream (sim/routedRun.ts): the
 * latencies are over the routed replicas, throughput theirs scaled to all dp.
 */
import type { CapacityPlan, ReplicaRouting, ResolvedServingOptions } from '../types';
import type { EstimatePerfInput } from '../perf/estimatePerf';
import { busyReplicas, replicaModel } from '../perf/estimatePerf';
import type { ModelCost } from '../perf/modelCost';
import { DEFAULT_BENCHMARK_NUM_REQUESTS } from '../calibration';
import type { LengthDistribution, SimLoad } from './load';
import type { PercentileSlo } from './maxRate';
import { maxRateMeetingSlo } from './maxRate';
import type { SimResult } from './summarize';
import { runSimulation } from './run';
import { simReplicaFor } from './fromEngine';
import { planFromReplicaRate } from './capacity';
import { ROUTED_REPLICAS_SIMULATED, routingMatters, runRouted } from './routedRun';

export interface SimWorkload {
  inputTokens: number;
  outputTokens: number;
  /** The client's load on the whole configuration. */
  load: SimLoad;
  /** Requests the client sends in all (vllm bench serve --num-prompts); default 1000. */
  numRequests?: number;
  seed?: number;
  inputLengths?: LengthDistribution;
  outputLengths?: LengthDistribution;
  /**
   * Latency limits: per request for goodput (TTFT, TPOT as the ITL limit, E2E), and at
   * `percentile` for the largest rate meeting them (searched when `searchMaxRate`).
   */
  slo?: PercentileSlo | null;
  searchMaxRate?: boolean;
  /**
   * With an open-loop rate and `searchMaxRate`: also plan the copies the rate needs (`capacity`,
   * sim/capacity.ts planFromReplicaRate; `estimate --rate`). Off by default: it adds runs.
   */
  planReplicas?: boolean;
  /**
   * Open loop: how a router spreads the stream over the dp replicas (and a plan's copies'):
   * sim/routedRun.ts; absent = 'random', the even split.
   */
  routing?: ReplicaRouting;
}

export type SimulateInput = Omit<EstimatePerfInput, 'workload' | 'arch'> & { workload: SimWorkload };

/**
 * The simulated replica's result with throughput for the whole configuration: requestsPerS,
 * outputTokensPerS and goodputRequestsPerS are all busy replicas together; latencies, counts
 * (simulatedRequests, preemptions) and the series are the one simulated replica's.
 */
export interface ConfigurationSimResult extends SimResult {
  /** Replicas that got work; requestsPerS, outputTokensPerS and goodput are theirs together. */
  busyReplicas: number;
  /** Largest open-loop rate (all dp replicas) whose percentiles meet the SLO; null when not searched. */
  maxRateMeetingSloRequestsPerS: number | null;
  /**
   * With an open-loop rate, a searched max rate and `planReplicas`: the copies of this configuration the rate needs,
   * planned as `recommend --rate` plans a row (sim/capacity.ts planFromReplicaRate): ⌈rate ÷ the
   * searched rate per copy⌉, more where the run with the rate split over them misses a limit, judged
   * on that run. Absent otherwise.
   */
  capacity?: CapacityPlan;
}

function perReplicaLoad(load: SimLoad, dp: number, busy: number): SimLoad {
  switch (load.kind) {
    case 'closed-loop':
      return { kind: 'closed-loop', concurrency: Math.max(1, Math.round(load.concurrency / busy)) };
    case 'burst':
      return load;
    case 'open-loop':
      return { ...load, ratePerS: load.ratePerS / dp };
    default: {
      const _: never = load;
      return _;
    }
  }
}

export function simulateConfiguration(input: SimulateInput, cost: ModelCost): ConfigurationSimResult {
  const w = input.workload;
  const dp = Math.max(1, input.layout.dp);
  const total = Math.max(1, Math.floor(w.numRequests ?? DEFAULT_BENCHMARK_NUM_REQUESTS));
  const busy = w.load.kind === 'closed-loop' ? busyReplicas(dp, w.load.concurrency) : w.load.kind === 'burst' ? busyReplicas(dp, total) : dp;
  const model = replicaModel(input, cost, w.inputTokens, w.outputTokens);
  const replica = simReplicaFor({ memory: input.memory, serving: input.serving, engine: input.engine, model });
  const spec = {
    inputTokens: w.inputTokens,
    outputTokens: w.outputTokens,
    numRequests: Math.ceil(total / busy),
    seed: w.seed,
    inputLengths: w.inputLengths,
    outputLengths: w.outputLengths,
    slo: w.slo ?? null,
    maxRequestTokens: maxRequestTokens(input.serving),
  };
  const load = w.load;
  const routing = w.routing ?? 'random';
  const routed = load.kind === 'open-loop' && routingMatters(routing, dp);
  const r = routed && load.kind === 'open-loop' ? runRouted(replica, { ...spec, load }, dp, routing) : runSimulation(replica, { ...spec, load: perReplicaLoad(w.load, dp, busy) });
  // A routed run's throughput is its simulated replicas' together (routedRun.ts); the even split's one replica's.
  const scale = routed ? busy / Math.min(dp, ROUTED_REPLICAS_SIMULATED) : busy;
  const slo = w.slo ?? null;
  const search = w.searchMaxRate === true && slo !== null ? maxRateMeetingSlo(replica, { ...spec, burstiness: w.load.kind === 'open-loop' ? w.load.burstiness : 1 }, slo) : null;
  // The copies an open-loop rate needs, judged on the run at rate ÷ engine replicas behind the router (the search's spec: same requests, seed, lengths).
  const gpusPerCopy = input.layout.tp * input.layout.pp * dp;
  const capacity =
    search === null || slo === null || load.kind !== 'open-loop' || w.planReplicas !== true
      ? undefined
      : planFromReplicaRate(
          { ratePerS: load.ratePerS, burstiness: load.burstiness, slo, ...(routing === 'random' ? {} : { routing }) },
          search.maxRateMeetingSloRequestsPerS,
          dp,
          gpusPerCopy,
          gpusPerCopy * (input.priceUsdPerHour ?? input.gpu.priceUsdPerHour),
          w.outputTokens,
          (engineReplicas) => runRouted(replica, { ...spec, load }, engineReplicas, routing),
          search.simulations,
        );
  return {
    ...r,
    requestsPerS: r.requestsPerS * scale,
    outputTokensPerS: r.outputTokensPerS * scale,
    goodputRequestsPerS: r.goodputRequestsPerS * scale,
    busyReplicas: busy,
    maxRateMeetingSloRequestsPerS: search === null ? null : search.maxRateMeetingSloRequestsPerS * dp,
    ...(capacity === undefined ? {} : { capacity }),
  };
}

const maxRequestTokens = (serving: Pick<ResolvedServingOptions, 'maxModelLenTokens'>): number => serving.maxModelLenTokens;

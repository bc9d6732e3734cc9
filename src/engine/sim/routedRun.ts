/**
 * Several engine replicas of one aggregated configuration behind a router that sees the whole
 * request stream (issue 12: "aggregated replicas still a Poisson split"). The router picks each
 * request's replica when it arrives (types.ts REPLICA_ROUTINGS):
 * - 'random': a random split of the stream. A random split of a Poisson stream is Poisson, so one
 *   replica at rate ÷ replicas is simulated — the rate mode's plan as it always was, bit-identical
 *   (for burstiness ≠ 1 the split's burstiness is an APPROXIMATION, as in simulateConfiguration.ts);
 * - 'round-robin': request i to replica i mod n (sim/router.ts routeRoundRobin), a split smoother than Poisson;
 * - 'least-loaded': by the router's estimate of each replica's outstanding work (sim/router.ts
 *   routeLeastLoaded: the replica where the prompt would start first, then the fewest outstanding
 *   requests), an APPROXIMATION of llm-d's inference scheduler's queue / KV-cache-utilisation
 *   scorers (its prefix-cache scorer is not modelled).
 * The routed stream: `numRequests` per replica (the run's per-replica sample as with 'random'),
 * drawn at the whole rate from the run's seed; each replica is one simulator run of the requests
 * routed to it, and the latencies are over every replica's measured requests (each replica leaves
 * out its own first WARMUP_FRACTION as warm-up; its arrivals span the same first tenth of the stream).
 *
 * At most ROUTED_REPLICAS_SIMULATED replicas are simulated: with more, the stream is taken to reach
 * groups of that many by a random split, and one group is simulated at its share of the rate.
 * APPROXIMATION, on the safe side: a router over all n replicas balances at least as well as one
 * over a group of them.
 */
import type { ReplicaRouting } from '../types';
import { DEFAULT_BENCHMARK_NUM_REQUESTS } from '../calibration';
import type { SimRequests } from './load';
import { drawRequests, requestsOf } from './load';
import type { SimReplica } from './replica';
import type { SimRunSpec } from './run';
import { DEFAULT_SIM_SEED, runSimulation } from './run';
import type { SimTrace } from './simulate';
import { simulate, throughputWindow } from './simulate';
import type { SimResult } from './summarize';
import { summarize } from './summarize';
import { withPrefixCache } from './prefix';
import { groupByReplica, prefillTokensPerMs, promptWork, routeLeastLoaded, routeRoundRobin } from './router';

/**
 * Most engine replicas simulated behind one router: each is a full run (its numRequests), so a
 * routed run costs this many single runs; 8 is a node's worth of 1-GPU replicas. Measured on
 * Llama-3.1-8B, 1 × H100 replicas, chat lengths 2048/256, 5 req/s per replica: p99 TTFT round-robin
 * 469 ms over 4 replicas, 420 over 8; least-loaded 376 / 386 — the pooling gain has set in by then.
 */
export const ROUTED_REPLICAS_SIMULATED = 8;

const FIXED = { kind: 'fixed' } as const;

/** Replica per stream request under `routing` (not 'random'): the router sees the whole stream in send order. */
export function routeStream(replica: SimReplica, stream: SimRequests, replicas: number, routing: Exclude<ReplicaRouting, 'random'>): Int32Array {
  const n = stream.count;
  if (routing === 'round-robin') return routeRoundRobin(n, replicas);
  const { workTokens, meanInputTokens } = promptWork(replica, stream);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return routeLeastLoaded(order, stream.sendMs, workTokens, stream, replicas, replica, prefillTokensPerMs(replica, meanInputTokens));
}

/**
 * The replicas' traces as one trace of the whole stream, for summarize: requests ordered as
 * [every replica's warm-up, by send order][every measured request, by send order] (one replica: the
 * stream's own order and measured range); steps merged by end time (the series is then per replica:
 * KV use and running means over the replicas' steps, the waiting maximum); inter-token entries joined.
 */
function joinTraces(stream: SimRequests, traces: readonly SimTrace[], ids: readonly Int32Array[], load: SimTrace['load']): SimTrace {
  const n = stream.count;
  const warm = new Uint8Array(n);
  const local = new Int32Array(n);
  const of = new Int32Array(n);
  traces.forEach((t, k) => {
    const list = ids[k] ?? new Int32Array(0);
    for (let j = 0; j < list.length; j += 1) {
      const id = list[j] ?? 0;
      of[id] = k;
      local[id] = j;
      if (j < t.measuredFrom || j >= t.measuredTo) warm[id] = 1;
    }
  });
  const order = new Int32Array(n);
  let w = 0;
  for (let i = 0; i < n; i += 1) if (warm[i] === 1) order[w++] = i;
  const measuredFrom = w;
  for (let i = 0; i < n; i += 1) if (warm[i] === 0) order[w++] = i;
  const pick = <A extends Float64Array | Int32Array | Uint8Array>(make: (n: number) => A, get: (t: SimTrace) => A): A => {
    const out = make(n);
    for (let r = 0; r < n; r += 1) {
      const id = order[r] ?? 0;
      const t = traces[of[id] ?? 0];
      out[r] = t === undefined ? 0 : (get(t)[local[id] ?? 0] ?? 0);
    }
    return out;
  };
  const f64 = (len: number): Float64Array => new Float64Array(len);
  const requests = requestsOf(stream, order);
  const arrivalMs = pick(f64, (t) => t.arrivalMs);
  const finishMs = pick(f64, (t) => t.finishMs);
  // Steps merged by end time (k-way: each replica's steps are in time order).
  const totalSteps = traces.reduce((s, t) => s + t.stepEndMs.length, 0);
  const stepEndMs = new Float64Array(totalSteps);
  const stepMs = new Float64Array(totalSteps);
  const stepKvBlocksUsed = new Float64Array(totalSteps);
  const stepWaiting = new Float64Array(totalSteps);
  const stepRunning = new Float64Array(totalSteps);
  const stepTokens = new Float64Array(totalSteps);
  const at = new Int32Array(traces.length);
  for (let s = 0; s < totalSteps; s += 1) {
    let k = -1;
    let best = Infinity;
    traces.forEach((t, j) => {
      const e = t.stepEndMs[at[j] ?? 0];
      if (e !== undefined && e < best) {
        best = e;
        k = j;
      }
    });
    const t = traces[k] as SimTrace;
    const i = at[k] ?? 0;
    at[k] = i + 1;
    stepEndMs[s] = t.stepEndMs[i] ?? 0;
    stepMs[s] = t.stepMs[i] ?? 0;
    stepKvBlocksUsed[s] = t.stepKvBlocksUsed[i] ?? 0;
    stepWaiting[s] = t.stepWaiting[i] ?? 0;
    stepRunning[s] = t.stepRunning[i] ?? 0;
    stepTokens[s] = t.stepTokens[i] ?? 0;
  }
  const join = (get: (t: SimTrace) => Float64Array): Float64Array => {
    const out = new Float64Array(traces.reduce((s, t) => s + get(t).length, 0));
    let o = 0;
    for (const t of traces) {
      out.set(get(t), o);
      o += get(t).length;
    }
    return out;
  };
  const measuredTo = n;
  const { windowStartMs, windowEndMs } = throughputWindow(load, arrivalMs, finishMs, measuredFrom, measuredTo);
  return {
    requests,
    load,
    arrivalMs,
    firstScheduledMs: pick(f64, (t) => t.firstScheduledMs),
    firstTokenMs: pick(f64, (t) => t.firstTokenMs),
    finishMs,
    preemptions: pick((len) => new Int32Array(len), (t) => t.preemptions),
    rejected: pick((len) => new Uint8Array(len), (t) => t.rejected),
    measuredFrom,
    measuredTo,
    windowStartMs,
    windowEndMs,
    stepEndMs,
    stepMs,
    stepKvBlocksUsed,
    stepWaiting,
    stepRunning,
    stepTokens,
    itlValuesMs: join((t) => t.itlValuesMs),
    itlWeights: join((t) => t.itlWeights),
    totalBlocks: traces[0]?.totalBlocks ?? 0,
    preemptionsTotal: traces.reduce((s, t) => s + t.preemptionsTotal, 0),
    recomputedTokens: traces.reduce((s, t) => s + t.recomputedTokens, 0),
    kvBlocksCommittedPeak: traces.reduce((m, t) => Math.max(m, t.kvBlocksCommittedPeak), 0),
  };
}

/**
 * `replicas` engine replicas open-loop behind a router at `spec.load` (the whole stream's rate),
 * summarised over the simulated ones: latencies over every replica's measured requests; throughput
 * (requestsPerS, offered, tokens) the simulated group's together, so keepsUpWithArrivals reads as for
 * one replica. 'random' is runSimulation of one replica at rate ÷ replicas (the default, unchanged).
 */
export function runRouted(replica: SimReplica, spec: SimRunSpec & { load: { kind: 'open-loop'; ratePerS: number; burstiness: number } }, replicas: number, routing: ReplicaRouting): SimResult {
  const total = Math.max(1, Math.floor(replicas));
  if (routing === 'random') return runSimulation(replica, { ...spec, load: { ...spec.load, ratePerS: spec.load.ratePerS / total } });
  const m = Math.min(total, ROUTED_REPLICAS_SIMULATED);
  const load = { ...spec.load, ratePerS: (spec.load.ratePerS * m) / total };
  const seed = spec.seed ?? DEFAULT_SIM_SEED;
  const stream = drawRequests({
    count: m * (spec.numRequests ?? DEFAULT_BENCHMARK_NUM_REQUESTS),
    meanInputTokens: spec.inputTokens,
    meanOutputTokens: spec.outputTokens,
    inputLengths: spec.inputLengths ?? FIXED,
    outputLengths: spec.outputLengths ?? FIXED,
    maxRequestTokens: spec.maxRequestTokens ?? Infinity,
    load,
    seed,
  });
  const ids = groupByReplica(routeStream(replica, stream, m, routing), m);
  const itlUntilMs = spec.itlWhileArriving === true ? (stream.sendMs[stream.count - 1] ?? Infinity) : Infinity;
  // Each replica's own share of the rate (its load only tells the simulator the run is open-loop: measured range, window).
  const replicaLoad = { ...load, ratePerS: load.ratePerS / m };
  const traces = ids.map((list, k) => simulate(replica, withPrefixCache(requestsOf(stream, list), replica.prefixCache), replicaLoad, { seed: seed + k, itlUntilMs }));
  const joined = joinTraces(stream, traces, ids, replicaLoad);
  return summarize(joined, replica.requestOverheadMs, spec.slo ?? null, { itlReorderable: true });
}

/** Whether a routed run of `replicas` engine replicas differs from one replica at rate ÷ replicas (it does unless random, or one replica). */
export function routingMatters(routing: ReplicaRouting | undefined, replicas: number): boolean {
  return routing !== undefined && routing !== 'random' && Math.floor(replicas) > 1;
}

/**
 * [disagg] A disaggregated prefill/decode deployment under an open-loop request rate (issue 12
 * item 1), with the request-level simulator (engine/sim) for both pools.
 *
 * simulateDisagg runs the pools IN TANDEM (tandem.ts): one stream, round-robin routing as vLLM's P/D
 * proxy does (or least-loaded, `DisaggWorkload.routing`, routing.ts), each request's decode arrival = its prefill completion + its KV transfer; prefix
 * caching shrinks the prefill pool's work and the transfer (only the blocks the decode replica lacks
 * move), speculative decoding runs in the decode pool (its draft in that pool's memory). The
 * functions below it (runPool, combineLatency, assembleDisagg) are the earlier independent-split
 * model, kept for callers of the exported API:
 *
 * - prefill pool: each of its replicas gets rate ÷ replicas (a random split of a Poisson stream);
 *   its requests are the workload's prompts with ONE output token (the proxy sends them with
 *   max_tokens 1, vLLM toy_proxy_server.py): queue + chunked prefill, as the simulator runs them;
 * - KV transfer: kvTransfer.ts, after the prefill completes (NixlConnector does not overlap by layer);
 * - decode pool: each replica gets rate ÷ replicas; a request arrives with its prompt's KV already
 *   present but the last token: vLLM's scheduler sets num_computed_tokens = prompt − 1 when the
 *   remote KV has arrived (vllm/v1/core/sched/scheduler.py _update_waiting_for_remote_kv: "if
 *   num_computed_tokens == request.num_tokens: num_computed_tokens -= 1"), so the decode side
 *   allocates the prompt's blocks, computes one token and samples the first output token, then
 *   decodes the rest (sim SimRequests.cachedPromptTokens = prompt − 1).
 *
 * Per request: TTFT = prefill pool's time (request overhead + queue + prefill) + its transfer + the
 * wait for the decode replica's next step boundary (stepResidualMs) + the decode pool's time to its
 * first token (request overhead + queue + that one-token step); ITL and the rest of the
 * request from the decode pool. Both pools draw the same requests from one seed (same lengths in the
 * same order, arrival gaps scaled to each pool's rate), and request i's parts are added.
 * APPROXIMATIONS of that split (tandem.ts removes the first two): the decode pool sees a fresh
 * Poisson split rather than the prefill pool's departures (a queue's departures are smoother than
 * its arrivals: the decode queue is slightly overstated); pairing request i's waits in both pools
 * (one seed) puts bursts in both at once, a conservative pairing; a decode request preempted in the simulator keeps its transferred KV (vLLM
 * would recompute it locally); the prefill side frees a request's blocks when it finishes, not when
 * the decode side has read them (NixlConnector.request_finished delays the free by the transfer,
 * milliseconds against the prefill's hundreds).
 */
import type { GpuSpec, LatencyPercentiles, Layout, MemoryPlan, ResolvedServingOptions, ServingEngine, SloLimits, SloPercentile, SpeculativeModel } from '../types';
import type { ModelCost } from '../perf/modelCost';
import { replicaModel } from '../perf/estimatePerf';
import { usdPerMillionTokens } from '../perf/cost';
import type { LengthDistribution, SimRequests } from '../sim/load';
import { drawRequests } from '../sim/load';
import type { SimReplica } from '../sim/replica';
import { simReplicaFor } from '../sim/fromEngine';
import type { SimTrace } from '../sim/simulate';
import { simulate } from '../sim/simulate';
import { latencyStats, summarize } from '../sim/summarize';
import { weightedMean, weightedPercentiles } from '../sim/stats';
import { keepsUpWithArrivals, latencyAtPercentile } from '../sim/maxRate';
import { DEFAULT_SIM_SEED } from '../sim/run';
import type { KvTransfer } from './kvTransfer';
import { kvLinkUtilisation, kvTransfer } from './kvTransfer';
import type { PrefixCacheRule } from '../sim/prefix';
import { withPrefixCache } from '../sim/prefix';
import { prefixCacheUse } from '../perf/prefixCache';
import type { TandemPrefill, TandemRun } from './tandem';
import type { DisaggRouting } from './routing';
import { runTandem, runTandemPrefill } from './tandem';

/** One pool: a GPU type and one engine replica's layout (tp × pp GPUs; × dp with expert parallelism), and how many replicas. */
export interface DisaggPool {
  gpu: GpuSpec;
  /** One replica's layout (dp = 1: the pool's replicas are its copies). */
  layout: Layout;
  replicas: number;
  serving: ResolvedServingOptions;
  engine: ServingEngine;
  memory: MemoryPlan;
  cost: ModelCost;
  /** USD per GPU-hour. */
  priceUsdPerHour: number;
  /**
   * Speculative decoding in this pool (perf/speculative.ts): `memory` has the draft loaded
   * (speculativeMemoryPlan) and the step model prices verify + drafts. Set on the decode pool
   * (recommendDisagg.ts poolShape); the prefill pool's one-token requests never verify. Absent = none.
   */
  speculative?: SpeculativeModel;
}

export interface DisaggWorkload {
  inputTokens: number;
  outputTokens: number;
  ratePerS: number;
  burstiness: number;
  /** Requests per simulated run, per pool replica. */
  numRequests: number;
  seed?: number;
  inputLengths?: LengthDistribution;
  outputLengths?: LengthDistribution;
  /** How the proxy picks each pool's replica (routing.ts); absent = round-robin, vLLM's proxy. */
  routing?: DisaggRouting;
}

/** One pool replica's simulated run at its share of the rate. */
export interface PoolRun {
  replicas: number;
  trace: SimTrace;
  requestOverheadMs: number;
  /** Completions ÷ arrivals in the run's window ≥ RATE_KEEP_UP_FRACTION. */
  keepsUp: boolean;
  requestsPerS: number;
  outputTokensPerS: number;
  preemptions: number;
}

/**
 * Data-parallel attention ranks of one pool replica with expert parallelism (vLLM `--data-parallel-size N
 * --enable-expert-parallel`: each DP rank schedules its own requests, the experts are spread over all
 * tp × dp GPUs); 1 without EP (a pool replica is one engine, dp = 1).
 */
export const engineRanksPerReplica = (layout: Partial<Pick<Layout, 'dp' | 'ep'>>): number => (layout.ep === true ? Math.max(1, Math.floor(layout.dp ?? 1)) : 1);

/** GPUs of one pool replica: tp × pp, × dp with expert parallelism. */
export const gpusPerReplica = (layout: Pick<Layout, 'tp' | 'pp'> & Partial<Pick<Layout, 'dp' | 'ep'>>): number =>
  Math.max(1, layout.tp) * Math.max(1, layout.pp) * engineRanksPerReplica(layout);

/** Engine schedulers of a pool at `replicas` replicas (each DP rank of an EP replica is one; the simulator runs each). */
export const poolEngines = (pool: Pick<DisaggPool, 'layout'>, replicas: number): number => Math.max(1, replicas) * engineRanksPerReplica(pool.layout);

/** The simulator's replica of a pool (the step model of its layout at the workload's lengths). */
export function poolReplica(pool: DisaggPool, role: 'prefill' | 'decode', w: Pick<DisaggWorkload, 'inputTokens' | 'outputTokens'>): SimReplica {
  const model = replicaModel(pool, pool.cost, w.inputTokens, role === 'prefill' ? 1 : w.outputTokens);
  const replica = simReplicaFor({ memory: pool.memory, serving: pool.serving, engine: pool.engine, model });
  // Both servers take a whole HTTP request (the proxy sends the prompt to the prefill server, then
  // again to the decode server: vLLM toy_proxy_server.py), each tokenizing it and scheduling it:
  // the per-request cost (calibration.ts requestOverheadMs) is paid on both sides.
  return replica;
}

/**
 * The pool's requests: the workload's draw (same seed, same lengths), prefill with one output token
 * (and its prefix-cache hit by `prefix`, sim/prefix.ts), decode with the prompt present but its last
 * token (and the shared prefix held once by `prefix`).
 */
export function poolRequests(role: 'prefill' | 'decode', w: DisaggWorkload, ratePerS: number, maxRequestTokens: number, prefix?: PrefixCacheRule): SimRequests {
  const drawn = drawRequests({
    count: Math.max(1, Math.floor(w.numRequests)),
    meanInputTokens: w.inputTokens,
    meanOutputTokens: w.outputTokens,
    inputLengths: w.inputLengths ?? { kind: 'fixed' },
    outputLengths: w.outputLengths ?? { kind: 'fixed' },
    maxRequestTokens,
    load: { kind: 'open-loop', ratePerS, burstiness: w.burstiness },
    seed: w.seed ?? DEFAULT_SIM_SEED,
  });
  if (role === 'prefill') return withPrefixCache({ ...drawn, outputTokens: new Int32Array(drawn.count).fill(1) }, prefix);
  const cached = new Int32Array(drawn.count);
  const shared = new Int32Array(drawn.count);
  for (let i = 0; i < drawn.count; i += 1) {
    const isl = drawn.inputTokens[i] ?? 1;
    cached[i] = Math.max(0, isl - 1);
    shared[i] = prefix === undefined ? 0 : Math.min(prefix(isl).sharedPoolTokens, cached[i] ?? 0);
  }
  return { ...drawn, cachedPromptTokens: cached, ...(prefix === undefined ? {} : { sharedPrefixTokens: shared }) };
}

/** One replica of a pool at rate ÷ replicas. */
export function runPool(pool: DisaggPool, role: 'prefill' | 'decode', w: DisaggWorkload, replicas: number, replica?: SimReplica): PoolRun {
  const r = replica ?? poolReplica(pool, role, w);
  const ratePerS = w.ratePerS / poolEngines(pool, replicas);
  const load = { kind: 'open-loop' as const, ratePerS, burstiness: w.burstiness };
  const trace = simulate(r, poolRequests(role, w, ratePerS, pool.serving.maxModelLenTokens, r.prefixCache), load);
  const s = summarize(trace, r.requestOverheadMs, null);
  return {
    replicas,
    trace,
    requestOverheadMs: r.requestOverheadMs,
    keepsUp: s.measuredRequests > 0 && s.rejectedRequests === 0 && keepsUpWithArrivals(s),
    requestsPerS: s.requestsPerS * poolEngines(pool, replicas),
    outputTokensPerS: s.outputTokensPerS * poolEngines(pool, replicas),
    preemptions: s.preemptions,
  };
}

/** The whole deployment's latencies (TTFT across both pools, ITL from the decode pool). */
export interface DisaggLatency extends LatencyPercentiles {
  /** Mean parts of TTFT: prefill pool (overhead + queue + prefill), transfer, the wait for the decode step boundary after it, decode pool's first token (overhead + queue + its step). */
  prefillPartMs: number;
  kvTransferMs: number;
  kvReadyStepWaitMs: number;
  decodeFirstTokenPartMs: number;
  measuredRequests: number;
}

/**
 * Mean wait from a random instant to the decode replica's next step boundary: the residual of its
 * step durations, Σ τ² / (2 Σ τ) (a random instant falls in a step with probability ∝ its length).
 * The decode scheduler learns that a request's KV has arrived only when it next schedules
 * (vllm/v1/core/sched/scheduler.py: finished_recving_kv_req_ids are read by schedule() through
 * _update_waiting_for_remote_kv), so each transfer ends with that wait (vLLM PR #51919 measures the
 * decode-side hand-over on a 3P1D deployment at ~197 ms p50 against a ~29 ms transfer: step
 * alignment and the recomputed token dominate).
 */
export function stepResidualMs(stepMs: Float64Array): number {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < stepMs.length; i += 1) {
    const t = stepMs[i] ?? 0;
    sum += t;
    sumSq += t * t;
  }
  return sum > 0 ? sumSq / (2 * sum) : 0;
}

/** Each measured request's TTFT parts, accumulated by the two ways the pools are run (independent split, tandem). */
interface RequestParts {
  ttft: Float64Array;
  e2e: Float64Array;
  count: number;
  preSum: number;
  xferSum: number;
  decSum: number;
}

const requestParts = (capacity: number): RequestParts => ({ ttft: new Float64Array(capacity), e2e: new Float64Array(capacity), count: 0, preSum: 0, xferSum: 0, decSum: 0 });

/** One request: TTFT = prefill part + transfer + the wait for the decode step + decode's first token; E2E adds the rest of its decode. */
function addRequest(parts: RequestParts, preMs: number, xferMs: number, waitMs: number, decFirstMs: number, decRestMs: number): void {
  const first = preMs + xferMs + waitMs + decFirstMs;
  parts.ttft[parts.count] = first;
  parts.e2e[parts.count] = first + decRestMs;
  parts.preSum += preMs;
  parts.xferSum += xferMs;
  parts.decSum += decFirstMs;
  parts.count += 1;
}

/** The deployment's latency summary from its requests' parts and the decode pool's inter-token gaps. */
function disaggLatencyOf(parts: RequestParts, itlValuesMs: Float64Array, itlWeights: Float64Array, waitMs: number): DisaggLatency {
  const m = parts.count;
  const t = latencyStats(parts.ttft.subarray(0, m));
  const e = latencyStats(parts.e2e.subarray(0, m));
  const [i50, i90, i95, i99] = weightedPercentiles(itlValuesMs, itlWeights, [50, 90, 95, 99]);
  return {
    ttftMs: t.meanMs,
    ttftP50Ms: t.p50Ms,
    ttftP90Ms: t.p90Ms,
    ttftP95Ms: t.p95Ms,
    ttftP99Ms: t.p99Ms,
    itlMs: weightedMean(itlValuesMs, itlWeights),
    itlP50Ms: i50 ?? Number.NaN,
    itlP90Ms: i90 ?? Number.NaN,
    itlP95Ms: i95 ?? Number.NaN,
    itlP99Ms: i99 ?? Number.NaN,
    e2eMs: e.meanMs,
    e2eP50Ms: e.p50Ms,
    e2eP90Ms: e.p90Ms,
    e2eP95Ms: e.p95Ms,
    e2eP99Ms: e.p99Ms,
    prefillPartMs: m > 0 ? parts.preSum / m : Number.NaN,
    kvTransferMs: m > 0 ? parts.xferSum / m : Number.NaN,
    kvReadyStepWaitMs: waitMs,
    decodeFirstTokenPartMs: m > 0 ? parts.decSum / m : Number.NaN,
    measuredRequests: m,
  };
}

/**
 * The deployment's latencies from the two pools' runs: request i's prefill part + its transfer +
 * its decode part, over the requests both runs measure and serve.
 */
export function combineLatency(pre: PoolRun, dec: PoolRun, transferMsOf: (promptTokens: number) => number): DisaggLatency {
  const p = pre.trace;
  const d = dec.trace;
  const waitMs = stepResidualMs(d.stepMs);
  const from = Math.max(p.measuredFrom, d.measuredFrom);
  const to = Math.min(p.measuredTo, d.measuredTo, p.requests.count, d.requests.count);
  const span = Math.max(0, to - from);
  const parts = requestParts(span);
  for (let i = from; i < to; i += 1) {
    if (p.rejected[i] === 1 || d.rejected[i] === 1) continue;
    const preMs = (p.firstTokenMs[i] ?? 0) - (p.arrivalMs[i] ?? 0) + pre.requestOverheadMs;
    const xferMs = transferMsOf(p.requests.inputTokens[i] ?? 0);
    const decFirstMs = (d.firstTokenMs[i] ?? 0) - (d.arrivalMs[i] ?? 0) + dec.requestOverheadMs;
    const decRestMs = (d.finishMs[i] ?? 0) - (d.firstTokenMs[i] ?? 0);
    if (!Number.isFinite(preMs + decFirstMs + decRestMs)) continue;
    addRequest(parts, preMs, xferMs, waitMs, decFirstMs, decRestMs);
  }
  return disaggLatencyOf(parts, d.itlValuesMs, d.itlWeights, waitMs);
}

export function meetsDisaggSlo(l: DisaggLatency, slo: SloLimits & { percentile: SloPercentile }): boolean {
  if (!(l.measuredRequests > 0)) return false;
  const at = latencyAtPercentile(l, slo.percentile);
  // A NaN percentile (nothing measured in one pool) fails, unlike a simulator run's (finite by contract).
  if (slo.maxTtftMs !== null && !(at.ttftMs <= slo.maxTtftMs)) return false;
  if (slo.maxItlMs !== null && !(at.itlMs <= slo.maxItlMs)) return false;
  if (slo.maxE2eMs !== null && !(at.e2eMs <= slo.maxE2eMs)) return false;
  return true;
}

/** The whole deployment at the target rate. */
export interface DisaggEstimate {
  latency: DisaggLatency;
  transfer: KvTransfer;
  /** Mean KV transfer per request at the workload's mean prompt, ms. */
  kvTransferMsPerRequest: number;
  /** Share of the prefill GPUs' link bandwidth the transfers take at the rate. */
  kvLinkUtilisation: number;
  prefillKeepsUp: boolean;
  decodeKeepsUp: boolean;
  requestsPerS: number;
  outputTokensPerS: number;
  totalGpus: number;
  costUsdPerHour: number;
  usdPerMillionOutputTokens: number | null;
  prefillPreemptions: number;
  decodePreemptions: number;
  /** How the pools were fed: 'tandem' (the decode pool gets the prefill pool's departures, tandem.ts; simulateDisagg) or 'independent-split' (assembleDisagg). Absent = 'independent-split'. */
  arrivals?: 'tandem' | 'independent-split';
  /** How the proxy routes to each pool's replicas (tandem.ts). */
  routing?: DisaggRouting;
  /** Prompt tokens one transfer carries at the workload's mean prompt: the prompt less the decode replica's own prefix-cache hit. */
  kvTransferTokensPerRequest?: number;
  /** Prompt tokens the prefill pool finds in its prefix cache at the workload's mean prompt (perf/prefixCache.ts): its prefill computes only the rest. */
  prefillCachedTokensPerRequest?: number;
  /** Requests simulated in the tandem stream (both pools). */
  simulatedRequests?: number;
}

export function poolCostUsdPerHour(pool: Pick<DisaggPool, 'layout' | 'priceUsdPerHour'>, replicas: number): number {
  return replicas * gpusPerReplica(pool.layout) * pool.priceUsdPerHour;
}

/** Transfer figures of the two pools at `replicas` each (the link depends on whether both fit one NVLink domain). */
export function transferBetween(prefill: DisaggPool, decode: DisaggPool, prefillReplicas: number, decodeReplicas: number, promptTokens: number): KvTransfer {
  return kvTransfer({ ...prefill, replicas: prefillReplicas }, { ...decode, replicas: decodeReplicas }, promptTokens);
}

/** The deployment from its pools' runs (the runs may be shared between ratios: sizeDisagg.ts). */
export function assembleDisagg(prefill: DisaggPool, decode: DisaggPool, w: DisaggWorkload, pre: PoolRun, dec: PoolRun): DisaggEstimate {
  const meanTransfer = transferBetween(prefill, decode, pre.replicas, dec.replicas, w.inputTokens);
  const latency = combineLatency(pre, dec, (tokens) => transferBetween(prefill, decode, pre.replicas, dec.replicas, tokens).msPerRequest);
  const totalGpus = pre.replicas * gpusPerReplica(prefill.layout) + dec.replicas * gpusPerReplica(decode.layout);
  const costUsdPerHour = poolCostUsdPerHour(prefill, pre.replicas) + poolCostUsdPerHour(decode, dec.replicas);
  const keeps = pre.keepsUp && dec.keepsUp;
  return {
    latency,
    transfer: meanTransfer,
    kvTransferMsPerRequest: meanTransfer.msPerRequest,
    kvLinkUtilisation: kvLinkUtilisation(meanTransfer, w.ratePerS, pre.replicas * gpusPerReplica(prefill.layout)),
    prefillKeepsUp: pre.keepsUp,
    decodeKeepsUp: dec.keepsUp,
    requestsPerS: dec.requestsPerS,
    outputTokensPerS: dec.outputTokensPerS,
    totalGpus,
    costUsdPerHour,
    // At the target: every request completes when both pools keep up (as capacity.ts capacityCost).
    usdPerMillionOutputTokens: keeps ? usdPerMillionTokens(costUsdPerHour, w.ratePerS * w.outputTokens) : usdPerMillionTokens(costUsdPerHour, dec.outputTokensPerS),
    prefillPreemptions: pre.preemptions,
    decodePreemptions: dec.preemptions,
  };
}

/** A pool's prefix-cache hit for one prompt (perf/prefixCache.ts, at its block size and engine). */
export const poolPrefixUse = (pool: Pick<DisaggPool, 'serving' | 'engine' | 'memory'>, promptTokens: number) =>
  prefixCacheUse(pool.serving.prefixCache, pool.engine, promptTokens, pool.memory.blockSizeTokens);

/**
 * Requests in one tandem run: numRequests per replica of the larger pool, so that every replica of
 * either pool serves at least the workload's numRequests (its warm-up cut as any run's) and the
 * run lasts as long as the earlier per-replica runs did.
 */
export const tandemRequestCount = (w: Pick<DisaggWorkload, 'numRequests'>, prefillReplicas: number, decodeReplicas: number): number =>
  Math.max(1, Math.floor(w.numRequests)) * Math.max(1, prefillReplicas, decodeReplicas);

/** The deployment's request stream at the whole rate (one seed: lengths and send times as sim/load.ts draws them). */
export function deploymentStream(w: DisaggWorkload, count: number, maxRequestTokens: number): SimRequests {
  return drawRequests({
    count,
    meanInputTokens: w.inputTokens,
    meanOutputTokens: w.outputTokens,
    inputLengths: w.inputLengths ?? { kind: 'fixed' },
    outputLengths: w.outputLengths ?? { kind: 'fixed' },
    maxRequestTokens,
    load: { kind: 'open-loop', ratePerS: w.ratePerS, burstiness: w.burstiness },
    seed: w.seed ?? DEFAULT_SIM_SEED,
  });
}

/** Mean step-boundary residual over every decode replica's steps (stepResidualMs over their union). */
function tandemResidualMs(run: TandemRun): number {
  let sum = 0;
  let sumSq = 0;
  for (const t of run.decode.traces) {
    for (let i = 0; i < t.stepMs.length; i += 1) {
      const x = t.stepMs[i] ?? 0;
      sum += x;
      sumSq += x * x;
    }
  }
  return sum > 0 ? sumSq / (2 * sum) : 0;
}

/**
 * The deployment's latencies from a tandem run, request by request over those both pools measured:
 * TTFT = (prefill done − send + prefill server's request overhead) + transfer + the read's start wait
 * (stepResidualMs of the decode steps) + (decode first token − decode arrival + decode server's
 * request overhead); ITL over every decode replica's gaps.
 */
export function combineTandem(run: TandemRun): DisaggLatency {
  const r = run.requests;
  const n = r.sendMs.length;
  const waitMs = tandemResidualMs(run);
  const preOverheadMs = run.prefill.requestOverheadMs;
  const decOverheadMs = run.decode.requestOverheadMs;
  const parts = requestParts(n);
  for (let i = 0; i < n; i += 1) {
    if (r.measured[i] !== 1) continue;
    const send = r.sendMs[i] ?? 0;
    const preMs = (r.prefillDoneMs[i] ?? 0) - send + preOverheadMs;
    const xferMs = r.transferMs[i] ?? 0;
    const decFirstMs = (r.decodeFirstTokenMs[i] ?? 0) - (r.decodeArrivalMs[i] ?? 0) + decOverheadMs;
    const decRestMs = (r.decodeFinishMs[i] ?? 0) - (r.decodeFirstTokenMs[i] ?? 0);
    if (!Number.isFinite(preMs + xferMs + decFirstMs + decRestMs)) continue;
    addRequest(parts, preMs, xferMs, waitMs, decFirstMs, decRestMs);
  }
  let gaps = 0;
  for (const t of run.decode.traces) gaps += t.itlValuesMs.length;
  const itlValues = new Float64Array(gaps);
  const itlWeights = new Float64Array(gaps);
  let g = 0;
  for (const t of run.decode.traces) {
    itlValues.set(t.itlValuesMs, g);
    itlWeights.set(t.itlWeights, g);
    g += t.itlValuesMs.length;
  }
  return disaggLatencyOf(parts, itlValues, itlWeights, waitMs);
}

/** The deployment from a tandem run of its pools (replica counts: the run's). */
export function assembleTandem(prefill: DisaggPool, decode: DisaggPool, w: DisaggWorkload, run: TandemRun): DisaggEstimate {
  const np = prefill.replicas;
  const nd = decode.replicas;
  const decodeHit = Math.min(poolPrefixUse(decode, w.inputTokens).cachedTokensPerRequest, w.inputTokens);
  const transferTokens = Math.max(0, w.inputTokens - decodeHit);
  const meanTransfer = transferBetween(prefill, decode, np, nd, transferTokens);
  const totalGpus = np * gpusPerReplica(prefill.layout) + nd * gpusPerReplica(decode.layout);
  const costUsdPerHour = poolCostUsdPerHour(prefill, np) + poolCostUsdPerHour(decode, nd);
  const keeps = run.prefill.keepsUp && run.decode.keepsUp;
  return {
    latency: combineTandem(run),
    transfer: meanTransfer,
    kvTransferMsPerRequest: meanTransfer.msPerRequest,
    kvLinkUtilisation: kvLinkUtilisation(meanTransfer, w.ratePerS, np * gpusPerReplica(prefill.layout)),
    prefillKeepsUp: run.prefill.keepsUp,
    decodeKeepsUp: run.decode.keepsUp,
    requestsPerS: run.decode.requestsPerS,
    outputTokensPerS: run.decode.outputTokensPerS,
    totalGpus,
    costUsdPerHour,
    usdPerMillionOutputTokens: keeps ? usdPerMillionTokens(costUsdPerHour, w.ratePerS * w.outputTokens) : usdPerMillionTokens(costUsdPerHour, run.decode.outputTokensPerS),
    prefillPreemptions: run.prefill.preemptions,
    decodePreemptions: run.decode.preemptions,
    arrivals: 'tandem',
    routing: run.routing,
    kvTransferTokensPerRequest: transferTokens,
    prefillCachedTokensPerRequest: poolPrefixUse(prefill, w.inputTokens).cachedTokensPerRequest,
    simulatedRequests: run.requests.sendMs.length,
  };
}

export interface SimulateDisaggOptions {
  /** One request's transfer time for the prompt tokens it carries (default: the pools' link, kvTransfer.ts); tests pass () => 0. */
  transferMsOf?: (promptTokens: number) => number;
}

/** The transfer time the pools' link gives one request (kvTransfer.ts). */
const linkTransferMs = (prefill: DisaggPool, decode: DisaggPool) => (tokens: number) => transferBetween(prefill, decode, prefill.replicas, decode.replicas, tokens).msPerRequest;

/** The prefill pool's tandem run on the deployment's stream (shared by every decode count: sizeDisagg.ts). */
export function tandemPrefill(prefill: DisaggPool, w: DisaggWorkload, stream: SimRequests, replica?: SimReplica): TandemPrefill {
  return runTandemPrefill(replica ?? poolReplica(prefill, 'prefill', w), stream, poolEngines(prefill, prefill.replicas), { ratePerS: w.ratePerS, burstiness: w.burstiness }, w.seed ?? DEFAULT_SIM_SEED, w.routing);
}

/** Both pools in tandem at their replica counts; `pre`: the prefill pool's run on the same stream when already simulated. */
export function runDisaggTandem(
  prefill: DisaggPool,
  decode: DisaggPool,
  w: DisaggWorkload,
  opts: SimulateDisaggOptions & { stream?: SimRequests; prefillRun?: TandemPrefill; prefillReplica?: SimReplica; decodeReplica?: SimReplica } = {},
): TandemRun {
  const stream =
    opts.stream ?? deploymentStream(w, tandemRequestCount(w, poolEngines(prefill, prefill.replicas), poolEngines(decode, decode.replicas)), Math.min(prefill.serving.maxModelLenTokens, decode.serving.maxModelLenTokens));
  const load = { ratePerS: w.ratePerS, burstiness: w.burstiness };
  const seed = w.seed ?? DEFAULT_SIM_SEED;
  // The prefill pool's run when given (sizeDisagg.ts shares it between decode counts), else simulated here.
  const pre = opts.prefillRun ?? runTandemPrefill(opts.prefillReplica ?? poolReplica(prefill, 'prefill', w), stream, poolEngines(prefill, prefill.replicas), load, seed, w.routing);
  const dr = opts.decodeReplica ?? poolReplica(decode, 'decode', w);
  // Every DP rank of an EP replica is its own scheduler: the proxy's round-robin is taken over them all
  // (APPROXIMATION: vLLM's DP front end balances its ranks by their queues).
  return runTandem(pre, dr, stream, poolEngines(decode, decode.replicas), load, seed, opts.transferMsOf ?? linkTransferMs(prefill, decode), w.routing);
}

/** One deployment (given replica counts) at the workload's rate: the pools in tandem (tandem.ts). */
export function simulateDisagg(prefill: DisaggPool, decode: DisaggPool, w: DisaggWorkload, opts: SimulateDisaggOptions = {}): DisaggEstimate {
  return assembleTandem(prefill, decode, w, runDisaggTandem(prefill, decode, w, opts));
}

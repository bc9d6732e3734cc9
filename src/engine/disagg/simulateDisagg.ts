/**
 * [disagg] A disaggregated prefill/decode deployment under an open-loop request rate (issue 12
 * item 1), with the request-level simulator (engine/sim) for both pools:
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
 * APPROXIMATIONS: the decode pool sees a fresh Poisson split rather than the prefill pool's
 * departures (a queue's departures are smoother than its arrivals: the decode queue is slightly
 * overstated); pairing request i's waits in both pools (one seed) puts bursts in both at once, a
 * conservative pairing; a decode request preempted in the simulator keeps its transferred KV (vLLM
 * would recompute it locally); the prefill side frees a request's blocks when it finishes, not when
 * the decode side has read them (NixlConnector.request_finished delays the free by the transfer,
 * milliseconds against the prefill's hundreds).
 */
import type { GpuSpec, LatencyPercentiles, Layout, MemoryPlan, ResolvedServingOptions, ServingEngine, SloLimits, SloPercentile } from '../types';
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

/** One pool: a GPU type and one engine replica's layout (tp × pp GPUs), and how many replicas. */
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

export const gpusPerReplica = (layout: Pick<Layout, 'tp' | 'pp'>): number => Math.max(1, layout.tp) * Math.max(1, layout.pp);

/** The simulator's replica of a pool (the step model of its layout at the workload's lengths). */
export function poolReplica(pool: DisaggPool, role: 'prefill' | 'decode', w: Pick<DisaggWorkload, 'inputTokens' | 'outputTokens'>): SimReplica {
  const model = replicaModel(pool, pool.cost, w.inputTokens, role === 'prefill' ? 1 : w.outputTokens);
  const replica = simReplicaFor({ memory: pool.memory, serving: pool.serving, engine: pool.engine, model });
  // Both servers take a whole HTTP request (the proxy sends the prompt to the prefill server, then
  // again to the decode server: vLLM toy_proxy_server.py), each tokenizing it and scheduling it:
  // the per-request cost (calibration.ts requestOverheadMs) is paid on both sides.
  return replica;
}

/** The pool's requests: the workload's draw (same seed, same lengths), prefill with one output token, decode with the prompt present but its last token. */
export function poolRequests(role: 'prefill' | 'decode', w: DisaggWorkload, ratePerS: number, maxRequestTokens: number): SimRequests {
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
  if (role === 'prefill') return { ...drawn, outputTokens: new Int32Array(drawn.count).fill(1) };
  const cached = new Int32Array(drawn.count);
  for (let i = 0; i < drawn.count; i += 1) cached[i] = Math.max(0, (drawn.inputTokens[i] ?? 1) - 1);
  return { ...drawn, cachedPromptTokens: cached };
}

/** One replica of a pool at rate ÷ replicas. */
export function runPool(pool: DisaggPool, role: 'prefill' | 'decode', w: DisaggWorkload, replicas: number, replica?: SimReplica): PoolRun {
  const r = replica ?? poolReplica(pool, role, w);
  const ratePerS = w.ratePerS / Math.max(1, replicas);
  const load = { kind: 'open-loop' as const, ratePerS, burstiness: w.burstiness };
  const trace = simulate(r, poolRequests(role, w, ratePerS, pool.serving.maxModelLenTokens), load);
  const s = summarize(trace, r.requestOverheadMs, null);
  return {
    replicas,
    trace,
    requestOverheadMs: r.requestOverheadMs,
    keepsUp: s.measuredRequests > 0 && s.rejectedRequests === 0 && keepsUpWithArrivals(s),
    requestsPerS: s.requestsPerS * replicas,
    outputTokensPerS: s.outputTokensPerS * replicas,
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
  const ttft = new Float64Array(span);
  const e2e = new Float64Array(span);
  let m = 0;
  let preSum = 0;
  let xferSum = 0;
  let decSum = 0;
  for (let i = from; i < to; i += 1) {
    if (p.rejected[i] === 1 || d.rejected[i] === 1) continue;
    const preMs = (p.firstTokenMs[i] ?? 0) - (p.arrivalMs[i] ?? 0) + pre.requestOverheadMs;
    const xferMs = transferMsOf(p.requests.inputTokens[i] ?? 0);
    const decFirstMs = (d.firstTokenMs[i] ?? 0) - (d.arrivalMs[i] ?? 0) + dec.requestOverheadMs;
    const decRestMs = (d.finishMs[i] ?? 0) - (d.firstTokenMs[i] ?? 0);
    if (!Number.isFinite(preMs + decFirstMs + decRestMs)) continue;
    const first = preMs + xferMs + waitMs + decFirstMs;
    ttft[m] = first;
    e2e[m] = first + decRestMs;
    preSum += preMs;
    xferSum += xferMs;
    decSum += decFirstMs;
    m += 1;
  }
  const t = latencyStats(ttft.subarray(0, m));
  const e = latencyStats(e2e.subarray(0, m));
  const [i50, i90, i95, i99] = weightedPercentiles(d.itlValuesMs, d.itlWeights, [50, 90, 95, 99]);
  return {
    ttftMs: t.meanMs,
    ttftP50Ms: t.p50Ms,
    ttftP90Ms: t.p90Ms,
    ttftP95Ms: t.p95Ms,
    ttftP99Ms: t.p99Ms,
    itlMs: weightedMean(d.itlValuesMs, d.itlWeights),
    itlP50Ms: i50 ?? Number.NaN,
    itlP90Ms: i90 ?? Number.NaN,
    itlP95Ms: i95 ?? Number.NaN,
    itlP99Ms: i99 ?? Number.NaN,
    e2eMs: e.meanMs,
    e2eP50Ms: e.p50Ms,
    e2eP90Ms: e.p90Ms,
    e2eP95Ms: e.p95Ms,
    e2eP99Ms: e.p99Ms,
    prefillPartMs: m > 0 ? preSum / m : Number.NaN,
    kvTransferMs: m > 0 ? xferSum / m : Number.NaN,
    kvReadyStepWaitMs: waitMs,
    decodeFirstTokenPartMs: m > 0 ? decSum / m : Number.NaN,
    measuredRequests: m,
  };
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

/** One deployment (given replica counts) at the workload's rate. */
export function simulateDisagg(prefill: DisaggPool, decode: DisaggPool, w: DisaggWorkload): DisaggEstimate {
  const pre = runPool(prefill, 'prefill', w, prefill.replicas);
  const dec = runPool(decode, 'decode', w, decode.replicas);
  return assembleDisagg(prefill, decode, w, pre, dec);
}

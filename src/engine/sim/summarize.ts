/**
 * A run's figures from its trace: latency means and percentiles over the measured requests,
 * throughput and goodput over the throughput window, KV-pool use and queue length over time.
 * Field names follow the CLI's JSON (issue 10: ttftP99Ms, itlP90Ms, requestsPerS, …) so the CLI and
 * UI pass them through unchanged.
 */
import type { SloLimits } from '../types';
import { MS_PER_S } from '../units';
import type { SimTrace } from './simulate';
import { mean, percentileSorted, weightedMean, weightedPercentiles } from './stats';

/** Latency of the measured requests: mean and percentiles, ms. */
export interface LatencyStats {
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** The KV pool and queues over the run, at most SERIES_POINTS points (time-bucketed means; max for the queue). */
export interface SimSeries {
  timeMs: number[];
  kvUsedFraction: number[];
  waitingRequests: number[];
  runningRequests: number[];
}

export interface SimResult {
  /** Requests the run sent (warm-up and drain included). */
  simulatedRequests: number;
  /** Requests the latency statistics are over. */
  measuredRequests: number;
  /** Requests left out at the start (warm-up) and end (closed-loop drain). */
  excludedRequests: number;
  /** Requests that can never fit the KV pool (not served). */
  rejectedRequests: number;
  ttftMs: number;
  ttftP50Ms: number;
  ttftP90Ms: number;
  ttftP95Ms: number;
  ttftP99Ms: number;
  /**
   * Mean time the measured requests waited in the queue before their first prompt chunk was
   * scheduled, ms: the queueing part of ttftMs (the rest is the prompt's steps and requestOverheadMs).
   */
  ttftQueueMs: number;
  /** Client-side time per request outside the engine (replica.requestOverheadMs), included in every TTFT and E2E, ms. */
  requestOverheadMs: number;
  /** Inter-token latency over every gap of the measured requests (as vllm bench serve's ITL). */
  itlMs: number;
  itlP50Ms: number;
  itlP90Ms: number;
  itlP95Ms: number;
  itlP99Ms: number;
  /** Time per output token per request, (E2E − TTFT) / (output − 1) (vllm bench serve's TPOT). */
  tpotMs: number;
  tpotP50Ms: number;
  tpotP90Ms: number;
  tpotP95Ms: number;
  tpotP99Ms: number;
  e2eMs: number;
  e2eP50Ms: number;
  e2eP90Ms: number;
  e2eP95Ms: number;
  e2eP99Ms: number;
  /** Completions per second within the throughput window. */
  requestsPerS: number;
  /** Arrivals per second within the window: what the client offered (a replica keeping up completes as many). */
  offeredRequestsPerS: number;
  outputTokensPerS: number;
  /** Completions per second whose TTFT, TPOT and E2E each meet the SLO (vllm bench serve --goodput); = requestsPerS without limits. */
  goodputRequestsPerS: number;
  preemptions: number;
  /**
   * Shares (0–1) of the measured TTFTs, inter-token gaps and E2Es above the run's limits (`slo`; 0
   * where none is set): how close a percentile limit is to breaking — the q-th percentile stays
   * within a limit while about less than 1 − q/100 of the values exceed it (the rate search
   * interpolates on it, maxRate.ts).
   */
  ttftOverLimitShare: number;
  itlOverLimitShare: number;
  e2eOverLimitShare: number;
  /** Time-mean of requests in the engine (running + waiting) over the throughput window. */
  meanRequestsInSystem: number;
  /** Simulated duration of the whole run, ms. */
  durationMs: number;
  steps: number;
  series: SimSeries;
}

export const SERIES_POINTS = 120;

/** Mean and p50/p90/p95/p99 (numpy R-7, as vllm bench serve) of unweighted values; NaN when empty. */
export function latencyStats(values: Float64Array): LatencyStats {
  const sorted = values.slice().sort();
  return {
    meanMs: mean(values),
    p50Ms: percentileSorted(sorted, 50),
    p90Ms: percentileSorted(sorted, 90),
    p95Ms: percentileSorted(sorted, 95),
    p99Ms: percentileSorted(sorted, 99),
  };
}

/** Outputs are finite by contract: a statistic over nothing reads 0. */
const finite = (x: number): number => (Number.isFinite(x) ? x : 0);

/**
 * `itlReorderable`: the trace's inter-token entries may be reordered (a trace of the simulator's
 * reused logs, summarised once and dropped: runSimulation) — the percentiles are selected in them
 * instead of in a copy, after the mean and the share over the limit are summed in their order.
 */
export function summarize(trace: SimTrace, overheadMs: number, slo: SloLimits | null = null, opts: { itlReorderable?: boolean } = {}): SimResult {
  const { arrivalMs, firstScheduledMs, firstTokenMs, finishMs, rejected, measuredFrom, measuredTo } = trace;
  const osl = trace.requests.outputTokens;
  const n = trace.requests.count;
  const span = Math.max(0, measuredTo - measuredFrom);
  const ttft = new Float64Array(span);
  const e2e = new Float64Array(span);
  const tpot = new Float64Array(span);
  let m = 0;
  let t = 0;
  let rejectedCount = 0;
  let queueMsSum = 0;
  for (let i = 0; i < n; i += 1) if (rejected[i] === 1) rejectedCount += 1;
  for (let i = measuredFrom; i < measuredTo; i += 1) {
    if (rejected[i] === 1) continue;
    const a = arrivalMs[i] ?? 0;
    const first = firstTokenMs[i] ?? 0;
    const end = finishMs[i] ?? 0;
    ttft[m] = first - a + overheadMs;
    queueMsSum += (firstScheduledMs[i] ?? a) - a;
    e2e[m] = end - a + overheadMs;
    m += 1;
    const out = osl[i] ?? 1;
    if (out > 1) {
      tpot[t] = (end - first) / (out - 1);
      t += 1;
    }
  }
  const ttftS = latencyStats(ttft.subarray(0, m));
  const e2eS = latencyStats(e2e.subarray(0, m));
  const tpotS = latencyStats(tpot.subarray(0, t));
  const itlMeanMs = weightedMean(trace.itlValuesMs, trace.itlWeights);
  const itlOverLimitShare = shareAbove(trace.itlValuesMs, trace.itlWeights, slo?.maxItlMs ?? null);
  const [itl50, itl90, itl95, itl99] = weightedPercentiles(trace.itlValuesMs, trace.itlWeights, [50, 90, 95, 99], { inPlace: opts.itlReorderable === true });

  // Throughput, goodput and requests in system over the window. An open loop fills the replica over
  // about one E2E from its first request: the window starts no earlier than that (a window opening
  // while the in-flight population still grows counts the arrivals but not yet their completions).
  const w1 = trace.windowEndMs;
  const rampEndMs = trace.load.kind === 'open-loop' && m > 0 ? (arrivalMs[0] ?? 0) + e2eS.p50Ms - overheadMs : -Infinity;
  const w0 = rampEndMs < w1 ? Math.max(trace.windowStartMs, rampEndMs) : trace.windowStartMs;
  const windowMs = w1 - w0;
  let completions = 0;
  let arrivals = 0;
  let good = 0;
  let inSystemMs = 0;
  for (let i = 0; i < n; i += 1) {
    const a = arrivalMs[i] ?? Number.NaN;
    const end = finishMs[i] ?? Number.NaN;
    if (a >= w0 && a < w1) arrivals += 1;
    if (Number.isNaN(end)) continue;
    inSystemMs += Math.max(0, Math.min(end, w1) - Math.max(a, w0));
    if (end < w0 || end > w1) continue;
    completions += 1;
    if (slo === null || meetsRequestSlo(a, firstTokenMs[i] ?? 0, end, osl[i] ?? 1, overheadMs, slo)) good += 1;
  }
  let tokens = 0;
  for (let s = 0; s < trace.stepEndMs.length; s += 1) {
    const end = trace.stepEndMs[s] ?? 0;
    if (end > w0 && end <= w1) tokens += trace.stepTokens[s] ?? 0;
  }
  const perS = windowMs > 0 ? MS_PER_S / windowMs : 0;
  return {
    simulatedRequests: n,
    measuredRequests: m,
    excludedRequests: n - span,
    rejectedRequests: rejectedCount,
    ttftMs: finite(ttftS.meanMs),
    ttftP50Ms: finite(ttftS.p50Ms),
    ttftP90Ms: finite(ttftS.p90Ms),
    ttftP95Ms: finite(ttftS.p95Ms),
    ttftP99Ms: finite(ttftS.p99Ms),
    ttftQueueMs: m > 0 ? queueMsSum / m : 0,
    requestOverheadMs: overheadMs,
    itlMs: finite(itlMeanMs),
    itlP50Ms: finite(itl50 ?? Number.NaN),
    itlP90Ms: finite(itl90 ?? Number.NaN),
    itlP95Ms: finite(itl95 ?? Number.NaN),
    itlP99Ms: finite(itl99 ?? Number.NaN),
    tpotMs: finite(tpotS.meanMs),
    tpotP50Ms: finite(tpotS.p50Ms),
    tpotP90Ms: finite(tpotS.p90Ms),
    tpotP95Ms: finite(tpotS.p95Ms),
    tpotP99Ms: finite(tpotS.p99Ms),
    e2eMs: finite(e2eS.meanMs),
    e2eP50Ms: finite(e2eS.p50Ms),
    e2eP90Ms: finite(e2eS.p90Ms),
    e2eP95Ms: finite(e2eS.p95Ms),
    e2eP99Ms: finite(e2eS.p99Ms),
    requestsPerS: completions * perS,
    offeredRequestsPerS: arrivals * perS,
    outputTokensPerS: tokens * perS,
    goodputRequestsPerS: good * perS,
    preemptions: trace.preemptionsTotal,
    ttftOverLimitShare: shareAbove(ttft.subarray(0, m), null, slo?.maxTtftMs ?? null),
    itlOverLimitShare,
    e2eOverLimitShare: shareAbove(e2e.subarray(0, m), null, slo?.maxE2eMs ?? null),
    meanRequestsInSystem: windowMs > 0 ? inSystemMs / windowMs : 0,
    durationMs: trace.stepEndMs[trace.stepEndMs.length - 1] ?? 0,
    steps: trace.stepEndMs.length,
    series: downsample(trace),
  };
}

/** Weighted share of the values above `limit` (weights null = 1 each); 0 without a limit or values. */
function shareAbove(values: Float64Array, weights: Float64Array | null, limit: number | null): number {
  if (limit === null) return 0;
  let above = 0;
  let total = 0;
  for (let i = 0; i < values.length; i += 1) {
    const w = weights === null ? 1 : (weights[i] ?? 0);
    total += w;
    if ((values[i] ?? 0) > limit) above += w;
  }
  return total > 0 ? above / total : 0;
}

/** A request meets the SLO when its TTFT, TPOT and E2E are each within their limits (vllm bench serve --goodput). */
function meetsRequestSlo(arrival: number, first: number, end: number, osl: number, overheadMs: number, slo: SloLimits): boolean {
  if (slo.maxTtftMs !== null && first - arrival + overheadMs > slo.maxTtftMs) return false;
  if (slo.maxE2eMs !== null && end - arrival + overheadMs > slo.maxE2eMs) return false;
  if (slo.maxItlMs !== null && osl > 1 && (end - first) / (osl - 1) > slo.maxItlMs) return false;
  return true;
}

/** Per-step records into SERIES_POINTS equal time buckets: mean KV use and running, max waiting. */
function downsample(trace: SimTrace): SimSeries {
  const steps = trace.stepEndMs.length;
  const endMs = trace.stepEndMs[steps - 1] ?? 0;
  const out: SimSeries = { timeMs: [], kvUsedFraction: [], waitingRequests: [], runningRequests: [] };
  if (steps === 0 || !(endMs > 0)) return out;
  const buckets = Math.min(SERIES_POINTS, steps);
  const bucketMs = endMs / buckets;
  const total = trace.totalBlocks;
  let s = 0;
  for (let b = 0; b < buckets; b += 1) {
    const until = b === buckets - 1 ? Infinity : (b + 1) * bucketMs;
    let kv = 0;
    let run = 0;
    let wait = 0;
    let count = 0;
    for (; s < steps && (trace.stepEndMs[s] ?? 0) <= until; s += 1) {
      kv += trace.stepKvBlocksUsed[s] ?? 0;
      run += trace.stepRunning[s] ?? 0;
      wait = Math.max(wait, trace.stepWaiting[s] ?? 0);
      count += 1;
    }
    if (count === 0) continue;
    out.timeMs.push((b + 1) * bucketMs);
    out.kvUsedFraction.push(Number.isFinite(total) && total > 0 ? kv / count / total : 0);
    out.runningRequests.push(run / count);
    out.waitingRequests.push(wait);
  }
  return out;
}

/**
 * What the simulated clients send: how requests arrive (a load) and how long they are (a length
 * distribution), drawn once per run from a seed. Follows `vllm bench serve`
 * (vllm/benchmarks/serve.py get_request, vllm/benchmarks/datasets.py RandomDataset.sample) so a
 * simulated run reads like a benchmark run with the same flags.
 */
import type { Prng } from './prng';
import { createPrng, gamma, standardNormal, uniformInt } from './prng';
import { MS_PER_S } from '../units';

/**
 * - closed-loop: `concurrency` requests always in flight; each completion sends the next
 *   (`vllm bench serve --max-concurrency N --request-rate inf`).
 * - burst: every request sent at t = 0 (`--request-rate inf`, no concurrency limit).
 * - open-loop: requests sent at `ratePerS` on average, inter-arrival times Gamma(shape = burstiness,
 *   scale = 1 / (rate · burstiness)) as get_request draws them: burstiness 1 is Poisson, < 1
 *   burstier, > 1 more regular.
 */
export type SimLoad =
  | { kind: 'closed-loop'; concurrency: number }
  | { kind: 'burst' }
  | { kind: 'open-loop'; ratePerS: number; burstiness: number };

/** Chat lengths' coefficient of variation (std ÷ mean), see LENGTH_KINDS 'chat'. */
export const CHAT_LENGTH_CV = 1;

/**
 * How a request's prompt and output lengths vary around the workload's inputTokens / outputTokens:
 * - fixed: every request exactly the mean (vllm bench serve --random-range-ratio 0, its default);
 * - uniform: integers uniform on [⌊mean·(1 − r)⌋, ⌈mean·(1 + r)⌉] (RandomDataset.sample with
 *   --random-range-ratio r; the output's lower bound at least 1);
 * - chat: long-tailed, log-normal with the workload's mean and a coefficient of variation of
 *   CHAT_LENGTH_CV = 1 (std ≈ mean): the spread public chat logs show — ShareChat (Yan et al.,
 *   arXiv 2512.17843, Table 1) tabulates user and chatbot tokens per turn as mean ± std with std
 *   near the mean (e.g. Alpaca responses 64.51 ± 64.85 tokens). APPROXIMATION: a fitted shape, not a
 *   replayed trace; median = mean / √2, p99 ≈ 4.1 × the median.
 */
export type LengthDistribution = { kind: 'fixed' } | { kind: 'uniform'; rangeRatio: number } | { kind: 'chat' };

/** The requests of one run, indexed in the order the client sends them. */
export interface SimRequests {
  count: number;
  inputTokens: Int32Array;
  outputTokens: Int32Array;
  /**
   * Open loop: send time of each request, ms from the first (ascending, first 0). Burst: all 0.
   * Closed loop: unused (a request is sent when an earlier one completes), all 0.
   */
  sendMs: Float64Array;
  /**
   * Prefix caching (sim/prefix.ts from perf/prefixCache.ts): prompt tokens of each request whose KV
   * is already in the cache — no prefill computes them, they still take KV blocks. Absent = none.
   */
  cachedPromptTokens?: Int32Array;
  /**
   * Of those, the tokens of the prefix every request shares: its full-attention blocks are held once
   * in the pool (simulate.ts), not per request. ≤ cachedPromptTokens; absent = none.
   */
  sharedPrefixTokens?: Int32Array;
}

/** Requests `ids` of `stream`, in that order: their prompt and output lengths and send times (no prefix-cache fields: a caller applies its replica's rule). */
export function requestsOf(stream: SimRequests, ids: Int32Array): SimRequests {
  const n = ids.length;
  const inputTokens = new Int32Array(n);
  const outputTokens = new Int32Array(n);
  const sendMs = new Float64Array(n);
  for (let j = 0; j < n; j += 1) {
    const id = ids[j] ?? 0;
    inputTokens[j] = stream.inputTokens[id] ?? 0;
    outputTokens[j] = stream.outputTokens[id] ?? 1;
    sendMs[j] = stream.sendMs[id] ?? 0;
  }
  return { count: n, inputTokens, outputTokens, sendMs };
}

export interface RequestDraw {
  count: number;
  meanInputTokens: number;
  meanOutputTokens: number;
  inputLengths: LengthDistribution;
  outputLengths: LengthDistribution;
  /** Longest prompt + output allowed (max_model_len): drawn lengths are clipped to fit it. */
  maxRequestTokens: number;
  load: SimLoad;
  seed: number;
}

/** σ of the log-normal with coefficient of variation cv: σ² = ln(1 + cv²). */
const CHAT_LOG_SIGMA = Math.sqrt(Math.log(1 + CHAT_LENGTH_CV * CHAT_LENGTH_CV));

function drawLength(rng: Prng, meanTokens: number, d: LengthDistribution, minTokens: number): number {
  switch (d.kind) {
    case 'fixed':
      return Math.max(minTokens, Math.round(meanTokens));
    case 'uniform': {
      const r = Math.min(Math.max(d.rangeRatio, 0), 0.999);
      const lo = Math.max(minTokens, Math.floor(meanTokens * (1 - r)));
      const hi = Math.max(lo, Math.ceil(meanTokens * (1 + r)));
      return uniformInt(rng, lo, hi);
    }
    case 'chat': {
      // Log-normal with mean m: μ = ln m − σ²/2.
      const mu = Math.log(Math.max(meanTokens, 1)) - (CHAT_LOG_SIGMA * CHAT_LOG_SIGMA) / 2;
      return Math.max(minTokens, Math.round(Math.exp(mu + CHAT_LOG_SIGMA * standardNormal(rng))));
    }
    default: {
      const _: never = d;
      return _;
    }
  }
}

/**
 * The run's requests from its seed. Lengths and send times come from separate streams (seed and
 * seed + 1), so runs at different rates with one seed send the same requests, only spaced
 * differently (common random numbers: a rate search compares like with like).
 */
export function drawRequests(p: RequestDraw): SimRequests {
  const n = Math.max(0, Math.floor(p.count));
  const inputTokens = new Int32Array(n);
  const outputTokens = new Int32Array(n);
  const sendMs = new Float64Array(n);
  const lengths = createPrng(p.seed);
  const maxTotal = Math.max(2, Math.floor(p.maxRequestTokens));
  for (let i = 0; i < n; i += 1) {
    const isl = Math.min(drawLength(lengths, p.meanInputTokens, p.inputLengths, 1), maxTotal - 1);
    const osl = Math.min(drawLength(lengths, p.meanOutputTokens, p.outputLengths, 1), maxTotal - isl);
    inputTokens[i] = isl;
    outputTokens[i] = osl;
  }
  if (p.load.kind === 'open-loop') fillSendTimes(sendMs, p.load.ratePerS, p.load.burstiness, p.seed + 1);
  return { count: n, inputTokens, outputTokens, sendMs };
}

/**
 * Open-loop send times: the first at 0, then gaps Gamma(burstiness, 1 / (rate · burstiness)) s
 * (vllm/benchmarks/serve.py get_request), rescaled so the mean gap is exactly 1 / rate — as
 * serve.py rescales its cumulative delays to num_prompts / rate ("normalize_factor"), so that a
 * run's offered rate is the rate asked for and not a sample of it (±9 % at one σ over 150 Poisson
 * gaps). Unit-rate gaps are drawn first and scaled, so one seed gives proportional schedules at
 * every rate (common random numbers for the rate search).
 */
export function fillSendTimes(out: Float64Array, ratePerS: number, burstiness: number, seed: number): void {
  const rng = createPrng(seed);
  const shape = burstiness > 0 ? burstiness : 1;
  let t = 0;
  for (let i = 0; i < out.length; i += 1) {
    out[i] = t;
    t += gamma(rng, shape) / shape;
  }
  const n = out.length;
  const last = out[n - 1] ?? 0;
  // Gaps of mean 1 in units of 1/rate; n − 1 gaps span (n − 1) / rate.
  const scale = n > 1 && last > 0 && ratePerS > 0 ? ((n - 1) / ratePerS) * (MS_PER_S / last) : 0;
  for (let i = 0; i < n; i += 1) out[i] = (out[i] ?? 0) * scale;
}

/**
 * The largest open-loop request rate one replica serves within percentile SLOs ("p99 TTFT ≤ 2 s,
 * p99 ITL ≤ 50 ms"), by simulating runs at trial rates.
 *
 * A rate qualifies when the run's percentiles meet every limit and the replica keeps up with it
 * (RATE_KEEP_UP_FRACTION).
 *
 * Search: the replica's capacity C is the throughput of an all-at-once run of the same requests.
 * Without latency limits every sustainable rate qualifies and the answer is C. Otherwise the
 * bracket starts at [C/2, C], is widened (doubling up while the top still meets the SLOs, halving
 * down while the bottom fails, at most RATE_SEARCH_MAX_WIDENINGS times) and then halved
 * geometrically until hi / lo ≤ 1 + RATE_SEARCH_REL_TOLERANCE; the answer is lo, the largest rate
 * seen to meet them. Every trial uses the same seed: the same requests, with arrival gaps scaled
 * by 1/rate (common random numbers, load.ts fillSendTimes), so the trials differ only in the rate
 * and meeting the SLOs is monotone in it but for sampling noise at the boundary.
 *
 * Speed: a run costs about its simulated time (requests ÷ rate), so the widening probes — the
 * slowest rates tried — run short (RATE_SEARCH_SHORT_DIVISOR of the requests): they pick the
 * factor-2 bracket and narrow it to RATE_SEARCH_SHORT_BRACKET_RATIO. The bisection to the tolerance
 * runs at full size, and any end of the bracket no full run has decided is run at full size too (a
 * top at capacity first, where a short run's keep-up test is least reliable); where the full run
 * disagrees with the short ones the search widens from there at full size. So the answer still
 * meets the SLOs in a full-size run and a rate 2 % above it fails one, as before; ~11 simulations,
 * 3–6 of them short (issue 10: 244 → 129 ms median on the bench).
 *
 * The full-size bisection places its trials by interpolation where it can (bisect, boundaryBetween):
 * each run counts the values over the limits (sloOverRatio, ~1 at the boundary and about linear in
 * the rate near it), the boundary is estimated between the nearest meeting and failing points (the
 * short probes' at first), and the trial goes half the tolerance below the estimate so that the
 * next, the tolerance above, closes the bracket — 3 full runs instead of 4–5 on the bench (Llama-3.1-8B,
 * 1× H100, 1,000 requests; where the CPU profile put ~75 % of a search: full-size runs of ~100,000
 * steps each). Where the points do not straddle 1 in a range that is about linear (no value over a
 * limit yet, a keep-up failure, a TTFT queue's blow-up) or two trials stall on one side, the trial is
 * the geometric midpoint, as before. The answer keeps the same guarantee, so it is within the 2 % of
 * the plain full-size bisection's (maxRateSearch.test.ts: vLLM, SGLang, a MoE).
 */
import type { LatencyPercentiles, SloLimits, SloPercentile } from '../types';
import type { SimReplica } from './replica';
import type { SimResult } from './summarize';
import type { SimRunSpec } from './run';
import { runSimulation } from './run';
import { DEFAULT_BENCHMARK_NUM_REQUESTS } from '../calibration';

/** The closed set lives with the engine's shared types (types.ts), re-exported here where it was first defined. */
export { SLO_PERCENTILES } from '../types';
export type { SloPercentile } from '../types';

/** Latency limits applied to one percentile of TTFT, ITL and E2E (vllm bench serve reports ITL over all gaps). */
export interface PercentileSlo extends SloLimits {
  percentile: SloPercentile;
}

/** Relative width of the final bracket: 2 %, finer than the step model resolves (±15 %). */
export const RATE_SEARCH_REL_TOLERANCE = 0.02;
/**
 * A trial rate counts only if the replica keeps up with it: completions per second in the window
 * at least this fraction of the arrivals per second in it. Above capacity the queue grows without bound, yet a finite
 * run can still meet a loose limit; 10 % leaves room for the requests still in flight at the
 * window's end and for sampling noise, so a sustainable rate is not thrown out.
 */
export const RATE_KEEP_UP_FRACTION = 0.9;
/** Doublings or halvings of the first bracket before giving up (2^-12 of capacity: no useful rate). */
export const RATE_SEARCH_MAX_WIDENINGS = 12;

/** The latencies at one percentile (p50, p90, p95 or p99 of TTFT, ITL and E2E) of a run, a capacity plan or a P/D deployment. */
export function latencyAtPercentile(l: LatencyPercentiles, percentile: SloPercentile): { ttftMs: number; itlMs: number; e2eMs: number } {
  switch (percentile) {
    case 50:
      return { ttftMs: l.ttftP50Ms, itlMs: l.itlP50Ms, e2eMs: l.e2eP50Ms };
    case 90:
      return { ttftMs: l.ttftP90Ms, itlMs: l.itlP90Ms, e2eMs: l.e2eP90Ms };
    case 95:
      return { ttftMs: l.ttftP95Ms, itlMs: l.itlP95Ms, e2eMs: l.e2eP95Ms };
    case 99:
      return { ttftMs: l.ttftP99Ms, itlMs: l.itlP99Ms, e2eMs: l.e2eP99Ms };
    default: {
      const _: never = percentile;
      return _;
    }
  }
}

/** Whether a run kept up with its arrivals: completions per second at least RATE_KEEP_UP_FRACTION of the offered rate. */
export function keepsUpWithArrivals(r: Pick<SimResult, 'requestsPerS' | 'offeredRequestsPerS'>): boolean {
  return r.requestsPerS >= RATE_KEEP_UP_FRACTION * r.offeredRequestsPerS;
}

/** The run's percentiles within every limit given (a null limit always holds). */
export function meetsPercentileSlo(r: SimResult, slo: PercentileSlo): boolean {
  if (r.rejectedRequests > 0 && r.measuredRequests === 0) return false;
  const at = latencyAtPercentile(r, slo.percentile);
  if (slo.maxTtftMs !== null && at.ttftMs > slo.maxTtftMs) return false;
  if (slo.maxItlMs !== null && at.itlMs > slo.maxItlMs) return false;
  if (slo.maxE2eMs !== null && at.e2eMs > slo.maxE2eMs) return false;
  return true;
}

export interface RateSearchResult {
  /** 0 when not even the slowest trial rate meets the SLOs. */
  maxRateMeetingSloRequestsPerS: number;
  /** Throughput of an all-at-once run of the same requests. */
  capacityRequestsPerS: number;
  /** The run at the answer (null when none met the SLOs). */
  atMaxRate: SimResult | null;
  simulations: number;
}

/** The run spec without its load: the search sets an open loop at each trial rate. */
export type RateSearchSpec = Omit<SimRunSpec, 'load'> & { burstiness?: number };

/**
 * A bracket of trial rates: `lo` the largest seen to meet (0 when none did) with its run (null when
 * no full-size run has met there yet), `hi` the smallest seen to fail above it (Infinity when every
 * widening met).
 */
interface Bracket {
  lo: number;
  loRun: SimResult | null;
  hi: number;
}

/**
 * How far a run is from breaking the percentile limits: the largest share of values over a limit
 * relative to the share the percentile allows (1 − q/100), so ~1 at the boundary (the q-th
 * percentile of n values passes a limit while fewer than about (1 − q/100)·n exceed it). Near the
 * boundary it grows about linearly with the rate — what the search interpolates on.
 */
export function sloOverRatio(r: SimResult, slo: PercentileSlo): number {
  const allowed = 1 - slo.percentile / 100;
  let ratio = 0;
  if (slo.maxTtftMs !== null) ratio = Math.max(ratio, r.ttftOverLimitShare / allowed);
  if (slo.maxItlMs !== null) ratio = Math.max(ratio, r.itlOverLimitShare / allowed);
  if (slo.maxE2eMs !== null) ratio = Math.max(ratio, r.e2eOverLimitShare / allowed);
  return ratio;
}

/**
 * Interpolation is trusted only between points whose sloOverRatio straddles 1 within this range: 0
 * says nothing about the distance (no value over the limit yet), and far above 1 the queue's blow-up
 * is far from linear (regula falsi then crawls from the low end; measured on the hockey stick of a
 * TTFT limit near capacity: 22 runs instead of 9).
 */
const INTERPOLATE_OVER_RATIO_RANGE = [0.05, 4] as const;

/** A rate with its run's sloOverRatio (NaN = unknown): an end the next trial may be interpolated from. */
interface RatePoint {
  ratePerS: number;
  overRatio: number;
}

/**
 * Where overRatio crosses 1 between a meeting point `a` and a failing point `b`, linear in
 * (ln rate, overRatio) (regula falsi); null when the two do not straddle 1 inside
 * INTERPOLATE_OVER_RATIO_RANGE (a keep-up failure has few values over the limits; noise).
 */
function boundaryBetween(a: RatePoint, b: RatePoint): number | null {
  const [low, high] = INTERPOLATE_OVER_RATIO_RANGE;
  if (!(a.overRatio >= low && a.overRatio < 1 && b.overRatio > 1 && b.overRatio <= high && a.ratePerS > 0 && b.ratePerS > a.ratePerS)) return null;
  const xa = Math.log(a.ratePerS);
  const xb = Math.log(b.ratePerS);
  return Math.exp(xa + ((1 - a.overRatio) * (xb - xa)) / (b.overRatio - a.overRatio));
}

/**
 * Narrow [lo, hi] until hi / lo ≤ `ratio`; lo keeps meeting, hi keeps failing. Each trial is the
 * geometric midpoint, or — given `overRatio` and ends it can interpolate between (boundaryBetween; the
 * ends' points start from `hints`, e.g. the short probes, and follow the trials) — the estimated
 * boundary less half the ratio, so that a trial the ratio above it, if it fails, closes the bracket;
 * kept at least the ratio inside each end. After two trials in a row land on the same side with both
 * ends tried (regula falsi's stall) the next is the midpoint. Without interpolation: the plain geometric bisection.
 */
function bisect(
  b: Bracket,
  trial: (ratePerS: number) => SimResult,
  meets: (r: SimResult) => boolean,
  ratio = 1 + RATE_SEARCH_REL_TOLERANCE,
  interpolate: { overRatio: (r: SimResult) => number; lo: RatePoint; hi: RatePoint } | null = null,
): Bracket {
  let { lo, loRun, hi } = b;
  let loPoint = interpolate?.lo ?? null;
  let hiPoint = interpolate?.hi ?? null;
  let lastMet: boolean | null = null;
  let sameSide = 0;
  // Whether each end's point is a trial of this bisection (not a hint).
  let loTried = false;
  let hiTried = false;
  while (lo > 0 && hi / lo > ratio) {
    let mid = Math.sqrt(lo * hi);
    const stalled = sameSide >= 2 && loTried && hiTried;
    const estimate = interpolate === null || loPoint === null || hiPoint === null || stalled ? null : boundaryBetween(loPoint, hiPoint);
    // hi / (ratio·(1 − 1e-12)): a trial there that meets closes the bracket despite rounding.
    if (estimate !== null && lo * ratio < hi / ratio) mid = Math.min(Math.max(estimate / Math.sqrt(ratio), lo * ratio), hi / (ratio * (1 - 1e-12)));
    const run = trial(mid);
    const met = meets(run);
    sameSide = met === lastMet ? sameSide + 1 : 1;
    lastMet = met;
    const point = { ratePerS: mid, overRatio: interpolate === null ? Number.NaN : interpolate.overRatio(run) };
    if (met) {
      lo = mid;
      loRun = run;
      loPoint = point;
      loTried = true;
    } else {
      hi = mid;
      hiPoint = point;
      hiTried = true;
    }
  }
  return { lo, loRun, hi };
}

/**
 * The factor-2 bracket from the capacity: [C/2, C], doubled up while the top meets and halved down
 * while the bottom fails (at most RATE_SEARCH_MAX_WIDENINGS times each).
 */
function widenFromCapacity(capacity: number, trial: (ratePerS: number) => SimResult, meets: (r: SimResult) => boolean): Bracket {
  const atCapacity = trial(capacity);
  if (meets(atCapacity)) {
    // Meets at capacity (a finite run can, e.g. with only an ITL limit): look above it.
    let lo = capacity;
    let loRun = atCapacity;
    for (let k = 0; k < RATE_SEARCH_MAX_WIDENINGS; k += 1) {
      const hi = lo * 2;
      const run = trial(hi);
      if (!meets(run)) return { lo, loRun, hi };
      lo = hi;
      loRun = run;
    }
    return { lo, loRun, hi: Infinity };
  }
  let hi = capacity;
  let lo = capacity / 2;
  for (let k = 0; k < RATE_SEARCH_MAX_WIDENINGS; k += 1) {
    const run = trial(lo);
    if (meets(run)) return { lo, loRun: run, hi };
    hi = lo;
    lo /= 2;
  }
  return { lo: 0, loRun: null, hi };
}

/**
 * Requests per short probe: 1/RATE_SEARCH_SHORT_DIVISOR of the run, at least
 * RATE_SEARCH_SHORT_MIN_REQUESTS. A run's cost grows with its simulated time (requests ÷ rate), and
 * the widening probes are the slowest rates tried, so they run short; they only pick the bracket,
 * which the full-size bisection then checks at both ends.
 */
export const RATE_SEARCH_SHORT_DIVISOR = 8;
export const RATE_SEARCH_SHORT_MIN_REQUESTS = 100;
/**
 * The short probes also narrow the bracket to this ratio (two more after the factor 2) before the
 * full-size bisection, which then needs ~4 runs instead of 6; where the full runs disagree with the
 * short ones, the ends' checks widen from there at full size.
 */
export const RATE_SEARCH_SHORT_BRACKET_RATIO = 1.2;

/**
 * `method`: 'fast' (default) as above; 'bisection' the plain search at full size throughout
 * (widening from [C/2, C], then geometric halving) — the reference the fast one is tested against
 * (maxRateSearch.test.ts: the same rate within RATE_SEARCH_REL_TOLERANCE).
 */
export function maxRateMeetingSlo(replica: SimReplica, spec: RateSearchSpec, slo: PercentileSlo, options: { method?: 'fast' | 'bisection' } = {}): RateSearchResult {
  const burstiness = spec.burstiness ?? 1;
  let simulations = 1;
  const capacity = runSimulation(replica, { ...spec, load: { kind: 'burst' } }).requestsPerS;
  // Trials count the values over the percentile limits (sloOverRatio); their goodput is against the same limits.
  const limits = { maxTtftMs: slo.maxTtftMs, maxItlMs: slo.maxItlMs, maxE2eMs: slo.maxE2eMs };
  const shortRuns = new Map<number, SimResult>();
  const trialOf =
    (numRequests: number | undefined, record = false) =>
    (ratePerS: number): SimResult => {
      simulations += 1;
      const r = runSimulation(replica, { ...spec, slo: limits, numRequests, load: { kind: 'open-loop', ratePerS, burstiness } });
      if (record) shortRuns.set(ratePerS, r);
      return r;
    };
  const full = trialOf(spec.numRequests);
  const meets = (r: SimResult): boolean => keepsUpWithArrivals(r) && meetsPercentileSlo(r, slo);
  if (!(capacity > 0)) return { maxRateMeetingSloRequestsPerS: 0, capacityRequestsPerS: 0, atMaxRate: null, simulations };
  if (slo.maxTtftMs === null && slo.maxItlMs === null && slo.maxE2eMs === null) {
    return { maxRateMeetingSloRequestsPerS: capacity, capacityRequestsPerS: capacity, atMaxRate: null, simulations };
  }
  const done = (b: Bracket): RateSearchResult => ({ maxRateMeetingSloRequestsPerS: b.lo, capacityRequestsPerS: capacity, atMaxRate: b.loRun, simulations });

  const fullRequests = Math.max(1, Math.floor(spec.numRequests ?? DEFAULT_BENCHMARK_NUM_REQUESTS));
  const shortRequests = Math.max(RATE_SEARCH_SHORT_MIN_REQUESTS, Math.ceil(fullRequests / RATE_SEARCH_SHORT_DIVISOR));
  if (options.method === 'bisection' || shortRequests >= fullRequests) return done(bisect(widenFromCapacity(capacity, full, meets), full, meets));

  // Short probes pick the factor-2 bracket. None meeting down to C / 2^12 is the verdict: that far
  // below capacity requests do not overlap, so the run's size does not change their latencies.
  const short = trialOf(shortRequests, true);
  const rough = widenFromCapacity(capacity, short, meets);
  if (rough.lo === 0) return done({ lo: 0, loRun: null, hi: rough.hi });
  // Full size from here. Up: where a full run meets at the bracket's top, widen by `factor(k)` until one fails.
  const widenUp = (from: number, fromRun: SimResult, factor: (k: number) => number): Bracket => {
    let lo = from;
    let loRun = fromRun;
    for (let k = 0; k < RATE_SEARCH_MAX_WIDENINGS; k += 1) {
      const hi = lo * factor(k);
      const r = full(hi);
      if (!meets(r)) return bisect({ lo, loRun, hi }, full, meets);
      lo = hi;
      loRun = r;
    }
    return { lo, loRun, hi: Infinity };
  };
  // Down: where a full run fails at the bracket's bottom, narrow by `factor(k)` until one meets.
  const widenDown = (from: number, factor: (k: number) => number): Bracket => {
    let hi = from;
    for (let k = 0; k < RATE_SEARCH_MAX_WIDENINGS; k += 1) {
      const lo = hi / factor(k);
      const r = full(lo);
      if (meets(r)) return bisect({ lo, loRun: r, hi }, full, meets);
      hi = lo;
    }
    return { lo: 0, loRun: null, hi };
  };
  const twice = (): number => 2;
  // A short run at capacity fails the keep-up test more easily than a full one (its window is
  // short against the requests in flight at its end), so a top at capacity is checked first —
  // the cheapest full run, the fastest rate.
  let hiChecked = false;
  if (rough.hi === capacity) {
    const run = full(capacity);
    if (meets(run)) return done(widenUp(capacity, run, twice));
    hiChecked = true;
  }
  if (!Number.isFinite(rough.hi)) {
    const run = full(rough.lo);
    return done(meets(run) ? widenUp(rough.lo, run, twice) : widenDown(rough.lo, twice));
  }
  const narrow = bisect(rough, short, meets, RATE_SEARCH_SHORT_BRACKET_RATIO);
  if (narrow.hi !== rough.hi) hiChecked = false;
  // Bisect at full size, then check any end no full run has decided (lo must meet, hi must fail);
  // where one disagrees, widen from it by the bracket's ratio, squared each time (at most 2), and
  // bisect again.
  const ratio = narrow.hi / narrow.lo;
  const growing = (k: number): number => Math.min(2, ratio ** (2 ** k));
  const overRatio = (r: SimResult): number => sloOverRatio(r, slo);
  const hint = (ratePerS: number): RatePoint => {
    const r = shortRuns.get(ratePerS);
    return { ratePerS, overRatio: r === undefined ? Number.NaN : overRatio(r) };
  };
  const b = bisect({ lo: narrow.lo, loRun: null, hi: narrow.hi }, full, meets, undefined, { overRatio, lo: hint(narrow.lo), hi: hint(narrow.hi) });
  if (b.loRun === null) {
    const run = full(b.lo);
    if (!meets(run)) return done(widenDown(b.lo, growing));
    b.loRun = run;
  }
  if (b.hi === narrow.hi && !hiChecked) {
    const run = full(b.hi);
    if (meets(run)) return done(widenUp(b.hi, run, growing));
  }
  return done(b);
}

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
 * Speed (the fast search; 'bisection' is the plain one above, the reference it is tested against):
 * a run costs about its simulated time (requests ÷ rate), and at the bench's p99 ITL limit a
 * full-size run is ~100,000 steps. Short probes (RATE_SEARCH_SHORT_DIVISOR of the requests) widen
 * from the capacity as above and narrow the bracket to RATE_SEARCH_SHORT_BRACKET_RATIO, each placed
 * by interpolating the share of values over the limits (sloOverRatio, ~1 at the boundary and about
 * a power of the rate near it; bisect, boundaryBetween). A probe is made to read like a full run:
 * it runs at the rate that gives its measured requests a full run's arrival rate (its own sample of
 * gaps after the warm-up differs by ~5 %: measuredArrivalRate) and counts inter-token gaps only
 * while requests arrive (a short run's drain is a large share of it); below capacity it judges the
 * percentiles only (a short run's keep-up test is unreliable). Their estimate of the boundary places
 * the full-size runs (guidedSearch): the first half the tolerance below it, the next the tolerance
 * above the one that met, with interpolation between full runs or extrapolation from one with the
 * probes' slope where they disagree. The answer still meets the SLOs in a full-size run and a rate
 * 2 % above it fails one, so it is within the 2 % of the plain full-size bisection's where meeting
 * is monotone in the rate (maxRateSearch.test.ts: vLLM, SGLang, bursty arrivals, a MoE). On the
 * bench: 2 full-size runs and 7 probes instead of 7 and 6 (issue 10 part 8). A full-size trial
 * whose failure would close the bracket stops as soon as it has broken a percentile limit for
 * certain (run.ts runUnlessFailing): only its failure is used, never its share over the limits.
 */
import type { LatencyPercentiles, SloLimits, SloPercentile } from '../types';
import type { SimReplica } from './replica';
import type { SimResult } from './summarize';
import type { SimRunSpec } from './run';
import { DEFAULT_SIM_SEED, runSimulation, runUnlessFailing } from './run';
import { fillSendTimes } from './load';
import { measuredRange } from './simulate';
import { MS_PER_S } from '../units';
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
 * the probes run at the slowest rates tried, so they run short; they only place the full-size runs,
 * which decide the answer.
 */
export const RATE_SEARCH_SHORT_DIVISOR = 8;
export const RATE_SEARCH_SHORT_MIN_REQUESTS = 100;
/**
 * The short probes narrow the bracket to this ratio (placing their trials by interpolation) before
 * the full-size runs: their estimate of the boundary is where the first full run goes.
 */
export const RATE_SEARCH_SHORT_BRACKET_RATIO = 1.06;
/** Most full-size runs of the fast search's guided phase before it settles for the bracket it has. */
const RATE_SEARCH_MAX_FULL_RUNS = 40;

/**
 * Arrivals per second of the measured requests (the window a run's statistics are over) of an
 * open loop of `numRequests` at 1 request/s. A run's send times are rescaled so that the whole run
 * offers its rate exactly (load.ts fillSendTimes), but the measured part — after the warm-up — of a
 * short run is a sample of its own: for the bench's seed the last 113 of 125 requests arrive at
 * 0.946/s and the last 900 of 1,000 at 1.008/s. The short probes are run at the rate that offers
 * their measured requests what a full run's measured requests get.
 */
function measuredArrivalRate(numRequests: number, burstiness: number, seed: number): number {
  const sendMs = new Float64Array(numRequests);
  fillSendTimes(sendMs, 1, burstiness, seed + 1);
  const { from, to } = measuredRange(numRequests, { kind: 'open-loop', ratePerS: 1, burstiness });
  const spanMs = (sendMs[to - 1] ?? 0) - (sendMs[from] ?? 0);
  return to - 1 > from && spanMs > 0 ? ((to - 1 - from) * MS_PER_S) / spanMs : 1;
}

/**
 * Where the share of values over the limits reaches the percentile's allowance, extrapolated from
 * one run: sloOverRatio ∝ rate^slope near the boundary (`slope` measured on the probes). null when
 * the point's ratio is outside INTERPOLATE_OVER_RATIO_RANGE (nothing over yet, or a blow-up).
 */
function boundaryFrom(p: RatePoint, slope: number): number | null {
  const [low, high] = INTERPOLATE_OVER_RATIO_RANGE;
  if (!(p.overRatio >= low && p.overRatio <= high && p.ratePerS > 0)) return null;
  return p.ratePerS * p.overRatio ** (-1 / slope);
}

/** Slope of ln(sloOverRatio) against ln(rate) between two points inside the interpolation range, clamped to [0.5, 20]; 1 when unknown. */
function overRatioSlope(a: RatePoint, b: RatePoint): number {
  const [low, high] = INTERPOLATE_OVER_RATIO_RANGE;
  const inRange = (p: RatePoint): boolean => p.overRatio >= low && p.overRatio <= high && p.ratePerS > 0;
  if (!inRange(a) || !inRange(b) || a.ratePerS === b.ratePerS || a.overRatio === b.overRatio) return 1;
  const slope = Math.log(b.overRatio / a.overRatio) / Math.log(b.ratePerS / a.ratePerS);
  return Number.isFinite(slope) ? Math.min(20, Math.max(0.5, slope)) : 1;
}

/**
 * The full-size phase of the fast search: runs placed from the probes' estimate of the boundary
 * until a full run meets at `lo` and one fails at `hi` ≤ lo·ratio. Each trial aims half the ratio
 * below the current estimate (so that the next, the ratio above it, closes the bracket): with both
 * sides known, the estimate is interpolated between them (boundaryBetween; after two trials on one
 * side, the geometric midpoint); with one side only, it is extrapolated from its run with the
 * probes' slope (boundaryFrom), moving at least the ratio and at most a factor 2 per trial — so a
 * boundary far from the probes' estimate is still found by doubling or halving, as widenFromCapacity does.
 */
function guidedSearch(
  estimate: number,
  slope: number,
  probeRatio: number,
  trial: (ratePerS: number) => SimResult,
  trialUnlessFailing: (ratePerS: number) => SimResult | null,
  meets: (r: SimResult) => boolean,
  overRatio: (r: SimResult) => number,
  rateFloor: number,
  rateCeiling: number,
): Bracket {
  const ratio = 1 + RATE_SEARCH_REL_TOLERANCE;
  let lo: (RatePoint & { run: SimResult }) | null = null;
  let hi: RatePoint | null = null;
  let next = estimate / Math.sqrt(ratio);
  let lastMet: boolean | null = null;
  let sameSide = 0;
  // One-sided moves: the k-th goes at most probeRatio^(2^k) (at least the ratio, at most 2) from the run it starts at.
  const maxMove = (): number => Math.min(2, Math.max(ratio, probeRatio ** (2 ** (sameSide - 1))));
  for (let k = 0; k < RATE_SEARCH_MAX_FULL_RUNS; k += 1) {
    // A trial whose failure closes the bracket needs no more than that failure (its share over the
    // limits is never interpolated on): it stops as soon as it has certainly failed (null).
    const closesIfFails: boolean = lo !== null && next / lo.ratePerS <= ratio * (1 + 1e-12);
    const run: SimResult | null = closesIfFails ? trialUnlessFailing(next) : trial(next);
    const met = run !== null && meets(run);
    sameSide = met === lastMet ? sameSide + 1 : 1;
    lastMet = met;
    const point: RatePoint = { ratePerS: next, overRatio: run === null ? Number.NaN : overRatio(run) };
    if (met && run !== null) lo = { ...point, run };
    else hi = point;
    if (lo !== null && hi !== null) {
      if (hi.ratePerS / lo.ratePerS <= ratio * (1 + 1e-12)) break;
      const est = sameSide >= 2 ? null : boundaryBetween(lo, hi);
      next = est === null ? Math.sqrt(lo.ratePerS * hi.ratePerS) : est / Math.sqrt(ratio);
      // At least the ratio inside each end (hi / (ratio·(1 − 1e-12)): a trial there that meets closes the bracket despite rounding).
      next = Math.min(Math.max(next, lo.ratePerS * ratio), hi.ratePerS / (ratio * (1 - 1e-12)));
      if (!(next > lo.ratePerS && next < hi.ratePerS)) next = Math.sqrt(lo.ratePerS * hi.ratePerS);
    } else if (lo !== null) {
      if (lo.ratePerS >= rateCeiling) return { lo: lo.ratePerS, loRun: lo.run, hi: Infinity };
      const est = boundaryFrom(lo, slope);
      next = Math.min(Math.max(est === null ? Infinity : est / Math.sqrt(ratio), lo.ratePerS * ratio), lo.ratePerS * maxMove());
    } else if (hi !== null) {
      if (hi.ratePerS <= rateFloor) return { lo: 0, loRun: null, hi: hi.ratePerS };
      const est = boundaryFrom(hi, slope);
      next = Math.max(Math.min(est === null ? 0 : est / Math.sqrt(ratio), hi.ratePerS / ratio), hi.ratePerS / maxMove());
    }
  }
  return lo === null ? { lo: 0, loRun: null, hi: hi?.ratePerS ?? Infinity } : { lo: lo.ratePerS, loRun: lo.run, hi: hi?.ratePerS ?? Infinity };
}

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
  const probeRates = new Map<SimResult, number>();
  const full = (ratePerS: number): SimResult => {
    simulations += 1;
    return runSimulation(replica, { ...spec, slo: limits, load: { kind: 'open-loop', ratePerS, burstiness } });
  };
  const fullUnlessFailing = (ratePerS: number): SimResult | null => {
    simulations += 1;
    return runUnlessFailing(replica, { ...spec, slo: limits, load: { kind: 'open-loop', ratePerS, burstiness } }, slo);
  };
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
  // A probe at rate x (in full-run terms) runs at the rate that gives its measured requests the
  // arrival rate a full run's get at x (measuredArrivalRate), and counts inter-token gaps only while
  // requests arrive: a short run's drain is a large share of it and has fewer prompts
  // interleaved (on the bench its p99-ITL over-limit share read 10 % low without the two).
  const seed = spec.seed ?? DEFAULT_SIM_SEED;
  const shortRateFactor = measuredArrivalRate(fullRequests, burstiness, seed) / measuredArrivalRate(shortRequests, burstiness, seed);
  const short = (ratePerS: number): SimResult => {
    simulations += 1;
    const r = runSimulation(replica, { ...spec, slo: limits, numRequests: shortRequests, itlWhileArriving: true, load: { kind: 'open-loop', ratePerS: ratePerS * shortRateFactor, burstiness } });
    shortRuns.set(ratePerS, r);
    probeRates.set(r, ratePerS);
    return r;
  };
  const probePoint = (ratePerS: number): RatePoint => {
    const r = shortRuns.get(ratePerS);
    return { ratePerS, overRatio: r === undefined ? Number.NaN : sloOverRatio(r, slo) };
  };
  // A short run's keep-up test is unreliable (its window is short against the requests in flight at
  // its end): below capacity the probes judge the percentiles only and the full runs check keep-up;
  // above it they judge both (else a loose limit would send them up to 2^12 × capacity).
  const probeMeets = (r: SimResult): boolean => meetsPercentileSlo(r, slo) && ((probeRates.get(r) ?? Infinity) <= capacity || keepsUpWithArrivals(r));
  const rough = widenFromCapacity(capacity, short, probeMeets);
  if (rough.lo === 0) return done({ lo: 0, loRun: null, hi: rough.hi });
  // Full size from here, starting at the probes' estimate of the boundary (interpolated between
  // the ends of their bracket where it can be, else its geometric midpoint).
  const overRatio = (r: SimResult): number => sloOverRatio(r, slo);
  const narrow = Number.isFinite(rough.hi)
    ? bisect(rough, short, probeMeets, RATE_SEARCH_SHORT_BRACKET_RATIO, { overRatio, lo: probePoint(rough.lo), hi: probePoint(rough.hi) })
    : rough;
  const loPoint = probePoint(narrow.lo);
  const hiPoint = probePoint(narrow.hi);
  const estimate = Number.isFinite(narrow.hi) ? (boundaryBetween(loPoint, hiPoint) ?? Math.sqrt(narrow.lo * narrow.hi)) : narrow.lo;
  const rateFloor = capacity / 2 ** RATE_SEARCH_MAX_WIDENINGS;
  const rateCeiling = capacity * 2 ** RATE_SEARCH_MAX_WIDENINGS;
  const probeRatio = Number.isFinite(narrow.hi) ? narrow.hi / narrow.lo : 2;
  return done(guidedSearch(estimate, overRatioSlope(loPoint, hiPoint), probeRatio, full, fullUnlessFailing, meets, overRatio, rateFloor, rateCeiling));
}

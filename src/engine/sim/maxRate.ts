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
 */
import type { SloLimits, SloPercentile } from '../types';
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

function atPercentile(r: SimResult, metric: 'ttft' | 'itl' | 'e2e', p: SloPercentile): number {
  switch (p) {
    case 50:
      return metric === 'ttft' ? r.ttftP50Ms : metric === 'itl' ? r.itlP50Ms : r.e2eP50Ms;
    case 90:
      return metric === 'ttft' ? r.ttftP90Ms : metric === 'itl' ? r.itlP90Ms : r.e2eP90Ms;
    case 95:
      return metric === 'ttft' ? r.ttftP95Ms : metric === 'itl' ? r.itlP95Ms : r.e2eP95Ms;
    case 99:
      return metric === 'ttft' ? r.ttftP99Ms : metric === 'itl' ? r.itlP99Ms : r.e2eP99Ms;
    default: {
      const _: never = p;
      return _;
    }
  }
}

/** The run's percentiles within every limit given (a null limit always holds). */
export function meetsPercentileSlo(r: SimResult, slo: PercentileSlo): boolean {
  if (r.rejectedRequests > 0 && r.measuredRequests === 0) return false;
  if (slo.maxTtftMs !== null && atPercentile(r, 'ttft', slo.percentile) > slo.maxTtftMs) return false;
  if (slo.maxItlMs !== null && atPercentile(r, 'itl', slo.percentile) > slo.maxItlMs) return false;
  if (slo.maxE2eMs !== null && atPercentile(r, 'e2e', slo.percentile) > slo.maxE2eMs) return false;
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

/** Halve [lo, hi] geometrically until hi / lo ≤ 1 + RATE_SEARCH_REL_TOLERANCE; lo keeps meeting, hi keeps failing. */
function bisect(b: Bracket, trial: (ratePerS: number) => SimResult, meets: (r: SimResult) => boolean, ratio = 1 + RATE_SEARCH_REL_TOLERANCE): Bracket {
  let { lo, loRun, hi } = b;
  while (lo > 0 && hi / lo > ratio) {
    const mid = Math.sqrt(lo * hi);
    const run = trial(mid);
    if (meets(run)) {
      lo = mid;
      loRun = run;
    } else hi = mid;
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

export function maxRateMeetingSlo(replica: SimReplica, spec: RateSearchSpec, slo: PercentileSlo): RateSearchResult {
  const burstiness = spec.burstiness ?? 1;
  let simulations = 1;
  const capacity = runSimulation(replica, { ...spec, load: { kind: 'burst' } }).requestsPerS;
  const trialOf =
    (numRequests: number | undefined) =>
    (ratePerS: number): SimResult => {
      simulations += 1;
      return runSimulation(replica, { ...spec, numRequests, load: { kind: 'open-loop', ratePerS, burstiness } });
    };
  const full = trialOf(spec.numRequests);
  const meets = (r: SimResult): boolean => r.requestsPerS >= RATE_KEEP_UP_FRACTION * r.offeredRequestsPerS && meetsPercentileSlo(r, slo);
  if (!(capacity > 0)) return { maxRateMeetingSloRequestsPerS: 0, capacityRequestsPerS: 0, atMaxRate: null, simulations };
  if (slo.maxTtftMs === null && slo.maxItlMs === null && slo.maxE2eMs === null) {
    return { maxRateMeetingSloRequestsPerS: capacity, capacityRequestsPerS: capacity, atMaxRate: null, simulations };
  }
  const done = (b: Bracket): RateSearchResult => ({ maxRateMeetingSloRequestsPerS: b.lo, capacityRequestsPerS: capacity, atMaxRate: b.loRun, simulations });

  const fullRequests = Math.max(1, Math.floor(spec.numRequests ?? DEFAULT_BENCHMARK_NUM_REQUESTS));
  const shortRequests = Math.max(RATE_SEARCH_SHORT_MIN_REQUESTS, Math.ceil(fullRequests / RATE_SEARCH_SHORT_DIVISOR));
  if (shortRequests >= fullRequests) return done(bisect(widenFromCapacity(capacity, full, meets), full, meets));

  // Short probes pick the factor-2 bracket. None meeting down to C / 2^12 is the verdict: that far
  // below capacity requests do not overlap, so the run's size does not change their latencies.
  const rough = widenFromCapacity(capacity, trialOf(shortRequests), meets);
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
  const narrow = bisect(rough, trialOf(shortRequests), meets, RATE_SEARCH_SHORT_BRACKET_RATIO);
  if (narrow.hi !== rough.hi) hiChecked = false;
  // Bisect at full size, then check any end no full run has decided (lo must meet, hi must fail);
  // where one disagrees, widen from it by the bracket's ratio, squared each time (at most 2), and
  // bisect again.
  const ratio = narrow.hi / narrow.lo;
  const growing = (k: number): number => Math.min(2, ratio ** (2 ** k));
  const b = bisect({ lo: narrow.lo, loRun: null, hi: narrow.hi }, full, meets);
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

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
 * and meeting the SLOs is monotone in it but for sampling noise at the boundary. ~8 simulations.
 */
import type { SloLimits, SloPercentile } from '../types';
import type { SimReplica } from './replica';
import type { SimResult } from './summarize';
import type { SimRunSpec } from './run';
import { runSimulation } from './run';

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

export function maxRateMeetingSlo(replica: SimReplica, spec: RateSearchSpec, slo: PercentileSlo): RateSearchResult {
  const burstiness = spec.burstiness ?? 1;
  let simulations = 1;
  const capacity = runSimulation(replica, { ...spec, load: { kind: 'burst' } }).requestsPerS;
  const at = (ratePerS: number): SimResult => {
    simulations += 1;
    return runSimulation(replica, { ...spec, load: { kind: 'open-loop', ratePerS, burstiness } });
  };
  const meets = (r: SimResult): boolean => r.requestsPerS >= RATE_KEEP_UP_FRACTION * r.offeredRequestsPerS && meetsPercentileSlo(r, slo);
  if (!(capacity > 0)) return { maxRateMeetingSloRequestsPerS: 0, capacityRequestsPerS: 0, atMaxRate: null, simulations };
  if (slo.maxTtftMs === null && slo.maxItlMs === null && slo.maxE2eMs === null) {
    return { maxRateMeetingSloRequestsPerS: capacity, capacityRequestsPerS: capacity, atMaxRate: null, simulations };
  }

  let hi = capacity;
  let hiRun = at(hi);
  let lo = capacity / 2;
  let loRun: SimResult | null = null;
  if (meets(hiRun)) {
    // Meets at capacity (a finite run can, e.g. with only an ITL limit): look above it.
    loRun = hiRun;
    lo = hi;
    for (let k = 0; k < RATE_SEARCH_MAX_WIDENINGS; k += 1) {
      hi = lo * 2;
      hiRun = at(hi);
      if (!meets(hiRun)) break;
      lo = hi;
      loRun = hiRun;
    }
    if (loRun === hiRun) return { maxRateMeetingSloRequestsPerS: lo, capacityRequestsPerS: capacity, atMaxRate: loRun, simulations };
  } else {
    for (let k = 0; k < RATE_SEARCH_MAX_WIDENINGS; k += 1) {
      const run = at(lo);
      if (meets(run)) {
        loRun = run;
        break;
      }
      hi = lo;
      lo /= 2;
    }
    if (loRun === null) return { maxRateMeetingSloRequestsPerS: 0, capacityRequestsPerS: capacity, atMaxRate: null, simulations };
  }
  while (hi / lo > 1 + RATE_SEARCH_REL_TOLERANCE) {
    const mid = Math.sqrt(lo * hi);
    const run = at(mid);
    if (meets(run)) {
      lo = mid;
      loRun = run;
    } else hi = mid;
  }
  return { maxRateMeetingSloRequestsPerS: lo, capacityRequestsPerS: capacity, atMaxRate: loRun, simulations };
}

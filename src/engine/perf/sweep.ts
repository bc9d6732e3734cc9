/**
 * Concurrency sweeps and SLO checks: the points a chart draws and the operating point the
 * recommender picks for one configuration.
 */
import type { PerfEstimate, SloLimits } from '../types';

/** Points of a concurrency sweep (geometric from 1 to the limit; integers, ascending, no repeats). */
export const SWEEP_POINTS = 12;

/** Sweeps by limit (a recommendation asks for the same few limits hundreds of times); cleared past 4096 limits. */
const pointsCache = new Map<number, readonly number[]>();

export function concurrencyPoints(maxConcurrency: number, points: number = SWEEP_POINTS): readonly number[] {
  const top = Math.max(1, Math.floor(maxConcurrency));
  if (points !== SWEEP_POINTS) return geometricPoints(top, points);
  let cached = pointsCache.get(top);
  if (cached === undefined) {
    if (pointsCache.size >= 4096) pointsCache.clear();
    cached = Object.freeze(geometricPoints(top, points));
    pointsCache.set(top, cached);
  }
  return cached;
}

function geometricPoints(top: number, points: number): number[] {
  if (top === 1 || points <= 1) return [top];
  const out: number[] = [];
  const ratio = Math.pow(top, 1 / (points - 1));
  for (let i = 0; i < points; i += 1) {
    const c = i === points - 1 ? top : Math.max(1, Math.round(Math.pow(ratio, i)));
    if (out.length === 0 || c > (out[out.length - 1] ?? 0)) out.push(c);
  }
  return out;
}

export type SweepPoint = { concurrency: number } & PerfEstimate;

/** The latencies an SLO limits. */
export type Latencies = Pick<PerfEstimate, 'ttftMs' | 'itlMs' | 'e2eMs'>;

/** Whether an operating point meets every limit that is set (null = no limit). */
export function meetsSlo(perf: Latencies, slo: SloLimits): boolean {
  return (
    (slo.maxTtftMs === null || perf.ttftMs <= slo.maxTtftMs) &&
    (slo.maxItlMs === null || perf.itlMs <= slo.maxItlMs) &&
    (slo.maxE2eMs === null || perf.e2eMs <= slo.maxE2eMs)
  );
}

/**
 * The operating point of a sweep, fed one point at a time (the recommender picks while it sweeps,
 * keeping only the points that can win): the first point with the highest throughput among those
 * meeting the SLO (on fixed hardware also the cheapest per token), else the first point with the
 * lowest E2E latency.
 */
export interface PickState {
  best: number;
  bestThroughput: number;
  lowest: number;
  lowestE2eMs: number;
}

export const newPickState = (): PickState => ({ best: -1, bestThroughput: -Infinity, lowest: -1, lowestE2eMs: Infinity });

/** Considers point i; returns which slot it now holds ('best', 'lowest') so the caller can keep its data, or null. */
export function considerPoint(s: PickState, i: number, meets: boolean, throughput: number, e2eMs: number): 'best' | 'lowest' | null {
  if (meets) {
    if (s.best < 0 || throughput > s.bestThroughput) {
      s.best = i;
      s.bestThroughput = throughput;
      return 'best';
    }
    return null;
  }
  // Only needed while no point meets the SLO; tracked for every point so one pass suffices.
  if (s.lowest < 0 || e2eMs < s.lowestE2eMs) {
    s.lowest = i;
    s.lowestE2eMs = e2eMs;
    return 'lowest';
  }
  return null;
}

export function pickedPoint(s: PickState): { index: number; meetsSlo: boolean } | null {
  if (s.best >= 0) return { index: s.best, meetsSlo: true };
  return s.lowest >= 0 ? { index: s.lowest, meetsSlo: false } : null;
}

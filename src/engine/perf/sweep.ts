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

export function sweepConcurrency(points: readonly number[], estimate: (concurrency: number) => PerfEstimate): SweepPoint[] {
  // Object.assign on the fresh estimate: no 20-field copy per point (the recommender's hot path).
  return points.map((concurrency) => Object.assign(estimate(concurrency), { concurrency }));
}

/** The latencies an SLO limits. */
export type Latencies = Pick<PerfEstimate, 'ttftMs' | 'itlMs' | 'e2eMs'>;

/** Whether an operating point meets every limit that is set (null = no limit). */
export function meetsSlo(perf: Latencies, slo: SloLimits): boolean {
  return meetsSloValues(perf.ttftMs, perf.itlMs, perf.e2eMs, slo);
}

export function meetsSloValues(ttftMs: number, itlMs: number, e2eMs: number, slo: SloLimits): boolean {
  return (
    (slo.maxTtftMs === null || ttftMs <= slo.maxTtftMs) &&
    (slo.maxItlMs === null || itlMs <= slo.maxItlMs) &&
    (slo.maxE2eMs === null || e2eMs <= slo.maxE2eMs)
  );
}

/**
 * The operating point of a sweep: the highest-throughput point that meets the SLO (on fixed
 * hardware that is also the cheapest per token), else the lowest-latency point (the first).
 */
export function pickOperatingPoint(sweep: readonly SweepPoint[], slo: SloLimits): { index: number; meetsSlo: boolean } | null {
  return pickOperatingPointBy(sweep, slo, (p) => p.outputTokensPerS);
}

/** pickOperatingPoint over any points with latencies and a throughput measure. */
export function pickOperatingPointBy<T extends Latencies>(
  points: readonly T[],
  slo: SloLimits,
  throughput: (p: T) => number,
): { index: number; meetsSlo: boolean } | null {
  return pickOperatingIndex(
    points.length,
    (i) => {
      const p = points[i];
      return p !== undefined && meetsSlo(p, slo);
    },
    (i) => {
      const p = points[i];
      return p === undefined ? -Infinity : throughput(p);
    },
    (i) => points[i]?.e2eMs ?? Infinity,
  );
}

/** The pick rule over n indexed points (the recommender picks on a sweep summary's arrays). */
export function pickOperatingIndex(
  n: number,
  meetsAt: (i: number) => boolean,
  throughputAt: (i: number) => number,
  e2eAt: (i: number) => number,
): { index: number; meetsSlo: boolean } | null {
  if (n === 0) return null;
  let best = -1;
  let bestThroughput = -Infinity;
  for (let i = 0; i < n; i += 1) {
    if (!meetsAt(i)) continue;
    const t = throughputAt(i);
    if (best < 0 || t > bestThroughput) {
      best = i;
      bestThroughput = t;
    }
  }
  if (best >= 0) return { index: best, meetsSlo: true };
  let lowest = 0;
  for (let i = 1; i < n; i += 1) if (e2eAt(i) < e2eAt(lowest)) lowest = i;
  return { index: lowest, meetsSlo: false };
}

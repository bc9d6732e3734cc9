/**
 * Series of the concurrency chart: for each configuration ticked for comparison, throughput and
 * latency along its concurrency sweep, with an optional ± error band from the engine's validation,
 * plus the published measurements comparable with it. Pure selectors.
 */
import type { RecommendRequest, RecommendResult } from '../../engine/types';
import type { ErrorBandPct, PublishedMeasurementView } from './contract';
import { candidateLabel } from './latencyCostPoints';
import { comparableMeasurements, type ComparableMeasurements } from './measuredPoints';

export interface ConcurrencyPoint {
  concurrency: number;
  outputTokensPerS: number;
  itlMs: number;
  ttftMs: number;
  e2eMs: number;
  /** [low, high] = value × (1 ∓ error %); null without an error band. */
  throughputBand: [number, number] | null;
  itlBand: [number, number] | null;
}

export interface ConcurrencySeries {
  index: number;
  label: string;
  points: ConcurrencyPoint[];
  measured: ComparableMeasurements;
}

/** value × (1 − pct/100) … value × (1 + pct/100), floored at 0. */
export function bandAround(value: number, pct: number): [number, number] {
  const fraction = pct / 100;
  return [Math.max(0, value * (1 - fraction)), value * (1 + fraction)];
}

export function selectConcurrencySeries(
  result: RecommendResult,
  indices: readonly number[],
  options: {
    modelId: string;
    request: Pick<RecommendRequest, 'inputTokens' | 'outputTokens'>;
    measurements?: readonly PublishedMeasurementView[];
    errorBand?: ErrorBandPct;
  },
): ConcurrencySeries[] {
  const series: ConcurrencySeries[] = [];
  for (const index of indices) {
    const candidate = result.candidates[index];
    if (candidate === undefined || candidate.sweep.length === 0) continue;
    const band = options.errorBand;
    const points = [...candidate.sweep]
      .sort((a, b) => a.concurrency - b.concurrency)
      .map((p) => ({
        concurrency: p.concurrency,
        outputTokensPerS: p.outputTokensPerS,
        itlMs: p.itlMs,
        ttftMs: p.ttftMs,
        e2eMs: p.e2eMs,
        throughputBand: band === undefined ? null : bandAround(p.outputTokensPerS, band.throughputPct),
        itlBand: band === undefined ? null : bandAround(p.itlMs, band.itlPct),
      }));
    series.push({
      index,
      label: candidateLabel(candidate),
      points,
      measured: comparableMeasurements(options.measurements ?? [], options.modelId, candidate, options.request),
    });
  }
  return series;
}

/** Concurrency values of all series (estimates and measurements), ascending: the log axis's ticks. */
export function selectConcurrencyTicks(series: readonly ConcurrencySeries[]): number[] {
  const values = new Set<number>();
  for (const s of series) {
    for (const p of s.points) values.add(p.concurrency);
    for (const m of [...s.measured.throughput, ...s.measured.itl]) values.add(m.concurrency);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * Points of the latency-vs-cost chart: one per fitting configuration (x = $ per million output
 * tokens, y = ITL or E2E), the engine's Pareto frontier as a line, and measured points placed with
 * the same axes. Pure selectors over RecommendResult.
 */
import type { Candidate, RecommendRequest, RecommendResult } from '../../engine/types';
import type { CandidateRow, MeasurementLike } from './contract';
import { comparableMeasurements } from './measuredPoints';
import { layoutLabel } from './tableRows';

export const LATENCY_METRICS = ['itl', 'e2e'] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

export interface LatencyCostPoint {
  index: number;
  label: string;
  usdPerMillionOutputTokens: number;
  latencyMs: number;
  meetsSlo: boolean;
}

export function candidateLabel(candidate: Candidate): string {
  return `${candidate.gpuCount}× ${candidate.gpuId} ${layoutLabel(candidate.layout)}`;
}

function latencyOf(candidate: Candidate, metric: LatencyMetric): number | null {
  if (candidate.perf === null) return null;
  return metric === 'itl' ? candidate.perf.itlMs : candidate.perf.e2eMs;
}

function pointOf(index: number, candidate: Candidate, metric: LatencyMetric): LatencyCostPoint | null {
  const latencyMs = latencyOf(candidate, metric);
  if (candidate.perf === null || latencyMs === null) return null;
  return {
    index,
    label: candidateLabel(candidate),
    usdPerMillionOutputTokens: candidate.perf.usdPerMillionOutputTokens,
    latencyMs,
    meetsSlo: candidate.meetsSlo,
  };
}

/** Scatter points for the given rows (those with a perf estimate), split by whether they meet the SLO. */
export function selectLatencyCostPoints(rows: readonly CandidateRow[], metric: LatencyMetric): { meetsSlo: LatencyCostPoint[]; missesSlo: LatencyCostPoint[] } {
  const meetsSlo: LatencyCostPoint[] = [];
  const missesSlo: LatencyCostPoint[] = [];
  // DP copies of one replica share its latency and cost per token: they would stack on one spot and
  // multiply the points the chart draws (hundreds), so the first row of each spot stands for them.
  const spots = new Set<string>();
  for (const { index, candidate } of rows) {
    const point = pointOf(index, candidate, metric);
    if (point === null) continue;
    const spot = `${candidate.gpuId}|${point.latencyMs.toPrecision(6)}|${point.usdPerMillionOutputTokens.toPrecision(6)}`;
    if (spots.has(spot)) continue;
    spots.add(spot);
    (point.meetsSlo ? meetsSlo : missesSlo).push(point);
  }
  return { meetsSlo, missesSlo };
}

/** The frontier, in the engine's order (ascending cost), as a polyline. */
export function selectParetoLine(result: RecommendResult, metric: LatencyMetric): LatencyCostPoint[] {
  const line: LatencyCostPoint[] = [];
  for (const index of result.pareto) {
    const candidate = result.candidates[index];
    if (candidate === undefined) continue;
    const point = pointOf(index, candidate, metric);
    if (point !== null) line.push(point);
  }
  return line;
}

/** Seconds per hour and tokens per million: unit conversions for $/hour ÷ tokens/s → $/M tokens. */
const S_PER_HOUR = 3600;
const TOKENS_PER_MILLION = 1e6;

export interface MeasuredLatencyCostPoint {
  /** The configuration the measurement is comparable with (its price is used). */
  index: number;
  label: string;
  concurrency: number;
  usdPerMillionOutputTokens: number;
  latencyMs: number;
  outputTokensPerS: number;
  source: string;
  engine: string;
}

/**
 * Measured ITL against the cost the measured throughput implies at the configuration's price:
 * $/M = ($/hour) / (measured tokens/s × 3600 s/h) × 10^6. Needs ITL and throughput measured at the
 * same concurrency; only for ITL (published sources rarely give E2E at a concurrency).
 */
export function selectMeasuredLatencyCostPoints(
  measurements: readonly MeasurementLike[],
  modelId: string,
  rows: readonly CandidateRow[],
  request: Pick<RecommendRequest, 'inputTokens' | 'outputTokens'>,
): MeasuredLatencyCostPoint[] {
  const points: MeasuredLatencyCostPoint[] = [];
  for (const { index, candidate } of rows) {
    if (candidate.perf === null) continue;
    const comparable = comparableMeasurements(measurements, modelId, candidate, request);
    for (const itl of comparable.itl) {
      const throughput = comparable.throughput.find((t) => t.concurrency === itl.concurrency && t.source === itl.source);
      if (throughput === undefined || throughput.value <= 0) continue;
      points.push({
        index,
        label: candidateLabel(candidate),
        concurrency: itl.concurrency,
        usdPerMillionOutputTokens: (candidate.perf.costUsdPerHour / (throughput.value * S_PER_HOUR)) * TOKENS_PER_MILLION,
        latencyMs: itl.value,
        outputTokensPerS: throughput.value,
        source: itl.source,
        engine: itl.engine,
      });
    }
  }
  return points;
}

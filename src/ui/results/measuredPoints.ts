/**
 * Published measurements beside the estimates: which rows of the measurement catalog describe the
 * same model on the same GPU, and which of those are comparable point-for-point with a configuration
 * (same TP, one replica, the request's input and output lengths). Pure selectors.
 */
import type { Candidate, RecommendRequest } from '../../engine/types';
import type { PublishedMeasurementView } from './contract';

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Every measurement of this model on this GPU type, whatever its layout or workload (detail list). */
export function measurementsFor(measurements: readonly PublishedMeasurementView[], modelId: string, gpuId: string): PublishedMeasurementView[] {
  return measurements.filter((m) => sameId(m.modelId, modelId) && sameId(m.gpuId, gpuId));
}

/** Metrics the charts plot, from the `metric` column of perf_calibration.csv. */
export const THROUGHPUT_METRICS: ReadonlySet<string> = new Set(['output_throughput']);
/** Mean TPOT excludes the first token like ITL does; both are per-output-token decode latency. */
export const ITL_METRICS: ReadonlySet<string> = new Set(['mean_itl', 'mean_tpot']);
export const TTFT_METRICS: ReadonlySet<string> = new Set(['mean_ttft']);

export interface MeasuredPoint {
  concurrency: number;
  value: number;
  metric: string;
  unit: string;
  source: string;
  engine: string;
  precision: string;
}

export interface ComparableMeasurements {
  /** Output tokens/s at a closed-loop concurrency. */
  throughput: MeasuredPoint[];
  /** ms per output token at a concurrency. */
  itl: MeasuredPoint[];
  ttft: MeasuredPoint[];
  /** Offline (all requests at once) output tokens/s: no concurrency to place it at. */
  offlineThroughput: Omit<MeasuredPoint, 'concurrency'>[];
}

/**
 * Measurements a configuration's estimates can be read against: same model, GPU and TP, the
 * request's input/output lengths, and a single-replica, single-stage layout (the published runs are
 * one server; a DP or PP estimate is a different system).
 */
export function comparableMeasurements(
  measurements: readonly PublishedMeasurementView[],
  modelId: string,
  candidate: Candidate,
  request: Pick<RecommendRequest, 'inputTokens' | 'outputTokens'>,
): ComparableMeasurements {
  const out: ComparableMeasurements = { throughput: [], itl: [], ttft: [], offlineThroughput: [] };
  if (candidate.layout.dp !== 1 || candidate.layout.pp !== 1) return out;
  for (const m of measurementsFor(measurements, modelId, candidate.gpuId)) {
    if (m.tp !== candidate.layout.tp || m.inputTokens !== request.inputTokens || m.outputTokens !== request.outputTokens) continue;
    const base = { value: m.value, metric: m.metric, unit: m.unit, source: m.source, engine: m.engine, precision: m.precision };
    if (m.concurrency === 'max') {
      if (THROUGHPUT_METRICS.has(m.metric)) out.offlineThroughput.push(base);
      continue;
    }
    const point = { ...base, concurrency: m.concurrency };
    if (THROUGHPUT_METRICS.has(m.metric)) out.throughput.push(point);
    else if (ITL_METRICS.has(m.metric)) out.itl.push(point);
    else if (TTFT_METRICS.has(m.metric)) out.ttft.push(point);
  }
  return out;
}

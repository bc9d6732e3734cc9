/**
 * Points of the latency-vs-cost chart: one per fitting configuration (x = $ per million output
 * tokens, y = ITL or E2E), the engine's Pareto frontier as a line, and measured points placed with
 * the same axes. Pure selectors over RecommendResult.
 */
import { usdPerMillionTokens } from '../../engine/perf/cost';
import type { Candidate, RecommendRequest, RecommendResult } from '../../engine/types';
import type { CandidateRow, PublishedMeasurementView } from './contract';
import { bestPickIndices } from '../../engine/compactCandidates';
import { comparableMeasurements } from './measuredPoints';
import { layoutLabel } from './tableRows';
import { costAxis, isClipped, placeOnAxis, type LogAxis } from '../../state/chartAxes';
import { inZoom, zoomedCostAxis, type ChartZoom } from '../../state/chartZoom';

export const LATENCY_METRICS = ['itl', 'e2e'] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

export interface LatencyCostPoint {
  index: number;
  label: string;
  usdPerMillionOutputTokens: number;
  latencyMs: number;
  meetsSlo: boolean;
  /** What the tooltip names: the GPU, the layout, the operating point and its figures (issue 14). */
  gpuId: string;
  gpuCount: number;
  layout: string;
  /** Concurrent requests at the row's operating point; null = every request at once. */
  concurrency: number | null;
  ttftMs: number;
  itlMs: number;
  costUsdPerHour: number;
}

/** A point as drawn: `x` is where it sits on the cost axis (the axis's end when clipped), `offScale` when it was clipped. */
export type PlacedPoint<P extends { usdPerMillionOutputTokens: number } = LatencyCostPoint> = P & { x: number; offScale: boolean };

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
    gpuId: candidate.gpuId,
    gpuCount: candidate.gpuCount,
    layout: layoutLabel(candidate.layout),
    concurrency: candidate.concurrency,
    ttftMs: candidate.perf.ttftMs,
    itlMs: candidate.perf.itlMs,
    costUsdPerHour: candidate.perf.costUsdPerHour,
  };
}

/**
 * Most points the latency-vs-cost chart draws. Recharts renders each scatter point as its own SVG
 * element tree (~1 ms each on a laptop CPU, measured with scripts/measure-ui.ts): 540 points kept the
 * main thread busy for over a second after every input change. 150 keeps the frontier and the
 * choices around it readable; the table lists every row.
 */
export const MAX_PLOTTED_POINTS = 150;

export interface LatencyCostPoints {
  meetsSlo: LatencyCostPoint[];
  missesSlo: LatencyCostPoint[];
  /** Distinct chart positions left out by the cap (0 = every configuration is drawn). */
  omitted: number;
}

export interface PlotOptions {
  /** Rows always drawn (selectPlotPriority): the frontier, the best picks, the best of each GPU type. */
  priority?: ReadonlySet<number>;
  maxPoints?: number;
}

/**
 * Scatter points for the given rows (those with a perf estimate), split by whether they meet the SLO.
 * At most `maxPoints`: the priority rows first, then the rest in the engine's ranking (row index), so
 * the points left out are the lowest-ranked ones.
 */
export function selectLatencyCostPoints(rows: readonly CandidateRow[], metric: LatencyMetric, options: PlotOptions = {}): LatencyCostPoints {
  const priority = options.priority ?? new Set<number>();
  const maxPoints = options.maxPoints ?? MAX_PLOTTED_POINTS;
  const ordered = [...rows].sort((a, b) => Number(priority.has(b.index)) - Number(priority.has(a.index)) || a.index - b.index);
  const meetsSlo: LatencyCostPoint[] = [];
  const missesSlo: LatencyCostPoint[] = [];
  let omitted = 0;
  // DP copies of one replica share its latency and cost per token: they would stack on one spot and
  // multiply the points the chart draws (hundreds), so the first row of each spot stands for them.
  const spots = new Set<string>();
  for (const { index, candidate } of ordered) {
    const point = pointOf(index, candidate, metric);
    if (point === null) continue;
    const spot = `${candidate.gpuId}|${point.latencyMs.toPrecision(6)}|${point.usdPerMillionOutputTokens.toPrecision(6)}`;
    if (spots.has(spot)) continue;
    spots.add(spot);
    if (meetsSlo.length + missesSlo.length >= maxPoints && !priority.has(index)) {
      omitted += 1;
      continue;
    }
    (point.meetsSlo ? meetsSlo : missesSlo).push(point);
  }
  return { meetsSlo, missesSlo, omitted };
}

/** The rows the chart draws whatever the cap: the Pareto frontier, the best picks and the best-ranked row of each GPU type. */
export function selectPlotPriority(result: RecommendResult, rows: readonly CandidateRow[]): Set<number> {
  const priority = new Set<number>([...result.pareto, ...bestPickIndices(result.best)]);
  const bestOfGpu = new Map<string, number>();
  for (const { index, candidate } of rows) {
    if (candidate.perf === null) continue;
    const current = bestOfGpu.get(candidate.gpuId);
    if (current === undefined || index < current) bestOfGpu.set(candidate.gpuId, index);
  }
  for (const index of bestOfGpu.values()) priority.add(index);
  return priority;
}

/** The chart position of one candidate (the selection ring), or null when it has no estimate. */
export function selectLatencyCostPoint(result: RecommendResult, index: number | null, metric: LatencyMetric): LatencyCostPoint | null {
  if (index === null) return null;
  const candidate = result.candidates[index];
  return candidate === undefined ? null : pointOf(index, candidate, metric);
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
 * Measured ITL against the cost the measured throughput implies at the configuration's price
 * (the engine's usdPerMillionTokens, so measured and estimated points share one formula). Needs ITL
 * and throughput measured at the same concurrency; only for ITL (published sources rarely give E2E
 * at a concurrency).
 */
export function selectMeasuredLatencyCostPoints(
  measurements: readonly PublishedMeasurementView[],
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
      if (throughput === undefined) continue;
      const usdPerMillionOutputTokens = usdPerMillionTokens(candidate.perf.costUsdPerHour, throughput.value);
      if (usdPerMillionOutputTokens === null) continue;
      points.push({
        index,
        label: candidateLabel(candidate),
        concurrency: itl.concurrency,
        usdPerMillionOutputTokens,
        latencyMs: itl.value,
        outputTokensPerS: throughput.value,
        source: itl.source,
        engine: itl.engine,
      });
    }
  }
  return points;
}

/** Every series of the chart placed on one cost axis (log scale; clipped at the outlier fence when asked). */
export interface PlacedLatencyCostChart {
  axis: LogAxis;
  meetsSlo: PlacedPoint[];
  missesSlo: PlacedPoint[];
  pareto: PlacedPoint[];
  measured: PlacedPoint<MeasuredLatencyCostPoint>[];
  /** Points drawn at the axis's end because their cost lies beyond it (meeting or missing the SLO). */
  offScale: PlacedPoint[];
}

/**
 * Places the chart's points on a cost axis computed from all of them (state/chartAxes.ts costAxis):
 * with `clipOutliers`, points beyond the outlier fence move to the right end and are listed in
 * `offScale` (the chart marks them; the tooltip keeps their real cost). With a `zoom` (a drag over
 * the plot, state/chartZoom.ts) the axis is the zoomed range and only the points inside it are kept.
 */
export function placeLatencyCostChart(
  points: Pick<LatencyCostPoints, 'meetsSlo' | 'missesSlo'>,
  pareto: readonly LatencyCostPoint[],
  measured: readonly MeasuredLatencyCostPoint[],
  clipOutliers: boolean,
  zoom: ChartZoom | null = null,
): PlacedLatencyCostChart {
  if (zoom !== null) {
    const shown = <P extends { usdPerMillionOutputTokens: number; latencyMs: number }>(list: readonly P[]): PlacedPoint<P>[] =>
      list.filter((p) => inZoom(p.usdPerMillionOutputTokens, p.latencyMs, zoom)).map((p) => ({ ...p, x: p.usdPerMillionOutputTokens, offScale: false }));
    return {
      axis: zoomedCostAxis(zoom),
      meetsSlo: shown(points.meetsSlo),
      missesSlo: shown(points.missesSlo),
      pareto: shown(pareto),
      measured: shown(measured),
      offScale: [],
    };
  }
  const all = [...points.meetsSlo, ...points.missesSlo, ...pareto, ...measured];
  const axis = costAxis(
    all.map((p) => p.usdPerMillionOutputTokens),
    clipOutliers,
  );
  const place = <P extends { usdPerMillionOutputTokens: number }>(p: P): PlacedPoint<P> => ({
    ...p,
    x: placeOnAxis(p.usdPerMillionOutputTokens, axis),
    offScale: isClipped(p.usdPerMillionOutputTokens, axis),
  });
  const meetsSlo = points.meetsSlo.map(place);
  const missesSlo = points.missesSlo.map(place);
  return {
    axis,
    meetsSlo: meetsSlo.filter((p) => !p.offScale),
    missesSlo: missesSlo.filter((p) => !p.offScale),
    pareto: pareto.map(place),
    measured: measured.map(place),
    offScale: [...meetsSlo, ...missesSlo].filter((p) => p.offScale),
  };
}

/** Short names of the picks, as the chart labels them. */
export const PICK_MARK_NAMES = {
  verdict: 'Recommended',
  cheapestMeetingSlo: 'Cheapest in SLO',
  lowestLatency: 'Lowest latency',
  highestThroughput: 'Most tok/s',
} as const;

export interface PickMark {
  index: number;
  /** Every pick this row holds, joined: "Recommended · Cheapest meeting SLO". */
  label: string;
  point: LatencyCostPoint;
}

/** The verdict's pick and the best picks, one mark per row (a row holding several picks gets one joined label). */
export function selectPickMarks(result: RecommendResult, metric: LatencyMetric): PickMark[] {
  const names = new Map<number, string[]>();
  const add = (index: number | null, name: string): void => {
    if (index === null) return;
    names.set(index, [...(names.get(index) ?? []), name]);
  };
  add(result.verdict?.kind === 'pick' ? result.verdict.pick.index : null, PICK_MARK_NAMES.verdict);
  add(result.best.cheapestMeetingSlo, PICK_MARK_NAMES.cheapestMeetingSlo);
  add(result.best.lowestLatency, PICK_MARK_NAMES.lowestLatency);
  add(result.best.highestThroughput, PICK_MARK_NAMES.highestThroughput);
  const marks: PickMark[] = [];
  for (const [index, labels] of names) {
    const point = selectLatencyCostPoint(result, index, metric);
    if (point !== null) marks.push({ index, label: labels.join(' · '), point });
  }
  return marks;
}

export type PickMarkKind = keyof typeof PICK_MARK_NAMES;

/** Which picks the result holds (each has a chart label and a term popover), in PICK_MARK_NAMES order. */
export function selectPickKinds(result: RecommendResult): PickMarkKind[] {
  const held: Record<PickMarkKind, boolean> = {
    verdict: result.verdict?.kind === 'pick',
    cheapestMeetingSlo: result.best.cheapestMeetingSlo !== null,
    lowestLatency: result.best.lowestLatency !== null,
    highestThroughput: result.best.highestThroughput !== null,
  };
  return (Object.keys(PICK_MARK_NAMES) as PickMarkKind[]).filter((kind) => held[kind]);
}

/**
 * Latency (ITL or E2E) against $ per million output tokens, one point per fitting configuration (at
 * most MAX_PLOTTED_POINTS: the frontier, the best picks, the best of each GPU type, then the
 * best-ranked others), the engine's Pareto frontier drawn as a line, published measurements marked
 * "measured", the verdict's pick and the best picks labelled. The cost axis is logarithmic and, by
 * default, clipped at an outlier fence (state/chartAxes.ts): configurations beyond it sit at the
 * right edge as triangles; "Show all" zooms out to them. A drag across the plot zooms to the dragged
 * range (DragZoomLayer; "Reset zoom" undoes it, the buttons are the keyboard's way). Axis titles with
 * their units sit outside the plot (no overlap with the ticks), each with its term's "?", as are the
 * pick labels' names below the plot. The pick labels are placed off nearby points and each other
 * (PickLabels, state/labelPlacement.ts). Clicking a point selects its row, as a click in the table
 * does. Loaded lazily (recharts is the largest dependency) and memoized: ResultsView hands it
 * deferred props so the table paints first.
 */
import { memo, useMemo, useState, type ReactNode } from 'react';
import {
  CartesianGrid,
  Legend,
  ReferenceDot,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  type ScatterPointItem,
} from 'recharts';
import type { RecommendResult } from '../../engine/types';
import { placeOnAxis } from '../../state/chartAxes';
import type { ChartZoom } from '../../state/chartZoom';
import { formatAxisNumber, formatCount, formatMs, formatPct, formatTokensPerS, formatUsd } from '../format';
import Term from '../Term';
import { CHART_TERMS } from '../glossary';
import DragZoomLayer from './DragZoomLayer';
import PickLabels from './PickLabels';
import type { CandidateRow, ErrorBandPct } from './contract';
import { AXIS_TICK, CHART_COLORS, datumIndex, costXAxisProps } from './chartTheme';
import {
  MAX_PLOTTED_POINTS,
  PICK_MARK_NAMES,
  placeLatencyCostChart,
  selectLatencyCostPoint,
  selectLatencyCostPoints,
  selectParetoLine,
  selectPickKinds,
  selectPickMarks,
  selectPlotPriority,
  type LatencyMetric,
  type MeasuredLatencyCostPoint,
  type PlacedLatencyCostChart,
  type PlacedPoint,
} from './latencyCostPoints';

export interface LatencyCostChartProps {
  result: RecommendResult;
  /** Visible table rows: the chart follows the table's filters. */
  rows: readonly CandidateRow[];
  selectedIndex: number | null;
  onSelect: (index: number | null) => void;
  /** selectMeasuredLatencyCostPoints(...) — plotted on the ITL view only. */
  measured: readonly MeasuredLatencyCostPoint[];
  errorBand?: ErrorBandPct;
}

const METRIC_LABELS: Record<LatencyMetric, string> = { itl: 'ITL', e2e: 'E2E latency' };
const CHART_HEIGHT_PX = 340;
/** Room for tick labels such as "1,500" at 12 px; the axis titles sit outside the SVG. */
const Y_AXIS_WIDTH_PX = 52;

const NO_MEASURED: readonly MeasuredLatencyCostPoint[] = [];

/** recharts hands a Scatter's onClick the drawn point; its payload is our datum (with `index`). */
function clickHandler(onSelect: (index: number | null) => void): (item: ScatterPointItem) => void {
  return (item) => {
    const index = datumIndex(item.payload);
    if (index !== null) onSelect(index);
  };
}

function LatencyCostChart(props: LatencyCostChartProps): ReactNode {
  const { result, rows, selectedIndex, onSelect, measured, errorBand } = props;
  const [metric, setMetric] = useState<LatencyMetric>('itl');
  const [clipOutliers, setClipOutliers] = useState(true);
  // A drag's zoom belongs to the result and metric it was drawn on: a new result or metric shows everything again.
  const [zoomed, setZoomed] = useState<{ result: RecommendResult; metric: LatencyMetric; zoom: ChartZoom } | null>(null);
  const zoom = zoomed !== null && zoomed.result === result && zoomed.metric === metric ? zoomed.zoom : null;
  const onZoom = useMemo(() => (next: ChartZoom) => setZoomed({ result, metric, zoom: next }), [result, metric]);
  const priority = useMemo(() => selectPlotPriority(result, rows), [result, rows]);
  const points = useMemo(() => selectLatencyCostPoints(rows, metric, { priority }), [rows, metric, priority]);
  const pareto = useMemo(() => selectParetoLine(result, metric), [result, metric]);
  const shownMeasured = metric === 'itl' ? measured : NO_MEASURED;
  const placed = useMemo(() => placeLatencyCostChart(points, pareto, shownMeasured, clipOutliers, zoom), [points, pareto, shownMeasured, clipOutliers, zoom]);
  const marks = useMemo(() => selectPickMarks(result, metric), [result, metric]);
  const pickKinds = useMemo(() => selectPickKinds(result), [result]);
  const drawn = useMemo(() => [...placed.meetsSlo, ...placed.missesSlo, ...placed.pareto, ...placed.offScale, ...placed.measured], [placed]);
  const selected = selectLatencyCostPoint(result, selectedIndex, metric);
  const bandPct = errorBand === undefined ? null : metric === 'itl' ? errorBand.itlPct : null;
  const targetRatePerS = result.capacity?.targetRequestsPerS ?? null;
  // One stable handler: a new selection re-renders the ring, not every point.
  const onPointClick = useMemo(() => clickHandler(onSelect), [onSelect]);
  const clipEnd = placed.axis.clipAboveValue;

  return (
    <figure className="chart latency-cost-chart">
      <figcaption>
        <span>{METRIC_LABELS[metric]} against cost per million output tokens</span>
        <span className="chart-controls" role="group" aria-label="Latency metric">
          {(['itl', 'e2e'] as const).map((m) => (
            <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
              {METRIC_LABELS[m]}
            </button>
          ))}
        </span>
        <span className="chart-controls" role="group" aria-label="Cost axis range">
          <button
            type="button"
            aria-pressed={zoom === null && clipOutliers}
            onClick={() => {
              setZoomed(null);
              setClipOutliers(true);
            }}
            title="Stop the cost axis before far-out configurations (drawn as triangles at the right edge)"
          >
            Clip outliers
          </button>
          <button
            type="button"
            aria-pressed={zoom === null && !clipOutliers}
            onClick={() => {
              setZoomed(null);
              setClipOutliers(false);
            }}
            title="Widen the cost axis to every configuration"
          >
            Show all
          </button>
          {zoom === null ? null : (
            <button type="button" onClick={() => setZoomed(null)} title="Undo the drag's zoom: back to the whole range">
              Reset zoom
            </button>
          )}
        </span>
      </figcaption>
      <p className="axis-title axis-title-y">
        {METRIC_LABELS[metric]} (ms)
        <Term entry={metric === 'itl' ? CHART_TERMS.itlAxis : CHART_TERMS.e2eAxis} />
      </p>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
        <ScatterChart margin={{ top: 24, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} />
          <XAxis {...costXAxisProps(placed.axis)} />
          <YAxis
            type="number"
            dataKey="latencyMs"
            name={METRIC_LABELS[metric]}
            width={Y_AXIS_WIDTH_PX}
            tickFormatter={formatAxisNumber}
            tick={AXIS_TICK}
            stroke={CHART_COLORS.muted}
            domain={zoom === null ? ['auto', 'auto'] : [zoom.latencyMinMs, zoom.latencyMaxMs]}
            allowDataOverflow={zoom !== null}
          />
          <DragZoomLayer onZoom={onZoom} />
          <Tooltip
            content={({ active, payload }) =>
              active === true ? (
                <PointTooltip datum={payload[0]?.payload} placed={placed} metric={metric} bandPct={bandPct} targetRatePerS={targetRatePerS} />
              ) : null
            }
          />
          <Legend verticalAlign="top" wrapperStyle={{ color: CHART_COLORS.fg }} />
          {/* No animations: recharts re-renders every point on each animation frame (~0.5 s of main-thread work per update). */}
          <Scatter name="Meets SLO" data={placed.meetsSlo} fill={CHART_COLORS.ok} onClick={onPointClick} cursor="pointer" isAnimationActive={false} />
          <Scatter name="Misses SLO" data={placed.missesSlo} fill={CHART_COLORS.bad} shape="square" onClick={onPointClick} cursor="pointer" isAnimationActive={false} />
          <Scatter
            name="Pareto frontier"
            data={placed.pareto}
            fill={CHART_COLORS.accent}
            line={{ stroke: CHART_COLORS.accent, strokeWidth: 2 }}
            shape="diamond"
            onClick={onPointClick}
            cursor="pointer"
            isAnimationActive={false}
          />
          {placed.offScale.length === 0 || clipEnd === null ? null : (
            <Scatter
              name={`Over ${formatUsd(clipEnd)} (off scale)`}
              data={placed.offScale}
              fill={CHART_COLORS.warn}
              shape="triangle"
              onClick={onPointClick}
              cursor="pointer"
              isAnimationActive={false}
            />
          )}
          {placed.measured.length > 0 ? (
            <Scatter name="Measured (published)" data={placed.measured} fill={CHART_COLORS.measured} shape="cross" onClick={onPointClick} isAnimationActive={false} />
          ) : null}
          <PickLabels marks={marks} axis={placed.axis} points={drawn} />
          {selected === null ? null : (
            <ReferenceDot
              x={placeOnAxis(selected.usdPerMillionOutputTokens, placed.axis)}
              y={selected.latencyMs}
              r={9}
              fill="none"
              stroke={CHART_COLORS.fg}
              strokeWidth={2}
            />
          )}
        </ScatterChart>
      </ResponsiveContainer>
      <p className="axis-title axis-title-x">
        Cost: $ per million output tokens (USD, log scale)
        <Term entry={CHART_TERMS.costAxis} />
      </p>
      {zoom === null ? (
        <p className="chart-note">Drag across the plot to zoom in.</p>
      ) : (
        <p className="chart-note zoom-note" data-testid="zoom-note">
          Zoomed to {formatUsd(zoom.costMin)}–{formatUsd(zoom.costMax)} per million output tokens and {METRIC_LABELS[metric]} {formatMs(zoom.latencyMinMs)}–
          {formatMs(zoom.latencyMaxMs)}: {formatCount(placed.meetsSlo.length + placed.missesSlo.length)} configurations in range. “Reset zoom” shows them all.
        </p>
      )}
      <p className="chart-note chart-terms">
        On the chart:
        {pickKinds.map((kind) => (
          <span key={kind} className="chart-term">
            {PICK_MARK_NAMES[kind]}
            <Term entry={CHART_TERMS[kind]} />
          </span>
        ))}
        <span className="chart-term">
          Pareto frontier
          <Term entry={CHART_TERMS.pareto} />
        </span>
        {placed.offScale.length === 0 ? null : (
          <span className="chart-term">
            Off scale
            <Term entry={CHART_TERMS.offScale} />
          </span>
        )}
        {placed.measured.length === 0 ? null : (
          <span className="chart-term">
            Measured
            <Term entry={CHART_TERMS.measured} />
          </span>
        )}
      </p>
      {placed.offScale.length === 0 || clipEnd === null ? null : (
        <p className="chart-note off-scale-note">
          {formatCount(placed.offScale.length)} configuration{placed.offScale.length === 1 ? ' costs' : 's cost'} more than {formatUsd(clipEnd)} per million
          output tokens, far beyond the rest: drawn as triangles at the right edge (hover for the real cost). “Show all” widens the axis.
        </p>
      )}
      {points.omitted === 0 ? null : (
        <p className="chart-note">
          {points.meetsSlo.length + points.missesSlo.length} points drawn, {points.omitted} more configurations left out (at most{' '}
          {MAX_PLOTTED_POINTS}): the Pareto frontier, the best picks and the best of each GPU type come first, then the best-ranked
          others. The table lists them all.
        </p>
      )}
      {bandPct === null ? null : (
        <p className="chart-note">Estimated ITL is within ±{formatPct(bandPct)} of published measurements (engine validation).</p>
      )}
    </figure>
  );
}

export default memo(LatencyCostChart);

interface PointTooltipProps {
  datum: unknown;
  placed: PlacedLatencyCostChart;
  metric: LatencyMetric;
  bandPct: number | null;
  /** The request-rate load's target (issue 10); null under a concurrency load. */
  targetRatePerS: number | null;
}

/** "@ 32 concurrent", "@ 12 req/s (target)", "@ saturation". */
function loadWords(concurrency: number | null, targetRatePerS: number | null): string {
  if (targetRatePerS !== null) return `@ ${formatAxisNumber(targetRatePerS)} req/s (target rate)`;
  return concurrency === null ? '@ saturation (all requests at once)' : `@ ${formatCount(concurrency)} concurrent`;
}

/** Exact values of the hovered point; the datum is matched by identity against the plotted arrays. */
function PointTooltip({ datum, placed, metric, bandPct, targetRatePerS }: PointTooltipProps): ReactNode {
  const measuredPoint = placed.measured.find((p) => p === datum);
  if (measuredPoint !== undefined) {
    return (
      <div className="chart-tooltip">
        <strong>Measured: {measuredPoint.label}</strong>
        <div>ITL {formatMs(measuredPoint.latencyMs)} @ {formatCount(measuredPoint.concurrency)} concurrent</div>
        <div>{formatTokensPerS(measuredPoint.outputTokensPerS)} → {formatUsd(measuredPoint.usdPerMillionOutputTokens)} / M tokens at this row&apos;s price</div>
        <div className="source">
          {measuredPoint.engine} · {measuredPoint.source}
        </div>
      </div>
    );
  }
  const point: PlacedPoint | undefined = [...placed.meetsSlo, ...placed.missesSlo, ...placed.offScale, ...placed.pareto].find((p) => p === datum);
  if (point === undefined) return null;
  const band = bandPct === null ? '' : ` (±${formatPct(bandPct)})`;
  return (
    <div className="chart-tooltip">
      <strong>
        {formatCount(point.gpuCount)} × {point.gpuId} · {point.layout}
      </strong>
      <div>{loadWords(point.concurrency, targetRatePerS)}</div>
      <div>
        TTFT {formatMs(point.ttftMs)} · ITL {formatMs(point.itlMs)}
        {metric === 'itl' ? band : ''}
        {metric === 'e2e' ? ` · E2E ${formatMs(point.latencyMs)}` : ''}
      </div>
      <div>
        {formatUsd(point.usdPerMillionOutputTokens)} per M output tokens · {formatUsd(point.costUsdPerHour)}/h
      </div>
      {point.offScale ? <div>Off scale: drawn at the axis&apos;s end</div> : null}
      <div>{point.meetsSlo ? 'Meets the SLO' : 'Misses the SLO'} · estimate · click to select</div>
    </div>
  );
}

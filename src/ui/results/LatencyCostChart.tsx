/**
 * Latency (ITL or E2E) against $ per million output tokens, one point per fitting configuration (at
 * most MAX_PLOTTED_POINTS: the frontier, the best picks, the best of each GPU type, then the
 * best-ranked others), the engine's Pareto frontier drawn as a line, published measurements marked
 * "measured". Clicking a point selects its row. Loaded lazily (recharts is the largest dependency)
 * and memoized: ResultsView hands it deferred props so the table paints first.
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
} from 'recharts';
import type { RecommendResult } from '../../engine/types';
import { formatMs, formatPct, formatTokensPerS, formatUsd } from '../format';
import type { CandidateRow, ErrorBandPct } from './contract';
import { AXIS_TICK, CHART_COLORS } from './chartTheme';
import {
  MAX_PLOTTED_POINTS,
  selectLatencyCostPoint,
  selectLatencyCostPoints,
  selectParetoLine,
  selectPlotPriority,
  type LatencyCostPoint,
  type LatencyMetric,
  type MeasuredLatencyCostPoint,
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

const NO_MEASURED: readonly MeasuredLatencyCostPoint[] = [];

function LatencyCostChart(props: LatencyCostChartProps): ReactNode {
  const { result, rows, selectedIndex, onSelect, measured, errorBand } = props;
  const [metric, setMetric] = useState<LatencyMetric>('itl');
  const priority = useMemo(() => selectPlotPriority(result, rows), [result, rows]);
  const points = useMemo(() => selectLatencyCostPoints(rows, metric, { priority }), [rows, metric, priority]);
  const pareto = useMemo(() => selectParetoLine(result, metric), [result, metric]);
  const shownMeasured = metric === 'itl' ? measured : NO_MEASURED;
  const selected = selectLatencyCostPoint(result, selectedIndex, metric);
  const bandPct = errorBand === undefined ? null : metric === 'itl' ? errorBand.itlPct : null;

  // Stable click handlers and data arrays: a new selection re-renders the ring, not every point.
  const handlers = useMemo(() => {
    const selectFrom = (list: readonly { index: number }[]) => (_item: unknown, position: number) => {
      const point = list[position];
      if (point !== undefined) onSelect(point.index);
    };
    return {
      meetsSlo: selectFrom(points.meetsSlo),
      missesSlo: selectFrom(points.missesSlo),
      pareto: selectFrom(pareto),
      measured: selectFrom(shownMeasured),
    };
  }, [points, pareto, shownMeasured, onSelect]);
  const measuredData = useMemo(() => [...shownMeasured], [shownMeasured]);

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
      </figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
        <ScatterChart margin={{ top: 10, right: 20, bottom: 30, left: 20 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} />
          <XAxis
            type="number"
            dataKey="usdPerMillionOutputTokens"
            name="$ / M output tokens"
            tickFormatter={formatUsd}
            tick={AXIS_TICK}
            stroke={CHART_COLORS.muted}
            domain={['auto', 'auto']}
            label={{ value: '$ per million output tokens (USD)', position: 'bottom', fill: CHART_COLORS.fg }}
          />
          <YAxis
            type="number"
            dataKey="latencyMs"
            name={METRIC_LABELS[metric]}
            tickFormatter={formatMs}
            tick={AXIS_TICK}
            stroke={CHART_COLORS.muted}
            domain={['auto', 'auto']}
            label={{ value: `${METRIC_LABELS[metric]} (ms)`, angle: -90, position: 'insideLeft', fill: CHART_COLORS.fg }}
          />
          <Tooltip
            content={({ active, payload }) =>
              active === true ? (
                <PointTooltip datum={payload[0]?.payload} points={points} pareto={pareto} measured={shownMeasured} metric={metric} bandPct={bandPct} />
              ) : null
            }
          />
          <Legend verticalAlign="top" wrapperStyle={{ color: CHART_COLORS.fg }} />
          {/* No animations: recharts re-renders every point on each animation frame (~0.5 s of main-thread work per update). */}
          <Scatter name="Meets SLO" data={points.meetsSlo} fill={CHART_COLORS.ok} onClick={handlers.meetsSlo} cursor="pointer" isAnimationActive={false} />
          <Scatter name="Misses SLO" data={points.missesSlo} fill={CHART_COLORS.bad} shape="square" onClick={handlers.missesSlo} cursor="pointer" isAnimationActive={false} />
          <Scatter
            name="Pareto frontier"
            data={pareto}
            fill={CHART_COLORS.accent}
            line={{ stroke: CHART_COLORS.accent, strokeWidth: 2 }}
            shape="diamond"
            onClick={handlers.pareto}
            cursor="pointer"
            isAnimationActive={false}
          />
          {shownMeasured.length > 0 ? (
            <Scatter name="Measured (published)" data={measuredData} fill={CHART_COLORS.measured} shape="cross" onClick={handlers.measured} isAnimationActive={false} />
          ) : null}
          {selected === null ? null : (
            <ReferenceDot x={selected.usdPerMillionOutputTokens} y={selected.latencyMs} r={9} fill="none" stroke={CHART_COLORS.fg} strokeWidth={2} />
          )}
        </ScatterChart>
      </ResponsiveContainer>
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
  points: { meetsSlo: readonly LatencyCostPoint[]; missesSlo: readonly LatencyCostPoint[] };
  pareto: readonly LatencyCostPoint[];
  measured: readonly MeasuredLatencyCostPoint[];
  metric: LatencyMetric;
  bandPct: number | null;
}

/** Exact values of the hovered point; the datum is matched by identity against the plotted arrays. */
function PointTooltip({ datum, points, pareto, measured, metric, bandPct }: PointTooltipProps): ReactNode {
  const measuredPoint = measured.find((p) => p === datum);
  if (measuredPoint !== undefined) {
    return (
      <div className="chart-tooltip">
        <strong>Measured: {measuredPoint.label}</strong>
        <div>ITL {formatMs(measuredPoint.latencyMs)} at concurrency {measuredPoint.concurrency}</div>
        <div>{formatTokensPerS(measuredPoint.outputTokensPerS)} → {formatUsd(measuredPoint.usdPerMillionOutputTokens)} / M tokens at this row&apos;s price</div>
        <div className="source">
          {measuredPoint.engine} · {measuredPoint.source}
        </div>
      </div>
    );
  }
  const point = [...points.meetsSlo, ...points.missesSlo, ...pareto].find((p) => p === datum);
  if (point === undefined) return null;
  return (
    <div className="chart-tooltip">
      <strong>{point.label}</strong>
      <div>
        {METRIC_LABELS[metric]} {formatMs(point.latencyMs)}
        {bandPct === null ? '' : ` (±${formatPct(bandPct)})`}
      </div>
      <div>{formatUsd(point.usdPerMillionOutputTokens)} per million output tokens</div>
      <div>{point.meetsSlo ? 'Meets the SLO' : 'Misses the SLO'} · estimate</div>
    </div>
  );
}

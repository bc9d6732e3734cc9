/**
 * For the configurations ticked in the table: output throughput and ITL against concurrency (from
 * each candidate's sweep), with the ± validation band when known, and published measurements of the
 * same model, GPU, TP and workload marked "measured". Loaded lazily.
 */
import { memo, useMemo, type ReactNode } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { RecommendRequest, RecommendResult } from '../../engine/types';
import { formatAxisNumber, formatMs, formatPct, formatTokensPerS } from '../format';
import type { ErrorBandPct, PublishedMeasurementView } from './contract';
import { AXIS_TICK, CHART_COLORS, seriesColor } from './chartTheme';
import { selectConcurrencySeries, selectConcurrencyTicks, type ConcurrencySeries } from './concurrencySeries';
import type { MeasuredPoint } from './measuredPoints';
import Term from '../Term';
import { COLUMN_TERMS, PERF_FACT_TERMS, type GlossaryEntry } from '../glossary';

export interface ConcurrencyChartProps {
  result: RecommendResult;
  compareIndices: readonly number[];
  modelId: string;
  request: RecommendRequest;
  measurements?: readonly PublishedMeasurementView[];
  errorBand?: ErrorBandPct;
}

const CHART_HEIGHT_PX = 280;
/** Room for tick labels such as "12,000"; the axis titles (with units) sit outside the SVG, clear of the ticks. */
const Y_AXIS_WIDTH_PX = 56;

/** Which figure a panel plots. */
interface Panel {
  title: string;
  axisLabel: string;
  /** The axis's term popover (glossary.ts). */
  term: GlossaryEntry;
  valueKey: 'outputTokensPerS' | 'itlMs';
  bandKey: 'throughputBand' | 'itlBand';
  measuredOf: (series: ConcurrencySeries) => readonly MeasuredPoint[];
  format: (value: number) => string;
  bandPct: (band: ErrorBandPct) => number;
}

const PANELS: readonly Panel[] = [
  {
    title: 'Output throughput',
    axisLabel: 'Output throughput (tokens/s)',
    term: COLUMN_TERMS.outputTokensPerS,
    valueKey: 'outputTokensPerS',
    bandKey: 'throughputBand',
    measuredOf: (s) => s.measured.throughput,
    format: formatTokensPerS,
    bandPct: (b) => b.throughputPct,
  },
  {
    title: 'Inter-token latency',
    axisLabel: 'ITL (ms)',
    term: COLUMN_TERMS.itl,
    valueKey: 'itlMs',
    bandKey: 'itlBand',
    measuredOf: (s) => s.measured.itl,
    format: formatMs,
    bandPct: (b) => b.itlPct,
  },
];

function ConcurrencyChart(props: ConcurrencyChartProps): ReactNode {
  const { result, compareIndices, modelId, request, measurements, errorBand } = props;
  const series = useMemo(
    () => selectConcurrencySeries(result, compareIndices, { modelId, request, measurements, errorBand }),
    [result, compareIndices, modelId, request, measurements, errorBand],
  );
  const ticks = useMemo(() => selectConcurrencyTicks(series), [series]);

  if (series.length === 0) {
    return (
      <figure className="chart concurrency-chart">
        <figcaption>Throughput and latency against concurrency</figcaption>
        <p className="chart-empty">Tick “Compare” on one or more fitting rows of the table to plot them here.</p>
      </figure>
    );
  }

  return (
    <figure className="chart concurrency-chart">
      <figcaption>Throughput and latency against concurrency</figcaption>
      <div className="chart-panels">
        {PANELS.map((panel) => (
          <div key={panel.valueKey} className="chart-panel">
            <h4>{panel.title}</h4>
            <p className="axis-title axis-title-y">
              {panel.axisLabel}
              <Term entry={panel.term} />
            </p>
            <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
              <ComposedChart margin={{ top: 10, right: 20, bottom: 8, left: 0 }}>
                <CartesianGrid stroke={CHART_COLORS.grid} />
                <XAxis
                  type="number"
                  dataKey="concurrency"
                  scale="log"
                  domain={['auto', 'auto']}
                  allowDuplicatedCategory={false}
                  ticks={ticks}
                  tickFormatter={formatAxisNumber}
                  tick={AXIS_TICK}
                  stroke={CHART_COLORS.muted}
                />
                <YAxis type="number" width={Y_AXIS_WIDTH_PX} tickFormatter={formatAxisNumber} tick={AXIS_TICK} stroke={CHART_COLORS.muted} />
                <Tooltip
                  content={({ active, payload }) =>
                    active === true ? <SeriesTooltip items={payload} series={series} panel={panel} errorBand={errorBand} /> : null
                  }
                />
                <Legend verticalAlign="top" wrapperStyle={{ color: CHART_COLORS.fg }} />
                {series.map((s, position) =>
                  errorBand === undefined ? null : (
                    <Area
                      key={`band-${s.index}`}
                      data={s.points}
                      dataKey={panel.bandKey}
                      name={`${s.label} ±${formatPct(panel.bandPct(errorBand))}`}
                      stroke="none"
                      fill={seriesColor(position)}
                      fillOpacity={0.15}
                      legendType="none"
                      isAnimationActive={false}
                    />
                  ),
                )}
                {series.map((s, position) => (
                  <Line
                    key={`line-${s.index}`}
                    data={s.points}
                    dataKey={panel.valueKey}
                    name={s.label}
                    stroke={seriesColor(position)}
                    strokeWidth={2}
                    dot={{ r: 3 }}
                    isAnimationActive={false}
                  />
                ))}
                {series.map((s, position) =>
                  panel.measuredOf(s).length === 0 ? null : (
                    <Scatter
                      key={`measured-${s.index}`}
                      data={[...panel.measuredOf(s)]}
                      dataKey="value"
                      name={`${s.label} measured`}
                      fill={seriesColor(position)}
                      stroke={CHART_COLORS.measured}
                      shape="cross"
                      isAnimationActive={false}
                    />
                  ),
                )}
                {panel.valueKey === 'outputTokensPerS'
                  ? series.flatMap((s, position) =>
                      s.measured.offlineThroughput.map((m) => (
                        <ReferenceLine
                          key={`offline-${s.index}-${m.source}-${m.value}`}
                          y={m.value}
                          stroke={seriesColor(position)}
                          strokeDasharray="6 4"
                          label={{ value: `measured offline max, ${s.label}: ${formatTokensPerS(m.value)} (${m.source})`, fill: CHART_COLORS.measured, fontSize: 11, position: 'insideTopRight' }}
                        />
                      )),
                    )
                  : null}
              </ComposedChart>
            </ResponsiveContainer>
            <p className="axis-title axis-title-x">
              Concurrency (requests in flight, log scale)
              <Term entry={PERF_FACT_TERMS.requestsInFlight} />
            </p>
          </div>
        ))}
      </div>
      {series.some((s) => s.measured.offlineThroughput.length > 0) ? (
        <ul className="chart-note measured-offline">
          {series.flatMap((s) =>
            s.measured.offlineThroughput.map((m) => (
              <li key={`${s.index}-${m.source}-${m.value}`}>
                Measured offline maximum (all requests at once), {s.label}: {formatTokensPerS(m.value)}, {m.engine}, {m.precision} · {m.source}
              </li>
            )),
          )}
        </ul>
      ) : null}
    </figure>
  );
}

interface SeriesTooltipProps {
  items: readonly { name?: unknown; value?: unknown; payload?: unknown }[];
  series: readonly ConcurrencySeries[];
  panel: Panel;
  errorBand: ErrorBandPct | undefined;
}

/** Exact values under the cursor: estimates with their band, measured points with their source. */
function SeriesTooltip({ items, series, panel, errorBand }: SeriesTooltipProps): ReactNode {
  const lines: ReactNode[] = [];
  items.forEach((item, position) => {
    for (const s of series) {
      const point = s.points.find((p) => p === item.payload);
      if (point !== undefined && typeof item.value === 'number') {
        const band = errorBand === undefined ? '' : ` ±${formatPct(panel.bandPct(errorBand))}`;
        lines.push(
          <div key={`e-${position}`}>
            {s.label} @ {point.concurrency}: {panel.format(item.value)}
            {band} (estimate)
          </div>,
        );
      }
      const measured = panel.measuredOf(s).find((m) => m === item.payload);
      if (measured !== undefined) {
        lines.push(
          <div key={`m-${position}`} className="measured">
            Measured @ {measured.concurrency}: {panel.format(measured.value)}, {measured.engine}, {measured.precision} · {measured.source}
          </div>,
        );
      }
    }
  });
  if (lines.length === 0) return null;
  return <div className="chart-tooltip">{lines}</div>;
}

export default memo(ConcurrencyChart);

/**
 * [disagg] Cost against TTFT at the SLO percentile for both serving shapes (issue 12 item 5): P/D
 * plans as diamonds, the aggregated rows' simulated plans as circles, aggregated serving at each P/D
 * plan's GPU count as squares — shape and colour both tell the series apart (the colours are the
 * theme's series 1–3, ΔE-checked in theme.test.ts). Log cost axis like the latency-vs-cost chart
 * (state/chartAxes.ts). Clicking a P/D point selects its row. Loaded lazily (recharts).
 */
import { memo, type ReactNode } from 'react';
import { CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type ScatterPointItem } from 'recharts';
import { formatAxisNumber, formatCount, formatMs, formatUsd } from '../format';
import { AXIS_TICK, CHART_COLORS, SERIES_COLORS, costXAxisProps } from '../results/chartTheme';
import type { DisaggChart, DisaggChartPoint, DisaggSeries } from './disaggChartPoints';

const CHART_HEIGHT_PX = 320;
const Y_AXIS_WIDTH_PX = 56;

export const DISAGG_SERIES_STYLE: Readonly<Record<DisaggSeries, { name: string; shape: 'diamond' | 'circle' | 'square'; color: string }>> = {
  pd: { name: 'P/D plans', shape: 'diamond', color: SERIES_COLORS[0] },
  aggregated: { name: 'Aggregated (table rows)', shape: 'circle', color: SERIES_COLORS[1] },
  aggregatedEqual: { name: 'Aggregated at the P/D GPU count', shape: 'square', color: SERIES_COLORS[2] },
};

function isPoint(value: unknown): value is DisaggChartPoint {
  return typeof value === 'object' && value !== null && 'series' in value && 'ttftMs' in value;
}

function PointTooltip({ datum, percentile }: { datum: unknown; percentile: number }): ReactNode {
  if (!isPoint(datum)) return null;
  return (
    <div className="chart-tooltip">
      <strong>{datum.label}</strong>
      <br />
      p{percentile} TTFT {formatMs(datum.ttftMs)}, ITL {formatMs(datum.itlMs)}
      <br />
      {formatUsd(datum.usdPerMillionOutputTokens)}/M tokens, {formatUsd(datum.costUsdPerHour)}/h, {formatCount(datum.totalGpus)} GPUs
      <br />
      {datum.meetsSlo ? 'Meets the limits' : 'Misses the limits'}
    </div>
  );
}

export interface DisaggCostChartProps {
  chart: DisaggChart;
  /** The TTFT limit at the percentile (drawn as a dashed line); null = none. */
  ttftLimitMs: number | null;
  onSelectPair: (key: string) => void;
}

function DisaggCostChart({ chart, ttftLimitMs, onSelectPair }: DisaggCostChartProps): ReactNode {
  const onClick = (item: ScatterPointItem): void => {
    const datum: unknown = item.payload;
    if (isPoint(datum) && datum.pairKey !== null) onSelectPair(datum.pairKey);
  };
  const total = chart.points.pd.length + chart.points.aggregated.length + chart.points.aggregatedEqual.length;
  return (
    <figure className="chart disagg-cost-chart" aria-label="Cost against TTFT, P/D and aggregated">
      <figcaption>
        p{chart.percentile} TTFT against cost per million output tokens: P/D and aggregated serving at the same rate
      </figcaption>
      {total === 0 ? (
        <p className="hint">No plan to plot yet.</p>
      ) : (
        <>
          <p className="axis-title axis-title-y">p{chart.percentile} TTFT (ms)</p>
          <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
            <ScatterChart margin={{ top: 24, right: 24, bottom: 8, left: 0 }}>
              <CartesianGrid stroke={CHART_COLORS.grid} />
              <XAxis {...costXAxisProps(chart.axis)} />
              <YAxis type="number" dataKey="ttftMs" name="TTFT" width={Y_AXIS_WIDTH_PX} tickFormatter={formatAxisNumber} tick={AXIS_TICK} stroke={CHART_COLORS.muted} domain={['auto', 'auto']} />
              <Tooltip content={({ active, payload }) => (active === true ? <PointTooltip datum={payload[0]?.payload} percentile={chart.percentile} /> : null)} />
              <Legend verticalAlign="top" wrapperStyle={{ color: CHART_COLORS.fg }} />
              {ttftLimitMs === null ? null : (
                <ReferenceLine
                  y={ttftLimitMs}
                  stroke={CHART_COLORS.bad}
                  strokeDasharray="6 4"
                  ifOverflow="extendDomain"
                  label={{ value: `p${chart.percentile} TTFT limit`, position: 'insideTopLeft', fill: CHART_COLORS.fg, fontSize: 11 }}
                />
              )}
              {(Object.keys(DISAGG_SERIES_STYLE) as DisaggSeries[]).map((series) => {
                const style = DISAGG_SERIES_STYLE[series];
                return (
                  <Scatter
                    key={series}
                    name={style.name}
                    data={chart.points[series]}
                    fill={style.color}
                    shape={style.shape}
                    onClick={onClick}
                    cursor={series === 'pd' ? 'pointer' : undefined}
                    isAnimationActive={false}
                  />
                );
              })}
            </ScatterChart>
          </ResponsiveContainer>
          <p className="axis-title axis-title-x">Cost: $ per million output tokens (USD, log scale)</p>
        </>
      )}
    </figure>
  );
}

export default memo(DisaggCostChart);

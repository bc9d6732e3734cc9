/**
 * The replica-vs-TP trade-off as two bar charts side by side: aggregate output throughput (more
 * replicas → more) and per-user ITL (wider TP → less), one bar per layout of the same GPU budget.
 * Loaded lazily with the other charts.
 */
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAxisNumber, formatMs, formatTokensPerS } from '../format';
import { AXIS_TICK, CHART_COLORS, seriesColor } from './chartTheme';
import type { TradeoffOption } from './replicaTradeoff';

export interface ReplicaTradeoffChartProps {
  /** selectTradeoff(...) rows that fit (those without an estimate have nothing to plot). */
  options: readonly TradeoffOption[];
}

const CHART_HEIGHT_PX = 200;
/** Room for tick labels such as "12,000" at 12 px. */
const Y_AXIS_WIDTH_PX = 56;

const PANELS = [
  { key: 'outputTokensPerS', title: 'Aggregate output throughput, all replicas', axisTitle: 'Output throughput (tokens/s)', format: formatTokensPerS, color: seriesColor(0) },
  { key: 'itlMs', title: 'Per-user inter-token latency', axisTitle: 'ITL (ms)', format: formatMs, color: seriesColor(1) },
] as const;

export default function ReplicaTradeoffChart({ options }: ReplicaTradeoffChartProps): ReactNode {
  const data = options.filter((o) => o.fits);
  if (data.length === 0) return null;
  return (
    <div className="chart-panels replica-tradeoff-chart">
      {PANELS.map((panel) => (
        <figure key={panel.key} className="chart">
          <figcaption>{panel.title}</figcaption>
          {/* The unit in an axis title outside the SVG; bare numbers on the ticks (no wrapped "12,000 / tok/s"). */}
          <p className="axis-title axis-title-y">{panel.axisTitle}</p>
          <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
            <BarChart data={data} margin={{ top: 10, right: 10, bottom: 10, left: 10 }}>
              <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
              <XAxis dataKey="layoutLabel" tick={AXIS_TICK} stroke={CHART_COLORS.muted} />
              <YAxis width={Y_AXIS_WIDTH_PX} tickFormatter={formatAxisNumber} tick={AXIS_TICK} stroke={CHART_COLORS.muted} />
              <Tooltip
                cursor={{ fill: CHART_COLORS.band }}
                content={({ active, payload }) => {
                  const option = data.find((o) => o === payload[0]?.payload);
                  if (active !== true || option === undefined) return null;
                  const value = panel.key === 'itlMs' ? option.itlMs : option.outputTokensPerS;
                  return (
                    <div className="chart-tooltip">
                      <strong>{option.layoutLabel}</strong>: {value === null ? '' : panel.format(value)}
                    </div>
                  );
                }}
              />
              <Bar dataKey={panel.key} name={panel.title} fill={panel.color} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      ))}
    </div>
  );
}

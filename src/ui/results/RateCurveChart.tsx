/**
 * The selected row's latency percentiles against the offered request rate (issue 10: "the knee
 * where the queue builds"): p50 / p90 / p99 TTFT and ITL, simulated in the worker from 10 % to 100 %
 * of the configuration's capacity, with the target rate marked. Loaded lazily with the other charts.
 */
import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RateLatencyPoint } from '../../engine/sim/capacity';
import { formatAxisNumber, formatMs } from '../format';
import { AXIS_TICK, CHART_COLORS, seriesColor } from './chartTheme';

export interface RateCurveChartProps {
  points: readonly RateLatencyPoint[];
  /** The target rate, marked on the axis. */
  targetRequestsPerS: number;
}

const CHART_HEIGHT_PX = 220;
/** Room for tick labels such as "1,500" at 12 px. */
const Y_AXIS_WIDTH_PX = 52;

const PANELS = [
  { title: 'Time to first token', axisTitle: 'TTFT (ms)', keys: ['ttftP50Ms', 'ttftP90Ms', 'ttftP99Ms'] },
  { title: 'Inter-token latency', axisTitle: 'ITL (ms)', keys: ['itlP50Ms', 'itlP90Ms', 'itlP99Ms'] },
] as const;

const PERCENTILE_NAMES = ['p50', 'p90', 'p99'] as const;

const formatRate = (perS: number): string => `${perS.toPrecision(3)}/s`;

export default function RateCurveChart({ points, targetRequestsPerS }: RateCurveChartProps): ReactNode {
  if (points.length === 0) return <p className="hint">No simulated latency curve for this row.</p>;
  return (
    <div className="chart-panels rate-curve-chart">
      {PANELS.map((panel) => (
        <figure key={panel.title} className="chart">
          <figcaption>{panel.title} against request rate (simulated)</figcaption>
          {/* Units in the axis titles, outside the SVG; bare numbers on the ticks (no wrapped "180.0 / ms"). */}
          <p className="axis-title axis-title-y">{panel.axisTitle}</p>
          <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
            <LineChart data={[...points]} margin={{ top: 10, right: 10, bottom: 10, left: 10 }}>
              <CartesianGrid stroke={CHART_COLORS.grid} />
              <XAxis dataKey="ratePerS" type="number" domain={[0, 'dataMax']} tickFormatter={formatAxisNumber} tick={AXIS_TICK} stroke={CHART_COLORS.muted} />
              <YAxis width={Y_AXIS_WIDTH_PX} tickFormatter={formatAxisNumber} tick={AXIS_TICK} stroke={CHART_COLORS.muted} />
              <Tooltip formatter={(value) => (typeof value === 'number' ? formatMs(value) : String(value))} labelFormatter={(v) => (typeof v === 'number' ? `${formatRate(v)} requests` : String(v))} />
              <Legend />
              <ReferenceLine x={targetRequestsPerS} stroke={CHART_COLORS.muted} strokeDasharray="4 4" label="target" />
              {panel.keys.map((key, i) => (
                <Line key={key} dataKey={key} name={PERCENTILE_NAMES[i]} stroke={seriesColor(i)} dot={false} isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
          <p className="axis-title axis-title-x">Offered request rate (requests/s)</p>
        </figure>
      ))}
    </div>
  );
}

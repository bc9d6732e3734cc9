/**
 * Per-GPU memory of the selected configuration as one stacked bar (weights, activation peak,
 * non-torch, KV cache, CUDA graphs, free) with the utilization budget marked, plus the same figures
 * as a list with GiB labels so they can be read without the chart.
 */
import { useMemo, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MemoryPlan } from '../../engine/types';
import { formatGB, formatGiB } from '../format';
import Term from '../Term';
import { MEMORY_TERMS } from '../glossary';
import { AXIS_TICK, CHART_COLORS, seriesColor } from './chartTheme';
import { MEMORY_SEGMENT_LABELS, memoryChartRow, selectMemoryBreakdown, type MemorySegmentKey } from './memorySegments';

/** One series colour per segment (theme.test.ts checks the series colours are far apart in both themes). */
const SEGMENT_COLORS: Record<MemorySegmentKey, string> = {
  weights: seriesColor(0),
  activation: seriesColor(1),
  nonTorch: seriesColor(3),
  kvCache: seriesColor(2),
  cudaGraph: seriesColor(4),
  free: CHART_COLORS.band,
};

const CHART_HEIGHT_PX = 110;

export interface MemoryBreakdownProps {
  memory: MemoryPlan;
}

export default function MemoryBreakdown({ memory }: MemoryBreakdownProps): ReactNode {
  const data = useMemo(() => selectMemoryBreakdown(memory), [memory]);
  const row = useMemo(() => [memoryChartRow(data)], [data]);
  return (
    <figure className="chart memory-breakdown">
      <figcaption>
        Memory per GPU: {formatGiB(data.gpuMemoryBytes)} ({formatGB(data.gpuMemoryBytes)})
      </figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
        <BarChart data={row} layout="vertical" margin={{ top: 20, right: 20, bottom: 10, left: 10 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} horizontal={false} />
          <XAxis type="number" domain={[0, 'dataMax']} tickFormatter={formatGiB} tick={AXIS_TICK} stroke={CHART_COLORS.muted} />
          <YAxis type="category" dataKey="name" hide />
          <Tooltip
            cursor={false}
            content={({ active }) =>
              active === true ? (
                <div className="chart-tooltip">
                  {data.segments.map((s) => (
                    <div key={s.key}>
                      {s.label}: {formatGiB(s.bytes)}
                    </div>
                  ))}
                </div>
              ) : null
            }
          />
          {data.segments.map((segment) => (
            <Bar key={segment.key} dataKey={segment.key} name={segment.label} stackId="memory" fill={SEGMENT_COLORS[segment.key]} isAnimationActive={false} />
          ))}
          <ReferenceLine
            x={data.budgetBytes}
            stroke={CHART_COLORS.fg}
            strokeDasharray="4 3"
            label={{ value: `budget ${formatGiB(data.budgetBytes)}`, position: 'top', fill: CHART_COLORS.fg, fontSize: 11 }}
          />
        </BarChart>
      </ResponsiveContainer>
      <ul className="memory-legend">
        {data.segments.map((segment) => (
          <li key={segment.key}>
            <span className="swatch" style={{ background: SEGMENT_COLORS[segment.key] }} aria-hidden="true" />
            {MEMORY_SEGMENT_LABELS[segment.key]}
            {segment.key === 'free' ? null : <Term entry={MEMORY_TERMS[segment.key]} />}: {formatGiB(segment.bytes)}
          </li>
        ))}
        {data.overcommitBytes > 0 ? <li className="overcommit">Over the GPU by {formatGiB(data.overcommitBytes)}</li> : null}
      </ul>
    </figure>
  );
}

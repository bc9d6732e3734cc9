/**
 * The picks' rings and labels inside the latency-vs-cost chart. Rings are ReferenceDots; labels are
 * placed in pixels by state/labelPlacement.ts (a deterministic rule that keeps them off nearby points
 * and off each other, inside the plot), using the chart's own scales, and drawn on the label layer.
 */
import type { ReactNode } from 'react';
import { DefaultZIndexes, ReferenceDot, usePlotArea, useXAxisScale, useYAxisScale, ZIndexLayer } from 'recharts';
import { placeOnAxis, type LogAxis } from '../../state/chartAxes';
import { PICK_RING_RADIUS_PX, placeLabels } from '../../state/labelPlacement';
import { CHART_COLORS } from './chartTheme';
import type { PickMark } from './latencyCostPoints';

/** A surface-coloured outline behind label text keeps it legible over the grid and lines it crosses. */
const LABEL_HALO = { stroke: CHART_COLORS.surface, strokeWidth: 3, paintOrder: 'stroke' } as const;

export interface PickLabelsProps {
  marks: readonly PickMark[];
  axis: LogAxis;
  /** Every plotted point (x on the cost axis as drawn, y the latency): what the labels keep off. */
  points: readonly { x: number; latencyMs: number }[];
}

export default function PickLabels({ marks, axis, points }: PickLabelsProps): ReactNode {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  const plotArea = usePlotArea();
  const placed =
    xScale === undefined || yScale === undefined || plotArea === undefined
      ? []
      : placeLabels(
          marks.flatMap((mark) => {
            const x = xScale(placeOnAxis(mark.point.usdPerMillionOutputTokens, axis));
            const y = yScale(mark.point.latencyMs);
            return x === undefined || y === undefined ? [] : [{ id: mark.index, text: mark.label, x, y }];
          }),
          points.flatMap((p) => {
            const x = xScale(p.x);
            const y = yScale(p.latencyMs);
            return x === undefined || y === undefined ? [] : [{ x, y }];
          }),
          { left: plotArea.x, top: plotArea.y, right: plotArea.x + plotArea.width, bottom: plotArea.y + plotArea.height },
        );
  return (
    <>
      {marks.map((mark) => (
        <ReferenceDot
          key={`pick-${mark.index}`}
          x={placeOnAxis(mark.point.usdPerMillionOutputTokens, axis)}
          y={mark.point.latencyMs}
          r={PICK_RING_RADIUS_PX}
          fill="none"
          stroke={CHART_COLORS.fg}
          strokeWidth={1.5}
        />
      ))}
      <ZIndexLayer zIndex={DefaultZIndexes.label}>
        <g className="pick-labels">
          {placed.map((label) => (
            <text
              key={label.id}
              x={label.textX}
              y={label.textY}
              dominantBaseline="central"
              fill={CHART_COLORS.fg}
              fontSize={11}
              fontWeight={600}
              data-position={label.position}
              {...LABEL_HALO}
            >
              {label.text}
            </text>
          ))}
        </g>
      </ZIndexLayer>
    </>
  );
}

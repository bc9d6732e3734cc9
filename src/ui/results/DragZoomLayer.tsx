/**
 * Drag-to-zoom inside a recharts cartesian chart (issue 14): a transparent rectangle over the plot,
 * under the points (so a click on a point still selects it), takes a mouse drag; the selection is
 * drawn as a ReferenceArea while the mouse moves, and on release the rectangle's corners are turned
 * into data values with the chart's own inverse scales and handed to `onZoom`. A click (a drag under
 * MIN_DRAG_PX) does nothing; Escape cancels a drag. The keyboard's way to change the range is the
 * chart's buttons ("Clip outliers", "Show all", "Reset zoom").
 */
import { useEffect, useRef, useState, type MouseEvent as ReactMouseEvent, type ReactNode } from 'react';
import { ReferenceArea, usePlotArea, useXAxisInverseScale, useYAxisInverseScale, type InverseScaleFunction } from 'recharts';
import { dragRect, zoomBetween, type ChartZoom, type PixelRect } from '../../state/chartZoom';
import { CHART_COLORS } from './chartTheme';

interface Drag {
  /** The chart's top-left corner in the window (client px) when the drag began. */
  originX: number;
  originY: number;
  start: { x: number; y: number };
  end: { x: number; y: number };
}

function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The data range of a pixel rectangle: cost from the left and right edges, latency from the bottom and top. */
function zoomOf(rect: PixelRect, invX: InverseScaleFunction, invY: InverseScaleFunction): ChartZoom | null {
  const x0 = asNumber(invX(rect.left));
  const x1 = asNumber(invX(rect.right));
  const y0 = asNumber(invY(rect.bottom));
  const y1 = asNumber(invY(rect.top));
  if (x0 === null || x1 === null || y0 === null || y1 === null) return null;
  return zoomBetween({ cost: x0, latencyMs: y0 }, { cost: x1, latencyMs: y1 });
}

export default function DragZoomLayer({ onZoom }: { onZoom: (zoom: ChartZoom) => void }): ReactNode {
  const plotArea = usePlotArea();
  const invX = useXAxisInverseScale();
  const invY = useYAxisInverseScale();
  const [drag, setDrag] = useState<Drag | null>(null);
  const latest = useRef<{ drag: Drag | null; plot: PixelRect | null; invX?: InverseScaleFunction; invY?: InverseScaleFunction; onZoom: typeof onZoom }>({
    drag: null,
    plot: null,
    onZoom,
  });
  const plot: PixelRect | null =
    plotArea === undefined ? null : { left: plotArea.x, top: plotArea.y, right: plotArea.x + plotArea.width, bottom: plotArea.y + plotArea.height };
  useEffect(() => {
    latest.current = { drag, plot, invX, invY, onZoom };
  });

  const dragging = drag !== null;
  useEffect(() => {
    if (!dragging) return;
    const at = (event: MouseEvent, d: Drag) => ({ x: event.clientX - d.originX, y: event.clientY - d.originY });
    const onMove = (event: MouseEvent) => setDrag((d) => (d === null ? d : { ...d, end: at(event, d) }));
    const onUp = (event: MouseEvent) => {
      const { drag: d, plot: p, invX: ix, invY: iy, onZoom: zoomTo } = latest.current;
      setDrag(null);
      if (d === null || p === null || ix === undefined || iy === undefined) return;
      const rect = dragRect(d.start, at(event, d), p);
      const zoom = rect === null ? null : zoomOf(rect, ix, iy);
      if (zoom !== null) zoomTo(zoom);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setDrag(null);
    };
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
      window.removeEventListener('keydown', onKey);
    };
  }, [dragging]);

  if (plot === null || plotArea === undefined) return null;
  const onMouseDown = (event: ReactMouseEvent<SVGRectElement>) => {
    if (event.button !== 0) return;
    event.preventDefault(); // no text selection while dragging
    const svg = event.currentTarget.ownerSVGElement;
    const box = svg?.getBoundingClientRect();
    const originX = box?.left ?? 0;
    const originY = box?.top ?? 0;
    const point = { x: event.clientX - originX, y: event.clientY - originY };
    setDrag({ originX, originY, start: point, end: point });
  };
  const selection = drag === null ? null : dragRect(drag.start, drag.end, plot);
  const selected = selection === null || invX === undefined || invY === undefined ? null : zoomOf(selection, invX, invY);

  return (
    <>
      <rect
        className="zoom-capture"
        data-testid="zoom-capture"
        x={plotArea.x}
        y={plotArea.y}
        width={plotArea.width}
        height={plotArea.height}
        fill="transparent"
        style={{ cursor: 'crosshair' }}
        onMouseDown={onMouseDown}
      />
      {selected === null ? null : (
        <ReferenceArea
          x1={selected.costMin}
          x2={selected.costMax}
          y1={selected.latencyMinMs}
          y2={selected.latencyMaxMs}
          fill={CHART_COLORS.accent}
          fillOpacity={0.15}
          stroke={CHART_COLORS.accent}
          strokeDasharray="4 3"
          ifOverflow="hidden"
          className="zoom-selection"
        />
      )}
    </>
  );
}

/**
 * Drag-to-zoom on the latency-vs-cost chart (issue 14): the rectangle a mouse drag draws over the
 * plot, the data range it selects, and the axes of that range. Pure, so the chart component only
 * converts pixels with recharts' own scales and draws (STYLE.md §1).
 */
import { logTicks, type LogAxis } from './chartAxes';

/** The data range the user zoomed to: a cost range ($ per million output tokens) and a latency range (ms). */
export interface ChartZoom {
  costMin: number;
  costMax: number;
  latencyMinMs: number;
  latencyMaxMs: number;
}

/** A rectangle in the chart's pixels (x right, y down). */
export interface PixelRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * A drag shorter than this (px) in both directions is a click (it selects a point), not a zoom;
 * shorter in one direction only, it zooms the other axis alone. About a point's diameter.
 */
export const MIN_DRAG_PX = 6;

const clamp = (value: number, lo: number, hi: number): number => Math.min(Math.max(value, lo), hi);

/**
 * The rectangle a drag from `start` to `end` selects, inside `plot`: both ends clamped to the plot;
 * an axis dragged less than MIN_DRAG_PX keeps the plot's whole extent; null when both are (a click).
 */
export function dragRect(start: { x: number; y: number }, end: { x: number; y: number }, plot: PixelRect): PixelRect | null {
  const x0 = clamp(start.x, plot.left, plot.right);
  const x1 = clamp(end.x, plot.left, plot.right);
  const y0 = clamp(start.y, plot.top, plot.bottom);
  const y1 = clamp(end.y, plot.top, plot.bottom);
  const wide = Math.abs(x1 - x0) >= MIN_DRAG_PX;
  const tall = Math.abs(y1 - y0) >= MIN_DRAG_PX;
  if (!wide && !tall) return null;
  return {
    left: wide ? Math.min(x0, x1) : plot.left,
    right: wide ? Math.max(x0, x1) : plot.right,
    top: tall ? Math.min(y0, y1) : plot.top,
    bottom: tall ? Math.max(y0, y1) : plot.bottom,
  };
}

/** The zoom between two corners in data values, in either order; null unless both costs are > 0 and both ranges have width. */
export function zoomBetween(a: { cost: number; latencyMs: number }, b: { cost: number; latencyMs: number }): ChartZoom | null {
  const values = [a.cost, b.cost, a.latencyMs, b.latencyMs];
  if (!values.every(Number.isFinite) || !(a.cost > 0) || !(b.cost > 0)) return null;
  const zoom = {
    costMin: Math.min(a.cost, b.cost),
    costMax: Math.max(a.cost, b.cost),
    latencyMinMs: Math.max(0, Math.min(a.latencyMs, b.latencyMs)),
    latencyMaxMs: Math.max(a.latencyMs, b.latencyMs),
  };
  return zoom.costMax > zoom.costMin && zoom.latencyMaxMs > zoom.latencyMinMs ? zoom : null;
}

/** The cost axis of a zoom: exactly the zoomed range (log scale), with the "nice" ticks inside it, else its two ends. */
export function zoomedCostAxis(zoom: ChartZoom): LogAxis {
  const inside = logTicks(zoom.costMin, zoom.costMax).filter((v) => v >= zoom.costMin && v <= zoom.costMax);
  return { domain: [zoom.costMin, zoom.costMax], ticks: inside.length >= 2 ? inside : [zoom.costMin, zoom.costMax], clipAboveValue: null };
}

/** True when a point lies in the zoomed range (ends included). */
export function inZoom(cost: number, latencyMs: number, zoom: ChartZoom): boolean {
  return cost >= zoom.costMin && cost <= zoom.costMax && latencyMs >= zoom.latencyMinMs && latencyMs <= zoom.latencyMaxMs;
}

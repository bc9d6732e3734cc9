import type { LogAxis } from '../../state/chartAxes';
import { formatAxisNumber } from '../format';

/**
 * Colours of the charts, as CSS variables the app theme defines for light and dark
 * (src/ui/theme.css, agreed in the helpers' coordination notes). The fallbacks keep charts legible
 * if a variable is missing; they are mid-tones readable on both white and near-black.
 */
export const CHART_COLORS = {
  fg: 'var(--fg, #444)',
  muted: 'var(--muted, #888)',
  grid: 'var(--grid, rgba(128, 128, 128, 0.3))',
  accent: 'var(--accent, #3b82f6)',
  ok: 'var(--ok, #16a34a)',
  bad: 'var(--bad, #dc2626)',
  warn: 'var(--warn, #d97706)',
  measured: 'var(--measured, #c026d3)',
  band: 'var(--band, rgba(128, 128, 128, 0.2))',
  surface: 'var(--surface, #fff)',
} as const;

export const SERIES_COLORS = [
  'var(--series-1, #3b82f6)',
  'var(--series-2, #f59e0b)',
  'var(--series-3, #10b981)',
  'var(--series-4, #a855f7)',
  'var(--series-5, #ec4899)',
  'var(--series-6, #14b8a6)',
] as const;

export function seriesColor(position: number): string {
  return SERIES_COLORS[position % SERIES_COLORS.length] ?? CHART_COLORS.accent;
}

/** Axis and grid props shared by every chart. */
export const AXIS_TICK = { fill: CHART_COLORS.fg, fontSize: 12 } as const;

/**
 * The log-scale "$ per M output tokens" x axis of the cost charts (latency vs cost, P/D cost vs TTFT):
 * the domain and ticks come from state/chartAxes.ts costAxis (or a zoom), read from each datum's `x`.
 */
export function costXAxisProps(axis: LogAxis) {
  return {
    type: 'number',
    dataKey: 'x',
    name: '$ / M output tokens',
    scale: 'log',
    domain: axis.domain,
    ticks: axis.ticks,
    allowDataOverflow: true,
    tickFormatter: formatAxisNumber,
    tick: AXIS_TICK,
    stroke: CHART_COLORS.muted,
  } as const;
}

/** The `index` field of a chart datum handed back by recharts (typed `any` there), or null. */
export function datumIndex(datum: unknown): number | null {
  if (typeof datum !== 'object' || datum === null || !('index' in datum)) return null;
  return typeof datum.index === 'number' ? datum.index : null;
}

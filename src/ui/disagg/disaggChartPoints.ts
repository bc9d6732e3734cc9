/**
 * [disagg] Points of the cost vs TTFT chart for both serving shapes (issue 12 item 5): the P/D plans
 * (disaggRows.ts), the aggregated rows' simulated capacity plans at the same rate and GPU budget
 * (the table's rate mode, sim/capacity.ts), and aggregated serving at each P/D plan's GPU count. Every
 * figure is the engine's; this picks them and places them on the log cost axis (state/chartAxes.ts).
 */
import type { DisaggRow } from '../../engine/disagg/disaggRows';
import { latencyAtPercentile } from '../../engine/sim/maxRate';
import type { Candidate, SloPercentile } from '../../engine/types';
import { costAxis, placeOnAxis, type LogAxis } from '../../state/chartAxes';

export const DISAGG_SERIES = ['pd', 'aggregated', 'aggregatedEqual'] as const;
export type DisaggSeries = (typeof DISAGG_SERIES)[number];

export interface DisaggChartPoint {
  series: DisaggSeries;
  /** Where it is drawn on the cost axis (placeOnAxis). */
  x: number;
  usdPerMillionOutputTokens: number;
  ttftMs: number;
  itlMs: number;
  costUsdPerHour: number;
  totalGpus: number;
  meetsSlo: boolean;
  label: string;
  /** The P/D row's pair key, to select it on click; null for aggregated points. */
  pairKey: string | null;
}

export interface DisaggChart {
  axis: LogAxis;
  points: Record<DisaggSeries, DisaggChartPoint[]>;
  percentile: SloPercentile;
}

type Unplaced = Omit<DisaggChartPoint, 'x'>;

export function selectDisaggChart(rows: readonly DisaggRow[], candidates: readonly Candidate[], percentile: SloPercentile): DisaggChart {
  const raw: Unplaced[] = [];
  for (const r of rows) {
    const plan = r.plan;
    if (plan !== null && plan.usdPerMillionOutputTokens !== null) {
      raw.push({
        series: 'pd',
        usdPerMillionOutputTokens: plan.usdPerMillionOutputTokens,
        ttftMs: plan.ttftAtPercentileMs,
        itlMs: plan.itlAtPercentileMs,
        costUsdPerHour: plan.costUsdPerHour,
        totalGpus: plan.totalGpus,
        meetsSlo: plan.meetsSlo,
        label: `P/D ${plan.prefill.replicas}×${plan.prefill.gpuId} TP${plan.prefill.tp} + ${plan.decode.replicas}×${plan.decode.gpuId} TP${plan.decode.tp}`,
        pairKey: `${r.prefillGpuId}>${r.decodeGpuId}`,
      });
    }
    const eq = r.aggregated?.atEqualGpus ?? null;
    if (r.aggregated !== null && eq !== null && eq.keepsUp) {
      raw.push({
        series: 'aggregatedEqual',
        usdPerMillionOutputTokens: eq.usdPerMillionOutputTokens,
        ttftMs: eq.ttftAtPercentileMs,
        itlMs: eq.itlAtPercentileMs,
        costUsdPerHour: eq.costUsdPerHour,
        totalGpus: eq.totalGpus,
        meetsSlo: eq.meetsSlo,
        label: `Aggregated ${eq.replicas}×${r.aggregated.gpuId} TP${r.aggregated.tp} (same GPUs as P/D ${r.prefillGpuId} → ${r.decodeGpuId})`,
        pairKey: null,
      });
    }
  }
  for (const c of candidates) {
    const plan = c.capacity;
    if (plan === undefined || plan === null || plan.status !== 'planned') continue;
    const at = latencyAtPercentile(plan.atTarget, percentile);
    raw.push({
      series: 'aggregated',
      usdPerMillionOutputTokens: plan.usdPerMillionOutputTokens,
      ttftMs: at.ttftMs,
      itlMs: at.itlMs,
      costUsdPerHour: plan.costUsdPerHour,
      totalGpus: plan.totalGpus,
      meetsSlo: c.meetsSlo,
      label: `Aggregated ${plan.replicasNeeded}×${c.gpuId} ${c.layout.tp > 1 ? `TP${c.layout.tp}` : 'TP1'}${c.layout.pp > 1 ? ` PP${c.layout.pp}` : ''}`,
      pairKey: null,
    });
  }
  const usable = raw.filter((p) => p.usdPerMillionOutputTokens > 0 && Number.isFinite(p.usdPerMillionOutputTokens) && Number.isFinite(p.ttftMs));
  const axis = costAxis(
    usable.map((p) => p.usdPerMillionOutputTokens),
    false,
  );
  const points: Record<DisaggSeries, DisaggChartPoint[]> = { pd: [], aggregated: [], aggregatedEqual: [] };
  for (const p of usable) points[p.series].push({ ...p, x: placeOnAxis(p.usdPerMillionOutputTokens, axis) });
  return { axis, points, percentile };
}

/**
 * [disagg] Is P/D worth it for this load (issue 12 items 1 and 5)? Over the page's P/D rows
 * (disaggRows.ts): the cheapest P/D plan meeting the percentile SLOs against the cheapest aggregated
 * plan of the same GPU types and layouts (each pair's compareAggregated capacity plan), and against
 * aggregated serving at the P/D plan's own GPU count. Costs within TIE_BAND_PCT of each other are a
 * tie, as in verdict.ts: this model cannot tell them apart. Structured; the page and the CLI word it.
 */
import { TIE_BAND_PCT } from '../verdict';
import type { DisaggAggregatedFigures, DisaggRow } from './disaggRows';

export interface DisaggVerdictAggregated {
  gpuId: string;
  tp: number;
  pp: number;
  totalGpus: number;
  costUsdPerHour: number;
  usdPerMillionOutputTokens: number | null;
}

export type DisaggVerdict =
  /** No pair simulated yet, or none has a plan. */
  | { kind: 'no-plan'; pairs: number; closest: DisaggRow | null }
  | {
      /** pd-cheaper: P/D costs less by more than the tie band; aggregated-cheaper: the reverse; tie: within it; no-aggregated: no aggregated plan meets the SLOs on these shapes. */
      kind: 'pd-cheaper' | 'aggregated-cheaper' | 'tie' | 'no-aggregated';
      best: DisaggRow;
      aggregated: DisaggVerdictAggregated | null;
      /** (aggregated − P/D) ÷ aggregated × 100: what P/D saves (negative: what it costs more); null without an aggregated plan. */
      savingPct: number | null;
      /** |savingPct|: by how much P/D costs less (pd-cheaper) or more (aggregated-cheaper) than the aggregated plan, % of its cost. */
      differencePct: number | null;
      /** Aggregated serving on the best plan's decode shape at its GPU count: does it meet the SLOs? null when not one copy fits. */
      atEqualGpus: NonNullable<DisaggAggregatedFigures['atEqualGpus']> | null;
      tieBandPct: number;
    };

const costOf = (r: DisaggRow): number => r.plan?.costUsdPerHour ?? Infinity;

export function disaggVerdictOf(rows: readonly DisaggRow[]): DisaggVerdict {
  const planned = rows.filter((r) => r.status === 'planned' && r.plan !== null).sort((a, b) => costOf(a) - costOf(b) || (a.plan?.totalGpus ?? 0) - (b.plan?.totalGpus ?? 0));
  const best = planned[0];
  if (best === undefined) {
    const closest = rows.filter((r) => r.plan !== null).sort((a, b) => costOf(a) - costOf(b))[0] ?? null;
    return { kind: 'no-plan', pairs: rows.length, closest };
  }
  let aggregated: DisaggVerdictAggregated | null = null;
  for (const r of rows) {
    const c = r.aggregated?.cheapest;
    if (r.aggregated === null || c === undefined || c.status !== 'planned' || c.costUsdPerHour === null || c.totalGpus === null) continue;
    if (aggregated === null || c.costUsdPerHour < aggregated.costUsdPerHour) {
      aggregated = { gpuId: r.aggregated.gpuId, tp: r.aggregated.tp, pp: r.aggregated.pp, totalGpus: c.totalGpus, costUsdPerHour: c.costUsdPerHour, usdPerMillionOutputTokens: c.usdPerMillionOutputTokens };
    }
  }
  const atEqualGpus = best.aggregated?.atEqualGpus ?? null;
  const pdCost = costOf(best);
  if (aggregated === null) return { kind: 'no-aggregated', best, aggregated: null, savingPct: null, differencePct: null, atEqualGpus, tieBandPct: TIE_BAND_PCT };
  const savingPct = ((aggregated.costUsdPerHour - pdCost) / aggregated.costUsdPerHour) * 100;
  const kind = Math.abs(savingPct) <= TIE_BAND_PCT ? 'tie' : savingPct > 0 ? 'pd-cheaper' : 'aggregated-cheaper';
  return { kind, best, aggregated, savingPct, differencePct: Math.abs(savingPct), atEqualGpus, tieBandPct: TIE_BAND_PCT };
}

/**
 * [disagg] The P/D verdict (engine/disagg/disaggVerdict.ts) in words. Formatting only: every figure
 * and the comparison (which shape is cheaper, by how much, the tie band) come from the engine.
 */
import type { DisaggVerdict } from '../../engine/disagg/disaggVerdict';
import type { DisaggPoolRow, DisaggRow } from '../../engine/disagg/disaggRows';
import { formatCount, formatMs, formatPct, formatUsd } from '../format';

export const poolText = (p: DisaggPoolRow): string =>
  `${p.replicas} × ${p.gpuId}${p.dp > 1 ? ` DP${p.dp}` : ''}${p.tp > 1 ? ` TP${p.tp}` : ''}${p.pp > 1 ? ` PP${p.pp}` : ''}${p.ep ? ' EP' : ''}`;

export function planText(row: DisaggRow): string {
  const plan = row.plan;
  if (plan === null) return `${row.prefillGpuId} → ${row.decodeGpuId}: no plan`;
  return `prefill ${poolText(plan.prefill)} + decode ${poolText(plan.decode)} (${formatCount(plan.totalGpus)} GPUs, ${formatUsd(plan.costUsdPerHour)}/h)`;
}

export const DISAGG_STATUS_TEXT: Readonly<Record<DisaggRow['status'], string>> = {
  planned: 'meets the limits',
  'slo-unreachable': 'misses the limits (closest shown)',
  'cannot-keep-up': 'cannot keep up with the rate',
  'over-gpu-budget': 'over the GPU budget',
  'does-not-fit': 'model does not fit (TP 1–8, DP × EP for MoE, no PP in P/D pools)',
};

/** `lead` opens the sentence ("P/D", or "P/D so far" while pairs are still being simulated). */
export function disaggVerdictText(v: DisaggVerdict, lead = 'P/D'): string {
  if (v.kind === 'no-plan') {
    if (v.pairs === 0) return `${lead}: no GPU pair simulated yet.`;
    const closest = v.closest === null ? '' : ` Closest: ${planText(v.closest)}.`;
    return `${lead}: no prefill/decode plan within the GPU budget meets the latency limits at this rate (${formatCount(v.pairs)} GPU pair${v.pairs === 1 ? '' : 's'} simulated).${closest}`;
  }
  const best = v.best;
  const plan = best.plan;
  const p = best.sloPercentile;
  const head = `${lead}: ${planText(best)}${plan === null ? '' : `, p${p} TTFT ${formatMs(plan.ttftAtPercentileMs)}, p${p} ITL ${formatMs(plan.itlAtPercentileMs)}`}.`;
  const agg = v.aggregated;
  const aggText = agg === null ? '' : `aggregated ${agg.gpuId}${agg.tp > 1 ? ` TP${agg.tp}` : ''} needs ${formatCount(agg.totalGpus)} GPUs (${formatUsd(agg.costUsdPerHour)}/h)`;
  let compare: string;
  switch (v.kind) {
    case 'pd-cheaper':
      compare = ` Worth it: ${aggText} for the same limits; P/D costs ${formatPct(v.differencePct ?? 0)} less.`;
      break;
    case 'aggregated-cheaper':
      compare = ` Not worth it: ${aggText} for the same limits; P/D costs ${formatPct(v.differencePct ?? 0)} more.`;
      break;
    case 'tie':
      compare = ` A tie: ${aggText} for the same limits, within the ±${formatPct(v.tieBandPct)} this model cannot tell apart; aggregated is simpler to run.`;
      break;
    case 'no-aggregated':
      compare = ' Aggregated serving on these GPU types and layouts meets the limits at no copy count.';
      break;
    default: {
      const _: never = v;
      return _;
    }
  }
  const eq = v.atEqualGpus;
  const equal = eq === null ? '' : ` At the same ${formatCount(eq.totalGpus)} GPUs, aggregated serving ${eq.meetsSlo ? 'also meets' : 'misses'} the limits (p${eq.percentileShown} TTFT ${formatMs(eq.ttftAtPercentileMs)}, ITL ${formatMs(eq.itlAtPercentileMs)}).`;
  return `${head}${compare}${equal}`;
}

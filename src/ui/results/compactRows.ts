/**
 * The table's compact view: one row per GPU type × GPU count, the best layout of that hardware,
 * instead of every way the same GPUs can be split (TP × PP × DP). A model yields hundreds of
 * configurations (Qwen3-8B: 540); most are other layouts of the same few GPU budgets.
 *
 * "Best layout" is the engine's ranking (RecommendResult.candidates is ranked: meeting the SLO
 * first, then fitting, then cheapest per million output tokens, src/engine/recommend.ts rankOrder).
 * For one GPU type and count the price per hour is the same, so the cheapest per token is the
 * highest-throughput layout among those meeting the SLO. Rows holding a best pick stay visible too,
 * so every badge and best-pick card has its row. Pure: filters and sort act before, on all rows.
 */
import type { Candidate, RecommendResult } from '../../engine/types';
import type { CandidateRow } from './contract';
import { BEST_PICKS } from './tableRows';

/** The hardware a row runs on, without the layout: "h100|8". */
export function hardwareKey(candidate: Pick<Candidate, 'gpuId' | 'gpuCount'>): string {
  return `${candidate.gpuId}|${candidate.gpuCount}`;
}

/** Indices of the best picks (a row may hold several). */
export function bestPickIndices(best: RecommendResult['best']): Set<number> {
  const indices = new Set<number>();
  for (const pick of BEST_PICKS) {
    const index = best[pick];
    if (index !== null) indices.add(index);
  }
  return indices;
}

/**
 * From visible rows (already filtered and sorted), the best-ranked row of each GPU type × count and
 * any best-pick row, in the same order. The group's best row carries `otherLayouts`: how many rows of
 * its hardware the compact view leaves out.
 */
export function selectCompactRows(rows: readonly CandidateRow[], best: RecommendResult['best']): CandidateRow[] {
  const bestOfGroup = new Map<string, number>();
  const groupSize = new Map<string, number>();
  for (const { index, candidate } of rows) {
    const key = hardwareKey(candidate);
    groupSize.set(key, (groupSize.get(key) ?? 0) + 1);
    const current = bestOfGroup.get(key);
    if (current === undefined || index < current) bestOfGroup.set(key, index);
  }
  const picks = bestPickIndices(best);
  const kept = rows.filter(({ index, candidate }) => bestOfGroup.get(hardwareKey(candidate)) === index || picks.has(index));
  const shownOfGroup = new Map<string, number>();
  for (const { candidate } of kept) {
    const key = hardwareKey(candidate);
    shownOfGroup.set(key, (shownOfGroup.get(key) ?? 0) + 1);
  }
  return kept.map((row) => {
    const key = hardwareKey(row.candidate);
    if (bestOfGroup.get(key) !== row.index) return row;
    return { ...row, otherLayouts: (groupSize.get(key) ?? 0) - (shownOfGroup.get(key) ?? 0) };
  });
}

/**
 * The compact view of a recommendation: one entry per GPU type × GPU count, the best layout of that
 * hardware, instead of every way the same GPUs can be split (TP × PP × DP). A model yields hundreds
 * of configurations (Qwen3-8B: 540); most are other layouts of the same few GPU budgets. The page's
 * table (ui/results/compactRows.ts) and the CLI's `recommend` (without --all-layouts) both show it.
 *
 * "Best layout" is the engine's ranking (RecommendResult.candidates is ranked: meeting the SLO
 * first, then fitting, then cheapest per million output tokens, recommend.ts rankOrder), so within a
 * group the lowest index wins whatever order the entries come in. For one GPU type and count the
 * price per hour is the same, so the cheapest per token is the highest-throughput layout among those
 * meeting the SLO. Entries holding a best pick stay too, so every best pick has its entry.
 */
import type { Candidate, RecommendResult } from './types';

/** The best picks of a RecommendResult, each an index into its candidates or null. */
export const BEST_PICK_KINDS = ['cheapestMeetingSlo', 'lowestLatency', 'highestThroughput'] as const satisfies readonly (keyof RecommendResult['best'])[];

/** An entry to compact: an index into RecommendResult.candidates and its candidate. */
export interface IndexedCandidate {
  index: number;
  candidate: Pick<Candidate, 'gpuId' | 'gpuCount'>;
}

/** The hardware an entry runs on, without the layout: "H100|8". */
export function hardwareKey(candidate: Pick<Candidate, 'gpuId' | 'gpuCount'>): string {
  return `${candidate.gpuId}|${candidate.gpuCount}`;
}

/** Indices of the best picks (a candidate may hold several). */
export function bestPickIndices(best: RecommendResult['best']): Set<number> {
  const indices = new Set<number>();
  for (const pick of BEST_PICK_KINDS) {
    const index = best[pick];
    if (index !== null) indices.add(index);
  }
  return indices;
}

/**
 * From entries (in any order, e.g. filtered and sorted by a table), the best-ranked entry of each
 * GPU type × count and any best-pick entry, in the order given. The group's best entry carries
 * `otherLayouts`: how many entries of its hardware the compact view leaves out.
 */
export function selectCompactCandidates<T extends IndexedCandidate>(
  entries: readonly T[],
  best: RecommendResult['best'],
  /** Entries kept whatever their rank, like the best picks (the page's selected row, so a chart click always finds its row). */
  alsoKeep: ReadonlySet<number> = new Set(),
): (T & { otherLayouts?: number })[] {
  const bestOfGroup = new Map<string, number>();
  const groupSize = new Map<string, number>();
  for (const { index, candidate } of entries) {
    const key = hardwareKey(candidate);
    groupSize.set(key, (groupSize.get(key) ?? 0) + 1);
    const current = bestOfGroup.get(key);
    if (current === undefined || index < current) bestOfGroup.set(key, index);
  }
  const picks = new Set([...bestPickIndices(best), ...alsoKeep]);
  const kept = entries.filter(({ index, candidate }) => bestOfGroup.get(hardwareKey(candidate)) === index || picks.has(index));
  const shownOfGroup = new Map<string, number>();
  for (const { candidate } of kept) {
    const key = hardwareKey(candidate);
    shownOfGroup.set(key, (shownOfGroup.get(key) ?? 0) + 1);
  }
  return kept.map((entry) => {
    const key = hardwareKey(entry.candidate);
    if (bestOfGroup.get(key) !== entry.index) return entry;
    return { ...entry, otherLayouts: (groupSize.get(key) ?? 0) - (shownOfGroup.get(key) ?? 0) };
  });
}

/** The compact view of a whole recommendation, in rank order (the CLI's default `recommend` listing). */
export function compactRanking<C extends Pick<Candidate, 'gpuId' | 'gpuCount'>>(result: {
  candidates: readonly C[];
  best: RecommendResult['best'];
}): { index: number; candidate: C; otherLayouts?: number }[] {
  return selectCompactCandidates(
    result.candidates.map((candidate, index) => ({ index, candidate })),
    result.best,
  );
}

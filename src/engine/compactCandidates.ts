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

/** An entry whose layout is known (for grouping replica copies). */
export interface IndexedLayoutCandidate {
  index: number;
  candidate: Pick<Candidate, 'gpuId' | 'gpuCount' | 'layout'>;
}

/** One copy count of a replica shape that a collapsed row stands for. */
export interface ReplicaCopy {
  index: number;
  gpuCount: number;
  /** Replicas (layout.dp). */
  copies: number;
}

/**
 * The replica shape of an entry: GPU type and how one replica is split (TP × PP), without how many
 * copies run ("H100|tp2|pp1"). With expert parallelism the DP ranks share the experts, so they are
 * not independent copies: the DP degree stays in the key.
 */
export function replicaShapeKey(candidate: Pick<Candidate, 'gpuId' | 'layout'>): string {
  const { tp, pp, dp, ep } = candidate.layout;
  return `${candidate.gpuId}|tp${tp}|pp${pp}${ep ? `|ep-dp${dp}` : ''}`;
}

/**
 * Collapses replica copies (issue 14: 1, 2, 4 and 8 copies of one layout filled the table): of the
 * entries sharing a replica shape (replicaShapeKey), the best-ranked (lowest index; ties in cost go to
 * fewer GPUs, recommend.ts rankOrder) stands for the others, which it lists in `replicaCopies`
 * (ascending GPU count, itself included). Entries in `keep` (the best picks, the selected row) stay
 * rows of their own; unless they lead their shape, they are not listed. Order is kept. A shape with
 * one listed entry gets no list.
 */
export function collapseReplicaCopies<T extends IndexedLayoutCandidate>(entries: readonly T[], keep: ReadonlySet<number> = new Set()): (T & { replicaCopies?: ReplicaCopy[] })[] {
  const representative = new Map<string, number>();
  for (const { index, candidate } of entries) {
    const key = replicaShapeKey(candidate);
    const current = representative.get(key);
    if (current === undefined || index < current) representative.set(key, index);
  }
  const leads = (entry: T): boolean => representative.get(replicaShapeKey(entry.candidate)) === entry.index;
  const copiesOf = new Map<string, ReplicaCopy[]>();
  for (const entry of entries) {
    if (keep.has(entry.index) && !leads(entry)) continue;
    const key = replicaShapeKey(entry.candidate);
    copiesOf.set(key, [...(copiesOf.get(key) ?? []), { index: entry.index, gpuCount: entry.candidate.gpuCount, copies: entry.candidate.layout.dp }]);
  }
  const out: (T & { replicaCopies?: ReplicaCopy[] })[] = [];
  for (const entry of entries) {
    if (!leads(entry)) {
      if (keep.has(entry.index)) out.push(entry);
      continue;
    }
    const copies = copiesOf.get(replicaShapeKey(entry.candidate)) ?? [];
    out.push(copies.length > 1 ? { ...entry, replicaCopies: [...copies].sort((a, b) => a.gpuCount - b.gpuCount || a.index - b.index) } : entry);
  }
  return out;
}

/**
 * The page's table rows (ui/results/compactRows.ts) and `recommend --compact`: the best layout of each
 * GPU type × count (selectCompactCandidates), then replica copies of one layout folded into their
 * best-ranked row (collapseReplicaCopies). Best picks and `alsoKeep` stay rows of their own.
 */
export function foldCompactCandidates<T extends IndexedLayoutCandidate>(
  entries: readonly T[],
  best: RecommendResult['best'],
  alsoKeep: ReadonlySet<number> = new Set(),
): (T & { otherLayouts?: number; replicaCopies?: ReplicaCopy[] })[] {
  const keep = new Set([...bestPickIndices(best), ...alsoKeep]);
  return collapseReplicaCopies(selectCompactCandidates(entries, best, keep), keep);
}

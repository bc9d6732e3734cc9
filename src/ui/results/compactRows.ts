/**
 * The table's compact view: one row per GPU type × GPU count, the best layout of that hardware.
 * The selection is the engine's (engine/compactCandidates.ts, shared with the CLI's `recommend`);
 * here it runs on the visible rows (already filtered and sorted), so filters and sort act before.
 */
import { foldCompactCandidates } from '../../engine/compactCandidates';
import type { RecommendResult } from '../../engine/types';
import type { CandidateRow } from './contract';

/**
 * From visible rows, the best-ranked row of each GPU type × count, any best-pick row and the selected
 * row (a point clicked in a chart must find its row), in the same order (compactCandidates.ts); then
 * replica copies of one layout (1, 2, 4, 8 copies) folded into their best-ranked row, which lists
 * them (collapseReplicaCopies). Best picks and the selected row stay rows of their own.
 */
export function selectCompactRows(rows: readonly CandidateRow[], best: RecommendResult['best'], selectedIndex: number | null = null): CandidateRow[] {
  return foldCompactCandidates(rows, best, selectedIndex === null ? new Set() : new Set([selectedIndex]));
}

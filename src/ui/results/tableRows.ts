/**
 * Selectors over RecommendResult for the table: which rows are visible (filters), in which order
 * (sort), and which carry a "best" badge. Pure; the table, the CSV export and the tests share them so
 * the exported rows are exactly the rows on screen.
 */
import type { Candidate, Layout, NodePlacement, RecommendResult, RowAdvice } from '../../engine/types';
import type { ResultColumnId, SortState, TableFilters } from '../../state/tableState';
import type { CandidateRow } from './contract';

/** A cell's comparable value; null = the figure does not exist (no fit, engine error) and always sorts last. */
export type SortValue = number | string | boolean | null;

/** The raw value a column sorts by (not its display string). */
export function sortValue(column: ResultColumnId, candidate: Candidate, advice?: RowAdvice): SortValue {
  const { memory } = candidate;
  // An estimate with an engine error has no figures to sort by either: it goes last like a no-fit.
  const perf = candidate.perf !== null && candidate.perf.perfError === null ? candidate.perf : null;
  switch (column) {
    case 'gpu':
      return candidate.gpuId;
    case 'gpuCount':
      return candidate.gpuCount;
    case 'layout':
      return layoutLabel(candidate.layout);
    case 'fits':
      return memory.fits;
    case 'weightsPerGpu':
      return memory.weightsBytesPerGpu;
    case 'kvPool':
      return memory.fits ? memory.kvCacheBytesPerGpu : null;
    case 'maxConcurrency':
      return memory.fits ? memory.maxConcurrency : null;
    case 'concurrency':
      return candidate.concurrency;
    case 'ttft':
      return perf?.ttftMs ?? null;
    case 'itl':
      return perf?.itlMs ?? null;
    case 'e2e':
      return perf?.e2eMs ?? null;
    case 'outputTokensPerS':
      return perf?.outputTokensPerS ?? null;
    case 'tokensPerSPerGpu':
      return perf?.outputTokensPerSPerGpu ?? null;
    case 'costPerHour':
      return perf?.costUsdPerHour ?? null;
    case 'costPerMTokens':
      return perf?.usdPerMillionOutputTokens ?? null;
    case 'ttftP99':
      return candidate.capacity?.status === 'planned' ? candidate.capacity.atTarget.ttftP99Ms : null;
    case 'itlP99':
      return candidate.capacity?.status === 'planned' ? candidate.capacity.atTarget.itlP99Ms : null;
    case 'replicas':
      // By what the target costs on the row: replicas × the copy's price.
      return candidate.capacity?.status === 'planned' ? candidate.capacity.costUsdPerHour : null;
    case 'meetsSlo':
      return candidate.meetsSlo;
    case 'howToPass':
      // Closest to passing first: 0 passes, then rows missing a limit by how much, then rows that do not fit.
      return advice?.passDistance ?? null;
    default: {
      const unreachable: never = column;
      return unreachable;
    }
  }
}

/** "TP4", "TP2 · PP2", "DP2 · TP4" (two replicas), "DP8 · TP1 · EP8" (experts over 8 ranks). */
export function layoutLabel(layout: Layout): string {
  // "DP8 · TP1 · EP8": replicas, then how one replica is split (tensor, pipeline), then expert ranks.
  const parts: string[] = [];
  if (layout.dp > 1) parts.push(`DP${layout.dp}`);
  parts.push(`TP${layout.tp}`);
  if (layout.pp > 1) parts.push(`PP${layout.pp}`);
  if (layout.ep) parts.push(`EP${layout.tp * Math.max(1, layout.dp)}`);
  return parts.join(' · ');
}

/**
 * Where a layout runs when it spans nodes (engine nodes.ts placement): " · 2 nodes", and a flag when
 * TP crosses nodes (allowed, penalised). Empty for one node.
 */
export function placementLabel(placement: NodePlacement | undefined): string {
  if (placement === undefined || placement.nodes <= 1) return '';
  return ` · ${placement.nodes} nodes${placement.tpCrossesNodes ? ' (TP across nodes ⚠)' : ''}`;
}

/** One configuration's identity across results: GPU, count and layout ("h100|8|2 × TP4"). */
export function configKey(candidate: Pick<Candidate, 'gpuId' | 'gpuCount' | 'layout'>): string {
  return `${candidate.gpuId}|${candidate.gpuCount}|${layoutLabel(candidate.layout)}`;
}

function compareLayouts(a: Layout, b: Layout): number {
  return a.tp - b.tp || a.pp - b.pp || a.dp - b.dp || Number(a.ep) - Number(b.ep);
}

function compareValues(a: Exclude<SortValue, null>, b: Exclude<SortValue, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b));
}

/**
 * Ascending comparison of two rows by a column; rows whose value is null go last in both directions
 * (a configuration that does not fit has no latency and must not top an ascending latency sort).
 * Ties keep the engine's ranking (row index).
 */
export function compareRows(column: ResultColumnId, descending: boolean, a: CandidateRow, b: CandidateRow): number {
  let order: number;
  if (column === 'layout') {
    order = compareLayouts(a.candidate.layout, b.candidate.layout);
  } else {
    const va = sortValue(column, a.candidate, a.advice);
    const vb = sortValue(column, b.candidate, b.advice);
    if (va === null || vb === null) {
      if (va === null && vb === null) return a.index - b.index;
      return va === null ? 1 : -1;
    }
    order = compareValues(va, vb);
  }
  if (order === 0) return a.index - b.index;
  return descending ? -order : order;
}

export function passesFilters(candidate: Candidate, filters: TableFilters): boolean {
  if (filters.fitsOnly && !candidate.memory.fits) return false;
  if (filters.meetsSloOnly && !candidate.meetsSlo) return false;
  return true;
}

/** The rows the table shows, in display order. */
export function selectVisibleRows(result: RecommendResult, filters: TableFilters, sort: SortState): CandidateRow[] {
  return result.candidates
    .map((candidate, index) => ({ index, candidate, advice: result.advice?.[index] }))
    .filter((row) => passesFilters(row.candidate, filters))
    .sort((a, b) => compareRows(sort.column, sort.descending, a, b));
}

/**
 * Columns where a larger number is better start descending on first click; latency and cost start
 * ascending. The second click on the same column flips the direction.
 */
const DESCENDING_FIRST: ReadonlySet<ResultColumnId> = new Set<ResultColumnId>([
  'fits',
  'kvPool',
  'maxConcurrency',
  'concurrency',
  'outputTokensPerS',
  'tokensPerSPerGpu',
  'meetsSlo',
]);

export function nextSort(current: SortState, column: ResultColumnId): SortState {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: DESCENDING_FIRST.has(column) };
}

export const BEST_PICKS = ['cheapestMeetingSlo', 'lowestLatency', 'highestThroughput'] as const;
export type BestPick = (typeof BEST_PICKS)[number];

export const BEST_PICK_LABELS: Record<BestPick, string> = {
  cheapestMeetingSlo: 'Cheapest meeting SLO',
  lowestLatency: 'Lowest latency',
  highestThroughput: 'Highest throughput',
};

/** The best-pick badges of one row (a row can be best in several ways). */
export function bestPicksOf(best: RecommendResult['best'], index: number): BestPick[] {
  return BEST_PICKS.filter((pick) => best[pick] === index);
}

/** The list with `value` added at the end, or removed when present (GPU filter, comparison ticks). */
export function toggleMember<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** Counts for the results header. */
export function selectSummary(result: RecommendResult): { total: number; fitting: number; meetingSlo: number } {
  let fitting = 0;
  let meetingSlo = 0;
  for (const candidate of result.candidates) {
    if (candidate.memory.fits) fitting += 1;
    if (candidate.meetsSlo) meetingSlo += 1;
  }
  return { total: result.candidates.length, fitting, meetingSlo };
}

/**
 * The replica-versus-TP trade-off at a fixed GPU budget: the configurations that use the same GPU
 * type and the same number of GPUs in different ways (8 GPUs as 1 × TP8, 2 × TP4, 4 × TP2, 8 × TP1),
 * side by side. Aggregate throughput grows with replicas; per-user latency falls with TP. Pure.
 */
import type { Candidate, RecommendResult } from '../../engine/types';
import { layoutLabel } from './tableRows';

export interface TradeoffGroup {
  key: string;
  gpuId: string;
  gpuCount: number;
  /** Layouts in the group (fitting or not). */
  size: number;
}

export interface TradeoffOption {
  index: number;
  layoutLabel: string;
  /** Data-parallel replicas and GPUs per replica. */
  replicas: number;
  gpusPerReplica: number;
  fits: boolean;
  /** Why it does not fit (memory.message), else null. */
  noFitMessage: string | null;
  outputTokensPerS: number | null;
  itlMs: number | null;
  ttftMs: number | null;
  e2eMs: number | null;
  usdPerMillionOutputTokens: number | null;
  concurrency: number | null;
  meetsSlo: boolean;
}

const groupKey = (c: Pick<Candidate, 'gpuId' | 'gpuCount'>): string => `${c.gpuId}|${c.gpuCount}`;

/** GPU × count budgets with at least two layouts of which one fits, largest budget first. */
export function selectTradeoffGroups(result: RecommendResult): TradeoffGroup[] {
  const groups = new Map<string, TradeoffGroup & { anyFits: boolean }>();
  for (const candidate of result.candidates) {
    const key = groupKey(candidate);
    const group = groups.get(key) ?? { key, gpuId: candidate.gpuId, gpuCount: candidate.gpuCount, size: 0, anyFits: false };
    group.size += 1;
    group.anyFits ||= candidate.memory.fits;
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((g) => g.size >= 2 && g.anyFits)
    .sort((a, b) => b.gpuCount - a.gpuCount)
    .map(({ key, gpuId, gpuCount, size }) => ({ key, gpuId, gpuCount, size }));
}

/** The selected row's budget when it has alternatives, else the budget with the most layouts. */
export function defaultTradeoffGroup(result: RecommendResult, selectedIndex: number | null): TradeoffGroup | null {
  const groups = selectTradeoffGroups(result);
  const selected = selectedIndex === null ? undefined : result.candidates[selectedIndex];
  if (selected !== undefined) {
    const own = groups.find((g) => g.key === groupKey(selected));
    if (own !== undefined) return own;
  }
  let best: TradeoffGroup | null = null;
  for (const group of groups) if (best === null || group.size > best.size) best = group;
  return best;
}

/** The group's layouts, fewest replicas (widest TP) first: 1 × TP8, 2 × TP4, 4 × TP2, 8 × TP1. */
export function selectTradeoff(result: RecommendResult, groupKeyValue: string): TradeoffOption[] {
  const options: TradeoffOption[] = [];
  result.candidates.forEach((candidate, index) => {
    if (groupKey(candidate) !== groupKeyValue) return;
    const { layout, memory, perf } = candidate;
    options.push({
      index,
      layoutLabel: layoutLabel(layout),
      replicas: layout.dp,
      gpusPerReplica: layout.tp * layout.pp,
      fits: memory.fits,
      noFitMessage: memory.fits ? null : memory.message,
      outputTokensPerS: perf?.outputTokensPerS ?? null,
      itlMs: perf?.itlMs ?? null,
      ttftMs: perf?.ttftMs ?? null,
      e2eMs: perf?.e2eMs ?? null,
      usdPerMillionOutputTokens: perf?.usdPerMillionOutputTokens ?? null,
      concurrency: candidate.concurrency,
      meetsSlo: candidate.meetsSlo,
    });
  });
  return options.sort((a, b) => a.replicas - b.replicas || b.gpusPerReplica - a.gpusPerReplica || a.index - b.index);
}

/**
 * The contract between the app shell (src/ui/App.tsx, src/state) and the results views
 * (src/ui/results/*). Results components are presentational: they receive engine outputs and the
 * table state (src/state/tableState.ts) as props and report user intent through callbacks.
 */
import type { ReactNode } from 'react';
import type { Candidate, FixChange, RowAdvice, GpuSpec, ModelArch, RecommendRequest, RecommendResult } from '../../engine/types';
import type { SortState, TableFilters } from '../../state/tableState';
import type { ReplicaCopy } from '../../engine/compactCandidates';

export interface ResultsViewProps extends ResultsViewExtras {
  arch: ModelArch;
  request: RecommendRequest;
  result: RecommendResult;
  sort: SortState;
  onSortChange: (sort: SortState) => void;
  filters: TableFilters;
  onFiltersChange: (filters: TableFilters) => void;
  /** Index into result.candidates, or null. */
  selectedIndex: number | null;
  onSelect: (index: number | null) => void;
  /** Indices the user ticked for the concurrency chart. */
  compareIndices: readonly number[];
  onCompareChange: (indices: readonly number[]) => void;
}

export type CandidateRow = {
  index: number;
  candidate: Candidate;
  /** Compact view only (compactRows.ts): layouts of the same GPU type and count this row stands for, left out. */
  otherLayouts?: number;
  /** Compact view only: the copy counts of this row's layout it stands for (1, 2, 4, 8 replicas), itself included. */
  replicaCopies?: readonly ReplicaCopy[];
  /** What the row misses and how to pass (RecommendResult.advice); absent when the engine sent none. */
  advice?: RowAdvice;
};

/**
 * One published measurement, as the results views read it. Structural, so the catalog's own
 * `Measurement` (src/engine/catalog/measurements.ts, generated from perf_calibration.csv) can be
 * passed as is once its fields carry these names.
 */
export interface PublishedMeasurementView {
  modelId: string;
  /** Catalog GPU id (compared case-insensitively with Candidate.gpuId). */
  gpuId: string;
  tp: number;
  precision: string;
  /** Engine and version as the source states it, e.g. "vLLM 0.8.5". */
  engine: string;
  inputTokens: number;
  outputTokens: number;
  /** Closed-loop concurrency; 'max' = every request submitted at once (offline throughput). */
  concurrency: number | 'max';
  /** e.g. output_throughput, mean_itl, mean_ttft (column `metric` of perf_calibration.csv). */
  metric: string;
  value: number;
  /** e.g. tokens/s, ms. */
  unit: string;
  /** Document and table the figure was read from. */
  source: string;
}

/** ± error of the engine's estimates against the measurements (perf validation), in percent. */
export interface ErrorBandPct {
  ttftPct: number;
  itlPct: number;
  throughputPct: number;
  /** The same medians on benchmark sources held out of the calibration fit (leave-one-source-out), when known. */
  heldOut?: { ttftPct: number; itlPct: number; throughputPct: number };
}

/** Optional inputs the shell passes when the engine provides them; the views work without. */
export interface ResultsViewExtras {
  measurements?: readonly PublishedMeasurementView[];
  errorBand?: ErrorBandPct;
  /** Which engine version's memory accounting the figures follow, e.g. "vLLM 0.19 (V1)". */
  memoryEngineNote?: string;
  /** The user's own GPUs (the catalog's are known): the launch commands resolve a row's scheduler limits for its GPU. */
  customGpus?: readonly GpuSpec[];
  /**
   * The table's compact view: one row per GPU type × count, its best layout (compactRows.ts). Pass
   * both to own it in the store / URL; without them ResultsView keeps it itself, on by default.
   */
  compact?: boolean;
  onCompactChange?: (compact: boolean) => void;
  /** Told the candidateKeys of the table rows on screen, in order, when they change (the simulator fills those in, issue 10). */
  onVisibleRowsChange?: (keys: readonly string[]) => void;
  /** Applies a row's fix (engine/fixes.ts) to the inputs; `index` is the row it fixes. Absent: fixes are shown without a button. */
  onApplyFix?: (fix: FixChange, index: number | null) => void;
  /** [disagg] Shown right under the verdict (the P/D answer when P/D is chosen): pass a stable element, ResultsView is memoized. */
  verdictExtra?: ReactNode;
  /** [disagg] Shown beside the export buttons (what the main CSV/JSON leave out when P/D is chosen): a stable element, as verdictExtra. */
  exportExtra?: ReactNode;
}

/**
 * The results table's state as the store and the URL hold it: which column sorts, which rows are
 * filtered out. It lives in src/state, not beside the table, because the store (inputs.ts) and the
 * URL codec (urlCodec.ts) read and write it and src/state never imports src/ui (STYLE.md §1); the
 * results views import these types from here.
 */

/** Display order: what decides (cost, latency, throughput) first, the memory figures behind them after. */
export const RESULT_COLUMNS = [
  'gpu',
  'gpuCount',
  'layout',
  'fits',
  'meetsSlo',
  'howToPass',
  'costPerMTokens',
  'ttft',
  'itl',
  'e2e',
  'outputTokensPerS',
  'tokensPerSPerGpu',
  'concurrency',
  'costPerHour',
  'weightsPerGpu',
  'kvPool',
  'maxConcurrency',
  // Issue 10: simulated at the target request rate (Load: request rate), filled in row by row.
  'ttftP99',
  'itlP99',
  'replicas',
] as const;
export type ResultColumnId = (typeof RESULT_COLUMNS)[number];

/**
 * The columns shown until the user picks others (the column chooser): configuration, how to pass,
 * and the figures that decide; the memory figures and the per-GPU rate are one click away.
 */
export const DEFAULT_VISIBLE_COLUMNS: readonly ResultColumnId[] = [
  'gpu',
  'gpuCount',
  'layout',
  'howToPass',
  'costPerMTokens',
  'ttft',
  'itl',
  'concurrency',
  'outputTokensPerS',
  'costPerHour',
];

/**
 * Shown besides the chosen columns while the load is a request rate (issue 10): the simulator fills
 * them in, and "Meets SLO" says whether each row's answer is simulated or still the closed form's estimate.
 */
export const SIMULATED_COLUMNS: readonly ResultColumnId[] = ['ttftP99', 'itlP99', 'replicas', 'meetsSlo'];

/** GPU, count and layout are always shown (and pinned while the table scrolls sideways). */
export const PINNED_COLUMNS: readonly ResultColumnId[] = ['gpu', 'gpuCount', 'layout'];

export interface SortState {
  column: ResultColumnId;
  descending: boolean;
}

/**
 * The table's own filters. Which GPU types are shown is not one of them: the one GPU selection
 * (inputs.gpuIds, grouped by vendor and generation in the Hardware panel) decides what is computed,
 * so it applies to the table, the cards and the charts alike (issue 14: two GPU filters disagreed).
 */
export interface TableFilters {
  fitsOnly: boolean;
  meetsSloOnly: boolean;
}

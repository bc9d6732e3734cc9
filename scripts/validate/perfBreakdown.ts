/**
 * The perf validation's error broken down by what the step model may get wrong per regime
 * (issue 11: one efficiency per GPU generation averages kernels that behave differently): by
 * benchmark source, serving engine, precision class, GPU generation and metric, and the worst
 * source × engine × precision groups. Used by perf.ts (in sample) and perfCv.ts (held out).
 */
import type { ErrorGroup } from './errorTables';
import { formatErrorTable, groupErrors, shortSourceName } from './errorTables';
import type { PerfValidationRow } from './perf';

type Dimension = { title: string; keyOf: (r: PerfValidationRow) => string };

export const BREAKDOWN_DIMENSIONS: readonly Dimension[] = [
  { title: 'by source', keyOf: (r) => shortSourceName(r.source) },
  { title: 'by engine', keyOf: (r) => r.engine },
  { title: 'by precision', keyOf: (r) => r.precision },
  { title: 'by GPU generation', keyOf: (r) => r.generation },
  { title: 'by engine · precision', keyOf: (r) => `${r.engine} · ${r.precision}` },
  { title: 'by metric', keyOf: (r) => r.metric },
];

/** Source × engine × precision: the kernel regimes issue 11 names (FP8/FP4 on TRT-LLM, MXFP4 MoE, FP8 vLLM). */
export const regimeKey = (r: PerfValidationRow): string => `${shortSourceName(r.source)} · ${r.engine} · ${r.precision}`;

/** Every breakdown table, as lines without a prefix. */
export function breakdownLines(rows: readonly PerfValidationRow[]): string[] {
  const lines = ['median |error| and speed bias (+ estimate faster than measured, − slower):'];
  for (const d of BREAKDOWN_DIMENSIONS) lines.push(...formatErrorTable(d.title, groupErrors(rows, d.keyOf)));
  return lines;
}

/**
 * The `count` groups of source × engine × precision with the largest median |error| among those
 * with at least `minRows` rows (fewer rows make a median that says little).
 */
export function worstRegimes(rows: readonly PerfValidationRow[], count: number, minRows: number): ErrorGroup[] {
  return groupErrors(rows, regimeKey)
    .filter((g) => g.rows >= minRows)
    .sort((a, b) => b.medianAbsErrorPct - a.medianAbsErrorPct || a.key.localeCompare(b.key))
    .slice(0, count);
}

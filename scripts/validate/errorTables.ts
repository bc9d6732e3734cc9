/**
 * Error tables for `npm run validate perf` and `cv`: the rows grouped by a key (source, engine,
 * precision, GPU generation, metric, or a combination), each group's median absolute % error and
 * its signed median bias, printed as a compact fixed-width table.
 *
 * The bias is a SPEED bias, so that one group can mix throughput and latency rows (issue 11 reads
 * its regimes as "too slow" / "too fast"): + means the estimate is faster than the measurement,
 * − slower. For a rate metric (tokens/s) it is the % error itself; for a time metric (ms, s) it is
 * measured ÷ predicted − 1, so an estimate 2× too slow is −50 % on both kinds.
 */

export const METRIC_SENSES = ['rate', 'time'] as const;
/** Whether a larger value of the metric means a faster run (`rate`) or a slower one (`time`). */
export type MetricSense = (typeof METRIC_SENSES)[number];

/** What a table needs of a validation row. */
export interface ErrorRow {
  measured: number;
  predicted: number;
  /** (predicted − measured) ÷ measured × 100. */
  errorPct: number;
  sense: MetricSense;
}

export interface ErrorGroup {
  key: string;
  rows: number;
  medianAbsErrorPct: number;
  /** Median speed bias, % (+ faster than measured, − slower); see the file comment. */
  medianSpeedBiasPct: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** + when the estimate is faster than the measurement, − when slower, in %. */
export function speedBiasPct(r: ErrorRow): number {
  return r.sense === 'rate' ? r.errorPct : (r.measured / r.predicted - 1) * 100;
}

/** Rows grouped by `keyOf`, largest group first (ties by key, so the order is deterministic). */
export function groupErrors<R extends ErrorRow>(rows: readonly R[], keyOf: (r: R) => string): ErrorGroup[] {
  const byKey = new Map<string, R[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = byKey.get(k);
    if (list === undefined) byKey.set(k, [r]);
    else list.push(r);
  }
  return [...byKey]
    .map(([key, rs]) => ({
      key,
      rows: rs.length,
      medianAbsErrorPct: median(rs.map((r) => Math.abs(r.errorPct))),
      medianSpeedBiasPct: median(rs.map(speedBiasPct)),
    }))
    .sort((a, b) => b.rows - a.rows || a.key.localeCompare(b.key));
}

const signed = (pct: number): string => `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;

/**
 * One table as lines (without the caller's prefix): a header naming the grouping, then one line
 * per group: key, rows, median |error|, speed bias. The key column is as wide as the longest key,
 * at most `maxKeyWidth` characters (longer keys are cut with '…').
 */
export function formatErrorTable(title: string, groups: readonly ErrorGroup[], maxKeyWidth = 64): string[] {
  const keyWidth = Math.min(maxKeyWidth, Math.max(title.length, ...groups.map((g) => g.key.length + 2)));
  const cut = (k: string): string => (k.length > keyWidth ? `${k.slice(0, keyWidth - 1)}…` : k);
  const lines = [`${cut(title).padEnd(keyWidth)}  rows   |err|    bias`];
  for (const g of groups) {
    lines.push(
      `  ${cut(g.key).padEnd(keyWidth - 2)}  ${String(g.rows).padStart(4)}  ${g.medianAbsErrorPct.toFixed(1).padStart(5)}%  ` +
        `${signed(g.medianSpeedBiasPct).padStart(7)}`,
    );
  }
  return lines;
}

/** File names this short (README, h100, a100-latency) keep their folder to say what they are. */
const SHORT_FILE_NAME_CHARS = 12;

/**
 * A short readable name for a benchmark source as the CSV cites it
 * ("owner/repo path/to/file.md@commit (table)"): the repository's name, the file's name without
 * its extension (with its folder when the name is short), and the parenthesised table name.
 * "NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md@258c7540 (v0.17 table)" →
 * "TensorRT-LLM perf-overview (v0.17 table)";
 * "gpustack/gpustack docs/performance-lab/qwen3-14b/a100.md@47277d79" → "gpustack qwen3-14b/a100".
 */
export function shortSourceName(source: string): string {
  const m = /^\s*(\S+)\s+(\S+?)(?:@\S+)?(?:\s+\((.*)\))?\s*$/.exec(source);
  if (m === null) return source.trim();
  const repo = (m[1] ?? '').split('/').pop() ?? '';
  const parts = (m[2] ?? '').replace(/\.[a-z]+$/i, '').split('/');
  const name = parts[parts.length - 1] ?? '';
  const file = name.length <= SHORT_FILE_NAME_CHARS && parts.length >= 2 ? parts.slice(-2).join('/') : name;
  const table = m[3];
  return `${repo} ${file}${table !== undefined ? ` (${table})` : ''}`;
}

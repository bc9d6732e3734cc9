/**
 * Axes of the results charts, computed here so the chart components only draw (STYLE.md §1: the UI
 * does no arithmetic beyond formatting). Issue 14: on a linear $ axis one expensive configuration
 * stretched the scale and piled ~95 % of the points at the left; the cost axis is logarithmic, with
 * "nice" 1-2-5 ticks, and by default clipped at an outlier fence, the points beyond drawn at the
 * edge and marked.
 */

/** A log-scaled numeric axis: its domain (ends on ticks), its ticks, and where it was clipped (null = not). */
export interface LogAxis {
  domain: [number, number];
  ticks: number[];
  /** The axis's right end when values lie beyond it (drawn at the edge, marked as outliers); null = nothing clipped. */
  clipAboveValue: number | null;
}

/** Mantissas of the tick values per decade: the usual 1-2-5 sequence, and a finer one for spans under a decade. */
const COARSE_MANTISSAS = [1, 2, 5] as const;
const FINE_MANTISSAS = [1, 1.5, 2, 3, 5, 7] as const;
/** Fewer ticks than this on a short span look bare: use the finer mantissas. */
const MIN_TICKS = 4;
/** More ticks than this crowd the axis (12 px labels on a ~600 px chart): keep the powers of ten only. */
const MAX_TICKS = 9;

/** Tick candidates from the decade below `min` to the decade above `max`, ascending. */
function candidates(min: number, max: number, mantissas: readonly number[]): number[] {
  const values: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)) - 1; exponent <= Math.ceil(Math.log10(max)); exponent += 1) {
    for (const m of mantissas) values.push(Number((m * 10 ** exponent).toPrecision(12)));
  }
  return values;
}

/**
 * Ticks of a log axis over [min, max] (both > 0): from the largest "nice" value ≤ min to the smallest
 * ≥ max, so the first and last ticks are the domain's ends. Non-positive or non-finite input → [].
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const pick = (mantissas: readonly number[]): number[] => {
    const all = candidates(lo, hi, mantissas);
    const start = all.filter((v) => v <= lo).pop() ?? lo;
    const end = all.find((v) => v >= hi) ?? hi;
    return all.filter((v) => v >= start && v <= end);
  };
  let ticks = pick(COARSE_MANTISSAS);
  if (ticks.length < MIN_TICKS) ticks = pick(FINE_MANTISSAS);
  if (ticks.length > MAX_TICKS) {
    const first = ticks[0] ?? lo;
    const last = ticks[ticks.length - 1] ?? hi;
    ticks = ticks.filter((v, i) => i === 0 || i === ticks.length - 1 || Number.isInteger(Math.log10(v)));
    if (ticks.length === 0) ticks = [first, last];
  }
  return ticks;
}

/** The q-quantile (0..1) of ascending values, linear between neighbours (R type 7, numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return lower + (upper - lower) * (at - below);
}

/** Fewer points than this have no meaningful quartiles: nothing is called an outlier. */
const MIN_POINTS_FOR_OUTLIERS = 8;
/** Tukey's outer-fence multiplier ("far out" values; J. W. Tukey, Exploratory Data Analysis, 1977, ch. 2). */
const TUKEY_FAR_OUT_IQR = 3;

/**
 * The value above which a cost is an outlier: Tukey's far-out fence Q3 + 3 × IQR, taken on log10 of
 * the values (costs spread multiplicatively: an 8-GPU layout costs ~8× a 1-GPU one per hour). null
 * when there are too few positive values or none lies beyond the fence.
 */
export function upperOutlierFence(values: readonly number[]): number | null {
  const logs = values.filter((v) => v > 0 && Number.isFinite(v)).map((v) => Math.log10(v)).sort((a, b) => a - b);
  if (logs.length < MIN_POINTS_FOR_OUTLIERS) return null;
  const q1 = quantile(logs, 0.25);
  const q3 = quantile(logs, 0.75);
  const fenceLog = q3 + TUKEY_FAR_OUT_IQR * (q3 - q1);
  const top = logs[logs.length - 1] ?? fenceLog;
  return top > fenceLog ? 10 ** fenceLog : null;
}

/**
 * The cost axis of the latency-vs-cost chart: log scale over the positive values; with `clipOutliers`
 * the right end stops at the outlier fence (upperOutlierFence) and `clipAboveValue` says where.
 * No positive value → a one-decade placeholder axis.
 */
export function costAxis(values: readonly number[], clipOutliers: boolean): LogAxis {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return { domain: [0.01, 0.1], ticks: [0.01, 0.1], clipAboveValue: null };
  const min = Math.min(...positive);
  const max = Math.max(...positive);
  const fence = clipOutliers ? upperOutlierFence(positive) : null;
  const inside = fence === null ? positive : positive.filter((v) => v <= fence);
  const insideMax = inside.length === 0 ? max : Math.max(...inside);
  const ticks = logTicks(min, insideMax);
  const domain: [number, number] = [ticks[0] ?? min, ticks[ticks.length - 1] ?? insideMax];
  // A far-out value the rounded-up end still covers is drawn in place: only what lies beyond the axis is clipped.
  return { domain, ticks, clipAboveValue: positive.some((v) => v > domain[1]) ? domain[1] : null };
}

/** Where a value is drawn on the axis: itself, or the axis's right end when it lies beyond the clip. */
export function placeOnAxis(value: number, axis: LogAxis): number {
  return axis.clipAboveValue !== null && value > axis.clipAboveValue ? axis.domain[1] : value;
}

/** True when the value is drawn at the clipped edge rather than in place. */
export function isClipped(value: number, axis: LogAxis): boolean {
  return axis.clipAboveValue !== null && value > axis.clipAboveValue;
}

/**
 * Percentiles as `vllm bench serve` reports them: numpy.percentile's default ('linear', R-7): the
 * q-th percentile of n sorted values is at rank h = q/100 · (n − 1), interpolated between the values
 * at ⌊h⌋ and ⌈h⌉ (Hyndman & Fan 1996, definition 7).
 */

/** Percentile q (0–100) of values sorted ascending; NaN when empty. */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (Math.min(Math.max(q, 0), 100) / 100) * (n - 1);
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (h - lo) * (b - a);
}

/**
 * Percentiles of values with integer weights, equal to percentileSorted of the list with each value
 * repeated `weight` times (the inter-token gaps are stored one entry per step, weighted by its
 * decodes). Sorts an index once for all `qs`; O(k log k) for k entries.
 */
export function weightedPercentiles(values: Float64Array, weights: Float64Array, qs: readonly number[]): number[] {
  const k = values.length;
  let total = 0;
  for (let i = 0; i < k; i += 1) total += weights[i] ?? 0;
  if (k === 0 || total <= 0) return qs.map(() => Number.NaN);
  const order = sortedOrder(values);
  return qs.map((q) => {
    const h = (Math.min(Math.max(q, 0), 100) / 100) * (total - 1);
    const lo = Math.floor(h);
    const a = valueAtRank(values, weights, order, lo);
    const b = lo + 1 <= total - 1 ? valueAtRank(values, weights, order, lo + 1) : a;
    return a + (h - lo) * (b - a);
  });
}

/** Indices of `values` in ascending order of value. */
export function sortedOrder(values: Float64Array): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i += 1) order[i] = i;
  order.sort((x, y) => (values[x] ?? 0) - (values[y] ?? 0));
  return order;
}

/** The value at 0-based rank `rank` of the expanded (weighted) sorted list. */
function valueAtRank(values: Float64Array, weights: Float64Array, order: Uint32Array, rank: number): number {
  let seen = 0;
  for (let j = 0; j < order.length; j += 1) {
    const i = order[j] ?? 0;
    seen += weights[i] ?? 0;
    if (seen > rank) return values[i] ?? Number.NaN;
  }
  return values[order[order.length - 1] ?? 0] ?? Number.NaN;
}

/** Weighted mean Σ w·x / Σ w; NaN when the weights sum to 0. */
export function weightedMean(values: Float64Array, weights: Float64Array): number {
  let sw = 0;
  let swx = 0;
  for (let i = 0; i < values.length; i += 1) {
    const w = weights[i] ?? 0;
    sw += w;
    swx += w * (values[i] ?? 0);
  }
  return sw > 0 ? swx / sw : Number.NaN;
}

/** Mean of the first `n` entries; NaN when n = 0. */
export function mean(values: Float64Array, n = values.length): number {
  if (n <= 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i += 1) s += values[i] ?? 0;
  return s / n;
}

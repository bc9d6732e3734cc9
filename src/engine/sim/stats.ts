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
 * decodes). Each rank is found by a weighted three-way quickselect on a copy (expected O(k) for k
 * entries; a comparator sort of 300,000 per-step entries took ~0.3 s). The ranks are selected in
 * ascending order, each search starting where the one before left its rank (everything left of that
 * is below it): the p90/p95/p99 searches after the p50 one run on the top half, not the whole copy
 * (the four selections were 16 % of a max-rate search's CPU profile). Same values either way.
 * `inPlace`: select in `values` and `weights` themselves (reordering them together), no copy.
 */
export function weightedPercentiles(values: Float64Array, weights: Float64Array, qs: readonly number[], opts: { inPlace?: boolean } = {}): number[] {
  const k = values.length;
  let total = 0;
  for (let i = 0; i < k; i += 1) total += weights[i] ?? 0;
  if (k === 0 || total <= 0) return qs.map(() => Number.NaN);
  // inPlace: the caller's arrays are reordered (pairs kept together) instead of copied — two
  // copies of ~100,000 entries per simulated run were most of a rate search's garbage.
  const v = opts.inPlace === true ? values : values.slice();
  const w = opts.inPlace === true ? weights : weights.slice();
  const pair = new Float64Array(2);
  const rankOf = (q: number): number => (Math.min(Math.max(q, 0), 100) / 100) * (total - 1);
  const order = qs.map((_, i) => i).sort((a, b) => rankOf(qs[a] ?? 0) - rankOf(qs[b] ?? 0));
  const out: number[] = qs.map(() => Number.NaN);
  const from: SelectionStart = { left: 0, before: 0 };
  for (const i of order) {
    const h = rankOf(qs[i] ?? 0);
    const lo = Math.floor(h);
    valuesAtRank(v, w, lo, pair, from);
    const a = pair[0] ?? Number.NaN;
    const b = lo + 1 <= total - 1 ? (pair[1] ?? a) : a;
    out[i] = a + (h - lo) * (b - a);
  }
  return out;
}

/** Where a selection starts: v[0 … left) is all below v[left …] and weighs `before`; updated to where the rank was found. */
interface SelectionStart {
  left: number;
  before: number;
}

/**
 * The values at 0-based ranks `rank` and `rank + 1` of the expanded (weighted) list, into `out`
 * (out[1] = Infinity past the end); reorders v and w together. One selection for both: the next
 * rank is in the same run of equal values or is the smallest value above it. `start` (rank at or
 * after its `before`) is moved to the start of the run of equal values holding the rank.
 */
function valuesAtRank(v: Float64Array, w: Float64Array, rank: number, out: Float64Array, start: SelectionStart): void {
  let left = start.left;
  let right = v.length; // [left, right) holds the rank; `before` = weight of everything left of it
  let before = start.before;
  let seed = 0x2545f491;
  while (right - left > 1) {
    // Pivot: a pseudo-random element (xorshift32) keeps sorted or constant inputs linear.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const pivot = v[left + ((seed >>> 0) % (right - left))] ?? 0;
    // Three-way partition [left, lt) < pivot, [lt, gt) = pivot, [gt, right) > pivot.
    let lt = left;
    let gt = right;
    let i = left;
    while (i < gt) {
      const x = v[i] ?? 0;
      if (x < pivot) swap(v, w, i++, lt++);
      else if (x > pivot) swap(v, w, i, --gt);
      else i += 1;
    }
    let wLess = 0;
    for (let j = left; j < lt; j += 1) wLess += w[j] ?? 0;
    let wEqual = 0;
    for (let j = lt; j < gt; j += 1) wEqual += w[j] ?? 0;
    if (rank < before + wLess) right = lt;
    else if (rank < before + wLess + wEqual) {
      out[0] = pivot;
      out[1] = rank + 1 < before + wLess + wEqual ? pivot : smallestFrom(v, w, gt);
      start.left = lt;
      start.before = before + wLess;
      return;
    } else {
      before += wLess + wEqual;
      left = gt;
    }
  }
  // One entry left: it holds `rank`; rank + 1 is in it too or the smallest entry after it.
  out[0] = v[left] ?? Number.NaN;
  out[1] = rank + 1 < before + (w[left] ?? 0) ? (v[left] ?? Number.NaN) : smallestFrom(v, w, left + 1);
  start.left = left;
  start.before = before;
}

/** Smallest value with weight > 0 among v[from…] (everything there is above what precedes it). */
function smallestFrom(v: Float64Array, w: Float64Array, from: number): number {
  let m = Infinity;
  for (let j = from; j < v.length; j += 1) if ((w[j] ?? 0) > 0 && (v[j] ?? Infinity) < m) m = v[j] ?? Infinity;
  return m;
}

function swap(v: Float64Array, w: Float64Array, i: number, j: number): void {
  const tv = v[i] ?? 0;
  v[i] = v[j] ?? 0;
  v[j] = tv;
  const tw = w[i] ?? 0;
  w[i] = w[j] ?? 0;
  w[j] = tw;
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

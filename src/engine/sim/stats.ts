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
 * From BUCKET_SELECT_MIN_ENTRIES entries on, the ranks are first placed in buckets of the value
 * range and selected among their bucket's entries only (selectByBuckets): same values.
 */
export function weightedPercentiles(values: Float64Array, weights: Float64Array, qs: readonly number[], opts: { inPlace?: boolean } = {}): number[] {
  const k = values.length;
  let total = 0;
  for (let i = 0; i < k; i += 1) total += weights[i] ?? 0;
  if (k === 0 || total <= 0) return qs.map(() => Number.NaN);
  if (k >= BUCKET_SELECT_MIN_ENTRIES) {
    const byBuckets = selectByBuckets(values, weights, qs, total);
    if (byBuckets !== null) return byBuckets;
  }
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

/**
 * Entries from which weightedPercentiles selects by buckets: below it the quickselect's few passes
 * cost less than the buckets' fixed work (SELECT_BUCKETS per call).
 */
export const BUCKET_SELECT_MIN_ENTRIES = 4096;
/** Equal-width buckets over [min, max] of the values (a rate search's run has ~100,000 inter-token entries). */
const SELECT_BUCKETS = 4096;

/** Scratch of selectByBuckets, grown as needed and reused (single-threaded, like the simulator's logs). */
const bucketScratch = {
  bucketOf: new Int32Array(0),
  values: new Float64Array(0),
  weights: new Float64Array(0),
  weight: new Float64Array(SELECT_BUCKETS),
  count: new Int32Array(SELECT_BUCKETS),
  min: new Float64Array(SELECT_BUCKETS),
  slot: new Int32Array(SELECT_BUCKETS),
};

/**
 * weightedPercentiles by buckets: one pass for the range, one that puts each entry of weight > 0
 * in its bucket (the bucket index is monotone in the value, so every value of a lower bucket is
 * below every value of a higher one) and sums the buckets' weights, counts and minima; each rank's
 * bucket from the cumulative weights; one pass gathering those buckets' entries, where the
 * quickselect finds the rank. The value at rank + 1 past its bucket's end is the next non-empty
 * bucket's minimum. Three light passes instead of the quickselect's partitions of every entry (a
 * fifth of a 100,000-step run's CPU profile). Weights are integers (counts of gaps), so every sum
 * is exact and the values equal the quickselect's. null (the caller selects as before) for a NaN
 * or infinite value, where no bucket order exists.
 */
function selectByBuckets(values: Float64Array, weights: Float64Array, qs: readonly number[], total: number): number[] | null {
  const k = values.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < k; i += 1) {
    if (!((weights[i] ?? 0) > 0)) continue;
    const x = values[i] ?? Number.NaN;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
    if (x !== x) return null;
  }
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return null;
  const rankOf = (q: number): number => (Math.min(Math.max(q, 0), 100) / 100) * (total - 1);
  // One value (of weight > 0): every percentile is it (a + (h − lo)·0).
  if (lo === hi) return qs.map(() => lo);
  const sc = bucketScratch;
  if (sc.bucketOf.length < k) {
    sc.bucketOf = new Int32Array(k);
    sc.values = new Float64Array(k);
    sc.weights = new Float64Array(k);
  }
  const { bucketOf, weight, count, min, slot } = sc;
  const buckets = SELECT_BUCKETS;
  for (let b = 0; b < buckets; b += 1) {
    weight[b] = 0;
    count[b] = 0;
    min[b] = Infinity;
    slot[b] = -1;
  }
  const scale = buckets / (hi - lo);
  for (let i = 0; i < k; i += 1) {
    const wi = weights[i] ?? 0;
    if (!(wi > 0)) {
      bucketOf[i] = -1;
      continue;
    }
    const x = values[i] ?? 0;
    const b = Math.min(buckets - 1, Math.floor((x - lo) * scale));
    bucketOf[i] = b;
    weight[b] = (weight[b] ?? 0) + wi;
    count[b] = (count[b] ?? 0) + 1;
    if (x < (min[b] ?? Infinity)) min[b] = x;
  }
  // Each rank's bucket and the weight below it (ranks in ascending order, one sweep of the buckets).
  const order = qs.map((_, i) => i).sort((a, b) => rankOf(qs[a] ?? 0) - rankOf(qs[b] ?? 0));
  const rankBucket = new Int32Array(qs.length);
  const rankBefore = new Float64Array(qs.length);
  let b = 0;
  let below = 0;
  let targets = 0;
  for (const i of order) {
    const r = Math.floor(rankOf(qs[i] ?? 0));
    while (b < buckets - 1 && r >= below + (weight[b] ?? 0)) {
      below += weight[b] ?? 0;
      b += 1;
    }
    rankBucket[i] = b;
    rankBefore[i] = below;
    if ((slot[b] ?? -1) < 0) {
      slot[b] = targets;
      targets += 1;
    }
  }
  // Gather the target buckets' entries, each bucket contiguous (its offset from the counts).
  const offset = new Int32Array(targets + 1);
  for (let t = 0; t < buckets; t += 1) {
    const s = slot[t] ?? -1;
    if (s >= 0) offset[s + 1] = count[t] ?? 0;
  }
  for (let s = 0; s < targets; s += 1) offset[s + 1] = (offset[s + 1] ?? 0) + (offset[s] ?? 0);
  const fill = offset.slice(0, targets);
  const gv = sc.values;
  const gw = sc.weights;
  for (let i = 0; i < k; i += 1) {
    const bi = bucketOf[i] ?? -1;
    if (bi < 0) continue;
    const s = slot[bi] ?? -1;
    if (s < 0) continue;
    const at = fill[s] ?? 0;
    gv[at] = values[i] ?? 0;
    gw[at] = weights[i] ?? 0;
    fill[s] = at + 1;
  }
  const out: number[] = qs.map(() => Number.NaN);
  const pair = new Float64Array(2);
  let lastBucket = -1;
  let from: SelectionStart = { left: 0, before: 0 };
  let v = gv;
  let w = gw;
  for (const i of order) {
    const h = rankOf(qs[i] ?? 0);
    const r = Math.floor(h);
    const bucket = rankBucket[i] ?? 0;
    if (bucket !== lastBucket) {
      const s = slot[bucket] ?? 0;
      v = gv.subarray(offset[s] ?? 0, offset[s + 1] ?? 0);
      w = gw.subarray(offset[s] ?? 0, offset[s + 1] ?? 0);
      from = { left: 0, before: 0 };
      lastBucket = bucket;
    }
    valuesAtRank(v, w, r - (rankBefore[i] ?? 0), pair, from);
    const a = pair[0] ?? Number.NaN;
    let next = pair[1] ?? Number.NaN;
    if (next === Infinity) {
      // Past the bucket's end: the smallest value of the next bucket holding any weight.
      for (let nb = bucket + 1; nb < buckets; nb += 1) {
        if ((count[nb] ?? 0) > 0) {
          next = min[nb] ?? Infinity;
          break;
        }
      }
    }
    const bNext = r + 1 <= total - 1 ? next : a;
    out[i] = a + (h - r) * (bNext - a);
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

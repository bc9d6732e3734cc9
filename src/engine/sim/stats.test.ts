import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUCKET_SELECT_MIN_ENTRIES, percentileSorted, weightedMean, weightedPercentiles } from './stats';

describe('percentileSorted', () => {
  it('interpolates linearly between ranks as numpy.percentile does (R-7)', () => {
    const xs = Float64Array.of(1, 2, 3, 4);
    // numpy.percentile([1, 2, 3, 4], [0, 50, 90, 100]) = [1, 2.5, 3.7, 4]
    expect(percentileSorted(xs, 0)).toBe(1);
    expect(percentileSorted(xs, 50)).toBe(2.5);
    expect(percentileSorted(xs, 90)).toBeCloseTo(3.7, 12);
    expect(percentileSorted(xs, 100)).toBe(4);
    expect(percentileSorted(new Float64Array(0), 50)).toBeNaN();
  });
});

describe('weightedPercentiles', () => {
  it('equals the percentile of the list with each value repeated weight times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0, 37, 50, 90, 99, 100),
        (pairs, q) => {
          const expanded = pairs.flatMap(([v, w]) => Array.from({ length: w }, () => v));
          fc.pre(expanded.length > 0);
          const sorted = Float64Array.from(expanded).sort();
          const [got] = weightedPercentiles(Float64Array.from(pairs.map(([v]) => v)), Float64Array.from(pairs.map(([, w]) => w)), [q]);
          expect(got).toBeCloseTo(percentileSorted(sorted, q), 9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives every percentile of one call as separate calls do, in any order of qs (the selections share their work)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 60 }),
        fc.shuffledSubarray([0, 10, 50, 90, 95, 99, 100], { minLength: 1 }),
        (pairs, qs) => {
          const expanded = pairs.flatMap(([v, w]) => Array.from({ length: w }, () => v));
          fc.pre(expanded.length > 0);
          const sorted = Float64Array.from(expanded).sort();
          const got = weightedPercentiles(Float64Array.from(pairs.map(([v]) => v)), Float64Array.from(pairs.map(([, w]) => w)), qs);
          expect(got).toEqual(qs.map((q) => percentileSorted(sorted, q)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('in place gives the same percentiles and keeps each value with its weight', () => {
    const values = Float64Array.of(5, 1, 9, 1, 7, 3, 3, 12, 0.5);
    const weights = Float64Array.of(2, 1, 0, 4, 1, 3, 1, 2, 1);
    const qs = [50, 90, 95, 99];
    const copied = weightedPercentiles(values, weights, qs);
    const v = values.slice();
    const w = weights.slice();
    expect(weightedPercentiles(v, w, qs, { inPlace: true })).toEqual(copied);
    const pairs = (a: Float64Array, b: Float64Array): string[] => [...a].map((x, i) => `${x}:${b[i]}`).sort();
    expect(pairs(v, w)).toEqual(pairs(values, weights));
  });

  it('selects by buckets from BUCKET_SELECT_MIN_ENTRIES entries on, with the values of the expanded list (ties, outliers, zero weights, bucket edges)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: BUCKET_SELECT_MIN_ENTRIES, max: BUCKET_SELECT_MIN_ENTRIES + 2000 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom('steps', 'ties', 'outliers', 'two'),
        fc.shuffledSubarray([0, 1, 10, 50, 90, 95, 99, 99.9, 100], { minLength: 1 }),
        (k, seed, shape, qs) => {
          // A seeded stream of values shaped like inter-token gaps: step durations drifting, many
          // equal, a few prefill-sized outliers, or two clusters far apart.
          let s = seed;
          const next = (): number => {
            s ^= s << 13;
            s ^= s >>> 17;
            s ^= s << 5;
            return (s >>> 0) / 2 ** 32;
          };
          const values = new Float64Array(k);
          const weights = new Float64Array(k);
          for (let i = 0; i < k; i += 1) {
            const u = next();
            values[i] =
              shape === 'steps' ? 5 + 3 * next() + i * 1e-4 : shape === 'ties' ? Math.floor(u * 7) * 0.5 : shape === 'outliers' ? (u < 0.01 ? 70 + next() : 5 + next()) : u < 0.5 ? next() : 1e6 + next();
            weights[i] = Math.floor(next() * 4);
          }
          const expanded: number[] = [];
          for (let i = 0; i < k; i += 1) for (let j = 0; j < (weights[i] ?? 0); j += 1) expanded.push(values[i] ?? 0);
          const sorted = Float64Array.from(expanded).sort();
          expect(weightedPercentiles(values, weights, qs)).toEqual(qs.map((q) => percentileSorted(sorted, q)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('weightedMean is Σ w·x / Σ w', () => {
    expect(weightedMean(Float64Array.of(10, 20), Float64Array.of(3, 1))).toBe(12.5);
    expect(weightedMean(Float64Array.of(10), Float64Array.of(0))).toBeNaN();
  });
});

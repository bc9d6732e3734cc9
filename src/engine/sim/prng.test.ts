import { describe, expect, it } from 'vitest';
import { createPrng, gamma, standardNormal, uniform, uniformInt } from './prng';

const draw = (n: number, f: () => number): number[] => Array.from({ length: n }, f);
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

describe('prng', () => {
  it('createPrng gives the same sequence for the same seed and a different one for the next seed', () => {
    const a = createPrng(1);
    const b = createPrng(1);
    const c = createPrng(2);
    const xa = draw(5, () => uniform(a));
    expect(draw(5, () => uniform(b))).toEqual(xa);
    expect(draw(5, () => uniform(c))).not.toEqual(xa);
  });

  it('uniform stays in [0, 1) with mean 1/2 and variance 1/12 (20,000 draws, ±4 standard errors)', () => {
    const rng = createPrng(7);
    const xs = draw(20000, () => uniform(rng));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / 20000));
    expect(variance(xs)).toBeCloseTo(1 / 12, 2);
  });

  it('uniformInt covers [lo, hi] inclusive and nothing else', () => {
    const rng = createPrng(3);
    const seen = new Set(draw(2000, () => uniformInt(rng, 5, 9)));
    expect([...seen].sort()).toEqual([5, 6, 7, 8, 9]);
    expect(uniformInt(rng, 4, 4)).toBe(4);
  });

  it('standardNormal has mean 0 and variance 1', () => {
    const rng = createPrng(11);
    const xs = draw(20000, () => standardNormal(rng));
    expect(Math.abs(mean(xs))).toBeLessThan(4 / Math.sqrt(20000));
    expect(variance(xs)).toBeGreaterThan(0.96);
    expect(variance(xs)).toBeLessThan(1.04);
  });

  it('gamma(shape) has mean shape and variance shape, above and below shape 1 (Marsaglia–Tsang and its boost)', () => {
    for (const shape of [0.25, 1, 4]) {
      const rng = createPrng(5);
      const xs = draw(20000, () => gamma(rng, shape));
      expect(Math.min(...xs)).toBeGreaterThan(0);
      expect(Math.abs(mean(xs) - shape)).toBeLessThan(5 * Math.sqrt(shape / 20000));
      expect(variance(xs) / shape).toBeGreaterThan(0.9);
      expect(variance(xs) / shape).toBeLessThan(1.1);
    }
  });
});

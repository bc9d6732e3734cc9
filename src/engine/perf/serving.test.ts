import { describe, expect, it } from 'vitest';
import { meanFirstTokenMs } from './serving';

/** Brute force of the closed form: mean of max(a(i+1), b(i−B+1)+c) over i < N. */
function brute(n: number, running: number, a: number, b: number, c: number): number {
  let s = 0;
  for (let i = 0; i < n; i += 1) s += Math.max(a * (i + 1), b * (i - running + 1) + c);
  return s / n;
}

describe('meanFirstTokenMs', () => {
  it('matches the brute-force mean of the two first-token bounds of an all-at-once run', () => {
    const cases: [number, number, number, number, number][] = [
      [1000, 256, 3, 10, 50],
      [100, 7, 3860, 3860, 4000],
      [500, 1024, 1, 5, 20],
      [3000, 1500, 0.2, 0.1, 900],
      [1, 1, 5, 5, 5],
    ];
    for (const [n, r, a, b, c] of cases) expect(meanFirstTokenMs(n, r, a, b, c)).toBeCloseTo(brute(n, r, a, b, c), 6);
  });
});

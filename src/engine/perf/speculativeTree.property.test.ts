import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectedTokensPerStep, expectedTreeTokensPerStep, treeAcceptedSurvival } from './speculative';

describe('token trees (property)', () => {
  it('accept at least the chain of the same depth whenever they verify at least its k + 1 tokens', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 60 }), (a, k, topk, more) => {
        expect(expectedTreeTokensPerStep(a, k, topk, k + 1 + more)).toBeGreaterThanOrEqual(expectedTokensPerStep(a, k) - 1e-9);
      }),
    );
  });

  it('P(A ≥ d) is a survival function: within [0, 1], non-increasing in d, rising with acceptance and with verified tokens', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 40 }), (a, k, topk, n) => {
        const s = treeAcceptedSurvival(a, k, topk, n);
        for (let d = 0; d < s.length; d += 1) {
          expect(s[d]).toBeGreaterThanOrEqual(0);
          expect(s[d]).toBeLessThanOrEqual(1 + 1e-12);
          if (d > 0) expect(s[d]).toBeLessThanOrEqual((s[d - 1] ?? 0) + 1e-12);
        }
        const e = expectedTreeTokensPerStep(a, k, topk, n);
        expect(expectedTreeTokensPerStep(Math.min(1, a + 0.01), k, topk, n)).toBeGreaterThanOrEqual(e - 1e-9);
        expect(expectedTreeTokensPerStep(a, k, topk, n + 1)).toBeGreaterThanOrEqual(e - 1e-12);
        expect(expectedTreeTokensPerStep(0, k, topk, n)).toBe(1);
      }),
    );
  });
});

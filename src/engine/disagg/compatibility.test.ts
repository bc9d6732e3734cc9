import { describe, expect, it } from 'vitest';
import { LLAMA_31_8B } from '../testArchs';
import { disaggLayoutProblem } from './compatibility';

describe('disaggLayoutProblem', () => {
  it('accepts equal and dividing TP sizes in either direction', () => {
    for (const [p, d] of [
      [1, 1],
      [1, 2],
      [2, 8],
      [4, 2],
      [8, 1],
    ] as const) {
      expect(disaggLayoutProblem(LLAMA_31_8B, { tp: p }, { tp: d })).toBeNull();
    }
  });

  it('refuses TP sizes that do not divide one another', () => {
    expect(disaggLayoutProblem(LLAMA_31_8B, { tp: 2 }, { tp: 3 })).toMatch(/divide one another/);
  });

  it('refuses a smaller decode TP when the prefill TP replicates the KV heads', () => {
    // Llama-3.1-8B has 8 KV heads: TP 16 replicates them.
    expect(disaggLayoutProblem(LLAMA_31_8B, { tp: 16 }, { tp: 8 })).toMatch(/replicates the model's 8 KV heads/);
    expect(disaggLayoutProblem(LLAMA_31_8B, { tp: 8 }, { tp: 16 })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { maxPipelineParallel, ppLayerRange, tpRejection, validTpSizes } from './layouts';
import { LLAMA_31_8B } from '../testArchs';

describe('layouts', () => {
  it('vLLM requires num_attention_heads % tp == 0 and kv heads divisible by or dividing tp', () => {
    expect(validTpSizes(LLAMA_31_8B, 16)).toEqual([1, 2, 4, 8, 16]);
    expect(tpRejection(LLAMA_31_8B, 3)).toMatch(/not divisible/);
    const mqa6 = { ...LLAMA_31_8B, layers: LLAMA_31_8B.layers.map((l) => ({ ...l, mixer: { ...l.mixer, kind: 'attention' as const, numHeads: 24, numKvHeads: 6, headDim: 128, qkvBias: false, slidingWindowTokens: null, outputGate: false, kEqV: false } })) };
    // 6 KV heads at TP=4: neither 6 % 4 nor 4 % 6 is 0.
    expect(tpRejection(mqa6, 4)).toMatch(/KV heads/);
    expect(tpRejection(mqa6, 2)).toBeNull();
  });

  it('get_pp_indices gives the remainder to the stages before the last', () => {
    // 30 layers over 4 stages: [7, 8, 8, 7].
    expect([0, 1, 2, 3].map((r) => ppLayerRange(30, 4, r))).toEqual([
      { start: 0, end: 7 },
      { start: 7, end: 15 },
      { start: 15, end: 23 },
      { start: 23, end: 30 },
    ]);
    expect(maxPipelineParallel(LLAMA_31_8B)).toBe(32);
  });
});

import { describe, expect, it } from 'vitest';
import type { QuantizationInfo } from '../types';
import { bytesPerParam, weightsBytesPerRank } from './weights';
import { DEEPSEEK_V3_MLA, LLAMA_31_8B, NO_QUANT } from '../testArchs';

const layout = (tp: number, pp = 1) => ({ tp, pp, dp: 1, ep: false });

describe('weights', () => {
  it('TP=2 halves Llama-3.1-8B parameters except norms and the rotary cache', () => {
    const w1 = weightsBytesPerRank(LLAMA_31_8B, NO_QUANT, layout(1), 'bf16');
    const w2 = weightsBytesPerRank(LLAMA_31_8B, NO_QUANT, layout(2), 'bf16');
    // Truth CSV (0.19): 14.99 GiB at TP=1, 7.51 GiB at TP=2.
    expect((w1.total - w1.buffers - w1.norms) / 2).toBeCloseTo(w2.total - w2.buffers - w2.norms, 0);
  });

  it('PP=2 puts the embedding on stage 0 and lm_head on the last stage (get_pp_indices: 16 + 16 layers)', () => {
    const first = weightsBytesPerRank(LLAMA_31_8B, NO_QUANT, layout(1, 2), 'bf16', 0);
    const last = weightsBytesPerRank(LLAMA_31_8B, NO_QUANT, layout(1, 2), 'bf16', 1);
    expect(first.lmHead).toBe(0);
    expect(last.embedding).toBe(0);
    expect(first.embedding).toBe(last.lmHead);
  });

  it('MLA keeps q_a/kv_a replicated: the per-rank mixer shrinks less than 1/TP', () => {
    const w1 = weightsBytesPerRank(DEEPSEEK_V3_MLA, NO_QUANT, layout(1), 'bf16');
    const w8 = weightsBytesPerRank(DEEPSEEK_V3_MLA, NO_QUANT, layout(8), 'bf16');
    expect(w8.mixer).toBeGreaterThan(w1.mixer / 8);
    expect(w8.mixer).toBeLessThan(w1.mixer / 2);
  });

  it('block-wise FP8 128×128 stores one fp32 scale per 16384 weights; int4 g128 an fp16 scale + zero per 128', () => {
    const fp8Block: QuantizationInfo = { ...NO_QUANT, method: 'fp8', weightBits: 8, groupSize: 16384, scaleBytes: 4, unquantized: ['embedding', 'lmHead'] };
    expect(bytesPerParam('mixer', fp8Block, 'bf16')).toBeCloseTo(1 + 4 / 16384, 12);
    expect(bytesPerParam('lmHead', fp8Block, 'bf16')).toBe(2);
    const int4: QuantizationInfo = { ...NO_QUANT, method: 'awq', weightBits: 4, groupSize: 128, scaleBytes: 2.5, unquantized: [] };
    expect(bytesPerParam('denseFfn', int4, 'bf16')).toBeCloseTo(0.5 + 2.5 / 128, 12);
  });

  it('pads the vocab to a multiple of 64 before splitting it (vocab_parallel_embedding.py)', () => {
    const odd = { ...LLAMA_31_8B, vocabSize: 128257, params: { ...LLAMA_31_8B.params, embedding: 128257 * 4096, lmHead: 128257 * 4096 } };
    const w = weightsBytesPerRank(odd, NO_QUANT, layout(1), 'bf16');
    expect(w.embedding).toBe(128320 * 4096 * 2);
  });
});

import { describe, expect, it } from 'vitest';
import { buildModelCost } from './modelCost';
import { DEEPSEEK_MLA_1L, LLAMA_31_8B, MIXTRAL, NO_QUANT } from '../testArchs';

const ONE = { tp: 1, pp: 1, dp: 1, ep: false };

describe('buildModelCost', () => {
  it('takes linear FLOPs from the real SwiGLU shapes and adds the LM head separately (dense, Llama-3.1-8B)', () => {
    const c = buildModelCost(LLAMA_31_8B, NO_QUANT, ONE);
    // Per layer: q 4096² = 16,777,216; k, v 4096·1024 = 4,194,304 each; o 16,777,216;
    // gate+up 4096·28672 = 117,440,512; down 14336·4096 = 58,720,256 → 218,103,808 params.
    // × 32 layers = 6,979,321,856 params → × 2 FLOPs = 13,958,643,712 FLOPs per token.
    expect(c.linearFlopsPerTokenUnquantized).toBe(13_958_643_712);
    expect(c.linearFlopsPerTokenQuantized).toBe(0);
    // LM head: 2 × 128256 × 4096 = 1,050,673,152 FLOPs per sampled token.
    expect(c.lmHeadFlopsPerSampledToken).toBe(1_050_673_152);
    // Weights read per step: (6,979,321,856 + 525,336,576) × 2 B = 15,009,316,864 B.
    expect(c.denseWeightBytes).toBe(15_009_316_864);
    expect(c.moe).toHaveLength(0);
    expect(c.allReducesPerStep).toBe(0);
  });

  it('splits by TP and counts two all-reduces per layer at TP = 8', () => {
    const c = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 8, pp: 1, dp: 1, ep: false });
    // 8 KV heads over 8 ranks: one each, so every matrix splits evenly: 13,958,643,712 / 8.
    expect(c.linearFlopsPerTokenUnquantized).toBe(1_744_830_464);
    expect(c.allReducesPerStep).toBe(64);
    expect(c.lmHeadFlopsPerSampledToken).toBe(1_050_673_152 / 8);
  });

  it('counts only top-k experts as FLOPs and keeps expert bytes apart for the routing model (MoE, Mixtral)', () => {
    const c = buildModelCost(MIXTRAL, NO_QUANT, ONE);
    // One expert: 3 × 4096 × 14336 = 176,160,768 params; top-2 → 2 × 2 × 176,160,768 = 704,643,072 per layer,
    // × 32 = 22,548,578,304 FLOPs per token.
    expect(c.expertFlopsPerToken).toBe(22_548_578_304);
    expect(c.moe).toHaveLength(1);
    // Bytes per expert summed over layers: 176,160,768 × 2 B × 32 = 11,274,289,152 B.
    expect(c.moe[0]?.bytesPerExpertPerGpu).toBe(11_274_289_152);
    // One row through one expert: 2 × 176,160,768 FLOPs per layer × 32 = 11,274,289,152; top-2 rows per token
    // give expertFlopsPerToken back (the grouped GEMM's padded rows are counted in this unit).
    expect(c.moe[0]?.flopsPerExpertRowPerGpu).toBe(11_274_289_152);
    expect(2 * (c.moe[0]?.flopsPerExpertRowPerGpu ?? 0)).toBe(c.expertFlopsPerToken);
    // Router 4096 × 8 per layer is a dense (always-read) weight: 32 × 32,768 × 2 B inside denseWeightBytes.
    expect(c.denseWeightBytes).toBeGreaterThan(32 * 32_768 * 2);
  });

  it('spreads whole experts over tp × dp ranks with expert parallelism', () => {
    const c = buildModelCost(MIXTRAL, NO_QUANT, { tp: 2, pp: 1, dp: 2, ep: true });
    expect(c.moe[0]?.shardGpus).toBe(4);
    expect(c.moe[0]?.tokenGroupReplicas).toBe(2);
    expect(c.allToAllsPerStep).toBe(64);
    // Whole experts on 4 GPUs: a row is 1/4 of the TP = 1 figure; the 2 replicas' tokens meet in the
    // group, so rows × row FLOPs = tokens × dp × k × this = tokens × expertFlopsPerToken.
    expect(c.moe[0]?.flopsPerExpertRowPerGpu).toBe(11_274_289_152 / 4);
    expect(2 * 2 * (c.moe[0]?.flopsPerExpertRowPerGpu ?? 0)).toBe(c.expertFlopsPerToken);
  });

  it('keeps MLA latent projections replicated and sums attention coefficients (MLA, DeepSeek-V3 layer)', () => {
    const c1 = buildModelCost(DEEPSEEK_MLA_1L, NO_QUANT, ONE);
    const c8 = buildModelCost(DEEPSEEK_MLA_1L, NO_QUANT, { tp: 8, pp: 1, dp: 1, ep: false });
    expect(c1.attention[0]?.decodeFlopsPerContextToken).toBe(278_528);
    expect(c8.attention[0]?.decodeFlopsPerContextToken).toBe(278_528 / 8);
    // q_a_proj 7168·1536 and kv_a_proj 7168·576 are replicated: TP=8 keeps 2 × (11,010,048 + 4,128,768) FLOPs each.
    expect(c8.linearFlopsPerTokenUnquantized).toBeGreaterThan(2 * (11_010_048 + 4_128_768));
  });
});

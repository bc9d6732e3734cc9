import { describe, expect, it } from 'vitest';
import { attentionFlops, decodeAttentionTilePadding, decodeContextTokens, expectedDistinctExperts, expectedDistinctExpertsFromLog, expertGemmRows, meanPrefillContextTokens, tiledRows } from './flops';
import { DEEPSEEK_MLA_LAYER, LLAMA_31_8B } from '../testArchs';

describe('attentionFlops', () => {
  it('counts QKᵀ and PV per head per context token for GQA (Llama-3.1-8B); a decode pays its GQA group padded to 16 MMA rows', () => {
    const mixer = LLAMA_31_8B.layers[0]?.mixer;
    if (mixer === undefined) throw new Error('fixture');
    // 32 heads × 4 × 128 = 16,384 FLOPs per query per context token for a prompt token.
    expect(attentionFlops(mixer, 1)?.prefillPerContextToken).toBe(16_384);
    // A decode token's 4 query heads per KV head fill 4 of the kernel's 16 rows: 4× the useful FLOPs.
    expect(attentionFlops(mixer, 1)?.decodePerContextToken).toBe(4 * 16_384);
    // TP = 8 splits the heads (4 heads × 512 = 2,048), one KV head per rank: still a group of 4.
    expect(attentionFlops(mixer, 8)?.prefillPerContextToken).toBe(2_048);
    expect(attentionFlops(mixer, 8)?.decodePerContextToken).toBe(4 * 2_048);
  });

  it('pads the decode group up to the row tile and no further: 5 → 16, 8 → 16, 16 → 16, 20 → 32 rows', () => {
    expect(decodeAttentionTilePadding(5)).toBeCloseTo(16 / 5, 12);
    expect(decodeAttentionTilePadding(8)).toBe(2);
    expect(decodeAttentionTilePadding(16)).toBe(1);
    expect(decodeAttentionTilePadding(20)).toBeCloseTo(32 / 20, 12);
    // More query heads per KV head never cost more per useful FLOP than a lone row.
    for (let g = 1; g <= 64; g += 1) expect(decodeAttentionTilePadding(g)).toBeLessThanOrEqual(16);
  });

  it('decodes MLA in the latent space and prefills in the head space (DeepSeek-V3)', () => {
    const af = attentionFlops(DEEPSEEK_MLA_LAYER.mixer, 1);
    // decode: 128 heads × 2 × (2 × 512 + 64) = 278,528 (128 heads share the latent: rows fill the tile);
    // prefill: 128 × 2 × (128 + 64 + 128) = 81,920.
    expect(af?.decodePerContextToken).toBe(278_528);
    expect(af?.prefillPerContextToken).toBe(81_920);
    // TP 16: 8 heads per rank share the latent, half a tile: 2× the useful FLOPs.
    expect(attentionFlops(DEEPSEEK_MLA_LAYER.mixer, 16)?.decodePerContextToken).toBe(2 * (278_528 / 16));
  });

  it('has no per-context cost for constant-state mixers', () => {
    expect(attentionFlops({ kind: 'none' }, 1)).toBeNull();
  });
});

describe('context lengths', () => {
  it('meanPrefillContextTokens is (L + 1) / 2 for full attention and caps at the window', () => {
    expect(meanPrefillContextTokens(1000, null)).toBe(500.5);
    // w = 4, L = 8: (4·5/2 + 4·4) / 8 = (10 + 16) / 8 = 3.25
    expect(meanPrefillContextTokens(8, 4)).toBe(3.25);
    expect(meanPrefillContextTokens(0, null)).toBe(0);
  });
  it('decodeContextTokens caps a sliding window', () => {
    expect(decodeContextTokens(10_000, 4096)).toBe(4096);
    expect(decodeContextTokens(1000, null)).toBe(1000);
  });
});

describe('expectedDistinctExperts', () => {
  it('is top-k for one token and grows toward E with the batch (E · (1 − (1 − k/E)^T))', () => {
    expect(expectedDistinctExperts(8, 2, 1)).toBeCloseTo(2, 12);
    // 8 · (1 − 0.75^4) = 8 · 0.68359375 = 5.46875
    expect(expectedDistinctExperts(8, 2, 4)).toBeCloseTo(5.46875, 12);
    expect(expectedDistinctExperts(256, 8, 10_000)).toBeCloseTo(256, 6);
    expect(expectedDistinctExperts(8, 2, 0)).toBe(0);
  });
});

describe('expectedDistinctExpertsFromLog', () => {
  it('equals expectedDistinctExperts with ln(1 − k/E) precomputed', () => {
    for (const [e, k, t] of [[8, 2, 1], [8, 2, 4], [128, 8, 37.5], [256, 8, 10_000], [4, 4, 3]] as const) {
      expect(expectedDistinctExpertsFromLog(e, Math.log1p(-k / e), t)).toBeCloseTo(expectedDistinctExperts(e, k, t), 9);
    }
    expect(expectedDistinctExpertsFromLog(8, Math.log1p(-2 / 8), 0)).toBe(0);
  });
});

describe('GEMM tiles', () => {
  it('tiledRows charges one whole tile below the tile and half a tile of padding beyond it', () => {
    expect(tiledRows(0, 16)).toBe(0);
    expect(tiledRows(1, 16)).toBe(16);
    expect(tiledRows(8, 16)).toBe(16);
    expect(tiledRows(1000, 16)).toBe(1008);
    // Saturating: the useful share rows / tiledRows grows toward 1.
    expect(1000 / tiledRows(1000, 16)).toBeGreaterThan(100 / tiledRows(100, 16));
  });

  it('expertGemmRows: one token runs k experts at one tile each; a large batch runs all E at their share (gpt-oss-120b: E 128, k 4)', () => {
    const logMiss = Math.log1p(-4 / 128);
    // T = 1: exactly k = 4 experts touched, one 16-row tile each.
    expect(expertGemmRows(128, 4, logMiss, 1, 16)).toBeCloseTo(4 * 16, 9);
    // T = 8192: every expert touched, 8192·4/128 = 256 rows each + half a tile.
    expect(expertGemmRows(128, 4, logMiss, 8192, 16)).toBeCloseTo(128 * (256 + 8), 6);
    // Never fewer rows than the routed ones (T·k), and far fewer than all E experts × a tile at small T.
    for (const t of [1, 2, 4, 16, 64, 256]) {
      const rows = expertGemmRows(128, 4, logMiss, t, 16);
      expect(rows).toBeGreaterThanOrEqual(4 * t);
      expect(rows).toBeLessThanOrEqual(Math.max(128, 4 * t) * 16 + 4 * t);
    }
    expect(expertGemmRows(128, 4, logMiss, 0, 16)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { blockSizeTokens, kvDtypeBytes, kvHeadsPerRank, layerKvSpec, modelKvSpecs } from './kvCache';
import { DEEPSEEK_V3_MLA, GEMMA2_9B, LLAMA_31_8B, testGpu } from '../testArchs';

describe('kvCache', () => {
  it('kvBytesPerToken is 2 × KV heads × head_dim × dtype per attention layer (Llama-3.1-8B: 128 KiB/token)', () => {
    const specs = modelKvSpecs(LLAMA_31_8B, 1, 2, 'bf16');
    const total = specs.reduce((s, l) => s + (l?.bytesPerToken ?? 0), 0);
    // 32 layers × 2 × 8 × 128 × 2 B = 131072 B
    expect(total).toBe(131072);
  });

  it('kvBytesPerToken uses the latent dim for MLA (DeepSeek-V3): (512 + 64) × 2 B, no factor 2, not split by TP', () => {
    const mixer = DEEPSEEK_V3_MLA.layers[0]?.mixer;
    if (mixer === undefined) throw new Error('fixture');
    expect(layerKvSpec(mixer, 1, 2, 2)?.bytesPerToken).toBe(1152);
    expect(layerKvSpec(mixer, 8, 2, 2)?.bytesPerToken).toBe(1152);
  });

  it('KV heads are replicated when TP exceeds them (8 KV heads at TP=16 → 1 per rank)', () => {
    expect(kvHeadsPerRank(8, 2)).toBe(4);
    expect(kvHeadsPerRank(8, 8)).toBe(1);
    expect(kvHeadsPerRank(8, 16)).toBe(1);
    const mixer = LLAMA_31_8B.layers[0]?.mixer;
    if (mixer === undefined) throw new Error('fixture');
    expect(layerKvSpec(mixer, 16, 2, 2)?.bytesPerToken).toBe(2 * 1 * 128 * 2);
  });

  it('FP8 KV halves bytes per token', () => {
    expect(kvDtypeBytes('fp8', 'bf16')).toBe(1);
    expect(kvDtypeBytes('auto', 'bf16')).toBe(2);
    expect(kvDtypeBytes('auto', 'fp32')).toBe(4);
  });

  it('sliding-window layers are their own kind (Gemma-2: 21 sliding + 21 full)', () => {
    const specs = modelKvSpecs(GEMMA2_9B, 1, 2, 'bf16');
    expect(specs.filter((s) => s?.kind === 'sliding-window')).toHaveLength(21);
    expect(specs.filter((s) => s?.kind === 'full-attention')).toHaveLength(21);
  });

  it('block size is 16 by default, 16 for MLA on Hopper (0.19 logs) and 64 for MLA on Blackwell', () => {
    const llama = modelKvSpecs(LLAMA_31_8B, 1, 2, 'bf16');
    const mla = modelKvSpecs(DEEPSEEK_V3_MLA, 1, 2, 'bf16');
    expect(blockSizeTokens(llama, testGpu(), null)).toBe(16);
    expect(blockSizeTokens(mla, testGpu(), null)).toBe(16);
    expect(blockSizeTokens(mla, testGpu(178, 'blackwell'), null)).toBe(64);
    expect(blockSizeTokens(llama, testGpu(), 128)).toBe(128);
  });

  it('a hybrid Mamba model raises the attention block size until one page holds a state', () => {
    // attention 4096 B/token, state 1 MiB → 16 × ceil(1 MiB / (16 × 4096 B)) = 256 tokens
    const specs = [
      { kind: 'full-attention' as const, bytesPerToken: 4096, stateBytes: 0, slidingWindowTokens: null },
      { kind: 'mamba' as const, bytesPerToken: 0, stateBytes: 1024 * 1024, slidingWindowTokens: null },
    ];
    expect(blockSizeTokens(specs, testGpu(), null)).toBe(256);
  });
});

import { describe, expect, it } from 'vitest';
import { MiB } from '../../units';
import { resolveSglangOptions, sglangDefaultMemFractionStatic, sglangMaxRunningRequests } from './sglangDefaults';

describe('SGLang defaults (server_args.py _handle_gpu_memory_settings)', () => {
  it('mem_fraction_static on an 80 GB H100 at TP1: (81,089 − 13,440) / 81,089 MiB = 0.834', () => {
    // reserved = 512 (metadata) + 8192 × 1.5 (prefill chunk) + 256 × 2 (CUDA graphs) + 1/8 × 1024 (TP×PP) = 13,440 MiB.
    expect(sglangDefaultMemFractionStatic(81_089, { tp: 1, pp: 1 }, 8192, 256)).toBe(0.834);
  });

  it('mem_fraction_static on an H100 at TP8 reserves more for CUDA graphs and parallel size: 0.817', () => {
    // reserved = 512 + 12,288 + 512 × 2 + 8/8 × 1024 = 14,848 MiB; (81,089 − 14,848) / 81,089 = 0.8169.
    expect(sglangDefaultMemFractionStatic(81_089, { tp: 8, pp: 1 }, 8192, 512)).toBe(0.817);
  });

  it('the 10 GiB floor applies on GPUs over 60 GiB only', () => {
    // 40 GB class: reserved = 512 + 4096 × 1.5 + 32 × 2 + 128 = 6,848 MiB, no floor: (40,960 − 6,848) / 40,960.
    expect(sglangDefaultMemFractionStatic(40_960, { tp: 1, pp: 1 }, 4096, 32)).toBe(0.833);
    // A tiny explicit chunk on an H200 still reserves 10 GiB.
    expect(sglangDefaultMemFractionStatic(143_165, { tp: 1, pp: 1 }, 128, 1)).toBe(Math.round(((143_165 - 10_240) / 143_165) * 1000) / 1000);
  });

  it('chunked_prefill_size and cuda_graph_max_bs follow the GPU memory class and TP', () => {
    const l4 = { memoryBytes: 22_593 * MiB };
    expect(resolveSglangOptions(l4, { tp: 1, pp: 1 }, undefined)).toMatchObject({ chunkedPrefillSizeTokens: 2048, cudaGraphMaxBs: 24 });
    expect(resolveSglangOptions(l4, { tp: 4, pp: 1 }, undefined)).toMatchObject({ chunkedPrefillSizeTokens: 2048, cudaGraphMaxBs: 80 });
    const b200 = { memoryBytes: 183_359 * MiB };
    expect(resolveSglangOptions(b200, { tp: 8, pp: 1 }, undefined)).toMatchObject({ chunkedPrefillSizeTokens: 16384, cudaGraphMaxBs: 512 });
  });

  it("the user's flags win over the defaults", () => {
    const opts = resolveSglangOptions({ memoryBytes: 81_089 * MiB }, { tp: 1, pp: 1 }, {
      memFractionStatic: 0.7,
      chunkedPrefillSizeTokens: 4096,
      maxRunningRequests: 64,
      cudaGraphMaxBs: 32,
    });
    expect(opts).toEqual({ memFractionStatic: 0.7, chunkedPrefillSizeTokens: 4096, cudaGraphMaxBs: 32, maxRunningRequests: 64 });
  });

  it('max_running_requests: clamp(tokens / context_len × 512, 2048, 4096), at most half the pool', () => {
    // Logged (QwQ-32B, 4 × L4, sglang 0.4.3): max_total_num_tokens=46611, context_len=131072 → 182 → clamped to 2048.
    // That version printed max_running_requests=2049: its pool had one extra slot; the rule is the same.
    expect(sglangMaxRunningRequests(46_611, 131_072, null)).toBe(2048);
    expect(sglangMaxRunningRequests(2_000_000, 8192, null)).toBe(4096);
    expect(sglangMaxRunningRequests(3000, 8192, null)).toBe(1500);
    expect(sglangMaxRunningRequests(100_000, 8192, 48)).toBe(48);
    expect(sglangMaxRunningRequests(60, 8192, 48)).toBe(30);
  });
});

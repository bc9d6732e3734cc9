import { describe, expect, it } from 'vitest';
import type { KvGroupPlan } from '../types';
import { kvPoolFromPlan, poolBlocksFor, tokenBlocksFor } from './kvPool';
import { memoryPlan } from '../testArchs';

describe('kvPoolFromPlan', () => {
  it('a full-attention model holds ⌈tokens / block size⌉ of num_gpu_blocks blocks', () => {
    const plan = memoryPlan(32, 4096, 50e9);
    const pool = kvPoolFromPlan(plan);
    expect(pool.totalBlocks).toBe(plan.numGpuBlocks);
    expect(pool.blockSizeTokens).toBe(16);
    expect(poolBlocksFor(pool, tokenBlocksFor(pool, 1))).toBe(1);
    expect(poolBlocksFor(pool, tokenBlocksFor(pool, 16))).toBe(1);
    expect(poolBlocksFor(pool, tokenBlocksFor(pool, 17))).toBe(2);
    expect(poolBlocksFor(pool, tokenBlocksFor(pool, 1000))).toBe(63);
  });

  it('a sliding-window group stops growing at the window plus one block; full attention keeps growing', () => {
    // Gemma-2-like halves: 2 layers full, 2 layers window 64, same bytes per token per layer.
    const full: KvGroupPlan = { kind: 'full-attention', numLayers: 2, bytesPerTokenPerLayer: 100, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null };
    const sliding: KvGroupPlan = { ...full, kind: 'sliding-window', slidingWindowTokens: 64 };
    const plan = { ...memoryPlan(4, 100, 1e6), kvGroups: [full, sliding], pageBytes: 16 * 4 * 100 };
    const pool = kvPoolFromPlan(plan);
    // Per token block: each group is half a pool block. Window 64 = 4 blocks + 1.
    expect(poolBlocksFor(pool, 2)).toBe(2);
    expect(poolBlocksFor(pool, 10)).toBe(5 + 0.5 * 5);
    expect(poolBlocksFor(pool, 100)).toBe(50 + 0.5 * 5);
  });

  it('an attention-free model never runs out of blocks', () => {
    const plan = { ...memoryPlan(4, 100, 1e6), kvGroups: [], pageBytes: 0 };
    expect(kvPoolFromPlan(plan).totalBlocks).toBe(Infinity);
  });
});

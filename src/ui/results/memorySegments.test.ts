import { describe, expect, it } from 'vitest';
import { GiB } from '../../engine/units';
import { memoryChartRow, selectMemoryBreakdown } from './memorySegments';
import { makeMemory } from './testData';

describe('selectMemoryBreakdown', () => {
  it('splits the GPU into weights, activation, non-torch, KV, CUDA graphs and free, summing to its memory', () => {
    // makeMemory: 80 GiB GPU = 15 weights + 2 activation + 0.25 non-torch + 54.75 KV + 1 graphs + 7 free.
    const data = selectMemoryBreakdown(makeMemory());
    expect(data.segments.map((s) => [s.key, s.bytes / GiB])).toEqual([
      ['weights', 15],
      ['activation', 2],
      ['nonTorch', 0.25],
      ['kvCache', 54.75],
      ['cudaGraph', 1],
      ['free', 7],
    ]);
    expect(data.overcommitBytes).toBe(0);
    expect(data.budgetBytes).toBe(72 * GiB);
  });

  it('reports the overcommit and no free memory when allocations exceed the GPU', () => {
    const data = selectMemoryBreakdown(makeMemory({ gpuMemoryBytes: 40 * GiB, fits: false, kvCacheBytesPerGpu: 0, weightsBytesPerGpu: 45 * GiB }));
    // 45 + 2 + 0.25 + 0 + 1 = 48.25 GiB on a 40 GiB GPU.
    expect(data.overcommitBytes / GiB).toBe(8.25);
    expect(data.segments.at(-1)).toMatchObject({ key: 'free', bytes: 0 });
  });
});

describe('memoryChartRow', () => {
  it('is one record keyed by segment', () => {
    const row = memoryChartRow(selectMemoryBreakdown(makeMemory()));
    expect(row.kvCache / GiB).toBe(54.75);
    expect(row.name).toBe('Per GPU');
  });
});

import { describe, expect, it } from 'vitest';
import { GPU_CATALOG, GPU_IDS } from '../engine/catalog/gpus';
import { GPU_GENERATIONS, type GpuGeneration } from '../engine/types';
import { consideredCount, GPU_GROUP_ORDER, groupConsidered, selectGpuGroups, withGroupConsidered } from './gpuSelection';

describe('selectGpuGroups', () => {
  it('puts every catalog GPU in exactly one group, in a fixed vendor and generation order', () => {
    const groups = selectGpuGroups(GPU_CATALOG);
    const listed = groups.flatMap((g) => g.gpus.map((gpu) => gpu.id));
    expect([...listed].sort()).toEqual([...GPU_IDS].sort());
    expect(new Set(listed).size).toBe(listed.length);
    expect(groups[0]?.label).toBe('NVIDIA Blackwell');
    expect(groups.map((g) => g.key).indexOf('nvidia-hopper')).toBeLessThan(groups.map((g) => g.key).indexOf('nvidia-ampere'));
    expect(groups[groups.length - 1]?.key).toBe('amd-cdna3');
    expect(groups.find((g) => g.key === 'nvidia-hopper')?.gpus.map((g) => g.id)).toContain('H100');
  });

  it('has a place for every generation', () => {
    expect(GPU_GROUP_ORDER.map((g) => g.generation).sort()).toEqual([...GPU_GENERATIONS].sort());
  });

  it('ends with the custom GPUs, and does not depend on any result', () => {
    type GpuLike = { id: string; vendor: 'nvidia' | 'amd'; generation: GpuGeneration };
    const custom: GpuLike[] = [{ id: 'custom:X', vendor: 'nvidia', generation: 'hopper' }];
    const groups = selectGpuGroups<GpuLike>(GPU_CATALOG, custom);
    expect(groups[groups.length - 1]).toEqual({ key: 'custom', label: 'Your custom GPUs', gpus: custom });
    expect(groups.find((g) => g.key === 'nvidia-hopper')?.gpus.map((g) => g.id)).not.toContain('custom:X');
  });
});

describe('group selection', () => {
  const all = ['A', 'B', 'C', 'D'];

  it('reads a group as all, none or some considered', () => {
    expect(groupConsidered(null, ['A', 'B'])).toBe('all');
    expect(groupConsidered(['C'], ['A', 'B'])).toBe('none');
    expect(groupConsidered(['A', 'C'], ['A', 'B'])).toBe('some');
  });

  it('drops and adds a whole group; everything considered is null (short links)', () => {
    const without = withGroupConsidered(null, ['B', 'C'], false, all);
    expect(without).toEqual(['A', 'D']);
    expect(withGroupConsidered(without, ['C', 'B'], true, all)).toBeNull();
    expect(consideredCount(without, all)).toBe(2);
    expect(consideredCount(null, all)).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import type { LayerSpec, ModelArch } from '../types';
import { distinctLayers } from './distinctLayers';

const layer = (window: number | null): LayerSpec =>
  ({
    mixer: { kind: 'attention', numHeads: 8, numKvHeads: 2, headDim: 64, qkvBias: false, slidingWindowTokens: window, outputGate: false, kEqV: false },
    ffn: { kind: 'dense', intermediateSize: 1024, gated: true, activation: 'silu' },
  }) as unknown as LayerSpec;

const arch = (layers: LayerSpec[]): ModelArch => ({ layers, numLayers: layers.length }) as unknown as ModelArch;

describe('distinctLayers', () => {
  it('groups equal layers in first-occurrence order and maps every layer to its group', () => {
    const d = distinctLayers(arch([layer(4096), layer(null), layer(4096), layer(4096), layer(null)]));
    expect(d.groups.map((g) => g.count)).toEqual([3, 2]);
    expect(d.groups[0]?.layer.mixer).toMatchObject({ slidingWindowTokens: 4096 });
    expect(d.groupOf).toEqual([0, 1, 0, 0, 1]);
  });

  it('keeps layers apart that JSON alone would confuse (Infinity vs null)', () => {
    const d = distinctLayers(arch([layer(Infinity), layer(null)]));
    expect(d.groups).toHaveLength(2);
  });
});

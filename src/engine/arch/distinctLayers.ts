/**
 * A model's layers grouped by content: most models repeat one or two layer kinds (48 identical
 * decoder layers), so per-layer arithmetic (parameter shares, FLOPs, bytes) runs once per kind.
 * Pure and uncached: an engine session computes it once per model (cache/modelCaches.ts).
 */
import type { LayerSpec, ModelArch } from '../types';

export interface DistinctLayers {
  /** Each distinct layer once, in first-occurrence order, with how many layers equal it. */
  groups: readonly { layer: LayerSpec; count: number }[];
  /** For each index of arch.layers, its group's index. */
  groupOf: readonly number[];
}

export function distinctLayers(arch: ModelArch): DistinctLayers {
  const byKey = new Map<string, number>();
  const groups: { layer: LayerSpec; count: number }[] = [];
  const groupOf: number[] = [];
  for (const layer of arch.layers) {
    const key = JSON.stringify(layer, exactNumbers);
    let g = byKey.get(key);
    if (g === undefined) {
      g = groups.length;
      byKey.set(key, g);
      groups.push({ layer, count: 0 });
    }
    const group = groups[g];
    if (group !== undefined) group.count += 1;
    groupOf.push(g);
  }
  return { groups, groupOf };
}

/** JSON writes NaN and ±Infinity as null: keep them apart so only truly equal layers share a group. */
function exactNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? `#${String(value)}` : value;
}

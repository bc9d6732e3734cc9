import type { GpuGeneration, GpuSpec, GpuVendor } from '../engine/types';

/**
 * Edits of the "GPU types considered" set and of price overrides, as pure functions. `null` means
 * every GPU, catalog and custom (and keeps links short); an explicit list is kept in `allIds` order.
 */

export function isGpuConsidered(gpuIds: readonly string[] | null, gpuId: string): boolean {
  return gpuIds === null || gpuIds.includes(gpuId);
}

export function withGpuConsidered(
  gpuIds: readonly string[] | null,
  gpuId: string,
  considered: boolean,
  allIds: readonly string[],
): readonly string[] | null {
  const current = new Set(gpuIds ?? allIds);
  if (considered) current.add(gpuId);
  else current.delete(gpuId);
  const next = allIds.filter((id) => current.has(id));
  return next.length === allIds.length ? null : next;
}

/** null removes the override (the catalog's reference price applies again). */
export function withPriceOverride(
  prices: Readonly<Record<string, number>>,
  gpuId: string,
  priceUsdPerHour: number | null,
): Readonly<Record<string, number>> {
  const next = Object.fromEntries(Object.entries(prices).filter(([id]) => id !== gpuId));
  if (priceUsdPerHour !== null) next[gpuId] = priceUsdPerHour;
  return next;
}

/**
 * The one GPU selection, grouped (issue 14): by vendor, then generation, newest first, in this fixed
 * order whatever the model or the result (the table's old per-result filter reordered per model).
 * Custom GPUs follow in their own group. Every generation the catalog types allow has its place.
 */
export const GPU_GROUP_ORDER = [
  { vendor: 'nvidia', generation: 'blackwell', label: 'NVIDIA Blackwell' },
  { vendor: 'nvidia', generation: 'hopper', label: 'NVIDIA Hopper' },
  { vendor: 'nvidia', generation: 'ada', label: 'NVIDIA Ada Lovelace' },
  { vendor: 'nvidia', generation: 'ampere', label: 'NVIDIA Ampere' },
  { vendor: 'nvidia', generation: 'turing', label: 'NVIDIA Turing' },
  { vendor: 'nvidia', generation: 'volta', label: 'NVIDIA Volta' },
  { vendor: 'amd', generation: 'cdna4', label: 'AMD CDNA 4 (Instinct MI350)' },
  { vendor: 'amd', generation: 'cdna3', label: 'AMD CDNA 3 (Instinct MI300)' },
] as const satisfies readonly { vendor: GpuVendor; generation: GpuGeneration; label: string }[];

export const CUSTOM_GPU_GROUP_LABEL = 'Your custom GPUs';

export interface GpuGroup<G extends Pick<GpuSpec, 'id' | 'vendor' | 'generation'> = GpuSpec> {
  /** "nvidia-hopper", or "custom". */
  key: string;
  label: string;
  /** In catalog order. */
  gpus: G[];
}

/** The catalog's GPUs in GPU_GROUP_ORDER groups (empty groups left out), then the custom GPUs as one group. */
export function selectGpuGroups<G extends Pick<GpuSpec, 'id' | 'vendor' | 'generation'>>(catalog: readonly G[], custom: readonly G[] = []): GpuGroup<G>[] {
  const groups: GpuGroup<G>[] = GPU_GROUP_ORDER.map((g) => ({
    key: `${g.vendor}-${g.generation}`,
    label: g.label,
    gpus: catalog.filter((gpu) => gpu.vendor === g.vendor && gpu.generation === g.generation),
  }));
  if (custom.length > 0) groups.push({ key: 'custom', label: CUSTOM_GPU_GROUP_LABEL, gpus: [...custom] });
  return groups.filter((g) => g.gpus.length > 0);
}

/** Whether every, none or some of `ids` are considered (a group checkbox: checked, unchecked, mixed). */
export function groupConsidered(gpuIds: readonly string[] | null, ids: readonly string[]): 'all' | 'none' | 'some' {
  const count = ids.filter((id) => isGpuConsidered(gpuIds, id)).length;
  if (count === ids.length) return 'all';
  return count === 0 ? 'none' : 'some';
}

/** Considers (or drops) every GPU of a group at once; same rules as withGpuConsidered. */
export function withGroupConsidered(gpuIds: readonly string[] | null, ids: readonly string[], considered: boolean, allIds: readonly string[]): readonly string[] | null {
  const current = new Set(gpuIds ?? allIds);
  for (const id of ids) {
    if (considered) current.add(id);
    else current.delete(id);
  }
  const next = allIds.filter((id) => current.has(id));
  return next.length === allIds.length ? null : next;
}

/** How many of `allIds` are considered. */
export function consideredCount(gpuIds: readonly string[] | null, allIds: readonly string[]): number {
  return allIds.filter((id) => isGpuConsidered(gpuIds, id)).length;
}

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

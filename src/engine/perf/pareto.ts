/**
 * Pareto frontier of latency vs cost: the configurations no other one beats on both.
 */

export interface CostLatency {
  usdPerMillionOutputTokens: number;
  latencyMs: number;
}

/**
 * Indices of the non-dominated items, by ascending cost: walking from cheapest to dearest, keep an
 * item only if it is strictly faster than every cheaper one kept (ties on cost: the faster first).
 */
export function paretoFrontier(items: readonly CostLatency[]): number[] {
  const order = items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => Number.isFinite(item.usdPerMillionOutputTokens) && Number.isFinite(item.latencyMs))
    .sort((a, b) => a.item.usdPerMillionOutputTokens - b.item.usdPerMillionOutputTokens || a.item.latencyMs - b.item.latencyMs);
  const out: number[] = [];
  let bestLatency = Infinity;
  for (const { item, index } of order) {
    if (item.latencyMs < bestLatency) {
      out.push(index);
      bestLatency = item.latencyMs;
    }
  }
  return out;
}

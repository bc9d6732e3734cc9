/**
 * The one cache container of the engine session (session.ts): a Map with a size bound and one
 * eviction rule — when full, the entry inserted first is dropped (FIFO; Map keeps insertion
 * order). A recommendation fills a few hundred entries per cache; the bound only matters for a page
 * that sweeps a serving option while one model stays loaded, where the oldest options are the least
 * likely to come back. Cached values are shared: callers must not mutate them.
 */
export interface BoundedCache<V> {
  /** The value for `key`, computed by `compute()` on a miss and kept until evicted. */
  getOrCompute(key: string, compute: () => V): V;
  readonly size: number;
  readonly maxEntries: number;
}

export function boundedCache<V>(maxEntries: number): BoundedCache<V> {
  if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) throw new Error(`boundedCache: maxEntries must be a positive integer, got ${maxEntries}`);
  const map = new Map<string, V>();
  return {
    getOrCompute(key, compute) {
      const hit = map.get(key);
      if (hit !== undefined || map.has(key)) return hit as V;
      const value = compute();
      if (map.size >= maxEntries) {
        const oldest = map.keys().next();
        if (oldest.done !== true) map.delete(oldest.value);
      }
      map.set(key, value);
      return value;
    },
    get size() {
      return map.size;
    },
    maxEntries,
  };
}

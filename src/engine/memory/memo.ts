/**
 * Per-model memoization for the planner's GPU-independent parts (weights per rank, activation peak,
 * KV specs and layout). A recommendation plans every GPU × layout; these parts depend on the layout
 * and serving options but not on the GPU's memory, so they are computed once per model and key
 * instead of once per GPU (27×). Keyed by the ModelArch object (WeakMap): the cache dies with it.
 */
const caches = new WeakMap<object, Map<string, unknown>>();

/** The value of `compute()` for (owner, key), computed once. Callers must not mutate the result. */
export function memoFor<T>(owner: object, key: string, compute: () => T): T {
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = new Map();
    caches.set(owner, cache);
  }
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  cache.set(key, value);
  return value;
}

/**
 * The engine's one cache: values computed from a model (or any owner object) and a string key,
 * kept on the owner (WeakMap) so they die with it. Everything that depends on the model but not
 * on the workload goes here — quantization, KV specs, prepared layouts (memory/prepareLayout.ts),
 * per-GPU memory plans and per-layout model costs (recommend.ts) — so that moving the workload or
 * SLO inputs re-ranks without re-planning, and a recommendation plans each GPU-independent piece
 * once instead of 27×.
 *
 * Bounded: past MAX_ENTRIES_PER_OWNER keys an owner's cache starts over (a UI that sweeps a serving
 * option would otherwise grow it for as long as the model stays loaded; a recommendation needs a
 * few hundred). Cached values are shared: callers must not mutate them.
 */
const caches = new WeakMap<object, Map<string, unknown>>();

/** Keys remembered per owner before its cache is cleared. */
export const MAX_ENTRIES_PER_OWNER = 8192;

/** The value of `compute()` for (owner, key), computed once while the entry lasts. */
export function memoFor<T>(owner: object, key: string, compute: () => T): T {
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = new Map();
    caches.set(owner, cache);
  }
  const hit = cache.get(key);
  if (hit !== undefined || cache.has(key)) return hit as T;
  const value = compute();
  if (cache.size >= MAX_ENTRIES_PER_OWNER) cache.clear();
  cache.set(key, value);
  return value;
}

/** Entries an owner holds now (tests of the bound). */
export function memoSize(owner: object): number {
  return caches.get(owner)?.size ?? 0;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

/**
 * A small number naming an object for cache keys: objects that are not plain values (a resolved
 * quantization, a GPU spec that a user may edit under the same id) are keyed by identity.
 */
export function objectId(obj: object): number {
  let id = objectIds.get(obj);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(obj, id);
  }
  return id;
}

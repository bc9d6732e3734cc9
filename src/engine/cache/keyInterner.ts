/**
 * Short stand-ins for long cache keys. Every memory plan's key starts with its GPU + serving key
 * (gpuPlanKey writes the GPU's TFLOPS, interconnect and network tables: ~530 characters), the same for
 * every layout of that GPU; the plans cache hashed and kept one such string per plan (~830 per
 * Qwen3-30B-A3B recommendation, ~0.45 MB; npm run bench). The interner gives each distinct key a
 * short id once per session, and plan keys carry the id instead (recommend.ts gpuServingKeyOf).
 *
 * Safe by construction: ids come from a counter and are never reused, so two different keys never
 * share an id, even after one is evicted (it then gets a new id: a cache miss, never a stale value);
 * ids start with '@', which no key starts with (every key starts with its type's name, keys.ts), so
 * an id never equals a key.
 */
import { boundedCache } from './boundedCache';

export interface KeyInterner {
  /** The session's id of `key`: the same id for the same key while it is kept, never another key's. */
  idOf(key: string): string;
  readonly size: number;
}

export function keyInterner(maxEntries: number): KeyInterner {
  const ids = boundedCache<string>(maxEntries);
  let issued = 0;
  return {
    idOf: (key) =>
      ids.getOrCompute(key, () => {
        issued += 1;
        return `@${issued}`;
      }),
    get size() {
      return ids.size;
    },
  };
}

/**
 * Prefix caching in the simulator: each drawn request's cache hit by the ONE rule of
 * perf/prefixCache.ts (prefixCacheUse: vLLM / TensorRT-LLM whole blocks ≤ isl − 1, SGLang's radix
 * cache token by token), at that request's own prompt length. The replica carries the rule
 * (fromEngine.ts); simulate.ts reads the per-request arrays: a request starts with its cached
 * tokens computed (its prefill chunks cover only the rest, each suffix token attending the whole
 * prompt as suffixPrefillContextTokens charges the closed form), its KV blocks cover the whole
 * prompt, and the shared prefix's full-attention blocks are held once in the pool.
 */
import type { PrefixCacheUse } from '../perf/prefixCache';
import type { SimRequests } from './load';

/** A configuration's prefix-cache rule: what one request of `inputTokens` prompt tokens finds cached. */
export type PrefixCacheRule = (inputTokens: number) => PrefixCacheUse;

/**
 * `requests` with their cachedPromptTokens / sharedPrefixTokens filled by `rule`; the same object
 * (no arrays) when no request hits, so a run without prefix caching is exactly the run before it.
 */
export function withPrefixCache(requests: SimRequests, rule: PrefixCacheRule | undefined): SimRequests {
  if (rule === undefined) return requests;
  const n = requests.count;
  const cached = new Int32Array(n);
  const shared = new Int32Array(n);
  let any = false;
  for (let i = 0; i < n; i += 1) {
    const use = rule(requests.inputTokens[i] ?? 0);
    cached[i] = use.cachedTokensPerRequest;
    shared[i] = Math.min(use.sharedPoolTokens, use.cachedTokensPerRequest);
    if (use.cachedTokensPerRequest > 0) any = true;
  }
  return any ? { ...requests, cachedPromptTokens: cached, sharedPrefixTokens: shared } : requests;
}

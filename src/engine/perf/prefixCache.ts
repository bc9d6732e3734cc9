/**
 * Automatic prefix caching: how many of a prompt's tokens an engine finds already in its KV cache,
 * and what that saves. One rule, read by the closed form (estimatePerf.ts replicaModel) in one place.
 *
 * Inputs (ResolvedServingOptions.prefixCache): a shared prefix every request carries (system prompt,
 * few-shot examples) and/or a hit rate, the fraction of each prompt's tokens found in the cache.
 * Requested hit = max(shared prefix, ⌊hitRate · isl⌋) (the hit rate, when measured, already counts
 * the shared prefix; the larger of the two is what the cache holds).
 *
 * Granularity:
 * - vLLM V1 (prefix caching on by default) hashes FULL blocks only and stops one token short of the
 *   prompt: "When all tokens hit the cache, we must recompute the last token to obtain logits",
 *   `max_cache_hit_length = request.num_tokens - 1` (vllm/v1/core/kv_cache_manager.py
 *   `get_computed_blocks`, then `find_longest_cache_hit` over block hashes). So
 *   hit = ⌊min(requested, isl − 1) / block_size⌋ · block_size.
 * - SGLang's radix cache matches token by token (RadixCache.match_prefix with the default
 *   `--page-size 1`), also capped at input_len − 1 (python/sglang/srt/managers/schedule_batch.py
 *   `max_prefix_len = input_len - 1`): hit = min(requested, isl − 1), no rounding.
 * - TensorRT-LLM's KV cache reuse is block-granular like vLLM (tokens_per_block of its plan).
 *
 * What a hit changes: the prefill computes only the isl − hit suffix tokens (linear layers, LM head,
 * KV writes), but every suffix query still attends over the whole context, cached part included
 * (suffixPrefillContextTokens). In the KV pool, the shared prefix's full blocks are held once and
 * referenced by every running request (vLLM's block ref_cnt; SGLang's radix tree nodes), so each
 * request needs only its own isl + osl − shared tokens.
 *
 * APPROXIMATIONS: every request hits as much as the input says (no warm-up, no eviction of the
 * shared blocks under pressure); the hit-rate part is not counted as shared in the pool (in a
 * multi-turn chat it is the request's own history, held per request); sliding-window and
 * constant-state layers (Mamba, linear attention) get no pool saving (their blocks slide or are
 * per request). The request-level simulator applies this same rule per request (engine/sim/prefix.ts).
 * Multi-chunk prompts: the closed form prices every prefill chunk whole (serving.ts flowPass), so TTFT
 * is a sawtooth in the hit there, not monotone (prefixCache.property.test.ts states the measured size).
 */
import type { KvGroupPlan, PrefixCacheOptions, ServingEngine } from '../types';
import { SGLANG_PAGE_SIZE_TOKENS } from '../memory/engines/sglangPlan';
import { meanPrefillContextTokens } from './flops';

/** What prefix caching does to one request of a configuration. */
export interface PrefixCacheUse {
  /** Prompt tokens per request found in the cache (not computed by the prefill). */
  cachedTokensPerRequest: number;
  /** Tokens of the shared prefix held once in the KV pool for all running requests. */
  sharedPoolTokens: number;
}

export const NO_PREFIX_CACHE_USE: PrefixCacheUse = { cachedTokensPerRequest: 0, sharedPoolTokens: 0 };

/** Tokens per cache unit: vLLM / TensorRT-LLM match full blocks, SGLang's radix cache its page (1 token by default). */
export function prefixGranularityTokens(engine: ServingEngine, blockSizeTokens: number): number {
  if (engine === 'sglang') return SGLANG_PAGE_SIZE_TOKENS;
  return Math.max(1, Math.floor(blockSizeTokens));
}

/** Whole cache units of `tokens`, at most isl − 1 (the last prompt token is always recomputed). */
function hitTokens(tokens: number, inputTokens: number, granularityTokens: number): number {
  const capped = Math.max(0, Math.min(Math.floor(tokens), inputTokens - 1));
  return Math.floor(capped / granularityTokens) * granularityTokens;
}

/** The module's rule: cached tokens per request and the shared part of the pool (see the header). */
export function prefixCacheUse(options: PrefixCacheOptions | undefined, engine: ServingEngine, inputTokens: number, blockSizeTokens: number): PrefixCacheUse {
  const isl = Math.max(0, Math.floor(inputTokens));
  if (options === undefined || isl <= 1) return NO_PREFIX_CACHE_USE;
  const shared = Math.max(0, options.sharedPrefixTokens);
  const requested = Math.max(Math.min(shared, isl), Math.floor(Math.max(0, options.hitRate) * isl));
  if (requested <= 0) return NO_PREFIX_CACHE_USE;
  const granularity = prefixGranularityTokens(engine, blockSizeTokens);
  return {
    cachedTokensPerRequest: hitTokens(requested, isl, granularity),
    sharedPoolTokens: hitTokens(shared, isl, granularity),
  };
}

/**
 * Mean causal context of the prompt tokens the prefill still computes (positions cached + 1 … isl),
 * clipped to the window: Σ_{c=h+1..L} min(c, w) / (L − h), from the whole-prompt sums of flops.ts.
 * The suffix attends over the cached prefix too, so this is larger than the suffix's own mean.
 */
export function suffixPrefillContextTokens(inputTokens: number, cachedTokens: number, windowTokens: number | null): number {
  const L = Math.max(0, inputTokens);
  const h = Math.min(Math.max(0, cachedTokens), L);
  if (h === 0) return meanPrefillContextTokens(L, windowTokens);
  if (L - h <= 0) return 0;
  return (L * meanPrefillContextTokens(L, windowTokens) - h * meanPrefillContextTokens(h, windowTokens)) / (L - h);
}

/**
 * KV bytes on this rank the shared prefix occupies once in the pool: the full-attention (and MLA)
 * layers' `sharedPoolTokens`. Sliding-window and constant-state layers are left per request (see the header).
 */
export function sharedPrefixKvBytes(kvGroups: readonly KvGroupPlan[], sharedPoolTokens: number): number {
  if (sharedPoolTokens <= 0) return 0;
  let bytes = 0;
  for (const g of kvGroups) {
    if (g.slidingWindowTokens === null) bytes += g.numLayers * g.bytesPerTokenPerLayer * sharedPoolTokens;
  }
  return bytes;
}

/**
 * From per-layer cache specs to vLLM's block-table groups, pages and block counts, following
 * vllm/v1/core/kv_cache_utils.py (get_kv_cache_groups, _get_kv_cache_groups_uniform_page_size,
 * get_kv_cache_config_from_groups, get_max_concurrency_for_kv_cache_config,
 * _max_memory_usage_bytes_from_groups, _report_kv_cache_config).
 */
import type { LayerKvSpec } from './kvCache';

/** A layer's spec with its page: bytes of one block of `blockSizeTokens` tokens. */
interface PagedSpec {
  spec: LayerKvSpec;
  blockSizeTokens: number;
  pageBytes: number;
}

export interface BlockTableGroup {
  /** Global layer indices sharing this block table (all stages). */
  layerIndices: number[];
  paged: PagedSpec;
}

export type KvCacheLayoutKind = 'attention-free' | 'uniform-spec' | 'uniform-type' | 'uniform-page';

export interface KvCacheLayout {
  kind: KvCacheLayoutKind;
  groups: BlockTableGroup[];
  /** Per-layer specs of all layers (global index; null = the layer caches nothing). */
  layers: (PagedSpec | null)[];
}

function specKey(p: PagedSpec): string {
  return `${p.spec.kind}|${p.blockSizeTokens}|${p.pageBytes}|${p.spec.slidingWindowTokens ?? ''}`;
}

/** UniformTypeKVCacheSpecs.is_uniform_type: same number of token slots per request (MLA is a FullAttentionSpec). */
function typeKey(p: PagedSpec): string {
  switch (p.spec.kind) {
    case 'full-attention':
    case 'mla':
      return 'full';
    case 'sliding-window':
      return `sliding:${p.spec.slidingWindowTokens ?? ''}`;
    case 'mamba':
    case 'linear-attention':
      return 'mamba';
    default: {
      const _exhaustive: never = p.spec.kind;
      return _exhaustive;
    }
  }
}

/**
 * Pages per layer. Attention: block × bytes/token. Mamba / DeltaNet: one state per block, padded to
 * the attention page (mamba_page_size_padded) in hybrid models; their block size is max_model_len
 * (mamba_block_size, cache mode "none").
 */
function pagedSpecs(specs: readonly (LayerKvSpec | null)[], blockSizeTokens: number, maxModelLenTokens: number): (PagedSpec | null)[] {
  const attnPageBytes = Math.max(0, ...specs.map((s) => (s?.bytesPerToken ?? 0) * blockSizeTokens));
  return specs.map((spec) =>
    spec === null
      ? null
      : spec.bytesPerToken > 0
      ? { spec, blockSizeTokens, pageBytes: spec.bytesPerToken * blockSizeTokens }
      : { spec, blockSizeTokens: maxModelLenTokens, pageBytes: Math.max(spec.stateBytes, attnPageBytes) },
  );
}

/** get_kv_cache_groups for the whole model (global layer list). */
export function kvCacheLayout(
  specs: readonly (LayerKvSpec | null)[],
  blockSizeTokens: number,
  maxModelLenTokens: number,
): { ok: true; value: KvCacheLayout } | { ok: false; error: string } {
  let layers = pagedSpecs(specs, blockSizeTokens, maxModelLenTokens);
  const allIndices = layers.flatMap((l, i) => (l === null ? [] : [i]));
  const present = layers.filter((l): l is PagedSpec => l !== null);
  const first = present[0];
  if (first === undefined) return { ok: true, value: { kind: 'attention-free', groups: [], layers } };

  if (present.every((l) => specKey(l) === specKey(first)))
    return { ok: true, value: { kind: 'uniform-spec', groups: [{ layerIndices: allIndices, paged: first }], layers } };
  if (present.every((l) => typeKey(l) === typeKey(first) && l.blockSizeTokens === first.blockSizeTokens))
    return { ok: true, value: { kind: 'uniform-type', groups: [{ layerIndices: allIndices, paged: first }], layers } };

  // unify_kv_cache_spec_page_size: raise the block size of layers with smaller pages.
  const maxPage = Math.max(...present.map((l) => l.pageBytes));
  for (const l of present) {
    if (maxPage % l.pageBytes !== 0)
      return { ok: false, error: `page sizes ${l.pageBytes} and ${maxPage} bytes cannot be unified (vLLM raises NotImplementedError)` };
  }
  layers = layers.map((l) =>
    l === null || l.pageBytes === maxPage ? l : { ...l, blockSizeTokens: (l.blockSizeTokens * maxPage) / l.pageBytes, pageBytes: maxPage },
  );

  // _get_kv_cache_groups_uniform_page_size: same-spec layers, split into groups of group_size layers.
  const byKey = new Map<string, number[]>();
  layers.forEach((l, i) => {
    if (l === null) return;
    const key = specKey(l);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const counts = [...byKey.values()].map((v) => v.length);
  const minLayers = Math.min(...counts);
  const maxLayers = Math.max(...counts);
  // "If the number of layers is not much larger than the minimum … use the maximum" (1.5 heuristic).
  const groupSize = maxLayers < minLayers * 1.5 ? maxLayers : minLayers;
  const groups: BlockTableGroup[] = [];
  for (const indices of byKey.values()) {
    const numGroups = Math.ceil(indices.length / groupSize);
    for (let g = 0; g < numGroups; g += 1) {
      const layerIndices = indices.filter((_, k) => k % numGroups === g);
      const firstIndex = layerIndices[0];
      const paged = firstIndex === undefined ? null : layers[firstIndex];
      if (paged) groups.push({ layerIndices, paged });
    }
  }
  return { ok: true, value: { kind: 'uniform-page', groups, layers } };
}

/** Per-request worst case of one layer spec (KVCacheSpec.max_memory_usage_bytes). */
export function maxMemoryUsageBytes(p: PagedSpec, maxModelLenTokens: number, maxNumBatchedTokens: number): number {
  switch (p.spec.kind) {
    case 'full-attention':
    case 'mla':
      return Math.ceil(maxModelLenTokens / p.blockSizeTokens) * p.pageBytes;
    case 'sliding-window': {
      // SlidingWindowSpec: window − 1 computed tokens plus a chunk of new ones, +1 block because the
      // window need not start at a block boundary.
      const windowTokens = p.spec.slidingWindowTokens ?? maxModelLenTokens;
      const tokens = Math.min(windowTokens - 1 + maxNumBatchedTokens, maxModelLenTokens);
      return (Math.ceil(tokens / p.blockSizeTokens) + 1) * p.pageBytes;
    }
    case 'mamba':
    case 'linear-attention':
      // MambaSpec, mamba_cache_mode "none": one state per request.
      return p.pageBytes;
    default: {
      const _exhaustive: never = p.spec.kind;
      return _exhaustive;
    }
  }
}

/** One stage's view of the layout (_project_kv_cache_groups_to_worker). */
export interface StageKvView {
  layout: KvCacheLayout;
  /** Layer indices [start, end) of this stage. */
  start: number;
  end: number;
}

function groupLayersOnStage(view: StageKvView, g: BlockTableGroup): number[] {
  return g.layerIndices.filter((i) => i >= view.start && i < view.end);
}

/** Bytes of one block across the layers that share it on this stage (what one block id costs). */
export function bytesPerBlock(view: StageKvView): { pageBytes: number; layersPerBlock: number } {
  const { layout } = view;
  if (layout.kind === 'attention-free') return { pageBytes: 0, layersPerBlock: 0 };
  if (layout.kind === 'uniform-type') {
    let sum = 0;
    for (let i = view.start; i < view.end; i += 1) sum += layout.layers[i]?.pageBytes ?? 0;
    return { pageBytes: sum, layersPerBlock: 1 };
  }
  const layersPerBlock = Math.max(0, ...layout.groups.map((g) => groupLayersOnStage(view, g).length));
  return { pageBytes: layout.groups[0]?.paged.pageBytes ?? 0, layersPerBlock };
}

/** get_kv_cache_config_from_groups: num_blocks = available // page // group_size. */
export function numBlocksForMemory(view: StageKvView, availableBytes: number): number {
  if (view.layout.kind === 'attention-free') return 1;
  const { pageBytes, layersPerBlock } = bytesPerBlock(view);
  if (pageBytes <= 0 || layersPerBlock <= 0 || availableBytes <= 0) return 0;
  return Math.max(0, Math.floor(Math.floor(availableBytes / pageBytes) / layersPerBlock));
}

/** Per-group page (for uniform-type: the sum over the stage's layers) and worst-case bytes per request. */
function groupPagesAndMax(view: StageKvView, maxModelLenTokens: number, maxNumBatchedTokens: number): { page: number; maxBytes: number }[] {
  const { layout } = view;
  if (layout.kind === 'uniform-type') {
    let pageSum = 0;
    let maxPages = 0;
    for (let i = view.start; i < view.end; i += 1) {
      const p = layout.layers[i];
      if (p === undefined || p === null) continue;
      pageSum += p.pageBytes;
      maxPages = Math.max(maxPages, Math.ceil(maxMemoryUsageBytes(p, maxModelLenTokens, maxNumBatchedTokens) / p.pageBytes));
    }
    return [{ page: pageSum, maxBytes: maxPages * pageSum }];
  }
  return layout.groups.map((g) => ({
    page: g.paged.pageBytes,
    maxBytes: maxMemoryUsageBytes(g.paged, maxModelLenTokens, maxNumBatchedTokens),
  }));
}

/** Blocks one request of max_model_len tokens takes (get_max_concurrency_for_kv_cache_config). */
export function blocksPerRequest(view: StageKvView, maxModelLenTokens: number, maxNumBatchedTokens: number): number {
  const groups = groupPagesAndMax(view, maxModelLenTokens, maxNumBatchedTokens);
  const page0 = groups[0]?.page ?? 0;
  if (page0 <= 0) return 0;
  const total = groups.reduce((s, g) => s + g.maxBytes, 0);
  return Math.ceil(total / page0);
}

/** "Maximum concurrency for N tokens per request": num_blocks / blocks per request. */
export function maxConcurrency(view: StageKvView, numBlocks: number, maxModelLenTokens: number, maxNumBatchedTokens: number): number {
  const perRequest = blocksPerRequest(view, maxModelLenTokens, maxNumBatchedTokens);
  return perRequest > 0 ? numBlocks / perRequest : 0;
}

/** KV bytes one request of max_model_len needs on this stage (_max_memory_usage_bytes_from_groups). */
export function neededBytesForOneRequest(view: StageKvView, maxModelLenTokens: number, maxNumBatchedTokens: number): number {
  const { layout } = view;
  if (layout.kind === 'attention-free') return 0;
  if (layout.kind === 'uniform-type') {
    let sum = 0;
    for (let i = view.start; i < view.end; i += 1) {
      const p = layout.layers[i];
      if (p !== undefined && p !== null) sum += maxMemoryUsageBytes(p, maxModelLenTokens, maxNumBatchedTokens);
    }
    return sum;
  }
  const { pageBytes, layersPerBlock } = bytesPerBlock(view);
  const blocks = layout.groups.reduce(
    (s, g) => s + Math.ceil(maxMemoryUsageBytes(g.paged, maxModelLenTokens, maxNumBatchedTokens) / pageBytes),
    0,
  );
  return layersPerBlock * pageBytes * blocks;
}

/** vLLM 0.19's "GPU KV cache size: N tokens": num_blocks // num_groups × min block size. */
export function kvCacheTokens(layout: KvCacheLayout, numBlocks: number): number {
  if (layout.groups.length === 0) return 0;
  const minBlock = Math.min(...layout.groups.map((g) => g.paged.blockSizeTokens));
  return Math.floor(numBlocks / layout.groups.length) * minBlock;
}

/**
 * Binary search (vLLM's estimate_max_model_len): the largest length in [1, capTokens] for which
 * `fits` holds, given that it holds at 1 and never turns true again once false.
 */
function largestFitting(fits: (len: number) => boolean, capTokens: number): number {
  let lo = 1;
  let hi = capTokens;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Largest max_model_len whose one request fits `availableBytes` (estimate_max_model_len: binary
 * search), up to `capTokens`.
 */
export function maxFittingModelLen(view: StageKvView, availableBytes: number, maxNumBatchedTokens: number, capTokens: number): number {
  const fits = (len: number): boolean => neededBytesForOneRequest(view, len, maxNumBatchedTokens) <= availableBytes;
  if (capTokens < 1 || !fits(1)) return 0;
  return largestFitting(fits, capTokens);
}

// ---------------------------------------------------------------------------------------------
// Per-stage figures precomputed once per (layout, serving options) for the planner's per-GPU step
// ---------------------------------------------------------------------------------------------

/** Layers of one spec on a stage (uniform-type): maxMemoryUsageBytes depends on these fields only. */
interface SpecCount {
  paged: PagedSpec;
  count: number;
}

/**
 * What one stage's block count, per-request bytes and largest fitting max_model_len need, built
 * once from a StageKvView so the per-GPU step does no per-layer work. Same numbers as
 * numBlocksForMemory / neededBytesForOneRequest / maxFittingModelLen on the view (the planner's
 * snapshot test checks the plans bit for bit). Those per-view functions are the reference; these
 * *FromCosts versions stay separate because the planner calls them per GPU × layout × stage of a
 * recommendation, and blocks.property.test.ts checks that both agree exactly (fast-check).
 */
export interface StageKvCosts {
  kind: KvCacheLayoutKind;
  /** bytesPerBlock(view). */
  pageBytes: number;
  layersPerBlock: number;
  /** uniform-spec / uniform-page: every block-table group's paged spec, in group order. */
  groupSpecs: readonly PagedSpec[];
  /** uniform-type: the stage's layers, in order (the exact per-layer sum)… */
  stageLayers: readonly PagedSpec[];
  /** …and the same layers counted per distinct spec (the fast sum, used while it is exact). */
  specCounts: readonly SpecCount[];
  /** Every page size is a safe integer, so every term of the fast sum is one. */
  integerPages: boolean;
}

export function stageKvCosts(view: StageKvView): StageKvCosts {
  const { layout } = view;
  const { pageBytes, layersPerBlock } = bytesPerBlock(view);
  const stageLayers: PagedSpec[] = [];
  const specCounts: SpecCount[] = [];
  if (layout.kind === 'uniform-type') {
    const byKey = new Map<string, SpecCount>();
    for (let i = view.start; i < view.end; i += 1) {
      const p = layout.layers[i];
      if (p === undefined || p === null) continue;
      stageLayers.push(p);
      const key = `${p.spec.kind}|${p.spec.slidingWindowTokens ?? ''}|${p.blockSizeTokens}|${p.pageBytes}`;
      const entry = byKey.get(key);
      if (entry === undefined) {
        const created = { paged: p, count: 1 };
        byKey.set(key, created);
        specCounts.push(created);
      } else entry.count += 1;
    }
  }
  return {
    kind: layout.kind,
    pageBytes,
    layersPerBlock,
    groupSpecs: layout.groups.map((g) => g.paged),
    stageLayers,
    specCounts,
    integerPages: specCounts.every((c) => Number.isSafeInteger(c.paged.pageBytes)),
  };
}

/** numBlocksForMemory from precomputed costs. */
export function numBlocksFromCosts(costs: StageKvCosts, availableBytes: number): number {
  if (costs.kind === 'attention-free') return 1;
  const { pageBytes, layersPerBlock } = costs;
  if (pageBytes <= 0 || layersPerBlock <= 0 || availableBytes <= 0) return 0;
  return Math.max(0, Math.floor(Math.floor(availableBytes / pageBytes) / layersPerBlock));
}

/** neededBytesForOneRequest from precomputed costs. */
export function neededBytesFromCosts(costs: StageKvCosts, maxModelLenTokens: number, maxNumBatchedTokens: number): number {
  if (costs.kind === 'attention-free') return 0;
  if (costs.kind === 'uniform-type') {
    // Σ count × bytes equals the per-layer sum exactly while every term and the total are safe
    // integers (then no partial sum rounds); otherwise add layer by layer as vLLM's loop does.
    let sum = 0;
    for (const { paged, count } of costs.specCounts) sum += count * maxMemoryUsageBytes(paged, maxModelLenTokens, maxNumBatchedTokens);
    if (costs.integerPages && Number.isSafeInteger(sum)) return sum;
    sum = 0;
    for (const p of costs.stageLayers) sum += maxMemoryUsageBytes(p, maxModelLenTokens, maxNumBatchedTokens);
    return sum;
  }
  const { pageBytes, layersPerBlock } = costs;
  let blocks = 0;
  for (const paged of costs.groupSpecs) blocks += Math.ceil(maxMemoryUsageBytes(paged, maxModelLenTokens, maxNumBatchedTokens) / pageBytes);
  return layersPerBlock * pageBytes * blocks;
}

/**
 * Where the search of maxFittingModelLenFromCosts can start: for block-table groups of one page size,
 * the length at which the full-attention groups use the blocks the others leave at their largest
 * (sliding windows full, one state per Mamba layer). null when there is no such estimate.
 */
function fittingLenEstimate(costs: StageKvCosts, availableBytes: number, maxNumBatchedTokens: number, capTokens: number): number | null {
  if (costs.kind !== 'uniform-spec' && costs.kind !== 'uniform-page') return null;
  const { pageBytes, layersPerBlock } = costs;
  if (!(pageBytes > 0 && layersPerBlock > 0)) return null;
  let fullGroups = 0;
  let fullBlockTokens = 0;
  let otherBlocks = 0;
  for (const paged of costs.groupSpecs) {
    if (paged.spec.kind === 'full-attention' || paged.spec.kind === 'mla') {
      if (fullGroups > 0 && paged.blockSizeTokens !== fullBlockTokens) return null;
      fullGroups += 1;
      fullBlockTokens = paged.blockSizeTokens;
    } else otherBlocks += Math.ceil(maxMemoryUsageBytes(paged, capTokens, maxNumBatchedTokens) / pageBytes);
  }
  if (fullGroups === 0) return capTokens;
  const blocks = Math.floor(availableBytes / (layersPerBlock * pageBytes)) - otherBlocks;
  return Math.floor(blocks / fullGroups) * fullBlockTokens;
}

/**
 * maxFittingModelLen from precomputed costs: the same answer as its binary search, the largest
 * length in [1, cap] whose request fits (the bytes one request needs never fall as the length grows:
 * every term is a non-decreasing step function of it). An estimate is tried first and kept when it
 * fits and one token more does not; otherwise the binary search runs as in maxFittingModelLen.
 */
export function maxFittingModelLenFromCosts(
  costs: StageKvCosts,
  availableBytes: number,
  maxNumBatchedTokens: number,
  capTokens: number,
): number {
  const fits = (len: number): boolean => neededBytesFromCosts(costs, len, maxNumBatchedTokens) <= availableBytes;
  if (capTokens < 1 || !fits(1)) return 0;
  const estimate = fittingLenEstimate(costs, availableBytes, maxNumBatchedTokens, capTokens);
  if (estimate !== null && Number.isInteger(estimate) && Number.isInteger(capTokens)) {
    const guess = Math.min(Math.max(estimate, 1), capTokens);
    if (fits(guess) && (guess === capTokens || !fits(guess + 1))) return guess;
  }
  return largestFitting(fits, capTokens);
}

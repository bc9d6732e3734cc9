/**
 * The replica's KV-cache pool as the simulator spends it: vLLM's block pool of num_gpu_blocks
 * blocks (vllm/v1/core/block_pool.py), a request holding blocks for the tokens it has computed,
 * allocated block by block as it grows (vllm/v1/core/kv_cache_manager.py allocate_slots) and all
 * freed when it finishes or is preempted.
 *
 * A block id of the pool is one page in every layer that shares it (MemoryPlan.pageBytes = page ×
 * layers per block). A request at T tokens holds, per KV group, its bytes at T rounded up to whole
 * blocks — full attention all of them, a sliding window at most the window plus one block
 * (SlidingWindowManager frees blocks that left the window; +1 because the window need not start on a
 * block boundary, SlidingWindowSpec.max_memory_usage_bytes), constant-state layers (Mamba, DeltaNet)
 * their state — divided by the pool block's bytes. For a model whose layers all attend fully this is
 * exactly ⌈T / block size⌉ blocks out of num_gpu_blocks; hybrids are counted in bytes
 * (APPROXIMATION: vLLM pads a Mamba state to a whole page).
 */
import type { MemoryPlan } from '../types';

export interface KvPoolGroup {
  /** Pool blocks this group takes per block of tokens held (1 for a model of full-attention layers only). */
  blocksPerTokenBlock: number;
  /** Most token blocks the group keeps per request (Infinity for full attention). */
  maxTokenBlocks: number;
}

export interface KvPoolSpec {
  blockSizeTokens: number;
  totalBlocks: number;
  groups: readonly KvPoolGroup[];
  /** Pool blocks of constant per-request state (Mamba / linear attention), 0 for pure attention. */
  stateBlocksPerRequest: number;
}

/** Token blocks a request of `tokens` computed tokens spans: ⌈tokens / block size⌉. */
export function tokenBlocksFor(pool: KvPoolSpec, tokens: number): number {
  return tokens <= 0 ? 0 : Math.ceil(tokens / pool.blockSizeTokens);
}

/** Pool blocks a request spanning `tokenBlocks` token blocks holds. */
export function poolBlocksFor(pool: KvPoolSpec, tokenBlocks: number): number {
  if (tokenBlocks <= 0) return 0;
  let blocks = pool.stateBlocksPerRequest;
  const groups = pool.groups;
  for (let i = 0; i < groups.length; i += 1) {
    const g = groups[i];
    if (g !== undefined) blocks += g.blocksPerTokenBlock * Math.min(tokenBlocks, g.maxTokenBlocks);
  }
  return blocks;
}

/**
 * Pool blocks per token block of the layers a shared prefix can be held once for: the full-attention
 * (and MLA) groups, as perf/prefixCache.ts sharedPrefixKvBytes counts them; sliding-window and
 * constant-state layers stay per request.
 */
export function sharedBlocksPerTokenBlock(pool: KvPoolSpec): number {
  let blocks = 0;
  for (const g of pool.groups) if (g.maxTokenBlocks === Infinity) blocks += g.blocksPerTokenBlock;
  return blocks;
}

/** The pool of one replica (one pipeline stage's GPU: every stage holds a like share) from its memory plan. */
export function kvPoolFromPlan(memory: MemoryPlan): KvPoolSpec {
  const blockSizeTokens = Math.max(1, memory.blockSizeTokens);
  const pageBytes = memory.pageBytes;
  if (!(pageBytes > 0) || memory.kvGroups.length === 0) {
    // Nothing is cached per token (attention-free): vLLM allots one block and never runs out.
    return { blockSizeTokens, totalBlocks: Infinity, groups: [], stateBlocksPerRequest: 0 };
  }
  const groups: KvPoolGroup[] = [];
  let stateBytes = 0;
  for (const g of memory.kvGroups) {
    stateBytes += g.numLayers * g.stateBytesPerRequestPerLayer;
    if (g.bytesPerTokenPerLayer <= 0) continue;
    const maxTokenBlocks = g.slidingWindowTokens === null ? Infinity : Math.ceil(g.slidingWindowTokens / blockSizeTokens) + 1;
    groups.push({ blocksPerTokenBlock: (g.numLayers * g.bytesPerTokenPerLayer * blockSizeTokens) / pageBytes, maxTokenBlocks });
  }
  return { blockSizeTokens, totalBlocks: memory.numGpuBlocks, groups, stateBlocksPerRequest: stateBytes / pageBytes };
}

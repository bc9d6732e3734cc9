/**
 * FLOPs of one forward step, from the real matrix shapes (arch/params.ts) and the real context.
 * A multiply-add is 2 FLOPs. Linear layers: 2 × (parameters a token touches); attention: QKᵀ and PV
 * over every context token the query sees (sliding windows cap it; MLA decodes in the latent space).
 */
import type { Mixer } from '../types';
import { DECODE_ATTENTION_TILE_ROWS } from '../calibration';

/**
 * MMA rows a paged decode kernel computes for `groupRows` query rows that share one KV head (the GQA
 * group; for MLA's absorbed decode every head on the rank shares the one latent): the group padded
 * up to the kernel's row tile (calibration.ts DECODE_ATTENTION_TILE_ROWS), as a multiple of the useful rows.
 */
export function decodeAttentionTilePadding(groupRows: number): number {
  const g = Math.max(1, groupRows);
  return (Math.ceil(g / DECODE_ATTENTION_TILE_ROWS) * DECODE_ATTENTION_TILE_ROWS) / g;
}

/** Attention FLOPs of one layer on one GPU, per (query token × context token). */
export interface AttentionFlops {
  /** Decode: QKᵀ + PV of one new token against one cached token. */
  decodePerContextToken: number;
  /** Prefill: the same for one prompt token (MLA prefill runs in the decompressed head space). */
  prefillPerContextToken: number;
  /** null = full attention. */
  windowTokens: number | null;
}

/**
 * Attention-core FLOPs of one layer on one TP rank (heads split over TP):
 * - standard attention: QKᵀ (2 × headDim) + PV (2 × headDim) per head per context token;
 * - MLA decode (vLLM absorbs W_UK / W_UV into the query / output: vllm/v1/attention/backends/mla/
 *   common.py): scores over kv_lora_rank + rope dims, values over kv_lora_rank, per head;
 * - MLA prefill (decompressed K/V, FlashAttention over qk_nope + rope and v_head dims);
 * - a decode's tensor-core work is its query rows per KV head padded to the kernel's row tile
 *   (decodeAttentionTilePadding): a decode token has no other rows to fill the MMA with.
 * Constant-state mixers (Mamba, DeltaNet) have no per-context-token cost: null.
 */
export function attentionFlops(mixer: Mixer, tp: number): AttentionFlops | null {
  switch (mixer.kind) {
    case 'attention': {
      const headsPerGpu = mixer.numHeads / tp;
      const perToken = headsPerGpu * 4 * mixer.headDim;
      // A decode's query rows per KV head: the GQA group (one KV head per rank once tp ≥ KV heads).
      const kvHeadsPerGpu = Math.max(1, mixer.numKvHeads / tp);
      const decodePad = decodeAttentionTilePadding(headsPerGpu / kvHeadsPerGpu);
      return { decodePerContextToken: perToken * decodePad, prefillPerContextToken: perToken, windowTokens: mixer.slidingWindowTokens };
    }
    case 'mla': {
      const headsPerGpu = mixer.numHeads / tp;
      return {
        decodePerContextToken: headsPerGpu * 2 * (2 * mixer.kvLoraRank + mixer.qkRopeHeadDim) * decodeAttentionTilePadding(headsPerGpu),
        prefillPerContextToken: headsPerGpu * 2 * (mixer.qkNopeHeadDim + mixer.qkRopeHeadDim + mixer.vHeadDim),
        // DeepSeek Sparse Attention (indexer) attends to at most topK tokens after the indexer pass.
        windowTokens: mixer.indexer ? mixer.indexer.topKTokens : null,
      };
    }
    case 'mamba':
    case 'linear-attention':
    case 'none':
      return null;
    default: {
      const _: never = mixer;
      return _;
    }
  }
}

/**
 * Mean number of context tokens a prompt token attends to, over a causal prompt of `promptTokens`:
 * Σ_{c=1..L} min(c, w) / L. Full attention: (L + 1) / 2; window w < L: (w(w+1)/2 + (L − w)·w) / L.
 * Chunked prefill splits the prompt into steps but does the same total work.
 */
export function meanPrefillContextTokens(promptTokens: number, windowTokens: number | null): number {
  const L = Math.max(0, promptTokens);
  if (L === 0) return 0;
  if (windowTokens === null || L <= windowTokens) return (L + 1) / 2;
  const w = windowTokens;
  return ((w * (w + 1)) / 2 + (L - w) * w) / L;
}

/** Context tokens a decode token attends to at `contextTokens` of history. */
export function decodeContextTokens(contextTokens: number, windowTokens: number | null): number {
  return windowTokens === null ? contextTokens : Math.min(contextTokens, windowTokens);
}

/**
 * Expected number of distinct experts `tokens` routed tokens touch when each picks `topK` of
 * `numExperts` uniformly: E · (1 − (1 − k/E)^T). One token touches k; a large batch touches all E.
 * (Uniform routing is an APPROXIMATION: real routers are skewed, which touches slightly fewer.)
 */
export function expectedDistinctExperts(numExperts: number, topK: number, tokens: number): number {
  if (numExperts <= 0 || tokens <= 0) return 0;
  const k = Math.min(topK, numExperts);
  return numExperts * (1 - Math.pow(1 - k / numExperts, tokens));
}

/** expectedDistinctExperts with ln(1 − k/E) precomputed (modelCost.ts MoeCost.logMissPerToken): the step's hot path. */
export function expectedDistinctExpertsFromLog(numExperts: number, logMissPerToken: number, tokens: number): number {
  if (numExperts <= 0 || tokens <= 0) return 0;
  const exponent = tokens * logMissPerToken;
  // e^-40 < 5e-18: every expert is touched to double precision (skips Math.exp on large batches).
  return exponent < -40 ? numExperts : numExperts * (1 - Math.exp(exponent));
}

/**
 * Rows a GEMM kernel computes for `rows` useful rows (tokens) when it works in tiles of `tileRows`
 * along the token dimension: the rows rounded up to the tile, in expectation over the remainder —
 * at least one whole tile, and beyond it half a tile of padding on average (a remainder spread
 * evenly over 0 … tile). Efficiency rows ÷ tiledRows saturates at 1 as rows grow: a batch-1 decode
 * pays one tile of MMA work, not a fitted ~174× its FLOPs (issue 11: the old M / (M + 173) form
 * made decode compute-bound on GPUs with little compute per byte, e.g. H20).
 */
export function tiledRows(rows: number, tileRows: number): number {
  if (rows <= 0) return 0;
  return Math.max(tileRows, rows + tileRows / 2);
}

/**
 * Rows the routed experts' grouped GEMM computes in one step on one expert group, counted in
 * (row × expert) units: each expert the step's tokens touch runs its own GEMM over the tokens
 * routed to it, padded to its tile (vLLM's fused_moe pads each expert's tokens to BLOCK_SIZE_M,
 * moe_align_block_size). `groupTokens` tokens each pick `topK` of `numExperts`:
 * touched experts D = E·(1 − (1 − k/E)^T) (expectedDistinctExperts), rows per touched expert
 * T·k ÷ D, total D × tiledRows(T·k ÷ D). One token: k experts × one tile; a large batch: E experts
 * × T·k/E rows each ≈ T·k (+ half a tile per expert). The bug this guards: charging all E experts
 * at a padded tile for every step (the expert rows per expert T·k/E below 1) over-charged a
 * batch-1 step about E/k times (gpt-oss-120b on one H100: ~89 ms ITL where runs show ~5–10 ms).
 * (Uniform routing and the mean load per touched expert are APPROXIMATIONS.)
 */
export function expertGemmRows(numExperts: number, topK: number, logMissPerToken: number, groupTokens: number, tileRows: number): number {
  return expertGemmRowsOfTouched(expectedDistinctExpertsFromLog(numExperts, logMissPerToken, groupTokens), Math.min(topK, numExperts), groupTokens, tileRows);
}

/** expertGemmRows with the touched-expert count already computed (the step's hot path needs it for the weights too). */
export function expertGemmRowsOfTouched(touchedExperts: number, topK: number, groupTokens: number, tileRows: number): number {
  if (touchedExperts <= 0) return 0;
  return touchedExperts * tiledRows((groupTokens * topK) / touchedExperts, tileRows);
}

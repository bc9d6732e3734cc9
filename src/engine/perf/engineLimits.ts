/**
 * The batch limits a replica runs with, from the engine that planned its memory (issue 13 item 3):
 * vLLM's `--max-num-seqs` / `--max-num-batched-tokens` (ResolvedServingOptions), SGLang's
 * `--max-running-requests` / `--chunked-prefill-size` and TensorRT-LLM's `--max_batch_size` /
 * `--max_num_tokens` as their plans resolved them (MemoryPlan.engineDetail, memory/engines/). The
 * step model, the closed form, the sweep and the simulator read these, so an SGLang or TensorRT-LLM
 * row runs with its own engine's caps, not vLLM's.
 */
import type { MemoryPlan, ResolvedServingOptions } from '../types';

export interface BatchLimits {
  /** Most requests running at once. */
  maxRunningRequests: number;
  /** Most tokens (prompt chunks + decodes) scheduled in one step. */
  maxBatchedTokens: number;
}

export function batchLimits(serving: Pick<ResolvedServingOptions, 'maxNumSeqs' | 'maxNumBatchedTokens'>, memory: Pick<MemoryPlan, 'engineDetail'>): BatchLimits {
  const detail = memory.engineDetail;
  if (detail !== undefined) return { maxRunningRequests: detail.maxRunningRequests, maxBatchedTokens: detail.maxBatchedTokens };
  return { maxRunningRequests: serving.maxNumSeqs, maxBatchedTokens: serving.maxNumBatchedTokens };
}

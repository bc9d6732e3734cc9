/**
 * How each serving engine's scheduler differs from vLLM's where it changes the figures. The token
 * budget and batch limit come from the serving options (the same max_num_batched_tokens /
 * max_num_seqs the memory plan uses); these are the rules around them.
 */
import type { ServingEngine } from '../types';

export interface SchedulerPolicy {
  /**
   * Prompt chunks share a step with the running decodes (vLLM V1, TensorRT-LLM in-flight batching).
   * false: a step that admits prompts runs only prompts, decodes wait (SGLang).
   */
  prefillWithDecodes: boolean;
  /** A prompt may be split over steps (chunked prefill); false: it enters only when all of it fits the budget. */
  chunkedPrefill: boolean;
  /**
   * KV admission: 'as-needed' allocates blocks for the tokens a step computes (and preempts when a
   * running request cannot grow); 'whole-request' reserves prompt + output blocks at admission and
   * never preempts.
   */
  kvReservation: 'as-needed' | 'whole-request';
  /**
   * What a preempted (retracted) request's KV leaves in the pool's prefix cache for its re-admission
   * (simulate.ts): 'computed' every full block of its computed tokens, prompt and output (vLLM V1);
   * 'prompt' the full blocks of its prompt (SGLang's radix tree); 'nothing' (restart from zero).
   * Absent = 'nothing'.
   */
  preemptedKeeps?: 'computed' | 'prompt' | 'nothing';
}

export const SCHEDULER_POLICIES: Record<ServingEngine, SchedulerPolicy> = {
  // vllm/v1/core/sched/scheduler.py Scheduler.schedule: running requests first (decodes and
  // partial prefills, in admission order), then waiting ones while budget, max_num_seqs and
  // blocks allow (skipped in a step that preempted); chunked prefill on by default in V1.
  // A preempted request's blocks are freed with their block hashes kept (prefix caching, on by default
  // in V1): vllm/v1/core/sched/scheduler.py _preempt_request → kv_cache_manager.free; its full blocks
  // of prompt and output tokens stay hittable until evicted (block_pool.py BlockPool.free_blocks).
  vllm: { prefillWithDecodes: true, chunkedPrefill: true, kvReservation: 'as-needed', preemptedKeeps: 'computed' },
  // python/sglang/srt/managers/scheduler.py get_next_batch_to_run: a new prefill batch (chunked at
  // --chunked-prefill-size) runs on its own when one can be formed, else the decode batch;
  // --enable-mixed-chunk (off by default) would mix them. Out of KV, retract_decode sends back the
  // request with the fewest output tokens (the latest admitted) to recompute.
  // retract_decode (python/sglang/srt/managers/schedule_batch.py) frees the request's KV from
  // last_uncached_pos = len(req.prefix_indices) on and unlocks its radix node: the prompt, inserted in
  // the radix tree after its prefill (cache_unfinished_req), stays cached until evicted; the decoded
  // tokens are freed.
  sglang: { prefillWithDecodes: false, chunkedPrefill: true, kvReservation: 'as-needed', preemptedKeeps: 'prompt' },
  // tensorrt_llm/llmapi/llm_args.py: SchedulerConfig capacity_scheduler_policy GUARANTEED_NO_EVICT
  // (reserves a request's blocks for its whole max length at admission: no eviction) and
  // enable_chunked_prefill False by default; context and generation requests share in-flight batches.
  trtllm: { prefillWithDecodes: true, chunkedPrefill: false, kvReservation: 'whole-request' },
};

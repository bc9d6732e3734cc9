/**
 * One replica as the simulator sees it: how long a step takes (a function of the step's batch),
 * the scheduler's limits and rules, and the KV pool. Built from the engine's own figures by
 * fromEngine.ts; tests hand-build one with given step times.
 */
import type { StepBatch } from '../perf/stepBatch';
import type { KvPoolSpec } from './kvPool';
import type { SchedulerPolicy } from './policy';
import type { PrefixCacheRule } from './prefix';

/** Duration of one step, ms, for what the step runs. Must not keep `batch` (the simulator reuses it). */
export type StepTimeFn = (batch: StepBatch) => number;

export interface SimReplica {
  stepTimeMs: StepTimeFn;
  /** The windows StepBatch's per-window sums are taken at (ascending, Infinity for full attention). */
  windowsTokens: readonly number[];
  /** vLLM max_num_seqs: most requests running at once. */
  maxNumSeqs: number;
  /** vLLM max_num_batched_tokens: most tokens one step computes. */
  maxNumBatchedTokens: number;
  kvPool: KvPoolSpec;
  /**
   * Client-side time per request outside the engine steps (HTTP, tokenization, detokenization),
   * added to every TTFT and E2E exactly as the closed form adds it (perf/serving.ts); it does not
   * occupy the engine, so the next closed-loop request reaches the engine when one finishes.
   */
  requestOverheadMs: number;
  policy: SchedulerPolicy;
  /**
   * Speculative decoding: each decode step verifies `tokens` drafts (stepTimeMs prices the verify and
   * the drafts) and emits 1 + the accepted ones, drawn per step from `acceptance` (perf/speculative.ts
   * acceptedDraftTokens); absent = one token per decode step.
   */
  speculative?: { tokens: number; acceptance: number; topk?: number; draftTokens?: number };
  /** Prefix caching (sim/prefix.ts): each request's cache hit by its prompt length; absent = none. */
  prefixCache?: PrefixCacheRule;
  /**
   * vLLM's async scheduling: each step is scheduled when the previous one starts, so a request that
   * arrives, or a slot and blocks that free, during a step join one step later (perf/serving.ts
   * ReplicaLimits.schedulesOneStepAhead, admissionLagSteps). Absent = false.
   */
  schedulesOneStepAhead?: boolean;
}

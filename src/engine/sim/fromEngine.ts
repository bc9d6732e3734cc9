/**
 * The simulator's replica from what the engine already computes for a configuration: the memory
 * plan (KV pool: blocks, block size), the serving options (max_num_seqs), the engine (scheduler
 * policy) and the closed form's replica (step model, token budget, per-request overhead).
 */
import type { MemoryPlan, ServingEngine, ResolvedServingOptions } from '../types';
import type { ReplicaModel } from '../perf/estimatePerf';
import type { SimReplica } from './replica';
import { kvPoolFromPlan } from './kvPool';
import { SCHEDULER_POLICIES } from './policy';
import { simStepModel } from './stepModel';
import { batchLimits } from '../perf/engineLimits';
import { prefixCacheUse } from '../perf/prefixCache';
import type { SpeculativeModel } from '../perf/speculative';

/** The simulator's view of a speculative model: k, α and, for a tree, topk and the verified tokens. */
function simSpeculative(spec: SpeculativeModel): NonNullable<SimReplica['speculative']> {
  return {
    tokens: spec.tokens,
    acceptance: spec.acceptance,
    ...(spec.topk === undefined ? {} : { topk: spec.topk }),
    ...(spec.draftTokens === undefined ? {} : { draftTokens: spec.draftTokens }),
  };
}

export interface SimReplicaInput {
  memory: MemoryPlan;
  serving: Pick<ResolvedServingOptions, 'maxNumSeqs' | 'prefixCache'>;
  engine: ServingEngine;
  model: ReplicaModel;
}

export function simReplicaFor(input: SimReplicaInput): SimReplica {
  const { stepTimeMs, windowsTokens } = simStepModel(input.model);
  const prefix = input.serving.prefixCache;
  const blockSizeTokens = input.memory.blockSizeTokens;
  return {
    // The closed form's rule (perf/prefixCache.ts), applied per drawn request (sim/prefix.ts).
    // Speculative decoding: the step model prices verify + drafts (stepModel.ts); the simulator draws the accepted tokens.
    ...(input.model.spec === undefined ? {} : { speculative: simSpeculative(input.model.spec) }),
    ...(prefix === undefined ? {} : { prefixCache: (isl: number) => prefixCacheUse(prefix, input.engine, isl, blockSizeTokens) }),
    stepTimeMs,
    windowsTokens,
    // The planning engine's request cap (perf/engineLimits.ts): SGLang / TensorRT-LLM plans carry their own.
    maxNumSeqs: Math.max(1, batchLimits({ maxNumSeqs: input.serving.maxNumSeqs, maxNumBatchedTokens: input.model.maxNumBatchedTokens }, input.memory).maxRunningRequests),
    maxNumBatchedTokens: input.model.maxNumBatchedTokens,
    kvPool: kvPoolFromPlan(input.memory),
    requestOverheadMs: input.model.requestOverheadMs,
    policy: SCHEDULER_POLICIES[input.engine],
    ...(input.model.schedulesOneStepAhead === true ? { schedulesOneStepAhead: true } : {}),
  };
}

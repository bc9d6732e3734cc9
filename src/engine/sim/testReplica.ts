/** Hand-built replicas for the simulator's tests: given step times, a small dense KV pool. */
import type { StepTimeFn, SimReplica } from './replica';
import type { SimLoad, SimRequests } from './load';
import { SCHEDULER_POLICIES } from './policy';

export function testReplica(stepTimeMs: StepTimeFn, overrides: Partial<SimReplica> = {}): SimReplica {
  return {
    stepTimeMs,
    windowsTokens: [Infinity],
    maxNumSeqs: 256,
    maxNumBatchedTokens: 8192,
    kvPool: { blockSizeTokens: 16, totalBlocks: 100000, groups: [{ blocksPerTokenBlock: 1, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 },
    requestOverheadMs: 0,
    policy: SCHEDULER_POLICIES.vllm,
    ...overrides,
  };
}

/** Requests with the given lengths, all sent at the given times (default 0). */
export function testRequests(lengths: readonly (readonly [number, number])[], sendMs?: readonly number[]): SimRequests {
  return {
    count: lengths.length,
    inputTokens: Int32Array.from(lengths.map(([i]) => i)),
    outputTokens: Int32Array.from(lengths.map(([, o]) => o)),
    sendMs: Float64Array.from(sendMs ?? lengths.map(() => 0)),
  };
}

export const BURST: SimLoad = { kind: 'burst' };

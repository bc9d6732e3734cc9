import { describe, expect, it } from 'vitest';
import type { StepBatch } from '../perf/stepBatch';
import { simulate } from './simulate';
import { summarize } from './summarize';
import { SCHEDULER_POLICIES } from './policy';
import { BURST, testReplica, testRequests } from './testReplica';

/** 10 ms per step + 0.125 ms per prompt token + 1 ms per decode (binary-exact, so times compare exactly). */
const affineStep = (b: StepBatch): number => 10 + 0.125 * b.prefillTokens + b.decodeRequests;

describe('simulate: a hand-computed run', () => {
  // max_num_seqs 2, budget 100 tokens, 16-token blocks, 10 blocks; 5 ms client overhead.
  // R0 (60 in, 3 out), R1 (60 in, 2 out), R2 (8 in, 2 out), all at t = 0. By hand:
  //  step 1 @0:    R0 prompt 60 (4 blocks) + R1 chunk 40 (3 blocks): 10 + 12.5 = 22.5 → R0 first token @22.5
  //  step 2 @22.5: R0 decode, R1 chunk 20 (4th block): 10 + 2.5 + 1 = 13.5 → @36: R0 token 2, R1 first token
  //  step 3 @36:   R0 and R1 decode (R2 waits: max_num_seqs): 12 → @48: both finish, blocks freed
  //  step 4 @48:   R2 prompt 8: 11 → @59 first token;  step 5 @59: R2 decode: 11 → @70 finishes.
  const replica = testReplica(affineStep, {
    maxNumSeqs: 2,
    maxNumBatchedTokens: 100,
    kvPool: { blockSizeTokens: 16, totalBlocks: 10, groups: [{ blocksPerTokenBlock: 1, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 },
    requestOverheadMs: 5,
  });
  const trace = simulate(replica, testRequests([[60, 3], [60, 2], [8, 2]]), BURST);

  it('gives each request the first-token and finish times worked out by hand', () => {
    expect([...trace.firstTokenMs]).toEqual([22.5, 36, 59]);
    expect([...trace.finishMs]).toEqual([48, 48, 70]);
    expect([...trace.stepMs]).toEqual([22.5, 13.5, 12, 11, 11]);
    expect([...trace.stepKvBlocksUsed]).toEqual([7, 8, 0, 1, 0]);
    expect(trace.preemptionsTotal).toBe(0);
  });

  it('summarize adds the client overhead to TTFT and E2E and takes ITL over every gap', () => {
    const r = summarize(trace, replica.requestOverheadMs);
    expect(r.simulatedRequests).toBe(3);
    expect(r.measuredRequests).toBe(3);
    expect(r.ttftMs).toBe((27.5 + 41 + 64) / 3);
    expect(r.ttftP50Ms).toBe(41);
    expect(r.e2eMs).toBe((53 + 53 + 75) / 3);
    // Gaps: R0 13.5 and 12, R1 12, R2 11 → sorted [11, 12, 12, 13.5].
    expect(r.itlMs).toBe(12.125);
    expect(r.itlP50Ms).toBe(12);
    expect(r.itlP90Ms).toBeCloseTo(12 + 0.7 * 1.5, 12);
    // TPOT: R0 (48 − 22.5)/2, R1 12/1, R2 11/1.
    expect(r.tpotMs).toBe((12.75 + 12 + 11) / 3);
    // Burst: the window is the whole run, 70 ms; 7 output tokens.
    expect(r.requestsPerS).toBeCloseTo(3 / 0.07, 9);
    expect(r.outputTokensPerS).toBeCloseTo(7 / 0.07, 9);
  });

  it('goodput counts only requests meeting every limit (TTFT ≤ 45 ms keeps R0 and R1)', () => {
    const r = summarize(trace, replica.requestOverheadMs, { maxTtftMs: 45, maxItlMs: null, maxE2eMs: null });
    expect(r.goodputRequestsPerS).toBeCloseTo(2 / 0.07, 9);
  });
});

describe('simulate: preemption by recompute', () => {
  // 5 blocks of 16 tokens; R0 and R1 (32 in, 40 out) both start (2 blocks each). At step 2 R0 takes
  // the last block for token 33; R1 cannot grow, is the latest admitted and is preempted. It waits
  // (the pool stays full) until R0 finishes at 10 + 39·10 = 400 ms, recomputes its 33 tokens
  // (prompt + its one output) in one step (→ 410, token 2), then decodes 38 more (→ 790).
  const replica = testReplica(() => 10, {
    maxNumSeqs: 2,
    maxNumBatchedTokens: 100,
    kvPool: { blockSizeTokens: 16, totalBlocks: 5, groups: [{ blocksPerTokenBlock: 1, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 },
  });
  const trace = simulate(replica, testRequests([[32, 40], [32, 40]]), BURST);

  it('preempts the latest-admitted request once and recomputes it after the other finishes', () => {
    expect(trace.preemptionsTotal).toBe(1);
    expect([...trace.preemptions]).toEqual([0, 1]);
    expect([...trace.firstTokenMs]).toEqual([10, 10]);
    expect([...trace.finishMs]).toEqual([400, 790]);
  });

  it('counts the wait across the preemption as one long inter-token gap', () => {
    const r = summarize(trace, 0);
    // 39 + 38 gaps of 10 ms and one of 400 ms.
    expect(r.itlMs).toBeCloseTo((77 * 10 + 400) / 78, 12);
    expect(r.itlP99Ms).toBeGreaterThan(10);
    expect(r.preemptions).toBe(1);
  });
});

describe('simulate: engine policies', () => {
  const lengths = [
    [64, 4],
    [64, 4],
  ] as const;

  it('SGLang runs a new prompt in a step of its own: the running decode waits for it', () => {
    // R1 arrives at 15 ms while R0 decodes; vLLM mixes its prompt into R0's next step, SGLang
    // runs it alone first.
    const sends = [0, 15];
    const step = (b: StepBatch): number => 10 + b.prefillTokens / 64;
    const vllm = simulate(testReplica(step), testRequests(lengths, sends), { kind: 'open-loop', ratePerS: 1, burstiness: 1 });
    const sglang = simulate(testReplica(step, { policy: SCHEDULER_POLICIES.sglang }), testRequests(lengths, sends), { kind: 'open-loop', ratePerS: 1, burstiness: 1 });
    // vLLM: 11 (R0 prompt, token 1) → 21 (token 2) → 32 (token 3 + R1 prompt) → 42 (token 4: done).
    expect(vllm.finishMs[0]).toBe(42);
    // SGLang: 11 → 21 → 32 (R1 prompt alone, R0 waits) → 42 (token 3) → 52 (token 4: done).
    expect(sglang.finishMs[0]).toBe(52);
  });

  it('TensorRT-LLM reserves the whole request at admission and never preempts', () => {
    const pool = { blockSizeTokens: 16, totalBlocks: 5, groups: [{ blocksPerTokenBlock: 1, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 };
    const trt = simulate(testReplica(() => 10, { kvPool: pool, policy: SCHEDULER_POLICIES.trtllm }), testRequests([[32, 40], [32, 40]]), BURST);
    expect(trt.preemptionsTotal).toBe(0);
    // 72 tokens = 5 blocks: R1 starts only when R0 is done (40 steps of 10 ms: prompt + 39 decodes).
    expect([...trt.finishMs]).toEqual([400, 800]);
  });

  it('refuses a request that can never fit the pool instead of looping', () => {
    const pool = { blockSizeTokens: 16, totalBlocks: 2, groups: [{ blocksPerTokenBlock: 1, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 };
    const trace = simulate(testReplica(() => 10, { kvPool: pool }), testRequests([[100, 10], [8, 2]]), BURST);
    expect([...trace.rejected]).toEqual([1, 0]);
    expect(trace.finishMs[1]).toBe(20);
  });
});

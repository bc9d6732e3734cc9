/**
 * A preempted request's blocks stay in the prefix cache until the pool needs them (simulate.ts
 * "Preempted requests' cached blocks", policy.ts preemptedKeeps): re-admission recomputes only what
 * was evicted, and a victim whose cached blocks plus its next chunk do not fit waits instead of
 * thrashing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StepBatch } from '../perf/stepBatch';
import type { SchedulerPolicy } from './policy';
import { SCHEDULER_POLICIES } from './policy';
import type { SimTrace } from './simulate';
import { simulate } from './simulate';
import { drawRequests } from './load';
import type { SimLoad } from './load';
import { BURST, testReplica, testRequests } from './testReplica';

const onePool = (totalBlocks: number) => ({ blockSizeTokens: 16, totalBlocks, groups: [{ blocksPerTokenBlock: 1, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 });
const keeping = (policy: SchedulerPolicy, preemptedKeeps: 'computed' | 'prompt' | 'nothing'): SchedulerPolicy => ({ ...policy, preemptedKeeps });

describe('simulate: a preempted request keeps its cached blocks (vLLM V1 prefix cache)', () => {
  // 6 blocks of 16 tokens; R0 and R1 (32 in, 20 out) both start (2 blocks each) and take a third
  // block each for tokens 33–48. R0's token 49 needs a fourth: the pool is full, R1 (the latest
  // admitted) is preempted with 48 tokens computed — 3 full blocks, kept cached. R0 takes one of
  // them (R1's tail block), finishes, and R1 is re-admitted with 32 tokens still cached: it
  // recomputes 16 + 1 tokens (its 48 computed and the one sampled before the preemption, 49 known)
  // where restarting from zero recomputes all 49.
  const prefillTokensPerStep: number[] = [];
  const step = (b: StepBatch): number => {
    prefillTokensPerStep.push(b.prefillTokens);
    return 10;
  };
  const run = (keeps: 'computed' | 'nothing'): { trace: SimTrace; prefills: number[] } => {
    prefillTokensPerStep.length = 0;
    const replica = testReplica(step, { maxNumSeqs: 2, maxNumBatchedTokens: 100, kvPool: onePool(6), policy: keeping(SCHEDULER_POLICIES.vllm, keeps) });
    const trace = simulate(replica, testRequests([[32, 20], [32, 20]]), BURST);
    return { trace, prefills: prefillTokensPerStep.filter((t) => t > 0) };
  };
  const kept = run('computed');
  const restart = run('nothing');

  it('preempts R1 once either way', () => {
    expect([...kept.trace.preemptions]).toEqual([0, 1]);
    expect([...restart.trace.preemptions]).toEqual([0, 1]);
  });

  it('re-admits R1 from its cached 32 tokens: it recomputes 16 of its 48 computed tokens, not 48', () => {
    expect(kept.trace.recomputedTokens).toBe(16);
    expect(restart.trace.recomputedTokens).toBe(48);
    // The prompts' step (64 tokens), then R1's re-admission chunk: 49 − 32 = 17 tokens vs all 49.
    expect(kept.prefills).toEqual([64, 17]);
    expect(restart.prefills).toEqual([64, 49]);
  });

  it('never commits more than the pool: R0 evicts R1\'s tail block rather than over-allocating', () => {
    expect(kept.trace.kvBlocksCommittedPeak).toBe(6);
    expect(Math.max(...kept.trace.stepKvBlocksUsed)).toBeLessThanOrEqual(6);
    for (const t of [kept.trace, restart.trace]) expect([...t.finishMs].every(Number.isFinite)).toBe(true);
  });
});

describe('simulate: a KV-limited burst of long prompts (the 32k rows in small)', () => {
  // The pool holds one request and a fifth of another; chunked prefill at 128 tokens. Restarting
  // from zero, the second request's prefill grows until the pool is full, is preempted, is admitted
  // again in the next step and preempted again at each block the decoding one takes. Keeping its
  // cached blocks, it is preempted once and waits: its cached blocks and its next chunk do not fit
  // (allocate_slots counts its evictable hit blocks as blocks to allocate) until the first finishes.
  const isl = 512;
  const osl = 64;
  const pool = onePool(Math.ceil((isl + osl) / 16) * 1.2);
  const replica = (keeps: 'computed' | 'nothing') => testReplica((b) => 5 + 0.01 * b.prefillTokens + 0.1 * b.decodeRequests, { maxNumBatchedTokens: 128, kvPool: pool, policy: keeping(SCHEDULER_POLICIES.vllm, keeps) });
  const requests = testRequests(Array.from({ length: 12 }, () => [isl, osl] as const));
  const kept = simulate(replica('computed'), requests, BURST);
  const restart = simulate(replica('nothing'), requests, BURST);

  it('preempts each request at most once and recomputes far fewer tokens than restarting from zero', () => {
    expect(restart.preemptionsTotal).toBeGreaterThan(2 * requests.count);
    expect(Math.max(...kept.preemptions)).toBeLessThanOrEqual(1);
    expect(kept.preemptionsTotal).toBeLessThan(restart.preemptionsTotal);
    expect(kept.recomputedTokens).toBeLessThan(restart.recomputedTokens / 10);
  });

  it('finishes sooner, every request served', () => {
    expect([...kept.finishMs].every(Number.isFinite)).toBe(true);
    expect(Math.max(...kept.finishMs)).toBeLessThan(Math.max(...restart.finishMs));
  });
});

describe('simulate: preemption invariants with cached victims', () => {
  const arb = fc.record({
    isl: fc.integer({ min: 20, max: 900 }),
    osl: fc.integer({ min: 2, max: 200 }),
    poolRequests: fc.double({ min: 1.05, max: 4, noNaN: true }),
    budget: fc.constantFrom(64, 256, 2048),
    engine: fc.constantFrom('vllm', 'sglang') as fc.Arbitrary<'vllm' | 'sglang'>,
    twoGroups: fc.boolean(),
    kind: fc.constantFrom('burst', 'closed', 'open'),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
  const loadOf = (kind: string): SimLoad =>
    kind === 'burst' ? { kind: 'burst' } : kind === 'closed' ? { kind: 'closed-loop', concurrency: 12 } : { kind: 'open-loop', ratePerS: 40, burstiness: 1 };

  it('never over-commits the pool, serves every request, and never preempts with an unlimited pool', () => {
    fc.assert(
      fc.property(arb, (w) => {
        const load = loadOf(w.kind);
        const requests = drawRequests({ count: 60, meanInputTokens: w.isl, meanOutputTokens: w.osl, inputLengths: { kind: 'uniform', rangeRatio: 0.5 }, outputLengths: { kind: 'uniform', rangeRatio: 0.5 }, maxRequestTokens: 4096, load, seed: w.seed });
        let longest = 0;
        for (let i = 0; i < requests.count; i += 1) longest = Math.max(longest, (requests.inputTokens[i] ?? 0) + (requests.outputTokens[i] ?? 0));
        const totalBlocks = Math.ceil((longest / 16) * w.poolRequests);
        const kvPool = w.twoGroups
          ? { blockSizeTokens: 16, totalBlocks, groups: [{ blocksPerTokenBlock: 0.5, maxTokenBlocks: 9 }, { blocksPerTokenBlock: 0.5, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 }
          : onePool(totalBlocks);
        const step = (b: StepBatch): number => 4 + 0.01 * b.prefillTokens + 0.05 * b.decodeRequests;
        const t = simulate(testReplica(step, { maxNumBatchedTokens: w.budget, kvPool, policy: SCHEDULER_POLICIES[w.engine], ...(w.twoGroups ? { windowsTokens: [128, Infinity] } : {}) }), requests, load);
        expect(t.kvBlocksCommittedPeak).toBeLessThanOrEqual(totalBlocks + 1e-6);
        expect(Math.max(0, ...t.stepKvBlocksUsed)).toBeLessThanOrEqual(totalBlocks + 1e-6);
        for (let i = 0; i < requests.count; i += 1) expect(Number.isFinite(t.finishMs[i] ?? Number.NaN) || t.rejected[i] === 1).toBe(true);
        expect(t.rejected.every((r) => r === 0)).toBe(true);
        expect(t.recomputedTokens).toBeGreaterThanOrEqual(0);
        if (t.preemptionsTotal === 0) expect(t.recomputedTokens).toBe(0);
        const unlimited = simulate(testReplica(step, { maxNumBatchedTokens: w.budget, kvPool: { ...kvPool, totalBlocks: 1e9 }, policy: SCHEDULER_POLICIES[w.engine] }), requests, load);
        expect(unlimited.preemptionsTotal).toBe(0);
        expect(unlimited.recomputedTokens).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});

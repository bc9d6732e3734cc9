/**
 * Prefix caching in the simulator (sim/prefix.ts, simulate.ts): the cached prompt tokens are not
 * prefilled, the suffix attends the whole prompt, the shared prefix's blocks are held once, and
 * the simulator agrees with the closed form (perf/prefixCache.ts) where both apply.
 */
import { describe, expect, it } from 'vitest';
import type { StepBatch } from '../perf/stepBatch';
import type { PrefixCacheOptions } from '../types';
import { prefixCacheUse } from '../perf/prefixCache';
import { buildModelCost } from '../perf/modelCost';
import { replicaModel, runReplica } from '../perf/estimatePerf';
import { H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { simulate } from './simulate';
import { withPrefixCache } from './prefix';
import { simReplicaFor } from './fromEngine';
import { runSimulation } from './run';
import type { SimRunSpec } from './run';
import { BURST, testReplica, testRequests } from './testReplica';

/** 10 ms per step + 0.125 ms per prompt token + 1 ms per decode (binary-exact). */
const affineStep = (b: StepBatch): number => 10 + 0.125 * b.prefillTokens + b.decodeRequests;
const vllmRule = (o: PrefixCacheOptions) => (isl: number) => prefixCacheUse(o, 'vllm', isl, 16);

describe('simulate with cached prompt tokens (hand-computed)', () => {
  it('hit rate 1 leaves only the uncached suffix to prefill, attending the whole prompt', () => {
    const batches: { prefillTokens: number; prefillContext: number }[] = [];
    const replica = testReplica((b) => {
      batches.push({ prefillTokens: b.prefillTokens, prefillContext: b.prefillContextTokens[0] ?? 0 });
      return affineStep(b);
    });
    // 64-token prompt, 16-token blocks: vLLM hits whole blocks ≤ isl − 1 = 63 → 48 cached, 16 computed.
    const requests = withPrefixCache(testRequests([[64, 2]]), vllmRule({ sharedPrefixTokens: 0, hitRate: 1 }));
    expect([...(requests.cachedPromptTokens ?? [])]).toEqual([48]);
    const trace = simulate(replica, requests, BURST);
    expect(batches[0]?.prefillTokens).toBe(16);
    // Σ_{c=49..64} c: each suffix token attends the cached prefix too.
    expect(batches[0]?.prefillContext).toBe(((49 + 64) * 16) / 2);
    expect([...trace.firstTokenMs]).toEqual([10 + 0.125 * 16]);
    expect([...trace.finishMs]).toEqual([12 + 11]);
    // The same request uncached: 64 prompt tokens in the first step.
    const plain = simulate(testReplica(affineStep), testRequests([[64, 2]]), BURST);
    expect([...plain.firstTokenMs]).toEqual([10 + 0.125 * 64]);
  });

  it('holds a shared prefix once in the pool, its blocks still counted for each request', () => {
    const rule = vllmRule({ sharedPrefixTokens: 48, hitRate: 0 });
    const requests = withPrefixCache(testRequests([[64, 2], [64, 2]]), rule);
    expect([...(requests.sharedPrefixTokens ?? [])]).toEqual([48, 48]);
    const shared = simulate(testReplica(affineStep), requests, BURST);
    const plain = simulate(testReplica(affineStep), testRequests([[64, 2], [64, 2]]), BURST);
    // After the prompts: 4 blocks each unshared (8); shared: the prefix's 3 blocks once + 1 block each.
    expect(plain.stepKvBlocksUsed[0]).toBe(8);
    expect(shared.stepKvBlocksUsed[0]).toBe(3 + 2);
  });

  it('admits requests a pool holds only with the prefix shared', () => {
    // 10 blocks; each request spans 5 token blocks (64 + 16 tokens). Unshared: 2 fit at once; shared (3 once): 1 + 2 each → 3 fit.
    const pool = { blockSizeTokens: 16, totalBlocks: 10, groups: [{ blocksPerTokenBlock: 1, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 };
    const lengths = [[64, 16], [64, 16], [64, 16]] as const;
    const rule = vllmRule({ sharedPrefixTokens: 48, hitRate: 0 });
    const plain = simulate(testReplica(affineStep, { kvPool: pool }), testRequests(lengths), BURST);
    const shared = simulate(testReplica(affineStep, { kvPool: pool }), withPrefixCache(testRequests(lengths), rule), BURST);
    expect(Math.max(...plain.stepRunning)).toBeLessThan(3);
    expect(Math.max(...shared.stepRunning)).toBe(3);
    expect(shared.preemptionsTotal).toBe(0);
  });

  it('is the same run when nothing hits (no arrays, identical trace)', () => {
    const requests = testRequests([[60, 3], [60, 2], [8, 2]]);
    expect(withPrefixCache(requests, vllmRule({ sharedPrefixTokens: 0, hitRate: 0 }))).toBe(requests);
    expect(withPrefixCache(requests, vllmRule({ sharedPrefixTokens: 10, hitRate: 0 }))).toBe(requests); // under one block
    const zeros = { ...requests, cachedPromptTokens: new Int32Array(3), sharedPrefixTokens: new Int32Array(3) };
    const a = simulate(testReplica(affineStep), requests, BURST);
    const b = simulate(testReplica(affineStep), zeros, BURST);
    expect([...b.firstTokenMs]).toEqual([...a.firstTokenMs]);
    expect([...b.finishMs]).toEqual([...a.finishMs]);
    expect([...b.stepKvBlocksUsed]).toEqual([...a.stepKvBlocksUsed]);
  });
});

const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
const plan = memoryPlan(32, 4096, 50e9);
const lengths = { kind: 'uniform', rangeRatio: 0.3 } as const;
const rel = (a: number, b: number): number => Math.abs(a - b) / b;

function engineReplica(prefixCache: PrefixCacheOptions, isl: number, osl: number) {
  const serving = testServing({ ...PERF_SERVING, prefixCache });
  const model = replicaModel({ gpu: H100, serving, engine: 'vllm', memory: plan }, cost, isl, osl);
  return { model, replica: simReplicaFor({ memory: plan, serving, engine: 'vllm', model }) };
}

describe('simulator vs closed form with a prefix (closed loop, no queueing, real step model)', () => {
  for (const [isl, osl, concurrency, prefix] of [
    [400, 256, 8, { sharedPrefixTokens: 256, hitRate: 0 }],
    [600, 300, 16, { sharedPrefixTokens: 0, hitRate: 0.6 }],
  ] as const) {
    it(`agrees on mean ITL, E2E and requests/s within 4 % and TTFT within 9 % (isl ${isl}, osl ${osl}, ${concurrency} requests, shared ${prefix.sharedPrefixTokens}, hit ${prefix.hitRate})`, () => {
      const { model, replica } = engineReplica(prefix, isl, osl);
      expect(model.cachedPrefixTokens).toBeGreaterThan(0);
      const closed = runReplica(model, 'closed-loop', concurrency);
      const sim = runSimulation(replica, { load: { kind: 'closed-loop', concurrency }, inputTokens: isl, outputTokens: osl, inputLengths: lengths, outputLengths: lengths, numRequests: 300 });
      expect(sim.preemptions).toBe(0);
      expect(rel(sim.itlMs, closed.itlMs)).toBeLessThan(0.04);
      expect(rel(sim.e2eMs, closed.e2eMs)).toBeLessThan(0.04);
      expect(rel(sim.requestsPerS, closed.requestsPerS)).toBeLessThan(0.04);
      expect(rel(sim.ttftMs, closed.ttftMs)).toBeLessThan(0.09);
    });
  }
});

describe('TTFT at a fixed load as the hit grows', () => {
  it('never rises (mean and p99 over 4 seeds, open loop near the knee, chat-like lengths)', () => {
    const isl = 3000;
    const osl = 150;
    const hits = [0, 0.2, 0.4, 0.6, 0.8, 1];
    const ttft = hits.map((hitRate) => {
      const { replica } = engineReplica({ sharedPrefixTokens: 0, hitRate }, isl, osl);
      let mean = 0;
      let p99 = 0;
      for (let seed = 1; seed <= 4; seed += 1) {
        const spec: SimRunSpec = { load: { kind: 'open-loop', ratePerS: 6, burstiness: 1 }, inputTokens: isl, outputTokens: osl, inputLengths: lengths, numRequests: 300, seed };
        const r = runSimulation(replica, spec);
        mean += r.ttftMs / 4;
        p99 += r.ttftP99Ms / 4;
      }
      return { mean, p99 };
    });
    for (let i = 1; i < hits.length; i += 1) {
      expect(ttft[i]?.mean ?? Infinity).toBeLessThanOrEqual(ttft[i - 1]?.mean ?? 0);
      expect(ttft[i]?.p99 ?? Infinity).toBeLessThanOrEqual(ttft[i - 1]?.p99 ?? 0);
    }
    // The load is one where the hit matters: the uncached run queues.
    expect(ttft[0]?.p99 ?? 0).toBeGreaterThan(3 * (ttft[hits.length - 1]?.p99 ?? 0));
  });
});

import { describe, expect, it } from 'vitest';
import type { StepBatch } from '../perf/stepBatch';
import { poolReplica, runDisaggTandem, simulateDisagg } from './simulateDisagg';
import { poolShape } from './recommendDisagg';
import { catalogGpu, eagleOf, pool, serving, session, withPrefix, withSpec, workload } from './testPools.testing';

/** One prefill chunk of `c` prompt tokens after `s` cached ones, alone in its step (the sum the simulator builds). */
function suffixBatch(windows: readonly number[], s: number, c: number): StepBatch {
  const ctx = new Float64Array(windows.length);
  windows.forEach((w, k) => {
    let sum = 0;
    for (let pos = s + 1; pos <= s + c; pos += 1) sum += Math.min(pos, w);
    ctx[k] = sum;
  });
  return { decodeRequests: 0, decodeContextTokens: new Float64Array(windows.length), prefillTokens: c, prefillContextTokens: ctx, finishingPrefills: 1 };
}

describe('prefix caching in the prefill pool', () => {
  const hot = withPrefix(pool('H100', 1, 1), { sharedPrefixTokens: 0, hitRate: 1 });

  it('hit rate 1: a 1,024-token prompt finds 1,008 tokens cached (whole 16-token blocks ≤ isl − 1); alone, its prefill is one step of the 16-token suffix', () => {
    expect(hot.memory.blockSizeTokens).toBe(16);
    const w = { ...workload(0.2, 1024, 32), numRequests: 20 };
    const run = runDisaggTandem(hot, withPrefix(pool('H100', 1, 1), { sharedPrefixTokens: 0, hitRate: 1 }), w);
    const trace = run.prefill.traces[0];
    if (trace === undefined) throw new Error('no prefill run');
    expect(Array.from(trace.requests.cachedPromptTokens ?? [])).toEqual(new Array(20).fill(1008));
    const replica = poolReplica(hot, 'prefill', w);
    const stepMs = replica.stepTimeMs(suffixBatch(replica.windowsTokens, 1008, 16));
    for (let i = 0; i < 20; i += 1) expect((run.requests.prefillDoneMs[i] ?? 0) - (run.requests.sendMs[i] ?? 0)).toBeCloseTo(stepMs, 9);
    // The decode replica has the same prefix cached (it cached the blocks it read before): 16 tokens move.
    expect(Array.from(run.requests.transferTokens)).toEqual(new Array(20).fill(16));
  });

  it('hit rate 0 is the run without prefix caching, bit for bit', () => {
    const w = { ...workload(4), numRequests: 60 };
    const off = simulateDisagg(pool('H100', 1, 1), pool('H100', 1, 2), w);
    const zero = simulateDisagg(withPrefix(pool('H100', 1, 1), { sharedPrefixTokens: 0, hitRate: 0 }), withPrefix(pool('H100', 1, 2), { sharedPrefixTokens: 0, hitRate: 0 }), w);
    expect(zero.latency).toEqual(off.latency);
    expect(zero.kvTransferTokensPerRequest).toBe(1024);
  });
});

describe('speculative decoding in the decode pool', () => {
  it('poolShape loads the draft in the pool it is given to: the KV pool shrinks by its weights and KV', () => {
    const spec = eagleOf(3, 0.7);
    const gpu = catalogGpu('H100');
    const layout = { tp: 1, pp: 1, dp: 1, ep: false };
    const plain = poolShape(session, gpu, layout, serving, 'vllm', 2);
    const drafted = poolShape(session, gpu, layout, serving, 'vllm', 2, spec);
    if (!plain.ok || !drafted.ok) throw new Error('does not fit');
    expect(drafted.value.speculative).toBe(spec);
    expect(drafted.value.memory.kvCacheTokens).toBeLessThan(plain.value.memory.kvCacheTokens);
    expect(poolReplica({ ...drafted.value, replicas: 1 }, 'decode', workload(1)).speculative).toEqual({ tokens: 3, acceptance: 0.7 });
  });

  it('a good acceptance at a light load shortens E2E (several tokens per verify step)', () => {
    const w = { ...workload(1, 1024, 128), numRequests: 40 };
    const p = pool('H100', 1, 1);
    const plain = simulateDisagg(p, pool('H100', 1, 1), w).latency;
    const spec = simulateDisagg(p, withSpec(pool('H100', 1, 1), eagleOf(3, 0.8)), w).latency;
    expect(spec.e2eMs).toBeLessThan(plain.e2eMs);
  });
});

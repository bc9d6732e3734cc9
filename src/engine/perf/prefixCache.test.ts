import { describe, expect, it } from 'vitest';
import type { KvGroupPlan, Layout, PrefixCacheOptions } from '../types';
import { H100, LLAMA_31_8B, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { newModelCaches } from '../cache/modelCaches';
import { estimatePerf, kvCapacityRequests, modelCostFor, replicaModel, runReplica } from './estimatePerf';
import { meanPrefillContextTokens } from './flops';
import { meanStepBatch, meanStepTime } from './serving';
import { NO_PREFIX_CACHE_USE, prefixCacheUse, sharedPrefixKvBytes, suffixPrefillContextTokens } from './prefixCache';

const prefix = (sharedPrefixTokens: number, hitRate: number): PrefixCacheOptions => ({ sharedPrefixTokens, hitRate });

describe('prefixCacheUse: the cached tokens per request', () => {
  it('vLLM caches whole blocks only and never the last prompt token (kv_cache_manager.py get_computed_blocks)', () => {
    // 1000 tokens, hit rate 1: at most 999 cached, rounded down to 16-token blocks = 992.
    expect(prefixCacheUse(prefix(0, 1), 'vllm', 1000, 16).cachedTokensPerRequest).toBe(992);
    // 1024 tokens, all hit: 1023 → 63 blocks = 1008 (the whole last block is recomputed).
    expect(prefixCacheUse(prefix(0, 1), 'vllm', 1024, 16).cachedTokensPerRequest).toBe(1008);
    // A 100-token system prompt: 6 full blocks = 96 shared, cached and held once.
    expect(prefixCacheUse(prefix(100, 0), 'vllm', 1000, 16)).toEqual({ cachedTokensPerRequest: 96, sharedPoolTokens: 96 });
    // A prefix shorter than a block caches nothing in vLLM.
    expect(prefixCacheUse(prefix(15, 0), 'vllm', 1000, 16)).toEqual(NO_PREFIX_CACHE_USE);
  });

  it("SGLang's radix cache is token-granular, also capped at isl − 1 (schedule_batch.py max_prefix_len)", () => {
    expect(prefixCacheUse(prefix(0, 1), 'sglang', 1000, 16).cachedTokensPerRequest).toBe(999);
    expect(prefixCacheUse(prefix(15, 0), 'sglang', 1000, 16)).toEqual({ cachedTokensPerRequest: 15, sharedPoolTokens: 15 });
  });

  it('the larger of the shared prefix and the hit rate is cached; only the shared prefix is held once', () => {
    expect(prefixCacheUse(prefix(320, 0.6), 'vllm', 1000, 16)).toEqual({ cachedTokensPerRequest: 592, sharedPoolTokens: 320 });
    expect(prefixCacheUse(prefix(800, 0.1), 'vllm', 1000, 16)).toEqual({ cachedTokensPerRequest: 800, sharedPoolTokens: 800 });
  });

  it('no options, a one-token prompt or nothing requested cache nothing', () => {
    expect(prefixCacheUse(undefined, 'vllm', 1000, 16)).toEqual(NO_PREFIX_CACHE_USE);
    expect(prefixCacheUse(prefix(1, 1), 'vllm', 1, 16)).toEqual(NO_PREFIX_CACHE_USE);
    expect(prefixCacheUse(prefix(0, 0), 'sglang', 1000, 1)).toEqual(NO_PREFIX_CACHE_USE);
  });
});

describe('suffixPrefillContextTokens: the suffix still attends over the cached prefix', () => {
  it('full attention: the computed positions h+1..L average (h + 1 + L) / 2', () => {
    expect(suffixPrefillContextTokens(1000, 992, null)).toBeCloseTo((993 + 1000) / 2, 9);
    expect(suffixPrefillContextTokens(1000, 0, null)).toBe(meanPrefillContextTokens(1000, null));
  });

  it('a sliding window clips each position (brute-force sum)', () => {
    const L = 700;
    const h = 300;
    const w = 128;
    let sum = 0;
    for (let c = h + 1; c <= L; c += 1) sum += Math.min(c, w);
    expect(suffixPrefillContextTokens(L, h, w)).toBeCloseTo(sum / (L - h), 9);
  });
});

describe('sharedPrefixKvBytes and kvCapacityRequests: the shared blocks sit in the pool once', () => {
  const full: KvGroupPlan = { kind: 'full-attention', numLayers: 32, bytesPerTokenPerLayer: 4096, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null };
  const sliding: KvGroupPlan = { ...full, slidingWindowTokens: 128 };

  it('full-attention layers share the prefix; sliding-window layers keep theirs per request', () => {
    expect(sharedPrefixKvBytes([full, sliding], 96)).toBe(32 * 4096 * 96);
    expect(sharedPrefixKvBytes([full], 0)).toBe(0);
  });

  it('a shared prefix lets more requests fit; none leaves the plain quotient', () => {
    const memory = memoryPlan(32, 4096, 2e9);
    const plain = Math.floor(2e9 / (32 * 4096 * 1200));
    expect(kvCapacityRequests(memory, 1200)).toBe(plain);
    expect(kvCapacityRequests(memory, 1200, 0)).toBe(plain);
    const shared = 32 * 4096 * 992;
    expect(kvCapacityRequests(memory, 1200, 992)).toBe(Math.floor((2e9 - shared) / (32 * 4096 * 1200 - shared)));
    expect(kvCapacityRequests(memory, 1200, 992)).toBeGreaterThan(plain);
  });
});

describe('prefix caching in the closed form (estimatePerf)', () => {
  const LAYOUT: Layout = { tp: 1, pp: 1, dp: 1, ep: false };
  const MEMORY = memoryPlan(32, 4096, 50e9);
  const input = (prefixCache: PrefixCacheOptions | undefined, concurrency = 16, inputTokens = 1000) => ({
    arch: LLAMA_31_8B,
    gpu: H100,
    layout: LAYOUT,
    serving: testServing({ ...PERF_SERVING, ...(prefixCache === undefined ? {} : { prefixCache }) }),
    workload: { inputTokens, outputTokens: 200, concurrency },
    engine: 'vllm' as const,
    memory: MEMORY,
  });

  it('hit rate 0 and no shared prefix leave every figure bit-identical', () => {
    for (const c of [1, 16, 256]) expect(estimatePerf(input(prefix(0, 0), c))).toEqual(estimatePerf(input(undefined, c)));
  });

  it('hit rate 1 leaves only the uncached suffix (one 8-token block remainder) to prefill, at the full context', () => {
    const serving = testServing({ ...PERF_SERVING, prefixCache: prefix(0, 1) });
    const cost = modelCostFor(newModelCaches(LLAMA_31_8B), serving, LAYOUT);
    const m = replicaModel({ gpu: H100, serving, engine: 'vllm', memory: MEMORY }, cost, 1000, 200);
    expect(m.cachedPrefixTokens).toBe(992);
    expect(m.meanPrefillContextTokens[0]).toBeCloseTo((993 + 1000) / 2, 9);
    // Decodes still attend to the whole prompt.
    const plain = replicaModel({ gpu: H100, serving: testServing(PERF_SERVING), engine: 'vllm', memory: MEMORY }, cost, 1000, 200);
    expect(m.meanDecodeContextTokens).toEqual(plain.meanDecodeContextTokens);
    // 8 computed tokens finish one prompt.
    expect(meanStepBatch(m, 0, 8).finishingPrefills).toBe(1);
    // A lone request's prefill is one step computing 8 prompt tokens beside its share of decodes.
    const r = runReplica(m, 'closed-loop', 1);
    expect(r.prefillMs).toBe(meanStepTime(m, r.admittedPerStep * 199, 8).totalMs);
    expect(r.prefillMs).toBeLessThan(runReplica(plain, 'closed-loop', 1).prefillMs);
  });

  it('more hit never raises TTFT; a longer shared prefix never lowers the running requests', () => {
    const tight = { ...input(undefined), memory: memoryPlan(32, 4096, 4e9) };
    for (const c of [1, 8, 64, 512]) {
      let prevTtft = Infinity;
      for (const h of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
        const p = estimatePerf({ ...tight, serving: testServing({ ...PERF_SERVING, prefixCache: prefix(0, h) }), workload: { ...tight.workload, concurrency: c } });
        expect(p.ttftMs).toBeLessThanOrEqual(prevTtft * (1 + 1e-9));
        prevTtft = p.ttftMs;
      }
      let prevRunning = 0;
      for (const s of [0, 64, 256, 512, 999, 1000]) {
        const p = estimatePerf({ ...tight, serving: testServing({ ...PERF_SERVING, prefixCache: prefix(s, 0) }), workload: { ...tight.workload, concurrency: c } });
        expect(p.effectiveConcurrency).toBeGreaterThanOrEqual(prevRunning);
        prevRunning = p.effectiveConcurrency;
      }
    }
  });
});

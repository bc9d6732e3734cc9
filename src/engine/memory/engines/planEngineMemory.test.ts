import { describe, expect, it } from 'vitest';
import { findGpu } from '../../catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../../defaults';
import { validateRecommendRequest } from '../../recommend';
import { createEngineSession } from '../../session';
import { LLAMA_31_8B } from '../../testArchs';
import type { RecommendRequest, ServingEngine } from '../../types';
import { withEngine } from './planEngineMemory';

const ONE = { tp: 1, pp: 1, dp: 1, ep: false };

const request = (engine: ServingEngine): RecommendRequest => ({
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
  slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
  maxGpus: 2,
  gpuIds: ['H100'],
  priceOverridesUsdPerHour: {},
  engine,
});

describe("the request's engine plans the memory", () => {
  it('session.plan dispatches on ResolvedServingOptions.engine and caches each engine apart', () => {
    const h100 = findGpu('H100');
    if (h100 === undefined) throw new Error('catalog has no H100');
    const session = createEngineSession(LLAMA_31_8B);
    const vllm = session.plan(h100, ONE, DEFAULT_RESOLVED_SERVING_OPTIONS);
    const sglang = session.plan(h100, ONE, { ...DEFAULT_RESOLVED_SERVING_OPTIONS, engine: 'sglang' });
    const trtllm = session.plan(h100, ONE, { ...DEFAULT_RESOLVED_SERVING_OPTIONS, engine: 'trtllm' });
    expect(vllm.engine).toBeUndefined();
    expect(sglang.engine).toBe('sglang');
    expect(trtllm.engine).toBe('trtllm');
    expect(new Set([vllm.kvCacheTokens, sglang.kvCacheTokens, trtllm.kvCacheTokens]).size).toBe(3);
    // A second call with the other engine's flags changed must not reuse a cached plan.
    const lowered = session.plan(h100, ONE, { ...DEFAULT_RESOLVED_SERVING_OPTIONS, engine: 'sglang', sglang: { memFractionStatic: 0.5, chunkedPrefillSizeTokens: null, maxRunningRequests: null, cudaGraphMaxBs: null } });
    expect(lowered.kvCacheTokens).toBeLessThan(sglang.kvCacheTokens);
  });

  it('recommend plans every candidate with the request engine', () => {
    const session = createEngineSession(LLAMA_31_8B);
    for (const engine of ['sglang', 'trtllm'] as const) {
      const result = session.recommend(request(engine));
      expect(result.candidates.length).toBeGreaterThan(0);
      for (const c of result.candidates) expect(c.memory.engine).toBe(engine);
    }
    for (const c of session.recommend(request('vllm')).candidates) expect(c.memory.engine).toBeUndefined();
  });

  it('withEngine keeps the same object when the engine already matches', () => {
    expect(withEngine(DEFAULT_RESOLVED_SERVING_OPTIONS, 'vllm')).toBe(DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(withEngine(DEFAULT_RESOLVED_SERVING_OPTIONS, 'sglang')).toEqual({ ...DEFAULT_RESOLVED_SERVING_OPTIONS, engine: 'sglang' });
  });
});

describe('engine flags in a recommendation request', () => {
  it('are validated like the vLLM ones (a fraction above 1 is an invalid request)', () => {
    const bad = validateRecommendRequest({
      ...request('sglang'),
      serving: { ...DEFAULT_RESOLVED_SERVING_OPTIONS, sglang: { memFractionStatic: 1.2, chunkedPrefillSizeTokens: null, maxRunningRequests: null, cudaGraphMaxBs: null } },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.field).toBe('serving.sglang.memFractionStatic');
    const badCount = validateRecommendRequest({
      ...request('trtllm'),
      serving: { ...DEFAULT_RESOLVED_SERVING_OPTIONS, trtllm: { kvCacheFreeGpuMemoryFraction: null, maxBatchSize: 0, maxNumTokens: null } },
    });
    expect(badCount.ok).toBe(false);
    expect(validateRecommendRequest(request('trtllm')).ok).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { GPU_CATALOG } from './catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from './defaults';
import { planMemory } from './memory/planMemory';
import { recommend } from './recommend';
import { createEngineSession } from './session';
import { testServing } from './testArchs';
import type { GpuSpec, RecommendRequest } from './types';
import { fixtureArch as fixture } from './fixtureArch.testing';
import { resolveSpeculative } from './perf/speculative';


const QWEN_MOE = fixture('Qwen__Qwen3-30B-A3B');
const LLAMA_8B = fixture('meta-llama__Llama-3.1-8B-Instruct');

const request = (over: Partial<RecommendRequest> = {}): RecommendRequest => ({
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
  slo: { maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: ['H100', 'A100-80GB', 'L40S', 'B200'],
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
  ...over,
});

const withoutTime = (r: ReturnType<typeof recommend>): unknown => ({ ...r, computeMs: 0 });
const gpu = (id: string): GpuSpec => {
  const g = GPU_CATALOG.find((x) => x.id === id);
  if (g === undefined) throw new Error(id);
  return g;
};

describe('createEngineSession', () => {
  it('recommend answers what a one-off recommend answers, and again from its caches', () => {
    const session = createEngineSession(QWEN_MOE);
    const first = session.recommend(request());
    const planned = session.cacheSizes().plans;
    expect(planned).toBeGreaterThan(0);
    // Another workload on the same model re-ranks from the cached plans: no new plan.
    const second = session.recommend(request({ inputTokens: 3000, slo: { maxTtftMs: null, maxItlMs: 30, maxE2eMs: null } }));
    expect(session.cacheSizes().plans).toBe(planned);
    expect(withoutTime(first)).toEqual(withoutTime(recommend(QWEN_MOE, request())));
    expect(withoutTime(second)).toEqual(withoutTime(recommend(QWEN_MOE, request({ inputTokens: 3000, slo: { maxTtftMs: null, maxItlMs: 30, maxE2eMs: null } }))));
  });

  it('a cached plan is never stale: every serving option that moves a fresh plan moves the session plan', () => {
    const session = createEngineSession(LLAMA_8B);
    const h100 = gpu('H100');
    const layout = { tp: 1, pp: 1, dp: 1, ep: false };
    const base = testServing();
    session.plan(h100, layout, base);
    const variants = [
      { gpuMemoryUtilization: 0.8 },
      { enforceEager: true },
      { kvCacheDtype: 'fp8' as const },
      { maxModelLenTokens: 32768 },
      { maxNumBatchedTokens: 16384 },
      { maxNumSeqs: 64 },
      { weightPrecision: 'fp8' as const },
      { blockSizeTokens: 32 },
      { modelDtype: 'fp16' as const },
    ];
    for (const v of variants) {
      const serving = { ...base, ...v };
      expect(session.plan(h100, layout, serving)).toEqual(planMemory(LLAMA_8B, h100, layout, serving));
    }
    // A GPU edited under the same id (a custom GPU) is planned afresh, not served the old plan.
    const smaller: GpuSpec = { ...h100, memoryBytes: h100.memoryBytes / 2 };
    expect(session.plan(smaller, layout, base)).toEqual(planMemory(LLAMA_8B, smaller, layout, base));
    expect(session.plan(smaller, layout, base).kvCacheBytesPerGpu).toBeLessThan(session.plan(h100, layout, base).kvCacheBytesPerGpu);
  });

  it('estimate plans when no plan is given and equals the estimate on the given plan', () => {
    const session = createEngineSession(LLAMA_8B);
    const h100 = gpu('H100');
    const layout = { tp: 1, pp: 1, dp: 1, ep: false };
    const serving = testServing();
    const input = { gpu: h100, layout, serving, workload: { inputTokens: 512, outputTokens: 128, concurrency: 16 }, engine: 'vllm' as const };
    expect(session.estimate(input)).toEqual(session.estimate({ ...input, memory: session.plan(h100, layout, serving) }));
  });

  it('considers the GPUs it was created with', () => {
    const custom: GpuSpec = { ...gpu('H100'), id: 'custom:half-h100', name: 'Half H100', aliases: [], memoryBytes: gpu('H100').memoryBytes / 2 };
    const session = createEngineSession(LLAMA_8B, { gpus: [...GPU_CATALOG, custom] });
    const r = session.recommend(request({ gpuIds: ['H100', 'custom:half-h100'] }));
    expect(r.candidates.some((c) => c.gpuId === 'custom:half-h100')).toBe(true);
  });
});

describe('speculativeSettings (the page\'s speculative decoding, resolved by the session)', () => {
  it('ranks exactly as the same settings resolved by the caller', () => {
    const session = createEngineSession(LLAMA_8B);
    const resolved = resolveSpeculative(LLAMA_8B, { method: 'eagle3', tokens: 3, acceptance: null });
    if (!resolved.ok) throw new Error(resolved.error);
    const asked = session.recommend(request({ speculativeSettings: { method: 'eagle3', tokens: 3, acceptance: null } }));
    const given = session.recommend(request({ speculative: resolved.value }));
    expect(withoutTime(asked)).toEqual(withoutTime(given));
    const plain = session.recommend(request());
    expect(asked.candidates[0]?.perf?.itlMs).not.toBe(plain.candidates[0]?.perf?.itlMs);
  });

  it('refuses a method the model cannot run and tampered values with a warning naming the field', () => {
    const session = createEngineSession(LLAMA_8B);
    const mtp = session.recommendWithAdvice(request({ speculativeSettings: { method: 'mtp', tokens: 1, acceptance: null } }));
    expect(mtp.candidates).toHaveLength(0);
    expect(mtp.warnings?.[0]?.message).toMatch(/speculativeSettings\.method.*declares no MTP layers/);
    const tokens = session.recommend(request({ speculativeSettings: { method: 'eagle', tokens: 99, acceptance: null } }));
    expect(tokens.warnings?.[0]?.message).toMatch(/speculativeSettings\.tokens/);
    const acceptance = session.recommend(request({ speculativeSettings: { method: 'eagle', tokens: 2, acceptance: 1.5 } }));
    expect(acceptance.warnings?.[0]?.message).toMatch(/speculativeSettings\.acceptance/);
    expect(session.candidateCapacity(request({ speculativeSettings: { method: 'mtp', tokens: 1, acceptance: null } }), { ratePerS: 1, burstiness: 1, slo: { percentile: 99, maxTtftMs: 2000, maxItlMs: null, maxE2eMs: null } }, 'H100', { tp: 1, pp: 1, dp: 1, ep: false })).toBeNull();
  });
});

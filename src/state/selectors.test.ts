import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVING_SETTINGS } from '../engine/defaults';
import { MAX_PAGE_GPU_BUDGET } from '../engine/inputRules';
import type { Candidate } from '../engine/types';
import { DEFAULT_INPUTS } from './inputs';
import { buildRecommendRequest, carryIndices, workloadWarnings, effectiveMaxModelLen } from './selectors';
import { withGpuConsidered, withPriceOverride } from './gpuSelection';

describe('buildRecommendRequest: prefix cache and speculative decoding', () => {
  it('leaves the request as before when both are off, and carries them when set (shared prefix clamped to the prompt)', () => {
    const off = buildRecommendRequest(DEFAULT_INPUTS);
    expect(off.serving.prefixCache).toBeUndefined();
    expect(off.speculativeSettings).toBeUndefined();
    const on = buildRecommendRequest({ ...DEFAULT_INPUTS, inputTokens: 800, prefixSharedTokens: 5000, prefixHitRate: 0.25, specMethod: 'mtp', specTokens: 2, specAcceptance: null });
    expect(on.serving.prefixCache).toEqual({ sharedPrefixTokens: 800, hitRate: 0.25 });
    expect(on.speculativeSettings).toEqual({ method: 'mtp', tokens: 2, acceptance: null });
  });

  it('sends a token tree only with SGLang and top-k > 1; a chain\'s request is as before', () => {
    const tree = { ...DEFAULT_INPUTS, specMethod: 'eagle' as const, specTokens: 5, specTopk: 4, specDraftTokens: 8 };
    expect(buildRecommendRequest({ ...tree, engine: 'sglang' }).speculativeSettings).toEqual({ method: 'eagle', tokens: 5, acceptance: null, topk: 4, draftTokens: 8 });
    expect(buildRecommendRequest({ ...tree, engine: 'vllm' }).speculativeSettings).toEqual({ method: 'eagle', tokens: 5, acceptance: null });
    expect(buildRecommendRequest({ ...tree, engine: 'sglang', specTopk: 1 }).speculativeSettings).toEqual({ method: 'eagle', tokens: 5, acceptance: null });
  });
});

describe('buildRecommendRequest', () => {
  it("caps the fixes at the page's largest budget, so a one-click fix never sets a budget the page refuses", () => {
    expect(buildRecommendRequest(DEFAULT_INPUTS).maxBudgetGpus).toBe(MAX_PAGE_GPU_BUDGET);
  });

  it('maps every input to the engine request and keeps vLLM defaults for the rest', () => {
    const request = buildRecommendRequest({
      ...DEFAULT_INPUTS,
      inputTokens: 100,
      outputTokens: 20,
      concurrency: 'max',
      maxModelLenTokens: 4096,
      maxModelLenAuto: false,
      weightPrecision: 'fp8',
      kvCacheDtype: 'fp8',
      gpuMemoryUtilization: 0.8,
      maxTtftMs: 300,
      maxItlMs: null,
      maxGpus: 4,
      gpuIds: ['H100'],
      priceOverridesUsdPerHour: { H100: 2 },
      engine: 'sglang',
    });
    expect(request).toEqual({
      inputTokens: 100,
      outputTokens: 20,
      concurrency: 'max',
      serving: { ...DEFAULT_SERVING_SETTINGS, maxModelLenTokens: 4096, weightPrecision: 'fp8', kvCacheDtype: 'fp8', gpuMemoryUtilization: 0.8 },
      slo: { maxTtftMs: 300, maxItlMs: null, maxE2eMs: null },
      maxGpus: 4,
      maxBudgetGpus: MAX_PAGE_GPU_BUDGET,
      gpuIds: ['H100'],
      priceOverridesUsdPerHour: { H100: 2 },
      engine: 'sglang',
    });
  });

  it('does not depend on the table sort or filters (changing them never recomputes)', () => {
    const a = buildRecommendRequest(DEFAULT_INPUTS);
    const b = buildRecommendRequest({ ...DEFAULT_INPUTS, sort: { column: 'ttft', descending: true }, filters: { fitsOnly: true, meetsSloOnly: true } });
    expect(b).toEqual(a);
  });
});

describe('carryIndices', () => {
  const candidate = (gpuId: string, tp: number): Candidate =>
    ({ gpuId, gpuCount: tp, layout: { tp, pp: 1, dp: 1, ep: false } }) as unknown as Candidate;
  it('follows configurations to their new rank and drops vanished ones', () => {
    const before = [candidate('H100', 1), candidate('H100', 2), candidate('A10', 1)];
    const after = [candidate('H100', 2), candidate('H100', 1)];
    expect(carryIndices(before, after, [0, 1, 2])).toEqual([1, 0]);
  });
});

describe('gpuSelection', () => {
  const all = ['A', 'B', 'C'];
  it('unticking from "all" lists the rest; ticking everything back is "all" (null)', () => {
    const without = withGpuConsidered(null, 'B', false, all);
    expect(without).toEqual(['A', 'C']);
    expect(withGpuConsidered(without, 'B', true, all)).toBeNull();
  });
  it('a null price removes the override', () => {
    expect(withPriceOverride({ A: 1, B: 2 }, 'A', null)).toEqual({ B: 2 });
    expect(withPriceOverride({}, 'A', 3)).toEqual({ A: 3 });
  });
});

describe('workloadWarnings', () => {
  it('warns when prompt + output exceed max_model_len (vLLM rejects such requests)', () => {
    expect(workloadWarnings({ ...DEFAULT_INPUTS, inputTokens: 8000, outputTokens: 1024, maxModelLenTokens: 8192, maxModelLenAuto: false })[0]).toMatch(/9024.*8192/);
    expect(workloadWarnings({ ...DEFAULT_INPUTS, inputTokens: 7168, outputTokens: 1024, maxModelLenTokens: 8192, maxModelLenAuto: false })).toEqual([]);
  });

  it('max_model_len follows the request size until set: at least 8192, else the next power of two', () => {
    expect(workloadWarnings({ ...DEFAULT_INPUTS, inputTokens: 8000, outputTokens: 1024 })).toEqual([]);
    expect(buildRecommendRequest({ ...DEFAULT_INPUTS, inputTokens: 8000, outputTokens: 1024 }).serving.maxModelLenTokens).toBe(16384);
    expect(buildRecommendRequest({ ...DEFAULT_INPUTS, inputTokens: 1024, outputTokens: 1024 }).serving.maxModelLenTokens).toBe(8192);
    expect(effectiveMaxModelLen({ inputTokens: 100_000, outputTokens: 1, maxModelLenTokens: 4096, maxModelLenAuto: true })).toBe(131072);
    expect(effectiveMaxModelLen({ inputTokens: 100_000, outputTokens: 1, maxModelLenTokens: 4096, maxModelLenAuto: false })).toBe(4096);
  });
});

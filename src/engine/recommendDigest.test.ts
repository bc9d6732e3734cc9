/**
 * The recommendation's JSON stays byte-identical under speed work on recommend() (issue 10 / 11:
 * groupPick's sweep allocation): every candidate, pick, Pareto index and kept sweep of a few
 * recommendations — sweep mode (the page's and the CLI's default), a fixed concurrency and 'max', a
 * dense and an MoE model, speculative decoding and prefix caching — serialized as `recommend` posts
 * and prints it (computeMs zeroed: the one field that is a timing) and hashed.
 * A digest that changes means an output changed: fix the change, or — for a deliberate change of
 * the model — say why in the commit and take the new digests.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from './defaults';
import { fixtureArch } from './fixtureArch.testing';
import { createEngineSession } from './session';
import type { ModelArch, RecommendRequest } from './types';

const QWEN3_30B_A3B = fixtureArch('Qwen__Qwen3-30B-A3B');
const LLAMA_8B = fixtureArch('meta-llama__Llama-3.1-8B-Instruct');

/** `npm run bench`'s request: every catalog GPU, one node, 2,000 in / 500 out, the sweep. */
const request = (over: Partial<RecommendRequest> = {}): RecommendRequest => ({
  inputTokens: 2000,
  outputTokens: 500,
  concurrency: 'sweep',
  serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
  slo: { maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: null,
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
  ...over,
});

function digestOf(arch: ModelArch, req: RecommendRequest): string {
  const result = createEngineSession(arch).recommend(req, () => 0);
  return createHash('sha256').update(JSON.stringify({ ...result, computeMs: 0 })).digest('hex').slice(0, 16);
}

// Retaken for vLLM's async scheduling (perf/asyncScheduling.ts): on by default for the current vLLM
// release (also with EAGLE-3), it hides the step overhead under the GPU's time, so the vLLM requests'
// figures moved. With --no-async-scheduling they are the digests pinned before it (the test below).
describe('recommend JSON digests (pinned before the allocation work)', () => {
  it('Qwen3-30B-A3B sweep, every GPU (the bench case)', () => {
    expect(digestOf(QWEN3_30B_A3B, request())).toBe('77fdd0d7018794f2');
  });
  it('without async scheduling the vLLM digests are those pinned before it (the step model is unchanged there)', () => {
    const serving = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, asyncScheduling: false };
    expect(digestOf(QWEN3_30B_A3B, request({ serving }))).toBe('a4891623b9b263f9');
    expect(digestOf(LLAMA_8B, request({ serving }))).toBe('3524bc468a0c6b88');
    expect(digestOf(LLAMA_8B, request({ serving, concurrency: 32 }))).toBe('3357e6b261c91206');
    expect(digestOf(LLAMA_8B, request({ serving, concurrency: 'max' }))).toBe('d54000f11cb5f35e');
  });
  it('Qwen3-30B-A3B sweep on SGLang with a tight ITL limit, 16 GPUs', () => {
    expect(digestOf(QWEN3_30B_A3B, request({ engine: 'sglang', maxGpus: 16, slo: { maxTtftMs: 500, maxItlMs: 15, maxE2eMs: 8000 } }))).toBe('d5ac527271927e59');
  });
  it('Llama-3.1-8B sweep, every GPU', () => {
    expect(digestOf(LLAMA_8B, request())).toBe('b16e4b2989f5a779');
  });
  it('Llama-3.1-8B at concurrency 32 and at max', () => {
    expect(digestOf(LLAMA_8B, request({ concurrency: 32 }))).toBe('0e3aa0af988fd781');
    expect(digestOf(LLAMA_8B, request({ concurrency: 'max' }))).toBe('41ce1030ddd364b5');
  });
  it('Llama-3.1-8B sweep with prefix caching and EAGLE-3', () => {
    const serving = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, prefixCache: { sharedPrefixTokens: 1000, hitRate: 0.8 } };
    expect(digestOf(LLAMA_8B, request({ serving, speculativeSettings: { method: 'eagle3', tokens: 3, acceptance: null } }))).toBe('22eafdbe991389a4');
  });
});

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

// Retaken for vLLM's async scheduling (perf/asyncScheduling.ts: on by default for the current vLLM
// release, also with EAGLE-3; with --no-async-scheduling they equalled the digests pinned before it
// until the refit), then for session 10's joint refit (calibration.ts) — deliberate changes only.
describe('recommend JSON digests (pinned before the allocation work)', () => {
  it('Qwen3-30B-A3B sweep, every GPU (the bench case)', () => {
    expect(digestOf(QWEN3_30B_A3B, request())).toBe('880cff11e1ecc6ed');
  });
  it('without async scheduling (the step of vLLM before 0.14, as most calibration rows ran)', () => {
    const serving = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, asyncScheduling: false };
    expect(digestOf(QWEN3_30B_A3B, request({ serving }))).toBe('44ac2b0dbd5b9c36');
    expect(digestOf(LLAMA_8B, request({ serving }))).toBe('869044372d343719');
    expect(digestOf(LLAMA_8B, request({ serving, concurrency: 32 }))).toBe('56f33d13e259751d');
    expect(digestOf(LLAMA_8B, request({ serving, concurrency: 'max' }))).toBe('c9b809481c005d8b');
  });
  it('Qwen3-30B-A3B sweep on SGLang with a tight ITL limit, 16 GPUs', () => {
    expect(digestOf(QWEN3_30B_A3B, request({ engine: 'sglang', maxGpus: 16, slo: { maxTtftMs: 500, maxItlMs: 15, maxE2eMs: 8000 } }))).toBe('3d78fdeee189c961');
  });
  it('Llama-3.1-8B sweep, every GPU', () => {
    expect(digestOf(LLAMA_8B, request())).toBe('a9749399feec6e76');
  });
  it('Llama-3.1-8B at concurrency 32 and at max', () => {
    expect(digestOf(LLAMA_8B, request({ concurrency: 32 }))).toBe('b30fd66f372eec01');
    expect(digestOf(LLAMA_8B, request({ concurrency: 'max' }))).toBe('890bf4b6f653e541');
  });
  it('Llama-3.1-8B sweep with prefix caching and EAGLE-3', () => {
    const serving = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, prefixCache: { sharedPrefixTokens: 1000, hitRate: 0.8 } };
    expect(digestOf(LLAMA_8B, request({ serving, speculativeSettings: { method: 'eagle3', tokens: 3, acceptance: null } }))).toBe('c7eadde1ea65b002');
  });
});

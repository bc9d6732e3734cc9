import { describe, expect, it } from 'vitest';
import { GPU_CATALOG } from './catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from './defaults';
import { SWEEP_KEPT_TOP_RANKED, enumerateLayouts, evaluateConfiguration, recommend, recommendIn, validateRecommendRequest } from './recommend';
import { newModelCaches } from './cache/modelCaches';
import { resolveSpeculative } from './perf/speculative';
import { createEngineSession } from './session';
import type { RecommendRequest } from './types';
import { fixtureArch as fixture } from './fixtureArch.testing';

const LLAMA_8B = fixture('meta-llama__Llama-3.1-8B-Instruct');
const LLAMA_70B = fixture('meta-llama__Llama-3.1-70B-Instruct');

const request = (over: Partial<RecommendRequest> = {}): RecommendRequest => ({
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
  slo: { maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: ['H100', 'A100-80GB', 'L40S'],
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
  ...over,
});

describe('enumerateLayouts', () => {
  it('stays within the GPU budget and 8 GPUs per replica, tp from the valid sizes', () => {
    const layouts = enumerateLayouts(LLAMA_8B, 8);
    expect(layouts.length).toBeGreaterThan(10);
    for (const l of layouts) {
      expect(l.tp * l.pp * l.dp).toBeLessThanOrEqual(8);
      expect([1, 2, 4, 8]).toContain(l.tp);
      expect(l.ep).toBe(false); // dense model: no expert parallelism
    }
    expect(enumerateLayouts(LLAMA_8B, 1)).toEqual([{ tp: 1, pp: 1, dp: 1, ep: false }]);
  });
});

describe('recommend', () => {
  it('ranks fitting configurations meeting the SLO first, cheapest per million output tokens first', () => {
    const r = recommend(LLAMA_8B, request());
    const tiers = r.candidates.map((c) => (c.perf === null ? 2 : c.meetsSlo ? 0 : 1));
    for (let i = 1; i < tiers.length; i += 1) expect(tiers[i] ?? 0).toBeGreaterThanOrEqual(tiers[i - 1] ?? 0);
    const meeting = r.candidates.filter((c) => c.meetsSlo && c.perf !== null);
    expect(meeting.length).toBeGreaterThan(0);
    for (let i = 1; i < meeting.length; i += 1) {
      expect(meeting[i]?.perf?.usdPerMillionOutputTokens ?? 0).toBeGreaterThanOrEqual(meeting[i - 1]?.perf?.usdPerMillionOutputTokens ?? 0);
    }
    expect(r.best.cheapestMeetingSlo).toBe(0);
    expect(r.candidates.every((c) => ['H100', 'A100-80GB', 'L40S'].includes(c.gpuId))).toBe(true);
  });

  it('judges lowest latency at the lightest load: one request in flight, no fitting row faster there', () => {
    const r = recommend(LLAMA_8B, request());
    const point = r.lowestLatencyPoint;
    const index = r.best.lowestLatency;
    if (point === undefined || index === null) throw new Error('no lowest-latency pick');
    expect(point.concurrency).toBe(1);
    let compared = 0;
    for (const c of r.candidates) {
      const first = c.sweep[0];
      if (first === undefined || first.concurrency !== 1) continue; // single-replica rows whose sweep is kept
      expect(first.e2eMs).toBeGreaterThanOrEqual(point.e2eMs);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(3);
    const pick = r.candidates[index];
    // The pick's own point at concurrency 1 is the one reported, and a tie goes to fewer GPUs (no DP copy).
    expect(pick?.layout.dp).toBe(1);
    expect(pick?.sweep[0]?.e2eMs).toBe(point.e2eMs);
  });

  it('keeps full sweeps (≤ 12 points up to the KV limit) for chart rows and omits the others, and a Pareto frontier by ascending cost', () => {
    const r = recommend(LLAMA_8B, request());
    const fitting = r.candidates.filter((c) => c.perf !== null);
    const kept = fitting.filter((c) => c.sweepOmitted !== true);
    for (const c of kept) {
      expect(c.sweep.length).toBeGreaterThan(1);
      expect(c.sweep.length).toBeLessThanOrEqual(12);
    }
    for (const c of fitting.filter((c) => c.sweepOmitted === true)) expect(c.sweep).toEqual([]);
    expect(fitting.some((c) => c.sweepOmitted === true)).toBe(true);
    // Kept: Pareto, best picks, the best row of each GPU type, the top-ranked rows.
    const keptIdx = new Set(r.candidates.flatMap((c, i) => (c.perf !== null && c.sweepOmitted !== true ? [i] : [])));
    for (const i of [...r.pareto, r.best.cheapestMeetingSlo, r.best.lowestLatency, r.best.highestThroughput]) if (i !== null) expect(keptIdx.has(i)).toBe(true);
    for (let i = 0; i < SWEEP_KEPT_TOP_RANKED; i += 1) expect(keptIdx.has(i)).toBe(true);
    for (const id of ['H100', 'A100-80GB', 'L40S']) expect(keptIdx.has(r.candidates.findIndex((c) => c.gpuId === id && c.perf !== null))).toBe(true);
    expect(r.pareto.length).toBeGreaterThan(0);
    const costs = r.pareto.map((i) => r.candidates[i]?.perf?.usdPerMillionOutputTokens ?? NaN);
    const lat = r.pareto.map((i) => r.candidates[i]?.perf?.e2eMs ?? NaN);
    for (let i = 1; i < costs.length; i += 1) {
      expect(costs[i] ?? 0).toBeGreaterThanOrEqual(costs[i - 1] ?? 0);
      expect(lat[i] ?? 0).toBeLessThan(lat[i - 1] ?? 0);
    }
  });

  it("a kept row's operating point is exactly its sweep's point at that concurrency (the pick is rebuilt from a summary)", () => {
    const r = recommend(LLAMA_8B, request());
    const kept = r.candidates.filter((c) => c.perf !== null && c.sweepOmitted !== true);
    expect(kept.length).toBeGreaterThan(3);
    for (const c of kept) {
      const point = c.sweep.find((p) => p.concurrency === c.concurrency);
      expect(point).toBeDefined();
      const { concurrency: _c, ...figures } = point ?? { concurrency: 0 };
      expect(figures).toEqual(c.perf);
    }
  });

  it('session.sweep rebuilds an omitted sweep, and the operating point is one of its points', () => {
    const req = request();
    const r = recommend(LLAMA_8B, req);
    const omitted = r.candidates.find((c) => c.sweepOmitted === true && c.layout.dp > 1);
    expect(omitted).toBeDefined();
    if (omitted === undefined) return;
    const gpu = GPU_CATALOG.find((g) => g.id === omitted.gpuId);
    if (gpu === undefined) throw new Error('gpu');
    const sweep = createEngineSession(LLAMA_8B).sweep(req, gpu, omitted.layout);
    expect(sweep.length).toBeGreaterThan(1);
    const point = sweep.find((p) => p.concurrency === omitted.concurrency);
    expect(point?.usdPerMillionOutputTokens).toBeCloseTo(omitted.perf?.usdPerMillionOutputTokens ?? NaN, 9);
    // dp replicas run the replica's sweep side by side: every point is a multiple of dp.
    for (const p of sweep) expect(p.concurrency % omitted.layout.dp).toBe(0);
  });

  it('dp replicas share latency and multiply throughput and cost (hand-checked: dp = 2 is two dp = 1 copies)', () => {
    const r = recommend(LLAMA_8B, request({ gpuIds: ['H100'], maxGpus: 2 }));
    const one = r.candidates.find((c) => c.layout.tp === 1 && c.layout.pp === 1 && c.layout.dp === 1);
    const two = r.candidates.find((c) => c.layout.tp === 1 && c.layout.pp === 1 && c.layout.dp === 2);
    if (one?.perf == null || two?.perf == null) throw new Error('expected both to fit');
    expect(two.perf.itlMs).toBeCloseTo(one.perf.itlMs, 9);
    expect(two.perf.ttftMs).toBeCloseTo(one.perf.ttftMs, 9);
    expect(two.perf.outputTokensPerS).toBeCloseTo(2 * one.perf.outputTokensPerS, 6);
    expect(two.perf.costUsdPerHour).toBeCloseTo(2 * one.perf.costUsdPerHour, 9);
    expect(two.concurrency).toBe(2 * (one.concurrency ?? NaN));
    expect(two.memory).toBe(one.memory); // one plan per (GPU, tp, pp)
  });

  it('a fixed concurrency below dp leaves replicas idle (regression: concurrency 1 on dp = 2 counted 2 running requests)', () => {
    const r = recommend(LLAMA_8B, request({ concurrency: 1, gpuIds: ['H100'], maxGpus: 2 }));
    const one = r.candidates.find((c) => c.layout.tp === 1 && c.layout.pp === 1 && c.layout.dp === 1);
    const two = r.candidates.find((c) => c.layout.tp === 1 && c.layout.pp === 1 && c.layout.dp === 2);
    expect(two?.perf?.effectiveConcurrency).toBe(1);
    expect(two?.perf?.outputTokensPerS).toBeCloseTo(one?.perf?.outputTokensPerS ?? NaN, 6);
  });

  it('flags every configuration when input + output exceeds max_model_len (vLLM answers HTTP 400)', () => {
    const serving = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, maxModelLenTokens: 8192 };
    const r = recommend(LLAMA_8B, request({ inputTokens: 8000, outputTokens: 1024, serving }));
    expect(r.warnings?.map((w) => w.kind)).toEqual(['request-exceeds-max-model-len']);
    expect(r.candidates.length).toBeGreaterThan(0);
    for (const c of r.candidates) {
      expect(c.perf).toBeNull();
      expect(c.meetsSlo).toBe(false);
      if (c.memory.fits) {
        expect(c.workloadRejection).toEqual({ kind: 'request-exceeds-max-model-len', requestTokens: 9024, maxModelLenTokens: 8192 });
        expect(c.memory.message).toMatch(/max_model_len 8192/);
      }
    }
    expect(r.best).toEqual({ cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null });
    // Exactly at the limit is served.
    expect(recommend(LLAMA_8B, request({ inputTokens: 7168, outputTokens: 1024, serving })).warnings).toBeUndefined();
  });
  it('marks configurations that do not fit with perf null (70B on one L40S)', () => {
    const r = recommend(LLAMA_70B, request({ gpuIds: ['L40S'], maxGpus: 1 }));
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0]?.perf).toBeNull();
    expect(r.best.cheapestMeetingSlo).toBeNull();
  });

  it('applies price overrides and a fixed concurrency', () => {
    const r = recommend(LLAMA_8B, request({ concurrency: 16, gpuIds: ['H100'], maxGpus: 1, priceOverridesUsdPerHour: { H100: 1 } }));
    expect(r.candidates[0]?.perf?.costUsdPerHour).toBe(1);
    expect(r.candidates[0]?.concurrency).toBe(16);
  });

  it('reports computeMs from the injected clock', () => {
    let t = 0;
    const r = recommend(LLAMA_8B, request({ gpuIds: ['H100'], maxGpus: 1 }), GPU_CATALOG, () => (t += 5));
    expect(r.computeMs).toBe(5);
  });
});

describe('validateRecommendRequest', () => {
  it('accepts the default request unchanged', () => {
    const req = request();
    expect(validateRecommendRequest(req)).toEqual({ ok: true, value: req });
  });
  it.each([
    ['inputTokens', { inputTokens: 0 }],
    ['inputTokens', { inputTokens: Number.NaN }],
    ['outputTokens', { outputTokens: -5 }],
    ['outputTokens', { outputTokens: 1.5 }],
    ['concurrency', { concurrency: 0 }],
    ['concurrency', { concurrency: Number.POSITIVE_INFINITY }],
    ['maxGpus', { maxGpus: 0 }],
    ['inputTokens', { inputTokens: 1e15 }],
    ['serving.gpuMemoryUtilization', { serving: { ...DEFAULT_RESOLVED_SERVING_OPTIONS, gpuMemoryUtilization: 1.5 } }],
    ['serving.maxNumSeqs', { serving: { ...DEFAULT_RESOLVED_SERVING_OPTIONS, maxNumSeqs: 0 } }],
    ['slo.maxItlMs', { slo: { maxTtftMs: null, maxItlMs: -1, maxE2eMs: null } }],
    ['priceOverridesUsdPerHour.H100', { priceOverridesUsdPerHour: { H100: Number.NaN } }],
  ] as const)('rejects a bad %s with a typed error', (field, over) => {
    const v = validateRecommendRequest(request(over));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error).toMatchObject({ kind: 'invalid-request', field });
  });
  it('recommend() answers an invalid request with an empty result and a warning, not an exception', () => {
    const r = recommend(LLAMA_8B, request({ inputTokens: -1 }));
    expect(r.candidates).toEqual([]);
    expect(r.warnings?.[0]).toMatchObject({ kind: 'invalid-request', error: { field: 'inputTokens' } });
  });
});

describe('evaluateConfiguration', () => {
  // The bug this guards: it planned its own replica (vLLM's max_num_seqs, no draft loaded) while
  // recommend() ranked the row with the engine's batch caps and the speculative plan, so a fix was
  // checked against a different configuration than the row it fixes.
  const eagle = resolveSpeculative(LLAMA_8B, { method: 'eagle3', tokens: 3, acceptance: null });
  if (!eagle.ok) throw new Error(eagle.error);
  it.each([
    ['vllm', {}],
    ['sglang', {}],
    ['trtllm', {}],
    ['vllm with an EAGLE-3 draft', { speculative: eagle.value }],
  ] as const)('scores a configuration exactly as recommend() ranked it (%s)', (name, over) => {
    const engine = name.split(' ')[0] as RecommendRequest['engine'];
    const req = request({ engine, concurrency: 64, ...over });
    const caches = newModelCaches(LLAMA_8B);
    const ranked = recommendIn(caches, req, GPU_CATALOG).candidates.filter((c) => c.perf !== null).slice(0, 6);
    expect(ranked.length).toBeGreaterThan(0);
    for (const c of ranked) {
      const gpu = GPU_CATALOG.find((g) => g.id === c.gpuId);
      if (gpu === undefined) throw new Error(c.gpuId);
      const again = evaluateConfiguration(caches, req, gpu, c.layout);
      expect(again.memory.kvCacheBytesPerGpu).toBe(c.memory.kvCacheBytesPerGpu);
      expect(again.perf?.itlMs).toBe(c.perf?.itlMs);
      expect(again.perf?.ttftMs).toBe(c.perf?.ttftMs);
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './arch/parseConfig';
import { parseConfigJson } from './arch/parseConfigJson';
import { GPU_CATALOG } from './catalog/gpus';
import { DEFAULT_SERVING_OPTIONS } from './defaults';
import { enumerateLayouts, recommend } from './recommend';
import type { ModelArch, RecommendRequest } from './types';

function fixture(dir: string): ModelArch {
  const raw = parseConfigJson(readFileSync(join(__dirname, '..', '..', 'fixtures', 'hf', dir, 'config.json'), 'utf8'));
  if (!raw.ok) throw new Error(raw.error.kind);
  const arch = parseConfig(raw.value, { modelId: dir.replace('__', '/') });
  if (!arch.ok) throw new Error(JSON.stringify(arch.error));
  return arch.value;
}

const LLAMA_8B = fixture('meta-llama__Llama-3.1-8B-Instruct');
const LLAMA_70B = fixture('meta-llama__Llama-3.1-70B-Instruct');

const request = (over: Partial<RecommendRequest> = {}): RecommendRequest => ({
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_SERVING_OPTIONS,
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

  it('fills the sweep (12 points up to the KV limit) and a Pareto frontier by ascending cost', () => {
    const r = recommend(LLAMA_8B, request());
    const fitting = r.candidates.filter((c) => c.perf !== null);
    for (const c of fitting) {
      expect(c.sweep.length).toBeGreaterThan(1);
      expect(c.sweep.length).toBeLessThanOrEqual(12);
    }
    expect(r.pareto.length).toBeGreaterThan(0);
    const costs = r.pareto.map((i) => r.candidates[i]?.perf?.usdPerMillionOutputTokens ?? NaN);
    const lat = r.pareto.map((i) => r.candidates[i]?.perf?.e2eMs ?? NaN);
    for (let i = 1; i < costs.length; i += 1) {
      expect(costs[i] ?? 0).toBeGreaterThanOrEqual(costs[i - 1] ?? 0);
      expect(lat[i] ?? 0).toBeLessThan(lat[i - 1] ?? 0);
    }
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

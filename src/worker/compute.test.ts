import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfigJson } from '../engine/arch/parseConfigJson';
import { DEFAULT_SERVING_OPTIONS } from '../engine/defaults';
import type { RecommendRequest } from '../engine/types';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { computeRecommendation, gpusWithCustom, handleEngineRequest, type ModelSource } from './compute';

const REQUEST: RecommendRequest = {
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_SERVING_OPTIONS,
  slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: null,
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
};

function fixtureModel(modelId: string): ModelSource {
  const dir = modelId.replace('/', '__');
  const text = readFileSync(fileURLToPath(new URL(`../../fixtures/hf/${dir}/config.json`, import.meta.url)), 'utf8');
  const parsed = parseConfigJson(text);
  if (!parsed.ok) throw new Error(`fixture ${modelId} does not parse`);
  return { modelId, config: parsed.value };
}

/** A config whose every field access throws: stands in for an engine bug. */
const exploding = new Proxy(
  {},
  {
    get: () => {
      throw new RangeError('boom');
    },
    has: () => {
      throw new RangeError('boom');
    },
  },
);

describe('computeRecommendation', () => {
  it('returns a ConfigError value for a config that is not a model (no throw)', () => {
    for (const config of [{}, null, 'text', { model_type: 'llama' }]) {
      const outcome = computeRecommendation({ modelId: 'acme/empty', config }, REQUEST);
      expect(outcome.ok).toBe(false);
    }
  });

  it('parses a fixture config and ranks candidates (Qwen/Qwen3-8B)', () => {
    const outcome = computeRecommendation(fixtureModel('Qwen/Qwen3-8B'), REQUEST);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    expect(outcome.value.arch.modelId).toBe('Qwen/Qwen3-8B');
    expect(outcome.value.arch.numLayers).toBe(36);
    expect(outcome.value.result.candidates.length).toBeGreaterThan(0);
    // Plain data: it survives structured clone (the worker boundary) unchanged.
    expect(structuredClone(outcome.value)).toEqual(outcome.value);
  });
});

describe('handleEngineRequest', () => {
  it('echoes the requestId and reports computeMs from the clock', () => {
    const ticks = [100, 112.5];
    const clock = () => ticks.shift() ?? 0;
    const response = handleEngineRequest({ type: 'compute', requestId: 7, model: { modelId: 'acme/empty', config: {} }, request: REQUEST }, clock);
    expect(response).toMatchObject({ type: 'config-error', requestId: 7, computeMs: 12.5 });
  });

  it('answers computed for a fixture config', () => {
    const response = handleEngineRequest({ type: 'compute', requestId: 1, model: fixtureModel('meta-llama/Llama-3.1-8B-Instruct'), request: REQUEST });
    expect(response.type).toBe('computed');
    expect(response.computeMs).toBeGreaterThanOrEqual(0);
  });

  it('turns an engine exception into internal-error instead of throwing', () => {
    const response = handleEngineRequest({ type: 'compute', requestId: 3, model: { modelId: 'acme/bug', config: exploding }, request: REQUEST });
    expect(response).toMatchObject({ type: 'internal-error', requestId: 3, message: 'RangeError: boom' });
  });
});

describe('custom GPUs in the worker', () => {
  const h100 = GPU_CATALOG.find((g) => g.id === 'H100');
  if (h100 === undefined) throw new Error('catalog has no H100');
  // An H100 under another name, at a tenth of the price: it must be ranked beside the catalog.
  const custom = { ...h100, id: 'custom:Cheap H100', name: 'Cheap H100', priceUsdPerHour: h100.priceUsdPerHour / 10 };

  it('plans custom GPUs beside the catalog, with the same figures as the GPU they copy', () => {
    const response = handleEngineRequest({ type: 'compute', requestId: 1, model: fixtureModel('Qwen/Qwen3-8B'), request: REQUEST, customGpus: [custom] });
    if (response.type !== 'computed') throw new Error(response.type);
    const rows = response.result.candidates;
    const mine = rows.filter((c) => c.gpuId === custom.id);
    const theirs = rows.filter((c) => c.gpuId === 'H100');
    expect(mine.length).toBe(theirs.length);
    expect(mine.length).toBeGreaterThan(0);
    expect(rows.some((c) => c.gpuId === 'A100-80GB')).toBe(true);
    expect(mine.map((c) => c.memory.fits)).toEqual(theirs.map((c) => c.memory.fits));
  });

  it('considers only the custom GPU when the request names only it', () => {
    const response = handleEngineRequest({ type: 'compute', requestId: 2, model: fixtureModel('Qwen/Qwen3-8B'), request: { ...REQUEST, gpuIds: [custom.id] }, customGpus: [custom] });
    if (response.type !== 'computed') throw new Error(response.type);
    expect(new Set(response.result.candidates.map((c) => c.gpuId))).toEqual(new Set([custom.id]));
  });

  it('drops a "custom" GPU whose id lacks the prefix, so it cannot shadow a catalog row', () => {
    expect(gpusWithCustom(undefined)).toBeUndefined();
    expect(gpusWithCustom([{ ...custom, id: 'H100' }])).toBeUndefined();
    expect(gpusWithCustom([custom])?.map((g) => g.id)).toEqual([...GPU_CATALOG.map((g) => g.id), custom.id]);
  });
});

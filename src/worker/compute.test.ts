import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfigJson } from '../engine/arch/parseConfigJson';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../engine/defaults';
import type { GpuSpec, RecommendRequest } from '../engine/types';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { createEngineHandler, gpusWithCustom, loadModel } from './compute';
import type { EngineResponse, ModelSource } from './protocol';

const REQUEST: RecommendRequest = {
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
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

/** A handler that has been sent this model (with these custom GPUs) and answered model-set. */
function handlerWith(model: ModelSource, customGpus?: readonly GpuSpec[]) {
  const handle = createEngineHandler();
  const answer = handle({ type: 'set-model', requestId: 1, model, ...(customGpus === undefined ? {} : { customGpus }) });
  if (answer.type !== 'model-set') throw new Error(answer.type);
  return handle;
}

function computed(response: EngineResponse) {
  if (response.type !== 'computed') throw new Error(response.type);
  return response.result;
}

describe('loadModel', () => {
  it('returns a ConfigError value for a config that is not a model (no throw)', () => {
    for (const config of [{}, null, 'text', { model_type: 'llama' }]) {
      expect(loadModel({ modelId: 'acme/empty', config }).ok).toBe(false);
    }
  });
});

describe('createEngineHandler', () => {
  it('capacity plans one row at a target load and rate-curve draws its latency against the rate, as plain data', () => {
    const handle = createEngineHandler();
    handle({ type: 'set-model', requestId: 1, model: fixtureModel('Qwen/Qwen3-8B') });
    const target = { ratePerS: 5, burstiness: 1, slo: { percentile: 99 as const, maxTtftMs: 3000, maxItlMs: null, maxE2eMs: null }, numRequests: 100 };
    const layout = { tp: 1, pp: 1, dp: 1, ep: false };
    const plan = handle({ type: 'capacity', requestId: 2, request: REQUEST, target, gpuId: 'H100', layout });
    expect(plan).toMatchObject({ type: 'capacity-planned', requestId: 2, plan: { status: 'planned', targetRequestsPerS: 5 } });
    expect(structuredClone(plan)).toEqual(plan);
    const curve = handle({ type: 'rate-curve', requestId: 3, request: REQUEST, target, gpuId: 'H100', layout });
    expect(curve).toMatchObject({ type: 'rate-curve-computed', requestId: 3 });
    if (curve.type === 'rate-curve-computed') expect(curve.points.length).toBeGreaterThan(0);
    expect(handle({ type: 'capacity', requestId: 4, request: REQUEST, target, gpuId: 'nope', layout })).toMatchObject({ type: 'capacity-planned', plan: null });
    // A fix check is the same plan on the request and target with the fix applied (engine fixCheckAtTarget).
    const fixed = handle({ type: 'fix-check', requestId: 5, request: REQUEST, target, gpuId: 'H100', layout });
    const planned = plan.type === 'capacity-planned' ? plan.plan : null;
    expect(fixed).toMatchObject({ type: 'capacity-planned', requestId: 5, plan: { status: 'planned', replicasNeeded: planned?.status === 'planned' ? planned.replicasNeeded : -1 } });
  });

  it('disagg-pair sizes one P/D GPU pair at the target rate on the model’s session, as plain data (issue 12)', () => {
    const handle = createEngineHandler();
    handle({ type: 'set-model', requestId: 1, model: fixtureModel('Qwen/Qwen3-8B') });
    const target = { ratePerS: 5, burstiness: 1, slo: { percentile: 99 as const, maxTtftMs: 3000, maxItlMs: 60, maxE2eMs: null }, numRequests: 100 };
    const answer = handle({ type: 'disagg-pair', requestId: 2, pair: { request: REQUEST, target, prefillGpuId: 'H100', decodeGpuId: 'H100' } });
    expect(answer).toMatchObject({ type: 'disagg-pair-computed', requestId: 2, row: { prefillGpuId: 'H100', decodeGpuId: 'H100', status: 'planned' } });
    expect(structuredClone(answer)).toEqual(answer);
    expect(createEngineHandler()({ type: 'disagg-pair', requestId: 3, pair: { request: REQUEST, target, prefillGpuId: 'H100', decodeGpuId: 'H100' } })).toMatchObject({ type: 'internal-error' });
  });

  it('set-model parses a fixture config once and answers with its arch; compute ranks candidates (Qwen/Qwen3-8B)', () => {
    const handle = createEngineHandler();
    const set = handle({ type: 'set-model', requestId: 1, model: fixtureModel('Qwen/Qwen3-8B') });
    if (set.type !== 'model-set') throw new Error(set.type);
    expect(set.arch.modelId).toBe('Qwen/Qwen3-8B');
    expect(set.arch.numLayers).toBe(36);
    const response = handle({ type: 'compute', requestId: 2, request: REQUEST });
    expect(response).toMatchObject({ type: 'computed', requestId: 2 });
    const result = computed(response);
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(response).not.toHaveProperty('arch');
    // Plain data: it survives structured clone (the worker boundary) unchanged.
    expect(structuredClone(response)).toEqual(response);
  });

  it('echoes the requestId and reports computeMs from the clock', () => {
    const ticks = [100, 112.5];
    const clock = () => ticks.shift() ?? 0;
    const response = createEngineHandler(clock)({ type: 'set-model', requestId: 7, model: { modelId: 'acme/empty', config: {} } });
    expect(response).toMatchObject({ type: 'config-error', requestId: 7, computeMs: 12.5 });
  });

  it('answers a compute before any model was set with internal-error', () => {
    expect(createEngineHandler()({ type: 'compute', requestId: 1, request: REQUEST })).toMatchObject({ type: 'internal-error', requestId: 1, message: 'compute before any model was set' });
  });

  // The bug this guards: after a rejected config, computes answered for the model set before it.
  it('a rejected set-model leaves no model: the next compute does not answer for the previous one', () => {
    const handle = handlerWith(fixtureModel('meta-llama/Llama-3.1-8B-Instruct'));
    expect(handle({ type: 'set-model', requestId: 2, model: { modelId: 'acme/empty', config: {} } }).type).toBe('config-error');
    expect(handle({ type: 'compute', requestId: 3, request: REQUEST }).type).toBe('internal-error');
  });

  it('computes for the model of the latest set-model', () => {
    const handle = handlerWith(fixtureModel('meta-llama/Llama-3.1-8B-Instruct'));
    const llama = computed(handle({ type: 'compute', requestId: 2, request: REQUEST }));
    handle({ type: 'set-model', requestId: 3, model: fixtureModel('Qwen/Qwen3-8B') });
    const qwen = computed(handle({ type: 'compute', requestId: 4, request: REQUEST }));
    expect(qwen.candidates[0]?.memory.weightsBytesPerGpu).not.toBe(llama.candidates[0]?.memory.weightsBytesPerGpu);
    const fresh = handlerWith(fixtureModel('Qwen/Qwen3-8B'));
    expect(qwen).toEqual({ ...computed(fresh({ type: 'compute', requestId: 2, request: REQUEST })), computeMs: qwen.computeMs });
  });

  it('turns an engine exception into internal-error instead of throwing, and keeps no model', () => {
    const handle = handlerWith(fixtureModel('Qwen/Qwen3-8B'));
    const response = handle({ type: 'set-model', requestId: 3, model: { modelId: 'acme/bug', config: exploding } });
    expect(response).toMatchObject({ type: 'internal-error', requestId: 3, message: 'RangeError: boom' });
    expect(handle({ type: 'compute', requestId: 4, request: REQUEST }).type).toBe('internal-error');
  });
});

describe('custom GPUs in the worker', () => {
  const h100 = GPU_CATALOG.find((g) => g.id === 'H100');
  if (h100 === undefined) throw new Error('catalog has no H100');
  // An H100 under another name, at a tenth of the price: it must be ranked beside the catalog.
  const custom = { ...h100, id: 'custom:Cheap H100', name: 'Cheap H100', priceUsdPerHour: h100.priceUsdPerHour / 10 };

  it('plans custom GPUs beside the catalog, with the same figures as the GPU they copy', () => {
    const rows = computed(handlerWith(fixtureModel('Qwen/Qwen3-8B'), [custom])({ type: 'compute', requestId: 2, request: REQUEST })).candidates;
    const mine = rows.filter((c) => c.gpuId === custom.id);
    const theirs = rows.filter((c) => c.gpuId === 'H100');
    expect(mine.length).toBe(theirs.length);
    expect(mine.length).toBeGreaterThan(0);
    expect(rows.some((c) => c.gpuId === 'A100-80GB')).toBe(true);
    expect(mine.map((c) => c.memory.fits)).toEqual(theirs.map((c) => c.memory.fits));
  });

  it('considers only the custom GPU when the request names only it', () => {
    const handle = handlerWith(fixtureModel('Qwen/Qwen3-8B'), [custom]);
    const rows = computed(handle({ type: 'compute', requestId: 2, request: { ...REQUEST, gpuIds: [custom.id] } })).candidates;
    expect(new Set(rows.map((c) => c.gpuId))).toEqual(new Set([custom.id]));
  });

  it('a set-model without the custom GPUs drops them', () => {
    const handle = handlerWith(fixtureModel('Qwen/Qwen3-8B'), [custom]);
    handle({ type: 'set-model', requestId: 2, model: fixtureModel('Qwen/Qwen3-8B') });
    const rows = computed(handle({ type: 'compute', requestId: 3, request: REQUEST })).candidates;
    expect(rows.some((c) => c.gpuId === custom.id)).toBe(false);
  });

  it('drops a "custom" GPU whose id lacks the prefix, so it cannot shadow a catalog row', () => {
    expect(gpusWithCustom(undefined)).toBeUndefined();
    expect(gpusWithCustom([{ ...custom, id: 'H100' }])).toBeUndefined();
    expect(gpusWithCustom([custom])?.map((g) => g.id)).toEqual([...GPU_CATALOG.map((g) => g.id), custom.id]);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVING_SETTINGS } from '../defaults';
import { recommendDisagg } from './recommendDisagg';
import { catalogGpu, session } from './testPools.testing';

describe('recommendDisagg', () => {
  const gpus = [catalogGpu('H100'), catalogGpu('A100-80GB')];
  const r = recommendDisagg(session, {
    inputTokens: 2048,
    outputTokens: 256,
    target: { ratePerS: 10, burstiness: 1, slo: { percentile: 99, maxTtftMs: 1500, maxItlMs: 40, maxE2eMs: null }, numRequests: 150 },
    serving: { ...DEFAULT_SERVING_SETTINGS, maxModelLenTokens: 8192 },
    engine: 'vllm',
    prefillGpus: gpus,
    decodeGpus: gpus,
    priceOverridesUsdPerHour: {},
    maxGpus: 64,
  });

  it('answers every (prefill GPU, decode GPU) pair, the cheapest plan first', () => {
    expect(r.pairs.map((p) => `${p.prefillGpuId}>${p.decodeGpuId}`).sort()).toEqual(['A100-80GB>A100-80GB', 'A100-80GB>H100', 'H100>A100-80GB', 'H100>H100']);
    const costs = r.pairs.map((p) => p.search.best?.estimate.costUsdPerHour ?? Infinity);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    const first = r.pairs[0];
    expect(first?.search.best?.meetsSlo).toBe(true);
  });

  it('each plan’s pools are of its pair’s GPU types, and it is compared with aggregated serving on the decode shape at the same GPU count', () => {
    for (const p of r.pairs) {
      expect(p.prefill.gpu.id).toBe(p.prefillGpuId);
      expect(p.decode.gpu.id).toBe(p.decodeGpuId);
      const plan = p.search.best ?? p.search.closest;
      if (plan === null) continue;
      expect(p.aggregated?.gpuId).toBe(p.decodeGpuId);
      const copies = Math.floor(plan.estimate.totalGpus / (p.decode.layout.tp * p.decode.layout.pp));
      expect(p.aggregated?.atEqualGpus?.replicas ?? 0).toBe(copies);
    }
  });

  it('mixed GPU types move the KV over the network', () => {
    const mixed = r.pairs.find((p) => p.prefillGpuId !== p.decodeGpuId && p.search.best !== null);
    expect(mixed?.search.best?.estimate.transfer.link.kind).toBe('network');
  });
});

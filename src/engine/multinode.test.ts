/**
 * Issue 13, multi-node layouts: a 671B model in FP8 (DeepSeek-V3's own FP8 checkpoint) does not fit one
 * 8 × H100 node and fits two with a layout vLLM accepts; on one GB200 NVL72 domain its plan keeps TP and
 * EP inside the rack.
 */
import { describe, expect, it } from 'vitest';
import { findGpu } from './catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from './defaults';
import { layoutRejection } from './memory/layouts';
import { planMemory } from './memory/planMemory';
import { SINGLE_NODE_REPLICA_GPUS, enumerateLayouts, recommend } from './recommend';
import type { GpuSpec, RecommendRequest } from './types';
import { fixtureArch as fixture } from './fixtureArch.testing';


function gpu(id: string): GpuSpec {
  const g = findGpu(id);
  if (g === undefined) throw new Error(id);
  return g;
}

const DEEPSEEK_V3 = fixture('deepseek-ai__DeepSeek-V3');

const request = (over: Partial<RecommendRequest>): RecommendRequest => ({
  inputTokens: 2000,
  outputTokens: 500,
  concurrency: 'sweep',
  serving: { ...DEFAULT_RESOLVED_SERVING_OPTIONS, maxModelLenTokens: 8192 },
  slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
  maxGpus: 16,
  gpuIds: ['H100'],
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
  ...over,
});

describe('DeepSeek-V3 (671B, FP8 checkpoint) across nodes', () => {
  it('is the FP8 checkpoint of ~671B parameters', () => {
    expect(DEEPSEEK_V3.quantization.method).toBe('fp8');
    expect(DEEPSEEK_V3.params.total).toBeGreaterThan(6.5e11);
  });

  it('does not fit one 8 × H100 node in any layout', () => {
    const r = recommend(DEEPSEEK_V3, request({ maxGpus: 8 }));
    expect(r.candidates.length).toBeGreaterThan(0);
    expect(r.candidates.some((c) => c.memory.fits)).toBe(false);
  });

  it('fits 2 × 8 × H100 with TP 8 inside each node and PP 2 across them, a layout vLLM accepts', () => {
    const layout = { tp: 8, pp: 2, dp: 1, ep: false };
    expect(layoutRejection(DEEPSEEK_V3, layout)).toBeNull();
    const plan = planMemory(DEEPSEEK_V3, gpu('H100'), layout, { ...DEFAULT_RESOLVED_SERVING_OPTIONS, maxModelLenTokens: 8192 });
    expect(plan.fits).toBe(true);
    expect(plan.maxConcurrency).toBeGreaterThan(1);

    const r = recommend(DEEPSEEK_V3, request({ maxGpus: 16 }));
    const fitting = r.candidates.filter((c) => c.memory.fits && c.perf !== null);
    expect(fitting.length).toBeGreaterThan(0);
    for (const c of fitting) {
      expect(c.gpuCount).toBe(16);
      expect(layoutRejection(DEEPSEEK_V3, c.layout)).toBeNull();
      expect(c.placement?.nodes).toBe(2);
    }
    const pp2 = fitting.find((c) => c.layout.tp === 8 && c.layout.pp === 2);
    expect(pp2?.placement).toMatchObject({ nodes: 2, tpCrossesNodes: false, ppCrossNodeHops: 1 });
  });

  it('flags TP 16 across two HGX nodes and prices its all-reduces over the network (slower than TP 8 × PP 2 per token)', () => {
    const r = recommend(DEEPSEEK_V3, request({ maxGpus: 16, concurrency: 1 }));
    const tp16 = r.candidates.find((c) => c.layout.tp === 16 && c.layout.pp === 1 && !c.layout.ep);
    const pp2 = r.candidates.find((c) => c.layout.tp === 8 && c.layout.pp === 2 && !c.layout.ep);
    expect(tp16?.placement?.tpCrossesNodes).toBe(true);
    expect(tp16?.memory.fits).toBe(true);
    expect(tp16?.perf?.decodeStep.communicationMs ?? 0).toBeGreaterThan(pp2?.perf?.decodeStep.communicationMs ?? Infinity);
  });

  it('on one GB200 NVL72 domain keeps TP and EP inside the rack (no network collective)', () => {
    const r = recommend(DEEPSEEK_V3, request({ gpuIds: ['GB200'], maxGpus: 64 }));
    const fitting = r.candidates.filter((c) => c.memory.fits && c.perf !== null);
    expect(fitting.length).toBeGreaterThan(0);
    expect(fitting.some((c) => c.gpuCount > SINGLE_NODE_REPLICA_GPUS && c.layout.ep)).toBe(true);
    for (const c of fitting) {
      expect(c.placement).toMatchObject({ nodes: 1, tpCrossesNodes: false, ppCrossNodeHops: 0, epCrossesNodes: false });
    }
    const best = r.candidates[0];
    expect(best?.memory.fits).toBe(true);
    expect(best?.placement?.nodes).toBe(1);
  });
});

describe('enumerateLayouts beyond one node', () => {
  it('tries TP up to the NVLink domain and one doubling beyond, PP and DP across nodes, within the budget and replica cap', () => {
    const layouts = enumerateLayouts(DEEPSEEK_V3, 64, { gpusPerNode: 8, minReplicaGpus: 9 });
    expect(Math.max(...layouts.map((l) => l.tp))).toBe(16);
    expect(layouts.some((l) => l.tp === 8 && l.pp === 2)).toBe(true);
    expect(layouts.some((l) => l.ep && l.tp * l.dp === 16)).toBe(true);
    for (const l of layouts) {
      expect(l.tp * l.pp * l.dp).toBeLessThanOrEqual(64);
      // A replica beyond one node holds the weights and fills the node with TP first.
      if (!l.ep && l.tp * l.pp > SINGLE_NODE_REPLICA_GPUS) {
        expect(l.tp * l.pp).toBeGreaterThanOrEqual(9);
        expect(l.tp).toBeGreaterThanOrEqual(8);
      }
    }
  });

  it('TP on an NVL72 domain reaches 64 GPUs (heads permitting) without crossing the rack', () => {
    const layouts = enumerateLayouts(DEEPSEEK_V3, 64, { gpusPerNode: 72, minReplicaGpus: 4 });
    expect(layouts.some((l) => l.tp === 16)).toBe(true);
  });
});

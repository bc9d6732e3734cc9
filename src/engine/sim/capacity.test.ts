import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../session';
import { GPU_CATALOG } from '../catalog/gpus';
import { LLAMA_31_8B, PERF_SERVING, testServing } from '../testArchs';
import type { GpuSpec, Layout, TargetLoad } from '../types';
import { capacityCost, replicasNeeded } from './capacity';

const gpu = (id: string): GpuSpec => {
  const g = GPU_CATALOG.find((x) => x.id === id);
  if (g === undefined) throw new Error(`${id} missing from the catalog`);
  return g;
};
const serving = testServing({ ...PERF_SERVING });
const session = createEngineSession(LLAMA_31_8B);
const layout = (tp: number, dp: number): Layout => ({ tp, pp: 1, dp, ep: false });
const target = (ratePerS: number, slo: Partial<TargetLoad['slo']> = {}): TargetLoad => ({
  ratePerS,
  burstiness: 1,
  slo: { percentile: 99, maxTtftMs: 1000, maxItlMs: 60, maxE2eMs: null, ...slo },
  numRequests: 150,
});
const plan = (ratePerS: number, l: Layout = layout(1, 1), slo: Partial<TargetLoad['slo']> = {}) =>
  session.capacity({ gpu: gpu('H100'), layout: l, serving, engine: 'vllm', inputTokens: 512, outputTokens: 128, target: target(ratePerS, slo) });

describe('replicasNeeded and capacityCost', () => {
  it('replicasNeeded is ⌈target ÷ rate per copy⌉, at least 1, null when no rate meets the SLOs', () => {
    expect(replicasNeeded(40, 10)).toBe(4);
    expect(replicasNeeded(41, 10)).toBe(5);
    expect(replicasNeeded(0.5, 10)).toBe(1);
    expect(replicasNeeded(40, 0)).toBeNull();
  });

  it('capacityCost prices the copies and the target output tokens ($/M = $/h ÷ (rate × osl × 3600) × 1e6)', () => {
    const c = capacityCost(10, 3, 2, 4, 500);
    expect(c.totalGpus).toBe(6);
    expect(c.costUsdPerHour).toBe(12);
    expect(c.usdPerMillionOutputTokens).toBeCloseTo((12 / (10 * 500 * 3600)) * 1e6, 12);
  });
});

describe('session.capacity (one configuration)', () => {
  it('replicas needed double (±1) when the target rate doubles; GPUs and cost follow the copies', () => {
    const a = plan(150);
    const b = plan(300);
    expect(a.status).toBe('planned');
    expect(b.status).toBe('planned');
    if (a.status !== 'planned' || b.status !== 'planned') return;
    expect(Math.abs(b.replicasNeeded - 2 * a.replicasNeeded)).toBeLessThanOrEqual(1);
    expect(a.replicasNeeded).toBeGreaterThan(1);
    expect(b.totalGpus).toBe(b.replicasNeeded);
    expect(b.costUsdPerHour).toBeCloseTo(b.replicasNeeded * gpu('H100').priceUsdPerHour, 9);
    // Each copy runs below the largest rate it sustains within the SLOs.
    expect(b.targetRequestsPerS / b.replicasNeeded).toBeLessThanOrEqual(b.maxRatePerReplicaRequestsPerS);
    expect(b.targetRequestsPerS / (b.replicasNeeded - 1)).toBeGreaterThan(b.maxRatePerReplicaRequestsPerS);
    // The operating point's simulated percentiles are ordered and meet the p99 limits.
    expect(b.atTarget.ttftP99Ms).toBeGreaterThanOrEqual(b.atTarget.ttftP50Ms);
    expect(b.atTarget.ttftP99Ms).toBeLessThanOrEqual(1000);
    expect(b.atTarget.itlP99Ms).toBeLessThanOrEqual(60);
  });

  it('a copy of dp replicas sustains dp times one replica and needs 1/dp the copies', () => {
    const one = plan(150, layout(1, 1));
    const two = plan(150, layout(1, 2));
    if (one.status !== 'planned' || two.status !== 'planned') throw new Error('expected plans');
    expect(two.maxRatePerReplicaRequestsPerS).toBeCloseTo(2 * one.maxRatePerReplicaRequestsPerS, 6);
    expect(two.replicasNeeded).toBe(Math.ceil(150 / two.maxRatePerReplicaRequestsPerS));
    expect(two.totalGpus).toBe(2 * two.replicasNeeded);
  });

  it('a TTFT limit below one prefill is unreachable at any rate: null figures, nothing infinite in JSON', () => {
    const p = plan(10, layout(1, 1), { maxTtftMs: 1 });
    expect(p.status).toBe('slo-unreachable');
    if (p.status !== 'slo-unreachable') return;
    expect(p.replicasNeeded).toBeNull();
    expect(p.totalGpus).toBeNull();
    expect(p.costUsdPerHour).toBeNull();
    const json = JSON.stringify(p);
    expect(json).not.toMatch(/Infinity|NaN/);
    expect(JSON.parse(json)).toMatchObject({ status: 'slo-unreachable', replicasNeeded: null, maxRatePerReplicaRequestsPerS: 0 });
  });
});

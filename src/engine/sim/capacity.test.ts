import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../session';
import { GPU_CATALOG } from '../catalog/gpus';
import { LLAMA_31_8B, PERF_SERVING, testServing } from '../testArchs';
import type { GpuSpec, Layout, TargetLoad } from '../types';
import type { StepBatch } from '../perf/stepBatch';
import { CAPACITY_MAX_ADDED_REPLICA_TRIES, CAPACITY_MAX_REMOVED_REPLICA_TRIES, capacityCost, planFromReplicaRate, replicasNeeded } from './capacity';
import { maxRateMeetingSlo } from './maxRate';
import { runSimulation } from './run';
import { testReplica } from './testReplica';

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
    expect(b.targetRequestsPerS / (b.replicasNeeded - (b.replicasAdded ?? 0) - 1)).toBeGreaterThan(b.maxRatePerReplicaRequestsPerS);
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
    expect(two.replicasNeeded - (two.replicasAdded ?? 0)).toBe(Math.ceil(150 / two.maxRatePerReplicaRequestsPerS));
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

describe('planFromReplicaRate: the plan is judged on the run it reports', () => {
  // A replica whose p99 TTFT limit is met up to a searched rate; a rate given above it stands for a
  // search answer the run at target ÷ copies does not reproduce (the 2 % bracket, a p99's sampling noise).
  const step = (b: StepBatch): number => 8 + 0.02 * b.prefillTokens + 0.04 * b.decodeRequests;
  const replica = testReplica(step, { maxNumSeqs: 128, maxNumBatchedTokens: 4096, requestOverheadMs: 20 });
  const spec = { inputTokens: 1000, outputTokens: 100, numRequests: 300, seed: 3 } as const;
  const slo = { percentile: 99, maxTtftMs: 400, maxItlMs: null, maxE2eMs: null } as const;
  const load: TargetLoad = { ratePerS: 0, burstiness: 1, slo };
  const runAt = (ratePerS: number) => runSimulation(replica, { ...spec, load: { kind: 'open-loop', ratePerS, burstiness: 1 } });

  it('adds copies until the run at the split target meets the limit, and reports that run (never a p99 above the limit)', () => {
    const searched = maxRateMeetingSlo(replica, spec, slo).maxRateMeetingSloRequestsPerS;
    const claimed = 1.3 * searched;
    const t = { ...load, ratePerS: 10 * claimed };
    // Precondition: ⌈target ÷ claimed⌉ = 10 copies run at the claimed rate, which misses the limit.
    expect(runAt(claimed).ttftP99Ms).toBeGreaterThan(400);
    const p = planFromReplicaRate(t, claimed, 1, 1, 2, 100, (n) => runAt(t.ratePerS / n), 0);
    expect(p.status).toBe('planned');
    if (p.status !== 'planned') return;
    expect(p.replicasNeeded).toBeGreaterThan(10);
    expect(p.replicasAdded).toBe(p.replicasNeeded - 10);
    expect(p.atTarget.ttftP99Ms).toBeLessThanOrEqual(400);
    expect(p.atTarget.ttftP99Ms).toBe(runAt(t.ratePerS / p.replicasNeeded).ttftP99Ms);
    // Cost and GPUs follow the copies actually planned.
    expect(p.totalGpus).toBe(p.replicasNeeded);
    expect(p.costUsdPerHour).toBe(2 * p.replicasNeeded);
    // One run at ⌈target ÷ rate⌉ copies, one per count tried after it.
    expect(p.simulations).toBeGreaterThanOrEqual(2);
  });

  it('a rate that holds at the split target adds nothing', () => {
    const searched = maxRateMeetingSlo(replica, spec, slo).maxRateMeetingSloRequestsPerS;
    const t = { ...load, ratePerS: 4 * searched };
    const p = planFromReplicaRate(t, searched, 1, 1, 2, 100, (n) => runAt(t.ratePerS / n), 5);
    if (p.status !== 'planned') throw new Error('expected a plan');
    expect(p.replicasNeeded).toBe(4);
    expect(p.replicasAdded).toBe(0);
    expect(p.simulations).toBe(6);
    expect(p.atTarget.ttftP99Ms).toBeLessThanOrEqual(400);
  });

  it('a searched rate no copy count reproduces within CAPACITY_MAX_ADDED_REPLICA_TRIES is unreachable, not a plan above its limit', () => {
    const t = { ...load, ratePerS: 1, slo: { ...slo, maxTtftMs: 1 } };
    const p = planFromReplicaRate(t, 1, 1, 1, 2, 100, (n) => runAt(1 / n), 0);
    if (p.status !== 'slo-unreachable') throw new Error('expected unreachable');
    expect(p.simulations).toBe(1 + CAPACITY_MAX_ADDED_REPLICA_TRIES);
  });
});

describe('planFromReplicaRate under a router (TargetLoad.routing)', () => {
  const step = (b: StepBatch): number => 8 + 0.02 * b.prefillTokens + 0.04 * b.decodeRequests;
  const replica = testReplica(step, { maxNumSeqs: 128, maxNumBatchedTokens: 4096, requestOverheadMs: 20 });
  const spec = { inputTokens: 1000, outputTokens: 100, numRequests: 300, seed: 3 } as const;
  const slo = { percentile: 99, maxTtftMs: 400, maxItlMs: null, maxE2eMs: null } as const;
  const runAt = (ratePerS: number) => runSimulation(replica, { ...spec, load: { kind: 'open-loop', ratePerS, burstiness: 1 } });

  it('searches fewer copies than the random split\'s count while the run still meets (here the runs stand for a router that lets each copy run faster)', () => {
    const searched = maxRateMeetingSlo(replica, spec, slo).maxRateMeetingSloRequestsPerS;
    // The random split's search says 0.4 × what a copy sustains: ⌈target ÷ it⌉ = 25 copies where ~10 do.
    const t: TargetLoad = { ratePerS: 10 * searched * 0.98, burstiness: 1, slo, routing: 'least-loaded' };
    const p = planFromReplicaRate(t, 0.4 * searched, 1, 1, 2, 100, (n) => runAt(t.ratePerS / n), 0);
    if (p.status !== 'planned') throw new Error('expected a plan');
    expect(p.routing).toBe('least-loaded');
    expect(p.replicasNeeded).toBeLessThan(25);
    expect(p.replicasSavedByRouting).toBe(25 - p.replicasNeeded);
    expect(p.replicasAdded).toBe(0);
    expect(p.atTarget.ttftP99Ms).toBeLessThanOrEqual(400);
    // The count found is the fewest that meets: one fewer misses.
    expect(runAt(t.ratePerS / (p.replicasNeeded - 1)).ttftP99Ms).toBeGreaterThan(400);
    expect(p.simulations).toBeLessThanOrEqual(1 + CAPACITY_MAX_REMOVED_REPLICA_TRIES);
    // The random split plans ⌈target ÷ searched⌉ and takes nothing away.
    const random = planFromReplicaRate({ ...t, routing: 'random' }, 0.4 * searched, 1, 1, 2, 100, (n) => runAt(t.ratePerS / n), 0);
    if (random.status !== 'planned') throw new Error('expected a plan');
    expect(random.replicasNeeded).toBe(25);
    expect(random).not.toHaveProperty('routing');
    expect(random).not.toHaveProperty('replicasSavedByRouting');
  });

  it('least-loaded needs no more copies than the random split on a bursty chat load, and fewer here (Llama-3.1-8B, 1 × H100, p99 TTFT ≤ 400 ms at 30 req/s)', () => {
    const at = (routing: 'random' | 'least-loaded') =>
      session.capacity({
        gpu: gpu('H100'),
        layout: layout(1, 1),
        serving,
        engine: 'vllm',
        inputTokens: 2048,
        outputTokens: 256,
        inputLengths: { kind: 'chat' },
        outputLengths: { kind: 'chat' },
        target: { ratePerS: 30, burstiness: 0.5, slo: { percentile: 99, maxTtftMs: 400, maxItlMs: null, maxE2eMs: null }, numRequests: 150, routing },
      });
    const random = at('random');
    const ll = at('least-loaded');
    if (random.status !== 'planned' || ll.status !== 'planned') throw new Error('expected plans');
    expect(ll.replicasNeeded).toBeLessThan(random.replicasNeeded);
    expect(ll.atTarget.ttftP99Ms).toBeLessThanOrEqual(400);
    expect(ll.costUsdPerHour).toBeLessThan(random.costUsdPerHour);
  });
});


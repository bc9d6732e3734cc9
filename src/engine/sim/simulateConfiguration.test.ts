import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../session';
import { GPU_CATALOG } from '../catalog/gpus';
import { LLAMA_31_8B, PERF_SERVING, testServing } from '../testArchs';
import type { GpuSpec, Layout } from '../types';
import type { SimWorkload } from './simulateConfiguration';

const h100 = ((): GpuSpec => {
  const g = GPU_CATALOG.find((x) => x.id === 'H100');
  if (g === undefined) throw new Error('H100 missing from the catalog');
  return g;
})();
const serving = testServing({ ...PERF_SERVING });
const session = createEngineSession(LLAMA_31_8B);
const layout = (dp: number): Layout => ({ tp: 1, pp: 1, dp, ep: false });
const workload = (over: Partial<SimWorkload>): SimWorkload => ({ inputTokens: 256, outputTokens: 64, load: { kind: 'burst' }, numRequests: 200, ...over });
const simulate = (dp: number, w: SimWorkload) => session.simulate({ gpu: h100, layout: layout(dp), serving, engine: 'vllm', workload: w });

describe('session.simulate', () => {
  it('splits an open-loop rate over dp replicas and adds their throughput back', () => {
    const one = simulate(1, workload({ load: { kind: 'open-loop', ratePerS: 5, burstiness: 1 }, numRequests: 100 }));
    const two = simulate(2, workload({ load: { kind: 'open-loop', ratePerS: 10, burstiness: 1 }, numRequests: 200 }));
    expect(two.busyReplicas).toBe(2);
    // Each of the two replicas sees the one-replica run exactly (same seed, same rate, same requests).
    expect(two.ttftP99Ms).toBe(one.ttftP99Ms);
    expect(two.requestsPerS).toBeCloseTo(2 * one.requestsPerS, 9);
    expect(two.simulatedRequests).toBe(100);
  });

  it('a closed loop smaller than dp keeps the idle replicas out of the throughput', () => {
    const r = simulate(4, workload({ load: { kind: 'closed-loop', concurrency: 2 } }));
    expect(r.busyReplicas).toBe(2);
  });

  it('searches the largest rate meeting the SLO over all replicas when asked', () => {
    const slo = { maxTtftMs: 500, maxItlMs: null, maxE2eMs: null, percentile: 99 } as const;
    const w = workload({ load: { kind: 'open-loop', ratePerS: 1, burstiness: 1 }, slo, searchMaxRate: true, numRequests: 150 });
    const one = simulate(1, w);
    const three = simulate(3, { ...w, numRequests: 450 });
    expect(one.maxRateMeetingSloRequestsPerS).not.toBeNull();
    expect(one.maxRateMeetingSloRequestsPerS ?? 0).toBeGreaterThan(0);
    expect(three.maxRateMeetingSloRequestsPerS ?? 0).toBeCloseTo(3 * (one.maxRateMeetingSloRequestsPerS ?? 0), 6);
    expect(simulate(1, { ...w, searchMaxRate: false }).maxRateMeetingSloRequestsPerS).toBeNull();
  });

  it('plans the copies an open-loop rate needs with the plan recommend --rate uses (planFromReplicaRate), when asked', () => {
    // The bug this guards: estimate --rate reported plain ⌈rate ÷ max rate⌉ copies, never judged on a
    // run at the split rate, while recommend --rate judged its plan on that run (replicasAdded).
    const slo = { maxTtftMs: 500, maxItlMs: 30, maxE2eMs: null, percentile: 99 } as const;
    for (const dp of [1, 2]) {
      const w = workload({ load: { kind: 'open-loop', ratePerS: 40, burstiness: 1 }, slo, searchMaxRate: true, planReplicas: true, numRequests: 150 * dp });
      const sim = simulate(dp, w);
      // session.capacity runs the same search and plan on the same requests (150 per engine replica, seed 1).
      const planned = session.capacity({
        gpu: h100,
        layout: layout(dp),
        serving,
        engine: 'vllm',
        inputTokens: 256,
        outputTokens: 64,
        target: { ratePerS: 40, burstiness: 1, slo, numRequests: 150, seed: 1 },
      });
      expect(sim.capacity).toEqual(planned);
      if (sim.capacity?.status !== 'planned') throw new Error(`dp ${dp}: ${sim.capacity?.status ?? 'no plan'}`);
      const base = Math.ceil(40 / sim.capacity.maxRatePerReplicaRequestsPerS);
      expect(sim.capacity.replicasNeeded).toBe(base + (sim.capacity.replicasAdded ?? 0));
      expect(sim.capacity.maxRatePerReplicaRequestsPerS).toBeCloseTo(sim.maxRateMeetingSloRequestsPerS ?? 0, 9);
      // The plan is judged on the run it reports: within every limit.
      expect(sim.capacity.atTarget.ttftP99Ms).toBeLessThanOrEqual(500);
      expect(sim.capacity.atTarget.itlP99Ms).toBeLessThanOrEqual(30);
      expect(sim.capacity.totalGpus).toBe(sim.capacity.replicasNeeded * dp);
    }
    expect(simulate(1, workload({ load: { kind: 'open-loop', ratePerS: 40, burstiness: 1 }, slo, searchMaxRate: true, numRequests: 150 })).capacity).toBeUndefined();
    const unreachable = simulate(1, workload({ load: { kind: 'open-loop', ratePerS: 4, burstiness: 1 }, slo: { ...slo, maxItlMs: 0.01 }, searchMaxRate: true, planReplicas: true, numRequests: 150 }));
    expect(unreachable.capacity?.status).toBe('slo-unreachable');
  });

  it('routes an open loop over dp replicas when asked (sim/routedRun.ts); random is the even split as before, and the plan uses the routing', () => {
    const w = workload({ inputTokens: 1024, outputTokens: 128, inputLengths: { kind: 'chat' }, outputLengths: { kind: 'chat' }, load: { kind: 'open-loop', ratePerS: 24, burstiness: 0.5 }, numRequests: 400 });
    const plain = simulate(4, w);
    expect(simulate(4, { ...w, routing: 'random' })).toEqual(plain);
    const ll = simulate(4, { ...w, routing: 'least-loaded' });
    // Four replicas of 100 requests each behind the router; throughput all four's.
    expect(ll.simulatedRequests).toBe(400);
    expect(ll.ttftP99Ms).not.toBe(plain.ttftP99Ms);
    expect(ll.requestsPerS).toBeGreaterThan(0.85 * 24);
    expect(ll.requestsPerS).toBeLessThan(1.15 * 24);
    const slo = { maxTtftMs: 500, maxItlMs: null, maxE2eMs: null, percentile: 99 } as const;
    const planned = simulate(1, { ...w, numRequests: 150, slo, searchMaxRate: true, planReplicas: true, routing: 'least-loaded' });
    expect(planned.capacity?.status === 'planned' && planned.capacity.routing).toBe('least-loaded');
  });
});

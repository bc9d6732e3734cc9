import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../session';
import { GPU_CATALOG } from '../catalog/gpus';
import { LLAMA_31_8B, PERF_SERVING, testServing } from '../testArchs';
import type { GpuSpec, Layout, ReplicaRouting, TargetLoad } from '../types';
import type { StepBatch } from '../perf/stepBatch';
import { replicaUnderTest, runAtTarget } from './capacity';
import { runSimulation } from './run';
import { ROUTED_REPLICAS_SIMULATED, routeStream, runRouted } from './routedRun';
import { routeLeastLoaded } from './router';
import { testReplica } from './testReplica';

const gpu = (id: string): GpuSpec => {
  const g = GPU_CATALOG.find((x) => x.id === id);
  if (g === undefined) throw new Error(`${id} missing from the catalog`);
  return g;
};
const session = createEngineSession(LLAMA_31_8B);
const serving = testServing({ ...PERF_SERVING });
const layout: Layout = { tp: 1, pp: 1, dp: 1, ep: false };
const slo = { percentile: 99, maxTtftMs: 800, maxItlMs: null, maxE2eMs: null } as const;

/** Llama-3.1-8B on one H100, chat-like lengths (long-tailed prompts and outputs). */
function u8b(target: TargetLoad, inputTokens = 2048, outputTokens = 256) {
  return replicaUnderTest(
    { gpu: gpu('H100'), layout, serving, engine: 'vllm', inputTokens, outputTokens, target, inputLengths: { kind: 'chat' }, outputLengths: { kind: 'chat' }, memory: session.plan(gpu('H100'), layout, serving) },
    session.modelCost(serving, layout),
  );
}

describe('runRouted: replicas behind a router that sees the whole stream', () => {
  const t: TargetLoad = { ratePerS: 6, burstiness: 0.5, slo, numRequests: 120 };
  const u = u8b(t);
  const openLoop = (ratePerS: number) => ({ ...u.spec, load: { kind: 'open-loop', ratePerS, burstiness: 0.5 } as const });

  it('one replica: round-robin and least-loaded are the single replica exactly', () => {
    const alone = runSimulation(u.replica, openLoop(6));
    expect(runRouted(u.replica, openLoop(6), 1, 'round-robin')).toEqual(alone);
    expect(runRouted(u.replica, openLoop(6), 1, 'least-loaded')).toEqual(alone);
  });

  it("'random' is one replica at rate ÷ replicas, as the rate mode always ran it (the default)", () => {
    expect(runRouted(u.replica, openLoop(18), 3, 'random')).toEqual(runSimulation(u.replica, openLoop(6)));
    expect(runAtTarget(u, { ...t, ratePerS: 18 }, 3)).toEqual(runSimulation(u.replica, openLoop(6)));
  });

  it('serves every routed request once: numRequests per replica, the group keeping up with its arrivals at a sustainable rate', () => {
    const r = runRouted(u.replica, openLoop(12), 3, 'least-loaded');
    expect(r.simulatedRequests).toBe(3 * 120);
    expect(r.rejectedRequests).toBe(0);
    // Each replica leaves out its own first tenth (⌈0.1 × its count⌉).
    expect(r.measuredRequests).toBeGreaterThanOrEqual(3 * 120 - 3 * 13);
    expect(r.measuredRequests).toBeLessThan(3 * 120);
    expect(r.requestsPerS / r.offeredRequestsPerS).toBeGreaterThan(0.9);
  });

  it(`simulates at most ROUTED_REPLICAS_SIMULATED (${ROUTED_REPLICAS_SIMULATED}) replicas, at their share of the rate`, () => {
    const many = runRouted(u.replica, openLoop(2 * ROUTED_REPLICAS_SIMULATED * 2), 2 * ROUTED_REPLICAS_SIMULATED, 'round-robin');
    expect(many).toEqual(runRouted(u.replica, openLoop(ROUTED_REPLICAS_SIMULATED * 2), ROUTED_REPLICAS_SIMULATED, 'round-robin'));
  });

  it('least-loaded gives a p99 TTFT no higher than the random split at the same rate on a bursty load, averaged over seeds (8B, 4 × H100, chat lengths)', () => {
    const seeds = [1, 2, 3, 4];
    const p99 = (routing: ReplicaRouting): number => {
      let sum = 0;
      for (const seed of seeds) sum += runAtTarget({ ...u, spec: { ...u.spec, seed, numRequests: 200 } }, { ...t, ratePerS: 24, routing }, 4).ttftP99Ms;
      return sum / seeds.length;
    };
    const random = p99('random');
    const leastLoaded = p99('least-loaded');
    expect(Number.isFinite(random) && Number.isFinite(leastLoaded)).toBe(true);
    expect(leastLoaded).toBeLessThanOrEqual(random);
  });
});

describe('routeLeastLoaded (hand-checked)', () => {
  // 1 prompt token per ms; decode steps 1 ms each.
  const replica = testReplica(() => 1, { maxNumBatchedTokens: 1000 });
  const requests = { inputTokens: Int32Array.from([1000, 10, 10, 10, 10]), outputTokens: Int32Array.from([100, 100, 100, 1, 100]) };
  const work = [1000, 10, 10, 10, 10];

  it('sends a prompt where it would start first, then to the fewest outstanding, then the least recently sent', () => {
    // 0 at 0 → replica 0 (all idle: the lowest index), prefilling until 1,000 ms; 1 at 1 → replica 1 (its prompt
    // starts at once; replica 0's at 1,000); 2 at 2 → replica 2 (replica 1's queue runs to 11); 3 at 50 → replicas
    // 1 and 2 idle with one outstanding each → the least recently sent, 1 (3 ends at 50 + 10 + 1 = 61 by the
    // estimate); 4 at 60 → replica 1 holds two outstanding (1's end at 111, 3's at 61), replica 2 one → 2.
    const to = routeLeastLoaded([0, 1, 2, 3, 4], [0, 1, 2, 50, 60], work, requests, 3, replica, 1);
    expect(Array.from(to)).toEqual([0, 1, 2, 1, 2]);
  });

  it('routeStream with round-robin is i mod n', () => {
    const stream = { count: 5, inputTokens: requests.inputTokens, outputTokens: requests.outputTokens, sendMs: Float64Array.from([0, 1, 2, 50, 60]) };
    expect(Array.from(routeStream(replica, stream, 2, 'round-robin'))).toEqual([0, 1, 0, 1, 0]);
  });

  it('keeps a short prompt from queueing behind a long one in the simulated run (round-robin does not)', () => {
    const r = testReplica((b: StepBatch) => 1 + 0.01 * b.prefillTokens + 0.01 * b.decodeRequests, { maxNumBatchedTokens: 100000 });
    const spec = { inputTokens: 100, outputTokens: 2, numRequests: 40, seed: 5, inputLengths: { kind: 'chat' } as const };
    const load = { kind: 'open-loop', ratePerS: 200, burstiness: 0.3 } as const;
    const rr = runRouted(r, { ...spec, load }, 2, 'round-robin');
    const ll = runRouted(r, { ...spec, load }, 2, 'least-loaded');
    expect(ll.ttftP99Ms).toBeLessThanOrEqual(rr.ttftP99Ms);
  });
});

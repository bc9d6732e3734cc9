import { describe, expect, it } from 'vitest';
import { testReplica, testRequests } from '../sim/testReplica';
import type { StepBatch } from '../perf/stepBatch';
import { routeDecode, routePrefill } from './routing';
import { runTandem, runTandemPrefill } from './tandem';
import { simulateDisagg } from './simulateDisagg';
import { pool, workload } from './testPools.testing';

describe('routePrefill / routeDecode (hand-checked)', () => {
  it('round-robin is i mod n whatever the load (vLLM toy_proxy_server.py)', () => {
    expect(Array.from(routePrefill('round-robin', [0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [9e9, 1, 1, 1, 1], 2, 1))).toEqual([0, 1, 0, 1, 0]);
  });

  it('least-loaded sends each prompt to the replica whose queue of prompt tokens empties first (ties to the lowest index)', () => {
    // 1 token/ms: request 0 (1,000 tokens) busies replica 0 until 1,000 ms; 1 (100) replica 1 until 100;
    // 2 at 50 ms → replica 1 (free at 100 < 1,000), now until 200; 3 at 500 ms → replica 1 (idle: starts at once).
    const at = [0, 0, 50, 500];
    expect(Array.from(routePrefill('least-loaded', [0, 1, 2, 3], at, [1000, 100, 100, 100], 2, 1))).toEqual([0, 1, 1, 1]);
  });

  it('least-loaded decode: the replica with the fewest outstanding requests, by the router\'s end estimate (output × the step at that batch)', () => {
    const replica = testReplica(() => 5);
    const requests = { inputTokens: Int32Array.from([10, 10, 10, 10]), outputTokens: Int32Array.from([100, 2, 2, 2]) };
    // 0 (ends ≈ 500 ms) → replica 0; 1 → replica 1 (ends at 11); at 20 ms 1 has ended: 2 → replica 1; at 21, 0 and 1 outstanding each → the least recently sent, replica 0.
    expect(Array.from(routeDecode('least-loaded', [0, 1, 2, 3], [0, 1, 20, 21], requests, 2, replica))).toEqual([0, 1, 1, 0]);
  });
});

describe('least-loaded routing in the tandem run', () => {
  it('keeps a long prompt from queueing a short one behind it: the hand-checked case', () => {
    // Prefill: 1 ms per 100 prompt tokens (+1 ms a step); two replicas; a 20,000-token prompt, then three short ones.
    const prefill = testReplica((b: StepBatch) => 1 + 0.01 * b.prefillTokens, { maxNumBatchedTokens: 100000 });
    const decode = testReplica(() => 5);
    const stream = testRequests(
      [
        [20000, 2],
        [100, 2],
        [100, 2],
        [100, 2],
      ],
      [0, 1, 2, 3],
    );
    const load = { ratePerS: 100, burstiness: 1 };
    const rr = runTandem(runTandemPrefill(prefill, stream, 2, load, 1), decode, stream, 2, load, 1, () => 0);
    const ll = runTandem(runTandemPrefill(prefill, stream, 2, load, 1, 'least-loaded'), decode, stream, 2, load, 1, () => 0, 'least-loaded');
    expect(ll.routing).toBe('least-loaded');
    // Round-robin puts request 2 behind the 201 ms prefill; least-loaded sends it to the other replica.
    expect((rr.requests.prefillDoneMs[2] ?? 0) - 2).toBeGreaterThan(150);
    expect((ll.requests.prefillDoneMs[2] ?? 0) - 2).toBeLessThan(10);
  });

  it('never gives a higher p99 TTFT than round-robin on a bursty load, averaged over seeds (8B, 4 prefill + 2 decode H100)', () => {
    const seeds = [1, 2, 3, 4];
    const p99 = (routing: 'round-robin' | 'least-loaded'): number => {
      let sum = 0;
      for (const seed of seeds) {
        const w = { ...workload(24, 2048, 64), burstiness: 0.25, numRequests: 150, seed, routing, inputLengths: { kind: 'uniform', rangeRatio: 0.9 } as const };
        sum += simulateDisagg(pool('H100', 1, 4), pool('H100', 1, 2), w).latency.ttftP99Ms;
      }
      return sum / seeds.length;
    };
    const rr = p99('round-robin');
    const ll = p99('least-loaded');
    expect(Number.isFinite(rr) && Number.isFinite(ll)).toBe(true);
    expect(ll).toBeLessThanOrEqual(rr);
  });
});

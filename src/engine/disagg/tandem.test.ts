import { describe, expect, it } from 'vitest';
import { testReplica, testRequests } from '../sim/testReplica';
import type { StepBatch } from '../perf/stepBatch';
import { replicaUnderTest, runAtRate } from '../sim/capacity';
import { runTandem, runTandemPrefill } from './tandem';
import { poolReplica, runDisaggTandem, simulateDisagg } from './simulateDisagg';
import { pool, serving, workload } from './testPools.testing';

/** Prefill: 10 ms + 0.01 ms per prompt token; decode: 5 ms a step. */
const prefillReplica = testReplica((b: StepBatch) => 10 + 0.01 * b.prefillTokens);
const decodeReplica = testReplica(() => 5);

describe('runTandem (hand-checked)', () => {
  // Three requests of 1,000 prompt tokens, 3 output tokens, sent 100 ms apart; 1 prefill and 2 decode replicas; 2 ms transfers.
  const stream = testRequests(
    [
      [1000, 3],
      [1000, 3],
      [1000, 3],
    ],
    [0, 100, 200],
  );
  const load = { ratePerS: 10, burstiness: 1 };
  const run = runTandem(runTandemPrefill(prefillReplica, stream, 1, load, 1), decodeReplica, stream, 2, load, 1, () => 2);
  const r = run.requests;

  it('prefill done = send + one 20 ms prefill step; decode arrival = that + the 2 ms transfer', () => {
    expect(Array.from(r.prefillDoneMs)).toEqual([20, 120, 220]);
    expect(Array.from(r.decodeArrivalMs)).toEqual([22, 122, 222]);
    expect(Array.from(r.transferTokens)).toEqual([1000, 1000, 1000]);
  });

  it('decode servers in round-robin order of prefill completion (vLLM toy_proxy_server.py)', () => {
    expect(Array.from(r.decodeReplica)).toEqual([0, 1, 0]);
    expect(run.decode.ids.map((ids) => Array.from(ids))).toEqual([[0, 2], [1]]);
  });

  it('the decode replica starts each at its arrival (idle), computes the last prompt token and decodes: 3 steps of 5 ms', () => {
    expect(Array.from(r.decodeStartMs)).toEqual([22, 122, 222]);
    expect(Array.from(r.decodeFirstTokenMs)).toEqual([27, 127, 227]);
    expect(Array.from(r.decodeFinishMs)).toEqual([37, 137, 237]);
  });
});

describe('tandem arrivals (engine pools)', () => {
  it('no decode request starts before its prefill finished and its KV arrived; first token after the start', () => {
    for (const [np, nd, rate] of [
      [1, 1, 4],
      [1, 3, 8],
      [2, 1, 6],
      [2, 3, 10],
    ] as const) {
      const run = runDisaggTandem(pool('H100', 1, np), pool('H100', 1, nd), { ...workload(rate, 1024, 64), numRequests: 60, inputLengths: { kind: 'uniform', rangeRatio: 0.8 } });
      const r = run.requests;
      let started = 0;
      for (let i = 0; i < r.sendMs.length; i += 1) {
        const start = r.decodeStartMs[i] ?? Number.NaN;
        if (!Number.isFinite(start)) continue;
        started += 1;
        expect(r.prefillDoneMs[i]).toBeGreaterThan(r.sendMs[i] ?? 0);
        expect(r.decodeArrivalMs[i]).toBeCloseTo((r.prefillDoneMs[i] ?? 0) + (r.transferMs[i] ?? 0), 9);
        expect(start).toBeGreaterThanOrEqual(r.decodeArrivalMs[i] ?? 0);
        expect(r.decodeFirstTokenMs[i]).toBeGreaterThan(start);
      }
      expect(started).toBe(r.sendMs.length);
      // Round-robin: the decode replicas' shares differ by at most one request.
      const sizes = run.decode.ids.map((ids) => ids.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(60 * Math.max(np, nd));
    }
  });

  it('is deterministic: the same workload and seed give the same run, another seed another', () => {
    const w = { ...workload(6), numRequests: 80 };
    const a = simulateDisagg(pool('H100', 1, 1), pool('H100', 1, 2), w);
    const b = simulateDisagg(pool('H100', 1, 1), pool('H100', 1, 2), w);
    const c = simulateDisagg(pool('H100', 1, 1), pool('H100', 1, 2), { ...w, seed: 2 });
    expect(a).toEqual(b);
    expect(c.latency.ttftP99Ms).not.toBe(a.latency.ttftP99Ms);
    expect(a.arrivals).toBe('tandem');
    expect(a.routing).toBe('round-robin');
  });

  it('P/D at zero transfer cost, with as many decode replicas as aggregated copies, is never worse on ITL than aggregated', () => {
    for (const [ratePerS, isl, np, nd] of [
      [2, 2048, 1, 2],
      [6, 1024, 1, 2],
      [12, 512, 2, 2],
      [8, 2048, 2, 3],
    ] as const) {
      const d = pool('H100', 1, nd);
      const w = workload(ratePerS, isl, 128);
      const disagg = simulateDisagg(pool('H100', 1, np), d, w, { transferMsOf: () => 0 }).latency;
      const u = replicaUnderTest(
        { gpu: d.gpu, layout: d.layout, serving, engine: 'vllm', memory: d.memory, inputTokens: isl, outputTokens: 128, target: { ratePerS, burstiness: 1, slo: { percentile: 99, maxTtftMs: null, maxItlMs: null, maxE2eMs: null }, numRequests: 200 } },
        d.cost,
      );
      const agg = runAtRate(u, ratePerS / nd, 1);
      expect(disagg.itlMs).toBeLessThanOrEqual(agg.itlMs);
      expect(disagg.itlP50Ms).toBeLessThanOrEqual(agg.itlP50Ms);
      expect(disagg.itlP99Ms).toBeLessThanOrEqual(agg.itlP99Ms);
    }
  });

  it('the decode pool gets the prefill pool’s departures: its replicas’ arrivals are the prefill completions + transfers', () => {
    const p = pool('H100', 1, 2);
    const d = pool('H100', 1, 2);
    const w = { ...workload(8), numRequests: 50 };
    const run = runDisaggTandem(p, d, w);
    const arrivals = [...run.decode.traces.flatMap((t) => Array.from(t.arrivalMs))].sort((a, b) => a - b);
    const expected = Array.from(run.requests.decodeArrivalMs).sort((a, b) => a - b);
    expect(arrivals).toEqual(expected);
    expect(poolReplica(d, 'decode', w).speculative).toBeUndefined();
  });
});

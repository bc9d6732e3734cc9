import { describe, expect, it } from 'vitest';
import { replicaUnderTest, runAtRate } from '../sim/capacity';
import type { TargetLoad } from '../types';
import { combineLatency, poolRequests, runPool, simulateDisagg, stepResidualMs } from './simulateDisagg';
import { pool, workload } from './testPools.testing';

const target = (ratePerS: number): TargetLoad => ({ ratePerS, burstiness: 1, slo: { percentile: 99, maxTtftMs: null, maxItlMs: null, maxE2eMs: null }, numRequests: 200 });

/** Aggregated serving of the same requests on `replicas` copies of a pool's layout, one copy simulated. */
function aggregated(poolOf: ReturnType<typeof pool>, ratePerS: number, replicas: number, isl: number, osl: number) {
  const u = replicaUnderTest(
    { gpu: poolOf.gpu, layout: poolOf.layout, serving: poolOf.serving, engine: 'vllm', memory: poolOf.memory, inputTokens: isl, outputTokens: osl, target: target(ratePerS) },
    poolOf.cost,
  );
  return runAtRate(u, ratePerS / replicas, 1);
}

describe('stepResidualMs', () => {
  it('is half the step for equal steps, and length-biased for unequal ones', () => {
    expect(stepResidualMs(new Float64Array([10, 10, 10]))).toBeCloseTo(5, 12);
    // Steps of 10 and 30 ms: a random instant is in the 30 ms step 3/4 of the time: (100 + 900) / 80 = 12.5.
    expect(stepResidualMs(new Float64Array([10, 30]))).toBeCloseTo(12.5, 12);
    expect(stepResidualMs(new Float64Array([]))).toBe(0);
  });
});

describe('simulateDisagg', () => {
  it("pools' requests: the same lengths in the same order; prefill emits one token, decode starts with all but the last prompt token", () => {
    const w = { ...workload(4), inputLengths: { kind: 'uniform' as const, rangeRatio: 0.5 }, outputLengths: { kind: 'uniform' as const, rangeRatio: 0.5 } };
    const pre = poolRequests('prefill', w, 2, 100_000);
    const dec = poolRequests('decode', w, 4, 100_000);
    expect(Array.from(pre.inputTokens)).toEqual(Array.from(dec.inputTokens));
    expect(pre.outputTokens.every((t) => t === 1)).toBe(true);
    expect(Array.from(dec.cachedPromptTokens ?? [])).toEqual(Array.from(dec.inputTokens, (t) => t - 1));
  });

  it('TTFT = prefill pool + KV transfer + decode pool’s first token, request by request (the means add up)', () => {
    const r = simulateDisagg(pool('H100', 1, 1), pool('H100', 1, 1), workload(4));
    const l = r.latency;
    expect(l.measuredRequests).toBeGreaterThan(100);
    expect(l.ttftMs).toBeCloseTo(l.prefillPartMs + l.kvTransferMs + l.kvReadyStepWaitMs + l.decodeFirstTokenPartMs, 6);
    expect(l.kvReadyStepWaitMs).toBeGreaterThan(0);
    expect(l.kvTransferMs).toBeCloseTo(r.kvTransferMsPerRequest, 9);
    // The decode side computes one token: its part is the request overhead and about a step, below
    // the prefill pool's overhead + prefill of 1,024 tokens.
    expect(l.decodeFirstTokenPartMs).toBeLessThan(l.prefillPartMs);
    expect(r.prefillKeepsUp && r.decodeKeepsUp).toBe(true);
  });

  it('at zero transfer cost TTFT falls by exactly the transfer and ITL is unchanged', () => {
    const p = pool('H100', 1, 1);
    const d = pool('H100', 1, 1);
    const w = workload(4);
    const pre = runPool(p, 'prefill', w, 1);
    const dec = runPool(d, 'decode', w, 1);
    const withTransfer = combineLatency(pre, dec, () => 5);
    const free = combineLatency(pre, dec, () => 0);
    expect(withTransfer.ttftMs - free.ttftMs).toBeCloseTo(5, 9);
    expect(free.itlP99Ms).toBe(withTransfer.itlP99Ms);
  });

  it('P/D at zero transfer cost, with as many decode replicas as aggregated copies, is never worse on ITL than aggregated', () => {
    for (const [ratePerS, isl] of [
      [2, 2048],
      [6, 1024],
      [12, 512],
    ] as const) {
      const d = pool('H100', 1, 2);
      const w = workload(ratePerS, isl, 128);
      const dec = runPool(d, 'decode', w, 2);
      const pre = runPool(pool('H100', 1, 2), 'prefill', w, 2);
      const disagg = combineLatency(pre, dec, () => 0);
      const agg = aggregated(d, ratePerS, 2, isl, 128);
      expect(disagg.itlP99Ms).toBeLessThanOrEqual(agg.itlP99Ms);
      expect(disagg.itlMs).toBeLessThanOrEqual(agg.itlMs);
      expect(disagg.itlP50Ms).toBeLessThanOrEqual(agg.itlP50Ms);
    }
  });

  it('costs every GPU of both pools and prices the target’s output tokens', () => {
    const r = simulateDisagg(pool('H100', 2, 1), pool('H100', 1, 3), workload(4));
    expect(r.totalGpus).toBe(2 + 3);
    const price = pool('H100', 1).priceUsdPerHour;
    expect(r.costUsdPerHour).toBeCloseTo(5 * price, 9);
    expect(r.usdPerMillionOutputTokens).toBeCloseTo((5 * price * 1e6) / (4 * 128 * 3600), 6);
  });
});

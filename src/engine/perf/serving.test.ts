import { describe, expect, it } from 'vitest';
import { meanFirstTokenMs, meanStepTime } from './serving';
import { buildModelCost } from './modelCost';
import { pickReplicaPoint, replicaModel, runReplica, runReplicaSweep, sweepPick } from './estimatePerf';
import type { SloLimits } from '../types';
import { H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';

/** Brute force of the closed form: mean of max(a(i+1), b(i−B+1)+c) over i < N. */
function brute(n: number, running: number, a: number, b: number, c: number): number {
  let s = 0;
  for (let i = 0; i < n; i += 1) s += Math.max(a * (i + 1), b * (i - running + 1) + c);
  return s / n;
}

describe('meanFirstTokenMs', () => {
  it('matches the brute-force mean of the two first-token bounds of an all-at-once run', () => {
    const cases: [number, number, number, number, number][] = [
      [1000, 256, 3, 10, 50],
      [100, 7, 3860, 3860, 4000],
      [500, 1024, 1, 5, 20],
      [3000, 1500, 0.2, 0.1, 900],
      [1, 1, 5, 5, 5],
    ];
    for (const [n, r, a, b, c] of cases) expect(meanFirstTokenMs(n, r, a, b, c)).toBeCloseTo(brute(n, r, a, b, c), 6);
  });
});

describe('replicaPerf steady state (closed loop)', () => {
  const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
  const plan = memoryPlan(32, 4096, 50e9);
  const model = (isl: number, osl: number, budget = 8192) =>
    replicaModel({ gpu: H100, serving: testServing({ ...PERF_SERVING, maxNumBatchedTokens: budget }), engine: 'vllm', memory: plan }, cost, isl, osl);

  it('satisfies its own flow balance: the step at s·(osl − 1) decodes and s·isl prompt tokens is the ITL, and λ = B / cycle', () => {
    for (const [isl, osl, c] of [
      [1000, 500, 64],
      [4000, 20, 32],
      [128, 2048, 200],
      [8000, 1, 16],
    ] as const) {
      const m = model(isl, osl);
      const r = runReplica(m, 'closed-loop', c);
      const s = r.admittedPerStep;
      const step = meanStepTime(m, s * (osl - 1), s * isl);
      expect(Math.abs(step.totalMs - r.itlMs) / r.itlMs).toBeLessThan(1e-6);
      const lambdaPerMs = r.requestsPerS / 1000;
      // s = λτ at the fixed point.
      expect(Math.abs(lambdaPerMs * r.itlMs - s) / s).toBeLessThan(1e-6);
      // Little's law on the running requests: B = λ × (engine TTFT + (osl − 1) τ).
      const engineTtft = r.ttftMs - m.requestOverheadMs - r.queueMs;
      expect(Math.abs(lambdaPerMs * (engineTtft + (osl - 1) * r.itlMs) - r.runningRequests) / r.runningRequests).toBeLessThan(1e-6);
    }
  });

  it('gives the same answer whatever the solve starts from (a sweep warm-starts each point from the previous)', () => {
    const m = model(2000, 300);
    const cold = runReplica(m, 'closed-loop', 48);
    for (const guess of [1e-9, 1e-3, 0.01, 1, 1e6]) {
      const warm = runReplica(m, 'closed-loop', 48, guess);
      expect(Math.abs(warm.ttftMs - cold.ttftMs) / cold.ttftMs).toBeLessThan(1e-6);
      expect(Math.abs(warm.itlMs - cold.itlMs) / cold.itlMs).toBeLessThan(1e-6);
    }
    const sweep = runReplicaSweep(m, [1, 2, 4, 8, 16, 32, 48]);
    const last = sweep[sweep.length - 1];
    expect(Math.abs((last?.ttftMs ?? 0) - cold.ttftMs) / cold.ttftMs).toBeLessThan(1e-6);
  });

  it('latencies never fall as the closed-loop concurrency rises (1 … 256, every integer)', () => {
    for (const [isl, osl] of [
      [1000, 200],
      [6000, 8],
      [200, 1500],
    ] as const) {
      const rs = runReplicaSweep(model(isl, osl, 2048), Array.from({ length: 256 }, (_, i) => i + 1));
      for (let i = 1; i < rs.length; i += 1) {
        const lo = rs[i - 1];
        const hi = rs[i];
        if (lo === undefined || hi === undefined) continue;
        expect(hi.ttftMs, `ttft at ${i + 1}`).toBeGreaterThanOrEqual(lo.ttftMs * (1 - 1e-6));
        expect(hi.itlMs, `itl at ${i + 1}`).toBeGreaterThanOrEqual(lo.itlMs * (1 - 1e-6));
      }
    }
  });
});

describe('sweepPick (recommend.ts groupPick: a sweep ranked without an object per point)', () => {
  const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
  const plan = memoryPlan(32, 4096, 50e9);
  const m = replicaModel({ gpu: H100, serving: testServing(PERF_SERVING), engine: 'vllm', memory: plan }, cost, 2000, 500);
  const points = [1, 2, 3, 5, 8, 13, 21, 32];
  const slos: SloLimits[] = [
    { maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null }, // met at the top point
    { maxTtftMs: null, maxItlMs: null, maxE2eMs: null }, // no limit: the highest throughput
    { maxTtftMs: 1e-3, maxItlMs: null, maxE2eMs: null }, // never met: the lowest E2E
    { maxTtftMs: null, maxItlMs: 9, maxE2eMs: null }, // met part way
  ];
  it('picks the point pickReplicaPoint picks from runReplicaSweep, with bit-identical figures, and the one-request point', () => {
    const full = runReplicaSweep(m, points);
    for (const slo of slos) {
      const lean = sweepPick(m, points, slo);
      expect(lean.pick).toEqual(pickReplicaPoint(m, points, slo, full));
      expect(lean.first).toEqual(full[0]);
    }
    const picks = new Set(slos.map((slo) => sweepPick(m, points, slo).pick?.index));
    expect(picks.size).toBeGreaterThan(2); // the limits above pick different points: the re-solve is exercised
  });
  it('returns no first point when the sweep does not start at one request', () => {
    expect(sweepPick(m, [4, 8], slos[0] ?? { maxTtftMs: null, maxItlMs: null, maxE2eMs: null }).first).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { lengthQuantile, normalQuantile, spreadDecodePhase, TAIL_RANK_GROUPS } from './burstTail';
import { buildModelCost } from './modelCost';
import { perfEstimator, replicaModel, runReplica } from './estimatePerf';
import { H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';

describe('normalQuantile / lengthQuantile', () => {
  it('matches the standard normal quantile and is symmetric', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalQuantile(0.3)).toBeCloseTo(-normalQuantile(0.7), 9);
  });

  it('chat lengths: log-normal with the mean given and std ≈ mean (median = mean ÷ √2)', () => {
    expect(lengthQuantile({ kind: 'chat' }, 200, 0.5)).toBeCloseTo(200 / Math.SQRT2, 6);
    const n = 20000;
    let sum = 0;
    for (let k = 1; k <= n; k += 1) sum += lengthQuantile({ kind: 'chat' }, 200, (k - 0.5) / n);
    expect(sum / n).toBeGreaterThan(195);
    expect(sum / n).toBeLessThan(201);
    expect(lengthQuantile({ kind: 'uniform', rangeRatio: 0.5 }, 200, 0)).toBeCloseTo(100, 9);
    expect(lengthQuantile({ kind: 'uniform', rangeRatio: 0.5 }, 200, 1)).toBeCloseTo(300, 9);
    expect(lengthQuantile({ kind: 'fixed' }, 200, 0.99)).toBe(200);
  });
});

describe('spreadDecodePhase: a wave of answers of varying length ends with its longest', () => {
  // A step of 20 ms fixed + 0.05 ms per decoding request.
  const affine = (b: number): number => 20 + 0.05 * b;

  it('equal answers: m steps at the whole wave', () => {
    const p = spreadDecodePhase(affine, 500, 200, { kind: 'fixed' });
    expect(p.phaseMs).toBeCloseTo(200 * affine(500), 9);
    expect(p.tokens).toBeCloseTo(500 * 200, 9);
    expect(p.tokenWeightedStepMs).toBeCloseTo(affine(500), 9);
  });

  it('mean TPOT counts every request once: equal to the token-weighted step with equal answers, above it with a spread', () => {
    const equal = spreadDecodePhase(affine, 500, 200, { kind: 'fixed' });
    expect(equal.requestMeanTpotMs).toBeCloseTo(equal.tokenWeightedStepMs, 9);
    const chat = spreadDecodePhase(affine, 1000, 200, { kind: 'chat' });
    expect(chat.requestMeanTpotMs).toBeGreaterThan(1.05 * chat.tokenWeightedStepMs);
    // No request can beat the thinnest step or lose to the fullest one.
    expect(chat.requestMeanTpotMs).toBeLessThanOrEqual(affine(1000) + 1e-9);
    expect(chat.requestMeanTpotMs).toBeGreaterThanOrEqual(affine(1));
  });

  it('mean TPOT with one rank per group is the per-request sum T_k ÷ L_k', () => {
    const n = TAIL_RANK_GROUPS;
    const dist = { kind: 'chat' } as const;
    const p = spreadDecodePhase(affine, n, 150, dist);
    let t = 0;
    let prev = 0;
    let sum = 0;
    for (let k = 1; k <= n; k += 1) {
      const length = Math.max(1, lengthQuantile(dist, 150, (k - 0.5) / n));
      t += (length - prev) * affine(n - k + 1);
      prev = length;
      sum += t / length;
    }
    expect(p.requestMeanTpotMs).toBeCloseTo(sum / n, 6);
  });

  it('affine step: the fixed part is paid up to the longest answer, the per-request part per token', () => {
    const p = spreadDecodePhase(affine, 1000, 200, { kind: 'chat' });
    expect(p.phaseMs).toBeCloseTo(20 * p.longestSteps + 0.05 * p.tokens, 6);
    // Σ L_k at mid-rank quantiles is the mean's worth of tokens within a few per cent.
    expect(p.tokens / 1000).toBeGreaterThan(190);
    expect(p.tokens / 1000).toBeLessThan(201);
    // The longest of 1,000 log-normal answers (std = mean) is ~10× the mean: the run is far longer than m steps.
    expect(p.longestSteps).toBeGreaterThan(8 * 200);
    expect(p.phaseMs).toBeGreaterThan(3 * 200 * affine(1000));
    // Per token, a thinning batch is cheaper than the full one's step only if the fixed part is small: here it is not.
    expect(p.tokenWeightedStepMs).toBeLessThan(affine(1000));
  });

  it('grows with the wave (a larger wave has a longer longest answer) and is clipped by the engine limit', () => {
    let prev = 0;
    for (const n of [1, 10, 100, 1000]) {
      const p = spreadDecodePhase(affine, n, 200, { kind: 'chat' });
      expect(p.phaseMs).toBeGreaterThanOrEqual(prev);
      prev = p.phaseMs;
    }
    const clipped = spreadDecodePhase(affine, 1000, 200, { kind: 'chat' }, 800);
    expect(clipped.longestSteps).toBe(800);
    expect(clipped.phaseMs).toBeLessThan(spreadDecodePhase(affine, 1000, 200, { kind: 'chat' }).phaseMs);
  });
});

describe('a one-wave burst with long-tailed answers (serving.ts replicaPerf)', () => {
  const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
  const plan = memoryPlan(32, 4096, 50e9);
  const serving = testServing({ ...PERF_SERVING, maxNumBatchedTokens: 8192, maxNumSeqs: 1024 });
  const input = { arch: LLAMA_31_8B, gpu: H100, serving, engine: 'vllm' as const, memory: plan, layout: { tp: 1, pp: 1, dp: 1, ep: false } };

  it('runs longer than at equal answers, and its token-weighted ITL is no slower (800 requests: one wave, the pool holds 908)', () => {
    const fixed = runReplica(replicaModel(input, cost, 220, 200), 'burst', 800);
    const chat = runReplica(replicaModel(input, cost, 220, 200, { kind: 'chat' }), 'burst', 800);
    expect(chat.requestsPerS).toBeLessThan(0.8 * fixed.requestsPerS);
    expect(chat.itlMs).toBeLessThanOrEqual(fixed.itlMs);
    expect(chat.ttftMs).toBeCloseTo(fixed.ttftMs, 9);
    // A vanishing spread is the equal-length run: never shorter than its last admitted request's.
    const narrow = runReplica(replicaModel(input, cost, 220, 200, { kind: 'uniform', rangeRatio: 0.01 }), 'burst', 800);
    expect(narrow.requestsPerS).toBeLessThanOrEqual(fixed.requestsPerS);
    expect(narrow.requestsPerS).toBeGreaterThan(0.99 * fixed.requestsPerS);
  });

  it('its per-request TPOT (vllm bench mean_tpot) is above its ITL; equal answers and closed loops report none', () => {
    const chat = runReplica(replicaModel(input, cost, 220, 200, { kind: 'chat' }), 'burst', 800);
    expect(chat.tpotMs ?? 0).toBeGreaterThan(1.05 * chat.itlMs);
    expect(runReplica(replicaModel(input, cost, 220, 200), 'burst', 800).tpotMs).toBeUndefined();
    expect(runReplica(replicaModel(input, cost, 220, 200, { kind: 'chat' }), 'closed-loop', 64).tpotMs).toBeUndefined();
    // Through the estimate: the field reaches PerfEstimate and passes the figure checks.
    const estimate = perfEstimator(input, cost, 220, 200, { kind: 'chat' })('max', 800);
    expect(estimate.tpotMs).toBeCloseTo(chat.tpotMs ?? NaN, 9);
    expect(estimate.perfError).toBeNull();
  });

  it('leaves closed loops and bursts wider than the running limit as they were', () => {
    const fixed = replicaModel(input, cost, 220, 200);
    const chat = replicaModel(input, cost, 220, 200, { kind: 'chat' });
    expect(runReplica(chat, 'closed-loop', 64).requestsPerS).toBe(runReplica(fixed, 'closed-loop', 64).requestsPerS);
    const narrow = { ...input, serving: { ...serving, maxNumSeqs: 128 } };
    expect(perfEstimator(narrow, cost, 220, 200, { kind: 'chat' })('max', 1000).requestsPerS).toBe(perfEstimator(narrow, cost, 220, 200)('max', 1000).requestsPerS);
  });
});

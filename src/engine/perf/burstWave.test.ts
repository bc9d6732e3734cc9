import { describe, expect, it } from 'vitest';
import type { MeanStepMs } from './burstWave';
import { burstManyWaves, burstPromptShare, burstWave } from './burstWave';
import type { ReplicaLimits } from './serving';
import { meanStepTime } from './serving';
import { buildModelCost } from './modelCost';
import { replicaModel, runReplica } from './estimatePerf';
import { H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { simReplicaFor } from '../sim/fromEngine';
import { runSimulation } from '../sim/run';

/** The replica's mean step as burstWave reads it. */
const stepOf = (m: ReplicaLimits): MeanStepMs => (d, p) => meanStepTime(m, d, p).totalMs;

describe('burstWave: an all-at-once run whose requests all fit is a prefill phase, then pure decode steps', () => {
  const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
  const plan = memoryPlan(32, 4096, 50e9);
  const model = (isl: number, osl: number, maxNumSeqs = 1024) =>
    replicaModel({ gpu: H100, serving: testServing({ ...PERF_SERVING, maxNumBatchedTokens: 8192, maxNumSeqs }), engine: 'vllm', memory: plan }, cost, isl, osl);

  it('long answers: the ITL is nearly the pure decode step at the whole wave, far below the steady state’s', () => {
    // 500 × 202-token prompts fill 12 prefill steps; each request then decodes 213 steps, all but ~3 % pure decode.
    const m = model(202, 214);
    const wave = burstWave(stepOf(m), 8192, 500, 202, 213);
    expect(wave).not.toBeNull();
    if (wave === null) return;
    expect(wave.prefillSteps).toBeCloseTo((500 * 202) / (8192 - 250), 6);
    expect(wave.decodeStepMs).toBeCloseTo(meanStepTime(m, 500, 0).totalMs, 9);
    expect(wave.itlMs).toBeGreaterThan(wave.decodeStepMs);
    expect(wave.itlMs).toBeLessThan(wave.decodeStepMs + 0.05 * (wave.prefillStepMs - wave.decodeStepMs));
    // The burst reports the wave's ITL; a closed loop of 500 keeps admitting prompts into its steps.
    const burst = runReplica(m, 'burst', 500);
    const closed = runReplica(m, 'closed-loop', 500);
    expect(burst.itlMs).toBeCloseTo(wave.itlMs, 9);
    expect(burst.itlMs).toBeLessThan(closed.itlMs);
  });

  it('short answers inside a long prefill phase: most decode steps are prefill steps (f = 1 − m ÷ 2K)', () => {
    const m = model(4000, 4);
    const wave = burstWave(stepOf(m), 8192, 1000, 4000, 3);
    expect(wave).not.toBeNull();
    if (wave === null) return;
    const f = 1 - 3 / (2 * wave.prefillSteps);
    expect(wave.itlMs).toBeCloseTo(f * wave.prefillStepMs + (1 - f) * wave.decodeStepMs, 9);
    expect(wave.itlMs).toBeGreaterThan(0.9 * wave.prefillStepMs);
  });

  it('a burst larger than the running limit: between the pure decode step and the closed loop’s steady state, nearing it as N grows', () => {
    const m = model(202, 214, 64);
    const closed = runReplica(m, 'closed-loop', 64);
    const decodeMs = meanStepTime(m, closed.admittedPerStep * 213, 0).totalMs;
    const at = (n: number): number => runReplica(m, 'burst', n).itlMs;
    expect(at(500)).toBeGreaterThan(decodeMs);
    expect(at(500)).toBeLessThan(at(5000));
    // A long burst is a closed loop for most of its requests: within the chunking's step-mix (rule 1).
    expect(Math.abs(at(50000) / closed.itlMs - 1)).toBeLessThan(0.1);
  });

  it('a burst whose prompts exceed one chunk: its mean ITL is above the pure decode step and below a step that carries a chunk', () => {
    const m = model(2000, 100, 64);
    const ss = runReplica(m, 'closed-loop', 64);
    const w = burstManyWaves(stepOf(m), 8192, 64, 500, 2000, 99, ss.admittedPerStep);
    expect(w.decodeStepMs).toBeCloseTo(meanStepTime(m, ss.admittedPerStep * 99, 0).totalMs, 9);
    expect(w.itlMs).toBeGreaterThan(1.5 * w.decodeStepMs);
    expect(w.itlMs).toBeLessThan(w.chunkStepMs);
    expect(runReplica(m, 'burst', 500).itlMs).toBeCloseTo(w.itlMs, 9);
  });

  // One physics, two solvers: the simulator runs the same bursts request by request (fixed lengths,
  // as vllm bench serve --random-range-ratio 0); the steady state misses them by up to 12 %.
  for (const [isl, osl, seqs, n] of [
    [2000, 100, 64, 500],
    [4000, 200, 64, 300],
    [2000, 100, 1024, 500],
  ] as const) {
    it(`agrees with the simulator’s mean ITL within 5 % (isl ${isl}, osl ${osl}, max_num_seqs ${seqs}, N ${n})`, () => {
      const serving = testServing({ ...PERF_SERVING, maxNumBatchedTokens: 8192, maxNumSeqs: seqs });
      const m = replicaModel({ gpu: H100, serving, engine: 'vllm', memory: plan }, cost, isl, osl);
      expect(n).toBeGreaterThan(m.maxRunning);
      const sim = runSimulation(simReplicaFor({ memory: plan, serving, engine: 'vllm', model: m }), {
        load: { kind: 'burst' },
        inputTokens: isl,
        outputTokens: osl,
        numRequests: n,
      });
      expect(Math.abs(runReplica(m, 'burst', n).itlMs / sim.itlMs - 1)).toBeLessThan(0.05);
    });
  }

  it('returns null when the wave’s decodes leave no budget for prompts, or nothing decodes', () => {
    const m = model(16, 20000, 20000);
    expect(burstWave(stepOf(m), 8192, 9000, 16, 19999)).toBeNull();
    expect(burstWave(stepOf(m), 8192, 8000, 16, 19999)).not.toBeNull();
    expect(burstWave(stepOf(model(100, 1)), 8192, 10, 100, 0)).toBeNull();
  });
});

describe('burstPromptShare: the mean share of a decode window’s prompts a burst’s requests still find', () => {
  it('is 1 − A ÷ 2N up to one window per request, then N ÷ 2A, continuous at A = N', () => {
    expect(burstPromptShare(100, 500)).toBeCloseTo(0.9, 12);
    expect(burstPromptShare(1000, 500)).toBeCloseTo(0.25, 12);
    expect(burstPromptShare(500, 500)).toBeCloseTo(0.5, 12);
    expect(burstPromptShare(500 * (1 + 1e-9), 500)).toBeCloseTo(0.5, 6);
  });
  it('falls as the window holds more prompts, rises to 1 as the burst grows, and is 1 with nothing to share', () => {
    expect(burstPromptShare(300, 500)).toBeLessThan(burstPromptShare(200, 500));
    expect(burstPromptShare(300, 5000)).toBeGreaterThan(burstPromptShare(300, 500));
    expect(burstPromptShare(300, 1e9)).toBeCloseTo(1, 6);
    expect(burstPromptShare(0, 500)).toBe(1);
  });
  it('matches the discrete sum Σ min(A, N − 1 − i) ÷ (N·A) to 1 / N', () => {
    const n = 400;
    const a = 150;
    let sum = 0;
    for (let i = 0; i < n; i += 1) sum += Math.min(a, n - 1 - i);
    expect(Math.abs(burstPromptShare(a, n) - sum / (n * a))).toBeLessThan(1 / n);
  });
});

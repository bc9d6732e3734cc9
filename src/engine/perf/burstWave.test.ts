import { describe, expect, it } from 'vitest';
import type { MeanStepMs } from './burstWave';
import { burstWave, lockstepWavesItlMs } from './burstWave';
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

  it('a burst larger than the running limit keeps the steady state (later requests join as others finish)', () => {
    const m = model(202, 214, 64);
    const closed = runReplica(m, 'closed-loop', 64);
    expect(runReplica(m, 'burst', 500).itlMs).toBeCloseTo(closed.itlMs, 9);
  });

  it('returns null when the wave’s decodes leave no budget for prompts, or nothing decodes', () => {
    const m = model(16, 20000, 20000);
    expect(burstWave(stepOf(m), 8192, 9000, 16, 19999)).toBeNull();
    expect(burstWave(stepOf(m), 8192, 8000, 16, 19999)).not.toBeNull();
    expect(burstWave(stepOf(model(100, 1)), 8192, 10, 100, 0)).toBeNull();
  });
});

describe('lockstepWavesItlMs: prompt steps without decodes (SGLang) run a burst in lockstep waves', () => {
  // A step of 10 ms + 0.01 ms per prompt token + 0.1 ms per decode.
  const step: MeanStepMs = (d, p) => 10 + 0.01 * p + 0.1 * d;

  it('one wave: the pure decode step plus, per gap, the prompts after a request in its wave', () => {
    // 100 prompts of 1000 tokens, budget 8192: each prompt costs step(0, 8192) · 1000 / 8192 ms of prefill.
    const perPrompt = ((10 + 81.92) * 1000) / 8192;
    const expected = 10 + 0.1 * 100 + (99 / 2) * (perPrompt / 49);
    expect(lockstepWavesItlMs(step, 8192, 256, 100, 1000, 49)).toBeCloseTo(expected, 9);
  });

  it('several waves: full waves of the running limit and the rest, weighted by their requests', () => {
    const wave = (nw: number): number => lockstepWavesItlMs(step, 8192, nw, nw, 1000, 49) ?? Number.NaN;
    expect(lockstepWavesItlMs(step, 8192, 64, 150, 1000, 49)).toBeCloseTo((128 * wave(64) + 22 * wave(22)) / 150, 9);
    // Smaller waves wait for fewer prompts: a lower running limit gives a lower ITL.
    expect(lockstepWavesItlMs(step, 8192, 32, 150, 1000, 49)).toBeLessThan(lockstepWavesItlMs(step, 8192, 64, 150, 1000, 49) ?? 0);
  });

  it('is null with nothing to decode after the first token or no prompt', () => {
    expect(lockstepWavesItlMs(step, 8192, 64, 100, 1000, 0)).toBeNull();
    expect(lockstepWavesItlMs(step, 8192, 64, 100, 0, 49)).toBeNull();
  });

  const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
  const plan = memoryPlan(32, 4096, 50e9);
  it('SGLang only: the replica model says its prompt steps run without the decodes (sim/policy.ts)', () => {
    const serving = testServing({ ...PERF_SERVING });
    expect(replicaModel({ gpu: H100, serving, engine: 'sglang', memory: plan }, cost, 2000, 100).prefillWithDecodes).toBe(false);
    expect(replicaModel({ gpu: H100, serving, engine: 'vllm', memory: plan }, cost, 2000, 100).prefillWithDecodes).toBeUndefined();
  });

  // One physics, two solvers: the simulator runs SGLang's bursts request by request (prefill batches
  // alone, fixed lengths); the closed loop's steady state (mixed steps) misses them by 5–50 %.
  for (const [isl, osl, seqs, n] of [
    [2000, 100, 64, 500],
    [4000, 200, 64, 300],
    [2000, 100, 1024, 100],
  ] as const) {
    it(`SGLang burst: agrees with the simulator’s mean ITL within 7 % (isl ${isl}, osl ${osl}, max running ${seqs}, N ${n})`, () => {
      const serving = testServing({ ...PERF_SERVING, maxNumBatchedTokens: 8192, maxNumSeqs: seqs });
      const m = replicaModel({ gpu: H100, serving, engine: 'sglang', memory: plan }, cost, isl, osl);
      const sim = runSimulation(simReplicaFor({ memory: plan, serving, engine: 'sglang', model: m }), {
        load: { kind: 'burst' },
        inputTokens: isl,
        outputTokens: osl,
        numRequests: n,
      });
      const burst = runReplica(m, 'burst', n);
      expect(Math.abs(burst.itlMs / sim.itlMs - 1)).toBeLessThan(0.07);
      expect(burst.itlMs).toBeLessThan(runReplica(m, 'closed-loop', Math.min(n, m.maxRunning)).itlMs);
    });
  }
});

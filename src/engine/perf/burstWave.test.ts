import { describe, expect, it } from 'vitest';
import type { MeanStepMs } from './burstWave';
import { burstWave } from './burstWave';
import type { ReplicaLimits } from './serving';
import { meanStepTime } from './serving';
import { buildModelCost } from './modelCost';
import { replicaModel, runReplica } from './estimatePerf';
import { H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';

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

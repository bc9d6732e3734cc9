/**
 * Speculative decoding in the simulator (simulate.ts, stepModel.ts): a verify step emits 1 + the
 * accepted drafts as one streamed chunk, priced by the closed form's speculativeStepTime; the
 * simulator agrees with the closed form (perf/serving.ts) where both apply.
 */
import { describe, expect, it } from 'vitest';
import type { StepBatch } from '../perf/stepBatch';
import { buildModelCost } from '../perf/modelCost';
import { replicaModel, runReplica } from '../perf/estimatePerf';
import { resolveSpeculative } from '../perf/speculative';
import type { SpeculativeModel } from '../types';
import { H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { simulate } from './simulate';
import { summarize } from './summarize';
import { simReplicaFor } from './fromEngine';
import { runSimulation } from './run';
import type { SimRunSpec } from './run';
import { BURST, testReplica, testRequests } from './testReplica';

/** 10 ms per step + 0.125 ms per prompt token + 1 ms per decode (binary-exact). */
const affineStep = (b: StepBatch): number => 10 + 0.125 * b.prefillTokens + b.decodeRequests;

describe('simulate with speculative decoding (given step times)', () => {
  it('acceptance 1: each verify emits k + 1 tokens as one chunk (one ITL gap), and finishes exactly at the answer length', () => {
    const replica = testReplica(affineStep, { speculative: { tokens: 3, acceptance: 1 } });
    // 16-token prompt, 9-token answer: prefill → token 1 @12; verify → tokens 2–5 @23; verify → 6–9 @34.
    const trace = simulate(replica, testRequests([[16, 9]]), BURST);
    expect([...trace.firstTokenMs]).toEqual([12]);
    expect([...trace.finishMs]).toEqual([34]);
    expect([...trace.stepTokens]).toEqual([1, 4, 4]);
    const r = summarize(trace, 0);
    expect(r.itlMs).toBe(11);
    expect(r.tpotMs).toBe(22 / 8);
    // Capped at the answer's end: a 7-token answer takes 4 then 2.
    expect([...simulate(replica, testRequests([[16, 7]]), BURST).stepTokens]).toEqual([1, 4, 2]);
  });

  it('acceptance 0: one token per verify, the same run as without speculation', () => {
    const requests = testRequests([[60, 30], [20, 40], [8, 12]]);
    const plain = simulate(testReplica(affineStep), requests, BURST);
    const spec = simulate(testReplica(affineStep, { speculative: { tokens: 4, acceptance: 0 } }), requests, BURST);
    expect([...spec.finishMs]).toEqual([...plain.finishMs]);
    expect([...spec.stepTokens]).toEqual([...plain.stepTokens]);
  });

  it('draws acceptance from its seed: same seed, same run; another seed, another run', () => {
    const replica = testReplica(affineStep, { speculative: { tokens: 4, acceptance: 0.7 } });
    const requests = testRequests([[32, 200], [32, 200]]);
    const a = simulate(replica, requests, BURST, { seed: 3 });
    const b = simulate(replica, requests, BURST, { seed: 3 });
    const c = simulate(replica, requests, BURST, { seed: 4 });
    expect([...b.finishMs]).toEqual([...a.finishMs]);
    expect([...c.finishMs]).not.toEqual([...a.finishMs]);
  });
});

const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
const plan = memoryPlan(32, 4096, 50e9);
const serving = testServing({ ...PERF_SERVING });
const lengths = { kind: 'uniform', rangeRatio: 0.3 } as const;
const rel = (a: number, b: number): number => Math.abs(a - b) / b;

function eagle3(acceptance: number | null, tokens = 4): SpeculativeModel {
  const r = resolveSpeculative(LLAMA_31_8B, { method: 'eagle3', tokens, acceptance });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function engine(spec: SpeculativeModel | undefined, isl: number, osl: number) {
  const model = replicaModel({ gpu: H100, serving, engine: 'vllm', memory: plan, ...(spec === undefined ? {} : { speculative: spec }) }, cost, isl, osl);
  return { model, replica: simReplicaFor({ memory: plan, serving, engine: 'vllm', model }) };
}

const closedLoop = (isl: number, osl: number, concurrency: number, seed = 1): SimRunSpec => ({
  load: { kind: 'closed-loop', concurrency },
  inputTokens: isl,
  outputTokens: osl,
  inputLengths: lengths,
  outputLengths: lengths,
  numRequests: 300,
  seed,
});

describe('simulator vs closed form with speculative decoding (closed loop, no queueing, real step model)', () => {
  for (const [isl, osl, concurrency, acceptance] of [
    [128, 256, 1, 0.8],
    [200, 500, 8, 0.8],
    [256, 256, 32, 0.6],
  ] as const) {
    it(`agrees on TPOT (the closed form's ITL) within 6.5 %, E2E and requests/s within 5 % (EAGLE-3 k 4 α ${acceptance}, isl ${isl}, osl ${osl}, ${concurrency} requests)`, () => {
      const spec = eagle3(acceptance);
      const { model, replica } = engine(spec, isl, osl);
      const closed = runReplica(model, 'closed-loop', concurrency);
      const sim = runSimulation(replica, closedLoop(isl, osl, concurrency));
      expect(sim.preemptions).toBe(0);
      // TPOT within 6.5 %: at 32 requests the simulator's decode phase comes out ~5 % longer than the
      // closed form's (10.39 vs 9.89 ms after session 7's refit) while requests/s agree within 0.5 %:
      // the closed form spreads the joining prompts' chunks over the mean step, the simulator charges
      // them to the steps where they land. An approximation of the closed form, kept visible here.
      // vLLM's async scheduling (the default) admits each joining request one step later in both
      // (serving.ts admissionLagSteps), which moves the gap from ~5.9 to 6.0 % at 32 requests.
      expect(rel(sim.tpotMs, closed.itlMs)).toBeLessThan(0.065);
      expect(rel(sim.e2eMs, closed.e2eMs)).toBeLessThan(0.05);
      expect(rel(sim.requestsPerS, closed.requestsPerS)).toBeLessThan(0.05);
      // ITL as vllm bench serve measures it: one gap per verify step (a chunk of E tokens on average).
      expect(rel(sim.itlMs / sim.tpotMs, spec.expectedTokensPerStep)).toBeLessThan(0.05);
      expect(sim.itlP50Ms).toBeGreaterThan(2 * sim.tpotP50Ms);
    });
  }

  it('acceptance 0 never speeds up decoding (TPOT and E2E at 1 to 64 requests, k 1 to 4)', () => {
    const isl = 256;
    const osl = 200;
    for (const concurrency of [1, 8, 64]) {
      const plain = runSimulation(engine(undefined, isl, osl).replica, closedLoop(isl, osl, concurrency));
      for (const k of [1, 4]) {
        const sim = runSimulation(engine(eagle3(0, k), isl, osl).replica, closedLoop(isl, osl, concurrency));
        expect(sim.tpotMs).toBeGreaterThanOrEqual(plain.tpotMs);
        expect(sim.e2eMs).toBeGreaterThanOrEqual(plain.e2eMs);
        expect(sim.outputTokensPerS).toBeLessThanOrEqual(plain.outputTokensPerS);
      }
    }
  });

  it('pays at batch 1 and less at a large batch, as the closed form says', () => {
    const isl = 256;
    const osl = 256;
    const spec = eagle3(null);
    const gain = (concurrency: number): number =>
      runSimulation(engine(undefined, isl, osl).replica, closedLoop(isl, osl, concurrency)).tpotMs / runSimulation(engine(spec, isl, osl).replica, closedLoop(isl, osl, concurrency)).tpotMs;
    const g1 = gain(1);
    const g128 = gain(128);
    expect(g1).toBeGreaterThan(1.5);
    expect(g128).toBeLessThan(g1);
  });
});

describe('simulator vs closed form with a token tree (SGLang EAGLE, topk > 1)', () => {
  const sglang = (spec: SpeculativeModel | undefined, isl: number, osl: number) => {
    const model = replicaModel({ gpu: H100, serving, engine: 'sglang', memory: plan, ...(spec === undefined ? {} : { speculative: spec }) }, cost, isl, osl);
    return { model, replica: simReplicaFor({ memory: plan, serving, engine: 'sglang', model }) };
  };
  const tree = (acceptance: number): SpeculativeModel => {
    const r = resolveSpeculative(LLAMA_31_8B, { method: 'eagle', tokens: 5, acceptance, topk: 4, draftTokens: 8 });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };

  it('emits the tree\'s E tokens per verify and agrees with the closed form on TPOT within 6 % (5 steps, topk 4, 8 tokens, α 0.7, 4 requests)', () => {
    const spec = tree(0.7);
    const { model, replica } = sglang(spec, 200, 400);
    const closed = runReplica(model, 'closed-loop', 4);
    const sim = runSimulation(replica, closedLoop(200, 400, 4));
    expect(rel(sim.tpotMs, closed.itlMs)).toBeLessThan(0.06);
    expect(rel(sim.itlMs / sim.tpotMs, spec.expectedTokensPerStep)).toBeLessThan(0.05);
  });

  it('acceptance 0 never speeds up decoding', () => {
    const plain = runSimulation(sglang(undefined, 256, 200).replica, closedLoop(256, 200, 8));
    const sim = runSimulation(sglang(tree(0), 256, 200).replica, closedLoop(256, 200, 8));
    expect(sim.tpotMs).toBeGreaterThanOrEqual(plain.tpotMs);
  });
});

import { describe, expect, it } from 'vitest';
import { buildModelCost } from '../perf/modelCost';
import { replicaModel } from '../perf/estimatePerf';
import { meanStepBatch, meanStepTime } from '../perf/serving';
import type { StepBatch } from '../perf/stepBatch';
import { GEMMA2_9B, H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import type { ModelArch } from '../types';
import { resolveSpeculative } from '../perf/speculative';
import { simStepModel } from './stepModel';

const copy = (b: StepBatch): StepBatch => ({ ...b, decodeContextTokens: b.decodeContextTokens.slice(), prefillContextTokens: b.prefillContextTokens.slice() });

describe('simStepModel: one physics with the closed form', () => {
  const cases: [string, ModelArch, number][] = [
    ['Llama-3.1-8B, pp 1', LLAMA_31_8B, 1],
    ['Llama-3.1-8B, pp 2', LLAMA_31_8B, 2],
    ['Gemma-2-9B (sliding windows), pp 1', GEMMA2_9B, 1],
  ];
  for (const [name, arch, pp] of cases) {
    it(`prices the closed form's mean batch exactly as meanStepTime does (${name})`, () => {
      const cost = buildModelCost(arch, NO_QUANT, { tp: 1, pp, dp: 1, ep: false });
      const model = replicaModel({ gpu: H100, serving: testServing({ ...PERF_SERVING }), engine: 'vllm', memory: memoryPlan(arch.numLayers, 4096, 40e9) }, cost, 1500, 300);
      const sim = simStepModel(model);
      expect(sim.windowsTokens).toEqual(model.ctx.windowsTokens);
      for (const [d, p] of [
        [64, 0],
        [64, 900],
        [1, 0],
        [0, 4000],
        [0.4, 3.5],
      ] as const) {
        const expected = meanStepTime(model, d, p).totalMs;
        expect(sim.stepTimeMs(copy(meanStepBatch(model, d, p)))).toBeCloseTo(expected, 9);
      }
    });
  }

  for (const pp of [1, 2]) {
    it(`prices a speculative verify step (EAGLE-3, k 4) exactly as meanStepTime does (Llama-3.1-8B, pp ${pp})`, () => {
      const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp, dp: 1, ep: false });
      const spec = resolveSpeculative(LLAMA_31_8B, { method: 'eagle3', tokens: 4, acceptance: null });
      if (!spec.ok) throw new Error(spec.error);
      const input = { gpu: H100, serving: testServing({ ...PERF_SERVING }), engine: 'vllm' as const, memory: memoryPlan(32, 4096, 40e9) };
      const model = replicaModel({ ...input, speculative: spec.value }, cost, 1500, 300);
      const plain = replicaModel(input, cost, 1500, 300);
      const sim = simStepModel(model);
      for (const [d, p] of [
        [64, 0],
        [64, 900],
        [1, 0],
        [0, 4000],
      ] as const) {
        const expected = meanStepTime(model, d, p).totalMs;
        expect(sim.stepTimeMs(copy(meanStepBatch(model, d, p)))).toBeCloseTo(expected, 9);
        // The verify and drafts cost more than a plain step whenever something decodes.
        if (d > 0) expect(expected).toBeGreaterThan(meanStepTime(plain, d, p).totalMs);
      }
    });
  }
});

import { describe, expect, it } from 'vitest';
import { EXPLAIN_SUBJECTS, explainMemoryLines, explainMemoryPlan } from './explain';
import { planMemoryWithQuantization } from './planMemory';
import { LLAMA_31_8B, NO_QUANT, testGpu, testServing } from '../testArchs';

const layout = { tp: 1, pp: 1, dp: 1, ep: false };

describe('explainMemoryLines', () => {
  const plan = planMemoryWithQuantization(LLAMA_31_8B, testGpu(79.19), layout, testServing(), NO_QUANT);

  it('tags each line of a prepared plan with its figure, in the order vLLM logs them', () => {
    const lines = explainMemoryLines(plan);
    expect(lines.map((line) => line.subject)).toEqual(EXPLAIN_SUBJECTS.filter((subject) => subject !== 'message'));
    // Spot checks that each tag sits on its own line (wording as in planMemory.test.ts).
    expect(lines.find((line) => line.subject === 'budget')?.text).toBe('Budget: 79.19 GiB × 0.95 = 75.23 GiB per GPU.');
    expect(lines.find((line) => line.subject === 'weights')?.text).toMatch(/^Weights on rank 0: /);
    expect(lines.find((line) => line.subject === 'kvPool')?.text).toMatch(/^KV pool: /);
    expect(lines.find((line) => line.subject === 'blocks')?.text).toContain(`= ${plan.numGpuBlocks};`);
    expect(lines.find((line) => line.subject === 'capacity')?.text).toMatch(/^GPU KV cache size: /);
    expect(lines.find((line) => line.subject === 'cudaGraphs')?.text).toMatch(/^CUDA graphs ~/);
  });

  it('explainMemoryPlan is the texts alone, line for line', () => {
    expect(explainMemoryPlan(plan)).toEqual(explainMemoryLines(plan).map((line) => line.text));
  });

  it("is the plan's message alone when no layout could be prepared, and empty without one", () => {
    const unprepared = { ...plan, explainText: null, message: 'TP=3 does not divide 32 attention heads.' };
    expect(explainMemoryLines(unprepared)).toEqual([{ subject: 'message', text: 'TP=3 does not divide 32 attention heads.' }]);
    expect(explainMemoryLines({ ...unprepared, message: null })).toEqual([]);
  });
});

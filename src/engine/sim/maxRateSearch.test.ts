/**
 * The max-rate search's fast path (short probes, then full runs placed by interpolating the share of
 * values over the limits, maxRate.ts closeBracket) against the plain full-size bisection, on real
 * configurations through the engine's step model: the same largest rate within
 * RATE_SEARCH_REL_TOLERANCE (issue 10 part 8: the optimisation may not move the answer beyond the
 * search's stated 2 %), in no more full-size runs.
 */
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../session';
import { GPU_CATALOG } from '../catalog/gpus';
import { fixtureArch } from '../fixtureArch.testing';
import { testServing } from '../testArchs';
import type { GpuSpec, Layout, ServingEngine, TargetLoad } from '../types';
import { replicaUnderTest } from './capacity';
import { RATE_SEARCH_REL_TOLERANCE, maxRateMeetingSlo, meetsPercentileSlo } from './maxRate';

const gpu = (id: string): GpuSpec => {
  const g = GPU_CATALOG.find((x) => x.id === id);
  if (g === undefined) throw new Error(`${id} missing from the catalog`);
  return g;
};

interface Case {
  label: string;
  model: string;
  gpuId: string;
  layout: Layout;
  engine: ServingEngine;
  inputTokens: number;
  outputTokens: number;
  slo: TargetLoad['slo'];
  burstiness?: number;
}

const CASES: readonly Case[] = [
  // p99 ITL binds (prefill chunks interleaved with decodes), as on the bench.
  { label: 'vLLM, Llama-3.1-8B on 1× H100', model: 'meta-llama__Llama-3.1-8B-Instruct', gpuId: 'H100', layout: { tp: 1, pp: 1, dp: 1, ep: false }, engine: 'vllm', inputTokens: 2000, outputTokens: 300, slo: { percentile: 99, maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null } },
  // p90 TTFT binds (queueing), SGLang's prefill-first batches.
  { label: 'SGLang, Llama-3.1-8B on 1× L4', model: 'meta-llama__Llama-3.1-8B-Instruct', gpuId: 'L4', layout: { tp: 1, pp: 1, dp: 1, ep: false }, engine: 'sglang', inputTokens: 1000, outputTokens: 200, slo: { percentile: 90, maxTtftMs: 1500, maxItlMs: null, maxE2eMs: null } },
  // A MoE with a p99 E2E limit.
  // p95 ITL with bursty arrivals (gamma, burstiness 0.5) on a smaller GPU.
  { label: 'vLLM, Qwen3-8B on 1× L40S, bursty arrivals', model: 'Qwen__Qwen3-8B', gpuId: 'L40S', layout: { tp: 1, pp: 1, dp: 1, ep: false }, engine: 'vllm', inputTokens: 1500, outputTokens: 400, slo: { percentile: 95, maxTtftMs: 3000, maxItlMs: 60, maxE2eMs: null }, burstiness: 0.5 },
  { label: 'vLLM, Qwen3-30B-A3B (MoE) on 2× H100 TP2', model: 'Qwen__Qwen3-30B-A3B', gpuId: 'H100', layout: { tp: 2, pp: 1, dp: 1, ep: false }, engine: 'vllm', inputTokens: 1000, outputTokens: 200, slo: { percentile: 99, maxTtftMs: 1000, maxItlMs: null, maxE2eMs: 8000 } },
];

describe('maxRateMeetingSlo fast search vs plain full-size bisection', () => {
  for (const c of CASES) {
    it(`${c.label}: same max rate within ${RATE_SEARCH_REL_TOLERANCE * 100} %, and its run meets`, () => {
      const session = createEngineSession(fixtureArch(c.model));
      const serving = testServing({ maxModelLenTokens: 8192 });
      const g = gpu(c.gpuId);
      const target: TargetLoad = { ratePerS: 1, burstiness: c.burstiness ?? 1, slo: c.slo, numRequests: 400 };
      const u = replicaUnderTest(
        { gpu: g, layout: c.layout, serving, engine: c.engine, memory: session.plan(g, c.layout, serving), inputTokens: c.inputTokens, outputTokens: c.outputTokens, target },
        session.modelCost(serving, c.layout),
      );
      const fast = maxRateMeetingSlo(u.replica, u.spec, c.slo);
      const plain = maxRateMeetingSlo(u.replica, u.spec, c.slo, { method: 'bisection' });
      expect(plain.maxRateMeetingSloRequestsPerS).toBeGreaterThan(0);
      expect(fast.maxRateMeetingSloRequestsPerS / plain.maxRateMeetingSloRequestsPerS).toBeGreaterThanOrEqual(1 / (1 + RATE_SEARCH_REL_TOLERANCE));
      expect(fast.maxRateMeetingSloRequestsPerS / plain.maxRateMeetingSloRequestsPerS).toBeLessThanOrEqual(1 + RATE_SEARCH_REL_TOLERANCE);
      expect(fast.atMaxRate === null ? false : meetsPercentileSlo(fast.atMaxRate, c.slo)).toBe(true);
    });
  }
});

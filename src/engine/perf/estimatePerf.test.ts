import { describe, expect, it } from 'vitest';
import type { GpuSpec, Layout, PerfEstimate } from '../types';
import { GPU_CATALOG } from '../catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../defaults';
import { recommend } from '../recommend';
import { H100, LLAMA_31_8B, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { newModelCaches } from '../cache/modelCaches';
import { TRITON_FRONTEND, requestOverheadMs } from '../calibration';
import { usdPerMillionTokens } from './cost';
import { assembleEstimate, estimatePerf, estimatePerfWithCost, fleetTerms, invalidFigure, modelCostFor, replicaModel, runReplica } from './estimatePerf';

const LAYOUT: Layout = { tp: 1, pp: 1, dp: 1, ep: false };
const MEMORY = memoryPlan(32, 4096, 50e9);
const input = (gpu: GpuSpec = H100) => ({
  arch: LLAMA_31_8B,
  gpu,
  layout: LAYOUT,
  serving: testServing(PERF_SERVING),
  workload: { inputTokens: 1000, outputTokens: 200, concurrency: 16 as const },
  engine: 'vllm' as const,
  memory: MEMORY,
});

describe('assembleEstimate: engine errors instead of 0 (issue 9 part 6)', () => {
  it('a sound estimate has no perfError and prices $/M tokens with cost.ts usdPerMillionTokens', () => {
    const p = estimatePerf(input());
    expect(p.perfError).toBeNull();
    expect(p.usdPerMillionOutputTokens).toBe(usdPerMillionTokens(p.costUsdPerHour, p.outputTokensPerS));
  });

  it('a GPU with 0 bandwidth gives an engine error, not a $0 row', () => {
    const p = estimatePerf(input({ ...H100, memBandwidthBytesPerS: 0 }));
    // No bandwidth: the weights never stream, every step is infinite, and the slot-bound TTFT
    // (B/λ − (osl − 1)·τ) is ∞ − ∞: the first figure checked is reported.
    expect(p.perfError).toMatchObject({ kind: 'invalid-figure', field: 'ttftMs', reason: 'not-a-number' });
    expect(p.itlMs).toBe(Infinity);
    expect(p.decodeStep.memoryMs).toBe(Infinity);
    expect(p.usdPerMillionOutputTokens).not.toBe(0);
  });

  it('a broken model cost (NaN weight bytes) gives a not-a-number error naming the field', () => {
    const cost = modelCostFor(newModelCaches(LLAMA_31_8B), testServing(PERF_SERVING), LAYOUT);
    const p = estimatePerfWithCost(input(), { ...cost, denseWeightBytes: Number.NaN });
    expect(p.perfError).toMatchObject({ kind: 'invalid-figure', field: 'ttftMs', reason: 'not-a-number' });
    expect(Number.isNaN(p.perfError?.value)).toBe(true);
  });

  it('a negative figure is reported as negative with its value kept (a negative GPU price)', () => {
    const cost = modelCostFor(newModelCaches(LLAMA_31_8B), testServing(PERF_SERVING), LAYOUT);
    const m = replicaModel(input(), cost, 1000, 200);
    const p = assembleEstimate(runReplica(m, 'closed-loop', 16), 1, fleetTerms(H100, LAYOUT, m, -2));
    expect(p.perfError).toEqual({ kind: 'invalid-figure', field: 'costUsdPerHour', reason: 'negative', value: -2 });
    expect(p.costUsdPerHour).toBe(-2);
  });

  it('invalidFigure checks the decode step parts too', () => {
    const p = estimatePerf(input());
    const { perfError: _, ...figures } = p;
    const broken: Omit<PerfEstimate, 'perfError'> = { ...figures, decodeStep: { ...figures.decodeStep, communicationMs: -1 } };
    expect(invalidFigure(broken)).toEqual({ kind: 'invalid-figure', field: 'decodeStep.communicationMs', reason: 'negative', value: -1 });
  });

  it('recommend ranks a configuration with an engine error last and never picks it', () => {
    const h100 = GPU_CATALOG.find((g) => g.id === 'H100');
    if (h100 === undefined) throw new Error('H100 in the catalog');
    const broken: GpuSpec = { ...h100, id: 'broken-gpu', memBandwidthBytesPerS: 0 };
    const result = recommend(
      LLAMA_31_8B,
      {
        inputTokens: 1000,
        outputTokens: 200,
        concurrency: 'sweep',
        serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
        slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
        maxGpus: 2,
        gpuIds: null,
        priceOverridesUsdPerHour: {},
        engine: 'vllm',
      },
      [broken, h100],
    );
    const errored = result.candidates.filter((c) => c.perf?.perfError != null);
    expect(errored.length).toBeGreaterThan(0);
    for (const c of errored) {
      expect(c.gpuId).toBe('broken-gpu');
      expect(c.meetsSlo).toBe(false);
    }
    // Every errored row comes after every other row.
    const firstErrored = result.candidates.findIndex((c) => c.perf?.perfError != null);
    expect(result.candidates.slice(firstErrored).every((c) => c.perf?.perfError != null)).toBe(true);
    for (const pick of Object.values(result.best)) {
      if (pick === null) continue;
      expect(result.candidates[pick]?.perf?.perfError ?? null).toBeNull();
    }
  });
});

describe('per-request fixed cost of TTFT by front end (issue 11 defect)', () => {
  const batch1 = (engine: 'vllm' | 'trtllm', frontend?: 'openai' | 'triton'): PerfEstimate =>
    estimatePerf({ ...input(), engine, frontend, workload: { inputTokens: 200, outputTokens: 200, concurrency: 1 } });

  it('a batch-1 TTFT on an OpenAI-compatible server pays the engine server’s per-request cost on top of the prefill', () => {
    const p = batch1('vllm');
    // A 200-token prefill of an 8B model on an H100 takes a few ms: the fixed cost dominates.
    expect(p.ttftMs).toBeGreaterThan(requestOverheadMs('vllm'));
    expect(p.ttftMs - requestOverheadMs('vllm')).toBeLessThan(requestOverheadMs('vllm'));
    // The Python API server's cost is tens of ms (the GPUStack batch-1 runs), not a few.
    expect(requestOverheadMs('vllm')).toBeGreaterThan(15);
    expect(requestOverheadMs('trtllm', 'openai')).toBeGreaterThan(15);
  });

  it('TensorRT-LLM behind Triton’s C++ front end pays Triton’s cost, not trtllm-serve’s; steps are unchanged', () => {
    const serve = batch1('trtllm');
    const triton = batch1('trtllm', 'triton');
    expect(requestOverheadMs('trtllm', 'triton')).toBe(TRITON_FRONTEND.requestOverheadMs);
    expect(TRITON_FRONTEND.requestOverheadMs).toBeLessThanOrEqual(10);
    expect(serve.ttftMs - triton.ttftMs).toBeCloseTo(requestOverheadMs('trtllm') - TRITON_FRONTEND.requestOverheadMs, 6);
    expect(triton.itlMs).toBe(serve.itlMs);
    expect(triton.prefillMs).toBe(serve.prefillMs);
  });
});

/**
 * Small-batch decode on unseen setups (issue 11's first and last defects), through the whole
 * estimate: real configs from fixtures/hf, vLLM defaults, 1,024 in / 512 out, one request.
 */
import { fixtureArch } from '../fixtureArch.testing';
import { describe, expect, it } from 'vitest';
import { findGpu } from '../catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../defaults';
import { createEngineSession } from '../session';
import type { GpuSpec, Layout, PerfEstimate } from '../types';

function gpu(id: string): GpuSpec {
  const g = findGpu(id);
  if (g === undefined) throw new Error(`${id} not in the catalog`);
  return g;
}

function atConcurrency1(dir: string, gpuId: string, layout: Layout): PerfEstimate {
  const serving = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, maxModelLenTokens: 8192 };
  return createEngineSession(fixtureArch(dir)).estimate({
    gpu: gpu(gpuId),
    layout,
    serving,
    engine: 'vllm',
    workload: { inputTokens: 1024, outputTokens: 512, concurrency: 1 },
  });
}

describe('small-batch decode', () => {
  it('charges a batch-1 MoE step only the touched experts, one tile each (regression: gpt-oss-120b on one H100 took ~89 ms ITL)', () => {
    // The bug this guards: the expert GEMM's utilization at T·k/E = 4/128 rows per expert charged
    // all 128 experts at a padded tile (~E/k = 32× too much); published runs show single-digit ms.
    const e = atConcurrency1('openai__gpt-oss-120b', 'H100', { tp: 1, pp: 1, dp: 1, ep: false });
    expect(e.perfError ?? null).toBeNull();
    expect(e.itlMs).toBeGreaterThan(2);
    expect(e.itlMs).toBeLessThan(15);
    expect(e.bottleneck).toBe('memory');
  });

  it('keeps a batch-1 dense decode memory-bound on a low-compute, high-bandwidth GPU (regression: 70B on 8 × H20 came out compute-bound)', () => {
    // The bug this guards: M / (M + 173) utilization made a batch-1 decode pay ~174× its FLOPs
    // (compute 45 ms vs memory 7 ms, ITL ~49 ms). 16-row tiles: compute ~4 ms under ~7 ms of weights.
    const e = atConcurrency1('meta-llama__Llama-3.1-70B-Instruct', 'H20', { tp: 8, pp: 1, dp: 1, ep: false });
    expect(e.bottleneck).toBe('memory');
    expect(e.decodeStep.computeMs).toBeLessThan(e.decodeStep.memoryMs);
    expect(e.itlMs).toBeLessThan(20);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Layout, PerfEstimate } from '../types';
import { estimatePerf } from './estimatePerf';
import { DEEPSEEK_MLA_1L, H100, LLAMA_31_8B, MIXTRAL, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { PERF_NUMBER_FIELDS } from './testPerfFields';

const LLAMA_MEMORY = memoryPlan(32, 4096, 50e9);
const at = (concurrency: number | 'max', layout: Layout = { tp: 1, pp: 1, dp: 1, ep: false }, isl = 1000, osl = 200, arch = LLAMA_31_8B): PerfEstimate =>
  estimatePerf({
    arch,
    gpu: H100,
    layout,
    serving: testServing(PERF_SERVING),
    workload: { inputTokens: isl, outputTokens: osl, concurrency },
    engine: 'vllm',
    memory: LLAMA_MEMORY,
  });

describe('estimatePerf properties', () => {
  it('every output is finite and ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32_000 }),
        fc.integer({ min: 1, max: 4_000 }),
        fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.constant<'max'>('max')),
        fc.constantFrom(1, 2, 4, 8),
        fc.constantFrom(1, 2),
        fc.constantFrom(LLAMA_31_8B, MIXTRAL, DEEPSEEK_MLA_1L),
        (isl, osl, c, tp, pp, arch) => {
          const p = at(c, { tp, pp, dp: 1, ep: false }, isl, osl, arch);
          for (const f of PERF_NUMBER_FIELDS) {
            expect(Number.isFinite(p[f]), f).toBe(true);
            expect(p[f], f).toBeGreaterThanOrEqual(0);
          }
          for (const v of Object.values(p.decodeStep)) expect(Number.isFinite(v) && v >= 0).toBe(true);
          expect(p.perfError).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('latency never drops when concurrency rises on fixed hardware', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 16_000 }), fc.integer({ min: 1, max: 2_000 }), fc.constantFrom(1, 2, 8), (isl, osl, tp) => {
        let prev: PerfEstimate | null = null;
        for (const c of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]) {
          const p = at(c, { tp, pp: 1, dp: 1, ep: false }, isl, osl);
          if (prev !== null) {
            const tol = 1e-9;
            expect(p.itlMs).toBeGreaterThanOrEqual(prev.itlMs * (1 - tol));
            expect(p.ttftMs).toBeGreaterThanOrEqual(prev.ttftMs * (1 - tol));
            expect(p.e2eMs).toBeGreaterThanOrEqual(prev.e2eMs * (1 - tol));
          }
          prev = p;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('cost per hour scales with the GPU count; throughput with replicas', () => {
    const one = at(64, { tp: 1, pp: 1, dp: 1, ep: false });
    const two = at(128, { tp: 1, pp: 1, dp: 2, ep: false });
    expect(two.costUsdPerHour).toBeCloseTo(2 * one.costUsdPerHour, 9);
    expect(two.outputTokensPerS).toBeCloseTo(2 * one.outputTokensPerS, 6);
    expect(two.usdPerMillionOutputTokens).toBeCloseTo(one.usdPerMillionOutputTokens, 6);
    expect(at(64, { tp: 4, pp: 1, dp: 1, ep: false }).costUsdPerHour).toBeCloseTo(4 * one.costUsdPerHour, 9);
  });

  it('a price override replaces the catalog price', () => {
    const p = estimatePerf({
      arch: LLAMA_31_8B,
      gpu: H100,
      layout: { tp: 2, pp: 1, dp: 1, ep: false },
      serving: testServing(PERF_SERVING),
      workload: { inputTokens: 100, outputTokens: 100, concurrency: 1 },
      engine: 'vllm',
      memory: LLAMA_MEMORY,
      priceUsdPerHour: 1.25,
    });
    expect(p.costUsdPerHour).toBe(2.5);
  });

  it('reports KV capacity as the bottleneck when the pool, not max_num_seqs, caps the batch', () => {
    const small = memoryPlan(32, 4096, 2e9); // 2 GB pool ÷ (1200 tokens × 131,072 B) ≈ 12 requests
    const p = estimatePerf({
      arch: LLAMA_31_8B,
      gpu: H100,
      layout: { tp: 1, pp: 1, dp: 1, ep: false },
      serving: testServing(PERF_SERVING),
      workload: { inputTokens: 1000, outputTokens: 200, concurrency: 200 },
      engine: 'vllm',
      memory: small,
    });
    expect(p.bottleneck).toBe('kv-capacity');
    expect(p.effectiveConcurrency).toBe(12);
    expect(p.queueMs).toBeGreaterThan(0);
  });

  it('TensorRT-LLM is an efficiency choice: same physics, faster steps', () => {
    const base = { arch: LLAMA_31_8B, gpu: H100, layout: { tp: 1, pp: 1, dp: 1, ep: false }, serving: testServing(PERF_SERVING), memory: LLAMA_MEMORY };
    const w = { inputTokens: 2000, outputTokens: 200, concurrency: 512 };
    const v = estimatePerf({ ...base, workload: w, engine: 'vllm' });
    const t = estimatePerf({ ...base, workload: w, engine: 'trtllm' });
    expect(t.outputTokensPerS).toBeGreaterThan(v.outputTokensPerS);
  });
});

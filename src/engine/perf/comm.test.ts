import { describe, expect, it } from 'vitest';
import { INTRA_NODE_COLLECTIVE, LINK_BANDWIDTH_FRACTION, NCCL_STEP_LATENCY_MS } from '../calibration';
import { findGpu } from '../catalog/gpus';
import type { GpuSpec } from '../types';
import { KiB, MiB } from '../units';
import { allReducePlan, allReduceSegmentFor, allReduceTimeMs, customAllReduceRuns, vllmOneShotMaxBytes } from './comm';

const gpu = (id: string): GpuSpec => {
  const g = findGpu(id);
  if (g === undefined) throw new Error(`no ${id} in the catalog`);
  return g;
};
const H100 = gpu('H100');
const A100 = gpu('A100-80GB');
const L40S = gpu('L40S');
const algorithmAt = (g: GpuSpec, ranks: number, engine: 'vllm' | 'sglang' | 'trtllm', bytes: number): string | undefined =>
  allReduceSegmentFor(allReducePlan(g, ranks, engine), bytes)?.algorithm;

describe('all-reduce by message size', () => {
  it('is latency-bound for a decode-sized message: one barrier, bytes a small share', () => {
    const plan = allReducePlan(H100, 8, 'vllm');
    const bytes = 8 * KiB; // one token of an 8B model
    const t = allReduceTimeMs(plan, bytes);
    expect(allReduceSegmentFor(plan, bytes)?.algorithm).toBe('one-shot');
    expect(t - INTRA_NODE_COLLECTIVE.customStageLatencyMs).toBeLessThan(0.25 * t);
  });

  it('is bandwidth-bound for a prefill-sized message: NCCL over NVLink SHARP on H100', () => {
    const plan = allReducePlan(H100, 8, 'vllm');
    const bytes = 256 * MiB;
    const s = allReduceSegmentFor(plan, bytes);
    expect(s?.algorithm).toBe('nccl-nvls');
    const t = allReduceTimeMs(plan, bytes);
    expect((s?.latencyMs ?? 0) / t).toBeLessThan(0.1);
  });

  it("switches where vLLM's source does: one-shot below 256 KiB at 8 ranks, 512 KiB at 4, always at 2", () => {
    expect(vllmOneShotMaxBytes(8)).toBe(256 * KiB);
    expect(vllmOneShotMaxBytes(4)).toBe(512 * KiB);
    expect(vllmOneShotMaxBytes(2)).toBe(Infinity);
    // A100: no symmetric memory; the custom kernel up to its 8 MiB buffer, then NCCL's ring.
    expect(algorithmAt(A100, 8, 'vllm', 256 * KiB - 16)).toBe('one-shot');
    expect(algorithmAt(A100, 8, 'vllm', 256 * KiB)).toBe('two-shot');
    expect(algorithmAt(A100, 4, 'vllm', 256 * KiB)).toBe('one-shot');
    expect(algorithmAt(A100, 4, 'vllm', 512 * KiB)).toBe('two-shot');
    expect(algorithmAt(A100, 2, 'vllm', 4 * MiB)).toBe('one-shot');
    expect(algorithmAt(A100, 8, 'vllm', 8 * MiB - 16)).toBe('two-shot');
    expect(algorithmAt(A100, 8, 'vllm', 8 * MiB)).toBe('nccl-ring');
    // H100 from v0.11: the custom kernel only below 256 KiB at 8 ranks, symmetric-memory multimem to 64 MiB.
    expect(algorithmAt(H100, 8, 'vllm', 256 * KiB)).toBe('multimem');
    expect(algorithmAt(H100, 8, 'vllm', 64 * MiB - 16)).toBe('multimem');
    expect(algorithmAt(H100, 8, 'vllm', 64 * MiB)?.startsWith('nccl')).toBe(true);
    expect(algorithmAt(H100, 2, 'vllm', 4 * MiB)).toBe('one-shot');
    expect(algorithmAt(H100, 2, 'vllm', 32 * MiB)).toBe('two-shot');
  });

  it("switches where SGLang's and TensorRT-LLM's sources do", () => {
    // SGLang: vLLM's kernel with its 8 MiB buffer, no symmetric memory by default.
    expect(algorithmAt(H100, 8, 'sglang', 256 * KiB)).toBe('two-shot');
    expect(algorithmAt(H100, 8, 'sglang', 8 * MiB)?.startsWith('nccl')).toBe(true);
    // TensorRT-LLM on SM90: one-shot below 512² bf16 elements at TP 8 and 1024² at TP 4; 8 MB workspace.
    expect(algorithmAt(H100, 8, 'trtllm', 512 * KiB - 16)).toBe('one-shot');
    expect(algorithmAt(H100, 8, 'trtllm', 512 * KiB)).toBe('two-shot');
    expect(algorithmAt(H100, 4, 'trtllm', 2 * MiB - 16)).toBe('one-shot');
    expect(algorithmAt(H100, 8, 'trtllm', 8e6)?.startsWith('nccl')).toBe(true);
  });

  it('runs NCCL at every size on PCIe GPUs and with --disable-custom-all-reduce', () => {
    expect(customAllReduceRuns(L40S, 4)).toBe(false);
    expect(allReducePlan(L40S, 4, 'vllm').segments.every((s) => s.algorithm === 'nccl-ring')).toBe(true);
    const off = allReducePlan(H100, 8, 'vllm', { disableCustomAllReduce: true });
    expect(off.segments.every((s) => s.algorithm.startsWith('nccl'))).toBe(true);
    // NCCL's ring on PCIe: its base plus 2(n − 1) PCIe steps at a tiny message.
    expect(allReduceTimeMs(allReducePlan(L40S, 4, 'vllm'), 16)).toBeCloseTo(
      INTRA_NODE_COLLECTIVE.baseLatencyMs + 6 * NCCL_STEP_LATENCY_MS.pcie + ((1.5 * 16) / (L40S.interconnect.bytesPerS * LINK_BANDWIDTH_FRACTION)) * 1000,
      12,
    );
    // A world size the custom kernel is not built for (3) falls back to NCCL.
    expect(customAllReduceRuns(H100, 3)).toBe(false);
  });

  it('across nodes takes NCCL\'s tree for small messages: log2(nodes) network levels, not a 2(n − 1)-step ring', () => {
    const plan = allReducePlan(H100, 16, 'sglang');
    const bytes = 14 * KiB; // one token of DeepSeek-R1 (hidden 7168, bf16)
    expect(allReduceSegmentFor(plan, bytes)?.algorithm).toBe('nccl-tree');
    const tree = INTRA_NODE_COLLECTIVE.baseLatencyMs + 2 * (7 * NCCL_STEP_LATENCY_MS.nvlink + 1 * NCCL_STEP_LATENCY_MS.networkTree);
    expect(allReduceSegmentFor(plan, bytes)?.latencyMs).toBeCloseTo(tree, 12);
    // …far below the 30-hop ring over the network the model charged before (20 µs per hop).
    expect(allReduceTimeMs(plan, bytes)).toBeLessThan(0.1);
    // A large message goes round the ring: 2(n − 1)/n of it through each NIC, not 2×.
    expect(allReduceSegmentFor(plan, 256 * MiB)?.algorithm).toBe('nccl-ring');
  });
});

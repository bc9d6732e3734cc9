import { describe, expect, it } from 'vitest';
import { findGpu } from '../catalog/gpus';
import { GEMM_KERNEL_EFFICIENCY, GENERATION_EFFICIENCY } from '../calibration';
import { H100, LLAMA_31_8B } from '../testArchs';
import type { GpuSpec, QuantizationInfo } from '../types';
import { TERA } from '../units';
import { gemmKernelOf, kernelPeakDtype, nativeOn } from './gemmKernel';
import { buildModelCost } from './modelCost';
import { hardwareRates } from './step';

function gpu(id: string): GpuSpec {
  const g = findGpu(id);
  if (g === undefined) throw new Error(`${id} not in the catalog`);
  return g;
}

describe('gemmKernelOf: the kernel a quantized layer runs, by dtype and native support', () => {
  it('runs FP8 natively on Hopper and Ada, per-tensor or block-scaled', () => {
    expect(gemmKernelOf('fp8', 0, gpu('H100'))).toBe('fp8-tensor');
    expect(gemmKernelOf('fp8', 128 * 128, gpu('H200'))).toBe('fp8-block');
    expect(gemmKernelOf('fp8', 0, gpu('L40S'))).toBe('fp8-tensor');
  });

  it('falls back to a dequantizing (Marlin-class) kernel where the tensor cores lack the dtype: FP8 on A100, FP4 before Blackwell', () => {
    expect(nativeOn(gpu('A100-80GB'), 'fp8')).toBe(false);
    expect(gemmKernelOf('fp8', 0, gpu('A100-80GB'))).toBe('dequant');
    expect(gemmKernelOf('fp4', 16, gpu('H100'))).toBe('dequant');
    expect(gemmKernelOf('fp4', 32, gpu('L40S'))).toBe('dequant');
    expect(gemmKernelOf('fp4', 16, gpu('B200'))).toBe('fp4');
  });

  it('runs weight-only checkpoints (16-bit compute) on the dequantizing kernel at the 16-bit peak', () => {
    expect(gemmKernelOf('bf16', 128, gpu('H100'))).toBe('dequant');
    expect(kernelPeakDtype('dequant', 'fp8', 'bf16')).toBe('bf16');
    expect(kernelPeakDtype('fp8-tensor', 'fp8', 'bf16')).toBe('fp8');
  });
});

describe('hardwareRates: quantized GEMMs at their kernel’s peak and efficiency', () => {
  const fp8: QuantizationInfo = {
    method: 'fp8',
    weightBits: 8,
    computeDtype: 'fp8',
    groupSize: 0,
    scaleBytes: 4,
    unquantized: ['embedding', 'lmHead'],
    label: 'FP8 e4m3',
    runtime: true,
  };
  const cost = buildModelCost(LLAMA_31_8B, fp8, { tp: 1, pp: 1, dp: 1, ep: false });

  it('an FP8 checkpoint on H100: the FP8 peak at the FP8 kernel’s share of the bf16 fraction', () => {
    const r = hardwareRates(H100, 'vllm', cost);
    const f = GENERATION_EFFICIENCY.hopper.computeFraction;
    expect(cost.hasQuantizedGemms).toBe(true);
    expect(r.quantizedFlopsPerS).toBeCloseTo((H100.denseTflops.fp8 ?? 0) * TERA * Math.min(1, f * GEMM_KERNEL_EFFICIENCY['fp8-tensor']), -6);
    expect(r.unquantizedFlopsPerS).toBeCloseTo((H100.denseTflops.bf16 ?? 0) * TERA * f, -6);
  });

  it('the same checkpoint on A100 (no FP8 MMA): the bf16 peak at the dequantizing kernel’s efficiency, never the missing FP8 rate', () => {
    const a100 = gpu('A100-80GB');
    const r = hardwareRates(a100, 'vllm', cost);
    const f = GENERATION_EFFICIENCY.ampere.computeFraction;
    expect(r.quantizedFlopsPerS).toBeCloseTo((a100.denseTflops.bf16 ?? 0) * TERA * Math.min(1, f * GEMM_KERNEL_EFFICIENCY.dequant), -6);
    expect(r.quantizedFlopsPerS).toBeLessThanOrEqual(r.unquantizedFlopsPerS);
  });
});

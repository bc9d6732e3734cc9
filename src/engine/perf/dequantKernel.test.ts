import { describe, expect, it } from 'vitest';
import { findGpu } from '../catalog/gpus';
import { DEQUANT_KERNEL, GEMM_TOKEN_TILE_ROWS } from '../calibration';
import { H100, LLAMA_31_8B, NO_QUANT } from '../testArchs';
import type { GpuSpec, QuantizationInfo } from '../types';
import {
  ASSUMED_MMA_PER_ALU_RATIO,
  DEQUANT_BLOCK_ROWS,
  UNPACK_INSTRUCTIONS_BOUNDS,
  dequantBlockRows,
  dequantEfficiency,
  mmaPerAluRatio,
  unpackPasses,
  unpackRowEquivalents,
} from './dequantKernel';
import { tiledRows } from './flops';
import { gemmKernelOf } from './gemmKernel';
import { buildModelCost } from './modelCost';
import { hardwareRates, stepContext, stepTime } from './step';
import type { StepBatch } from './stepBatch';

function gpu(id: string): GpuSpec {
  const g = findGpu(id);
  if (g === undefined) throw new Error(`${id} not in the catalog`);
  return g;
}

const h100 = gpu('H100');
const a100 = gpu('A100-80GB');
const r = unpackRowEquivalents(h100, DEQUANT_KERNEL.unpackInstructionsPerElement);
const eff = (rows: number, g: GpuSpec = h100): number =>
  dequantEfficiency(rows, tiledRows(rows, GEMM_TOKEN_TILE_ROWS), unpackRowEquivalents(g, DEQUANT_KERNEL.unpackInstructionsPerElement), dequantBlockRows(g));

describe('dequantKernel: a weight-only kernel unpacks each weight tile once per M block', () => {
  it('takes the M block from the kernel vLLM runs: matmul_ogs / Machete on Hopper (128), Marlin elsewhere (64)', () => {
    expect(dequantBlockRows(h100)).toBe(DEQUANT_BLOCK_ROWS.hopper);
    expect(dequantBlockRows(gpu('H200'))).toBe(128);
    expect(dequantBlockRows(a100)).toBe(DEQUANT_BLOCK_ROWS.other);
    expect(dequantBlockRows(gpu('L40S'))).toBe(64);
  });

  it('prices one unpacked element in MMA rows from the datasheets: bf16 peak over fp32 peak', () => {
    expect(mmaPerAluRatio(a100)).toBeCloseTo(312 / 19.5, 6);
    expect(mmaPerAluRatio(h100)).toBeCloseTo((h100.denseTflops.bf16 ?? 0) / (h100.denseTflops.fp32 ?? 1), 6);
    // Ada's CUDA cores are fast next to its tensor cores: the unpacking is nearly free there.
    expect(mmaPerAluRatio(gpu('L40S'))).toBeLessThan(5);
    const noFp32: GpuSpec = { ...h100, denseTflops: { bf16: 989.4 } };
    expect(mmaPerAluRatio(noFp32)).toBe(ASSUMED_MMA_PER_ALU_RATIO);
  });

  it('keeps the fitted instructions per element within their physical bounds', () => {
    expect(unpackRowEquivalents(h100, 100)).toBeCloseTo(UNPACK_INSTRUCTIONS_BOUNDS.max * mmaPerAluRatio(h100), 9);
    expect(unpackRowEquivalents(h100, 0)).toBeCloseTo(UNPACK_INSTRUCTIONS_BOUNDS.min * mmaPerAluRatio(h100), 9);
    expect(DEQUANT_KERNEL.unpackInstructionsPerElement).toBeGreaterThanOrEqual(UNPACK_INSTRUCTIONS_BOUNDS.min);
    expect(DEQUANT_KERNEL.unpackInstructionsPerElement).toBeLessThanOrEqual(UNPACK_INSTRUCTIONS_BOUNDS.max);
  });

  it('unpacks at least once, then once per M block', () => {
    expect(unpackPasses(0, 128)).toBe(0);
    expect(unpackPasses(1, 128)).toBe(1);
    expect(unpackPasses(128, 128)).toBe(1);
    expect(unpackPasses(1280, 128)).toBe(10);
  });

  it('never costs more per useful row as M grows: decode-sized M pays the unpack over one tile, prefill-sized M over a whole block', () => {
    const perRow = (rows: number): number => (tiledRows(rows, GEMM_TOKEN_TILE_ROWS) + r * unpackPasses(rows, dequantBlockRows(h100))) / rows;
    let last = Infinity;
    for (const rows of [1, 2, 4, 8, 16, 24, 32, 64, 100, 128, 129, 200, 256, 1000, 5000, 20000]) {
      expect(perRow(rows)).toBeLessThanOrEqual(last + 1e-12);
      expect(eff(rows)).toBeGreaterThan(0);
      expect(eff(rows)).toBeLessThanOrEqual(1);
      last = perRow(rows);
    }
    expect(eff(1)).toBeCloseTo(GEMM_TOKEN_TILE_ROWS / (GEMM_TOKEN_TILE_ROWS + r), 9);
    expect(eff(8192)).toBeGreaterThan(eff(16));
    // Large M tends to block ÷ (block + r).
    expect(eff(1e7)).toBeCloseTo(128 / (128 + r), 3);
  });

  it('amortises less on Marlin (64-row blocks) than on Hopper’s matmul_ogs (128) at the same r', () => {
    const rows = 4096;
    const tiled = tiledRows(rows, GEMM_TOKEN_TILE_ROWS);
    expect(dequantEfficiency(rows, tiled, 15, 64)).toBeLessThan(dequantEfficiency(rows, tiled, 15, 128));
  });

  it('costs nothing without an unpack (r = 0) or without rows', () => {
    expect(dequantEfficiency(1000, tiledRows(1000, 16), 0, 128)).toBe(1);
    expect(dequantEfficiency(0, 0, 15, 128)).toBe(1);
  });
});

describe('the step model with a weight-only (w4a16) checkpoint: Marlin/Machete-class dequantizing GEMMs', () => {
  const awq: QuantizationInfo = {
    method: 'awq',
    weightBits: 4,
    computeDtype: 'bf16',
    groupSize: 128,
    scaleBytes: 2,
    unquantized: ['embedding', 'lmHead'],
    label: 'AWQ int4',
    runtime: false,
  };
  const kvGroups = [{ kind: 'full-attention' as const, numLayers: 32, bytesPerTokenPerLayer: 4096, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null }];
  const cost = buildModelCost(LLAMA_31_8B, awq, { tp: 1, pp: 1, dp: 1, ep: false });
  const rates = hardwareRates(H100, 'vllm', cost);
  const ctx = stepContext(cost, rates, kvGroups, 0);
  const batch = (decodes: number, prefillTokens: number): StepBatch => ({
    decodeRequests: decodes,
    prefillTokens,
    finishingPrefills: prefillTokens > 0 ? 1 : 0,
    decodeContextTokens: Float64Array.from(ctx.windowsTokens.map(() => decodes * 1000)),
    prefillContextTokens: Float64Array.from(ctx.windowsTokens.map(() => (prefillTokens * (prefillTokens + 1)) / 2)),
  });

  it('runs the dequantizing kernel and charges an unpack pass per M block', () => {
    expect(gemmKernelOf(cost.quantizedComputeDtype, cost.quantizedScaleGroupElements, H100)).toBe('dequant');
    expect(rates.dequantUnpackRowEquivalents).toBeCloseTo(unpackRowEquivalents(H100, DEQUANT_KERNEL.unpackInstructionsPerElement), 9);
    expect(ctx.coefficients.linearUnpackMsPerPass ?? 0).toBeGreaterThan(0);
  });

  it('at decode-sized M the step is bound by reading the packed weights, not by the unpacking', () => {
    const t = stepTime(ctx, batch(1, 0));
    expect(t.memoryMs).toBeGreaterThan(t.computeMs);
  });

  it('at prefill-sized M the compute per prompt token falls: the unpack is shared by a whole M block', () => {
    const small = stepTime(ctx, batch(0, 64));
    const large = stepTime(ctx, batch(0, 8192));
    expect(large.computeMs / 8192).toBeLessThan(small.computeMs / 64);
  });

  it('never charges an unpack for a 16-bit checkpoint', () => {
    const bf16 = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const r16 = hardwareRates(H100, 'vllm', bf16);
    expect(r16.dequantUnpackRowEquivalents).toBe(0);
    expect(stepContext(bf16, r16, kvGroups, 0).coefficients.linearUnpackMsPerPass).toBe(0);
  });
});

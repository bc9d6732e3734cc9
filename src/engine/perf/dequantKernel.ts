/**
 * Dequantizing (weight-only) GEMM kernels at a given M (issue 11 item 1, issue 12's P/D prefill): the
 * kernel gemmKernel.ts calls 'dequant' — Marlin (AWQ/GPTQ w4a16, FP8 on Ampere, MXFP4 on Ampere),
 * Machete (w4a16 on Hopper), triton_kernels matmul_ogs (MXFP4 MoE on Hopper). It loads a packed weight
 * tile, unpacks it to 16 bits in registers on the CUDA cores, then runs 16-bit MMAs on it for the M
 * rows of the block it serves. The unpacking is paid once per weight tile per M block, the MMAs once
 * per row, so its share falls as M grows:
 *
 *   GEMM time  = MMA time per row × (tiled rows + r × unpack passes)
 *   passes     = max(1, rows ÷ blockRows)          one unpack of the weights per M block of the kernel
 *   r          = c × bf16 peak ÷ fp32 peak          the unpacking of one weight element, in MMA rows
 *   efficiency = tiled rows ÷ (tiled rows + r × passes) of the kernel's MMA rate, which is
 *                calibration.ts GEMM_KERNEL_EFFICIENCY.dequant of the 16-bit GEMM's (fitted)
 * The unpacking runs on the CUDA cores beside the loads: perf/step.ts adds it to the compute side of
 * the roofline, not to the MMAs' exposed pipeline fill and drain.
 *
 * - c: CUDA-core lane instructions per weight element per unpack (shifts/lop3 to 16-bit, the group or
 *   microscale multiply; Marlin's int4 → bf16 takes ~1–1.5 per element, csrc/quantization/gptq_marlin/
 *   dequant.h), an effective figure: MMAs and unpacking of other warps partly overlap, and the sum above
 *   is an APPROXIMATION of that. Fitted by scripts/validate/perfFit.ts within [0.25, 2]
 *   (calibration.ts DEQUANT_KERNEL).
 * - bf16 peak ÷ fp32 peak: tensor-core MACs per CUDA-core lane instruction, from the datasheets (A100
 *   312 ÷ 19.5 = 16, H100 SXM 989 ÷ 67 = 14.8, L40S 362 ÷ 91.6 = 4, B200 2,250 ÷ 75 = 30).
 * - blockRows: the kernel's largest M block; one unpacked weight tile serves at most that many rows.
 *   Hopper 128: triton_kernels matmul_ogs picks block_m = max(16, min(next_pow2(tokens per expert),
 *   128)) (python/triton_kernels/triton_kernels/matmul_ogs_details/opt_flags.py
 *   make_default_opt_flags_nvidia), which vLLM runs for MXFP4 MoE on SM90 (vllm/model_executor/layers/
 *   quantization/mxfp4.py get_mxfp4_backend: Mxfp4Backend.TRITON when triton_kernels is installed and
 *   FlashInfer's SM90 MXFP4 path is not asked for); Machete's largest M tile is 128 too. Elsewhere 64:
 *   Marlin MoE picks block_size_m from [8, 16, 32, 48, 64] (vllm/model_executor/layers/fused_moe/
 *   fused_marlin_moe.py), dense Marlin at most 4 × 16-row m-blocks per pass, and vLLM takes Marlin for
 *   MXFP4 below SM90 (get_mxfp4_backend: triton_kernels only for 9.0 ≤ capability < 11.0).
 *
 * At decode-sized M (one 16-row tile) a GEMM is bound by reading its packed weights; its compute side
 * is 16 ÷ (16 + r) of the MMA rate (~0.5 at r ≈ 15). At prefill-sized M the unpack is amortised over
 * a whole M block and the kernel approaches its MMA rate (128 ÷ (128 + r) ≈ 0.9 on Hopper). One fixed
 * efficiency stood for both before (issue 12: a 5,000-token MXFP4 gpt-oss-120b prefill priced at
 * 215 ms put the llm-d P/D run's prefill pool at utilisation 1.21).
 */
import type { GpuSpec } from '../types';

/** Rows one unpacked weight tile serves at most: the kernel's largest M block (sources above). */
export const DEQUANT_BLOCK_ROWS = { hopper: 128, other: 64 } as const;

/**
 * Tensor-core MACs per CUDA-core lane instruction when the catalog lacks a GPU's FP32 figure:
 * ASSUMED as A100's 312 ÷ 19.5 = 16 (H100's is 14.8).
 */
export const ASSUMED_MMA_PER_ALU_RATIO = 16;

/** Bounds of the fitted unpack instructions per weight element (calibration.ts DEQUANT_KERNEL). */
export const UNPACK_INSTRUCTIONS_BOUNDS = { min: 0.25, max: 2 } as const;

/** The kernel's largest M block on this GPU. */
export function dequantBlockRows(gpu: GpuSpec): number {
  return gpu.generation === 'hopper' ? DEQUANT_BLOCK_ROWS.hopper : DEQUANT_BLOCK_ROWS.other;
}

/** Tensor-core MACs per CUDA-core lane instruction: the 16-bit dense peak over the FP32 (non-tensor) peak. */
export function mmaPerAluRatio(gpu: GpuSpec): number {
  const mma = gpu.denseTflops.bf16 ?? gpu.denseTflops.fp16 ?? 0;
  const alu = gpu.denseTflops.fp32 ?? 0;
  return mma > 0 && alu > 0 ? mma / alu : ASSUMED_MMA_PER_ALU_RATIO;
}

/**
 * r: the unpacking of one weight element in MMA-row equivalents, for `unpackInstructionsPerElement`
 * CUDA-core instructions per element (clamped to its bounds).
 */
export function unpackRowEquivalents(gpu: GpuSpec, unpackInstructionsPerElement: number): number {
  const c = Math.min(UNPACK_INSTRUCTIONS_BOUNDS.max, Math.max(UNPACK_INSTRUCTIONS_BOUNDS.min, unpackInstructionsPerElement));
  return c * mmaPerAluRatio(gpu);
}

/** Unpack passes over a GEMM's weights for `rows` useful rows: one per M block, at least one (none for no rows). */
export function unpackPasses(rows: number, blockRows: number): number {
  return rows > 0 ? Math.max(1, rows / blockRows) : 0;
}

/**
 * Compute efficiency of the dequantizing kernel relative to the 16-bit GEMM at `rows` useful rows
 * whose MMAs run `tiledRows` rows (flops.ts tiledRows): tiled ÷ (tiled + r × passes); 1 where r = 0.
 * The GEMM's time per useful row, (tiled + r × passes) ÷ rows, never rises with rows; the efficiency
 * tends to blockRows ÷ (blockRows + r) at large M.
 */
export function dequantEfficiency(rows: number, tiledRows: number, rowEquivalents: number, blockRows: number): number {
  if (rows <= 0 || tiledRows <= 0) return 1;
  return tiledRows / (tiledRows + rowEquivalents * unpackPasses(rows, blockRows));
}

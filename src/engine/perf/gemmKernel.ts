/**
 * Which GEMM kernel a quantized linear layer runs on a given GPU, and the tensor-core peak it runs
 * at (issue 11, kernel-shaped efficiency per compute dtype). The 16-bit GEMMs are the reference: their
 * achievable fraction of the bf16 peak is the generation's `computeFraction` (calibration.ts); a
 * quantized kernel reaches `GEMM_KERNEL_EFFICIENCY[kernel]` × that fraction of ITS dtype's peak.
 *
 *   kernel          runs when                                   peak used       engine kernel (vLLM names)
 *   'fp8-tensor'    FP8 per-tensor/channel, GPU has FP8 MMA     fp8 datasheet   CUTLASS scaled_mm (cutlass_w8a8 c3x), cuBLASLt FP8
 *   'fp8-block'     FP8 128×128 block scales, FP8 MMA           fp8 datasheet   w8a8_block_fp8_matmul (Triton) / DeepGEMM / CUTLASS blockwise
 *   'fp4'           NVFP4 / MXFP4, GPU has FP4 MMA (Blackwell)  fp4 datasheet   CUTLASS / FlashInfer FP4 GEMM
 *   'int8'          W8A8 int8, GPU has INT8 MMA                 int8 datasheet  cutlass_scaled_mm int8
 *   'dequant'       weight-only (AWQ/GPTQ w4a16, w8a16), or a   16-bit          Marlin / Machete (vllm/model_executor/layers/
 *                   dtype the GPU lacks: FP8 on Ampere, FP4                     quantization/utils/marlin_utils*.py), gpt-oss MXFP4
 *                   on Ada/Hopper/Ampere                                        on Hopper/Ampere: triton_kernels matmul_ogs (upcast)
 *
 * A 'dequant' kernel streams the packed weights (bytes.ts counts them at their stored bits) and
 * computes at the 16-bit rate, paying the unpacking in its efficiency.
 */
import type { Dtype, GemmKernel, GpuSpec } from '../types';

const SIXTEEN_BIT: ReadonlySet<Dtype> = new Set<Dtype>(['bf16', 'fp16', 'fp32']);

/** True when the GPU's tensor cores run `dtype` (the catalog lists a dense peak for it). */
export function nativeOn(gpu: GpuSpec, dtype: Dtype): boolean {
  const peak = gpu.denseTflops[dtype];
  return peak !== undefined && peak > 0;
}

/**
 * The kernel of the quantized linear layers: their compute dtype, whether the weights carry
 * per-group scales (`scaleGroupElements` > 0: block-scaled FP8), and the GPU.
 */
export function gemmKernelOf(computeDtype: Dtype, scaleGroupElements: number, gpu: GpuSpec): GemmKernel {
  if (SIXTEEN_BIT.has(computeDtype) || !nativeOn(gpu, computeDtype)) return 'dequant';
  if (computeDtype === 'fp8') return scaleGroupElements > 0 ? 'fp8-block' : 'fp8-tensor';
  if (computeDtype === 'fp4') return 'fp4';
  if (computeDtype === 'int8') return 'int8';
  // int4 MMA (Turing/Ampere/Ada) has no serving kernel in vLLM: weight-only dequant.
  return 'dequant';
}

/** The dtype whose datasheet peak the kernel runs at: its own, or the 16-bit one for a dequantizing kernel. */
export function kernelPeakDtype(kernel: GemmKernel, computeDtype: Dtype, sixteenBit: Dtype): Dtype {
  return kernel === 'dequant' ? sixteenBit : computeDtype;
}

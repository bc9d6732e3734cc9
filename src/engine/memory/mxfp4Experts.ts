/**
 * Bytes vLLM holds for one MXFP4 MoE layer (gpt-oss) on one rank, after the kernel-specific padding
 * and re-layout done while loading. The plain count (4.25 bits per weight) is 5–8 % below vLLM's
 * "Model loading took X GiB" for gpt-oss-20b on H100, because the MoE kernels pad the expert
 * matrices and the Hopper Triton path keeps two copies of the scales.
 *
 * Source: vllm/model_executor/layers/quantization/mxfp4.py (Mxfp4MoEMethod.create_weights,
 * process_weights_after_loading, get_mxfp4_backend) and utils/mxfp4_utils.py (_swizzle_mxfp4), with
 * triton_kernels tensor_details/layout_details/hopper_value.py and hopper_scale.py (swizzle_data).
 */
import type { GpuGeneration } from '../types';

/** OCP MX: one e8m0 (1 byte) scale per 32 FP4 values; two FP4 values per byte. */
const MXFP4_BLOCK_ELEMENTS = 32;

/**
 * Which MoE kernel vLLM picks for MXFP4 experts (mxfp4.py get_mxfp4_backend, defaults, no LoRA):
 * - hopper (SM90): Triton (triton_kernels support SM 9.0–10.x); the FlashInfer SM90 path needs
 *   VLLM_USE_FLASHINFER_MOE_MXFP4_BF16=1, off by default.
 * - blackwell: FlashInfer SM100 BF16 (SM100_FI_MXFP4_BF16). APPROXIMATION: consumer Blackwell (SM120)
 *   falls back to Marlin, which pads the intermediate size to 128 instead of 256.
 * - ampere / ada (SM80/89): Marlin (triton_kernels need SM ≥ 9.0).
 * - cdna3 / cdna4 (ROCm): Triton with a 128 / 256 padding (get_padding_alignment), strided values.
 */
export type Mxfp4MoeBackend = 'triton-hopper' | 'flashinfer-sm100' | 'marlin' | 'rocm-triton';

export function mxfp4MoeBackend(generation: GpuGeneration): Mxfp4MoeBackend {
  switch (generation) {
    case 'hopper':
      return 'triton-hopper';
    case 'blackwell':
      return 'flashinfer-sm100';
    case 'cdna3':
    case 'cdna4':
      return 'rocm-triton';
    case 'ampere':
    case 'ada':
    case 'volta':
    case 'turing':
      return 'marlin';
    default: {
      const unreachable: never = generation;
      return unreachable;
    }
  }
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}

export interface Mxfp4ExpertsShape {
  /** Experts held by this rank (all of them under TP, floor(E / ep) under EP). */
  numExperts: number;
  hiddenSize: number;
  /** Expert intermediate size on this rank (intermediate_size / tp under TP). */
  intermediateSizePerRank: number;
  /** gate_up (w13) and down (w2) biases, as gpt-oss has. */
  bias: boolean;
  /** CDNA4 (gfx950) pads to 256, CDNA3 to 128 (mxfp4_utils.py get_padding_alignment). */
  generation: GpuGeneration;
}

/**
 * Bytes of one MoE layer's experts on one rank: w13 (gate_up, 2·I × H) and w2 (down, H × I) as packed
 * FP4 bytes + e8m0 scales + biases, after padding.
 */
export function mxfp4ExpertLayerBytes(shape: Mxfp4ExpertsShape): number {
  const backend = mxfp4MoeBackend(shape.generation);
  const e = shape.numExperts;
  let i = shape.intermediateSizePerRank;
  let h = shape.hiddenSize;
  // create_weights: intermediate_size_per_partition (and hidden_size) rounded up per backend.
  if (backend === 'marlin') {
    // Marlin MoE needs n % 256 == 0 and k % 128 == 0.
    i = roundUp(i, 128);
    h = roundUp(h, 256);
  } else if (backend === 'flashinfer-sm100') {
    i = roundUp(i, 256);
    h = roundUp(h, 256);
  } else if (backend === 'rocm-triton') {
    const align = shape.generation === 'cdna4' ? 256 : 128;
    i = roundUp(i, align);
    h = roundUp(h, align);
  } else {
    i = roundUp(i, 64);
  }
  // Biases: bf16 as created; the Triton and FlashInfer SM100 paths convert them to fp32.
  const biasBytesPerValue = backend === 'marlin' ? 2 : 4;
  const biasBytes = shape.bias ? e * (2 * i + h) * biasBytesPerValue : 0;
  const w13ScaleRows = 2 * i;
  const w13ScaleCols = h / MXFP4_BLOCK_ELEMENTS;
  const w2ScaleRows = h;
  const w2ScaleCols = i / MXFP4_BLOCK_ELEMENTS;
  const scaleBytes = e * (w13ScaleRows * w13ScaleCols + w2ScaleRows * w2ScaleCols);

  if (backend !== 'triton-hopper') {
    // Packed values (two per byte) + one scale byte per 32 values; the Marlin / FlashInfer re-layout
    // keeps the sizes (permutations and interleaves, no padding beyond create_weights).
    const valueBytes = e * ((2 * i * h) / 2 + (h * i) / 2);
    return valueBytes + scaleBytes + biasBytes;
  }

  // Hopper Triton (_swizzle_mxfp4 → HopperMXValueLayout / HopperMXScaleLayout, num_warps 8 in the
  // non-batched MoE): value bytes padded to multiples of 64 on both matrix dims; scales padded to
  // 2·num_warps·2·8 = 256 rows and an even column count. The swizzled weights replace the loaded
  // ones (`del layer.w13_weight`), but the loaded scale parameters stay registered on the layer,
  // so both scale copies are resident.
  const valueAlign = 64;
  const scaleRowAlign = 2 * 8 * 2 * 8;
  const w13Values = roundUp(2 * i, valueAlign) * roundUp(h / 2, valueAlign);
  const w2Values = roundUp(h, valueAlign) * roundUp(i / 2, valueAlign);
  const swizzledScales =
    roundUp(w13ScaleRows, scaleRowAlign) * roundUp(w13ScaleCols, 2) + roundUp(w2ScaleRows, scaleRowAlign) * roundUp(w2ScaleCols, 2);
  return e * (w13Values + w2Values + swizzledScales) + scaleBytes + biasBytes;
}

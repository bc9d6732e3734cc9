/**
 * The kernel regime a validation row runs in, as a closed set for the error tables: the precision
 * its linear layers compute in, read from the checkpoint's quantization config and the runtime
 * `--quantization` the row asks for (perf.ts precisionOf). Issue 11 names the regimes the fit
 * averages over (bf16 vs per-tensor fp8 vs block-scaled fp8 vs fp4 vs weight-only int4 kernels);
 * this is the key that keeps them apart in `npm run validate perf` and `cv`.
 */
import { effectiveQuantization } from '../../src/engine/arch/quantization';
import type { Dtype, ModelArch, QuantizationInfo, WeightPrecision } from '../../src/engine/types';

export const PRECISION_CLASSES = [
  'fp32',
  'bf16',
  'fp16',
  /** Per-tensor or per-channel FP8 (ModelOpt, FBGEMM, vLLM's runtime `--quantization fp8`). */
  'fp8',
  /** Block-scaled FP8 (128×128 weight blocks: DeepSeek-V3/R1, Qwen3-FP8). */
  'fp8-block',
  /** NVIDIA FP4 (ModelOpt NVFP4, 16-element groups with FP8 scales). */
  'nvfp4',
  /** OCP MXFP4 (gpt-oss experts, 32-element groups with E8M0 scales). */
  'mxfp4',
  /** W8A8 int8. */
  'int8',
  /** Weight-only 8-bit (dequantizing kernels, compute at 16 bits). */
  'w8a16',
  /** Weight-only 4-bit (AWQ, GPTQ, compressed-tensors w4a16, bitsandbytes nf4). */
  'w4a16',
] as const;
export type PrecisionClass = (typeof PRECISION_CLASSES)[number];

function unquantizedClass(dtype: Dtype, rowLabel: string): PrecisionClass {
  // Where the source names the 16-bit dtype (TensorRT-LLM's tables say "FP16"), keep its word.
  const l = rowLabel.trim().toLowerCase();
  if (l === 'fp16' || l === 'bf16') return l;
  return dtype === 'fp32' ? 'fp32' : dtype === 'fp16' ? 'fp16' : 'bf16';
}

/** The class of one quantization config. */
function checkpointClass(q: QuantizationInfo, dtype: Dtype, rowLabel: string): PrecisionClass {
  switch (q.method) {
    case 'none':
      return unquantizedClass(dtype, rowLabel);
    case 'mxfp4':
      return 'mxfp4';
    case 'nvfp4':
      return 'nvfp4';
    case 'fp8':
    case 'modelopt-fp8':
      return q.groupSize > 0 ? 'fp8-block' : 'fp8';
    case 'compressed-tensors':
    case 'awq':
    case 'gptq':
    case 'bitsandbytes':
      if (q.computeDtype === 'fp8') return q.groupSize > 0 ? 'fp8-block' : 'fp8';
      if (q.computeDtype === 'int8') return 'int8';
      if (q.computeDtype === 'fp4') return 'nvfp4';
      return q.weightBits <= 4 ? 'w4a16' : 'w8a16';
    default: {
      const unknownMethod: never = q.method;
      return unknownMethod;
    }
  }
}

/**
 * A row's precision class: that of the quantization the perf model runs (the engine's
 * effectiveQuantization of the row's requested precision; the checkpoint's own where that fails).
 */
export function precisionClassOf(
  requested: WeightPrecision,
  arch: ModelArch,
  rowLabel: string,
): PrecisionClass {
  const q = effectiveQuantization(arch, requested);
  return checkpointClass(q.ok ? q.value : arch.quantization, arch.checkpointDtype, rowLabel);
}

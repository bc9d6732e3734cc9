/**
 * Bytes a forward step moves through HBM: weight elements by their stored width, and the KV cache
 * read at each request's current context length.
 */
import type { Dtype, KvGroupPlan, QuantizationInfo, QuantizedComponent } from '../types';
import { DTYPE_BYTES } from '../types';

/**
 * Dtype vLLM runs unquantized tensors in. `--dtype auto` loads an fp32 checkpoint as bf16
 * (vllm/config/model.py `_resolve_auto_dtype`: float32 weights are served in 16 bits); 8/4-bit
 * labels never describe a checkpoint's unquantized tensors, so they fall back to bf16 as well.
 */
export function servingDtype(checkpointDtype: Dtype): Dtype {
  return checkpointDtype === 'fp16' ? 'fp16' : 'bf16';
}

/**
 * Stored bytes per weight element of one component: the quantized width plus its scales
 * (groupSize elements share `scaleBytes`), or 16 bits for what stays unquantized. A component partly
 * kept at 16 bits (`unquantizedFraction`) is the weighted mean of both.
 */
export function bytesPerWeightElement(component: QuantizedComponent, quant: QuantizationInfo, checkpointDtype: Dtype): number {
  const unquantizedBytes = DTYPE_BYTES[servingDtype(checkpointDtype)];
  if (!isQuantized(component, quant)) return unquantizedBytes;
  const quantizedBytes = quant.weightBits / 8 + (quant.groupSize > 0 ? quant.scaleBytes / quant.groupSize : 0);
  const keptFraction = quant.unquantizedFraction?.[component] ?? 0;
  return keptFraction * unquantizedBytes + (1 - keptFraction) * quantizedBytes;
}

/** Whether a component's matmuls run on quantized weights at all. */
export function isQuantized(component: QuantizedComponent, quant: QuantizationInfo): boolean {
  return quant.method !== 'none' && quant.weightBits < 16 && !quant.unquantized.includes(component);
}

/**
 * KV bytes one request's decode step reads on this GPU at `contextTokens` of context: every
 * attention layer reads its whole cache, a sliding-window layer at most its window, and
 * constant-state layers (Mamba, DeltaNet) their state. `kvGroups` come from the memory plan
 * (bytes per token per layer on this rank, already split over TP and in the KV dtype).
 */
export function kvReadBytesPerRequest(kvGroups: readonly KvGroupPlan[], contextTokens: number): number {
  let bytes = 0;
  for (const g of kvGroups) {
    const tokens = g.slidingWindowTokens === null ? contextTokens : Math.min(contextTokens, g.slidingWindowTokens);
    bytes += g.numLayers * (g.bytesPerTokenPerLayer * tokens + g.stateBytesPerRequestPerLayer);
  }
  return bytes;
}

/** KV bytes one new token writes on this GPU (all cached layers; constant-state layers rewrite their state). */
export function kvWriteBytesPerToken(kvGroups: readonly KvGroupPlan[]): number {
  let bytes = 0;
  for (const g of kvGroups) bytes += g.numLayers * g.bytesPerTokenPerLayer;
  return bytes;
}

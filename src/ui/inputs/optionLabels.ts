/** Display names of the closed sets the form offers (labels only; the values are the engine's). */
import type { KvCacheDtype, ServingEngine, WeightPrecision } from '../../engine/types';

export const WEIGHT_PRECISION_LABELS: Record<WeightPrecision, string> = {
  auto: 'As in the checkpoint',
  bf16: 'BF16',
  fp8: 'FP8 (W8A8; runtime --quantization fp8 on a 16-bit checkpoint)',
  int8: 'INT8 (W8A8)',
  int4: 'INT4 (AWQ/GPTQ W4A16, group 128)',
  fp4: 'FP4 (NVFP4, group 16)',
};

export const KV_CACHE_DTYPE_LABELS: Record<KvCacheDtype, string> = {
  auto: 'Same as the model (auto)',
  fp8: 'FP8',
};

export const ENGINE_LABELS: Record<ServingEngine, string> = {
  vllm: 'vLLM',
  sglang: 'SGLang',
  trtllm: 'TensorRT-LLM',
};

export const CONCURRENCY_MODES = ['sweep', 'max', 'fixed'] as const;
export type ConcurrencyMode = (typeof CONCURRENCY_MODES)[number];

export const CONCURRENCY_MODE_LABELS: Record<ConcurrencyMode, string> = {
  sweep: 'Sweep (best point per configuration)',
  max: 'Max (all requests at once)',
  fixed: 'Fixed number of requests',
};

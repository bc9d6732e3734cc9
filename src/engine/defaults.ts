import { vllmDefaultMaxNumBatchedTokens, vllmDefaultMaxNumSeqs } from './memory/servingDefaults';
import type { GpuSpec, ResolvedServingOptions, ServingSettings } from './types';

/**
 * Starting settings, as `vllm serve` runs without flags (V1 engine, 0.19): gpu_memory_utilization 0.9
 * (vllm/config/cache.py), scheduler limits left to vLLM's per-GPU defaults (resolveServing).
 * max_model_len has no vLLM default (the model's limit); 8192 is this tool's starting point because
 * most published start-up logs use it.
 */
export const DEFAULT_SERVING_SETTINGS: ServingSettings = {
  maxModelLenTokens: 8192,
  gpuMemoryUtilization: 0.9,
  weightPrecision: 'auto',
  kvCacheDtype: 'auto',
  blockSizeTokens: null,
  maxNumBatchedTokens: null,
  maxNumSeqs: null,
  enforceEager: false,
};

/** The settings with vLLM's default scheduler limits filled in for this GPU (memory/servingDefaults.ts). */
export function resolveServing(settings: ServingSettings, gpu: GpuSpec): ResolvedServingOptions {
  return {
    ...settings,
    maxNumSeqs: settings.maxNumSeqs ?? vllmDefaultMaxNumSeqs(gpu),
    maxNumBatchedTokens: settings.maxNumBatchedTokens ?? vllmDefaultMaxNumBatchedTokens(gpu),
  };
}

/**
 * DEFAULT_SERVING_SETTINGS resolved for a ≥ 70 GiB non-A100 GPU (H100, H200, MI300X…): vLLM's
 * `get_batch_defaults` gives max_num_batched_tokens 8192 and max_num_seqs 1024 there.
 * For tests and examples that plan on such a GPU; the app and CLI resolve per GPU.
 */
export const DEFAULT_RESOLVED_SERVING_OPTIONS: ResolvedServingOptions = {
  ...DEFAULT_SERVING_SETTINGS,
  maxNumBatchedTokens: 8192,
  maxNumSeqs: 1024,
};

import type { ServingOptions } from './types';

/**
 * vLLM's defaults for `vllm serve` (V1 engine, 0.19): gpu_memory_utilization 0.9,
 * max_num_batched_tokens 8192 and max_num_seqs 256 on GPUs of ≥ 70 GiB (vllm/engine/arg_utils.py,
 * `_set_default_args`, usage context OPENAI_API_SERVER). max_model_len has no default (the model's
 * limit); 8192 is this tool's starting point because most published start-up logs use it.
 */
export const DEFAULT_SERVING_OPTIONS: ServingOptions = {
  maxModelLenTokens: 8192,
  gpuMemoryUtilization: 0.9,
  weightPrecision: 'auto',
  kvCacheDtype: 'auto',
  blockSizeTokens: null,
  maxNumBatchedTokens: 8192,
  maxNumSeqs: 256,
  enforceEager: false,
};

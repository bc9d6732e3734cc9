/**
 * TensorRT-LLM's defaults for the flags that shape its memory (PyTorch backend, `trtllm-serve`):
 *  - `--kv_cache_free_gpu_memory_fraction` 0.9 (tensorrt_llm/commands/serve.py click option;
 *    llmapi/llm_args.py KvCacheConfig.free_gpu_memory_fraction "Default is 90%");
 *  - `--max_batch_size` 2048 and `--max_num_tokens` 8192 (BuildConfig defaults the serve command
 *    passes through; the engine logs "max_num_tokens=8192, max_batch_size=…");
 *  - tokens_per_block 32 (llm_args.py KvCacheConfig.tokens_per_block; logged "Number of tokens per block: 32.").
 */
import type { TrtllmServingOptions } from '../../types';

export const TRTLLM_DEFAULT_KV_CACHE_FREE_GPU_MEMORY_FRACTION = 0.9;
export const TRTLLM_DEFAULT_MAX_BATCH_SIZE = 2048;
export const TRTLLM_DEFAULT_MAX_NUM_TOKENS = 8192;
export const TRTLLM_TOKENS_PER_BLOCK = 32;

export interface TrtllmResolvedOptions {
  kvCacheFreeGpuMemoryFraction: number;
  maxBatchSize: number;
  maxNumTokens: number;
}

export function resolveTrtllmOptions(options: TrtllmServingOptions | undefined): TrtllmResolvedOptions {
  return {
    kvCacheFreeGpuMemoryFraction: options?.kvCacheFreeGpuMemoryFraction ?? TRTLLM_DEFAULT_KV_CACHE_FREE_GPU_MEMORY_FRACTION,
    maxBatchSize: options?.maxBatchSize ?? TRTLLM_DEFAULT_MAX_BATCH_SIZE,
    maxNumTokens: options?.maxNumTokens ?? TRTLLM_DEFAULT_MAX_NUM_TOKENS,
  };
}

/**
 * Requests the KV-capacity profiling run submits (pyexecutor/_util.py _create_dummy_context_requests):
 * prompts of min(max_num_tokens, max_seq_len − 1) tokens until max_num_tokens are covered. The
 * profiling forward therefore runs max_num_tokens tokens and samples one token per request.
 */
export function trtllmProfilingRequests(maxNumTokens: number, maxSeqLenTokens: number): number {
  const perRequest = Math.max(1, Math.min(maxNumTokens, maxSeqLenTokens - 1));
  return Math.ceil(maxNumTokens / perRequest);
}

/**
 * vLLM 0.19 `vllm serve` scheduler defaults when --max-num-seqs / --max-num-batched-tokens are not
 * given: vllm/engine/arg_utils.py EngineArgs.get_batch_defaults. For the OPENAI_API_SERVER usage
 * context, a device with ≥ 70 GiB total memory whose name does not contain "a100" gets 8192 batched
 * tokens and 1024 sequences ("For GPUs like H100 and MI300x, use larger default values"); others get
 * 2048 and 256 (A100 is excluded because the larger budget lowered its throughput, vLLM PR #17885).
 * The offline `LLM` class uses 16384 / 1024 and 8192 / 256 instead; not modelled here.
 * Not modelled: the later clamps in _set_default_max_num_seqs_and_batched_tokens_args (performance
 * mode "throughput" doubles them; with chunked prefill disabled the token budget rises to max_model_len).
 */
import type { GpuSpec } from '../types';
import { GiB } from '../units';

/** arg_utils.py get_batch_defaults: `device_memory >= 70 * GiB_bytes`. */
const LARGE_DEVICE_MIN_BYTES = 70 * GiB;

/** vLLM tests the lower-cased device name (torch.cuda.get_device_name) for "a100". */
function isLargeNonA100(gpu: GpuSpec): boolean {
  const named = `${gpu.id} ${gpu.name}`.toLowerCase();
  return gpu.memoryBytes >= LARGE_DEVICE_MIN_BYTES && !named.includes('a100');
}

/** Default --max-num-seqs of `vllm serve` on this GPU (1024 on ≥ 70 GiB non-A100 devices, else 256). */
export function vllmDefaultMaxNumSeqs(gpu: GpuSpec): number {
  return isLargeNonA100(gpu) ? 1024 : 256;
}

/** Default --max-num-batched-tokens of `vllm serve` on this GPU (8192 on ≥ 70 GiB non-A100 devices, else 2048). */
export function vllmDefaultMaxNumBatchedTokens(gpu: GpuSpec): number {
  return isLargeNonA100(gpu) ? 8192 : 2048;
}

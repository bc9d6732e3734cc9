/**
 * What changed in vLLM's start-up memory accounting between releases (V1 engine,
 * vllm/v1/worker/gpu_worker.py determine_available_memory), as the plan models it. Three terms moved:
 *
 * - Activation peak, before 0.17: the profiling run's peak was ~2.5× higher. The version sweep in
 *   shared/truth/vllm_memory_calibration.csv (llm-d-planner PR#205, Qwen3-14B on one H100, same
 *   flags) logs 5.64 GiB on 0.15 and 0.16 and 2.23 GiB from 0.17 on; the weights and the
 *   non-torch figure do not move there. The 0.19 rule (activation.ts) is sampler-dominated at the
 *   default max_num_seqs (1024 rows × vocab), so the drop is modelled as the sampler's dummy run
 *   holding more float32 copies of the logits before 0.17 (the older dummy SamplingMetadata asked
 *   for 20 logprobs per request — vllm PR #32245's review notes `max_num_logprobs = 20` in
 *   make_dummy — so a log-softmax copy and the top-k buffers were alive with the probabilities).
 *   APPROXIMATION: the bytes per logit are fitted on that one model (see the constant).
 * - Non-torch memory, before 0.18: 0.13 GiB at TP = 1 instead of 0.25 GiB (the same sweep; the
 *   vLLM 0.11 Mistral-Small-3.2 row logs 0.14). TP ≥ 2 and PP-only layouts keep the 0.19 rule:
 *   no row tells the older figure apart there.
 * - CUDA graphs, from 0.21: vLLM profiles the CUDA graph pool during memory profiling and reserves
 *   it inside total × gpu_memory_utilization (VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS, added off in
 *   vllm PR #30515, "Enabled by default as of v0.21.0" in vllm/envs.py; a vLLM 0.27.1 start logs
 *   "CUDA graph memory profiling is enabled (default since v0.21.0). The current
 *   --gpu-memory-utilization=0.8200 is equivalent to --gpu-memory-utilization=0.8048 without CUDA
 *   graph memory profiling", gpustack/runner PR #251). Before 0.21 the graphs are captured after
 *   the KV cache and come out of the 1 − utilization headroom. The plan's graph figure
 *   (overheads.ts cudaGraphBytes) is the size of the captured pool; vLLM's own estimate can be
 *   larger (vllm issue #45178: linear extrapolation over capture sizes). APPROXIMATION.
 *
 * Releases 0.10–0.14 are planned with the 0.15/0.16 accounting (no logged start tells them apart).
 */
import { NON_TORCH_TP1_BEFORE_0_18_BYTES, NON_TORCH_TP1_BYTES, SAMPLER_FP32_BYTES_PER_LOGIT, SAMPLER_FP32_BYTES_PER_LOGIT_BEFORE_0_17 } from '../calibration';
import { VLLM_VERSIONS, type VllmVersion } from '../types';

/** The release planned when none is named: the current one. */
export const DEFAULT_VLLM_VERSION: VllmVersion = '0.21+';

/** The accounting terms one release uses. */
export interface VllmMemoryAccounting {
  /** Float32 bytes per logit of the profiling run's dummy sampler, above the model dtype's (activation.ts). */
  samplerFp32BytesPerLogit: number;
  /** Non-torch memory at TP = 1, PP = 1 (overheads.ts nonTorchBytes). */
  nonTorchTp1Bytes: number;
  /** Whether the CUDA graph pool is reserved inside the budget (0.21+) instead of the headroom. */
  cudaGraphsInBudget: boolean;
}

/** Minor release number: '0.16' → 16, '0.21+' → 21. */
function minorOf(version: VllmVersion): number {
  return Number(version.slice(2).replace('+', ''));
}

export function vllmMemoryAccounting(version: VllmVersion | undefined): VllmMemoryAccounting {
  const minor = minorOf(version ?? DEFAULT_VLLM_VERSION);
  return {
    samplerFp32BytesPerLogit: minor < 17 ? SAMPLER_FP32_BYTES_PER_LOGIT_BEFORE_0_17 : SAMPLER_FP32_BYTES_PER_LOGIT,
    nonTorchTp1Bytes: minor < 18 ? NON_TORCH_TP1_BEFORE_0_18_BYTES : NON_TORCH_TP1_BYTES,
    cudaGraphsInBudget: minor >= 21,
  };
}

/**
 * A release as people write it — `0.16`, `0.16.0`, `v0.17.1`, `0.25.1` — to the engine's version:
 * releases from 0.21 on are '0.21+'. Null for anything else (not a 0.x release this engine plans:
 * below 0.10, 1.x, or not a version).
 */
export function vllmVersionOf(text: string): VllmVersion | null {
  const m = /^v?0\.(\d{1,3})(?:\.\d{1,3})?(?:\+)?$/.exec(text.trim());
  if (m === null) return null;
  const minor = Number(m[1]);
  if (minor >= 21) return '0.21+';
  return VLLM_VERSIONS.find((v) => minorOf(v) === minor) ?? null;
}

/**
 * What changed in vLLM's start-up memory accounting between releases (V1 engine,
 * vllm/v1/worker/gpu_worker.py determine_available_memory), as the plan models it. Three terms moved:
 *
 * - Activation peak: the profile run ends with a dummy sampler run (gpu_model_runner.py
 *   _dummy_sampler_run) over max_num_seqs rows × vocab, with top_p = 0.9 and top_k = vocab − 1, so
 *   it takes the top-k/top-p path of the sampler on every row. On a large-vocab model at the
 *   H100 default of 1024 rows this is the peak, and what it holds depends on which top-k/top-p
 *   kernel the release runs (vllm/v1/sample/ops/topk_topp_sampler.py):
 *   - 0.10 – 0.11.0 on CUDA: FlashInfer's top_k_top_p_sampling_from_logits. The V1 sampler used it
 *     whenever flashinfer (≥ 0.2.3) is importable — VLLM_USE_FLASHINFER_SAMPLER unset meant "on" in
 *     V1 ("In V0, None means False, while in V1, None means True"; vllm PR #11394, re-enabled for
 *     FlashInfer 0.2.3 by PR #15777) — and the vllm/vllm-openai images and GPUStack's runner images
 *     (gpustack/runner pack/cuda/Dockerfile: VLLM_VERSION=0.11.0, VLLM_FLASHINFER_VERSION=0.3.1)
 *     ship flashinfer. It holds the float32 copy of the logits plus a masked-logits and a
 *     probability tensor: the same three float32 copies as 0.17+, so SAMPLER_FP32_BYTES_PER_LOGIT.
 *     Checked: Mistral-Small-3.2-24B at 0.11.0 logs 2.12 GiB (this rule: ~1.97 GiB; the sort rule
 *     below ~4.9 GiB), and gpt-oss-120b starts on one H100 at 0.10.2 with --max-model-len 32768 and
 *     0.9 utilization (GPUStack performance lab), which the sort rule's ~7.3 GiB would not allow
 *     (llm-d logs 64.38 GiB of weights for it).
 *   - 0.11.1 – 0.16 (and ROCm before 0.17, which never took the FlashInfer branch: it is gated on
 *     current_platform.is_cuda()): PyTorch's sort-based apply_top_k_top_p. vllm PR #26859
 *     ("Disable FlashInfer sampler by default", 2025-10-15, after 0.11.0 was cut) turned FlashInfer
 *     off. The float32 logits are sorted with int64 indices (plus the radix sort's double buffers),
 *     masked, soft-maxed, cum-summed and scattered back: ~36 float32-equivalent bytes per logit,
 *     SAMPLER_FP32_BYTES_PER_LOGIT_BEFORE_0_17 (fitted on the nine starts of that era, calibration.ts).
 *     vllm PR #32558's description: "the current pytorch sort-based top-p/top-k implementation uses
 *     a large amount of memory".
 *   - 0.17+: the Triton top-k/top-p kernel (vllm PR #33538, merged February 2026) masks in place,
 *     so the 0.19 rule (activation.ts) holds. The Qwen3-14B H100 version sweep (llm-d-planner
 *     PR#205) logs 5.64 GiB on 0.15 and 0.16 and 2.23 GiB from 0.17.
 *   APPROXIMATION: releases are planned at minor granularity, so '0.11' is 0.11.0 (the 0.11 release
 *   the truth rows ran); 0.11.1/0.11.2 already ran the sort path. A pip install of 0.10/0.11.0
 *   without flashinfer (an optional extra from vllm PR #21959 until PR #26443 made it a default
 *   dependency) also ran the sort path, and its logs show it: vllm issue #23278 (0.10.1 from pip on
 *   an H100, utilization 0.9: 65.97 GiB of weights, KV −2.14 GiB, so 7.44 GiB of activation and
 *   non-torch, the sort rule's ~7.4 for vocab 201,088) and #27508 (gpt-oss-120b from pip in October
 *   2025, utilization 0.95, max_num_batched_tokens 1024: KV 1.71 GiB). The plan assumes the
 *   published images (vllm/vllm-openai, GPUStack's runner), which ship flashinfer.
 * - Non-torch memory, before 0.18: 0.13 GiB at TP = 1 instead of 0.25 GiB (the same sweep; the
 *   vLLM 0.11.0 Mistral-Small-3.2 row logs 0.14), and 0.54–0.55 GiB at TP = 2 instead of 2.03–2.11
 *   (llm-d-benchmark's Qwen3-32B and Llama-3.3-70B-FP8 TP = 2 starts of January 2026, a 0.12–0.16
 *   image by their sampler figure; the 0.19 rows log ~2.07). No TP ≥ 2 start of 0.17 or 0.18 is at
 *   hand, so the TP ≥ 2 step is placed with the TP = 1 step at 0.18 (ASSUMED), and the per-peer
 *   growth is kept from the 0.19 fit (ASSUMED: both old rows are TP = 2). PP-only layouts and
 *   NCCL-only TP groups keep their one figure.
 * - CUDA graphs, from 0.21: vLLM profiles the CUDA graph pool during memory profiling and reserves
 *   it inside total × gpu_memory_utilization (VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS, added off in
 *   vllm PR #30515, "Enabled by default as of v0.21.0" in vllm/envs.py; a vLLM 0.27.1 start logs
 *   "CUDA graph memory profiling is enabled (default since v0.21.0). The current
 *   --gpu-memory-utilization=0.8200 is equivalent to --gpu-memory-utilization=0.8048 without CUDA
 *   graph memory profiling", gpustack/runner PR #251). Before 0.21 the graphs are captured after
 *   the KV cache and come out of the 1 − utilization headroom. The plan's graph figure
 *   (overheads.ts cudaGraphBytes) is the size of the captured pool; vLLM's own estimate can be
 *   larger (vllm issue #45178: linear extrapolation over capture sizes). APPROXIMATION.
 */
import {
  NON_TORCH_TP1_BEFORE_0_18_BYTES,
  NON_TORCH_TP1_BYTES,
  NON_TORCH_TP_BASE_BEFORE_0_18_BYTES,
  NON_TORCH_TP_BASE_BYTES,
  SAMPLER_FP32_BYTES_PER_LOGIT,
  SAMPLER_FP32_BYTES_PER_LOGIT_BEFORE_0_17,
} from '../calibration';
import { VLLM_VERSIONS, type VllmVersion } from '../types';

/**
 * First minor release whose _report_kv_cache_config (vllm/v1/core/kv_cache_utils.py) logs "GPU KV
 * cache size" as int(max_concurrency × max_model_len): "a naive num_blocks // num_groups *
 * block_size formula underestimates capacity" for sliding-window / Mamba groups, which share one
 * pool and hold at most their window (vllm issue #40691 and PRs #38364 / #40694, April 2026).
 * Evidence: 0.19.0 still logs the old figure (issue #40691: Qwen3.5-27B, 290,864 tokens beside
 * 33.04x at 32,768); a 0.24.0 start logs 569,878 tokens = 4.3478x × 131,072 (club-3090 issue #652,
 * truth/vllm_memory_calibration.csv), and llm-d's vLLM 0.27.1 gpt-oss-120b H200 TP1 prefill pods
 * report 1,630,790 KV tokens (guides/pd-disaggregation/benchmark-results/
 * vllm-gpt-oss-120b-h200-multi-tier.md), about twice the old formula's figure for that pool.
 * The release in between is not pinned: ASSUMED at 0.21, the first release this engine plans after 0.20.
 */
export const KV_TOKENS_FROM_CONCURRENCY_FROM_MINOR = 21;

/** The release planned when none is named: the current one. */
export const DEFAULT_VLLM_VERSION: VllmVersion = '0.21+';

/** The accounting terms one release uses. */
export interface VllmMemoryAccounting {
  /** Float32 bytes per logit of the profiling run's dummy sampler, above the model dtype's (activation.ts). */
  samplerFp32BytesPerLogit: number;
  /** Non-torch memory at TP = 1, PP = 1 (overheads.ts nonTorchBytes). */
  nonTorchTp1Bytes: number;
  /** Non-torch memory at TP ≥ 2 with custom all-reduce, less the per-rank term (overheads.ts nonTorchBytes). */
  nonTorchTpBaseBytes: number;
  /** Whether the CUDA graph pool is reserved inside the budget (0.21+) instead of the headroom. */
  cudaGraphsInBudget: boolean;
  /**
   * Whether "GPU KV cache size: N tokens" is logged as max concurrency × max_model_len (0.21+,
   * ASSUMED boundary; see kvTokensFromConcurrencyFrom) instead of num_blocks // num_groups × the
   * smallest block. The pool is the same; only the reported token figure differs, and only for
   * hybrid layouts (sliding windows, Mamba) or a max_model_len that is not a whole number of blocks.
   */
  kvTokensFromConcurrency: boolean;
}

/** Minor release number: '0.16' → 16, '0.21+' → 21; absent = the current release (DEFAULT_VLLM_VERSION). */
export function vllmMinorOf(version: VllmVersion | undefined): number {
  return Number((version ?? DEFAULT_VLLM_VERSION).slice(2).replace('+', ''));
}

/** The platform the release runs on, where it changes the accounting (the sampler kernel before 0.17). */
export interface VllmPlatform {
  /** ROCm (AMD): the V1 sampler's FlashInfer branch is CUDA-only. */
  rocm: boolean;
}

/** Whether the release's profile run samples with the sort-based PyTorch top-k/top-p (see the header). */
export function sortsLogitsInProfileRun(version: VllmVersion | undefined, platform?: VllmPlatform): boolean {
  const minor = vllmMinorOf(version);
  if (minor >= 17) return false;
  return minor >= 12 || platform?.rocm === true;
}

export function vllmMemoryAccounting(version: VllmVersion | undefined, platform?: VllmPlatform): VllmMemoryAccounting {
  const minor = vllmMinorOf(version);
  return {
    samplerFp32BytesPerLogit: sortsLogitsInProfileRun(version, platform) ? SAMPLER_FP32_BYTES_PER_LOGIT_BEFORE_0_17 : SAMPLER_FP32_BYTES_PER_LOGIT,
    nonTorchTp1Bytes: minor < 18 ? NON_TORCH_TP1_BEFORE_0_18_BYTES : NON_TORCH_TP1_BYTES,
    nonTorchTpBaseBytes: minor < 18 ? NON_TORCH_TP_BASE_BEFORE_0_18_BYTES : NON_TORCH_TP_BASE_BYTES,
    cudaGraphsInBudget: minor >= 21,
    kvTokensFromConcurrency: minor >= KV_TOKENS_FROM_CONCURRENCY_FROM_MINOR,
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
  return VLLM_VERSIONS.find((v) => vllmMinorOf(v) === minor) ?? null;
}

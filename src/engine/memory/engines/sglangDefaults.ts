/**
 * SGLang's defaults for the flags that shape its memory, as `ServerArgs._handle_gpu_memory_settings`
 * sets them (python/sglang/srt/server_args.py, current release: the GPU-memory-based rule, with
 * piecewise CUDA graphs, DP attention and speculative decoding off as by default), and the
 * `max_running_requests` rule of model_runner_kv_cache_mixin.py `_resolve_max_num_reqs`.
 *
 * `gpu_mem` there is `get_device_memory_capacity()`: nvidia-smi's total in MiB. APPROXIMATION: we use
 * the catalog's memory (what torch reports), ~0.6 % less than nvidia-smi's on an H100 (79.19 GiB vs
 * 81,559 MiB), which moves the default mem_fraction_static by < 0.001.
 *
 * Older releases (≤ 0.4.x) set mem_fraction_static by TP size alone (0.88 / 0.87 / 0.85 / 0.81 /
 * 0.79 at TP 1 / 2 / 4 / 8 / 16); logs from those versions give the flag's value explicitly in the
 * calibration set.
 */
import type { GpuSpec, Layout, SglangServingOptions } from '../../types';
import { MiB } from '../../units';

export interface SglangResolvedOptions {
  memFractionStatic: number;
  chunkedPrefillSizeTokens: number;
  cudaGraphMaxBs: number;
  /** null: derived from the KV pool's token count (sglangMaxRunningRequests). */
  maxRunningRequests: number | null;
}

/** The GPU-memory classes of _handle_gpu_memory_settings, in MiB (its comments name the GPUs). */
// H100/A100-80GB (< 90 GiB) and H20/H200 (< 160 GiB) are two classes there with the same values.
const MEMORY_CLASSES_MIB = { small: 20 * 1024, consumer: 35 * 1024, mid: 60 * 1024, xl: 160 * 1024 } as const;

/** chunked_prefill_size and cuda_graph_max_bs by GPU memory and TP (T4/4080 … B200/MI300 classes). */
function memoryClassDefaults(gpuMemMiB: number, tp: number): { chunkedPrefillSizeTokens: number; cudaGraphMaxBs: number } {
  if (gpuMemMiB < MEMORY_CLASSES_MIB.small) return { chunkedPrefillSizeTokens: 2048, cudaGraphMaxBs: 8 };
  if (gpuMemMiB < MEMORY_CLASSES_MIB.consumer) return { chunkedPrefillSizeTokens: 2048, cudaGraphMaxBs: tp < 4 ? 24 : 80 };
  if (gpuMemMiB < MEMORY_CLASSES_MIB.mid) return { chunkedPrefillSizeTokens: 4096, cudaGraphMaxBs: tp < 4 ? 32 : 160 };
  if (gpuMemMiB < MEMORY_CLASSES_MIB.xl) return { chunkedPrefillSizeTokens: 8192, cudaGraphMaxBs: tp < 4 ? 256 : 512 };
  return { chunkedPrefillSizeTokens: 16384, cudaGraphMaxBs: 512 };
}

/** reserved_mem's constant: "Constant meta data (e.g., from attention backend)", MiB. */
export const RESERVED_METADATA_MIB = 512;
/** reserved_mem per prefill token: `max(chunked_prefill_size, 2048) * 1.5` MiB ("activation during large prefill"). */
export const RESERVED_MIB_PER_PREFILL_TOKEN = 1.5;
/** The smallest prefill chunk that reserved_mem charges for (the `max(…, 2048)`). */
export const RESERVED_MIN_PREFILL_TOKENS = 2048;
/** reserved_mem per CUDA-graph batch size: `cuda_graph_max_bs * 2` MiB. */
export const RESERVED_MIB_PER_CUDA_GRAPH_BS = 2;
/** reserved_mem per 8 GPUs of TP × PP: `tp_size * pp_size / 8 * 1024` MiB ("adjustments for large parallel size"). */
export const RESERVED_MIB_PER_8_RANKS = 1024;
/** reserved_mem floor on GPUs over 60 GiB: `max(reserved_mem, 10 * 1024)` MiB. */
export const RESERVED_FLOOR_MIB = 10 * 1024;

/** Default mem_fraction_static: (gpu_mem − reserved_mem) / gpu_mem, rounded to 3 decimals as SGLang does. */
export function sglangDefaultMemFractionStatic(gpuMemMiB: number, layout: Pick<Layout, 'tp' | 'pp'>, chunkedPrefillSizeTokens: number, cudaGraphMaxBs: number): number {
  let reservedMiB = RESERVED_METADATA_MIB;
  reservedMiB += Math.max(chunkedPrefillSizeTokens, RESERVED_MIN_PREFILL_TOKENS) * RESERVED_MIB_PER_PREFILL_TOKEN;
  reservedMiB += cudaGraphMaxBs * RESERVED_MIB_PER_CUDA_GRAPH_BS;
  reservedMiB += ((layout.tp * layout.pp) / 8) * RESERVED_MIB_PER_8_RANKS;
  if (gpuMemMiB > MEMORY_CLASSES_MIB.mid) reservedMiB = Math.max(reservedMiB, RESERVED_FLOOR_MIB);
  return Math.round(((gpuMemMiB - reservedMiB) / gpuMemMiB) * 1000) / 1000;
}

/** The user's SGLang flags with SGLang's defaults filled in for this GPU and layout. */
export function resolveSglangOptions(gpu: Pick<GpuSpec, 'memoryBytes'>, layout: Pick<Layout, 'tp' | 'pp'>, options: SglangServingOptions | undefined): SglangResolvedOptions {
  const gpuMemMiB = gpu.memoryBytes / MiB;
  const byClass = memoryClassDefaults(gpuMemMiB, layout.tp);
  const chunked = options?.chunkedPrefillSizeTokens ?? byClass.chunkedPrefillSizeTokens;
  const bs = options?.cudaGraphMaxBs ?? byClass.cudaGraphMaxBs;
  return {
    memFractionStatic: options?.memFractionStatic ?? sglangDefaultMemFractionStatic(gpuMemMiB, layout, chunked, bs),
    chunkedPrefillSizeTokens: chunked,
    cudaGraphMaxBs: bs,
    maxRunningRequests: options?.maxRunningRequests ?? null,
  };
}

/** _resolve_max_num_reqs: the request slots' heuristic is clamped to [2048, 4096] requests. */
export const MAX_RUNNING_REQUESTS_MIN = 2048;
export const MAX_RUNNING_REQUESTS_MAX = 4096;
/** _resolve_max_num_reqs: `int(token_capacity / context_len * 512)`. */
export const MAX_RUNNING_REQUESTS_PER_CONTEXT = 512;

/**
 * max_running_requests (per DP worker): the user's value or the heuristic
 * clamp(int(tokens / context_len × 512), 2048, 4096), and never more than half the pool's tokens.
 */
export function sglangMaxRunningRequests(poolTokens: number, contextLenTokens: number, requested: number | null): number {
  const halfPool = Math.floor(poolTokens / 2);
  if (requested !== null) return Math.min(requested, halfPool);
  const estimated = Math.floor((poolTokens / contextLenTokens) * MAX_RUNNING_REQUESTS_PER_CONTEXT);
  return Math.min(Math.max(Math.min(estimated, MAX_RUNNING_REQUESTS_MAX), MAX_RUNNING_REQUESTS_MIN), halfPool);
}

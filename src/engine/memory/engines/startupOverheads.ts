/**
 * Memory a serving process holds on each GPU before it loads any weight: the CUDA context (driver,
 * cuBLAS/cuDNN handles, kernel images) and the buffers `init_torch_distributed` creates for TP
 * (NCCL communicators, the custom all-reduce's IPC buffers). SGLang sizes its pools from the free
 * memory measured after this (model_runner.py: `min_per_gpu_memory = init_torch_distributed()`,
 * printed as "Load weight begin. avail mem=…"); TensorRT-LLM counts it as memory "outside torch" in
 * its profiling (pyexecutor/_util.py configure_kv_cache_capacity: `extra_cost`).
 *
 * Fitted on the logged SGLang starts of fixtures/truth/engine_memory_calibration.csv
 * (total − "Load weight begin. avail mem"), one constant per physical cause:
 *  - TP1 on an 80 GB H100 (79.19 GiB): 0.38 and 0.60 GiB (two logs) → context alone;
 *  - 4 × L4, TP4, custom all-reduce off (PCIe): 22.06 − 21.63 = 0.43 GiB, of which "Init torch
 *    distributed ends. mem usage=0.13 GB" is NCCL → context 0.30 GiB;
 *  - 8 × H200, TP8, custom all-reduce on: 139.81 − 137.34 = 2.47 GiB, of which distributed init
 *    printed 1.96 GB on rank 0 → context 0.51 GiB.
 * The context is the median of the four (0.30, 0.38, 0.51, 0.60 → 0.45 GiB; ±0.15 GiB between
 * drivers and GPUs, which moves an SGLang pool by mem_fraction_static × that).
 * APPROXIMATION: the same figures are used for TensorRT-LLM, whose logs we have not split this way.
 */
import type { GpuSpec, Layout, ResolvedServingOptions } from '../../types';
import { GiB } from '../../units';
import { customAllReduceActive } from '../overheads';

/** CUDA context + library handles per GPU before weights (see above: median of 0.30–0.60 GiB logged). */
export const CUDA_CONTEXT_BYTES = 0.45 * GiB;

/** Distributed init at TP ≥ 2 with the custom all-reduce (IPC buffers + NCCL): 1.96 GB logged on rank 0 of 8 × H200 (sglang PR #11716). */
export const DIST_INIT_CUSTOM_ALL_REDUCE_BYTES = 1.96 * GiB;

/** Distributed init at TP ≥ 2 with NCCL only (PCIe GPUs): "Init torch distributed ends. mem usage=0.13 GB" on 4 × L4. */
export const DIST_INIT_NCCL_ONLY_BYTES = 0.13 * GiB;

/** Bytes in use on each GPU before weight loading (CUDA context + distributed init). */
export function startupBytesPerGpu(gpu: Pick<GpuSpec, 'interconnect'>, layout: Layout, serving: Pick<ResolvedServingOptions, 'disableCustomAllReduce'>): number {
  if (layout.tp < 2) return CUDA_CONTEXT_BYTES;
  return CUDA_CONTEXT_BYTES + (customAllReduceActive(gpu, layout, serving) ? DIST_INIT_CUSTOM_ALL_REDUCE_BYTES : DIST_INIT_NCCL_ONLY_BYTES);
}

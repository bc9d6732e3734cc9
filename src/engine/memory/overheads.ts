/**
 * Memory outside the model's tensors: the share of the GPU vLLM may use, non-torch allocations and
 * CUDA graphs.
 */
import {
  CUDA_GRAPH_BASE_BYTES,
  CUDA_GRAPH_PER_LAYER_BYTES,
  NON_TORCH_PP_ONLY_BYTES,
  NON_TORCH_TP_NCCL_ONLY_BYTES,
  NON_TORCH_TP_PER_RANK_BYTES,
} from '../calibration';
import type { GpuSpec, Layout, ResolvedServingOptions, VllmVersion } from '../types';
import { vllmMemoryAccounting } from './vllmVersion';

/**
 * vllm/v1/worker/gpu_worker.py determine_available_memory: requested_memory = total ×
 * gpu_memory_utilization; the KV pool is what is left of it after weights, activation peak and
 * non-torch memory. Utilization is a share of the whole device, not of the free memory.
 */
export function budgetBytes(gpu: GpuSpec, gpuMemoryUtilization: number): number {
  return gpu.memoryBytes * gpuMemoryUtilization;
}

/**
 * Whether vLLM's custom all-reduce runs for this layout's TP group: only at TP ≥ 2, not with
 * --disable-custom-all-reduce, and not on PCIe-only GPUs (custom_all_reduce.py logs "Custom
 * allreduce is disabled because it's not supported on more than two PCIe-only GPUs"; with exactly
 * two it also needs GPU peer-to-peer access, which consumer and Ada PCIe cards lack).
 * APPROXIMATION: two PCIe GPUs whose P2P test passes do run it (+~1.9 GiB non-torch each).
 * Nor when the TP group spans nodes (custom_all_reduce.py: "Custom allreduce is disabled because this
 * process group spans across nodes"): NCCL alone then.
 */
export function customAllReduceActive(gpu: Pick<GpuSpec, 'interconnect'>, layout: Layout, serving: Pick<ResolvedServingOptions, 'disableCustomAllReduce'>): boolean {
  return layout.tp >= 2 && layout.tp <= gpu.interconnect.gpusPerNode && serving.disableCustomAllReduce !== true && gpu.interconnect.kind !== 'pcie';
}

/**
 * Non-torch memory per GPU for this layout (constants in calibration.ts, memory section); at TP = 1,
 * PP = 1 and at TP ≥ 2 with custom all-reduce the release's figure (memory/vllmVersion.ts: before
 * 0.18, 0.13 GiB at TP = 1 and ~0.54 GiB at TP = 2; from it 0.25 and ~2.07 GiB).
 */
export function nonTorchBytes(layout: Layout, customAllReduce: boolean, version?: VllmVersion): number {
  const accounting = vllmMemoryAccounting(version);
  if (layout.tp >= 2) return customAllReduce ? accounting.nonTorchTpBaseBytes + NON_TORCH_TP_PER_RANK_BYTES * layout.tp : NON_TORCH_TP_NCCL_ONLY_BYTES;
  return layout.pp >= 2 ? NON_TORCH_PP_ONLY_BYTES : accounting.nonTorchTp1Bytes;
}

/**
 * CUDA graph memory estimate. Captured after the KV cache is allocated (gpu_model_runner.py
 * capture_model): before vLLM 0.21 it comes out of the (1 − utilization) headroom, from 0.21 it is
 * profiled first and reserved inside the budget (memory/vllmVersion.ts; planMemory.ts applies it).
 * 0 with --enforce-eager. APPROXIMATION (see calibration.ts).
 */
export function cudaGraphBytes(layersOnRank: number, enforceEager: boolean): number {
  return enforceEager ? 0 : CUDA_GRAPH_BASE_BYTES + CUDA_GRAPH_PER_LAYER_BYTES * layersOnRank;
}

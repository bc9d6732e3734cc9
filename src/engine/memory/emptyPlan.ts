/**
 * The plan with nothing allocated, for a layout or precision that cannot run: every figure 0, the
 * reason and sentence kept. vLLM's planner (planMemory.ts) returns it as is; the SGLang and
 * TensorRT-LLM planners (engines/enginePlanParts.ts) adjust the fields their accounting differs in.
 */
import type { ModelCaches } from '../cache/modelCaches';
import type { GpuSpec, MemoryPlan, NoFitReason, ResolvedServingOptions } from '../types';
import { budgetBytes } from './overheads';

export function emptyPlan(caches: ModelCaches, gpu: GpuSpec, serving: ResolvedServingOptions, reason: NoFitReason, message: string): MemoryPlan {
  const budget = budgetBytes(gpu, serving.gpuMemoryUtilization);
  return {
    fits: false,
    reason,
    message,
    gpuMemoryBytes: gpu.memoryBytes,
    budgetBytes: budget,
    weightsBytesPerGpu: 0,
    activationPeakBytesPerGpu: 0,
    nonTorchBytesPerGpu: 0,
    cudaGraphBytesPerGpu: 0,
    kvCacheBytesPerGpu: 0,
    kvGroups: [],
    kvBytesPerTokenPerGpu: 0,
    stateBytesPerRequestPerGpu: 0,
    blockSizeTokens: serving.blockSizeTokens ?? 0,
    pageBytes: 0,
    numGpuBlocks: 0,
    kvCacheTokens: 0,
    maxConcurrency: 0,
    maxModelLenTokens: serving.maxModelLenTokens,
    maxFittingModelLenTokens: 0,
    headroomBytesPerGpu: gpu.memoryBytes - budget,
    validTp: caches.validTp,
    maxPp: caches.maxPp,
    gpuMemoryUtilization: serving.gpuMemoryUtilization,
    explainText: null,
  };
}

/**
 * Per-GPU memory breakdown of one configuration, as stacked segments that add up to the GPU's
 * memory: what vLLM allocates inside the gpu_memory_utilization budget (weights, activation peak,
 * non-torch, KV cache), then CUDA graphs (captured after the KV cache, out of the headroom), then what
 * stays free. Pure selector over MemoryPlan.
 */
import type { MemoryPlan } from '../../engine/types';

export const MEMORY_SEGMENT_KEYS = ['weights', 'activation', 'nonTorch', 'kvCache', 'cudaGraph', 'free'] as const;
export type MemorySegmentKey = (typeof MEMORY_SEGMENT_KEYS)[number];

export const MEMORY_SEGMENT_LABELS: Record<MemorySegmentKey, string> = {
  weights: 'Weights',
  activation: 'Activation peak',
  nonTorch: 'Non-torch (NCCL, cuBLAS)',
  kvCache: 'KV cache',
  cudaGraph: 'CUDA graphs',
  free: 'Free',
};

export interface MemorySegment {
  key: MemorySegmentKey;
  label: string;
  bytes: number;
}

export interface MemoryBreakdownData {
  segments: MemorySegment[];
  gpuMemoryBytes: number;
  /** gpu_memory_utilization × total: where vLLM stops allocating. */
  budgetBytes: number;
  /** Bytes the allocations exceed the GPU by (0 when they fit); the "free" segment is then 0. */
  overcommitBytes: number;
}

export function selectMemoryBreakdown(memory: MemoryPlan): MemoryBreakdownData {
  const used: MemorySegment[] = [
    { key: 'weights', label: MEMORY_SEGMENT_LABELS.weights, bytes: memory.weightsBytesPerGpu },
    { key: 'activation', label: MEMORY_SEGMENT_LABELS.activation, bytes: memory.activationPeakBytesPerGpu },
    { key: 'nonTorch', label: MEMORY_SEGMENT_LABELS.nonTorch, bytes: memory.nonTorchBytesPerGpu },
    { key: 'kvCache', label: MEMORY_SEGMENT_LABELS.kvCache, bytes: memory.kvCacheBytesPerGpu },
    { key: 'cudaGraph', label: MEMORY_SEGMENT_LABELS.cudaGraph, bytes: memory.cudaGraphBytesPerGpu },
  ];
  const usedBytes = used.reduce((sum, segment) => sum + segment.bytes, 0);
  const freeBytes = memory.gpuMemoryBytes - usedBytes;
  return {
    segments: [...used, { key: 'free', label: MEMORY_SEGMENT_LABELS.free, bytes: Math.max(0, freeBytes) }],
    gpuMemoryBytes: memory.gpuMemoryBytes,
    budgetBytes: memory.budgetBytes,
    overcommitBytes: Math.max(0, -freeBytes),
  };
}

/** One chart row { weights: bytes, activation: bytes, … } for a horizontal stacked bar. */
export function memoryChartRow(data: MemoryBreakdownData): Record<MemorySegmentKey, number> & { name: string } {
  const row: Record<MemorySegmentKey, number> & { name: string } = {
    name: 'Per GPU',
    weights: 0,
    activation: 0,
    nonTorch: 0,
    kvCache: 0,
    cudaGraph: 0,
    free: 0,
  };
  for (const segment of data.segments) row[segment.key] = segment.bytes;
  return row;
}

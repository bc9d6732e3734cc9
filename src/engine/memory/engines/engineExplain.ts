/**
 * The explain lines of an SGLang or TensorRT-LLM plan, in that engine's own terms and units
 * (SGLang prints GB meaning 2^30 bytes; TensorRT-LLM prints GiB), built on demand from the plan's
 * figures as vLLM's are (../explain.ts dispatches here for plans with `engine`). Subjects are the
 * same as vLLM's lines so the table's hover text picks them alike.
 */
import type { MemoryPlan, SglangMemoryDetail, TrtllmMemoryDetail } from '../../types';
import { gib } from '../prepareLayout';
import { CUDA_CONTEXT_BYTES } from './startupOverheads';

/** The subset of explain.ts's subjects these lines use (kept literal to avoid an import cycle). */
export type EngineExplainSubject = 'budget' | 'weights' | 'activation' | 'nonTorch' | 'kvPool' | 'kvPerToken' | 'blocks' | 'capacity' | 'cudaGraphs';

export interface EngineExplainLine {
  subject: EngineExplainSubject;
  text: string;
}

function sglangLines(plan: MemoryPlan, d: SglangMemoryDetail): EngineExplainLine[] {
  const weightsLine = plan.explainText?.weights ?? `Weights on rank 0: ${gib(plan.weightsBytesPerGpu)}.`;
  const outside = plan.gpuMemoryBytes - plan.nonTorchBytesPerGpu - plan.budgetBytes;
  return [
    {
      subject: 'budget',
      text: `Static pool (weights + KV cache): --mem-fraction-static ${d.memFractionStatic} × ${gib(d.freeBeforeLoadBytes)} free at "Load weight begin" = ${gib(plan.budgetBytes)} per GPU.`,
    },
    { subject: 'weights', text: weightsLine },
    {
      subject: 'activation',
      text: `Activations and CUDA graphs use the other ${gib(outside)}: ~${gib(plan.activationPeakBytesPerGpu)} for a ${d.maxBatchedTokens}-token prefill chunk (chunked_prefill_size; estimate, SGLang does not measure it).`,
    },
    {
      subject: 'nonTorch',
      text: `Before weights: ${gib(plan.nonTorchBytesPerGpu)} (CUDA context${plan.nonTorchBytesPerGpu > CUDA_CONTEXT_BYTES ? ' and distributed init: NCCL, custom all-reduce buffers where it runs' : ''}).`,
    },
    { subject: 'kvPool', text: `KV pool (rest_memory): ${gib(plan.budgetBytes)} − ${gib(plan.weightsBytesPerGpu)} = ${gib(d.restBytes)}; K + V allocated: ${gib(plan.kvCacheBytesPerGpu)}.` },
    {
      subject: 'kvPerToken',
      text: `KV cell: ${plan.kvBytesPerTokenPerGpu} B per token on this GPU (page size 1: the pool is counted in tokens)${plan.stateBytesPerRequestPerGpu > 0 ? `; constant state ${gib(plan.stateBytesPerRequestPerGpu)} per request` : ''}.`,
    },
    { subject: 'blocks', text: `max_total_num_tokens = ${gib(Math.max(0, d.restBytes))} ÷ ${plan.kvBytesPerTokenPerGpu} B = ${d.poolTokens}.` },
    {
      subject: 'capacity',
      text: `max_running_requests=${d.maxRunningRequests}, context_len=${plan.maxModelLenTokens}; maximum concurrency for ${plan.maxModelLenTokens} tokens per request: ${plan.maxConcurrency.toFixed(2)}x.`,
    },
    {
      subject: 'cudaGraphs',
      text: `CUDA graphs up to batch ${d.cudaGraphMaxBs}: ~${gib(plan.cudaGraphBytesPerGpu)} (estimate); headroom ${gib(plan.headroomBytesPerGpu)}.`,
    },
  ];
}

function trtllmLines(plan: MemoryPlan, d: TrtllmMemoryDetail): EngineExplainLine[] {
  const weightsLine = plan.explainText?.weights ?? `Weights on rank 0: ${gib(plan.weightsBytesPerGpu)}.`;
  return [
    {
      subject: 'budget',
      text: `Free after weights, the profiling forward and memory outside torch: ${gib(plan.gpuMemoryBytes)} − ${gib(plan.weightsBytesPerGpu)} − ${gib(plan.activationPeakBytesPerGpu)} − ${gib(plan.nonTorchBytesPerGpu + plan.cudaGraphBytesPerGpu)} = ${gib(d.freeAfterProfilingBytes)} per GPU.`,
    },
    { subject: 'weights', text: weightsLine },
    {
      subject: 'activation',
      text: `Profiling forward: ${gib(plan.activationPeakBytesPerGpu)} for max_num_tokens=${d.maxBatchedTokens} tokens in ${d.profilingRequests} dummy request(s).`,
    },
    { subject: 'nonTorch', text: `Memory outside torch: ${gib(plan.nonTorchBytesPerGpu)} CUDA context and NCCL buffers + ${gib(plan.cudaGraphBytesPerGpu)} CUDA graphs (estimate; captured before the KV estimate).` },
    {
      subject: 'kvPool',
      text: `KV cache: kv_cache_free_gpu_memory_fraction ${d.kvCacheFreeGpuMemoryFraction} × ${gib(Math.max(0, d.freeAfterProfilingBytes))} → ${gib(plan.kvCacheBytesPerGpu)} in whole blocks.`,
    },
    {
      subject: 'kvPerToken',
      text: `KV per token on this GPU: ${plan.kvBytesPerTokenPerGpu} B${plan.stateBytesPerRequestPerGpu > 0 ? `; constant state ${gib(plan.stateBytesPerRequestPerGpu)} per request` : ''}.`,
    },
    {
      subject: 'blocks',
      text: `[kv cache manager] primary blocks=${plan.numGpuBlocks} of ${d.tokensPerBlock} tokens (${plan.pageBytes} B each); max tokens in paged KV cache: ${plan.kvCacheTokens}.`,
    },
    {
      subject: 'capacity',
      text: `max_batch_size=${d.maxRunningRequests}; maximum concurrency for max_seq_len ${plan.maxModelLenTokens}: ${plan.maxConcurrency.toFixed(2)}x.`,
    },
    { subject: 'cudaGraphs', text: `Left free by the (1 − fraction) share: ${gib(plan.headroomBytesPerGpu)}.` },
  ];
}

/** The lines of a plan made by SGLang's or TensorRT-LLM's accounting; null for vLLM's plans. */
export function engineExplainLines(plan: MemoryPlan): EngineExplainLine[] | null {
  const d = plan.engineDetail;
  if (d === undefined) return null;
  switch (d.engine) {
    case 'sglang':
      return sglangLines(plan, d);
    case 'trtllm':
      return trtllmLines(plan, d);
    default: {
      const _exhaustive: never = d;
      return _exhaustive;
    }
  }
}

/**
 * The lines that explain a memory plan, in vLLM's own terms and units (GiB with two decimals, as
 * vllm/utils format_gib prints them): budget, weights, activation peak, non-torch memory, KV pool,
 * blocks, tokens and concurrency, CUDA graphs. Built on demand from the plan's figures and its
 * GPU-independent sentences (planMemory leaves them out: a recommendation plans ~700
 * configurations and a page shows 25).
 */
import type { MemoryPlan } from '../types';
import { gib } from './prepareLayout';

export function explainMemoryPlan(plan: MemoryPlan): string[] {
  const text = plan.explainText;
  if (text === null) return plan.message === null ? [] : [plan.message];
  const budget = plan.budgetBytes;
  const budgetGib = gib(budget);
  // The KV pool before clamping (negative when weights and activations overflow the budget).
  const available = budget - plan.weightsBytesPerGpu - plan.activationPeakBytesPerGpu - plan.nonTorchBytesPerGpu;
  return [
    `Budget: ${gib(plan.gpuMemoryBytes)} × ${plan.gpuMemoryUtilization} = ${budgetGib} per GPU.`,
    text.weights,
    text.activation,
    text.nonTorch,
    `KV pool: ${budgetGib}${text.kvPoolTail}${gib(available)}.`,
    text.kvPerToken,
    `Blocks: ${gib(Math.max(0, available))}${text.blocksMid}${plan.numGpuBlocks}${text.blocksTail}`,
    `GPU KV cache size: ${plan.kvCacheTokens} tokens; maximum concurrency for ${plan.maxModelLenTokens} tokens per request: ${plan.maxConcurrency.toFixed(2)}x.`,
    `CUDA graphs ~${gib(plan.cudaGraphBytesPerGpu)} (estimate, captured after the KV cache, outside the budget); headroom ${gib(plan.headroomBytesPerGpu)}.`,
  ];
}

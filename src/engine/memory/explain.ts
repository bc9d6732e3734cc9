/**
 * The lines that explain a memory plan, in vLLM's own terms and units (GiB with two decimals, as
 * vllm/utils format_gib prints them): budget, weights, activation peak, non-torch memory, KV pool,
 * blocks, tokens and concurrency, CUDA graphs. Built on demand from the plan's figures and its
 * GPU-independent sentences (planMemory leaves them out: a recommendation plans ~700
 * configurations and a page shows 25).
 *
 * Each line carries the figure it is about (`subject`), so a reader that wants one figure's line
 * (the table's hover text) picks it by subject instead of matching the English wording.
 */
import type { MemoryPlan } from '../types';
import { gib } from './prepareLayout';
import { engineExplainLines } from './engines/engineExplain';

/** What an explain line is about, in the order the lines come. 'message': the plan's only sentence, when no layout could be prepared. */
export const EXPLAIN_SUBJECTS = [
  'budget',
  'weights',
  'activation',
  'nonTorch',
  'kvPool',
  'kvPerToken',
  'blocks',
  'capacity',
  'cudaGraphs',
  'message',
] as const;
export type ExplainSubject = (typeof EXPLAIN_SUBJECTS)[number];

export interface ExplainLine {
  subject: ExplainSubject;
  text: string;
}

export function explainMemoryLines(plan: MemoryPlan): ExplainLine[] {
  // SGLang's and TensorRT-LLM's plans explain themselves in their own terms (memory/engines/).
  const engineLines = engineExplainLines(plan);
  if (engineLines !== null) return engineLines;
  const text = plan.explainText;
  if (text === null) return plan.message === null ? [] : [{ subject: 'message', text: plan.message }];
  const budget = plan.budgetBytes;
  const budgetGib = gib(budget);
  // The KV pool before clamping (negative when weights and activations overflow the budget).
  const graphsInBudget = plan.cudaGraphsInBudget === true;
  const graphInPool = graphsInBudget ? plan.cudaGraphBytesPerGpu : 0;
  const available = budget - plan.weightsBytesPerGpu - plan.activationPeakBytesPerGpu - plan.nonTorchBytesPerGpu - graphInPool;
  // kvPoolTail is ` − weights − activation − non-torch = ` (prepareLayout.ts); vLLM 0.21+ also takes the graphs.
  const kvPoolTail = graphsInBudget ? `${text.kvPoolTail.replace(/ = $/, '')} − ${gib(graphInPool)} (CUDA graphs) = ` : text.kvPoolTail;
  return [
    { subject: 'budget', text: `Budget: ${gib(plan.gpuMemoryBytes)} × ${plan.gpuMemoryUtilization} = ${budgetGib} per GPU.` },
    { subject: 'weights', text: text.weights },
    { subject: 'activation', text: text.activation },
    { subject: 'nonTorch', text: text.nonTorch },
    { subject: 'kvPool', text: `KV pool: ${budgetGib}${kvPoolTail}${gib(available)}.` },
    { subject: 'kvPerToken', text: text.kvPerToken },
    { subject: 'blocks', text: `Blocks: ${gib(Math.max(0, available))}${text.blocksMid}${plan.numGpuBlocks}${text.blocksTail}` },
    {
      subject: 'capacity',
      text: `GPU KV cache size: ${plan.kvCacheTokens} tokens; maximum concurrency for ${plan.maxModelLenTokens} tokens per request: ${plan.maxConcurrency.toFixed(2)}x.`,
    },
    {
      subject: 'cudaGraphs',
      text: graphsInBudget
        ? `CUDA graphs ~${gib(plan.cudaGraphBytesPerGpu)} (estimate; vLLM 0.21+ profiles them and reserves them inside the budget); headroom ${gib(plan.headroomBytesPerGpu)}.`
        : `CUDA graphs ~${gib(plan.cudaGraphBytesPerGpu)} (estimate, captured after the KV cache, outside the budget; vLLM before 0.21); headroom ${gib(plan.headroomBytesPerGpu)}.`,
    },
  ];
}

/** The explanation as text alone, one string per line: what the CLI prints and the row detail lists. */
export function explainMemoryPlan(plan: MemoryPlan): string[] {
  return explainMemoryLines(plan).map((line) => line.text);
}

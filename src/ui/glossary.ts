/**
 * The page's terms in plain words, in one place: what the results table's columns, the memory
 * breakdown's segments and the layout label mean, with the vLLM log line or flag where the same
 * figure shows up. A column's definition starts with its description (results/columns.ts
 * COLUMN_INFO, also the header's hover) and adds a sentence only where a newcomer needs more.
 * Shown by Term.tsx.
 */
import type { ResultColumnId } from '../state/tableState';
import { COLUMN_INFO } from './results/columns';
import type { MemorySegmentKey } from './results/memorySegments';

export interface GlossaryEntry {
  /** The term as the page writes it ("KV pool / GPU"). */
  term: string;
  /** One or two plain sentences. */
  definition: string;
  /** Where vLLM shows or sets the same thing: a start-up log line or a flag. */
  source?: string;
}

/** Columns that name no term (the GPU and how many): their header needs no popover. */
export const PLAIN_COLUMNS = ['gpu', 'gpuCount'] as const satisfies readonly ResultColumnId[];
export type TermColumnId = Exclude<ResultColumnId, (typeof PLAIN_COLUMNS)[number]>;

const KV_CACHE_PLAIN =
  "The KV cache holds the attention keys and values of every token of the requests in flight; vLLM gives it what is left of the gpu_memory_utilization budget after the weights, the activation peak and non-torch memory. A bigger pool holds more requests at once.";
const KV_CACHE_SOURCE = 'start-up log "Available KV cache memory: … GiB"; flag --gpu-memory-utilization';
const WEIGHTS_PLAIN = "The model's parameters at the chosen precision, split over the GPUs of one replica by tensor and pipeline parallelism.";
const WEIGHTS_SOURCE = 'start-up log "Model loading took … GiB"';

/** Joins a column's description and an extra plain sentence. */
function fromColumn(id: TermColumnId, extra?: string, source?: string): GlossaryEntry {
  const { label, description } = COLUMN_INFO[id];
  const sentence = /[.!?)]$/.test(description) ? description : `${description}.`;
  return { term: label, definition: extra === undefined ? sentence : `${sentence} ${extra}`, ...(source === undefined ? {} : { source }) };
}

export const COLUMN_TERMS: Record<TermColumnId, GlossaryEntry> = {
  layout: fromColumn('layout', undefined, 'flags --data-parallel-size, --tensor-parallel-size, --pipeline-parallel-size, --enable-expert-parallel'),
  fits: fromColumn(
    'fits',
    undefined,
    'otherwise it stops at start-up with "No available memory for the cache blocks" or "max seq len … is larger than the maximum number of tokens that can be stored in KV cache"',
  ),
  weightsPerGpu: fromColumn('weightsPerGpu', WEIGHTS_PLAIN, WEIGHTS_SOURCE),
  kvPool: fromColumn('kvPool', KV_CACHE_PLAIN, KV_CACHE_SOURCE),
  maxConcurrency: fromColumn('maxConcurrency', 'Shorter requests fit more of them.', 'start-up log "Maximum concurrency for … tokens per request: …x"'),
  concurrency: fromColumn('concurrency'),
  ttft: fromColumn('ttft', 'Queueing plus reading the whole prompt (prefill): how long a user waits before the text starts.', 'vllm bench serve reports it as TTFT'),
  itl: fromColumn('itl', 'It sets how fast the text streams to each user once it has started.', 'vllm bench serve reports it as ITL (and its mean per request as TPOT)'),
  e2e: fromColumn('e2e'),
  outputTokensPerS: fromColumn('outputTokensPerS', 'The generated text the whole configuration delivers, every user together.', 'vllm bench serve: "Output token throughput"'),
  tokensPerSPerGpu: fromColumn('tokensPerSPerGpu'),
  costPerHour: fromColumn('costPerHour', "The price's source shows in the cell's hover."),
  costPerMTokens: fromColumn('costPerMTokens', 'The hourly price divided by the output tokens the configuration makes in an hour.'),
  meetsSlo: fromColumn('meetsSlo', 'SLO (service-level objective): the latency limits set in the inputs.'),
  ttftP99: fromColumn('ttftP99', 'p99: 99 requests in 100 get their first token at least this fast.'),
  itlP99: fromColumn('itlP99', 'p99: 99 tokens in 100 arrive at least this fast after the one before.'),
  replicas: fromColumn('replicas'),
  howToPass: fromColumn('howToPass'),
};

/** The memory breakdown's segments ("free" is plain). */
export const MEMORY_TERMS: Record<Exclude<MemorySegmentKey, 'free'>, GlossaryEntry> = {
  weights: { term: 'Weights', definition: WEIGHTS_PLAIN, source: WEIGHTS_SOURCE },
  activation: {
    term: 'Activation peak',
    definition:
      'Scratch memory of the largest forward pass vLLM runs when it profiles at start-up (a batch of max_num_batched_tokens tokens). vLLM keeps it free so that a full batch never runs out of memory.',
    source: 'start-up log "PyTorch activation peak memory takes … GiB"; flag --max-num-batched-tokens',
  },
  nonTorch: {
    term: 'Non-torch memory',
    definition:
      "Memory outside PyTorch's allocator: the CUDA context, cuBLAS workspaces and the NCCL buffers GPUs use to talk to each other (tensor or pipeline parallel).",
    source: 'start-up log "non_torch_memory takes … GiB"',
  },
  kvCache: { term: 'KV cache', definition: KV_CACHE_PLAIN, source: KV_CACHE_SOURCE },
  cudaGraph: {
    term: 'CUDA graphs',
    definition:
      'Recorded GPU launches of the decode step for a set of batch sizes, captured after the KV cache is allocated: they make decoding faster and take memory outside the gpu_memory_utilization budget.',
    source: 'start-up log "Graph capturing finished in … secs, took … GiB"; flag --enforce-eager turns them off',
  },
};

/**
 * The page's terms in plain words, in one place: what the results table's columns, the memory
 * breakdown's segments and the layout label mean, with the vLLM log line or flag where the same
 * figure shows up. A column's definition starts with its description (results/columns.ts
 * COLUMN_INFO, also the header's hover) and adds a sentence only where a newcomer needs more.
 * Shown by Term.tsx.
 */
import type { Bottleneck } from '../engine/types';
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

/** The row detail's "What limits it" line: which part of the decode step is the bottleneck. */
export const BOTTLENECK_TERMS: Record<Bottleneck, GlossaryEntry> = {
  compute: {
    term: 'Compute-bound',
    definition:
      "The GPU's arithmetic is the limit: each step multiplies as many numbers as the chip can per second, as with many requests at once or long prompts. A lower-precision checkpoint (FP8) or more GPUs per replica (TP) help.",
  },
  memory: {
    term: 'Memory-bandwidth-bound',
    definition:
      'Reading memory is the limit: every decode step reads all the weights, and the KV cache of every running request, from GPU memory. With few requests in flight this reading takes longer than the arithmetic; more requests per step share it, and FP8 or 4-bit weights shrink it.',
  },
  communication: {
    term: 'Communication-bound',
    definition:
      'Talking between GPUs is the limit: the GPUs of one replica add up their partial results every layer (tensor parallel) or hand the activations on (pipeline parallel). Over PCIe or between nodes this takes most of the step; fewer TP ranks, or GPUs joined by NVLink, help.',
    source: 'flags --tensor-parallel-size, --pipeline-parallel-size; --disable-custom-all-reduce switches the all-reduce to NCCL',
  },
  'kv-capacity': {
    term: 'KV-capacity-bound',
    definition:
      'The KV cache is full: requests beyond what it holds wait in the queue instead of running. A shorter maximum context, an FP8 KV cache or more GPUs let more requests run at once.',
    source: 'start-up log "Maximum concurrency for … tokens per request: …x"; flags --max-model-len, --kv-cache-dtype fp8',
  },
};

/** The figures under "What limits it" in the row detail. */
export const PERF_FACT_TERMS = {
  decodeStep: {
    term: 'Decode step',
    definition:
      'One step of generating: every running request gets its next token. Its time splits into compute (arithmetic), memory (reading weights and KV cache), communication (between the GPUs of a replica) and overhead (scheduling and kernel launches; when a small batch’s kernels are too short to fill the GPU, their minimum time, ASSUMED 3 µs each, appears here); together they make the ITL.',
  },
  prefill: {
    term: 'Prefill',
    definition: 'Reading the prompt: the forward pass over all its tokens that comes before the first output token. It is part of TTFT.',
    source: 'flag --max-num-batched-tokens (longer prompts are read in chunks of this many tokens)',
  },
  queueing: {
    term: 'Queueing',
    definition: 'How long a request waits before its prefill starts, because the running batch or the KV cache is full. It is part of TTFT.',
    source: 'metric vllm:request_queue_time_seconds; the periodic log line "Waiting: … reqs"',
  },
  requestsInFlight: {
    term: 'Requests in flight',
    definition: 'Requests decoded together in one step at this operating point: the load, capped by the batch limit and by what the KV cache holds.',
    source: 'the periodic log line "Running: … reqs"; flag --max-num-seqs',
  },
  energy: {
    term: 'Energy',
    definition:
      "Joules per output token: the GPUs' rated power (TDP, from the datasheet) divided by the tokens per second. GPUs rarely draw their full rating, so this is an upper bound.",
  },
} as const satisfies Record<string, GlossaryEntry>;

/** The latency-vs-cost chart's axis titles, legend entries and labelled picks. */
export const CHART_TERMS = {
  itlAxis: {
    term: 'ITL axis',
    definition: 'Inter-token latency, in milliseconds: the time between two output tokens of one request, at each configuration\'s operating point. Lower is faster streaming.',
    source: 'vllm bench serve reports it as ITL',
  },
  e2eAxis: {
    term: 'E2E latency axis',
    definition: 'End-to-end latency, in milliseconds: from sending a request to its last output token (TTFT plus one ITL per further token).',
    source: 'vllm bench serve reports it as E2EL',
  },
  costAxis: {
    term: 'Cost axis',
    definition:
      'US dollars per million output tokens: the hourly price of the GPUs divided by the output tokens they make in an hour. Log scale, so every step right multiplies the cost; drag across the plot to zoom.',
  },
  pareto: {
    term: 'Pareto frontier',
    definition: 'The configurations no other one beats on both cost and latency at once: each is the cheapest for its latency. The best choice lies on this line.',
  },
  offScale: {
    term: 'Off scale',
    definition: 'Configurations that cost far more than the rest (beyond an outlier fence): drawn as triangles at the right edge so they do not squeeze the others. “Show all” widens the axis to them.',
  },
  measured: {
    term: 'Measured',
    definition: 'Published benchmark results for the same model and GPU, drawn at the row\'s price for comparison with the estimates.',
  },
  verdict: {
    term: 'Recommended',
    definition:
      "The verdict's pick: the cheapest configuration that meets every latency limit (the cheapest, when no limit is set). Within the estimate's error band a cost difference is a tie, and the tie goes to the simpler deployment: fewer GPUs, no pipeline parallelism, a sourced price.",
  },
  cheapestMeetingSlo: {
    term: 'Cheapest in SLO',
    definition: 'The lowest cost per million output tokens among the configurations that meet every latency limit (SLO).',
  },
  lowestLatency: {
    term: 'Lowest latency',
    definition: 'The fastest configuration with one request in flight (the lightest load): what a single user sees at best.',
  },
  highestThroughput: {
    term: 'Most tok/s',
    definition: 'The most output tokens per second, every user together: the configuration for batch or offline work.',
  },
} as const satisfies Record<string, GlossaryEntry>;

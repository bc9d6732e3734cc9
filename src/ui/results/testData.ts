/**
 * Hand-built engine outputs for the results views' tests. Every number here is picked by hand to
 * exercise a case (fits / does not fit, best picks, one GPU budget split four ways); none is computed,
 * and tests assert on these literals rather than recomputing anything.
 */
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../../engine/defaults';
import { GiB } from '../../engine/units';
import type {
  Candidate,
  Layout,
  MemoryPlan,
  ModelArch,
  PerfEstimate,
  RecommendRequest,
  RecommendResult,
} from '../../engine/types';
import type { PublishedMeasurementView } from './contract';
import { NO_QUANT } from '../../engine/testArchs';

export const TEST_MODEL_ID = 'meta-llama/Llama-3.1-8B';

export function makeArch(overrides: Partial<ModelArch> = {}): ModelArch {
  return {
    modelId: TEST_MODEL_ID,
    modelType: 'llama',
    architecture: 'LlamaForCausalLM',
    hiddenSize: 4096,
    vocabSize: 128256,
    numLayers: 32,
    layers: [],
    tiedEmbeddings: false,
    maxPositionTokens: 131072,
    checkpointDtype: 'bf16',
    quantization: NO_QUANT,
    params: {
      embedding: 525336576,
      lmHead: 525336576,
      mixer: 1342177280,
      denseFfn: 5637144576,
      routedExperts: 0,
      sharedExperts: 0,
      router: 0,
      norms: 266240,
      vision: 0,
      total: 8030261248,
      activePerToken: 8030261248,
    },
    paramSource: 'safetensors',
    mtpLayers: 0,
    assumptions: [],
    ...overrides,
  };
}

export function makeRequest(overrides: Partial<RecommendRequest> = {}): RecommendRequest {
  return {
    inputTokens: 1024,
    outputTokens: 1024,
    concurrency: 'sweep',
    serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
    slo: { maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null },
    maxGpus: 8,
    gpuIds: null,
    priceOverridesUsdPerHour: {},
    engine: 'vllm',
    ...overrides,
  };
}

export function makeMemory(overrides: Partial<MemoryPlan> = {}): MemoryPlan {
  return {
    fits: true,
    reason: null,
    message: null,
    gpuMemoryBytes: 80 * GiB,
    budgetBytes: 72 * GiB,
    weightsBytesPerGpu: 15 * GiB,
    activationPeakBytesPerGpu: 2 * GiB,
    nonTorchBytesPerGpu: 0.25 * GiB,
    cudaGraphBytesPerGpu: 1 * GiB,
    kvCacheBytesPerGpu: 54.75 * GiB,
    kvGroups: [],
    kvBytesPerTokenPerGpu: 131072,
    stateBytesPerRequestPerGpu: 0,
    blockSizeTokens: 16,
    pageBytes: 2097152,
    numGpuBlocks: 28032,
    kvCacheTokens: 448512,
    maxConcurrency: 54.75,
    maxModelLenTokens: 8192,
    maxFittingModelLenTokens: 131072,
    headroomBytesPerGpu: 7 * GiB,
    validTp: [1, 2, 4, 8],
    maxPp: 32,
    gpuMemoryUtilization: 0.9,
    explainText: {
      weights: 'Weights on rank 0: 15.00 GiB (BF16, TP=1, PP stage 0 of 1: layers 0–31).',
      activation: 'Activation peak: 2.00 GiB (dummy forward of 8192 tokens).',
      nonTorch: 'Non-torch memory: 0.25 GiB (CUDA libraries and allocator).',
      kvPoolTail: ' − 15.00 GiB − 2.00 GiB − 0.25 GiB = ',
      kvPerToken: 'KV per token on this GPU: 131072 B over 32 layers (2 B per element).',
      blocksMid: ' ÷ 2097152 B per block (16 tokens × 1 layers) = ',
      blocksTail: '; 1 block-table group(s).',
    },
    ...overrides,
  };
}

export function makePerf(overrides: Partial<PerfEstimate> = {}): PerfEstimate {
  return {
    effectiveConcurrency: 32,
    ttftMs: 120,
    itlMs: 20,
    e2eMs: 20580,
    outputTokensPerS: 1500,
    totalTokensPerS: 3000,
    requestsPerS: 1.46,
    outputTokensPerSPerGpu: 1500,
    bottleneck: 'memory',
    decodeStep: { computeMs: 4, memoryMs: 14, communicationMs: 0, overheadMs: 2 },
    prefillMs: 100,
    queueMs: 0,
    costUsdPerHour: 3,
    usdPerMillionOutputTokens: 0.56,
    joulesPerOutputToken: 0.4,
    perfError: null,
    ...overrides,
  };
}

const layout = (tp: number, pp: number, dp: number, ep = false): Layout => ({ tp, pp, dp, ep });

function fitting(gpuId: string, gpuCount: number, lay: Layout, perf: Partial<PerfEstimate>, meetsSlo: boolean, memory: Partial<MemoryPlan> = {}): Candidate {
  const estimate = makePerf(perf);
  return {
    gpuId,
    gpuCount,
    layout: lay,
    memory: makeMemory(memory),
    perf: estimate,
    concurrency: estimate.effectiveConcurrency,
    meetsSlo,
    sweep: [
      { ...makePerf({ ...perf, effectiveConcurrency: 1, itlMs: 8, ttftMs: 40, outputTokensPerS: 120 }), concurrency: 1 },
      { ...makePerf({ ...perf, effectiveConcurrency: 8, itlMs: 10, ttftMs: 60, outputTokensPerS: 780 }), concurrency: 8 },
      { ...estimate, concurrency: 32 },
    ],
  };
}

/**
 * Eight candidates, ranked as recommend() would rank them. Index → case:
 * 0 h100 ×1 TP1 (cheapest meeting SLO) · 1 h200 ×1 · 2 h100 ×2 TP2 · 3 h100 ×8 as 8 × TP1 (highest
 * throughput) · 4 h100 ×8 TP8 (lowest latency, misses the TTFT limit) · 5 h100 ×8 as 2 × TP4 ·
 * 6 h100 ×8 as 4 × TP2 · 7 a100-40gb ×1 does not fit.
 */
export function makeResult(): RecommendResult {
  const candidates: Candidate[] = [
    fitting('h100', 1, layout(1, 1, 1), { itlMs: 20, ttftMs: 120, outputTokensPerS: 1500, outputTokensPerSPerGpu: 1500, costUsdPerHour: 3, usdPerMillionOutputTokens: 0.56 }, true),
    fitting('h200', 1, layout(1, 1, 1), { itlMs: 17, ttftMs: 110, outputTokensPerS: 1800, outputTokensPerSPerGpu: 1800, costUsdPerHour: 4, usdPerMillionOutputTokens: 0.62 }, true, { gpuMemoryBytes: 140 * GiB }),
    fitting('h100', 2, layout(2, 1, 1), { itlMs: 11, ttftMs: 70, outputTokensPerS: 2600, outputTokensPerSPerGpu: 1300, costUsdPerHour: 6, usdPerMillionOutputTokens: 0.64 }, true),
    fitting('h100', 8, layout(1, 1, 8), { itlMs: 20, ttftMs: 120, outputTokensPerS: 12000, outputTokensPerSPerGpu: 1500, costUsdPerHour: 24, usdPerMillionOutputTokens: 0.56, effectiveConcurrency: 256 }, true),
    fitting('h100', 8, layout(8, 1, 1), { itlMs: 5, ttftMs: 2500, outputTokensPerS: 6000, outputTokensPerSPerGpu: 750, costUsdPerHour: 24, usdPerMillionOutputTokens: 1.11, bottleneck: 'communication' }, false),
    fitting('h100', 8, layout(4, 1, 2), { itlMs: 8, ttftMs: 60, outputTokensPerS: 8000, outputTokensPerSPerGpu: 1000, costUsdPerHour: 24, usdPerMillionOutputTokens: 0.83 }, true),
    fitting('h100', 8, layout(2, 1, 4), { itlMs: 11, ttftMs: 70, outputTokensPerS: 10400, outputTokensPerSPerGpu: 1300, costUsdPerHour: 24, usdPerMillionOutputTokens: 0.64 }, true),
    {
      gpuId: 'a100-40gb',
      gpuCount: 1,
      layout: layout(1, 1, 1),
      memory: makeMemory({
        fits: false,
        reason: 'weights-exceed-memory',
        message: 'Weights need 14.96 GiB per GPU but only 12.00 GiB remain after activations.',
        gpuMemoryBytes: 40 * GiB,
        budgetBytes: 36 * GiB,
        kvCacheBytesPerGpu: 0,
        maxConcurrency: 0,
        kvCacheTokens: 0,
        numGpuBlocks: 0,
      }),
      perf: null,
      concurrency: null,
      meetsSlo: false,
      sweep: [],
    },
  ];
  return {
    candidates,
    best: { cheapestMeetingSlo: 0, lowestLatency: 4, highestThroughput: 3 },
    pareto: [0, 2, 5, 4],
    computeMs: 12,
  };
}

/** Two measured points for h100 TP1 at the request's 1024/1024 workload, one offline, one elsewhere. */
export function makeMeasurements(): PublishedMeasurementView[] {
  const base = {
    modelId: TEST_MODEL_ID,
    gpuId: 'h100',
    tp: 1,
    precision: 'bf16',
    engine: 'vLLM 0.19',
    inputTokens: 1024,
    outputTokens: 1024,
    source: 'Test source, table 1',
  };
  return [
    { ...base, concurrency: 8, metric: 'output_throughput', value: 800, unit: 'tokens/s' },
    { ...base, concurrency: 8, metric: 'mean_itl', value: 9.5, unit: 'ms' },
    { ...base, concurrency: 'max', metric: 'output_throughput', value: 14000, unit: 'tokens/s' },
    { ...base, inputTokens: 128, outputTokens: 128, concurrency: 8, metric: 'output_throughput', value: 900, unit: 'tokens/s' },
  ];
}

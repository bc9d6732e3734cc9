/**
 * One operating point: a model on a GPU type and layout, served by an engine, under a workload.
 * Splits the client load over dp replicas, runs the replica model (serving.ts) on the step model
 * (step.ts) and turns the result into throughput, cost and energy.
 */
import type {
  Bottleneck,
  GpuSpec,
  Layout,
  MemoryPlan,
  ModelArch,
  PerfEstimate,
  QuantizationInfo,
  ServingEngine,
  ServingOptions,
  Workload,
} from '../types';
import { effectiveQuantization } from '../arch/quantization';
import { DEFAULT_BENCHMARK_NUM_REQUESTS, EAGER_LAUNCH_OVERHEAD_PER_LAYER_MS, ENGINE_EFFICIENCY } from '../calibration';
import type { ModelCost } from './modelCost';
import { buildModelCost } from './modelCost';
import { hardwareRates, stepContext } from './step';
import { kvReadBytesPerRequest } from './bytes';
import { replicaPerf } from './serving';

export interface EstimatePerfInput {
  arch: ModelArch;
  gpu: GpuSpec;
  layout: Layout;
  serving: ServingOptions;
  workload: Workload;
  engine: ServingEngine;
  memory: MemoryPlan;
  /** USD per GPU-hour; absent = the catalog's reference price. */
  priceUsdPerHour?: number;
}

const SECONDS_PER_HOUR = 3600;
const TOKENS_PER_MILLION = 1e6;

/** The quantization the perf model uses: the requested precision, or the checkpoint's own when that fails. */
export function perfQuantization(arch: ModelArch, serving: ServingOptions): QuantizationInfo {
  const q = effectiveQuantization(arch, serving.weightPrecision);
  return q.ok ? q.value : arch.quantization;
}

/** Per-model aggregates for a layout; recommend() builds these once per layout and reuses them. */
export function modelCostFor(arch: ModelArch, serving: ServingOptions, layout: Layout): ModelCost {
  return buildModelCost(arch, perfQuantization(arch, serving), layout);
}

/** How many requests of isl + osl tokens the KV pool of one replica holds (per GPU pool ÷ per-request bytes). */
export function kvCapacityRequests(memory: MemoryPlan, contextTokens: number): number {
  const perRequest = kvReadBytesPerRequest(memory.kvGroups, contextTokens);
  if (perRequest <= 0) return Number.POSITIVE_INFINITY;
  return Math.floor(memory.kvCacheBytesPerGpu / perRequest);
}

export function estimatePerf(input: EstimatePerfInput): PerfEstimate {
  return estimatePerfWithCost(input, modelCostFor(input.arch, input.serving, input.layout));
}

export function estimatePerfWithCost(input: EstimatePerfInput, cost: ModelCost): PerfEstimate {
  const w = input.workload;
  return perfEstimator(input, cost, w.inputTokens, w.outputTokens)(w.concurrency, w.numRequests);
}

/**
 * Everything that does not depend on the load, computed once: hardware rates, per-request KV bytes,
 * the KV pool's request capacity. Returns the estimate as a function of the load (the sweep calls it
 * once per concurrency point).
 */
export function perfEstimator(
  input: Omit<EstimatePerfInput, 'workload'>,
  cost: ModelCost,
  inputTokens: number,
  outputTokens: number,
): (concurrency: number | 'max', numRequests?: number) => PerfEstimate {
  const { gpu, layout, serving, engine, memory } = input;
  const isl = Math.max(0, inputTokens);
  const osl = Math.max(1, outputTokens);
  const dp = Math.max(1, layout.dp);
  const gpuCount = layout.tp * layout.pp * dp;
  const rates = hardwareRates(gpu, engine, cost);
  const eagerMs = serving.enforceEager ? EAGER_LAUNCH_OVERHEAD_PER_LAYER_MS * cost.layersPerStage : 0;
  const ctx = stepContext(cost, rates, memory.kvGroups, isl, isl + osl / 2, eagerMs);
  const kvRequests = kvCapacityRequests(memory, isl + osl);
  const seqLimit = Math.max(1, serving.maxNumSeqs);
  const maxRunning = Math.max(1, Math.min(seqLimit, kvRequests));
  const requestOverheadMs = ENGINE_EFFICIENCY[engine].requestOverheadMs;
  const pricePerGpu = input.priceUsdPerHour ?? gpu.priceUsdPerHour;
  const costUsdPerHour = gpuCount * pricePerGpu;

  return (concurrency, numRequests) => {
    const load =
      concurrency === 'max'
        ? { kind: 'burst' as const, numRequests: Math.max(1, (numRequests ?? DEFAULT_BENCHMARK_NUM_REQUESTS) / dp) }
        : { kind: 'closed-loop' as const, concurrency: Math.max(1, concurrency / dp) };
    const r = replicaPerf(
      ctx,
      {
        inputTokens: isl,
        outputTokens: osl,
        load,
        maxRunning,
        maxNumBatchedTokens: serving.maxNumBatchedTokens,
        kvLimited: kvRequests < seqLimit,
      },
      requestOverheadMs,
    );
    const requestsPerS = r.requestsPerS * dp;
    const outputTokensPerS = requestsPerS * osl;
    const step = r.decodeStep;
    return {
      effectiveConcurrency: r.runningRequests * dp,
      ttftMs: safe(r.ttftMs),
      itlMs: safe(r.itlMs),
      e2eMs: safe(r.e2eMs),
      outputTokensPerS: safe(outputTokensPerS),
      totalTokensPerS: safe(requestsPerS * (isl + osl)),
      requestsPerS: safe(requestsPerS),
      outputTokensPerSPerGpu: safe(outputTokensPerS / gpuCount),
      bottleneck: bottleneckOf(r.kvBound, step.computeMs, step.memoryMs, step.communicationMs),
      decodeStep: {
        computeMs: safe(step.computeMs),
        memoryMs: safe(step.memoryMs),
        communicationMs: safe(step.communicationMs),
        overheadMs: safe(step.overheadMs),
      },
      prefillMs: safe(r.prefillMs),
      queueMs: safe(r.queueMs),
      costUsdPerHour: safe(costUsdPerHour),
      usdPerMillionOutputTokens:
        outputTokensPerS > 0 ? safe((costUsdPerHour / (outputTokensPerS * SECONDS_PER_HOUR)) * TOKENS_PER_MILLION) : 0,
      // APPROXIMATION: every GPU draws its TDP while serving (datasheet board power, not measured draw).
      joulesPerOutputToken: outputTokensPerS > 0 ? safe((gpuCount * gpu.tdpWatts) / outputTokensPerS) : 0,
    };
  };
}

/** Outputs are finite and ≥ 0 by contract: anything else (a division by zero upstream) reads 0. */
const safe = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);

function bottleneckOf(kvBound: boolean, computeMs: number, memoryMs: number, communicationMs: number): Bottleneck {
  if (kvBound) return 'kv-capacity';
  if (communicationMs > Math.max(computeMs, memoryMs)) return 'communication';
  return computeMs >= memoryMs ? 'compute' : 'memory';
}

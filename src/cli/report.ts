/**
 * Engine outputs → the CLI's public JSON shapes and readable tables. Unit formatting only (bytes → GiB at the
 * edge, STYLE.md §4); every figure comes from the engine unchanged.
 */
import { DEFAULT_VLLM_VERSION } from '../engine/memory/vllmVersion';
import type { ConfigurationSimResult } from '../engine/sim/simulateConfiguration';
import { explainMemoryPlan } from '../engine/memory/explain';
import type { CatalogGpu } from '../engine/catalog/gpus';
import type { ReplicaCopy } from '../engine/compactCandidates';
import type {
  Candidate,
  CapacityPlan,
  SloPercentile,
  TargetLoad,
  GpuSpec,
  Layout,
  MemoryPlan,
  ModelArch,
  PerfError,
  PerfEstimate,
  PrefixCacheOptions,
  RecommendResult,
  ResolvedServingOptions,
  ServingEngine,
} from '../engine/types';
import { effectiveQuantization } from '../engine/arch/quantization';
import { prefixCacheUse } from '../engine/perf/prefixCache';
import { GB, GiB } from '../engine/units';

/** GiB with 4 decimals: finer than vLLM's 2-decimal log lines, so they can be compared after rounding. */
export function toGiB(bytes: number): number {
  return Number((bytes / GiB).toFixed(4));
}

/** Rounds a derived figure for display without changing its unit. */
function round(value: number, digits: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : value;
}

/** The weights' format as served: the checkpoint's, or what --quantization / --precision turns it into. */
function servedQuantizationLabel(arch: ModelArch, serving: ResolvedServingOptions): string {
  const q = effectiveQuantization(arch, serving.weightPrecision);
  return q.ok ? q.value.label : q.error.detail;
}

export function planJson(arch: ModelArch, gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions, plan: MemoryPlan) {
  return {
    model: arch.modelId,
    gpu: gpu.id,
    tp: layout.tp,
    pp: layout.pp,
    dp: layout.dp,
    ep: layout.ep,
    engine: plan.engine ?? 'vllm',
    // The vLLM release whose memory accounting planned it (memory/vllmVersion.ts); vLLM plans only.
    ...(plan.engine === undefined || plan.engine === 'vllm' ? { vllmVersion: serving.vllmVersion ?? DEFAULT_VLLM_VERSION, cudaGraphsInBudget: plan.cudaGraphsInBudget === true } : {}),
    fits: plan.fits,
    reason: plan.reason,
    message: plan.message,
    gpuMemoryGiB: toGiB(plan.gpuMemoryBytes),
    budgetGiB: toGiB(plan.budgetBytes),
    weightsGiBPerGpu: toGiB(plan.weightsBytesPerGpu),
    activationGiBPerGpu: toGiB(plan.activationPeakBytesPerGpu),
    nonTorchGiBPerGpu: toGiB(plan.nonTorchBytesPerGpu),
    cudaGraphGiBPerGpu: toGiB(plan.cudaGraphBytesPerGpu),
    kvCacheGiBPerGpu: toGiB(plan.kvCacheBytesPerGpu),
    headroomGiBPerGpu: toGiB(plan.headroomBytesPerGpu),
    kvBytesPerToken: plan.kvBytesPerTokenPerGpu,
    stateBytesPerRequest: plan.stateBytesPerRequestPerGpu,
    blockSize: plan.blockSizeTokens,
    numGpuBlocks: plan.numGpuBlocks,
    kvCacheTokens: plan.kvCacheTokens,
    maxConcurrency: round(plan.maxConcurrency, 2),
    maxModelLen: plan.maxModelLenTokens,
    maxFittingModelLen: plan.maxFittingModelLenTokens,
    validTp: plan.validTp,
    maxPp: plan.maxPp,
    kvGroups: plan.kvGroups,
    paramSource: arch.paramSource,
    totalParams: arch.params.total,
    weightPrecision: serving.weightPrecision,
    kvCacheDtype: serving.kvCacheDtype,
    quantization: servedQuantizationLabel(arch, serving),
    checkpointQuantization: arch.quantization.label,
    assumptions: arch.assumptions,
    explain: explainMemoryPlan(plan),
  };
}

/** An engine error in one line (estimate prints it and exits 1; recommend's JSON carries perfError itself). */
export function perfErrorMessage(error: PerfError): string {
  return `engine error: ${error.field} is ${error.reason} (${String(error.value)}); the estimate's figures are not valid`;
}

function perfFields(perf: PerfEstimate) {
  return {
    perfError: perf.perfError,
    ttftMs: round(perf.ttftMs, 2),
    itlMs: round(perf.itlMs, 3),
    // Per request (vllm bench's mean TPOT), only where it differs from itlMs (a burst of varying answers).
    ...(perf.tpotMs === undefined ? {} : { tpotMs: round(perf.tpotMs, 3) }),
    e2eMs: round(perf.e2eMs, 1),
    outputTokensPerS: round(perf.outputTokensPerS, 1),
    totalTokensPerS: round(perf.totalTokensPerS, 1),
    requestsPerS: round(perf.requestsPerS, 3),
    outputTokensPerSPerGpu: round(perf.outputTokensPerSPerGpu, 1),
    bottleneck: perf.bottleneck,
    costPerHour: round(perf.costUsdPerHour, 4),
    costPerMillionOutputTokens: round(perf.usdPerMillionOutputTokens, 4),
  };
}

export function estimateJson(
  arch: ModelArch,
  gpu: GpuSpec,
  layout: Layout,
  plan: MemoryPlan,
  perf: PerfEstimate,
  request: { isl: number; osl: number; concurrency: number | 'max'; engine: string },
) {
  return {
    model: arch.modelId,
    gpu: gpu.id,
    gpuCount: layout.tp * layout.pp * layout.dp,
    tp: layout.tp,
    pp: layout.pp,
    dp: layout.dp,
    ep: layout.ep,
    engine: request.engine,
    isl: request.isl,
    osl: request.osl,
    concurrency: request.concurrency,
    effectiveConcurrency: round(perf.effectiveConcurrency, 2),
    ...perfFields(perf),
    maxConcurrency: round(plan.maxConcurrency, 2),
    kvCacheTokens: plan.kvCacheTokens,
    decodeStepMs: {
      computeMs: round(perf.decodeStep.computeMs, 4),
      memoryMs: round(perf.decodeStep.memoryMs, 4),
      communicationMs: round(perf.decodeStep.communicationMs, 4),
      overheadMs: round(perf.decodeStep.overheadMs, 4),
    },
    prefillMs: round(perf.prefillMs, 2),
    queueMs: round(perf.queueMs, 2),
    joulesPerOutputToken: round(perf.joulesPerOutputToken, 4),
  };
}

/** [prefix] The prefix-cache inputs of a run and the prompt length they apply to (absent = flags not given). */
export interface PrefixReport {
  options: PrefixCacheOptions;
  inputTokens: number;
}

/**
 * [prefix] The prefix cache's inputs and what the closed form used: cached prompt tokens per request
 * (vLLM: whole blocks, at most isl − 1; SGLang: token-granular) and the shared tokens held once in the
 * KV pool (engine/perf/prefixCache.ts). Empty when no prefix flag was given (the JSON stays as before).
 */
export function prefixCacheJson(options: PrefixCacheOptions | undefined, engine: ServingEngine, inputTokens: number, blockSizeTokens: number) {
  if (options === undefined) return {};
  const use = prefixCacheUse(options, engine, inputTokens, blockSizeTokens);
  return {
    prefixCache: {
      sharedPrefixTokens: options.sharedPrefixTokens,
      hitRate: options.hitRate,
      cachedTokensPerRequest: use.cachedTokensPerRequest,
      sharedPoolTokens: use.sharedPoolTokens,
    },
  };
}

function candidateJson(c: Candidate, rank: number, prefix?: PrefixReport) {
  return {
    rank,
    gpu: c.gpuId,
    gpuCount: c.gpuCount,
    tp: c.layout.tp,
    pp: c.layout.pp,
    dp: c.layout.dp,
    ep: c.layout.ep,
    engine: c.memory.engine ?? 'vllm',
    nodes: c.placement?.nodes ?? 1,
    tpCrossesNodes: c.placement?.tpCrossesNodes ?? false,
    fits: c.memory.fits,
    reason: c.memory.reason,
    meetsSlo: c.meetsSlo,
    concurrency: c.concurrency,
    maxConcurrency: round(c.memory.maxConcurrency, 2),
    kvCacheGiBPerGpu: toGiB(c.memory.kvCacheBytesPerGpu),
    ...(c.perf !== null
      ? perfFields(c.perf)
      : {
          ttftMs: null,
          itlMs: null,
          e2eMs: null,
          outputTokensPerS: null,
          totalTokensPerS: null,
          requestsPerS: null,
          outputTokensPerSPerGpu: null,
          bottleneck: null,
          costPerHour: null,
          costPerMillionOutputTokens: null,
          perfError: null,
        }),
    ...(prefix === undefined ? {} : prefixCacheJson(prefix.options, c.memory.engine ?? 'vllm', prefix.inputTokens, c.memory.blockSizeTokens)),
  };
}

/** Which candidates a recommendation lists: the best layout per GPU type × count (engine/compactCandidates.ts), or all. */
/** 'compact' (recommend --compact): best per GPU type × count with replica copies folded, as the page's table. */
export type ListedLayouts = 'best-per-gpu-count' | 'all' | 'compact';

/** A listed candidate; `replicaCopies` (--compact only) are the copies of its layout it stands for (engine/compactCandidates.ts). */
export interface ListedCandidate {
  index: number;
  candidate: Candidate;
  otherLayouts?: number;
  replicaCopies?: readonly ReplicaCopy[];
}

/** The copies a folded row stands for, by rank (1-based, as `rank`), GPU count and replicas. Absent unless folded. */
function replicaCopiesJson(copies: readonly ReplicaCopy[] | undefined) {
  return copies === undefined ? {} : { replicaCopies: copies.map((c) => ({ rank: c.index + 1, gpuCount: c.gpuCount, copies: c.copies })) };
}

/**
 * `listed` are indices into result.candidates in rank order; a candidate's `rank` is its place in the
 * engine's whole ranking (index + 1), so `best` and `pareto` (indices) keep pointing at rank − 1.
 */
export function recommendJson(
  arch: ModelArch,
  result: RecommendResult,
  listed: readonly ListedCandidate[],
  layouts: ListedLayouts,
  top: number | undefined,
  prefix?: PrefixReport,
) {
  const shown = top === undefined ? listed : listed.slice(0, top);
  return {
    model: arch.modelId,
    computeMs: round(result.computeMs, 2),
    best: result.best,
    // "Lowest latency" is judged with one request in flight (engine recommend.ts lowestLatencyAtLightestLoad): its figures there.
    ...(result.lowestLatencyPoint === undefined ? {} : { lowestLatencyPoint: { concurrency: result.lowestLatencyPoint.concurrency, ...perfFields(result.lowestLatencyPoint) } }),
    pareto: result.pareto,
    candidateCount: result.candidates.length,
    layouts,
    candidates: shown.map(({ index, candidate, replicaCopies }) => ({ ...candidateJson(candidate, index + 1, prefix), ...replicaCopiesJson(replicaCopies) })),
  };
}

export function gpusJson(catalog: readonly CatalogGpu[]) {
  return {
    gpus: catalog.map((g) => ({
      id: g.id,
      name: g.name,
      vendor: g.vendor,
      generation: g.generation,
      aliases: g.aliases,
      memoryGiB: toGiB(g.memoryBytes),
      memoryBytes: g.memoryBytes,
      memBandwidthGBPerS: round(g.memBandwidthBytesPerS / GB, 1),
      denseTflops: g.denseTflops,
      interconnect: {
        kind: g.interconnect.kind,
        GBPerS: round(g.interconnect.bytesPerS / GB, 1),
        gpusPerNode: g.interconnect.gpusPerNode,
      },
      tdpWatts: g.tdpWatts,
      priceUsdPerHour: g.priceUsdPerHour,
      source: g.source,
      priceSource: g.priceSource,
    })),
  };
}

/** Aligned text table; `null`/`undefined` cells print as "-". */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown): string => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v));
  const text = [headers.map(cell), ...rows.map((r) => r.map(cell))];
  const widths = headers.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  return text.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** Two-column "field  value" listing of a flat JSON object (nested arrays/objects skipped unless short). */
export function keyValueTable(obj: Readonly<Record<string, unknown>>, skip: readonly string[] = []): string {
  const rows: unknown[][] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (skip.includes(key)) continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      rows.push([key, JSON.stringify(value)]);
    } else {
      rows.push([key, value]);
    }
  }
  return table(['field', 'value'], rows);
}

/**
 * The request-level simulator's figures (engine/sim) beside the estimate's: percentiles, goodput,
 * the largest rate meeting the SLOs, preemptions and how many requests the statistics are over.
 * `simulated` holds the simulator's own means and throughput (the flat mean fields keep the closed
 * form's meaning when a concurrency is given).
 */
export function simulationJson(sim: ConfigurationSimResult) {
  return {
    ttftP50Ms: round(sim.ttftP50Ms, 2),
    ttftP90Ms: round(sim.ttftP90Ms, 2),
    ttftP99Ms: round(sim.ttftP99Ms, 2),
    itlP50Ms: round(sim.itlP50Ms, 3),
    itlP90Ms: round(sim.itlP90Ms, 3),
    itlP99Ms: round(sim.itlP99Ms, 3),
    e2eP50Ms: round(sim.e2eP50Ms, 1),
    e2eP90Ms: round(sim.e2eP90Ms, 1),
    e2eP99Ms: round(sim.e2eP99Ms, 1),
    tpotP99Ms: round(sim.tpotP99Ms, 3),
    goodputRequestsPerS: round(sim.goodputRequestsPerS, 4),
    maxRateMeetingSloRequestsPerS: sim.maxRateMeetingSloRequestsPerS === null ? null : round(sim.maxRateMeetingSloRequestsPerS, 3),
    preemptions: sim.preemptions,
    simulatedRequests: sim.simulatedRequests,
    measuredRequests: sim.measuredRequests,
    rejectedRequests: sim.rejectedRequests,
    simulated: {
      ttftMs: round(sim.ttftMs, 2),
      itlMs: round(sim.itlMs, 3),
      // Per output token, (E2E − TTFT) / (output − 1); itlMs is per streamed chunk (a speculative verify's tokens are one chunk).
      tpotMs: round(sim.tpotMs, 3),
      e2eMs: round(sim.e2eMs, 1),
      requestsPerS: round(sim.requestsPerS, 4),
      outputTokensPerS: round(sim.outputTokensPerS, 2),
      busyReplicas: sim.busyReplicas,
    },
  };
}

/**
 * `estimate --rate` with SLOs: copies of the configuration needed for the rate, their GPUs and cost,
 * planned by the function `recommend --rate` plans a row with (engine sim/capacity.ts
 * planFromReplicaRate, via simulateConfiguration's `capacity`). All null without a rate or SLOs;
 * replicasNeeded null (not Infinity) when no rate meets the SLOs.
 */
export function estimateCapacityJson(plan: CapacityPlan | null) {
  const planned = plan !== null && plan.status === 'planned' ? plan : null;
  return {
    replicasNeeded: planned?.replicasNeeded ?? null,
    totalGpus: planned?.totalGpus ?? null,
    totalCostPerHour: planned === null ? null : round(planned.costUsdPerHour, 4),
    totalCostPerMillionOutputTokens: planned === null ? null : round(planned.usdPerMillionOutputTokens, 4),
    // Added fields, named as recommend --rate names them: 'planned' / 'slo-unreachable' (null without a plan),
    // and the copies beyond ⌈rate ÷ max rate per copy⌉ added because the run at the split rate missed a limit.
    capacityStatus: plan === null || plan.status === 'not-simulated' ? null : plan.status,
    replicasAdded: planned === null ? null : (planned.replicasAdded ?? 0),
    replicasSavedByRouting: planned === null ? null : (planned.replicasSavedByRouting ?? 0),
  };
}

/** A recommendation candidate's capacity plan at the target rate (`recommend --rate`); null fields where there is none. */
function capacityJson(p: CapacityPlan | null | undefined) {
  const planned = p !== null && p !== undefined && p.status === 'planned' ? p : null;
  const at = planned?.atTarget ?? null;
  return {
    // not-fitting rows have no plan at all.
    capacityStatus: p === null || p === undefined ? null : p.status,
    replicasNeeded: planned?.replicasNeeded ?? null,
    // Copies beyond ⌈target ÷ max rate per copy⌉ because the run at the split target missed a limit (sim/capacity.ts planFromReplicaRate).
    replicasAdded: planned === null ? null : (planned.replicasAdded ?? 0),
    // Copies fewer than the random split's count because the routed run with fewer still met every limit (--routing).
    replicasSavedByRouting: planned === null ? null : (planned.replicasSavedByRouting ?? 0),
    totalGpus: planned?.totalGpus ?? null,
    totalCostPerHour: planned === null ? null : round(planned.costUsdPerHour, 4),
    totalCostPerMillionOutputTokens: planned === null ? null : round(planned.usdPerMillionOutputTokens, 4),
    maxRatePerReplicaRequestsPerS: p === null || p === undefined || p.status === 'not-simulated' ? null : round(p.maxRatePerReplicaRequestsPerS, 3),
    boundCostPerHour: p !== null && p !== undefined && p.status === 'not-simulated' && p.boundUsdPerHour !== null ? round(p.boundUsdPerHour, 4) : null,
    ttftP50Ms: at === null ? null : round(at.ttftP50Ms, 2),
    ttftP90Ms: at === null ? null : round(at.ttftP90Ms, 2),
    ttftP99Ms: at === null ? null : round(at.ttftP99Ms, 2),
    itlP50Ms: at === null ? null : round(at.itlP50Ms, 3),
    itlP90Ms: at === null ? null : round(at.itlP90Ms, 3),
    itlP99Ms: at === null ? null : round(at.itlP99Ms, 3),
    e2eP50Ms: at === null ? null : round(at.e2eP50Ms, 1),
    e2eP90Ms: at === null ? null : round(at.e2eP90Ms, 1),
    e2eP99Ms: at === null ? null : round(at.e2eP99Ms, 1),
    preemptions: at?.preemptions ?? null,
    simulatedRequests: at?.simulatedRequests ?? null,
  };
}

/** A percentile field of a `recommend --rate` row: p95 is not in the row (the fields), it reads the p99. */
export function percentileOf(row: ReturnType<typeof capacityJson>, metric: 'ttft' | 'itl', p: SloPercentile): number | null {
  switch (p) {
    case 50:
      return metric === 'ttft' ? row.ttftP50Ms : row.itlP50Ms;
    case 90:
      return metric === 'ttft' ? row.ttftP90Ms : row.itlP90Ms;
    case 95:
    case 99:
      return metric === 'ttft' ? row.ttftP99Ms : row.itlP99Ms;
    default: {
      const _: never = p;
      return _;
    }
  }
}

/**
 * `recommend --rate`: the recommendation's JSON with each candidate's capacity plan beside its
 * closed-form fields (which keep their meaning: one copy at its best closed-loop point), and what the
 * plan simulated. Ranked by the cost of serving the target within the SLOs.
 */
export function recommendAtRateJson(
  arch: ModelArch,
  result: RecommendResult,
  target: TargetLoad,
  listed: readonly ListedCandidate[],
  layouts: ListedLayouts,
  top: number | undefined,
  prefix?: PrefixReport,
) {
  const base = recommendJson(arch, result, listed, layouts, top, prefix);
  const shown = top === undefined ? listed : listed.slice(0, top);
  return {
    ...base,
    rate: target.ratePerS,
    burstiness: target.burstiness,
    // How a router spreads the rate over each row's replicas (sim/routedRun.ts); random = the even split.
    routing: target.routing ?? 'random',
    sloPercentile: target.slo.percentile,
    slo: { maxTtftMs: target.slo.maxTtftMs, maxItlMs: target.slo.maxItlMs, maxE2eMs: target.slo.maxE2eMs },
    capacity: result.capacity ?? null,
    candidates: base.candidates.map((row, i) => ({ ...row, ...capacityJson(shown[i]?.candidate.capacity) })),
  };
}

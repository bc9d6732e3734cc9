/**
 * The recommender: every catalog GPU × every layout vLLM accepts (tp from the model's valid TP sizes
 * ∩ {1, 2, 4, 8}, pp, data-parallel replicas, expert parallel for MoE) within the GPU budget, each
 * planned (memory) and estimated (perf) over a concurrency sweep; ranked fitting-and-meeting-the-SLO
 * first, cheapest per million output tokens first.
 *
 * Speed (issue 3: the whole recommendation in < 20 ms): data-parallel replicas are independent
 * copies, so one replica's memory plan, model aggregates and concurrency sweep serve every dp
 * variant of a (GPU, tp, pp) — only expert parallelism couples the replicas. A dp layout's sweep is
 * therefore dp × the replica's points (every replica at the same load), and its operating point is
 * the replica's. Each replica's operating point is picked while its sweep is solved, keeping only
 * the points that can win (estimatePerf.ts pickReplicaPoint); full sweeps are built only for the
 * rows a chart draws (keptSweeps below). Plans and model costs are kept across calls (memo.ts).
 * `npm run bench` prints the time.
 */
import type {
  Candidate,
  GpuSpec,
  Layout,
  MemoryPlan,
  ModelArch,
  PerfEstimate,
  RecommendRequest,
  RecommendResult,
  RecommendWarning,
  RequestError,
  Result,
  ResolvedServingOptions,
  ServingSettings,
  SloLimits,
  TargetLoad,
  WorkloadRejection,
} from './types';
import { SERVING_ENGINES, SPEC_METHODS, VLLM_VERSIONS } from './types';
import { GiB } from './units';
import { err, ok } from './result';
import { resolveServing } from './defaults';
import { GPU_CATALOG } from './catalog/gpus';
import { planMemoryIn } from './memory/planMemory';
import { withEngine } from './memory/engines/planEngineMemory';
import { maxPipelineParallel, validTpSizes } from './memory/layouts';
import { DEFAULT_BENCHMARK_NUM_REQUESTS } from './calibration';
import type { ModelCost } from './perf/modelCost';
import type { FleetTerms, ReplicaModel } from './perf/estimatePerf';
import { resolveSpeculative, speculativeMemoryPlan, treeShapeError, type SpeculativeModel } from './perf/speculative';
import { assembleEstimate, busyReplicas, fleetTerms, modelCostFor, pickReplicaPoint, replicaModel, runReplica, runReplicaSweep, sweepPick } from './perf/estimatePerf';
import type { ModelCaches } from './cache/modelCaches';
import { newModelCaches } from './cache/modelCaches';
import { gpuPlanKey, layoutKey, planServingKey } from './cache/cacheKeys';
import { joinKeys } from './cache/keys';
import type { ReplicaPerf } from './perf/serving';
import { concurrencyPoints, meetsSlo } from './perf/sweep';
import type { SweepPoint } from './perf/sweep';
import { paretoFrontier } from './perf/pareto';
import { nodePlacement } from './nodes';
import type { RuleResult } from './inputRules';
import {
  checkPrefixHitRate,
  checkPrefixTokens,
  checkBlockSizeTokens,
  checkBurstiness,
  checkConcurrency,
  checkGpuBudget,
  checkOtherMemoryGiB,
  checkGpuMemoryUtilization,
  checkPriceUsdPerHour,
  checkRequestRate,
  checkSeed,
  checkSimulatedRequests,
  checkSloMs,
  checkSloPercentile,
  checkSpecAcceptance,
  checkSpecDraftTokens,
  checkSpecTokens,
  checkSpecTopk,
  checkTokenCount,
} from './inputRules';

/** Replicas up to one 8-GPU HGX node (tp × pp ≤ 8) are always enumerated, whatever the model needs. */
export const SINGLE_NODE_REPLICA_GPUS = 8;
/** Largest replica enumerated at all (tp × pp, and tp × pp × dp for an EP group): the CLI's 256-GPU budget (issue 13). */
export const MAX_GPUS_PER_REPLICA = 256;
/**
 * Pruning (issue 13: a bigger budget multiplies layouts): replicas larger than one node are enumerated
 * only up to this many times the fewest GPUs whose memory holds the weights (`minReplicaGpus`, rounded
 * up to a power of two). APPROXIMATION, a heuristic, not a proof: a replica 4× larger than the
 * smallest that fits already has ≥ 3/4 of its memory free for KV; larger ones trade cost for TP
 * latency only, which cross-node TP (penalised) or PP (hand-offs) does not buy back.
 */
export const REPLICA_OVERSIZE_FACTOR = 4;

/** Fitting rows at the top of the ranking that keep their sweep besides the Pareto / best / per-GPU rows (what the table shows first). */
export const SWEEP_KEPT_TOP_RANKED = 10;

/** Largest power of two ≤ n (1 for n < 2). */
function powerOfTwoAtMost(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** What bounds the layouts of one GPU type. */
export interface LayoutBounds {
  /** GPUs in one NVLink domain (GpuSpec.interconnect.gpusPerNode). */
  gpusPerNode: number;
  /** Fewest GPUs whose memory holds the weights (1 when unknown). */
  minReplicaGpus: number;
}

/** Largest replica (GPUs) enumerated for these bounds (REPLICA_OVERSIZE_FACTOR). */
export function replicaGpuCap(bounds: LayoutBounds): number {
  const needed = Math.max(1, Math.ceil(bounds.minReplicaGpus));
  let neededPow2 = 1;
  while (neededPow2 < needed) neededPow2 *= 2;
  return Math.min(MAX_GPUS_PER_REPLICA, Math.max(SINGLE_NODE_REPLICA_GPUS, REPLICA_OVERSIZE_FACTOR * neededPow2));
}

/**
 * Layouts to try for a model within `maxGpus` on a GPU type: TP within the NVLink domain (powers of
 * two up to its size, and one doubling beyond it: cross-node TP, penalised and flagged by
 * nodes.ts), PP and DP across nodes, EP (attention DP + expert parallel, vLLM `--data-parallel-size`
 * with `--enable-expert-parallel`) for MoE; replicas bounded by `replicaGpuCap`. Without bounds:
 * one 8-GPU node per replica (the layouts before multi-node).
 */
export function enumerateLayouts(arch: ModelArch, maxGpus: number, bounds: LayoutBounds = { gpusPerNode: 8, minReplicaGpus: 1 }): Layout[] {
  const cap = Math.min(maxGpus, replicaGpuCap(bounds));
  const maxTp = Math.min(cap, Math.max(SINGLE_NODE_REPLICA_GPUS, 2 * powerOfTwoAtMost(bounds.gpusPerNode)));
  const tps = validTpSizes(arch, maxTp);
  const maxPp = Math.min(cap, maxPipelineParallel(arch));
  const isMoe = arch.layers.some((l) => l.ffn.kind === 'moe');
  const out: Layout[] = [];
  // A replica larger than one node must hold the weights (smaller ones cannot load) and fill the
  // node with TP before PP spans nodes (vLLM docs, distributed serving: "set the tensor parallel size
  // to the number of GPUs in each node, and the pipeline parallel size to the number of nodes").
  const nodeTp = Math.min(SINGLE_NODE_REPLICA_GPUS, powerOfTwoAtMost(bounds.gpusPerNode));
  const multiNodeOk = (gpus: number, tp: number): boolean => gpus <= SINGLE_NODE_REPLICA_GPUS || (gpus >= bounds.minReplicaGpus && tp >= nodeTp);
  // A wide EP group (attention DP + EP across nodes) runs without PP, as vLLM and SGLang deploy it.
  const epOk = (gpus: number, pp: number): boolean => gpus <= SINGLE_NODE_REPLICA_GPUS || (gpus >= bounds.minReplicaGpus && pp === 1);
  for (const tp of tps) {
    for (let pp = 1; pp <= maxPp && tp * pp <= cap; pp *= 2) {
      for (let dp = 1; tp * pp * dp <= maxGpus; dp *= 2) {
        if (multiNodeOk(tp * pp, tp)) out.push({ tp, pp, dp, ep: false });
        // Expert parallelism needs more than one rank to spread experts over; the EP group is one replica.
        if (isMoe && tp * dp > 1 && tp * pp * dp <= cap && epOk(tp * pp * dp, pp)) out.push({ tp, pp, dp, ep: true });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Request validation
// ---------------------------------------------------------------------------------------------

/**
 * Checks a request field by field before recommend() runs, with the input rules every front end
 * shares (inputRules.ts): lengths and counts are whole numbers in range, utilization in (0, 1], limits
 * positive, prices in range. Returns the request unchanged when valid (STYLE.md §3: expected failures
 * are values).
 */
export function validateRecommendRequest(req: RecommendRequest): Result<RecommendRequest, RequestError> {
  const bad = (field: string, value: unknown, reason: string): Result<RecommendRequest, RequestError> =>
    err({ kind: 'invalid-request', field, value, reason });
  const check = (field: string, value: unknown, rule: (v: unknown) => RuleResult<number>): Result<RecommendRequest, RequestError> | null => {
    const r = rule(value);
    return r.ok ? null : bad(field, value, `must be ${r.error.expected}`);
  };
  const s: ServingSettings = req.serving;
  const checks = [
    check('inputTokens', req.inputTokens, checkTokenCount),
    check('outputTokens', req.outputTokens, checkTokenCount),
    req.concurrency === 'max' || req.concurrency === 'sweep' ? null : check('concurrency', req.concurrency, checkConcurrency),
    check('maxGpus', req.maxGpus, checkGpuBudget),
    check('serving.maxModelLenTokens', s.maxModelLenTokens, checkTokenCount),
    s.maxNumBatchedTokens === null ? null : check('serving.maxNumBatchedTokens', s.maxNumBatchedTokens, checkTokenCount),
    s.maxNumSeqs === null ? null : check('serving.maxNumSeqs', s.maxNumSeqs, checkConcurrency),
    s.blockSizeTokens === null ? null : check('serving.blockSizeTokens', s.blockSizeTokens, checkBlockSizeTokens),
    check('serving.gpuMemoryUtilization', s.gpuMemoryUtilization, checkGpuMemoryUtilization),
    req.slo.maxTtftMs === null ? null : check('slo.maxTtftMs', req.slo.maxTtftMs, checkSloMs),
    req.slo.maxItlMs === null ? null : check('slo.maxItlMs', req.slo.maxItlMs, checkSloMs),
    req.slo.maxE2eMs === null ? null : check('slo.maxE2eMs', req.slo.maxE2eMs, checkSloMs),
    (SERVING_ENGINES as readonly string[]).includes(req.engine)
      ? null
      : bad('engine', req.engine, `must be one of ${SERVING_ENGINES.join(', ')}`),
    ...engineFlagChecks(s, check),
    s.usedByOtherProcessesBytes === undefined ? null : check('serving.usedByOtherProcessesBytes', s.usedByOtherProcessesBytes / GiB, checkOtherMemoryGiB),
    s.vllmVersion === undefined || (VLLM_VERSIONS as readonly string[]).includes(s.vllmVersion)
      ? null
      : bad('serving.vllmVersion', s.vllmVersion, `must be one of ${VLLM_VERSIONS.join(', ')}`),
    s.prefixCache === undefined ? null : check('serving.prefixCache.sharedPrefixTokens', s.prefixCache.sharedPrefixTokens, (v) => checkPrefixTokens(v, req.inputTokens)),
    s.prefixCache === undefined ? null : check('serving.prefixCache.hitRate', s.prefixCache.hitRate, checkPrefixHitRate),
    ...Object.entries(req.priceOverridesUsdPerHour).map(([id, usd]) => check(`priceOverridesUsdPerHour.${id}`, usd, checkPriceUsdPerHour)),
    ...targetLoadChecks(req.load ?? null, check),
    ...speculativeSettingsChecks(req, bad, check),
  ];
  for (const c of checks) if (c !== null) return c;
  return ok(req);
}

/** RecommendRequest.speculativeSettings: a known method, tokens by checkSpecTokens, acceptance by checkSpecAcceptance (null = default). */
function speculativeSettingsChecks(
  req: RecommendRequest,
  bad: (field: string, value: unknown, reason: string) => Result<RecommendRequest, RequestError>,
  check: (field: string, value: unknown, rule: (v: unknown) => RuleResult<number>) => Result<RecommendRequest, RequestError> | null,
): (Result<RecommendRequest, RequestError> | null)[] {
  const s = req.speculativeSettings;
  if (s === undefined) return [];
  return [
    (SPEC_METHODS as readonly string[]).includes(s.method) ? null : bad('speculativeSettings.method', s.method, `must be one of ${SPEC_METHODS.join(', ')}`),
    check('speculativeSettings.tokens', s.tokens, checkSpecTokens),
    s.acceptance === null ? null : check('speculativeSettings.acceptance', s.acceptance, checkSpecAcceptance),
    s.topk === undefined ? null : check('speculativeSettings.topk', s.topk, checkSpecTopk),
    s.draftTokens === undefined ? null : check('speculativeSettings.draftTokens', s.draftTokens, checkSpecDraftTokens),
    ((e) => (e === null ? null : bad('speculativeSettings.topk', s.topk ?? 1, e)))(treeShapeError(req.engine ?? 'vllm', s.tokens, s.topk, s.draftTokens)),
  ];
}

/**
 * The request with `speculativeSettings` resolved against `arch` into `speculative` (perf/speculative.ts
 * resolveSpeculative), or why it cannot be (an invalid request naming the method). Unchanged when it
 * carries none, or already a resolved `speculative`.
 */
export function withResolvedSpeculative(arch: ModelArch, req: RecommendRequest): Result<RecommendRequest, RequestError> {
  const s = req.speculativeSettings;
  if (s === undefined || req.speculative !== undefined) return ok(req);
  const r = resolveSpeculative(arch, { method: s.method, tokens: s.tokens, acceptance: s.acceptance, ...(s.topk === undefined ? {} : { topk: s.topk }), ...(s.draftTokens === undefined ? {} : { draftTokens: s.draftTokens }) });
  return r.ok ? ok({ ...req, speculative: r.value }) : err({ kind: 'invalid-request', field: 'speculativeSettings.method', value: s.method, reason: r.error });
}

/** The result of a request refused before ranking: no candidates, one warning saying why. */
export function invalidRequestResult(e: RequestError): RecommendResult {
  return emptyResult(0, () => 0, [{ kind: 'invalid-request', error: e, message: `Invalid ${e.field} (${String(e.value)}): ${e.reason}` }]);
}

/** SGLang / TensorRT-LLM flags (memory/engines/): fractions by the utilization rule (0, 1], counts by the token-count rule; null = the engine's default. */
function engineFlagChecks(
  s: ServingSettings,
  check: (field: string, value: unknown, rule: (v: unknown) => RuleResult<number>) => Result<RecommendRequest, RequestError> | null,
): (Result<RecommendRequest, RequestError> | null)[] {
  const fraction = (field: string, value: number | null): Result<RecommendRequest, RequestError> | null =>
    value === null ? null : check(field, value, checkGpuMemoryUtilization);
  const optionalCount = (field: string, value: number | null): Result<RecommendRequest, RequestError> | null =>
    value === null ? null : check(field, value, checkTokenCount);
  const g = s.sglang;
  const t = s.trtllm;
  return [
    g === undefined ? null : fraction('serving.sglang.memFractionStatic', g.memFractionStatic),
    g === undefined ? null : optionalCount('serving.sglang.chunkedPrefillSizeTokens', g.chunkedPrefillSizeTokens),
    g === undefined ? null : optionalCount('serving.sglang.maxRunningRequests', g.maxRunningRequests),
    g === undefined ? null : optionalCount('serving.sglang.cudaGraphMaxBs', g.cudaGraphMaxBs),
    t === undefined ? null : fraction('serving.trtllm.kvCacheFreeGpuMemoryFraction', t.kvCacheFreeGpuMemoryFraction),
    t === undefined ? null : optionalCount('serving.trtllm.maxBatchSize', t.maxBatchSize),
    t === undefined ? null : optionalCount('serving.trtllm.maxNumTokens', t.maxNumTokens),
  ];
}

/** The target load of a capacity plan (recommendAtRate.ts): rate, burstiness, percentile, limits, run size, seed. */
function targetLoadChecks(
  load: TargetLoad | null,
  check: (field: string, value: unknown, rule: (v: unknown) => RuleResult<number>) => Result<RecommendRequest, RequestError> | null,
): (Result<RecommendRequest, RequestError> | null)[] {
  if (load === null) return [];
  const optional = (field: string, value: number | null | undefined, rule: (v: unknown) => RuleResult<number>): Result<RecommendRequest, RequestError> | null =>
    value === null || value === undefined ? null : check(field, value, rule);
  return [
    check('load.ratePerS', load.ratePerS, checkRequestRate),
    check('load.burstiness', load.burstiness, checkBurstiness),
    check('load.slo.percentile', load.slo.percentile, checkSloPercentile),
    optional('load.slo.maxTtftMs', load.slo.maxTtftMs, checkSloMs),
    optional('load.slo.maxItlMs', load.slo.maxItlMs, checkSloMs),
    optional('load.slo.maxE2eMs', load.slo.maxE2eMs, checkSloMs),
    optional('load.numRequests', load.numRequests, checkSimulatedRequests),
    optional('load.seed', load.seed, checkSeed),
  ];
}

/** vLLM's OpenAI server rejects prompt + max_tokens > max_model_len with HTTP 400 (vllm/entrypoints/openai/serving_engine.py _validate_input). */
export function workloadRejection(req: Pick<RecommendRequest, 'inputTokens' | 'outputTokens' | 'serving'>): WorkloadRejection | null {
  const requestTokens = req.inputTokens + req.outputTokens;
  if (requestTokens <= req.serving.maxModelLenTokens) return null;
  return { kind: 'request-exceeds-max-model-len', requestTokens, maxModelLenTokens: req.serving.maxModelLenTokens };
}

function rejectionMessage(r: WorkloadRejection): string {
  return (
    `A request of ${r.requestTokens} tokens (input + output) exceeds max_model_len ${r.maxModelLenTokens}: ` +
    `vLLM's server answers HTTP 400 ("maximum context length is ${r.maxModelLenTokens} tokens"); raise max_model_len or shorten the request.`
  );
}

// ---------------------------------------------------------------------------------------------
// Memory plans (kept in the session's caches across calls)
// ---------------------------------------------------------------------------------------------

/**
 * Key of a replica group: per-GPU memory and the replica's perf depend on tp and pp, and on dp only
 * when experts are spread over the replicas (EP). tp, pp ≤ MAX_GPUS_PER_REPLICA < 1024. A per-call
 * grouping, not a cache key.
 */
function replicaKey(layout: Layout): number {
  return layout.tp + 1024 * layout.pp + 1024 * 1024 * (layout.ep ? layout.dp : 0);
}

const SINGLE_GPU: Layout = { tp: 1, pp: 1, dp: 1, ep: false };

/** The layout one replica of `layout` runs: dp matters only with expert parallelism. */
export function replicaLayout(layout: Layout): Layout {
  return layout.ep ? layout : { tp: layout.tp, pp: layout.pp, dp: 1, ep: false };
}

/** The plan with the request's speculative draft loaded (perf/speculative.ts; the cached plan stays the target's own). */
function withSpeculative(plan: MemoryPlan, arch: ModelArch, req: RecommendRequest): MemoryPlan {
  return req.speculative === undefined ? plan : speculativeMemoryPlan(plan, arch, req.speculative);
}

const speculativeOf = (req: RecommendRequest): { speculative?: SpeculativeModel } => (req.speculative === undefined ? {} : { speculative: req.speculative });

/**
 * One replica shape as every path ranks it — recommend's loop, evaluateConfiguration (what a fix is
 * checked against) and sweepFor: the target's cached plan with the request's draft loaded, the
 * replica model, and a sweep up to what one replica runs at once (model.maxRunning: the engine's
 * batch cap or its KV pool less a shared prefix, whichever binds). `cost` is called only when the
 * plan fits and the workload is accepted.
 */
export function replicaGroupOf(
  arch: ModelArch,
  req: RecommendRequest,
  gpu: GpuSpec,
  serving: ResolvedServingOptions,
  targetPlan: MemoryPlan,
  cost: () => ModelCost,
  rejection: WorkloadRejection | null,
): ReplicaGroup {
  const memory = withSpeculative(targetPlan, arch, req);
  if (!memory.fits || rejection !== null) return { memory, model: null, points: [] };
  const model = replicaModel({ gpu, serving, engine: req.engine, memory, ...speculativeOf(req) }, cost(), req.inputTokens, req.outputTokens);
  return { memory, model, points: concurrencyPoints(model.maxRunning) };
}

/**
 * The plans cache's key of a GPU under serving options: joinKeys(gpuPlanKey(gpu), planServingKey(serving))
 * as the session's short id for it (cache/keyInterner.ts). Built once per GPU of a recommendation.
 */
export function gpuServingKeyOf(caches: ModelCaches, gpu: GpuSpec, serving: ResolvedServingOptions): string {
  return caches.keyIds.idOf(joinKeys(gpuPlanKey(gpu), planServingKey(serving)));
}

/**
 * The memory plan of one GPU of a layout's replica. Plans depend on the model, the GPU, the layout
 * and the serving options, not on the workload or the SLO: kept in the session's caches
 * (cache/modelCaches.ts plans) so that moving the ISL/OSL/SLO inputs re-ranks without re-planning.
 * `gpuServingKey` is gpuServingKeyOf(caches, gpu, serving), built once per GPU.
 */
export function cachedPlan(caches: ModelCaches, gpu: GpuSpec, gpuServingKey: string, layout: Layout, serving: ResolvedServingOptions): MemoryPlan {
  const replica = replicaLayout(layout);
  return caches.plans.getOrCompute(joinKeys(gpuServingKey, layoutKey(replica)), () => planMemoryIn(caches, gpu, replica, serving));
}

// ---------------------------------------------------------------------------------------------
// Replica groups: what the dp variants of one (GPU, tp, pp[, EP dp]) share
// ---------------------------------------------------------------------------------------------

export interface ReplicaGroup {
  memory: MemoryPlan;
  /** null when the plan does not fit (or the workload is rejected), or once released (rebuildModel; read it through modelOf). */
  model: ReplicaModel | null;
  /** Closed-loop concurrency per replica of the sweep: 1 … min(max_num_seqs, KV capacity). */
  points: readonly number[];
  /** Full results at every point, for the rows whose sweep is kept; built on first use. */
  results?: ReplicaPerf[];
  /** The operating point under the request's SLO (sweep mode) and its full result; built on first use. */
  pick?: { index: number; meetsSlo: boolean; result: ReplicaPerf } | null;
  /** One request in flight (the lightest load), for "lowest latency"; built on first use. */
  lightest?: ReplicaPerf;
  /**
   * Builds `model` again once recommend() has released it (releaseModel): the same inputs through
   * the same replicaGroupOf, so the same figures. Absent = the model is never released.
   */
  rebuildModel?: () => ReplicaModel | null;
}

/** The group's replica model, rebuilt when recommend() released it (null when the plan does not fit). */
function modelOf(g: ReplicaGroup): ReplicaModel | null {
  return g.model ?? g.rebuildModel?.() ?? null;
}

/**
 * Drops a group's replica model once its GPU's layouts are evaluated. A model (step context, rates,
 * per-window lengths: ~3 KB) lived until the end of the recommendation only for the few rows whose
 * sweep is kept; the ~730 of a Qwen3-30B-A3B recommendation were then copied by every scavenge (GC was
 * ~28 % of its profile; npm run bench). Released, they die young, and sweepOf rebuilds the few it needs.
 * The lightest load is read for every fitting row (lowestLatencyAtLightestLoad): solved here first
 * (in sweep mode the sweep's first point already is it).
 */
function releaseModel(g: ReplicaGroup): void {
  const m = g.model;
  if (m === null || g.rebuildModel === undefined) return;
  g.lightest ??= runReplica(m, 'closed-loop', 1);
  g.model = null;
}

/**
 * A configuration with one request in flight: the lightest load, where "lowest latency" is judged
 * (issue 14: at each row's own operating point a busy small layout beat a wide one that is faster per
 * request). One request occupies one replica; the fleet's price is paid all the same.
 */
function lightestLoad(src: CandidateSource): SweepPoint | null {
  const r = lightestResult(src);
  return r === null ? null : Object.assign(assembleEstimate(r, 1, src.fleet), { concurrency: 1 });
}

/** The replica's solve with one request in flight (null without a model), kept on its group. */
function lightestResult(src: CandidateSource): ReplicaPerf | null {
  if (src.group.lightest !== undefined) return src.group.lightest;
  const m = modelOf(src.group);
  if (m === null) return null;
  // The sweep's first point is one request (perf/sweep.ts concurrencyPoints), the same solve as runReplica at 1.
  const swept = src.group.points[0] === 1 ? src.group.results?.[0] : undefined;
  src.group.lightest = swept ?? runReplica(m, 'closed-loop', 1);
  return src.group.lightest;
}

/**
 * The lowest end-to-end latency at the lightest load, among the fitting rows; a tie (equal figures,
 * e.g. the DP copies of one replica) goes to fewer GPUs, then to the ranking.
 */
function lowestLatencyAtLightestLoad(
  ranked: readonly Candidate[],
  sources: readonly (CandidateSource | null)[],
  fitting: readonly number[],
): { index: number; point: SweepPoint } | null {
  let best: { index: number; point: SweepPoint; gpus: number } | null = null;
  for (const i of fitting) {
    const src = sources[i];
    const gpus = ranked[i]?.gpuCount ?? Infinity;
    if (src === null || src === undefined) continue;
    // A row that cannot beat the best so far is not assembled (its E2E is the solve's, as assembled):
    // assembling every fitting row's point was ~1,100 estimates of garbage per recommendation.
    const e2eMs = lightestResult(src)?.e2eMs;
    if (e2eMs === undefined || (best !== null && !(e2eMs < best.point.e2eMs || (e2eMs === best.point.e2eMs && gpus < best.gpus)))) continue;
    const point = lightestLoad(src);
    if (point === null || point.perfError !== null) continue;
    if (best === null || point.e2eMs < best.point.e2eMs || (point.e2eMs === best.point.e2eMs && gpus < best.gpus)) best = { index: i, point, gpus };
  }
  return best === null ? null : { index: best.index, point: best.point };
}

/** The group's operating point under the request's SLO (sweep mode), built on first use. */
function groupPick(g: ReplicaGroup, slo: SloLimits): { index: number; meetsSlo: boolean; result: ReplicaPerf } | null {
  if (g.pick !== undefined) return g.pick;
  const m = g.model;
  // Latencies are the replica's whatever dp is, throughput scales with dp: the pick is the replica's.
  // The whole sweep is run to pick the point. Only its first point (one request: the lightest load) is
  // kept: holding every group's sweep until the charts' rows are chosen (sweepOf re-runs those few)
  // made the fresh recommendation ~25 % slower (more survivors for the garbage collector; bench).
  // Only the first and the picked point get objects of their own (estimatePerf.ts sweepPick; the
  // points' results were ~3 MB of garbage per Qwen3-30B-A3B recommendation, GC a third of its profile).
  if (m === null || g.points.length === 0) return (g.pick = null);
  if (g.results !== undefined) {
    if (g.points[0] === 1 && g.results[0] !== undefined) g.lightest ??= g.results[0];
    return (g.pick = pickReplicaPoint(m, g.points, slo, g.results));
  }
  const swept = sweepPick(m, g.points, slo);
  if (swept.first !== undefined) g.lightest ??= swept.first;
  g.pick = swept.pick;
  return g.pick;
}

/** What a candidate needs to build its sweep later. */
interface CandidateSource {
  group: ReplicaGroup;
  fleet: FleetTerms;
  dp: number;
}

function sweepOf(src: CandidateSource): SweepPoint[] {
  const g = src.group;
  const m = g.results === undefined ? modelOf(g) : null;
  const results = g.results ?? (m === null ? [] : (g.results = runReplicaSweep(m, g.points)));
  const out: SweepPoint[] = [];
  for (let i = 0; i < results.length; i += 1) {
    const r = results[i];
    if (r === undefined) continue;
    // Every replica at the point's load: the configuration runs dp × the replica's concurrency.
    out.push(Object.assign(assembleEstimate(r, src.dp, src.fleet), { concurrency: (src.group.points[i] ?? 1) * src.dp }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// recommend()
// ---------------------------------------------------------------------------------------------

const now = (): number => Date.now();

function emptyResult(t0: number, clock: () => number, warnings: readonly RecommendWarning[]): RecommendResult {
  return {
    candidates: [],
    best: { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null },
    pareto: [],
    computeMs: Math.max(0, clock() - t0),
    warnings,
  };
}

/** One recommendation from scratch (nothing kept between calls): tests and one-off use. */
export function recommend(
  arch: ModelArch,
  req: RecommendRequest,
  gpus: readonly GpuSpec[] = GPU_CATALOG,
  clock: () => number = now,
): RecommendResult {
  return recommendIn(newModelCaches(arch), req, gpus, clock);
}

/** The recommendation for the caches' model: an engine session's `recommend` (session.ts). */
export function recommendIn(caches: ModelCaches, req: RecommendRequest, gpus: readonly GpuSpec[], clock: () => number = now): RecommendResult {
  const arch = caches.arch;
  const t0 = clock();
  const valid = validateRecommendRequest(req);
  if (!valid.ok) {
    const e = valid.error;
    return emptyResult(t0, clock, [{ kind: 'invalid-request', error: e, message: `Invalid ${e.field} (${String(e.value)}): ${e.reason}.` }]);
  }
  const warnings: RecommendWarning[] = [];
  const rejection = workloadRejection(req);
  if (rejection !== null) warnings.push({ ...rejection, message: rejectionMessage(rejection) });

  const wanted = req.gpuIds === null ? gpus : gpus.filter((g) => req.gpuIds?.includes(g.id));
  const sweepMode = req.concurrency === 'sweep';

  // Model costs by replica key for this call (the session's caches keep them across calls).
  const costs = new Map<number, ModelCost>();
  const costOf = (layout: Layout, key: number): ModelCost => {
    let cost = costs.get(key);
    if (cost === undefined) {
      cost = modelCostFor(caches, req.serving, layout);
      costs.set(key, cost);
    }
    return cost;
  };

  const candidates: Candidate[] = [];
  const sources: (CandidateSource | null)[] = [];
  for (const gpu of wanted) {
    const price = req.priceOverridesUsdPerHour[gpu.id];
    // Scheduler limits left unset take vLLM's default for this GPU (defaults.ts resolveServing);
    // memory is planned as the request's engine does (memory/engines/).
    const serving = withEngine(resolveServing(req.serving, gpu), req.engine);
    const gpuServingKey = gpuServingKeyOf(caches, gpu, serving);
    const groups = new Map<number, ReplicaGroup>();
    // The fewest GPUs whose memory holds the weights bounds the replicas tried (replicaGpuCap).
    const weightsBytes = cachedPlan(caches, gpu, gpuServingKey, SINGLE_GPU, serving).weightsBytesPerGpu;
    const bounds: LayoutBounds = { gpusPerNode: gpu.interconnect.gpusPerNode, minReplicaGpus: weightsBytes / gpu.memoryBytes };
    for (const layout of enumerateLayouts(arch, req.maxGpus, bounds)) {
      const key = replicaKey(layout);
      let group = groups.get(key);
      if (group === undefined) {
        const plan = cachedPlan(caches, gpu, gpuServingKey, layout, serving);
        const cost = (): ModelCost => costOf(layout, key);
        group = replicaGroupOf(arch, req, gpu, serving, plan, cost, rejection);
        // What the model is rebuilt from once released (releaseModel, after this GPU's layouts).
        group.rebuildModel = () => replicaGroupOf(arch, req, gpu, serving, plan, cost, rejection).model;
        groups.set(key, group);
      }
      // A multi-node configuration that does not fit is left out (the layouts within one node keep
      // their rows, which say why): more copies of a replica that does not load add nothing.
      if (!group.memory.fits && layout.tp * layout.pp * layout.dp > SINGLE_NODE_REPLICA_GPUS) continue;
      const c = evaluate(gpu, layout, group, req, price, rejection, sweepMode);
      candidates.push(c.candidate);
      sources.push(c.source);
    }
    for (const g of groups.values()) releaseModel(g);
  }

  const order = rankOrder(candidates);
  const ranked = order.map((i) => candidates[i]).filter((c): c is Candidate => c !== undefined);
  const rankedSources = order.map((i) => sources[i] ?? null);
  const fitting: number[] = [];
  // Rows with an engine error (ranked last) are never a pick, a Pareto point or a kept sweep.
  for (let i = 0; i < ranked.length; i += 1) if ((ranked[i]?.perf ?? null) !== null && ranked[i]?.perf?.perfError === null) fitting.push(i);
  const firstMeeting = ranked.findIndex((c) => c.perf !== null && c.meetsSlo);
  const argBest = (score: (p: PerfEstimate) => number): number | null => {
    let best: number | null = null;
    let bestScore = Infinity;
    for (const i of fitting) {
      const p = ranked[i]?.perf;
      if (p === null || p === undefined) continue;
      const s = score(p);
      if (s < bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return best;
  };
  const pareto = paretoFrontier(
    fitting.map((i) => {
      const p = ranked[i]?.perf;
      return { usdPerMillionOutputTokens: p?.usdPerMillionOutputTokens ?? Infinity, latencyMs: p?.e2eMs ?? Infinity };
    }),
  )
    .map((k) => fitting[k] ?? -1)
    .filter((i) => i >= 0);
  const lowest = lowestLatencyAtLightestLoad(ranked, rankedSources, fitting);
  const best = {
    cheapestMeetingSlo: firstMeeting >= 0 ? firstMeeting : null,
    lowestLatency: lowest === null ? null : lowest.index,
    highestThroughput: argBest((p) => -p.outputTokensPerS),
  };

  // Sweeps for the rows a chart draws; the others carry an empty sweep and `sweepOmitted`.
  const keep = keptSweeps(ranked, fitting, pareto, best);
  // The candidates are this call's own fresh objects: completed in place, not copied.
  for (let i = 0; i < ranked.length; i += 1) {
    const c = ranked[i];
    const src = rankedSources[i];
    if (c === undefined || src === null || src === undefined) continue;
    if (keep.has(i)) c.sweep = sweepOf(src);
    else c.sweepOmitted = true;
  }

  return {
    candidates: ranked,
    best,
    pareto,
    computeMs: Math.max(0, clock() - t0),
    ...(lowest === null ? {} : { lowestLatencyPoint: lowest.point }),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Indices (into the ranking) whose sweeps are kept: Pareto, best picks, the best row of each GPU type, the top-ranked rows. */
function keptSweeps(
  ranked: readonly Candidate[],
  fitting: readonly number[],
  pareto: readonly number[],
  best: { cheapestMeetingSlo: number | null; lowestLatency: number | null; highestThroughput: number | null },
): Set<number> {
  const keep = new Set<number>(pareto);
  for (const i of [best.cheapestMeetingSlo, best.lowestLatency, best.highestThroughput]) if (i !== null) keep.add(i);
  const seenGpu = new Set<string>();
  for (const i of fitting) {
    const c = ranked[i];
    if (c === undefined || seenGpu.has(c.gpuId)) continue;
    seenGpu.add(c.gpuId); // the ranking is best-first: the first fitting row of a GPU type is its best
    keep.add(i);
  }
  for (const i of fitting.slice(0, SWEEP_KEPT_TOP_RANKED)) keep.add(i);
  return keep;
}

/**
 * A candidate with every field present (one object shape for all rows: V8 keeps them fast; the bug
 * this guards was object spreads and a late `sweepOmitted` costing a third of recommend()).
 */
function candidateOf(
  gpu: GpuSpec,
  gpuCount: number,
  layout: Layout,
  memory: MemoryPlan,
  perf: PerfEstimate | null,
  concurrency: number | null,
  meets: boolean,
  rejection?: WorkloadRejection,
): Candidate {
  // An estimate with an engine error (PerfEstimate.perfError) never meets an SLO: its figures are not to be trusted.
  const trusted = perf === null || perf.perfError === null;
  return {
    gpuId: gpu.id,
    gpuCount,
    layout,
    memory,
    perf,
    concurrency,
    meetsSlo: meets && trusted,
    sweep: [],
    sweepOmitted: false,
    workloadRejection: rejection,
    placement: nodePlacement(gpu, layout),
  };
}

function evaluate(
  gpu: GpuSpec,
  layout: Layout,
  group: ReplicaGroup,
  req: RecommendRequest,
  priceUsdPerHour: number | undefined,
  rejection: WorkloadRejection | null,
  sweepMode: boolean,
): { candidate: Candidate; source: CandidateSource | null } {
  const gpuCount = layout.tp * layout.pp * layout.dp;
  const memory = group.memory;
  if (rejection !== null && memory.fits) {
    // The server starts (the plan stands) but refuses every request: no performance to claim.
    const note = rejectionMessage(rejection);
    const flagged: MemoryPlan = { ...memory, message: memory.message === null ? note : `${note} ${memory.message}` };
    return { candidate: candidateOf(gpu, gpuCount, layout, flagged, null, null, false, rejection), source: null };
  }
  const model = group.model;
  if (model === null) return { candidate: candidateOf(gpu, gpuCount, layout, memory, null, null, false), source: null };
  const dp = Math.max(1, layout.dp);
  const fleet = fleetTerms(gpu, layout, model, priceUsdPerHour);
  const source: CandidateSource = { group, fleet, dp };

  if (sweepMode) {
    const pick = groupPick(group, req.slo);
    if (pick === null) return { candidate: candidateOf(gpu, gpuCount, layout, memory, null, null, false), source: null };
    const concurrency = (group.points[pick.index] ?? 1) * dp;
    return { candidate: candidateOf(gpu, gpuCount, layout, memory, assembleEstimate(pick.result, dp, fleet), concurrency, pick.meetsSlo), source };
  }
  const requests = req.concurrency === 'max' ? DEFAULT_BENCHMARK_NUM_REQUESTS : Math.max(1, req.concurrency === 'sweep' ? 1 : req.concurrency);
  const busy = busyReplicas(dp, requests);
  const perf = assembleEstimate(runReplica(model, req.concurrency === 'max' ? 'burst' : 'closed-loop', requests / busy), busy, fleet);
  const concurrency = req.concurrency === 'max' || req.concurrency === 'sweep' ? null : req.concurrency;
  return { candidate: candidateOf(gpu, gpuCount, layout, memory, perf, concurrency, meetsSlo(perf, req.slo)), source };
}

/** Ranking order (indices): fitting and meeting the SLO first, then fitting, then the rest, engine errors last; cheapest per million output tokens first. */
function rankOrder(candidates: readonly Candidate[]): number[] {
  const n = candidates.length;
  const tier = new Float64Array(n);
  const usd = new Float64Array(n);
  const gpus = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const c = candidates[i];
    if (c === undefined) continue;
    tier[i] = c.perf === null ? 2 : c.perf.perfError !== null ? 3 : c.meetsSlo ? 0 : 1;
    usd[i] = c.perf?.usdPerMillionOutputTokens ?? Infinity;
    gpus[i] = c.gpuCount;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  // Stable sort: equal keys keep the enumeration order (GPU catalog order, then layout order).
  return order.sort((a, b) => (tier[a] ?? 0) - (tier[b] ?? 0) || (usd[a] ?? 0) - (usd[b] ?? 0) || (gpus[a] ?? 0) - (gpus[b] ?? 0));
}

/**
 * One configuration's replica group outside recommend's loop (evaluateConfiguration, sweepFor, and
 * the rate mode's simulated replicas, recommendAtRate.ts): the GPU's resolved serving options for
 * the request's engine, its cached plan, and replicaGroupOf on them — the plan, draft and replica
 * model recommend() ranks.
 */
export function replicaGroupFor(
  caches: ModelCaches,
  req: RecommendRequest,
  gpu: GpuSpec,
  layout: Layout,
  rejection: WorkloadRejection | null,
): { serving: ResolvedServingOptions; group: ReplicaGroup } {
  const serving = withEngine(resolveServing(req.serving, gpu), req.engine);
  const plan = cachedPlan(caches, gpu, gpuServingKeyOf(caches, gpu, serving), layout, serving);
  return { serving, group: replicaGroupOf(caches.arch, req, gpu, serving, plan, () => modelCostFor(caches, serving, layout), rejection) };
}

/**
 * One configuration as recommend() would rank it (same plan, load and operating point), without
 * enumerating the others: what a fix (fixes.ts) is checked against.
 */
export function evaluateConfiguration(caches: ModelCaches, req: RecommendRequest, gpu: GpuSpec, layout: Layout): Candidate {
  const rejection = workloadRejection(req);
  const { group } = replicaGroupFor(caches, req, gpu, layout, rejection);
  return evaluate(gpu, layout, group, req, req.priceOverridesUsdPerHour[gpu.id], rejection, req.concurrency === 'sweep').candidate;
}

/**
 * The full concurrency sweep of one configuration, for a row whose sweep was omitted
 * (`Candidate.sweepOmitted`): the same points and figures recommend() would have kept.
 */
export function sweepFor(caches: ModelCaches, req: RecommendRequest, gpu: GpuSpec, layout: Layout): SweepPoint[] {
  if (!validateRecommendRequest(req).ok || workloadRejection(req) !== null) return [];
  const { group } = replicaGroupFor(caches, req, gpu, layout, null);
  if (group.model === null) return [];
  const dp = Math.max(1, layout.dp);
  return sweepOf({ group, fleet: fleetTerms(gpu, layout, group.model, req.priceOverridesUsdPerHour[gpu.id]), dp });
}

/**
 * [disagg] The page's P/D rows (issue 12 item 5): one (prefill GPU, decode GPU) pair of
 * recommendDisagg.ts at a time, flattened into plain, serialisable figures (they cross the worker
 * boundary; no GpuSpec, memory plan or trace), with aggregated serving of the same rate beside it and
 * the launch commands of the plan (launch.ts). The page sends one pair per worker message, so a new
 * input gets in between pairs (state/disaggRunner.ts).
 *
 * The request is the page's closed-form RecommendRequest (serving settings, engine, lengths, prices,
 * GPU budget = both pools together) and its target rate. Prefix caching runs in the prefill pool and
 * speculative decoding in the decode pool (recommendDisagg.ts); a speculative setting that cannot be
 * resolved against the model is dropped from the request and named in `ignored`, so the page says it.
 */
import type { EngineSession } from '../session';
import type { ModelArch, RecommendRequest, SloPercentile, TargetLoad } from '../types';
import { withResolvedSpeculative } from '../recommend';
import { latencyAtPercentile } from '../sim/maxRate';
import { gpusPerReplica } from './simulateDisagg';
import type { DisaggPool } from './simulateDisagg';
import type { DisaggPairResult } from './recommendDisagg';
import { recommendDisagg } from './recommendDisagg';
import type { DisaggRouting } from './routing';
import type { DisaggLaunch } from './launch';
import { disaggLaunch } from './launch';

/** GPU types per role the page pairs at most (4 × 4 = 16 pairs, each 0.2–1.1 s of simulation measured for Qwen3-8B at 10 req/s: the CLI's MAX_DISAGG_GPU_PAIRS). */
export const MAX_PAGE_DISAGG_GPUS_PER_ROLE = 4;

export interface DisaggPairRequest {
  /** The page's request (its GPU budget is both pools' GPUs together). */
  request: RecommendRequest;
  target: TargetLoad;
  prefillGpuId: string;
  decodeGpuId: string;
  /** How the proxy picks each pool's replica (routing.ts); absent = round-robin, vLLM's proxy. */
  routing?: DisaggRouting;
}

/** One pool of a plan. */
export interface DisaggPoolRow {
  gpuId: string;
  tp: number;
  pp: number;
  /** Data-parallel ranks of one replica (> 1 only with expert parallelism: vLLM --data-parallel-size with --enable-expert-parallel). */
  dp: number;
  /** MoE experts split over the replica's tp × dp ranks (--enable-expert-parallel). */
  ep: boolean;
  replicas: number;
  gpusPerReplica: number;
  gpuCount: number;
  costUsdPerHour: number;
  kvCacheTokensPerReplica: number;
  keepsUp: boolean;
}

/** A P/D plan: its pools, the KV transfer and the deployment's figures at the target rate. */
export interface DisaggPlanFigures {
  prefill: DisaggPoolRow;
  decode: DisaggPoolRow;
  kvTransferMsPerRequest: number;
  kvTransferBytesPerRequest: number;
  kvTransferLink: { kind: string; bytesPerS: number; source: string };
  /** Latencies at the SLO percentile (request.target.slo.percentile). */
  ttftAtPercentileMs: number;
  itlAtPercentileMs: number;
  e2eAtPercentileMs: number;
  ttftMs: number;
  itlMs: number;
  /** Mean parts of TTFT (simulateDisagg.ts DisaggLatency). */
  ttftParts: { prefillMs: number; kvTransferMs: number; kvReadyStepWaitMs: number; decodeFirstTokenMs: number };
  totalGpus: number;
  costUsdPerHour: number;
  usdPerMillionOutputTokens: number | null;
  meetsSlo: boolean;
  launch: DisaggLaunch;
}

/** Aggregated serving of the same rate on the decode pool's shape (sizeDisagg.ts compareAggregated). */
export interface DisaggAggregatedFigures {
  gpuId: string;
  tp: number;
  pp: number;
  /** At the P/D plan's GPU count; null when not one copy fits in it. */
  atEqualGpus: {
    replicas: number;
    totalGpus: number;
    costUsdPerHour: number;
    usdPerMillionOutputTokens: number;
    /** At the SLO percentile; p95 is not kept by compareAggregated, so it reads p99 then (stated in `percentileShown`). */
    ttftAtPercentileMs: number;
    itlAtPercentileMs: number;
    percentileShown: SloPercentile;
    keepsUp: boolean;
    meetsSlo: boolean;
  } | null;
  /** The cheapest number of copies meeting the SLOs (the capacity plan); null figures when none does. */
  cheapest: {
    status: 'planned' | 'slo-unreachable' | 'not-simulated';
    totalGpus: number | null;
    costUsdPerHour: number | null;
    usdPerMillionOutputTokens: number | null;
    ttftAtPercentileMs: number | null;
    itlAtPercentileMs: number | null;
  };
}

/**
 * planned: the cheapest pair of replica counts meeting the SLOs; slo-unreachable: some pair keeps up,
 * none meets the SLOs (the closest is shown); cannot-keep-up: none of the counts tried keeps up;
 * over-gpu-budget: even each pool's fewest replicas exceed the budget; does-not-fit: the model fits
 * neither GPU at TP 1–8 (no PP or EP in P/D pools).
 */
export const DISAGG_ROW_STATUSES = ['planned', 'slo-unreachable', 'cannot-keep-up', 'over-gpu-budget', 'does-not-fit'] as const;
export type DisaggRowStatus = (typeof DISAGG_ROW_STATUSES)[number];

export interface DisaggRow {
  prefillGpuId: string;
  decodeGpuId: string;
  status: DisaggRowStatus;
  /** The plan (planned), or the closest one (slo-unreachable); null otherwise. */
  plan: DisaggPlanFigures | null;
  aggregated: DisaggAggregatedFigures | null;
  sloPercentile: SloPercentile;
  /** Request settings the P/D pools do not model, left out of this row (plain words). */
  ignored: string[];
  simulations: number;
  computeMs: number;
}

/** A stable key of one pair. */
export const disaggPairKey = (prefillGpuId: string, decodeGpuId: string): string => `${prefillGpuId}>${decodeGpuId}`;

/**
 * What the request asks for that the P/D pools leave out (plain words). The pools run prefix caching
 * (prefill pool) and speculative decoding (decode pool) since recommendDisagg.ts gained them; only a
 * speculative setting the model cannot take (e.g. MTP without declared layers) is left out.
 */
export function disaggIgnored(request: RecommendRequest, arch: ModelArch): string[] {
  const resolved = withResolvedSpeculative(arch, request);
  return resolved.ok ? [] : [`speculative decoding (${resolved.error.kind === 'invalid-request' ? resolved.error.reason : 'cannot be resolved'})`];
}

function poolRow(shape: Omit<DisaggPool, 'replicas'>, replicas: number, keepsUp: boolean): DisaggPoolRow {
  const gpus = gpusPerReplica(shape.layout);
  return {
    gpuId: shape.gpu.id,
    tp: shape.layout.tp,
    pp: shape.layout.pp,
    dp: shape.layout.ep ? Math.max(1, shape.layout.dp) : 1,
    ep: shape.layout.ep,
    replicas,
    gpusPerReplica: gpus,
    gpuCount: gpus * replicas,
    costUsdPerHour: gpus * replicas * shape.priceUsdPerHour,
    kvCacheTokensPerReplica: shape.memory.kvCacheTokens,
    keepsUp,
  };
}

/** The vLLM flags both pools were planned with (the launch commands must start what was planned). */
function plannedServeArgs(shape: Omit<DisaggPool, 'replicas'>): string[] {
  return [`--max-model-len ${shape.serving.maxModelLenTokens}`, `--gpu-memory-utilization ${shape.serving.gpuMemoryUtilization}`];
}

function planFigures(modelId: string, pair: DisaggPairResult, percentile: SloPercentile): DisaggPlanFigures | null {
  const plan = pair.search.best ?? pair.search.closest;
  if (plan === null) return null;
  const e = plan.estimate;
  const l = e.latency;
  const at = latencyAtPercentile(l, percentile);
  return {
    prefill: poolRow(pair.prefill, plan.prefillReplicas, e.prefillKeepsUp),
    decode: poolRow(pair.decode, plan.decodeReplicas, e.decodeKeepsUp),
    kvTransferMsPerRequest: e.kvTransferMsPerRequest,
    kvTransferBytesPerRequest: e.transfer.bytesPerRequest,
    kvTransferLink: { kind: e.transfer.link.kind, bytesPerS: e.transfer.link.bytesPerS, source: e.transfer.link.source },
    ttftAtPercentileMs: at.ttftMs,
    itlAtPercentileMs: at.itlMs,
    e2eAtPercentileMs: at.e2eMs,
    ttftMs: l.ttftMs,
    itlMs: l.itlMs,
    ttftParts: { prefillMs: l.prefillPartMs, kvTransferMs: l.kvTransferMs, kvReadyStepWaitMs: l.kvReadyStepWaitMs, decodeFirstTokenMs: l.decodeFirstTokenPartMs },
    totalGpus: e.totalGpus,
    costUsdPerHour: e.costUsdPerHour,
    usdPerMillionOutputTokens: e.usdPerMillionOutputTokens,
    meetsSlo: plan.meetsSlo,
    launch: disaggLaunch(modelId, { layout: pair.prefill.layout, replicas: plan.prefillReplicas }, { layout: pair.decode.layout, replicas: plan.decodeReplicas }, plannedServeArgs(pair.decode)),
  };
}

function aggregatedFigures(pair: DisaggPairResult, percentile: SloPercentile): DisaggAggregatedFigures | null {
  const a = pair.aggregated;
  if (a === null) return null;
  const eq = a.atEqualGpus;
  // compareAggregated keeps p50/p90/p99 of the equal-GPU run: p95 reads p99 (the stricter).
  const shown: SloPercentile = percentile === 95 ? 99 : percentile;
  const eqAt = (l: NonNullable<typeof eq>['latency']): { ttftMs: number; itlMs: number } =>
    shown === 50 ? { ttftMs: l.ttftP50Ms, itlMs: l.itlP50Ms } : shown === 90 ? { ttftMs: l.ttftP90Ms, itlMs: l.itlP90Ms } : { ttftMs: l.ttftP99Ms, itlMs: l.itlP99Ms };
  const plan = a.capacityPlan;
  const planned = plan.status === 'planned' ? plan : null;
  const plannedAt = planned === null ? null : latencyAtPercentile(planned.atTarget, percentile);
  return {
    gpuId: a.gpuId,
    tp: a.tp,
    pp: a.pp,
    atEqualGpus:
      eq === null
        ? null
        : {
            replicas: eq.replicas,
            totalGpus: eq.totalGpus,
            costUsdPerHour: eq.costUsdPerHour,
            usdPerMillionOutputTokens: eq.usdPerMillionOutputTokens,
            ttftAtPercentileMs: eqAt(eq.latency).ttftMs,
            itlAtPercentileMs: eqAt(eq.latency).itlMs,
            percentileShown: shown,
            keepsUp: eq.keepsUp,
            meetsSlo: eq.meetsSlo,
          },
    cheapest: {
      status: plan.status,
      totalGpus: planned?.totalGpus ?? null,
      costUsdPerHour: planned?.costUsdPerHour ?? null,
      usdPerMillionOutputTokens: planned?.usdPerMillionOutputTokens ?? null,
      ttftAtPercentileMs: plannedAt?.ttftMs ?? null,
      itlAtPercentileMs: plannedAt?.itlMs ?? null,
    },
  };
}

/** One (prefill GPU, decode GPU) pair sized for the target rate (recommendDisagg.ts), as a page row. */
export function disaggPairRow(session: EngineSession, req: DisaggPairRequest, clock: () => number = Date.now): DisaggRow {
  const t0 = clock();
  const { request, target } = req;
  const percentile = target.slo.percentile;
  const ignored = disaggIgnored(request, session.arch);
  const resolved = withResolvedSpeculative(session.arch, request);
  const speculative = resolved.ok ? resolved.value.speculative : undefined;
  const gpuOf = (id: string) => session.gpus.find((g) => g.id === id);
  const pg = gpuOf(req.prefillGpuId);
  const dg = gpuOf(req.decodeGpuId);
  const base = { prefillGpuId: req.prefillGpuId, decodeGpuId: req.decodeGpuId, sloPercentile: percentile, ignored };
  if (pg === undefined || dg === undefined) return { ...base, status: 'does-not-fit', plan: null, aggregated: null, simulations: 0, computeMs: Math.max(0, clock() - t0) };
  const result = recommendDisagg(
    session,
    {
      inputTokens: request.inputTokens,
      outputTokens: request.outputTokens,
      target,
      serving: request.serving,
      engine: request.engine,
      ...(speculative === undefined ? {} : { speculative }),
      prefillGpus: [pg],
      decodeGpus: [dg],
      priceOverridesUsdPerHour: request.priceOverridesUsdPerHour,
      maxGpus: request.maxGpus,
      ...(req.routing === undefined || req.routing === 'round-robin' ? {} : { routing: req.routing }),
    },
    clock,
  );
  const pair = result.pairs[0];
  const computeMs = Math.max(0, clock() - t0);
  if (pair === undefined) return { ...base, status: 'does-not-fit', plan: null, aggregated: null, simulations: result.simulations, computeMs };
  const plan = pair.search.best ?? pair.search.closest;
  const status: DisaggRowStatus =
    pair.search.best !== null ? 'planned' : plan !== null ? 'slo-unreachable' : pair.search.pairsInBudget === 0 ? 'over-gpu-budget' : 'cannot-keep-up';
  return {
    ...base,
    status,
    plan: planFigures(session.arch.modelId, pair, percentile),
    aggregated: aggregatedFigures(pair, percentile),
    simulations: result.simulations,
    computeMs,
  };
}

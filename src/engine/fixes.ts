/**
 * How a failing row passes (issue 14 item 3): for a configuration that does not fit, or fits but
 * misses a latency limit, the smallest single change to the request that makes it pass, found by
 * planning / estimating the changed request with the same engine (never guessed), plus what the row
 * misses (each limit against the row's achieved figure) and how far it is from passing.
 *
 * "Smallest" is an order of how much each change costs the user, cheapest first (a judgement, not a
 * measurement; the UI says which change it is):
 *   does not fit: shorter max_model_len (still ≥ the request) → FP8 KV cache → more GPUs (the
 *                 smallest layout of the same GPU that fits, no PP first) → a quantized checkpoint;
 *   misses SLO:   lower load (fixed concurrency) → the next TP (same GPU, twice the shards) → a looser
 *                 limit (the row's achieved figure, rounded up).
 * Fixes are computed for the best row of each GPU type and count (the compact table's rows) and at
 * most FIX_ROWS of them: each needs a few memory plans or one concurrency sweep.
 */
import type { Candidate, FixChange, GpuSpec, Layout, MissedLimit, ModelArch, RecommendRequest, RecommendResult, RowAdvice, SloLimits } from './types';
import type { ModelCaches } from './cache/modelCaches';
import { cachedPlan, enumerateLayouts, gpuServingKeyOf, evaluateConfiguration, sweepFor } from './recommend';
import { resolveServing } from './defaults';
import { withEngine } from './memory/engines/planEngineMemory';
import { meetsSlo, type SweepPoint } from './perf/sweep';
import { MAX_GPU_BUDGET } from './inputRules';

/** Rows examined per recommendation (each costs a few plans or one 12-point sweep, ~0.1–1 ms). */
export const FIX_ROWS = 60;

/** A shortened max_model_len is the request size rounded up to this many tokens (a round figure to type). */
export const MAX_MODEL_LEN_STEP_TOKENS = 1024;

/** What a failing row misses, with the achieved figures at its operating point. */
export function missedLimits(perf: { ttftMs: number; itlMs: number; e2eMs: number }, slo: SloLimits): MissedLimit[] {
  const out: MissedLimit[] = [];
  if (slo.maxTtftMs !== null && perf.ttftMs > slo.maxTtftMs) out.push({ limit: 'ttft', limitMs: slo.maxTtftMs, achievedMs: perf.ttftMs });
  if (slo.maxItlMs !== null && perf.itlMs > slo.maxItlMs) out.push({ limit: 'itl', limitMs: slo.maxItlMs, achievedMs: perf.itlMs });
  if (slo.maxE2eMs !== null && perf.e2eMs > slo.maxE2eMs) out.push({ limit: 'e2e', limitMs: slo.maxE2eMs, achievedMs: perf.e2eMs });
  return out;
}

/** A limit a user would type: the achieved figure rounded UP to two significant digits (so the row meets it). */
export function roundUpLimitMs(ms: number): number {
  if (!(ms > 0)) return 1;
  const step = Math.pow(10, Math.max(0, Math.floor(Math.log10(ms)) - 1));
  return Math.ceil(ms / step - 1e-9) * step;
}

/** Lower bound on the GPUs of this type the weights need: total weights over what one GPU's budget leaves after activations and non-torch memory. */
export function neededGpusLowerBound(c: Candidate): number | null {
  const m = c.memory;
  const replicaGpus = Math.max(1, c.layout.tp * c.layout.pp);
  const totalWeights = m.weightsBytesPerGpu * replicaGpus;
  const usablePerGpu = m.budgetBytes - m.activationPeakBytesPerGpu - m.nonTorchBytesPerGpu;
  if (!(totalWeights > 0) || !(usablePerGpu > 0)) return null;
  return Math.max(replicaGpus + 1, Math.ceil(totalWeights / usablePerGpu));
}

interface FixContext {
  caches: ModelCaches;
  req: RecommendRequest;
  gpu: GpuSpec;
}

/** The largest GPU budget a fix may ask for (the page's input stops below the CLI's). */
function budgetCapOf(req: RecommendRequest): number {
  return req.maxBudgetGpus ?? MAX_GPU_BUDGET;
}

/** Whether the (GPU, layout) fits with the request's serving settings changed as given. */
function fitsWith(ctx: FixContext, layout: Layout, change: Partial<RecommendRequest['serving']>): boolean {
  const serving = withEngine(resolveServing({ ...ctx.req.serving, ...change }, ctx.gpu), ctx.req.engine);
  if (ctx.req.inputTokens + ctx.req.outputTokens > serving.maxModelLenTokens) return false;
  return cachedPlan(ctx.caches, ctx.gpu, gpuServingKeyOf(ctx.caches, ctx.gpu, serving), layout, serving).fits;
}

/** Whether some point of a sweep meets the SLO (a sweep-mode row picks it; a fixed load names the highest). */
function passingPoint(sweep: readonly SweepPoint[], slo: SloLimits): SweepPoint | null {
  let best: SweepPoint | null = null;
  for (const p of sweep) if (p.perfError === null && meetsSlo(p, slo) && (best === null || p.outputTokensPerS > best.outputTokensPerS)) best = p;
  return best;
}

/** Layouts of one GPU with one replica, fewest GPUs first, no PP before PP (the simpler deployment). */
function replicaLayoutsBySize(arch: ModelArch): Layout[] {
  return enumerateLayouts(arch, Number.MAX_SAFE_INTEGER)
    .filter((l) => l.dp === 1 && !l.ep)
    .sort((a, b) => a.tp * a.pp - b.tp * b.pp || a.pp - b.pp);
}

function fixForNonFit(ctx: FixContext, c: Candidate, replicaLayouts: readonly Layout[]): FixChange | null {
  const s = ctx.req.serving;
  const requestTokens = ctx.req.inputTokens + ctx.req.outputTokens;
  // vLLM refuses the request: the only fix is a max_model_len that holds it.
  if (c.workloadRejection !== undefined) {
    const len = Math.ceil(requestTokens / MAX_MODEL_LEN_STEP_TOKENS) * MAX_MODEL_LEN_STEP_TOKENS;
    return fitsWith(ctx, c.layout, { maxModelLenTokens: len }) ? { kind: 'max-model-len', maxModelLenTokens: len } : null;
  }
  const shorter = Math.ceil(requestTokens / MAX_MODEL_LEN_STEP_TOKENS) * MAX_MODEL_LEN_STEP_TOKENS;
  if (shorter < s.maxModelLenTokens && fitsWith(ctx, c.layout, { maxModelLenTokens: shorter })) return { kind: 'max-model-len', maxModelLenTokens: shorter };
  if (s.kvCacheDtype !== 'fp8' && fitsWith(ctx, c.layout, { kvCacheDtype: 'fp8' })) return { kind: 'kv-cache-dtype', kvCacheDtype: 'fp8' };
  for (const layout of replicaLayouts) {
    const gpuCount = layout.tp * layout.pp;
    if (gpuCount <= c.layout.tp * c.layout.pp) continue;
    // Fewest GPUs first: past the largest budget the user can set, no later layout qualifies either.
    if (gpuCount > budgetCapOf(ctx.req)) break;
    if (fitsWith(ctx, layout, {})) return { kind: 'layout', gpuId: c.gpuId, layout, gpuCount, maxGpus: gpuCount > ctx.req.maxGpus ? gpuCount : null };
  }
  for (const weightPrecision of ['fp8', 'int4'] as const) {
    if (s.weightPrecision === weightPrecision) continue;
    if (fitsWith(ctx, c.layout, { weightPrecision })) return { kind: 'weight-precision', weightPrecision };
  }
  return null;
}

function fixForSloMiss(ctx: FixContext, c: Candidate, missed: readonly MissedLimit[], arch: ModelArch): FixChange | null {
  const req = ctx.req;
  if (typeof req.concurrency === 'number') {
    const point = passingPoint(sweepFor(ctx.caches, req, ctx.gpu, c.layout), req.slo);
    if (point !== null && point.concurrency < req.concurrency) return { kind: 'concurrency', concurrency: point.concurrency };
  }
  const tp = c.layout.tp * 2;
  const next: Layout = { ...c.layout, tp };
  const gpuCount = tp * c.layout.pp * Math.max(1, c.layout.dp);
  if (tp * c.layout.pp <= 8 && gpuCount <= budgetCapOf(req) && enumerateLayouts(arch, gpuCount).some((l) => l.tp === tp && l.pp === next.pp && l.dp === next.dp && l.ep === next.ep)) {
    // At the request's own load (a fixed count, saturation, or the sweep's best point).
    if (evaluateConfiguration(ctx.caches, req, ctx.gpu, next).meetsSlo) {
      return { kind: 'layout', gpuId: c.gpuId, layout: next, gpuCount, maxGpus: gpuCount > req.maxGpus ? gpuCount : null };
    }
  }
  const limits: Partial<SloLimits> = {};
  for (const m of missed) {
    const ms = roundUpLimitMs(m.achievedMs);
    if (m.limit === 'ttft') limits.maxTtftMs = ms;
    else if (m.limit === 'itl') limits.maxItlMs = ms;
    else limits.maxE2eMs = ms;
  }
  return missed.length === 0 ? null : { kind: 'slo', limits };
}

/** Passing rows: distance 0, no fix. */
const PASSING: RowAdvice = { missed: [], needsGpus: null, fix: null, passDistance: 0 };

/** Largest excess a distance counts (so a row missing by 10× and one missing by 100× both sort before non-fitting rows). */
const MAX_COUNTED_EXCESS = 0.999;

/** The advice for one row, without a fix (cheap: no planning). */
function adviceWithoutFix(c: Candidate, slo: SloLimits): RowAdvice {
  if (c.perf !== null && c.perf.perfError !== null) return { missed: [], needsGpus: null, fix: null, passDistance: 4 };
  if (c.perf === null) {
    const needs = c.workloadRejection === undefined ? neededGpusLowerBound(c) : null;
    return { missed: [], needsGpus: needs, fix: null, passDistance: 2 + Math.min(MAX_COUNTED_EXCESS, ((needs ?? c.gpuCount * 2) - c.gpuCount) / (needs ?? c.gpuCount * 2)) };
  }
  if (c.meetsSlo) return PASSING;
  const missed = missedLimits(c.perf, slo);
  const excess = Math.max(0, ...missed.map((m) => m.achievedMs / m.limitMs - 1));
  return { missed, needsGpus: null, fix: null, passDistance: 1 + Math.min(MAX_COUNTED_EXCESS, excess / (1 + excess)) };
}

/**
 * Advice for every row of a recommendation (aligned with `result.candidates`): what it misses and
 * its distance from passing for all; the fix for the best failing row of each GPU type and count,
 * at most FIX_ROWS of them.
 */
export function adviseIn(caches: ModelCaches, req: RecommendRequest, result: RecommendResult, gpus: readonly GpuSpec[]): RowAdvice[] {
  const advice = result.candidates.map((c) => adviceWithoutFix(c, req.slo));
  const byId = new Map(gpus.map((g) => [g.id, g]));
  const seen = new Set<string>();
  const replicaLayouts = replicaLayoutsBySize(caches.arch);
  const fixRow = (i: number): void => {
    const c = result.candidates[i];
    const a = advice[i];
    const gpu = c === undefined ? undefined : byId.get(c.gpuId);
    if (c === undefined || a === undefined || gpu === undefined) return;
    const ctx: FixContext = { caches, req, gpu };
    advice[i] = { ...a, fix: c.perf === null ? fixForNonFit(ctx, c, replicaLayouts) : fixForSloMiss(ctx, c, a.missed, caches.arch) };
  };
  let examined = 0;
  // The row closest to passing always gets its fix (the verdict names it when nothing passes).
  let closest = -1;
  for (let i = 0; i < advice.length; i += 1) {
    const d = advice[i]?.passDistance ?? 0;
    if (d > 0 && d < 4 && (closest < 0 || d < (advice[closest]?.passDistance ?? Infinity))) closest = i;
  }
  if (closest >= 0) {
    fixRow(closest);
    const c = result.candidates[closest];
    if (c !== undefined) seen.add(`${c.gpuId}|${c.gpuCount}`);
  }
  for (let i = 0; i < result.candidates.length && examined < FIX_ROWS; i += 1) {
    const c = result.candidates[i];
    const a = advice[i];
    if (c === undefined || a === undefined || a.passDistance === 0 || a.passDistance >= 4) continue;
    const key = `${c.gpuId}|${c.gpuCount}`;
    if (seen.has(key)) continue;
    seen.add(key);
    examined += 1;
    fixRow(i);
  }
  return advice;
}

/** The request with a fix applied (what the page's one click does to its inputs). */
export function applyFix(req: RecommendRequest, fix: FixChange): RecommendRequest {
  switch (fix.kind) {
    case 'max-model-len':
      return { ...req, serving: { ...req.serving, maxModelLenTokens: fix.maxModelLenTokens } };
    case 'kv-cache-dtype':
      return { ...req, serving: { ...req.serving, kvCacheDtype: fix.kvCacheDtype } };
    case 'weight-precision':
      return { ...req, serving: { ...req.serving, weightPrecision: fix.weightPrecision } };
    case 'layout':
      return fix.maxGpus === null ? req : { ...req, maxGpus: fix.maxGpus };
    case 'concurrency':
      return { ...req, concurrency: fix.concurrency };
    case 'slo':
      return { ...req, slo: { ...req.slo, ...fix.limits } };
    default: {
      const _exhaustive: never = fix;
      return _exhaustive;
    }
  }
}

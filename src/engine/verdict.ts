/**
 * The verdict (issue 14 item 1): one answer a newcomer reads in five seconds — which configuration to
 * serve on, at which operating point, why, and the nearest competitor with why it loses. A pure
 * function over a recommendation and its request; the page and the CLI format it.
 *
 * Ties: two costs within the stated error band (calibration.ts VALIDATION_ERROR_PCT.throughputPct —
 * cost per token is price / throughput, so it carries the throughput estimate's error) cannot be told
 * apart by this model, so they are called a tie and given to the simpler deployment: fewer GPUs, then
 * no pipeline parallelism, then a GPU whose price was read from a rental page (gpus.ts priceSource).
 */
import { catalogPriceStatus } from './priceSource';
import type {
  Candidate,
  CompetitorLoss,
  GpuSpec,
  MissedLimit,
  PickReason,
  RecommendRequest,
  RecommendResult,
  RowAdvice,
  Simplicity,
  Verdict,
  VerdictAtTarget,
  VerdictCompetitor,
  VerdictLoad,
  VerdictRow,
} from './types';
import { VALIDATION_ERROR_PCT } from './calibration';
import { missedLimits } from './fixes';

/** The band within which two costs are a tie, %: the in-sample median throughput error. */
export const TIE_BAND_PCT = VALIDATION_ERROR_PCT.throughputPct;

function rowOf(index: number, c: Candidate, atTargetOf?: (c: Candidate) => VerdictAtTarget | undefined): VerdictRow | null {
  const p = c.perf;
  if (p === null) return null;
  const atTarget = atTargetOf?.(c);
  return {
    ...(atTarget === undefined ? {} : { atTarget }),
    index,
    gpuId: c.gpuId,
    gpuCount: c.gpuCount,
    layout: c.layout,
    concurrency: c.concurrency,
    ttftMs: p.ttftMs,
    itlMs: p.itlMs,
    e2eMs: p.e2eMs,
    usdPerMillionOutputTokens: p.usdPerMillionOutputTokens,
    outputTokensPerS: p.outputTokensPerS,
    costUsdPerHour: p.costUsdPerHour,
  };
}

const usable = (c: Candidate): boolean => c.perf !== null && c.perf.perfError === null && Number.isFinite(c.perf.usdPerMillionOutputTokens);

/** Whether a GPU's reference price was read from a rental page (not an unverified list price, not an estimate: priceSource.ts). */
function sourcedPrice(gpuId: string, gpus: readonly GpuSpec[]): boolean {
  const g = gpus.find((x) => x.id === gpuId);
  return g !== undefined && catalogPriceStatus(g) === 'sourced';
}

/** The respects in which `a` is simpler than `b`, checked in tie-break order. */
function simplerBy(a: Candidate, b: Candidate, gpus: readonly GpuSpec[]): Simplicity[] {
  const out: Simplicity[] = [];
  if (a.gpuCount < b.gpuCount) out.push('fewer-gpus');
  if (a.layout.pp === 1 && b.layout.pp > 1) out.push('no-pp');
  if (sourcedPrice(a.gpuId, gpus) && !sourcedPrice(b.gpuId, gpus)) out.push('sourced-price');
  return out;
}

/** Tie-break key: fewer GPUs, no PP, sourced price, then cheaper. */
function simplerFirst(gpus: readonly GpuSpec[]) {
  return (a: Candidate, b: Candidate): number =>
    a.gpuCount - b.gpuCount ||
    Number(a.layout.pp > 1) - Number(b.layout.pp > 1) ||
    Number(!sourcedPrice(a.gpuId, gpus)) - Number(!sourcedPrice(b.gpuId, gpus)) ||
    (a.perf?.usdPerMillionOutputTokens ?? Infinity) - (b.perf?.usdPerMillionOutputTokens ?? Infinity);
}

const costOf = (c: Candidate): number => c.perf?.usdPerMillionOutputTokens ?? Infinity;
const pct = (a: number, b: number): number => (a / b - 1) * 100;
const sameConfig = (a: Candidate, b: Candidate): boolean =>
  a.gpuId === b.gpuId && a.gpuCount === b.gpuCount && a.layout.tp === b.layout.tp && a.layout.pp === b.layout.pp && a.layout.dp === b.layout.dp && a.layout.ep === b.layout.ep;

/** More or fewer replicas of the same replica layout: the same deployment scaled, no alternative to name. */
const replicaCopy = (a: Candidate, b: Candidate): boolean => a.gpuId === b.gpuId && a.layout.tp === b.layout.tp && a.layout.pp === b.layout.pp && a.layout.ep === b.layout.ep;

export interface VerdictOptions {
  /** GPUs of the recommendation (for the price sources); the catalog by default. */
  gpus: readonly GpuSpec[];
  /** Per-row advice (fixes.ts adviseIn), aligned with the candidates; needed for the "nothing passes" fixes. */
  advice?: readonly RowAdvice[];
  tieBandPct?: number;
  /**
   * [capacity] What a row misses, for the words: the closed form's means against the limits by
   * default; under a target rate the simulated percentiles (sloJudgement.ts). `meetsSlo` on the
   * candidates is the judgement either way.
   */
  missedOf?: (c: Candidate) => MissedLimit[];
  /** [capacity] A simulated row's figures at the target rate, quoted with it. */
  atTargetOf?: (c: Candidate) => VerdictAtTarget | undefined;
}

export function verdictOf(result: RecommendResult, req: RecommendRequest, options: VerdictOptions): Verdict {
  const { gpus, advice } = options;
  const missedOf = options.missedOf ?? ((c: Candidate): MissedLimit[] => (c.perf === null ? [] : missedLimits(c.perf, req.slo)));
  const row = (index: number, c: Candidate): VerdictRow | null => rowOf(index, c, options.atTargetOf);
  const band = options.tieBandPct ?? TIE_BAND_PCT;
  const load: VerdictLoad = req.concurrency === 'sweep' ? 'sweep' : req.concurrency === 'max' ? 'saturation' : 'fixed';
  const cs = result.candidates;
  const indexed = cs.map((c, index) => ({ c, index })).filter(({ c }) => usable(c));
  const meeting = indexed.filter(({ c }) => c.meetsSlo);
  const noSlo = req.slo.maxTtftMs === null && req.slo.maxItlMs === null && req.slo.maxE2eMs === null;

  if (meeting.length > 0) {
    const cheapest = meeting.reduce((a, b) => (costOf(b.c) < costOf(a.c) ? b : a));
    const limit = costOf(cheapest.c) * (1 + band / 100);
    const tied = meeting.filter(({ c }) => costOf(c) <= limit);
    const order = simplerFirst(gpus);
    const pick = tied.reduce((a, b) => (order(b.c, a.c) < 0 ? b : a));
    const pickRow = row(pick.index, pick.c);
    if (pickRow === null) return { kind: 'no-result' };
    const reason: PickReason = pick !== cheapest ? 'simpler-in-tie' : noSlo ? 'cheapest-no-slo' : 'cheapest-meeting-slo';
    return { kind: 'pick', pick: pickRow, reason, load, tieBandPct: band, competitor: competitorOf(pick, cheapest, indexed, meeting, band, gpus, row, missedOf) };
  }

  if (indexed.length > 0) {
    // Closest to passing: the smallest distance (fixes.ts), else the first fitting row.
    const dist = (i: number): number => advice?.[i]?.passDistance ?? 1.5;
    const closest = indexed.reduce((a, b) => (dist(b.index) < dist(a.index) ? b : a));
    const closestRow = row(closest.index, closest.c);
    if (closestRow === null || closest.c.perf === null) return { kind: 'no-result' };
    return { kind: 'none-meets-slo', closest: closestRow, missed: missedOf(closest.c), fix: advice?.[closest.index]?.fix ?? null, load };
  }

  if (cs.length === 0 || cs.every((c) => c.perf !== null)) return { kind: 'no-result' };
  // Nothing fits: the non-fitting row with a fix, closest to passing (fewest GPUs needed relative to what it has).
  let best: number | null = null;
  for (let i = 0; i < cs.length; i += 1) {
    const a = advice?.[i];
    if (a === undefined || a.fix === null) continue;
    if (best === null || a.passDistance < (advice?.[best]?.passDistance ?? Infinity)) best = i;
  }
  const c = best === null ? undefined : cs[best];
  if (best === null || c === undefined) {
    const first = cs.findIndex((x) => x.perf === null && x.workloadRejection === undefined);
    const f = first < 0 ? undefined : cs[first];
    return { kind: 'none-fits', closestIndex: f === undefined ? null : first, gpuId: f?.gpuId ?? null, needsGpus: (f === undefined ? null : advice?.[first]?.needsGpus) ?? null, fix: null };
  }
  return { kind: 'none-fits', closestIndex: best, gpuId: c.gpuId, needsGpus: advice?.[best]?.needsGpus ?? null, fix: advice?.[best]?.fix ?? null };
}

type Indexed = { c: Candidate; index: number };

function competitorOf(
  pick: Indexed,
  cheapest: Indexed,
  fitting: readonly Indexed[],
  meeting: readonly Indexed[],
  band: number,
  gpus: readonly GpuSpec[],
  rowOfIndexed: (index: number, c: Candidate) => VerdictRow | null,
  missedOf: (c: Candidate) => MissedLimit[],
): VerdictCompetitor | null {
  const pickCost = costOf(pick.c);
  const make = (x: Indexed, loss: CompetitorLoss): VerdictCompetitor | null => {
    const row = rowOfIndexed(x.index, x.c);
    return row === null ? null : { row, costDiffPct: pct(costOf(x.c), pickCost), loss };
  };
  // A cheaper meeting row lost a tie to the simpler pick.
  if (pick !== cheapest) return make(cheapest, { kind: 'tie', pickSimplerBy: simplerBy(pick.c, cheapest.c, gpus) });
  // The cheapest row that is cheaper than the pick but misses a limit: why the obvious saving is not taken.
  const cheaperMissing = fitting.filter(({ c }) => !c.meetsSlo && costOf(c) < pickCost && !replicaCopy(c, pick.c));
  if (cheaperMissing.length > 0) {
    const x = cheaperMissing.reduce((a, b) => (costOf(b.c) < costOf(a.c) ? b : a));
    if (x.c.perf !== null) return make(x, { kind: 'misses-slo', missed: missedOf(x.c) });
  }
  // Else the runner-up meeting the limits on another GPU type or count (a layout of the same GPUs is no alternative to name).
  const others = meeting.filter((x) => x !== pick && !sameConfig(x.c, pick.c) && !(x.c.gpuId === pick.c.gpuId && x.c.gpuCount === pick.c.gpuCount) && !replicaCopy(x.c, pick.c));
  if (others.length === 0) return null;
  const runnerUp = others.reduce((a, b) => (costOf(b.c) < costOf(a.c) ? b : a));
  const diff = pct(costOf(runnerUp.c), pickCost);
  return make(runnerUp, diff <= band ? { kind: 'tie', pickSimplerBy: simplerBy(pick.c, runnerUp.c, gpus) } : { kind: 'costs-more' });
}

/**
 * "Meets SLO" under a target request rate (issue 10 part 6): the limits are on a percentile (p99
 * TTFT ≤ 2 s …) of the latencies at that rate, which the simulator gives (sim/capacity.ts, a row's
 * CapacityPlan) and the closed form does not (it gives means at a concurrency). So a row the
 * simulator has planned is judged on its plan: 'planned' meets when the percentiles at the target,
 * split over its copies, are within every limit; 'slo-unreachable' misses (no rate meets them). A row
 * not simulated yet keeps the closed form's judgement — its mean latencies against the same limits,
 * optimistic for a percentile — marked 'closed-form-estimate' so the page can say it is an interim
 * estimate. The verdict (verdict.ts) is then taken over the judged rows, quoting the simulated
 * percentiles of a simulated row and saying what its judgement rests on (VerdictBasis).
 *
 * The ranking's cost stays the closed form's per-token cost for every row (one unit across simulated
 * and pending rows); the replicas column carries each plan's cost at the target.
 *
 * A row's fix (fixes.ts) for a missed latency limit — the next TP, a looser limit — is found on the
 * closed form's means (evaluateConfiguration): a rate search per fix tried (~9 runs) for up to
 * FIX_ROWS rows is beyond the page's budget. Where the fix is a layout whose own row in this result
 * has been simulated (the page simulates the visible rows; the searches are the session's), that row's
 * judgement decides at no extra run: it meets → the fix is 'simulated'; it misses → the fix is
 * withdrawn (it would not pass). Any other fix — a looser limit, a layout whose row is not simulated —
 * is simulated on demand: fixCheckAtTarget names the run (the session's cached searches; the page runs
 * it in its worker for the selected row, latest input wins) and its plan, carried back on the advice
 * (RowAdvice.fixCapacity), decides the same way. A layout fix's run is the fix's row at the target. A
 * looser limit's run is the row itself at the target with the limits the fix loosens lifted (copies
 * sized by the limits it keeps and the throughput): the offered limit is then that run's percentile
 * the SLO is judged at, rounded up as the closed-form fix rounds (fixes.ts roundUpLimitMs), not the
 * closed form's mean — so it passes its own simulated check (planned within it), where a limit at
 * the mean is often below the p99. A fix not simulated either way keeps the closed form's value and is
 * marked 'closed-form' (APPROXIMATION), so the page can say it (RowAdvice.fixCheckedOn, and the
 * verdict's).
 */
import type { CapacityPlan, Candidate, FixChange, Layout, MissedLimit, RecommendRequest, RecommendResult, RowAdvice, SloBasis, SloLimits, TargetLoad, VerdictAtTarget } from './types';
import type { VerdictOptions } from './verdict';
import { verdictOf } from './verdict';
import { applyFix, missedLimits, roundUpLimitMs } from './fixes';
import { latencyAtPercentile } from './sim/maxRate';

type PercentileLimits = TargetLoad['slo'];

export { latencyAtPercentile };

/** The limits a simulated plan misses at the target (empty when it meets them); null when the row has no simulated judgement. */
export function missedAtTarget(plan: CapacityPlan | null | undefined, slo: PercentileLimits): MissedLimit[] | null {
  if (plan === null || plan === undefined || plan.status === 'not-simulated') return null;
  if (plan.status === 'slo-unreachable') {
    // No rate meets the limits: every set limit is missed; the achieved figure is unknown (no run meets), so the limit itself stands in.
    const out: MissedLimit[] = [];
    if (slo.maxTtftMs !== null) out.push({ limit: 'ttft', limitMs: slo.maxTtftMs, achievedMs: Infinity });
    if (slo.maxItlMs !== null) out.push({ limit: 'itl', limitMs: slo.maxItlMs, achievedMs: Infinity });
    if (slo.maxE2eMs !== null) out.push({ limit: 'e2e', limitMs: slo.maxE2eMs, achievedMs: Infinity });
    return out;
  }
  return missedLimits(latencyAtPercentile(plan.atTarget, slo.percentile), slo);
}

function sameLayout(a: Layout, b: Layout): boolean {
  return a.tp === b.tp && a.pp === b.pp && a.dp === b.dp && a.ep === b.ep;
}

/** The target's percentile limits with a fix applied: a looser limit replaces the one it names. */
function limitsAfterFix(slo: PercentileLimits, fix: FixChange): PercentileLimits {
  return fix.kind === 'slo' ? { ...slo, ...fix.limits } : slo;
}

/** A looser-limit fix with the limits it names lifted (null): the row's run at the target that the offered limits are read from. */
function liftedLimits(fix: Extract<FixChange, { kind: 'slo' }>): Extract<FixChange, { kind: 'slo' }> {
  const limits: Partial<SloLimits> = {};
  if (fix.limits.maxTtftMs !== undefined) limits.maxTtftMs = null;
  if (fix.limits.maxItlMs !== undefined) limits.maxItlMs = null;
  if (fix.limits.maxE2eMs !== undefined) limits.maxE2eMs = null;
  return { kind: 'slo', limits };
}

/**
 * The run that checks a row's fix at the target, on the fix's GPU and layout (a 'layout' fix) or the
 * row's own. A layout fix: the request with the fix applied. A looser limit: the row at the target
 * with the limits the fix names lifted (in the request and the target's percentile limits), the
 * others kept — the run whose percentiles give the limit offered (fixJudgedAtTarget). The session's
 * candidateCapacity of it is the fix's plan (RowAdvice.fixCapacity).
 */
export function fixCheckAtTarget(
  req: RecommendRequest,
  target: TargetLoad,
  row: Pick<Candidate, 'gpuId' | 'layout'>,
  fix: FixChange,
): { request: RecommendRequest; target: TargetLoad; gpuId: string; layout: Layout } {
  const applied = fix.kind === 'slo' ? liftedLimits(fix) : fix;
  const request = applyFix(req, applied);
  const checked: TargetLoad = applied.kind === 'slo' ? { ...target, slo: limitsAfterFix(target.slo, applied) } : target;
  return fix.kind === 'layout' ? { request, target: checked, gpuId: fix.gpuId, layout: fix.layout } : { request, target: checked, gpuId: row.gpuId, layout: row.layout };
}

/**
 * A looser limit read off the row's simulated run at the target (fixCheckAtTarget's plan): each limit
 * the fix names at the run's percentile, rounded up (roundUpLimitMs); null when the run did not plan
 * (the kept limits are out of reach) or the figure is within the target's own limit (no looser limit
 * to offer).
 */
function simulatedLooserLimit(fix: Extract<FixChange, { kind: 'slo' }>, plan: CapacityPlan, slo: PercentileLimits): FixChange | null {
  if (plan.status !== 'planned') return null;
  const at = latencyAtPercentile(plan.atTarget, slo.percentile);
  const limits: Partial<SloLimits> = {};
  const looser = (achievedMs: number, limitMs: number | null): number | null => {
    const ms = roundUpLimitMs(achievedMs);
    return Number.isFinite(ms) && (limitMs === null || ms > limitMs) ? ms : null;
  };
  let any = false;
  for (const [key, achievedMs] of [
    ['maxTtftMs', at.ttftMs],
    ['maxItlMs', at.itlMs],
    ['maxE2eMs', at.e2eMs],
  ] as const) {
    if (fix.limits[key] === undefined) continue;
    const ms = looser(achievedMs, slo[key]);
    // Within the target's own limit: that limit is not what the row misses at the target.
    if (ms === null) continue;
    limits[key] = ms;
    any = true;
  }
  return any ? { kind: 'slo', limits } : null;
}

/** A fitting row's advice with its fix judged at the target (see judgeAtTargetRate): 'simulated', withdrawn, or 'closed-form'. */
function fixJudgedAtTarget(a: RowAdvice, judged: readonly Candidate[], target: TargetLoad): RowAdvice {
  const fix = a.fix;
  if (fix === null) return a;
  if (fix.kind === 'layout') {
    const row = judged.find((c) => c.gpuId === fix.gpuId && sameLayout(c.layout, fix.layout));
    if (row !== undefined && row.sloBasis === 'simulated') return row.meetsSlo ? { ...a, fixCheckedOn: 'simulated' } : { ...a, fix: null };
  }
  if (fix.kind === 'slo' && a.fixCapacity !== undefined) {
    // The row's own run at the target with the fix's limits lifted: the looser limit is its percentile.
    const plan = a.fixCapacity;
    if (plan === null) return { ...a, fix: null };
    if (plan.status === 'not-simulated') return { ...a, fixCheckedOn: 'simulating' };
    const offered = simulatedLooserLimit(fix, plan, target.slo);
    if (offered === null) return { ...a, fix: null };
    // Its own check: the run within the offered limits and the kept ones (by construction; asserted here, not assumed).
    const missed = missedAtTarget(plan, limitsAfterFix(target.slo, offered));
    return missed !== null && missed.length === 0 ? { ...a, fix: offered, fixCheckedOn: 'simulated' } : { ...a, fix: null };
  }
  if (a.fixCapacity !== undefined) {
    // The fix's own simulated run (fixCheckAtTarget), within the limits the fix leaves.
    const plan = a.fixCapacity;
    // A fix whose changed row does not fit (null) or misses there is withdrawn: it would not pass.
    if (plan === null) return { ...a, fix: null };
    if (plan.status === 'not-simulated') return { ...a, fixCheckedOn: 'simulating' };
    const missed = missedAtTarget(plan, limitsAfterFix(target.slo, fix));
    if (missed !== null) return plan.status === 'planned' && missed.length === 0 ? { ...a, fixCheckedOn: 'simulated' } : { ...a, fix: null };
  }
  return { ...a, fixCheckedOn: 'closed-form' };
}

/** A row's judgement: simulated (its plan) or the closed form's estimate. */
export function judgeRow(c: Candidate, slo: PercentileLimits): { meetsSlo: boolean; sloBasis: SloBasis } {
  const missed = missedAtTarget(c.capacity, slo);
  if (missed === null) return { meetsSlo: c.meetsSlo, sloBasis: 'closed-form-estimate' };
  return { meetsSlo: c.capacity?.status === 'planned' && missed.length === 0, sloBasis: 'simulated' };
}

function atTargetOf(c: Candidate, target: TargetLoad): VerdictAtTarget | undefined {
  const plan = c.capacity;
  if (plan === null || plan === undefined || plan.status !== 'planned') return undefined;
  return {
    percentile: target.slo.percentile,
    targetRequestsPerS: plan.targetRequestsPerS,
    replicasNeeded: plan.replicasNeeded,
    ...latencyAtPercentile(plan.atTarget, target.slo.percentile),
    costUsdPerHour: plan.costUsdPerHour,
  };
}

/**
 * The recommendation judged at the target rate: each candidate's meetsSlo and sloBasis as above, and
 * the verdict over them with its basis. The result itself when no row fits.
 */
export function judgeAtTargetRate(result: RecommendResult, req: RecommendRequest, target: TargetLoad, options: VerdictOptions): RecommendResult {
  const slo = target.slo;
  const candidates = result.candidates.map((c) => (c.perf === null ? c : { ...c, ...judgeRow(c, slo) }));
  // Fixes of rows that fit (a non-fitting row's fix is a memory plan: exact): judged by the fix's own simulated row where there is one.
  const advice = result.advice?.map((a, i) => (result.candidates[i]?.perf != null ? fixJudgedAtTarget(a, candidates, target) : a));
  const verdictOptions: VerdictOptions = advice === undefined ? options : { ...options, advice };
  // "Cheapest meeting SLO" (result.best) as recommend() picks it — the first ranked row that meets —
  // over the rows as judged here, so the badge and the verdict rest on the same judgement.
  const firstMeeting = candidates.findIndex((c) => c.perf !== null && c.perf.perfError === null && c.meetsSlo);
  const judged: RecommendResult = {
    ...result,
    candidates,
    best: { ...result.best, cheapestMeetingSlo: firstMeeting >= 0 ? firstMeeting : null },
    ...(advice === undefined ? {} : { advice }),
  };
  let simulatedRows = 0;
  let estimatedRows = 0;
  for (const c of candidates) {
    if (c.sloBasis === 'simulated') simulatedRows += 1;
    else if (c.sloBasis === 'closed-form-estimate') estimatedRows += 1;
  }
  const verdict = verdictOf(judged, req, {
    ...verdictOptions,
    missedOf: (c) => missedAtTarget(c.capacity, slo) ?? (c.perf === null ? [] : missedLimits(c.perf, slo)),
    atTargetOf: (c) => atTargetOf(c, target),
  });
  const deciding = verdict.kind === 'pick' ? verdict.pick.index : verdict.kind === 'none-meets-slo' ? verdict.closest.index : null;
  if (deciding === null || (verdict.kind !== 'pick' && verdict.kind !== 'none-meets-slo')) return { ...judged, verdict };
  const basis = {
    percentile: slo.percentile,
    targetRequestsPerS: target.ratePerS,
    simulatedRows,
    estimatedRows,
    decidingRowSimulated: candidates[deciding]?.sloBasis === 'simulated',
  };
  const fixCheckedOn = verdict.kind === 'none-meets-slo' && verdict.fix !== null ? advice?.[verdict.closest.index]?.fixCheckedOn : undefined;
  if (verdict.kind === 'none-meets-slo' && fixCheckedOn !== undefined) return { ...judged, verdict: { ...verdict, basis, fixCheckedOn } };
  return { ...judged, verdict: { ...verdict, basis } };
}

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
 * is simulated on demand: fixCheckAtTarget names the run (the row's capacity plan with the fix applied,
 * the session's cached searches; the page runs it in its worker for the selected row, latest input
 * wins) and its plan, carried back on the advice (RowAdvice.fixCapacity), decides the same way. A fix
 * not simulated either way is marked 'closed-form' (APPROXIMATION), so the page can say it
 * (RowAdvice.fixCheckedOn, and the verdict's).
 */
import type { CapacityPlan, Candidate, FixChange, Layout, MissedLimit, RecommendRequest, RecommendResult, RowAdvice, SloBasis, TargetLoad, VerdictAtTarget } from './types';
import type { VerdictOptions } from './verdict';
import { verdictOf } from './verdict';
import { applyFix, missedLimits } from './fixes';
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

/**
 * The run that checks a row's fix at the target: the request and target with the fix applied (a looser
 * limit loosens the target's percentile limits too, as the page's one click does), on the fix's GPU
 * and layout (a 'layout' fix) or the row's own. The session's candidateCapacity of it is the fix's
 * plan (RowAdvice.fixCapacity).
 */
export function fixCheckAtTarget(
  req: RecommendRequest,
  target: TargetLoad,
  row: Pick<Candidate, 'gpuId' | 'layout'>,
  fix: FixChange,
): { request: RecommendRequest; target: TargetLoad; gpuId: string; layout: Layout } {
  const request = applyFix(req, fix);
  const checked: TargetLoad = fix.kind === 'slo' ? { ...target, slo: limitsAfterFix(target.slo, fix) } : target;
  return fix.kind === 'layout' ? { request, target: checked, gpuId: fix.gpuId, layout: fix.layout } : { request, target: checked, gpuId: row.gpuId, layout: row.layout };
}

/** A fitting row's advice with its fix judged at the target (see judgeAtTargetRate): 'simulated', withdrawn, or 'closed-form'. */
function fixJudgedAtTarget(a: RowAdvice, judged: readonly Candidate[], target: TargetLoad): RowAdvice {
  const fix = a.fix;
  if (fix === null) return a;
  if (fix.kind === 'layout') {
    const row = judged.find((c) => c.gpuId === fix.gpuId && sameLayout(c.layout, fix.layout));
    if (row !== undefined && row.sloBasis === 'simulated') return row.meetsSlo ? { ...a, fixCheckedOn: 'simulated' } : { ...a, fix: null };
  }
  if (a.fixCapacity !== undefined) {
    // The fix's own simulated run (fixCheckAtTarget), within the limits the fix leaves.
    const plan = a.fixCapacity;
    // A fix whose changed row does not fit (null) or misses there is withdrawn: it would not pass.
    const missed = missedAtTarget(plan, limitsAfterFix(target.slo, fix));
    if (plan === null) return { ...a, fix: null };
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

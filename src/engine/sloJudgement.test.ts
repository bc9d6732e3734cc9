import { describe, expect, it } from 'vitest';
import { GPU_CATALOG } from './catalog/gpus';
import { DEFAULT_SERVING_SETTINGS } from './defaults';
import { createEngineSession } from './session';
import { fixCheckAtTarget, judgeAtTargetRate, judgeRow, latencyAtPercentile, missedAtTarget } from './sloJudgement';
import type { CapacityLatency, CapacityPlan, Candidate, FixChange, RecommendRequest, RecommendResult, TargetLoad } from './types';
import { fixtureArch } from './fixtureArch.testing';

const request: RecommendRequest = {
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_SERVING_SETTINGS,
  slo: { maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null },
  maxGpus: 4,
  gpuIds: ['H100', 'A100-80GB', 'L40S'],
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
};
const target: TargetLoad = { ratePerS: 20, burstiness: 1, slo: { percentile: 99, maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null } };

/** Simulated latencies at the target: means well inside the limits, the p99 as given. */
const latency = (ttftP99Ms: number, itlP99Ms: number): CapacityLatency => ({
  ttftMs: 200,
  ttftP50Ms: 180,
  ttftP90Ms: 400,
  ttftP95Ms: 600,
  ttftP99Ms,
  itlMs: 15,
  itlP50Ms: 14,
  itlP90Ms: 20,
  itlP95Ms: 25,
  itlP99Ms,
  e2eMs: 3000,
  e2eP50Ms: 2900,
  e2eP90Ms: 3500,
  e2eP95Ms: 3700,
  e2eP99Ms: 4000,
  preemptions: 0,
  simulatedRequests: 300,
});
const planned = (at: CapacityLatency): CapacityPlan => ({
  status: 'planned',
  targetRequestsPerS: 20,
  maxRatePerReplicaRequestsPerS: 8,
  replicasNeeded: 3,
  totalGpus: 3,
  costUsdPerHour: 9,
  usdPerMillionOutputTokens: 0.6,
  atTarget: at,
  simulations: 9,
});
const UNREACHABLE: CapacityPlan = { status: 'slo-unreachable', targetRequestsPerS: 20, maxRatePerReplicaRequestsPerS: 0, replicasNeeded: null, totalGpus: null, costUsdPerHour: null, usdPerMillionOutputTokens: null, atTarget: null, simulations: 14 };
const PENDING: CapacityPlan = { status: 'not-simulated', targetRequestsPerS: 20, boundUsdPerHour: null };

describe('judging rows at a target rate (sloJudgement.ts)', () => {
  const session = createEngineSession(fixtureArch('meta-llama__Llama-3.1-8B-Instruct'));
  const result = session.recommendWithAdvice(request);
  const fitting = result.candidates.map((c, i) => ({ c, i })).filter(({ c }) => c.perf !== null && c.perf.perfError === null);
  const withPlans = (plans: ReadonlyMap<number, CapacityPlan>): RecommendResult => ({
    ...result,
    candidates: result.candidates.map((c, i) => (plans.has(i) ? { ...c, capacity: plans.get(i) ?? null } : c)),
  });
  const judged = (plans: ReadonlyMap<number, CapacityPlan>): RecommendResult => judgeAtTargetRate(withPlans(plans), request, target, { gpus: GPU_CATALOG, advice: result.advice });

  it('latencyAtPercentile reads the limits percentile of the plan (p95 included)', () => {
    const l = latency(1500, 45);
    expect(latencyAtPercentile(l, 99)).toEqual({ ttftMs: 1500, itlMs: 45, e2eMs: 4000 });
    expect(latencyAtPercentile(l, 95)).toEqual({ ttftMs: 600, itlMs: 25, e2eMs: 3700 });
    expect(latencyAtPercentile(l, 50)).toEqual({ ttftMs: 180, itlMs: 14, e2eMs: 2900 });
  });

  it('a planned row is judged on its simulated p99, not the closed-form means: means inside, p99 ITL over → misses', () => {
    const base = fitting[0]?.c;
    expect(base).toBeDefined();
    if (base === undefined) return;
    const meansPass: Candidate = { ...base, meetsSlo: true, capacity: planned(latency(1500, 72)) };
    expect(judgeRow(meansPass, target.slo)).toEqual({ meetsSlo: false, sloBasis: 'simulated' });
    expect(missedAtTarget(meansPass.capacity, target.slo)).toEqual([{ limit: 'itl', limitMs: 50, achievedMs: 72 }]);
    // And the other way: the closed form says no, the simulated p99 at the target says yes.
    const meansFail: Candidate = { ...base, meetsSlo: false, capacity: planned(latency(1500, 45)) };
    expect(judgeRow(meansFail, target.slo)).toEqual({ meetsSlo: true, sloBasis: 'simulated' });
    expect(judgeRow({ ...base, capacity: UNREACHABLE }, target.slo)).toEqual({ meetsSlo: false, sloBasis: 'simulated' });
  });

  it('a row not simulated yet keeps the closed form’s answer, marked as an estimate', () => {
    for (const plan of [PENDING, undefined]) {
      const c = fitting[0]?.c;
      if (c === undefined) return;
      expect(judgeRow({ ...c, capacity: plan }, target.slo)).toEqual({ meetsSlo: c.meetsSlo, sloBasis: 'closed-form-estimate' });
    }
  });

  it('the verdict never picks a row whose simulated p99 misses, and quotes the simulated p99 of the row it picks', () => {
    const before = judged(new Map());
    expect(before.verdict?.kind).toBe('pick');
    if (before.verdict?.kind !== 'pick') return;
    // Every row still an estimate: the verdict says so.
    expect(before.verdict.basis).toMatchObject({ percentile: 99, targetRequestsPerS: 20, simulatedRows: 0, decidingRowSimulated: false });
    const first = before.verdict.pick.index;
    // Simulated: the closed form's pick misses its p99 ITL at the target; the runner-up meets it.
    const meetingOthers = fitting.filter(({ c, i }) => i !== first && c.meetsSlo);
    const second = meetingOthers[0]?.i;
    expect(second).toBeDefined();
    if (second === undefined) return;
    const after = judged(
      new Map([
        [first, planned(latency(1500, 72))],
        [second, planned(latency(1200, 40))],
      ]),
    );
    expect(after.candidates[first]).toMatchObject({ meetsSlo: false, sloBasis: 'simulated' });
    expect(after.candidates[second]).toMatchObject({ meetsSlo: true, sloBasis: 'simulated' });
    // The "Cheapest meeting SLO" badge moves off the row whose simulated p99 misses, as the verdict does.
    expect(before.best.cheapestMeetingSlo).toBe(before.candidates.findIndex((c) => c.perf !== null && c.meetsSlo));
    const badge = after.best.cheapestMeetingSlo;
    expect(badge).not.toBe(first);
    expect(badge === null ? null : after.candidates[badge]?.meetsSlo).toBe(true);
    const v = after.verdict;
    expect(v?.kind).toBe('pick');
    if (v?.kind !== 'pick') return;
    expect(v.pick.index).not.toBe(first);
    expect(v.basis?.simulatedRows).toBe(2);
    if (v.pick.index === second) {
      expect(v.pick.atTarget).toEqual({ percentile: 99, targetRequestsPerS: 20, replicasNeeded: 3, ttftMs: 1200, itlMs: 40, e2eMs: 4000, costUsdPerHour: 9 });
      expect(v.basis?.decidingRowSimulated).toBe(true);
    } else {
      // A cheaper row not simulated yet won: the verdict is an interim estimate and says so.
      expect(v.pick.atTarget).toBeUndefined();
      expect(v.basis?.decidingRowSimulated).toBe(false);
    }
    // The closed form's pick, cheaper but missing its simulated p99, is named with the simulated figure.
    if (v.competitor?.loss.kind === 'misses-slo' && v.competitor.row.index === first) {
      expect(v.competitor.loss.missed).toEqual([{ limit: 'itl', limitMs: 50, achievedMs: 72 }]);
    }
  });

  it('when every simulated row misses, the verdict names the limits at their simulated percentiles', () => {
    const plans = new Map<number, CapacityPlan>(fitting.map(({ i }) => [i, planned(latency(2500, 72))]));
    const v = judged(plans).verdict;
    expect(v?.kind).toBe('none-meets-slo');
    if (v?.kind !== 'none-meets-slo') return;
    expect(v.missed).toEqual([
      { limit: 'ttft', limitMs: 2000, achievedMs: 2500 },
      { limit: 'itl', limitMs: 50, achievedMs: 72 },
    ]);
    expect(v.basis).toMatchObject({ simulatedRows: fitting.length, estimatedRows: 0, decidingRowSimulated: true });
  });

  it('under a target rate, fixes of fitting rows say they were checked on the closed form (an approximation); without one they do not', () => {
    // ITL ≤ 1 ms: no row meets it, so the fitting rows get a fix (a looser limit at least).
    const tight: RecommendRequest = { ...request, slo: { maxTtftMs: 2000, maxItlMs: 1, maxE2eMs: null } };
    const tightTarget: TargetLoad = { ...target, slo: { ...target.slo, maxItlMs: 1 } };
    const plain = session.recommendWithAdvice(tight);
    const fixedFitting = (plain.advice ?? []).filter((a, i) => a.fix !== null && plain.candidates[i]?.perf != null);
    expect(fixedFitting.length).toBeGreaterThan(0);
    // Without a target rate the closed form is the judge: nothing to say.
    expect((plain.advice ?? []).every((a) => a.fixCheckedOn === undefined)).toBe(true);
    const r = judgeAtTargetRate(plain, tight, tightTarget, { gpus: GPU_CATALOG, advice: plain.advice });
    (r.advice ?? []).forEach((a, i) => {
      const fitting = r.candidates[i]?.perf != null;
      expect(a.fixCheckedOn).toBe(a.fix !== null && fitting ? 'closed-form' : undefined);
    });
    expect(r.verdict?.kind).toBe('none-meets-slo');
    if (r.verdict?.kind !== 'none-meets-slo') return;
    expect(r.verdict.fix).not.toBeNull();
    expect(r.verdict.fixCheckedOn).toBe('closed-form');
  });

  it('a layout fix whose own row is simulated at the target is judged there: meets → simulated, misses → withdrawn, not simulated → closed form', () => {
    const [from, to] = fitting;
    if (from === undefined || to === undefined) throw new Error('fixture needs two fitting rows');
    const fix = { kind: 'layout' as const, gpuId: to.c.gpuId, layout: to.c.layout, gpuCount: to.c.gpuCount, maxGpus: null };
    const advice = (result.advice ?? []).map((a, i) => (i === from.i ? { ...a, fix } : a));
    const withFix = (plans: ReadonlyMap<number, CapacityPlan>): RecommendResult => ({ ...withPlans(plans), advice });
    const adviceOf = (plans: ReadonlyMap<number, CapacityPlan>) => judgeAtTargetRate(withFix(plans), request, target, { gpus: GPU_CATALOG, advice }).advice?.[from.i];
    expect(adviceOf(new Map([[to.i, planned(latency(900, 30))]]))).toMatchObject({ fix, fixCheckedOn: 'simulated' });
    expect(adviceOf(new Map([[to.i, planned(latency(2500, 72))]]))?.fix).toBeNull();
    expect(adviceOf(new Map([[to.i, UNREACHABLE]]))?.fix).toBeNull();
    expect(adviceOf(new Map([[to.i, PENDING]]))).toMatchObject({ fix, fixCheckedOn: 'closed-form' });
  });

  it('fixCheckAtTarget: a looser limit runs the row itself with the limit it names lifted (the others kept); a layout fix runs on its layout', () => {
    const row = fitting[0]?.c;
    if (row === undefined) throw new Error('fixture needs a fitting row');
    const slo: FixChange = { kind: 'slo', limits: { maxItlMs: 80 } };
    const run = fixCheckAtTarget(request, target, row, slo);
    expect(run.request.slo).toEqual({ maxTtftMs: 2000, maxItlMs: null, maxE2eMs: null });
    expect(run.target.slo).toEqual({ percentile: 99, maxTtftMs: 2000, maxItlMs: null, maxE2eMs: null });
    expect(run.target.ratePerS).toBe(20);
    expect({ gpuId: run.gpuId, layout: run.layout }).toEqual({ gpuId: row.gpuId, layout: row.layout });
    const wider: FixChange = { kind: 'layout', gpuId: 'H100', layout: { tp: 4, pp: 1, dp: 1, ep: false }, gpuCount: 4, maxGpus: 8 };
    const moved = fixCheckAtTarget(request, target, row, wider);
    expect({ gpuId: moved.gpuId, layout: moved.layout, maxGpus: moved.request.maxGpus }).toEqual({ gpuId: 'H100', layout: wider.layout, maxGpus: 8 });
    expect(moved.target).toBe(target);
  });

  it("a looser limit follows the row's simulated run at the target (RowAdvice.fixCapacity), not the closed form's mean: offered at its p99 rounded up, checked 'simulated'", () => {
    const from = fitting[0];
    if (from === undefined) throw new Error('fixture needs a fitting row');
    // The closed form's looser ITL limit: 80 ms, from its mean (the target's 50 ms at p99 missed).
    const fix: FixChange = { kind: 'slo', limits: { maxItlMs: 80 } };
    const adviceOf = (fixCapacity: CapacityPlan | null | undefined) => {
      const advice = (result.advice ?? []).map((a, i) => (i === from.i ? { ...a, fix, ...(fixCapacity === undefined ? {} : { fixCapacity }) } : a));
      return judgeAtTargetRate({ ...result, advice }, request, target, { gpus: GPU_CATALOG, advice }).advice?.[from.i];
    };
    // Simulated p99 ITL 72 ms (mean 15 ms): the offered limit is 72, the check met on the simulation.
    expect(adviceOf(planned(latency(900, 72)))).toMatchObject({ fix: { kind: 'slo', limits: { maxItlMs: 72 } }, fixCheckedOn: 'simulated' });
    // p99 94.3 ms, above the closed form's 80: the limit follows it up (rounded up to two digits), met, not withdrawn.
    expect(adviceOf(planned(latency(900, 94.3)))).toMatchObject({ fix: { kind: 'slo', limits: { maxItlMs: 95 } }, fixCheckedOn: 'simulated' });
    // Within the target's own 50 ms once sized: no looser limit to offer.
    expect(adviceOf(planned(latency(900, 41)))?.fix).toBeNull();
    // The kept limits out of reach even with this one lifted: withdrawn.
    expect(adviceOf(UNREACHABLE)?.fix).toBeNull();
    expect(adviceOf(null)?.fix).toBeNull();
    // Not asked for: the closed form's check, said so; asked for and not back: 'simulating' (the same check meanwhile).
    expect(adviceOf(undefined)).toMatchObject({ fix, fixCheckedOn: 'closed-form' });
    expect(adviceOf(PENDING)).toMatchObject({ fix, fixCheckedOn: 'simulating' });
  });

  it("a fix whose own run is under way (fixCapacity 'not-simulated') is 'simulating', then decided by that run", () => {
    const from = fitting[0];
    if (from === undefined) throw new Error('fixture needs a fitting row');
    const fix: FixChange = { kind: 'kv-cache-dtype', kvCacheDtype: 'fp8' };
    const adviceOf = (fixCapacity: CapacityPlan | null | undefined) => {
      const advice = (result.advice ?? []).map((a, i) => (i === from.i ? { ...a, fix, ...(fixCapacity === undefined ? {} : { fixCapacity }) } : a));
      return judgeAtTargetRate({ ...result, advice }, request, target, { gpus: GPU_CATALOG, advice }).advice?.[from.i];
    };
    expect(adviceOf(undefined)).toMatchObject({ fix, fixCheckedOn: 'closed-form' });
    expect(adviceOf(PENDING)).toMatchObject({ fix, fixCheckedOn: 'simulating' });
    expect(adviceOf(planned(latency(900, 30)))).toMatchObject({ fix, fixCheckedOn: 'simulated' });
    expect(adviceOf(planned(latency(2500, 30)))?.fix).toBeNull();
  });

  it("the session's capacity plan of fixCheckAtTarget gives the looser limit, and that limit passes its own simulated run", () => {
    const row = fitting[0]?.c;
    if (row === undefined) throw new Error('fixture needs a fitting row');
    const tightTarget: TargetLoad = { ...target, ratePerS: 4, slo: { ...target.slo, maxItlMs: 1 } };
    const tight = { ...request, slo: { ...request.slo, maxItlMs: 1 } };
    const small = { numRequests: 120 };
    const at = { ...tightTarget, ...small };
    const before = session.candidateCapacity(tight, at, row.gpuId, row.layout);
    expect(before?.status).toBe('slo-unreachable');
    // The closed form's fix: a limit at its mean ITL (what fixes.ts offers before the simulation).
    const closedForm: FixChange = { kind: 'slo', limits: { maxItlMs: Math.ceil(row.perf?.itlMs ?? 1) } };
    const run = fixCheckAtTarget(tight, at, row, closedForm);
    const plan = session.candidateCapacity(run.request, run.target, run.gpuId, run.layout);
    expect(plan?.status).toBe('planned');
    if (plan?.status !== 'planned') return;
    const rowIndex = result.candidates.indexOf(row);
    const advice = (result.advice ?? []).map((a, i) => (i === rowIndex ? { ...a, fix: closedForm, fixCapacity: plan } : a));
    const judged = judgeAtTargetRate({ ...result, advice }, tight, at, { gpus: GPU_CATALOG, advice }).advice?.[rowIndex];
    expect(judged?.fixCheckedOn).toBe('simulated');
    const offered = judged?.fix;
    if (offered?.kind !== 'slo' || offered.limits.maxItlMs == null) throw new Error('expected a looser ITL limit');
    expect(offered.limits.maxItlMs).toBeGreaterThanOrEqual(plan.atTarget.itlP99Ms);
    // The page's one click applied: the row with the offered limit, simulated at the target, plans.
    const applied = session.candidateCapacity({ ...tight, slo: { ...tight.slo, ...offered.limits } }, { ...at, slo: { ...at.slo, ...offered.limits } }, row.gpuId, row.layout);
    expect(applied?.status).toBe('planned');
  });
});

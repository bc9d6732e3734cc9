import { describe, expect, it } from 'vitest';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from './defaults';
import { createEngineSession } from './session';
import { LLAMA_31_8B } from './testArchs';
import type { CapacityPlan, RecommendRequest, TargetLoad } from './types';
import { CAPACITY_MAX_SEARCHED_SHAPES } from './recommendAtRate';
import { resolveSpeculative } from './perf/speculative';
import { findBundledModel, parseBundledModel } from './catalog/bundledModels';
import { parseConfig } from './arch/parseConfig';

const load: TargetLoad = { ratePerS: 30, burstiness: 1, slo: { percentile: 99, maxTtftMs: 1500, maxItlMs: 80, maxE2eMs: null }, numRequests: 150 };
const request = (over: Partial<RecommendRequest> = {}): RecommendRequest => ({
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
  slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: ['H100', 'A100-80GB', 'L40S'],
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
  load,
  ...over,
});
const session = createEngineSession(LLAMA_31_8B);
const planned = (p: CapacityPlan | null | undefined): p is Extract<CapacityPlan, { status: 'planned' }> => p?.status === 'planned';

describe('recommend at a target rate (recommendAtRate.ts)', () => {
  it('ranks the planned rows by their cost at the target, cheapest first, and picks the first', () => {
    const r = session.recommend(request());
    const plans = r.candidates.map((c) => c.capacity);
    const costs = plans.filter(planned).map((p) => p.costUsdPerHour);
    expect(costs.length).toBeGreaterThan(0);
    // Planned rows lead, in ascending cost.
    expect(plans.slice(0, costs.length).every(planned)).toBe(true);
    for (let i = 1; i < costs.length; i += 1) expect(costs[i] ?? 0).toBeGreaterThanOrEqual(costs[i - 1] ?? 0);
    expect(r.best.cheapestMeetingSlo).toBe(0);
    expect(r.candidates[0]?.meetsSlo).toBe(true);
    // Every planned row: copies × the copy's GPUs, within one copy of the target ÷ the copy's rate.
    for (const c of r.candidates) {
      const p = c.capacity;
      if (!planned(p)) continue;
      expect(p.totalGpus).toBe(p.replicasNeeded * c.gpuCount);
      expect(p.replicasNeeded - (p.replicasAdded ?? 0)).toBe(Math.ceil(30 / p.maxRatePerReplicaRequestsPerS));
      // A planned row reports the run it was judged on: its p99s within the limits (sim/capacity.ts planFromReplicaRate).
      expect(p.atTarget.ttftP99Ms).toBeLessThanOrEqual(1500);
      expect(p.atTarget.itlP99Ms).toBeLessThanOrEqual(80);
    }
  });

  it('a GPU made cheaper per hour moves to the top: the ranking is cost at the target, not the closed form\'s', () => {
    const before = session.recommend(request());
    const top = before.candidates[0];
    if (top === undefined) throw new Error('no candidate');
    const other = ['H100', 'A100-80GB', 'L40S'].find((id) => id !== top.gpuId) ?? 'L40S';
    const after = session.recommend(request({ priceOverridesUsdPerHour: { [other]: 0.01 } }));
    expect(after.candidates[0]?.gpuId).toBe(other);
    expect(planned(after.candidates[0]?.capacity)).toBe(true);
  });

  it('says what it simulated and what the closed form pruned; pruned rows say so with their bound', () => {
    const r = session.recommend(request());
    const c = r.capacity;
    expect(c).toBeDefined();
    if (c === undefined) return;
    expect(c.targetRequestsPerS).toBe(30);
    expect(c.searchedReplicaShapes).toBeGreaterThan(0);
    expect(c.searchedReplicaShapes).toBeLessThanOrEqual(CAPACITY_MAX_SEARCHED_SHAPES);
    const simulated = r.candidates.filter((x) => x.capacity !== null && x.capacity !== undefined && x.capacity.status !== 'not-simulated').length;
    const pruned = r.candidates.filter((x) => x.capacity?.status === 'not-simulated').length;
    expect(c.simulatedCandidates).toBe(simulated);
    expect(c.prunedCandidates).toBe(pruned);
    expect(pruned).toBeGreaterThan(0);
    // Non-fitting rows have no plan; every fitting row has one.
    for (const x of r.candidates) expect(x.capacity === null).toBe(x.perf === null);
    expect(JSON.stringify(r)).not.toMatch(/Infinity/);
  });

  it('an SLO no configuration meets leaves no planned row and no pick', () => {
    const r = session.recommend(request({ load: { ...load, slo: { ...load.slo, maxTtftMs: 1 } } }));
    expect(r.candidates.some((c) => planned(c.capacity))).toBe(false);
    expect(r.best.cheapestMeetingSlo).toBeNull();
    expect(r.candidates.some((c) => c.capacity?.status === 'slo-unreachable')).toBe(true);
  });

  it('an invalid target load is a warning naming the field, no ranking', () => {
    const r = session.recommend(request({ load: { ...load, ratePerS: -1 } }));
    expect(r.candidates).toHaveLength(0);
    expect(r.warnings?.[0]?.message).toMatch(/load\.ratePerS/);
  });

  it('one row\'s capacity (what the page fills in per row) is the plan the ranking gave it', () => {
    const r = session.recommend(request());
    const top = r.candidates[0];
    if (top === undefined || !planned(top.capacity)) throw new Error('expected a planned top row');
    const row = session.candidateCapacity(request(), load, top.gpuId, top.layout);
    expect(planned(row)).toBe(true);
    if (!planned(row)) return;
    expect(row.replicasNeeded).toBe(top.capacity.replicasNeeded);
    expect(row.costUsdPerHour).toBeCloseTo(top.capacity.costUsdPerHour, 9);
    expect(row.atTarget.ttftP99Ms).toBeCloseTo(top.capacity.atTarget.ttftP99Ms, 9);
    expect(session.candidateCapacity(request(), load, 'no-such-gpu', top.layout)).toBeNull();
  });

  it('the rate curve rises to the copy\'s capacity with ordered percentiles, and queues at the top', () => {
    const curve = session.rateCurve(request(), load, 'H100', { tp: 1, pp: 1, dp: 1, ep: false });
    expect(curve).toHaveLength(10);
    for (let i = 1; i < curve.length; i += 1) expect(curve[i]?.ratePerS ?? 0).toBeGreaterThan(curve[i - 1]?.ratePerS ?? 0);
    for (const p of curve) {
      expect(p.ttftP99Ms).toBeGreaterThanOrEqual(p.ttftP90Ms);
      expect(p.ttftP90Ms).toBeGreaterThanOrEqual(p.ttftP50Ms);
      expect(p.itlP99Ms).toBeGreaterThanOrEqual(p.itlP50Ms);
    }
    const first = curve[0];
    const last = curve[curve.length - 1];
    if (first === undefined || last === undefined) return;
    // Toward capacity the queue builds: p99 TTFT above the light-load one.
    expect(last.ttftP99Ms).toBeGreaterThan(first.ttftP99Ms);
  });

  it('a dp copy\'s rate curve follows its router: a least-loaded router queues less than a random split at the same rate', () => {
    const dp4 = { tp: 1, pp: 1, dp: 4, ep: false };
    const random = session.rateCurve(request(), load, 'H100', dp4);
    const routed = session.rateCurve(request(), { ...load, routing: 'least-loaded' }, 'H100', dp4);
    expect(routed).toHaveLength(random.length);
    // Same offered rates (a copy's capacity × dp), different latencies near capacity.
    routed.forEach((p, i) => expect(p.ratePerS).toBeCloseTo(random[i]?.ratePerS ?? NaN, 9));
    const top = (c: typeof random, k: number) => c[c.length - k]?.ttftP99Ms ?? NaN;
    expect(top(routed, 1)).toBeLessThan(top(random, 1));
    expect(top(routed, 2)).toBeLessThan(top(random, 2));
    // One replica: nothing to route, the same curve.
    const one = { tp: 1, pp: 1, dp: 1, ep: false };
    expect(session.rateCurve(request(), { ...load, routing: 'least-loaded' }, 'H100', one)).toEqual(session.rateCurve(request(), load, 'H100', one));
  });

  it('a row\'s rate search is kept in the session: another target rate or a dp variant re-runs only the operating point', () => {
    const fresh = createEngineSession(LLAMA_31_8B);
    const one = { tp: 1, pp: 1, dp: 1, ep: false };
    const first = fresh.candidateCapacity(request(), load, 'H100', one);
    const searches = fresh.cacheSizes().replicaRates;
    const doubled = fresh.candidateCapacity(request(), { ...load, ratePerS: 60 }, 'H100', one);
    const twoReplicas = fresh.candidateCapacity(request(), load, 'H100', { ...one, dp: 2 });
    expect(fresh.cacheSizes().replicaRates).toBe(searches);
    if (!planned(first) || !planned(doubled) || !planned(twoReplicas)) throw new Error('expected plans');
    expect(first.simulations).toBeGreaterThan(5);
    expect(doubled.simulations).toBe(1);
    expect(twoReplicas.simulations).toBe(1);
    expect(doubled.maxRatePerReplicaRequestsPerS).toBe(first.maxRatePerReplicaRequestsPerS);
    expect(twoReplicas.maxRatePerReplicaRequestsPerS).toBeCloseTo(2 * first.maxRatePerReplicaRequestsPerS, 9);
    // Another SLO is another search.
    fresh.candidateCapacity(request(), { ...load, slo: { ...load.slo, maxTtftMs: 900 } }, 'H100', one);
    expect(fresh.cacheSizes().replicaRates).toBe(searches + 1);
  });

  it('plans the configuration the closed form ranks: a prefix hit and speculative decoding reach the simulated replica, each its own search', () => {
    const fresh = createEngineSession(LLAMA_31_8B);
    const one = { tp: 1, pp: 1, dp: 1, ep: false };
    const ttftBound: TargetLoad = { ...load, slo: { percentile: 99, maxTtftMs: 400, maxItlMs: null, maxE2eMs: null } };
    const long = { inputTokens: 4000, outputTokens: 100 };
    const plain = fresh.candidateCapacity(request(long), ttftBound, 'H100', one);
    const searches = fresh.cacheSizes().replicaRates;
    const hit = fresh.candidateCapacity(request({ ...long, serving: { ...DEFAULT_RESOLVED_SERVING_OPTIONS, prefixCache: { sharedPrefixTokens: 0, hitRate: 0.75 } } }), ttftBound, 'H100', one);
    expect(fresh.cacheSizes().replicaRates).toBe(searches + 1);
    if (!planned(plain) || !planned(hit)) throw new Error('expected plans');
    // Three quarters of every prompt cached: far more requests per copy within the same p99 TTFT.
    expect(hit.maxRatePerReplicaRequestsPerS).toBeGreaterThan(1.5 * plain.maxRatePerReplicaRequestsPerS);

    const eagle = (acceptance: number) => {
      const r = resolveSpeculative(LLAMA_31_8B, { method: 'eagle3', tokens: 4, acceptance });
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    const e2eBound: TargetLoad = { ...load, slo: { percentile: 99, maxTtftMs: null, maxItlMs: null, maxE2eMs: 3000 } };
    const base = fresh.candidateCapacity(request(), e2eBound, 'H100', one);
    const before = fresh.cacheSizes().replicaRates;
    const useless = fresh.candidateCapacity(request({ speculative: eagle(0) }), e2eBound, 'H100', one);
    expect(fresh.cacheSizes().replicaRates).toBe(before + 1);
    if (!planned(base) || !planned(useless)) throw new Error('expected plans');
    // Drafts never accepted cost verify rows, draft steps and KV for the head: never a higher rate.
    expect(useless.maxRatePerReplicaRequestsPerS).toBeLessThanOrEqual(base.maxRatePerReplicaRequestsPerS);
    // The ranking's own rows carry the same plan as the row-by-row path (one configuration, two callers).
    const ranked = fresh.recommend(request({ speculative: eagle(0.8), load: e2eBound, gpuIds: ['H100'] }));
    const top = ranked.candidates[0];
    if (top === undefined || !planned(top.capacity)) throw new Error('expected a planned top row');
    const row = fresh.candidateCapacity(request({ speculative: eagle(0.8), gpuIds: ['H100'] }), e2eBound, top.gpuId, top.layout);
    if (!planned(row)) throw new Error('expected a plan');
    expect(row.maxRatePerReplicaRequestsPerS).toBe(top.capacity.maxRatePerReplicaRequestsPerS);
  });
});

describe('a planned row reports the run it is judged on (the reported Qwen3-8B case)', () => {
  it('Qwen3-8B 1k/1k at 10 req/s, p99 TTFT ≤ 450 ms, p99 ITL ≤ 40 ms: L20 TP4 plans copies whose p99s are within both limits', () => {
    const bundled = findBundledModel('Qwen/Qwen3-8B');
    if (bundled === undefined) throw new Error('Qwen3-8B is bundled');
    const files = parseBundledModel(bundled);
    if (!files.ok) throw new Error('bundled config parses');
    const arch = parseConfig(files.value.config, { modelId: files.value.modelId });
    if (!arch.ok) throw new Error('bundled config parses');
    const qwen = createEngineSession(arch.value);
    const target: TargetLoad = { ratePerS: 10, burstiness: 1, slo: { percentile: 99, maxTtftMs: 450, maxItlMs: 40, maxE2eMs: null } };
    const req = request({ inputTokens: 1024, outputTokens: 1024, gpuIds: ['L20'], slo: { maxTtftMs: 450, maxItlMs: 40, maxE2eMs: null }, load: target });
    // Before the fix: 18 copies from the searched 0.560 req/s, whose run at 10 ÷ 18 reported a p99 TTFT of 456 ms.
    const p = qwen.candidateCapacity(req, target, 'L20', { tp: 4, pp: 1, dp: 1, ep: false });
    if (!planned(p)) throw new Error('expected a plan');
    expect(p.atTarget.ttftP99Ms).toBeLessThanOrEqual(450);
    expect(p.atTarget.itlP99Ms).toBeLessThanOrEqual(40);
    expect(p.replicasNeeded).toBeGreaterThanOrEqual(Math.ceil(10 / p.maxRatePerReplicaRequestsPerS));
  });
});

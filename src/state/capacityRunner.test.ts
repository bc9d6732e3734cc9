import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../engine/session';
import { LLAMA_31_8B } from '../engine/testArchs';
import type { CapacityPlan, Layout, RecommendRequest, TargetLoad } from '../engine/types';
import type { RateLatencyPoint } from '../engine/sim/capacity';
import type { RowSimulationOutcome } from '../worker/protocol';
import { MAX_SIMULATED_ROWS, startCapacityRunner } from './capacityRunner';
import { buildRecommendRequest, candidateKey, resultWithCapacity, targetLoadOf } from './selectors';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { fixCheckAtTarget, judgeRow, latencyAtPercentile, missedAtTarget } from '../engine/sloJudgement';
import { roundUpLimitMs } from '../engine/fixes';
import { DEFAULT_INPUTS, type Inputs } from './inputs';
import { createAppStore } from './store';

const session = createEngineSession(LLAMA_31_8B);
const INPUTS: Inputs = { ...DEFAULT_INPUTS, inputTokens: 512, outputTokens: 128, gpuIds: ['H100', 'L40S'], maxGpus: 2, loadKind: 'rate', ratePerS: 20, maxTtftMs: 2000 };

/** An engine whose row simulations run the real session but answer only when the test says so. */
function deferredEngine() {
  const calls: { gpuId: string; layout: Layout; target: TargetLoad; answer: () => void }[] = [];
  const curves: string[] = [];
  const fixChecks: { request: RecommendRequest; gpuId: string; layout: Layout; target: TargetLoad; answer: (o?: RowSimulationOutcome<CapacityPlan | null>) => void }[] = [];
  return {
    calls,
    curves,
    fixChecks,
    engine: {
      fixCheck: (request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout) =>
        new Promise<RowSimulationOutcome<CapacityPlan | null>>((resolve) => {
          fixChecks.push({
            request,
            gpuId,
            layout,
            target,
            answer: (o) => resolve(o ?? { status: 'ok', value: session.candidateCapacity(request, { ...target, numRequests: 100 }, gpuId, layout), computeMs: 1 }),
          });
        }),
      capacity: (request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout) =>
        new Promise<RowSimulationOutcome<CapacityPlan | null>>((resolve) => {
          const plan = session.candidateCapacity(request, { ...target, numRequests: 100 }, gpuId, layout);
          calls.push({ gpuId, layout, target, answer: () => resolve({ status: 'ok', value: plan, computeMs: 1 }) });
        }),
      rateCurve: async (_request: RecommendRequest, _target: TargetLoad, gpuId: string): Promise<RowSimulationOutcome<RateLatencyPoint[]>> => {
        curves.push(gpuId);
        return { status: 'ok', value: [], computeMs: 1 };
      },
    },
  };
}

function readyStore(inputs: Inputs) {
  const store = createAppStore({ inputs });
  const request = buildRecommendRequest(inputs);
  // With its advice, as the worker computes it (createLoadedModel: recommendWithAdvice).
  const result = session.recommendWithAdvice(request);
  store.getState().setResults({ status: 'ready', view: { arch: LLAMA_31_8B, request, result, computeMs: 1 } });
  const keys = result.candidates.filter((c) => c.perf !== null).map(candidateKey);
  store.getState().setVisibleRowKeys(keys.slice(0, 3));
  return { store, keys };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));


/** A ready store under an ITL limit no row meets (every fitting row has a fix), the runner on a deferred engine, the first row selected. */
async function selectedRowWithFix() {
  const { store } = readyStore({ ...INPUTS, maxItlMs: 1 });
  store.getState().setVisibleRowKeys([]);
  const { engine, fixChecks } = deferredEngine();
  const stop = startCapacityRunner(store, { engine });
  store.getState().select(0);
  await flush();
  return { store, fixChecks, stop };
}
describe('startCapacityRunner', () => {
  it('fills in the visible rows one at a time, in table order, marking the row in the worker', async () => {
    const { store, keys } = readyStore(INPUTS);
    const { engine, calls } = deferredEngine();
    const stop = startCapacityRunner(store, { engine });
    expect(calls).toHaveLength(1);
    expect(store.getState().capacity.simulating).toBe(keys[0]);
    calls[0]?.answer();
    await flush();
    const plans = store.getState().capacity.plans;
    expect(plans[keys[0] ?? '']).toMatchObject({ status: 'planned', targetRequestsPerS: 20 });
    expect(calls).toHaveLength(2);
    expect(store.getState().capacity.simulating).toBe(keys[1]);
    calls[1]?.answer();
    await flush();
    calls[2]?.answer();
    await flush();
    expect(Object.keys(store.getState().capacity.plans)).toEqual(keys.slice(0, 3));
    expect(calls).toHaveLength(3); // only the visible rows
    stop();
  });

  it('the table and verdict judge a simulated row on its percentiles at the target, the rows still waiting as estimates', async () => {
    const { store, keys } = readyStore(INPUTS);
    const { engine, calls } = deferredEngine();
    const stop = startCapacityRunner(store, { engine });
    const judged = () => {
      const s = store.getState();
      if (s.results.status !== 'ready') throw new Error('results not ready');
      return resultWithCapacity(s.results.view.result, s.capacity, s.ui.visibleRowKeys, targetLoadOf(s.inputs), s.results.view.request, GPU_CATALOG);
    };
    const row = (key: string | undefined) => judged().candidates.find((c) => candidateKey(c) === key);
    // Before any plan: every fitting row is the closed form's estimate, and the verdict says so.
    expect(row(keys[0])?.sloBasis).toBe('closed-form-estimate');
    expect(judged().verdict).toMatchObject({ basis: { simulatedRows: 0, decidingRowSimulated: false } });
    calls[0]?.answer();
    await flush();
    const first = row(keys[0]);
    const plan = store.getState().capacity.plans[keys[0] ?? ''];
    expect(first?.sloBasis).toBe('simulated');
    expect(first?.capacity).toEqual(plan);
    // Its meetsSlo is the engine's judgement of the simulated plan at the limits' percentile, whatever the closed form said.
    const target = targetLoadOf(store.getState().inputs);
    if (first !== undefined && target !== null) expect(first.meetsSlo).toBe(judgeRow(first, target.slo).meetsSlo);
    expect(row(keys[1])).toMatchObject({ sloBasis: 'closed-form-estimate', capacity: { status: 'not-simulated' } });
    expect(judged().verdict).toMatchObject({ basis: { simulatedRows: 1, targetRequestsPerS: 20 } });
    stop();
  });

  it('latest input wins: a new rate starts from empty and the answer for the old one is dropped', async () => {
    const { store, keys } = readyStore(INPUTS);
    const { engine, calls } = deferredEngine();
    const stop = startCapacityRunner(store, { engine });
    store.getState().setInput('ratePerS', 40);
    calls[0]?.answer(); // for 20 req/s
    await flush();
    expect(store.getState().capacity.plans[keys[0] ?? '']).toBeUndefined();
    expect(calls[1]?.target.ratePerS).toBe(40);
    calls[1]?.answer();
    await flush();
    expect(store.getState().capacity.plans[keys[0] ?? '']).toMatchObject({ targetRequestsPerS: 40 });
    stop();
  });

  it('the replicas\' routing is sent with the ask and is part of its key: a change re-plans the rows under it (omitted at random)', async () => {
    const { store, keys } = readyStore(INPUTS);
    const { engine, calls } = deferredEngine();
    const stop = startCapacityRunner(store, { engine });
    expect(calls[0]?.target).not.toHaveProperty('routing');
    store.getState().setInput('replicaRouting', 'least-loaded');
    calls[0]?.answer(); // for the random split
    await flush();
    expect(store.getState().capacity.plans[keys[0] ?? '']).toBeUndefined();
    expect(calls[1]?.target.routing).toBe('least-loaded');
    calls[1]?.answer();
    await flush();
    expect(store.getState().capacity.plans[keys[0] ?? '']).toMatchObject({ status: 'planned', routing: 'least-loaded' });
    stop();
  });

  it('a concurrency load simulates nothing and clears the figures; at most MAX_SIMULATED_ROWS rows are simulated', async () => {
    const { store } = readyStore({ ...INPUTS, loadKind: 'concurrency' });
    const { engine, calls } = deferredEngine();
    const stop = startCapacityRunner(store, { engine });
    expect(calls).toHaveLength(0);
    expect(store.getState().capacity.forKey).toBeNull();
    stop();
    expect(MAX_SIMULATED_ROWS).toBe(25);
  });

  it('the selected row gets its latency-against-rate curve without waiting for the rows', async () => {
    const { store, keys } = readyStore(INPUTS);
    store.getState().setVisibleRowKeys(keys.slice(0, 1));
    const { engine, calls, curves } = deferredEngine();
    const stop = startCapacityRunner(store, { engine });
    store.getState().select(0);
    expect(calls).toHaveLength(1); // the row, still in the worker
    await flush();
    expect(curves).toHaveLength(1);
    // Row 0 is the ranking's first, a fitting one: keys[0].
    expect(store.getState().capacity.rateCurve?.candidateKey).toBe(keys[0]);
    stop();
  });

  it('a new selection while a curve is under way asks once for the new row (no ping-pong of superseded curves)', async () => {
    const { store, keys } = readyStore(INPUTS);
    store.getState().setVisibleRowKeys([]);
    const asked: string[] = [];
    const pendingCurves: ((o: RowSimulationOutcome<RateLatencyPoint[]>) => void)[] = [];
    const engine = {
      capacity: async (): Promise<RowSimulationOutcome<CapacityPlan | null>> => ({ status: 'ok', value: null, computeMs: 1 }),
      fixCheck: async (): Promise<RowSimulationOutcome<CapacityPlan | null>> => ({ status: 'ok', value: null, computeMs: 1 }),
      // Like the client: a newer curve supersedes the one waiting.
      rateCurve: (_r: RecommendRequest, _t: TargetLoad, gpuId: string, layout: Layout) =>
        new Promise<RowSimulationOutcome<RateLatencyPoint[]>>((resolve) => {
          pendingCurves.splice(0).forEach((p) => p({ status: 'superseded' }));
          asked.push(`${gpuId}/${layout.tp}/${layout.dp}`);
          pendingCurves.push(resolve);
        }),
    };
    const stop = startCapacityRunner(store, { engine });
    store.getState().select(0);
    store.getState().select(1);
    await flush();
    await flush();
    expect(asked).toHaveLength(2);
    pendingCurves[0]?.({ status: 'ok', value: [], computeMs: 1 });
    await flush();
    expect(store.getState().capacity.rateCurve?.candidateKey).toBe(keys[1]);
    expect(asked).toHaveLength(2);
    stop();
  });

  it("the selected row's fix is simulated at the target in the worker: its plan decides the fix's basis, a new input drops it", async () => {
    // ITL ≤ 1 ms: no row meets it, so every fitting row has a fix (a looser limit, or a layout).
    const { store } = readyStore({ ...INPUTS, maxItlMs: 1 });
    store.getState().setVisibleRowKeys([]);
    const { engine, fixChecks } = deferredEngine();
    const stop = startCapacityRunner(store, { engine });
    const judged = () => {
      const s = store.getState();
      if (s.results.status !== 'ready') throw new Error('results not ready');
      return resultWithCapacity(s.results.view.result, s.capacity, s.ui.visibleRowKeys, targetLoadOf(s.inputs), s.results.view.request, GPU_CATALOG);
    };
    const ready = store.getState().results;
    if (ready.status !== 'ready') throw new Error('results not ready');
    const fix = ready.view.result.advice?.[0]?.fix ?? null;
    const row = ready.view.result.candidates[0];
    if (fix === null || row === undefined) throw new Error('fixture: the first row needs a fix');
    expect(fixChecks).toHaveLength(0);
    expect(judged().advice?.[0]?.fixCheckedOn).toBe('closed-form');
    store.getState().select(0);
    await flush();
    // One run, the engine's fixCheckAtTarget of the row's fix (the page's request and target, the fix applied).
    expect(fixChecks).toHaveLength(1);
    const target = targetLoadOf(store.getState().inputs);
    if (target === null) throw new Error('rate mode');
    const expected = fixCheckAtTarget(ready.view.request, target, row, fix);
    expect(fixChecks[0]).toMatchObject({ request: expected.request, target: expected.target, gpuId: expected.gpuId, layout: expected.layout });
    // Said to be simulating while it runs (the closed form's check meanwhile).
    expect(store.getState().capacity.fixCheck).toMatchObject({ candidateKey: candidateKey(row), fixKey: JSON.stringify(fix), pending: true });
    expect(judged().advice?.[0]?.fixCheckedOn).toBe('simulating');
    fixChecks[0]?.answer();
    await flush();
    const checked = store.getState().capacity.fixCheck;
    expect(checked).toMatchObject({ candidateKey: candidateKey(row), fixKey: JSON.stringify(fix), failed: false });
    // The plan decides, never the closed form's any more: a looser limit is offered at the run's
    // percentile (rounded up) and met there → simulated; a layout planned within the limits → simulated; otherwise withdrawn.
    const advice = judged().advice?.[0];
    const plan = checked?.plan ?? null;
    if (fix.kind === 'slo') {
      if (plan !== null && plan.status === 'planned') {
        const offered = advice?.fix;
        if (offered?.kind !== 'slo') throw new Error('expected a looser limit from the simulated run');
        expect(advice?.fixCheckedOn).toBe('simulated');
        const at = latencyAtPercentile(plan.atTarget, target.slo.percentile);
        for (const [key, achieved] of [['maxTtftMs', at.ttftMs], ['maxItlMs', at.itlMs], ['maxE2eMs', at.e2eMs]] as const) {
          const limit = offered.limits[key];
          if (limit !== undefined && limit !== null) expect(limit).toBe(roundUpLimitMs(achieved));
        }
        expect(missedAtTarget(plan, { ...target.slo, ...offered.limits })).toEqual([]);
      } else expect(advice?.fix ?? null).toBeNull();
    } else if (fix.kind !== 'layout' || !(candidateKey({ gpuId: fix.gpuId, gpuCount: fix.gpuCount, layout: fix.layout }) in store.getState().capacity.plans)) {
      const meets = plan !== null && plan.status === 'planned' && (missedAtTarget(plan, target.slo) ?? []).length === 0;
      expect(advice?.fix ?? null).toEqual(meets ? fix : null);
      if (meets) expect(advice?.fixCheckedOn).toBe('simulated');
    }
    // Asked once per (result, row, fix).
    store.getState().select(0);
    await flush();
    expect(fixChecks).toHaveLength(1);
    // A new rate: the check is for the old target, dropped; a new one is asked.
    store.getState().setInput('ratePerS', 40);
    await flush();
    // The old answer is gone; the row still selected, its fix at the new rate is running.
    expect(fixChecks).toHaveLength(2);
    expect(fixChecks[1]?.target.ratePerS).toBe(40);
    expect(store.getState().capacity.fixCheck).toMatchObject({ pending: true, plan: null });
    stop();
  });

  it('a fix check the worker could not run keeps the closed form\'s check (said so), and is not asked again', async () => {
    const { store, fixChecks, stop } = await selectedRowWithFix();
    fixChecks[0]?.answer({ status: 'failed', message: 'boom' });
    await flush();
    expect(store.getState().capacity.fixCheck).toMatchObject({ failed: true, plan: null });
    const s = store.getState();
    if (s.results.status !== 'ready') throw new Error('results not ready');
    const judged = resultWithCapacity(s.results.view.result, s.capacity, s.ui.visibleRowKeys, targetLoadOf(s.inputs), s.results.view.request, GPU_CATALOG);
    expect(judged.advice?.[0]).toMatchObject({ fixCheckedOn: 'closed-form' });
    expect(judged.advice?.[0]?.fix).not.toBeNull();
    expect(fixChecks).toHaveLength(1);
    stop();
  });

  it("a superseded fix check drops its 'simulating' marker and is asked again", async () => {
    const { store, fixChecks, stop } = await selectedRowWithFix();
    expect(store.getState().capacity.fixCheck).toMatchObject({ pending: true });
    fixChecks[0]?.answer({ status: 'superseded' });
    await flush();
    // The row is still selected: the check is asked again, and marked as running again.
    expect(fixChecks).toHaveLength(2);
    expect(store.getState().capacity.fixCheck).toMatchObject({ pending: true });
    fixChecks[1]?.answer();
    await flush();
    expect(store.getState().capacity.fixCheck?.pending).toBeUndefined();
    stop();
  });
});

/**
 * Fills in the simulated figures at the target request rate (issue 10 part 6) after the closed-form
 * table is on screen: one visible row at a time (the worker's 'capacity' request, ~0.1 s each), in
 * the table's order, and the selected row's latency-against-rate curve and the simulated check of its
 * fix (the worker's 'fix-check': engine sloJudgement.ts fixCheckAtTarget, for a fix its own row does
 * not decide) between them. Never blocks the page (the
 * work is in the worker, one row per message, so a new input gets in between rows), and the latest
 * input wins: a new result or target starts from empty (CapacityState.forKey), and an answer for an
 * older one is dropped.
 */
import type { EngineClient } from '../worker/client';
import type { Candidate, FixChange } from '../engine/types';
import { fixCheckAtTarget } from '../engine/sloJudgement';
import { candidateKey, MAX_SIMULATED_ROWS, requestKey, targetLoadOf } from './selectors';
import type { AppStoreApi } from './store';
import { EMPTY_CAPACITY } from './slices';

export { MAX_SIMULATED_ROWS };

export interface CapacityRunnerDeps {
  engine: Pick<EngineClient, 'capacity' | 'rateCurve' | 'fixCheck'>;
}

export function startCapacityRunner(store: AppStoreApi, deps: CapacityRunnerDeps): () => void {
  const { engine } = deps;
  let busy = false;
  let curveBusy: string | null = null;
  let fixBusy: string | null = null;
  let stopped = false;

  const run = (): void => {
    if (stopped) return;
    const state = store.getState();
    const target = targetLoadOf(state.inputs);
    if (target === null) {
      if (state.capacity !== EMPTY_CAPACITY) state.setCapacity(EMPTY_CAPACITY);
      return;
    }
    // While the engine computes, the previous figures stay; a new result decides what to simulate.
    if (state.results.status !== 'ready') return;
    const view = state.results.view;
    const key = `${requestKey(view.request)}|${JSON.stringify(target)}`;
    if (state.capacity.forKey !== key) {
      state.setCapacity({ ...EMPTY_CAPACITY, forKey: key });
      run(); // from the empty state (the store's listener may not be subscribed yet)
      return;
    }
    const byKey = new Map<string, Candidate>();
    for (const c of view.result.candidates) byKey.set(candidateKey(c), c);
    const { plans } = state.capacity;

    if (!busy) {
      const next = state.ui.visibleRowKeys.slice(0, MAX_SIMULATED_ROWS).find((k) => !(k in plans) && (byKey.get(k)?.perf ?? null) !== null);
      const candidate = next === undefined ? undefined : byKey.get(next);
      if (next !== undefined && candidate !== undefined) {
        busy = true;
        state.setCapacity({ ...state.capacity, simulating: next });
        void engine.capacity(view.request, target, candidate.gpuId, candidate.layout).then((outcome) => {
          busy = false;
          const now = store.getState();
          if (now.capacity.forKey === key && outcome.status !== 'superseded') {
            // A failed simulation reads as no figure (null), not as a row simulated forever.
            now.setCapacity({ ...now.capacity, plans: { ...now.capacity.plans, [next]: outcome.status === 'ok' ? outcome.value : null }, simulating: null });
          } else if (now.capacity.forKey === key) now.setCapacity({ ...now.capacity, simulating: null });
          run();
        });
      }
    }

    // The selected row's curve, between the rows (the client alternates the two kinds of job): a
    // click gets its chart without waiting for the whole page of rows.
    const selected = state.ui.selectedIndex === null ? undefined : view.result.candidates[state.ui.selectedIndex];
    const selectedKey = selected === undefined ? null : candidateKey(selected);
    if (selected === undefined || selectedKey === null || selected.perf === null) return;
    const fix = state.ui.selectedIndex === null ? null : (view.result.advice?.[state.ui.selectedIndex]?.fix ?? null);
    if (fix !== null) checkFix(key, selected, selectedKey, fix, plans);
    if (state.capacity.rateCurve?.candidateKey === selectedKey || curveBusy === `${key}|${selectedKey}`) return;
    const mine = `${key}|${selectedKey}`;
    curveBusy = mine;
    void engine.rateCurve(view.request, target, selected.gpuId, selected.layout).then((outcome) => {
      // A newer selection's curve may be under way: only this job's own marker is cleared.
      if (curveBusy === mine) curveBusy = null;
      const now = store.getState();
      // A failed curve reads as no points (the chart says so), not as a curve asked for again and again.
      if (outcome.status !== 'superseded' && now.capacity.forKey === key) {
        now.setCapacity({ ...now.capacity, rateCurve: { candidateKey: selectedKey, points: outcome.status === 'ok' ? outcome.value : [] } });
      }
      run();
    });
  };

  /**
   * The selected fitting row's fix, simulated at the target once per (result, row, fix): a looser
   * limit, or a layout whose own row has no plan here (a layout whose row is simulated is decided by
   * that row, sloJudgement.ts). The answer is kept for the result it was asked for.
   */
  const checkFix = (key: string, row: Candidate, rowKey: string, fix: FixChange, plans: Readonly<Record<string, unknown>>): void => {
    const state = store.getState();
    const target = targetLoadOf(state.inputs);
    if (target === null || state.results.status !== 'ready') return;
    if (fix.kind === 'layout' && candidateKey({ gpuId: fix.gpuId, gpuCount: fix.gpuCount, layout: fix.layout }) in plans) return;
    const fixKey = JSON.stringify(fix);
    const checked = state.capacity.fixCheck;
    const mine = `${key}|${rowKey}|${fixKey}`;
    if ((checked?.candidateKey === rowKey && checked.fixKey === fixKey && checked.pending !== true) || fixBusy === mine) return;
    fixBusy = mine;
    // Said on the page while the worker runs it ("simulating…"); a superseded run's marker is cleared below.
    state.setCapacity({ ...state.capacity, fixCheck: { candidateKey: rowKey, fixKey, plan: null, failed: false, pending: true } });
    const check = fixCheckAtTarget(state.results.view.request, target, row, fix);
    void engine.fixCheck(check.request, check.target, check.gpuId, check.layout).then((outcome) => {
      if (fixBusy === mine) fixBusy = null;
      const now = store.getState();
      // A failed check is kept as failed (the fix stays the closed form's, said so), not asked for again and again.
      if (outcome.status !== 'superseded' && now.capacity.forKey === key) {
        const answer = outcome.status === 'ok' ? { plan: outcome.value, failed: false } : { plan: null, failed: true };
        now.setCapacity({ ...now.capacity, fixCheck: { candidateKey: rowKey, fixKey, ...answer } });
      } else if (now.capacity.fixCheck?.pending === true && now.capacity.fixCheck.candidateKey === rowKey && now.capacity.fixCheck.fixKey === fixKey) {
        now.setCapacity({ ...now.capacity, fixCheck: null });
      }
      run();
    });
  };

  run();
  const unsubscribe = store.subscribe(run);
  return () => {
    stopped = true;
    unsubscribe();
  };
}

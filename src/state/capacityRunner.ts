/**
 * Fills in the simulated figures at the target request rate (issue 10 part 6) after the closed-form
 * table is on screen: one visible row at a time (the worker's 'capacity' request, ~0.1 s each), in
 * the table's order, and the selected row's latency-against-rate curve between them. Never blocks the page (the
 * work is in the worker, one row per message, so a new input gets in between rows), and the latest
 * input wins: a new result or target starts from empty (CapacityState.forKey), and an answer for an
 * older one is dropped.
 */
import type { EngineClient } from '../worker/client';
import type { Candidate } from '../engine/types';
import { candidateKey, MAX_SIMULATED_ROWS, requestKey, targetLoadOf } from './selectors';
import type { AppStoreApi } from './store';
import { EMPTY_CAPACITY } from './slices';

export { MAX_SIMULATED_ROWS };

export interface CapacityRunnerDeps {
  engine: Pick<EngineClient, 'capacity' | 'rateCurve'>;
}

export function startCapacityRunner(store: AppStoreApi, deps: CapacityRunnerDeps): () => void {
  const { engine } = deps;
  let busy = false;
  let curveBusy: string | null = null;
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

  run();
  const unsubscribe = store.subscribe(run);
  return () => {
    stopped = true;
    unsubscribe();
  };
}

/**
 * [disagg] Fills in the P/D plans (issue 12 item 5) after the aggregated table is on screen: one
 * (prefill GPU, decode GPU) pair per worker message (~0.5 s each), in the ask's order (state/disagg.ts).
 * Never blocks the page (the work is in the worker, one pair per message, so a new input gets in
 * between pairs), and the latest input wins: a new ask starts from empty (DisaggState.forKey), and an
 * answer for an older one is dropped. Like capacityRunner.ts for the rate-mode rows.
 */
import type { EngineClient } from '../worker/client';
import { disaggAskOf } from './disagg';
import type { AppStoreApi } from './store';
import { EMPTY_DISAGG } from './slices';

export interface DisaggRunnerDeps {
  engine: Pick<EngineClient, 'disaggPair'>;
}

export function startDisaggRunner(store: AppStoreApi, deps: DisaggRunnerDeps): () => void {
  const { engine } = deps;
  let busyFor: string | null = null;
  let stopped = false;

  const run = (): void => {
    if (stopped) return;
    const state = store.getState();
    // While the engine computes, the previous plans stay; a new result decides what to simulate.
    if (state.results.status === 'computing') return;
    const ask = disaggAskOf(state.inputs, state.results.status === 'ready' ? state.results.view : null);
    if (ask.status !== 'ready') {
      if (state.disagg !== EMPTY_DISAGG && ask.status !== 'waiting') state.setDisagg(EMPTY_DISAGG);
      return;
    }
    if (state.disagg.forKey !== ask.key) {
      state.setDisagg({ ...EMPTY_DISAGG, forKey: ask.key });
      run(); // from the empty state (the store's listener may not be subscribed yet)
      return;
    }
    if (busyFor === ask.key) return;
    const { rows, failed } = state.disagg;
    const next = ask.pairs.find((p) => !(p.key in rows) && !(p.key in failed));
    if (next === undefined) {
      if (state.disagg.simulating !== null) state.setDisagg({ ...state.disagg, simulating: null });
      return;
    }
    busyFor = ask.key;
    state.setDisagg({ ...state.disagg, simulating: next.key });
    void engine.disaggPair({ request: ask.request, target: ask.target, prefillGpuId: next.prefillGpuId, decodeGpuId: next.decodeGpuId, routing: ask.routing }).then((outcome) => {
      if (busyFor === ask.key) busyFor = null;
      const now = store.getState();
      if (now.disagg.forKey === ask.key) {
        if (outcome.status === 'ok') now.setDisagg({ ...now.disagg, rows: { ...now.disagg.rows, [next.key]: outcome.value }, simulating: null });
        // A failed pair reads as failed (named on the page), not as a pair asked for again and again.
        else if (outcome.status === 'failed') now.setDisagg({ ...now.disagg, failed: { ...now.disagg.failed, [next.key]: outcome.message }, simulating: null });
        else now.setDisagg({ ...now.disagg, simulating: null });
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

/**
 * Runs the engine (in its worker) whenever the request or the loaded model changes, debounced so a
 * burst of changes costs one computation. The model (and the custom GPU list) goes to the worker
 * once, through engine.setModel, when it changes; each computation sends only the request.
 *
 * Stale answers are the client's business (client.ts): a newer compute or setModel supersedes the
 * pending one, so whatever resolves 'ok' here is for the latest request on the loaded model. While no
 * model is ready the runner tells the client so (setModel(null)), which also drops any answer in flight.
 */
import type { EngineClient } from '../worker/client';
import { buildRecommendRequest, requestKey, visibleView } from './selectors';
import type { AppStoreApi } from './store';
import type { ModelSource } from '../worker/protocol';
import type { GpuSpec } from '../engine/types';

/**
 * The next task: coalesces updates made together in one task (a link decoded, a reset, a scenario
 * loaded) into one computation. Text fields commit on Enter/blur, so typing "4096" is already one
 * change, and the worker client supersedes a stale computation; any wait beyond that only eats
 * the 100 ms input-to-table budget (issue 5: it was one frame, 16 ms, until measured).
 */
export const COMPUTE_DEBOUNCE_MS = 0;

export interface ComputeRunnerDeps {
  engine: Pick<EngineClient, 'setModel' | 'compute'>;
  debounceMs?: number;
}

export function startComputeRunner(store: AppStoreApi, deps: ComputeRunnerDeps): () => void {
  const { engine } = deps;
  const debounceMs = deps.debounceMs ?? COMPUTE_DEBOUNCE_MS;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastKey: string | null = null;
  let lastSource: ModelSource | null = null;
  let lastCustomGpus: readonly GpuSpec[] | null = null;

  const cancelTimer = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  const forgetModel = (): void => {
    cancelTimer();
    lastKey = null;
    lastSource = null;
    lastCustomGpus = null;
    engine.setModel(null); // any answer in flight belongs to a model no longer loaded
  };

  const run = (): void => {
    const state = store.getState();
    if (state.model.status !== 'ready') {
      if (lastSource !== null) forgetModel();
      if (state.results.status !== 'idle') state.setResults({ status: 'idle' });
      return;
    }
    const source = state.model.source;
    const request = buildRecommendRequest(state.inputs);
    const key = requestKey(request);
    // The custom GPU list is replaced (never mutated) on every edit, so identity tells a change.
    const { customGpus } = state;
    const modelChanged = source !== lastSource || customGpus !== lastCustomGpus;
    if (key === lastKey && !modelChanged) return;
    lastKey = key;
    if (modelChanged) {
      lastSource = source;
      lastCustomGpus = customGpus;
      engine.setModel(source, customGpus);
    }
    cancelTimer();
    if (state.results.status !== 'computing') state.setResults({ status: 'computing', previous: visibleView(state.results) });
    timer = setTimeout(() => {
      timer = null;
      void engine.compute(request).then((outcome) => {
        const { setResults } = store.getState();
        switch (outcome.status) {
          case 'ok':
            setResults({ status: 'ready', view: { arch: outcome.arch, request, result: outcome.result, computeMs: outcome.computeMs } });
            return;
          case 'config-error':
            setResults({ status: 'config-error', modelId: source.modelId, error: outcome.error });
            return;
          case 'failed':
            setResults({ status: 'failed', message: outcome.message });
            return;
          case 'superseded':
            return;
          default: {
            const _exhaustive: never = outcome;
            return _exhaustive;
          }
        }
      });
    }, debounceMs);
  };

  run();
  const unsubscribe = store.subscribe(run);
  return () => {
    unsubscribe();
    forgetModel();
  };
}

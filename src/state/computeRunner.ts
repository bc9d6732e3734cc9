/**
 * Runs the engine (in its worker) whenever the request or the loaded model changes: debounced so a
 * burst of keystrokes costs one computation, with stale answers dropped twice over (the client
 * supersedes by requestId; here a sequence number ignores any answer that is not the latest).
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
  engine: Pick<EngineClient, 'compute'>;
  debounceMs?: number;
}

export function startComputeRunner(store: AppStoreApi, deps: ComputeRunnerDeps): () => void {
  const debounceMs = deps.debounceMs ?? COMPUTE_DEBOUNCE_MS;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastKey: string | null = null;
  let lastSource: ModelSource | null = null;
  let lastCustomGpus: readonly GpuSpec[] | null = null;
  let sequence = 0;

  const cancelTimer = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  const run = (): void => {
    const state = store.getState();
    if (state.model.status !== 'ready') {
      cancelTimer();
      sequence += 1; // any answer in flight belongs to the previous model
      lastKey = null;
      lastSource = null;
      lastCustomGpus = null;
      if (state.results.status !== 'idle') state.setResults({ status: 'idle' });
      return;
    }
    const source = state.model.source;
    const request = buildRecommendRequest(state.inputs);
    const key = requestKey(request);
    // The custom GPU list is replaced (never mutated) on every edit, so identity tells a change.
    const { customGpus } = state;
    if (key === lastKey && source === lastSource && customGpus === lastCustomGpus) return;
    lastKey = key;
    lastSource = source;
    lastCustomGpus = customGpus;
    cancelTimer();
    if (state.results.status !== 'computing') state.setResults({ status: 'computing', previous: visibleView(state.results) });
    timer = setTimeout(() => {
      timer = null;
      sequence += 1;
      const own = sequence;
      void deps.engine.compute(source, request, customGpus).then((outcome) => {
        if (own !== sequence) return;
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
    cancelTimer();
    sequence += 1;
  };
}

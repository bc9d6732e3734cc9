/**
 * Starts every side effect of the store: model loading, computing, URL sync and token persistence.
 * All IO is injected (STYLE.md habit 9); main.tsx passes the browser's, tests pass fakes.
 */
import { startComputeRunner, type ComputeRunnerDeps } from './computeRunner';
import { startModelLoader, type ModelLoaderDeps } from './modelLoader';
import type { AppStoreApi } from './store';
import { writeToken } from './tokenStorage';
import { startUrlSync, type UrlFragmentPort } from './urlSync';
import type { DecodeContext } from './urlCodec';

export interface AppEffectDeps extends ModelLoaderDeps, ComputeRunnerDeps {
  url: UrlFragmentPort | null;
  decodeContext: DecodeContext;
}

/** Keeps the token in sessionStorage only, as it changes. */
function startTokenPersistence(store: AppStoreApi, deps: Pick<ModelLoaderDeps, 'session'>): () => void {
  let written = store.getState().hubToken;
  return store.subscribe((state) => {
    if (state.hubToken === written) return;
    written = state.hubToken;
    writeToken(deps.session, written);
  });
}

export function startAppEffects(store: AppStoreApi, deps: AppEffectDeps): () => void {
  const stops = [
    startTokenPersistence(store, deps),
    deps.url === null ? () => undefined : startUrlSync(store, deps.url, deps.decodeContext),
    startModelLoader(store, deps),
    startComputeRunner(store, deps),
  ];
  return () => stops.forEach((stop) => stop());
}

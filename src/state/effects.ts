/**
 * Starts every side effect of the store: model loading, computing, URL sync and token persistence.
 * All IO is injected (STYLE.md habit 9); main.tsx passes the browser's, tests pass fakes.
 */
import { startComputeRunner, type ComputeRunnerDeps } from './computeRunner';
import { startCapacityRunner, type CapacityRunnerDeps } from './capacityRunner';
import { startDisaggRunner, type DisaggRunnerDeps } from './disaggRunner';
import { startModelLoader, type ModelLoaderDeps } from './modelLoader';
import type { AppStoreApi } from './store';
import { writeSavedWork } from './savedWork';
import { writeToken, type KeyValueStorage } from './tokenStorage';
import { startUrlSync, type UrlFragmentPort } from './urlSync';
import type { DecodeContext } from './urlCodec';

export interface AppEffectDeps extends ModelLoaderDeps, ComputeRunnerDeps {
  url: UrlFragmentPort | null;
  decodeContext: DecodeContext;
  /** localStorage for price overrides and scenarios (savedWork.ts); null = not remembered. */
  local?: KeyValueStorage | null;
  /** The worker's row simulations at a target rate (capacityRunner.ts); absent = none (the closed form only). */
  capacityEngine?: CapacityRunnerDeps['engine'];
  /** [disagg] The worker's P/D pairs (disaggRunner.ts); absent = no P/D plans. */
  disaggEngine?: DisaggRunnerDeps['engine'];
}

/** Writes price overrides and scenarios to localStorage when they change (never the token). */
function startSavedWorkPersistence(store: AppStoreApi, local: KeyValueStorage | null): () => void {
  let prices = store.getState().inputs.priceOverridesUsdPerHour;
  let scenarios = store.getState().scenarios;
  let customGpus = store.getState().customGpus;
  return store.subscribe((state) => {
    if (state.inputs.priceOverridesUsdPerHour === prices && state.scenarios === scenarios && state.customGpus === customGpus) return;
    prices = state.inputs.priceOverridesUsdPerHour;
    scenarios = state.scenarios;
    customGpus = state.customGpus;
    writeSavedWork(local, { priceOverridesUsdPerHour: prices, scenarios, customGpus });
  });
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
    startSavedWorkPersistence(store, deps.local ?? null),
    deps.url === null ? () => undefined : startUrlSync(store, deps.url, deps.decodeContext),
    startModelLoader(store, deps),
    startComputeRunner(store, deps),
    deps.capacityEngine === undefined ? () => undefined : startCapacityRunner(store, { engine: deps.capacityEngine }),
    deps.disaggEngine === undefined ? () => undefined : startDisaggRunner(store, { engine: deps.disaggEngine }),
  ];
  return () => stops.forEach((stop) => stop());
}

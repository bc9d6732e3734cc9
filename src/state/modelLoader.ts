/**
 * Keeps the `model` slice in step with `inputs.modelId`: bundled and pasted configs load at once
 * with no network; any other id is fetched from the Hub (src/hub) with a visible loading state.
 * A newer id aborts the older fetch; "Retry" (modelLoadAttempt) fetches again. Inputs are never
 * touched on failure, except to adopt the Hub's normalized id on success.
 */
import { findBundledModel } from '../engine/catalog/bundledModels';
import { parseConfigJson } from '../engine/arch/parseConfigJson';
import type { Result } from '../engine/result';
import type { HubError } from '../hub/errors';
import type { HubModelFiles } from '../hub/fetchModel';
import { parsePastedConfig, readPastedConfig, writePastedConfig, type PastedConfig } from './pastedConfig';
import type { ModelState } from './slices';
import type { AppStoreApi } from './store';
import type { KeyValueStorage } from './tokenStorage';

export type FetchModelFiles = (
  modelId: string,
  options: { accessToken?: string; signal?: AbortSignal },
) => Promise<Result<HubModelFiles, HubError>>;

export interface ModelLoaderDeps {
  fetchModelFiles: FetchModelFiles;
  /** sessionStorage, where a pasted config is kept. */
  session: KeyValueStorage | null;
}

function parsedText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const parsed = parseConfigJson(text);
  return parsed.ok ? parsed.value : undefined;
}

/** A model that needs no network: bundled with the page, or pasted in this tab. */
export function resolveLocalModel(modelId: string, session: KeyValueStorage | null): ModelState | null {
  const pasted = readPastedConfig(session);
  if (pasted !== null && pasted.modelId === modelId) {
    const config = parsePastedConfig(pasted.configText);
    return config.ok
      ? { status: 'ready', modelId, origin: 'pasted', source: { modelId, config: config.value }, paramCountsError: null }
      : { status: 'error', modelId, error: { kind: 'config', error: config.error } };
  }
  const bundled = findBundledModel(modelId);
  if (bundled === undefined) return null;
  const config = parseConfigJson(bundled.configText);
  if (!config.ok) return { status: 'error', modelId, error: { kind: 'config', error: config.error } };
  const hfQuantConfig = parsedText(bundled.hfQuantConfigText);
  return {
    status: 'ready',
    modelId: bundled.id,
    origin: 'bundled',
    source: hfQuantConfig === undefined ? { modelId: bundled.id, config: config.value } : { modelId: bundled.id, config: config.value, hfQuantConfig },
    paramCountsError: null,
  };
}

function fromHubFiles(files: HubModelFiles): ModelState {
  const source = { modelId: files.modelId, config: files.config, safetensors: files.safetensors, hfQuantConfig: files.hfQuantConfig };
  return { status: 'ready', modelId: files.modelId, origin: 'hub', source, paramCountsError: files.safetensorsError ?? null };
}

/** Uses a pasted config now and remembers it for this tab. The caller has checked it parses. */
export function applyPastedConfig(store: AppStoreApi, session: KeyValueStorage | null, pasted: PastedConfig): ModelState {
  writePastedConfig(session, pasted);
  const config = parsePastedConfig(pasted.configText);
  const model: ModelState = config.ok
    ? { status: 'ready', modelId: pasted.modelId, origin: 'pasted', source: { modelId: pasted.modelId, config: config.value }, paramCountsError: null }
    : { status: 'error', modelId: pasted.modelId, error: { kind: 'config', error: config.error } };
  // Model first, then the id: the loader then finds the id already loaded and fetches nothing.
  store.getState().setModel(model);
  store.getState().setInput('modelId', pasted.modelId);
  return model;
}

/** Subscribes to the store; returns a function that stops loading and aborts a pending fetch. */
export function startModelLoader(store: AppStoreApi, deps: ModelLoaderDeps): () => void {
  let controller: AbortController | null = null;
  let loadedModelId: string | null = null;
  let loadedAttempt = -1;

  const run = (): void => {
    const state = store.getState();
    // Cancelled (or replaced) while the Hub request runs: stop it.
    if (controller !== null && state.model.status !== 'loading') {
      controller.abort();
      controller = null;
    }
    const modelId = state.inputs.modelId;
    if (modelId === loadedModelId && state.modelLoadAttempt === loadedAttempt) return;
    const isRetry = modelId === loadedModelId;
    loadedModelId = modelId;
    loadedAttempt = state.modelLoadAttempt;
    controller?.abort();
    controller = null;
    // Already loaded under this id (a pasted config, or the Hub's normalized id): nothing to fetch.
    if (!isRetry && state.model.status === 'ready' && state.model.modelId === modelId) return;

    const local = resolveLocalModel(modelId, deps.session);
    if (local !== null) {
      state.setModel(local);
      // Bundled ids match case-insensitively: adopt the catalog's spelling.
      if (local.modelId !== modelId) {
        loadedModelId = local.modelId;
        store.getState().setInput('modelId', local.modelId);
      }
      return;
    }
    state.setModel({ status: 'loading', modelId });
    const own = new AbortController();
    controller = own;
    const accessToken = state.hubToken.trim();
    void deps
      .fetchModelFiles(modelId, accessToken === '' ? { signal: own.signal } : { accessToken, signal: own.signal })
      .then((outcome) => {
        if (controller !== own) return; // superseded by a newer id or a retry
        controller = null;
        if (!outcome.ok) {
          store.getState().setModel({ status: 'error', modelId, error: { kind: 'hub', error: outcome.error } });
          return;
        }
        store.getState().setModel(fromHubFiles(outcome.value));
        if (outcome.value.modelId !== modelId) {
          loadedModelId = outcome.value.modelId;
          store.getState().setInput('modelId', outcome.value.modelId);
        }
      });
  };

  run();
  const unsubscribe = store.subscribe(run);
  return () => {
    unsubscribe();
    controller?.abort();
    controller = null;
  };
}

import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL_ID } from '../engine/catalog/bundledModels';
import { err, ok } from '../engine/result';
import { DEFAULT_INPUTS } from './inputs';
import { applyPastedConfig, startModelLoader, type FetchModelFiles } from './modelLoader';
import { createAppStore } from './store';
import { memoryStorage } from './memoryStorage';

const neverFetch: FetchModelFiles = () => {
  throw new Error('no network in this test');
};

describe('startModelLoader', () => {
  it('loads the default (bundled) model at once, with no network', () => {
    const store = createAppStore();
    startModelLoader(store, { fetchModelFiles: neverFetch, session: null });
    const model = store.getState().model;
    expect(model.status).toBe('ready');
    expect(model.status === 'ready' && model.origin).toBe('bundled');
    expect(model.modelId).toBe(DEFAULT_MODEL_ID);
  });

  it('adopts the catalog spelling of a bundled id typed in another case', () => {
    const store = createAppStore({ inputs: { ...DEFAULT_INPUTS, modelId: 'qwen/qwen3-8b' } });
    startModelLoader(store, { fetchModelFiles: neverFetch, session: null });
    expect(store.getState().inputs.modelId).toBe('Qwen/Qwen3-8B');
  });

  it('fetches any other id with a loading state, sending the token only when there is one', async () => {
    const fetchModelFiles = vi.fn<FetchModelFiles>(async (modelId) => ok({ modelId, config: { model_type: 'llama' } }));
    const store = createAppStore({ inputs: { ...DEFAULT_INPUTS, modelId: 'org/private' }, hubToken: 'hf_secret' });
    startModelLoader(store, { fetchModelFiles, session: null });
    expect(store.getState().model.status).toBe('loading');
    await vi.waitFor(() => expect(store.getState().model.status).toBe('ready'));
    expect(fetchModelFiles.mock.calls[0]?.[1].accessToken).toBe('hf_secret');
  });

  it('keeps the inputs on a Hub error and fetches again on retry', async () => {
    let calls = 0;
    const fetchModelFiles: FetchModelFiles = async (modelId) => {
      calls += 1;
      return calls === 1 ? err({ kind: 'gated', modelId, hasToken: false }) : ok({ modelId, config: {} });
    };
    const inputs = { ...DEFAULT_INPUTS, modelId: 'org/gated', inputTokens: 4096 };
    const store = createAppStore({ inputs });
    startModelLoader(store, { fetchModelFiles, session: null });
    await vi.waitFor(() => expect(store.getState().model.status).toBe('error'));
    expect(store.getState().inputs).toEqual(inputs);
    store.getState().retryModel();
    await vi.waitFor(() => expect(store.getState().model.status).toBe('ready'));
    expect(calls).toBe(2);
  });

  it('drops the answer of a superseded fetch (the newer id wins)', async () => {
    const resolvers = new Map<string, () => void>();
    const fetchModelFiles: FetchModelFiles = (modelId) =>
      new Promise((resolve) => resolvers.set(modelId, () => resolve(ok({ modelId, config: {} }))));
    const store = createAppStore({ inputs: { ...DEFAULT_INPUTS, modelId: 'org/first' } });
    startModelLoader(store, { fetchModelFiles, session: null });
    store.getState().setInput('modelId', 'org/second');
    resolvers.get('org/second')?.();
    await vi.waitFor(() => expect(store.getState().model.status).toBe('ready'));
    resolvers.get('org/first')?.();
    await Promise.resolve();
    expect(store.getState().model.modelId).toBe('org/second');
  });

  it('uses a pasted config without fetching and finds it again after a reload (sessionStorage)', () => {
    const session = memoryStorage();
    const store = createAppStore();
    startModelLoader(store, { fetchModelFiles: neverFetch, session });
    applyPastedConfig(store, session, { modelId: 'my/model', configText: '{"model_type": "llama"}' });
    expect(store.getState().model).toMatchObject({ status: 'ready', origin: 'pasted', modelId: 'my/model' });

    const reloaded = createAppStore({ inputs: { ...DEFAULT_INPUTS, modelId: 'my/model' } });
    startModelLoader(reloaded, { fetchModelFiles: neverFetch, session });
    expect(reloaded.getState().model).toMatchObject({ status: 'ready', origin: 'pasted' });
  });
});

describe('cancelModelLoad', () => {
  it('aborts the pending Hub request and keeps the inputs; Retry fetches again', async () => {
    const signals: AbortSignal[] = [];
    const fetchModelFiles: FetchModelFiles = (_modelId, { signal }) => {
      if (signal) signals.push(signal);
      return new Promise(() => undefined);
    };
    const store = createAppStore({ inputs: { ...DEFAULT_INPUTS, modelId: 'org/slow' } });
    startModelLoader(store, { fetchModelFiles, session: null });
    store.getState().cancelModelLoad();
    expect(signals[0]?.aborted).toBe(true);
    expect(store.getState().model).toMatchObject({ status: 'error', error: { kind: 'cancelled' } });
    expect(store.getState().inputs.modelId).toBe('org/slow');
    store.getState().retryModel();
    expect(store.getState().model.status).toBe('loading');
    expect(signals).toHaveLength(2);
  });
});

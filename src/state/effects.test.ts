// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { GPU_IDS } from '../engine/catalog/gpus';
import { parseCustomGpu } from './customGpus';
import { startAppEffects } from './effects';
import { readSavedWork } from './savedWork';
import { createAppStore } from './store';
import { readToken, TOKEN_STORAGE_KEY } from './tokenStorage';
import { browserFragmentPort } from './urlSync';

afterEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe('startAppEffects', () => {
  it('keeps the Hub token in sessionStorage only: not localStorage, not the URL', () => {
    const store = createAppStore();
    const stop = startAppEffects(store, {
      fetchModelFiles: () => Promise.reject(new Error('no network')),
      session: window.sessionStorage,
      engine: { setModel: () => undefined, compute: () => new Promise(() => undefined) },
      url: browserFragmentPort(window),
      decodeContext: { knownGpuIds: [] },
    });
    store.getState().setHubToken('hf_topsecret');
    store.getState().setInput('inputTokens', 555);
    expect(readToken(window.sessionStorage)).toBe('hf_topsecret');
    expect(window.location.hash).toBe('#v=2&i=555');
    expect(window.location.href).not.toMatch(/topsecret/);
    const localValues = Object.keys(window.localStorage).map((k) => window.localStorage.getItem(k));
    expect(localValues.join()).not.toMatch(/topsecret/);
    store.getState().setHubToken('');
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    stop();
  });

  it('remembers scenarios, prices and custom GPUs in localStorage, and a reload gets them back, never the token', () => {
    const token = 'hf_neverInLocalStorage42';
    const store = createAppStore({ hubToken: token });
    const stop = startAppEffects(store, {
      fetchModelFiles: () => Promise.reject(new Error('no network')),
      session: window.sessionStorage,
      engine: { setModel: () => undefined, compute: () => new Promise(() => undefined) },
      url: browserFragmentPort(window),
      decodeContext: { knownGpuIds: GPU_IDS },
      local: window.localStorage,
    });
    const gpu = parseCustomGpu({ name: 'Acme X1', memoryGiB: 94, memBandwidthGBPerS: 3900, bf16Tflops: 800, interconnect: 'nvlink', interconnectGBPerS: 450, gpusPerNode: 8, tdpWatts: 700, priceUsdPerHour: 2 });
    if (!gpu.ok) throw new Error('fixture');
    store.getState().addCustomGpus([gpu.value]);
    store.getState().setInput('priceOverridesUsdPerHour', { H100: 2.2, [gpu.value.id]: 1.5 });
    store.getState().setInput('gpuIds', ['H100', gpu.value.id]);
    store.getState().saveScenario('two GPUs', '2026-11-27T00:00:00.000Z');
    stop();

    const everything = [window.location.href, ...Object.keys(window.localStorage).map((k) => `${k}=${window.localStorage.getItem(k) ?? ''}`)].join('\n');
    expect(everything).not.toContain(token);
    expect(everything).toContain('custom:Acme X1');
    const reloaded = readSavedWork(window.localStorage, GPU_IDS);
    expect(reloaded.notice).toBeNull();
    expect(reloaded.work.customGpus).toEqual([gpu.value]);
    expect(reloaded.work.priceOverridesUsdPerHour).toEqual({ H100: 2.2, [gpu.value.id]: 1.5 });
    // The scenario restores the custom GPU selection when that GPU exists in this browser.
    const next = createAppStore({ scenarios: reloaded.work.scenarios, customGpus: reloaded.work.customGpus });
    next.getState().loadScenario('two GPUs');
    expect(next.getState().inputs.gpuIds).toEqual(['H100', gpu.value.id]);
    expect(next.getState().ui.notices).toEqual([]);
  });
});

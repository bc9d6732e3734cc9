// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { startAppEffects } from './effects';
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
      engine: { compute: () => new Promise(() => undefined) },
      url: browserFragmentPort(window),
      decodeContext: { knownGpuIds: [] },
    });
    store.getState().setHubToken('hf_topsecret');
    store.getState().setInput('inputTokens', 555);
    expect(readToken(window.sessionStorage)).toBe('hf_topsecret');
    expect(window.location.hash).toBe('#v=1&i=555');
    expect(window.location.href).not.toMatch(/topsecret/);
    const localValues = Object.keys(window.localStorage).map((k) => window.localStorage.getItem(k));
    expect(localValues.join()).not.toMatch(/topsecret/);
    store.getState().setHubToken('');
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    stop();
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS } from './inputs';
import { createAppStore } from './store';
import { startUrlSync, type UrlFragmentPort } from './urlSync';

const ctx = { knownGpuIds: ['H100', 'H200'] };

function fakePort(initial: string) {
  let listener: (() => void) | null = null;
  const port: UrlFragmentPort & { fragment: string; writes: string[]; userEdits(f: string): void } = {
    fragment: initial,
    writes: [],
    read: () => port.fragment,
    replace: (f) => {
      port.fragment = `#${f}`;
      port.writes.push(f);
    },
    onExternalChange: (l) => {
      listener = l;
      return () => (listener = null);
    },
    userEdits: (f) => {
      port.fragment = f;
      listener?.();
    },
  };
  return port;
}

describe('startUrlSync', () => {
  it('normalizes the address bar once, then writes only on input changes', () => {
    const store = createAppStore();
    const port = fakePort('#v=2&junk=1');
    startUrlSync(store, port, ctx);
    expect(port.writes).toEqual(['v=2']);
    store.getState().select(3); // not an input: no write
    store.getState().setInput('maxGpus', 4);
    expect(port.writes).toEqual(['v=2', 'v=2&n=4']);
  });

  it('reads a link pasted into the same tab, with notices for rejected values', () => {
    const store = createAppStore();
    const port = fakePort('');
    startUrlSync(store, port, ctx);
    port.userEdits('#v=2&i=333&u=7');
    expect(store.getState().inputs).toEqual({ ...DEFAULT_INPUTS, inputTokens: 333 });
    expect(store.getState().ui.notices).toEqual([{ origin: 'link', text: expect.stringMatching(/'7'/) }]);
  });

  it('never writes the token', () => {
    const store = createAppStore();
    const port = fakePort('');
    startUrlSync(store, port, ctx);
    store.getState().setHubToken('hf_secret');
    store.getState().setInput('inputTokens', 9);
    expect(port.writes.join('&')).not.toMatch(/hf_secret/);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS } from './inputs';
import { createAppStore } from './store';
import { startUrlSync, type UrlFragmentPort } from './urlSync';

const ctx = { knownGpuIds: ['H100', 'H200'] };

function fakePort(initial: string) {
  let listener: (() => void) | null = null;
  const port: UrlFragmentPort & { fragment: string; writes: string[]; pushes: string[]; userEdits(f: string): void } = {
    fragment: initial,
    writes: [],
    pushes: [],
    read: () => port.fragment,
    replace: (f) => {
      port.fragment = `#${f}`;
      port.writes.push(f);
    },
    push: (f) => {
      port.fragment = `#${f}`;
      port.writes.push(f);
      port.pushes.push(f);
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

  it('an input change pushes a history entry; quick successive edits amend it; Back restores the earlier inputs without a new entry', () => {
    const store = createAppStore();
    const port = fakePort('');
    let now = 0;
    startUrlSync(store, port, ctx, () => now);
    now = 10_000;
    store.getState().setInput('inputTokens', 4);
    now += 200;
    store.getState().setInput('inputTokens', 40); // typing on: the same entry
    now += 5_000;
    store.getState().setInput('maxGpus', 4);
    expect(port.pushes).toEqual(['v=2&i=4', 'v=2&i=40&n=4']);
    expect(port.writes).toContain('v=2&i=40');
    // Back: the browser shows the earlier fragment; the inputs follow and nothing is pushed.
    port.userEdits('#v=2&i=40');
    expect(store.getState().inputs.maxGpus).toBe(DEFAULT_INPUTS.maxGpus);
    expect(store.getState().inputs.inputTokens).toBe(40);
    expect(port.pushes).toHaveLength(2);
  });

  it('ticking a row to compare rewrites the link without a history entry', () => {
    const store = createAppStore({ inputs: { ...DEFAULT_INPUTS } });
    const port = fakePort('');
    let now = 0;
    startUrlSync(store, port, ctx, () => now);
    now = 10_000;
    store.getState().setInput('compareConfigs', ['H100|1|1|1|1|']);
    expect(port.pushes).toEqual([]);
    expect(port.fragment).toBe('#v=2&cmp=H100%7C1%7C1%7C1%7C1%7C');
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

// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { startComputeRunner } from '../state/computeRunner';
import { startModelLoader } from '../state/modelLoader';
import { createAppStore } from '../state/store';
import { AppStoreProvider } from '../state/useAppStore';
import type { ComputeOutcome } from '../worker/protocol';
import { App } from './App';
import { makeArch, makeResult } from './results/testData';

function setup() {
  const store = createAppStore();
  const answers: ((o: ComputeOutcome) => void)[] = [];
  const engine = { setModel: () => undefined, compute: () => new Promise<ComputeOutcome>((resolve) => answers.push(resolve)) };
  const stops = [
    startModelLoader(store, { fetchModelFiles: () => Promise.reject(new Error('no network in tests')), session: null }),
    startComputeRunner(store, { engine, debounceMs: 0 }),
  ];
  render(
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>,
  );
  return { store, answers, stop: () => stops.forEach((s) => s()), user: userEvent.setup() };
}

afterEach(cleanup);

describe('App', () => {
  it('shows the tool name, the model field and a computing state, then the results and the model summary', async () => {
    const { answers, stop } = setup();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('GPU Fit');
    expect(screen.getByRole('combobox', { name: /Model/ })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/Computing/);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 5));
      answers[0]?.({ status: 'ok', arch: makeArch({ assumptions: ['rope_scaling ignored'] }), result: makeResult(), computeMs: 3 });
    });
    expect(screen.queryByText(/Computing/)).toBeNull();
    expect(screen.getAllByRole('table').length).toBeGreaterThan(0);
    const summary = screen.getByRole('region', { name: 'Model summary' });
    expect(summary.textContent).toMatch(/8\.03B total/);
    expect(summary.textContent).toMatch(/rope_scaling ignored/);
    stop();
  });

  it('names the config field when the engine rejects the config; the inputs are kept', async () => {
    const { store, answers, stop } = setup();
    const before = store.getState().inputs;
    await act(async () => {
      await new Promise((r) => setTimeout(r, 5));
      answers[0]?.({ status: 'config-error', error: { kind: 'missing-field', field: 'num_attention_heads' }, computeMs: 1 });
    });
    expect(screen.getByRole('alert').textContent).toMatch(/num_attention_heads/);
    expect(store.getState().inputs).toBe(before);
    stop();
  });

  it('toggles the theme on <html data-theme>', async () => {
    const { user, stop } = setup();
    const toggle = screen.getByRole('button', { name: /Switch to (dark|light) theme/ });
    const before = document.documentElement.dataset.theme;
    await user.click(toggle);
    expect(document.documentElement.dataset.theme).not.toBe(before);
    stop();
  });
});

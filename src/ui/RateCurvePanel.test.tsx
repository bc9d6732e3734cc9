// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS, type Inputs } from '../state/inputs';
import { createAppStore } from '../state/store';
import { AppStoreProvider } from '../state/useAppStore';
import { RateCurvePanel } from './RateCurvePanel';
import { makeArch, makeRequest, makeResult } from './results/testData';

afterEach(cleanup);

/** The panel over makeResult's rows at a request rate, row `index` selected (row 3: h100 × 8 as DP8, row 0: one GPU). */
function renderPanel(index: number, inputs: Partial<Inputs>) {
  const store = createAppStore({ inputs: { ...DEFAULT_INPUTS, loadKind: 'rate', ratePerS: 20, ...inputs } });
  store.getState().setResults({ status: 'ready', view: { arch: makeArch(), request: makeRequest(), result: makeResult(), computeMs: 1 } });
  store.getState().select(index);
  render(
    <AppStoreProvider store={store}>
      <RateCurvePanel />
    </AppStoreProvider>,
  );
}

describe('RateCurvePanel', () => {
  it("a row of several engine replicas says which router its curve ran behind", () => {
    renderPanel(3, { replicaRouting: 'least-loaded' });
    const panel = screen.getByRole('region', { name: 'Latency against request rate' });
    expect(panel.textContent).toMatch(/Its 8 engine replicas run behind one router \(Replica routing: Least-loaded/);
    cleanup();
    renderPanel(3, { replicaRouting: 'random' });
    expect(screen.getByRole('region', { name: 'Latency against request rate' }).textContent).toMatch(/each take 1 request in 8, at random/);
  });

  it('one engine replica has nothing to route: no routing line', () => {
    renderPanel(0, { replicaRouting: 'least-loaded' });
    expect(screen.getByRole('region', { name: 'Latency against request rate' }).textContent).not.toMatch(/router|at random/);
  });
});

// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Verdict } from '../../engine/types';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { makeArch, makeRequest, makeResult } from '../results/testData';
import { ScenariosPanel } from './ScenariosPanel';

afterEach(cleanup);

/** A verdict picking 1 × h100 (TP1) at 32 concurrent; figures picked by hand. */
function pickVerdict(gpuId: string, itlMs: number, usd: number): Verdict {
  return {
    kind: 'pick',
    pick: { index: 0, gpuId, gpuCount: 1, layout: { tp: 1, pp: 1, dp: 1, ep: false }, concurrency: 32, ttftMs: 120, itlMs, e2eMs: 30_000, usdPerMillionOutputTokens: usd, outputTokensPerS: 1500, costUsdPerHour: 3 },
    reason: 'cheapest-meeting-slo',
    load: 'fixed',
    tieBandPct: 14,
    competitor: null,
  };
}

function setup() {
  const store = createAppStore();
  render(
    <AppStoreProvider store={store}>
      <ScenariosPanel />
    </AppStoreProvider>,
  );
  /** Puts a fresh answer on screen with this verdict. */
  const showVerdict = (modelId: string, verdict: Verdict) =>
    act(() => store.getState().setResults({ status: 'ready', view: { arch: makeArch({ modelId }), request: makeRequest(), result: { ...makeResult(), verdict }, computeMs: 1 } }));
  return { store, showVerdict, user: userEvent.setup() };
}

describe('ScenariosPanel: two saved scenarios side by side', () => {
  it('saving keeps the verdict on screen; ticking two shows both verdicts and key figures side by side', async () => {
    const { store, showVerdict, user } = setup();
    const save = async (name: string) => {
      await user.type(screen.getByLabelText('Scenario name'), name);
      await user.click(screen.getByRole('button', { name: 'Save scenario' }));
    };
    showVerdict('org/Model-A', pickVerdict('h100', 20, 0.56));
    await save('on H100');
    showVerdict('org/Model-B', pickVerdict('l40s', 33, 0.91));
    await save('on L40S');
    expect(store.getState().scenarios.map((s) => s.snapshot?.modelId)).toEqual(['org/Model-B', 'org/Model-A']);

    expect(screen.queryByRole('table')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Compare scenario on H100' }));
    expect(screen.queryByRole('table')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Compare scenario on L40S' }));

    const table = screen.getByRole('table', { name: /Side by side/ });
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['on H100', 'on L40S']);
    const row = (label: string) => within(within(table).getByRole('rowheader', { name: label }).closest('tr') as HTMLElement).getAllByRole('cell').map((c) => c.textContent);
    expect(row('Model')).toEqual(['org/Model-A', 'org/Model-B']);
    expect(row('Configuration')).toEqual(['1 × h100', '1 × l40s']);
    expect(row('ITL')).toEqual(['20.0 ms', '33.0 ms']);
    expect(row('$/M output tokens')).toEqual(['$0.560', '$0.910']);
    expect(row('Load')).toEqual(['32 concurrent', '32 concurrent']);
    expect(row('Verdict')[0]).toMatch(/^Serve Model-A on 1 × h100/);
    expect(row('Verdict')[1]).toMatch(/^Serve Model-B on 1 × l40s/);
  });

  it('a scenario saved while the engine computes (or before results were kept) says so instead of figures', async () => {
    const { store, user } = setup();
    act(() => {
      store.getState().saveScenario('old one', '2026-11-27T00:00:00.000Z');
      store.getState().saveScenario('older', '2026-11-26T00:00:00.000Z');
    });
    await user.click(screen.getByRole('checkbox', { name: 'Compare scenario old one' }));
    await user.click(screen.getByRole('checkbox', { name: 'Compare scenario older' }));
    const table = screen.getByRole('table', { name: /Side by side/ });
    expect(within(table).getAllByText(/not kept/)).toHaveLength(2);
  });
});

// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngineSession } from '../../engine/session';
import { LLAMA_31_8B } from '../../engine/testArchs';
import { disaggAskOf } from '../../state/disagg';
import { DEFAULT_INPUTS, type Inputs } from '../../state/inputs';
import { buildRecommendRequest } from '../../state/selectors';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { ServingShapeChoice } from '../inputs/ServingShapeChoice';
import { pdRows } from './disaggFixture.testing';
import DisaggExportNote from './DisaggExportNote';
import DisaggSection from './DisaggSection';
import DisaggVerdictLine from './DisaggVerdictLine';

afterEach(cleanup);

const INPUTS: Inputs = { ...DEFAULT_INPUTS, gpuIds: ['H100', 'A100-80GB'], loadKind: 'rate', ratePerS: 10, servingShape: 'pd', prefillGpuIds: ['H100', 'A100-80GB'], decodeGpuIds: ['H100'] };

describe('ServingShapeChoice', () => {
  it('P/D with a concurrency load says it needs a request rate and switches the load on request', async () => {
    const store = createAppStore();
    const user = userEvent.setup();
    render(
      <AppStoreProvider store={store}>
        <ServingShapeChoice />
      </AppStoreProvider>,
    );
    expect(screen.queryByLabelText('Prefill GPUs')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Serving shape', { selector: 'select' }), 'pd');
    expect(store.getState().inputs.servingShape).toBe('pd');
    expect(screen.getByRole('alert').textContent).toMatch(/sized for a request rate/);
    await user.click(screen.getByRole('button', { name: 'Use a request rate' }));
    expect(store.getState().inputs.loadKind).toBe('rate');
    expect(screen.queryByText(/the load is a concurrency/)).toBeNull();
    expect(screen.getByRole('button', { name: 'What is Serving shape?' })).toBeTruthy();
  });

  it('a pool takes at most four GPU types: a fifth is refused with a message and the choice kept', async () => {
    const store = createAppStore({ inputs: { ...DEFAULT_INPUTS, servingShape: 'pd', loadKind: 'rate' } });
    const user = userEvent.setup();
    render(
      <AppStoreProvider store={store}>
        <ServingShapeChoice />
      </AppStoreProvider>,
    );
    const picker = screen.getByLabelText('Prefill GPUs');
    await user.selectOptions(picker, ['H100', 'H200']);
    expect(store.getState().inputs.prefillGpuIds).toEqual(['H100', 'H200']);
    // One change per option: the fourth is taken, the fifth refused.
    await user.selectOptions(picker, ['A100-80GB', 'L40S', 'B200']);
    expect(store.getState().inputs.prefillGpuIds).toEqual(['H100', 'H200', 'A100-80GB', 'L40S']);
    expect(screen.getByRole('alert').textContent).toMatch(/At most 4 GPU types per pool/);
    await user.click(screen.getByRole('button', { name: "Use the GPU filter's" }));
    expect(store.getState().inputs.prefillGpuIds).toBeNull();
  });
});

describe('DisaggSection and the P/D verdict', () => {
  function setup() {
    const store = createAppStore({ inputs: INPUTS });
    const request = buildRecommendRequest(INPUTS);
    const session = createEngineSession(LLAMA_31_8B);
    const view = { arch: LLAMA_31_8B, request, result: session.recommend(request), computeMs: 1 };
    store.getState().setResults({ status: 'ready', view });
    const ask = disaggAskOf(INPUTS, view);
    if (ask.status !== 'ready') throw new Error('unreachable');
    const rows = pdRows().slice(0, 2);
    store.getState().setDisagg({ forKey: ask.key, rows: { 'H100>H100': rows[0]!, 'A100-80GB>H100': rows[1]! }, simulating: null, failed: {} });
    render(
      <AppStoreProvider store={store}>
        <DisaggVerdictLine />
        <DisaggExportNote />
        <DisaggSection candidates={view.result.candidates} modelId={LLAMA_31_8B.modelId} />
      </AppStoreProvider>,
    );
    return { store, user: userEvent.setup() };
  }

  it('shows one table row per simulated pair, the verdict’s P/D sentence, and the selected row’s launch commands', async () => {
    const { store, user } = setup();
    expect(screen.getByText('2 of 2 GPU pairs simulated.')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'P/D candidates' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByTestId('disagg-verdict').textContent).toMatch(/^P\/D: prefill/);
    await user.click(within(table).getByRole('button', { name: 'Select P/D H100 → H100' }));
    expect(store.getState().inputs.selectedDisaggPair).toBe('H100>H100');
    const launch = await screen.findByRole('region', { name: 'P/D launch commands' });
    expect(launch.textContent).toContain('--kv-transfer-config');
    await act(async () => store.getState().setInput('servingShape', 'aggregated'));
    expect(screen.queryByRole('table', { name: 'P/D candidates' })).toBeNull();
    expect(screen.queryByTestId('disagg-verdict')).toBeNull();
  });

  it('moves between rows with the arrow keys (one Tab stop) and selects the focused row with Enter or Space', async () => {
    const { store, user } = setup();
    const table = screen.getByRole('table', { name: 'P/D candidates' });
    const [first, second] = within(table).getAllByRole('row').slice(1);
    if (first === undefined || second === undefined) throw new Error('two rows expected');
    expect(first.tabIndex).toBe(0);
    expect(second.tabIndex).toBe(-1);
    first.focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(second);
    expect(store.getState().inputs.selectedDisaggPair).toBeNull(); // moving does not select
    await user.keyboard('{Enter}');
    expect(store.getState().inputs.selectedDisaggPair).toBe('A100-80GB>H100');
    expect(second.getAttribute('aria-current')).toBe('true');
    expect(second.tabIndex).toBe(0);
    expect(first.tabIndex).toBe(-1);
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(first);
    await user.keyboard(' ');
    expect(store.getState().inputs.selectedDisaggPair).toBe('H100>H100');
    await user.keyboard('{ArrowUp}'); // stays inside the rows
    expect(document.activeElement).toBe(first);
  });

  it('on a phone each card field carries its label, and the term fields their own "?"', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('max-width: 600px'), media: query, addEventListener: () => {}, removeEventListener: () => {} }));
    try {
      const { store, user } = setup();
      const row = within(screen.getByRole('table', { name: 'P/D candidates' })).getAllByRole('row')[1]!;
      const labels = within(row)
        .getAllByRole('cell')
        .map((cell) => cell.getAttribute('data-label'));
      expect(labels).toEqual([
        'Prefill pool',
        'Decode pool',
        'KV transfer (ms/request)',
        'p99 TTFT (ms)',
        'p99 ITL (ms)',
        'GPUs',
        '$/h',
        '$/M tokens',
        'Plan',
        'Aggregated, same GPUs',
        'Cheapest aggregated',
      ]);
      for (const term of ['KV transfer', 'Aggregated at the same GPUs', 'Cheapest aggregated']) {
        const help = within(row).getByRole('button', { name: `What is ${term}?` });
        await user.click(help);
        expect(within(row).getByRole('note', { name: `About ${term}` }).hidden).toBe(false);
      }
      expect(store.getState().inputs.selectedDisaggPair).toBeNull(); // a "?" press is not a row click
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('the main export says its CSV/JSON hold the P/D rows too and takes the user to the P/D downloads', async () => {
    const { store, user } = setup();
    const note = screen.getByRole('note', { name: 'P/D rows in the exports' });
    expect(note.textContent).toMatch(/aggregated rows and the P\/D rows simulated so far \(a Shape column\); the P\/D section has its own CSV and JSON too/);
    await user.click(within(note).getByRole('button', { name: 'Go to the P/D downloads' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Download P/D CSV (2 rows)' }));
    await act(async () => store.getState().setInput('servingShape', 'aggregated'));
    expect(screen.queryByRole('note', { name: 'P/D rows in the exports' })).toBeNull();
  });
});

// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { GPU_IDS } from '../../engine/catalog/gpus';
import { DEFAULT_INPUTS } from '../../state/inputs';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { startUrlSync, type UrlFragmentPort } from '../../state/urlSync';
import { WorkloadForm } from './WorkloadForm';

function fakeUrl(initial = ''): UrlFragmentPort & { fragment: string; writes: number } {
  const port = {
    fragment: initial,
    writes: 0,
    read: () => port.fragment,
    replace: (f: string) => {
      port.fragment = f;
      port.writes += 1;
    },
    push: (f: string) => {
      port.fragment = f;
      port.writes += 1;
    },
    onExternalChange: () => () => undefined,
  };
  return port;
}

function setup() {
  const store = createAppStore();
  const url = fakeUrl();
  startUrlSync(store, url, { knownGpuIds: GPU_IDS });
  render(
    <AppStoreProvider store={store}>
      <WorkloadForm />
    </AppStoreProvider>,
  );
  return { store, url, user: userEvent.setup() };
}

afterEach(cleanup);

describe('WorkloadForm', () => {
  it('Load: request rate shows the rate and burstiness in place of the concurrency; the link carries them and the percentile', async () => {
    const { store, url, user } = setup();
    expect(screen.queryByLabelText('Request rate (requests/s)')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Load'), 'rate');
    expect(screen.queryByLabelText('Concurrency')).toBeNull();
    const rate = screen.getByLabelText('Request rate (requests/s)');
    await user.clear(rate);
    await user.type(rate, '40');
    await user.selectOptions(screen.getByLabelText('Limits apply at'), '90');
    expect(store.getState().inputs).toMatchObject({ loadKind: 'rate', ratePerS: 40, sloPercentile: 90 });
    expect(url.fragment).toMatch(/ld=rate/);
    expect(url.fragment).toMatch(/r=40/);
    expect(url.fragment).toMatch(/sp=90/);
    const burstiness = screen.getByLabelText('Burstiness');
    await user.clear(burstiness);
    await user.type(burstiness, '0');
    expect(screen.getByRole('alert').textContent).toMatch(/above 0/);
    expect(store.getState().inputs.burstiness).toBe(1);
  });

  it('prefix caching and speculative decoding: the inputs reach the store, the request and the link; MTP needs MTP layers', async () => {
    const { store, url, user } = setup();
    const hit = screen.getByLabelText('Prefix hit rate');
    await user.clear(hit);
    await user.type(hit, '0.6');
    const shared = screen.getByLabelText('Shared prefix tokens');
    await user.clear(shared);
    await user.type(shared, '500');
    // No model computed yet: no MTP layers known, so MTP is not offered; a draft model is CLI-only.
    const method = screen.getByLabelText('Speculative method');
    expect(within(method).queryByRole('option', { name: /MTP/ })).toBeNull();
    expect(within(method).queryByRole('option', { name: /draft/i })).toBeNull();
    expect(screen.queryByLabelText('Acceptance rate')).toBeNull();
    await user.selectOptions(method, 'eagle3');
    const acceptance = screen.getByLabelText('Acceptance rate');
    expect(acceptance.getAttribute('placeholder')).toBe('default 0.8');
    expect(screen.getByText(/published default 0\.8 \(EAGLE-3/)).toBeTruthy();
    await user.type(acceptance, '2');
    expect(screen.getByRole('alert').textContent).toMatch(/from 0 to 1/);
    expect(store.getState().inputs.specAcceptance).toBeNull();
    await user.clear(acceptance);
    await user.type(acceptance, '0.7');
    expect(store.getState().inputs).toMatchObject({ prefixHitRate: 0.6, prefixSharedTokens: 500, specMethod: 'eagle3', specAcceptance: 0.7 });
    for (const key of ['ph=0.6', 'ps=500', 'sm=eagle3', 'sa=0.7']) expect(url.fragment).toContain(key);
  });

  it('the custom all-reduce checkbox sets the input and the link carries it', async () => {
    const { store, url, user } = setup();
    await user.click(screen.getByLabelText('Disable custom all-reduce'));
    expect(store.getState().inputs.disableCustomAllReduce).toBe(true);
    expect(url.fragment).toMatch(/(^|[&#])ar=1/);
  });


  it('labels every input', () => {
    setup();
    for (const name of [
      'Input tokens per request',
      'Output tokens per request',
      'Concurrency',
      'Serving engine',
      'Max model length (tokens)',
      'Weight precision',
      'KV-cache dtype',
      'GPU memory utilization',
      'Max time to first token (ms)',
      'Max inter-token latency (ms)',
      'Max end-to-end latency (ms)',
      'Max GPUs per configuration',
      'Disable custom all-reduce',
    ]) {
      expect(screen.getByLabelText(name), name).toBeTruthy();
    }
  });

  it('a use-case preset sets lengths, load and limits at once; editing one makes it custom', async () => {
    const { store, user } = setup();
    expect(screen.getByRole('radio', { name: 'Chat' })).toHaveProperty('checked', true);
    await user.click(screen.getByRole('radio', { name: 'Batch / offline' }));
    expect(store.getState().inputs).toMatchObject({ concurrency: 'max', maxTtftMs: null, maxItlMs: null });
    expect(screen.getByText(/Offline scenario/)).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Code completion' }));
    expect(store.getState().inputs).toMatchObject({ inputTokens: 1024, outputTokens: 128, concurrency: 'sweep', maxTtftMs: 500, maxItlMs: 30 });
    const field = screen.getByLabelText('Output tokens per request');
    await user.clear(field);
    await user.type(field, '200');
    expect(screen.getByText(/Custom workload/)).toBeTruthy();
  });

  it('typing a valid value updates the store and the URL (no default keys)', async () => {
    const { store, url, user } = setup();
    const field = screen.getByLabelText('Input tokens per request');
    await user.clear(field);
    await user.type(field, '4096');
    expect(store.getState().inputs.inputTokens).toBe(4096);
    expect(url.fragment).toBe('v=2&i=4096');
  });

  it('rejects an absurd value next to the field and keeps the last valid one', async () => {
    const { store, user } = setup();
    const field = screen.getByLabelText('GPU memory utilization');
    await user.clear(field);
    await user.type(field, '2');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/at most 1/);
    expect(store.getState().inputs.gpuMemoryUtilization).toBe(DEFAULT_INPUTS.gpuMemoryUtilization);
    await user.clear(field);
    await user.type(field, 'abc');
    expect(Number.isNaN(store.getState().inputs.gpuMemoryUtilization)).toBe(false);
  });

  it('switches concurrency between sweep, max and a fixed number', async () => {
    const { store, url, user } = setup();
    await user.selectOptions(screen.getByLabelText('Concurrency'), 'max');
    expect(store.getState().inputs.concurrency).toBe('max');
    await user.selectOptions(screen.getByLabelText('Concurrency'), 'fixed');
    const count = screen.getByLabelText('Concurrent requests');
    await user.clear(count);
    await user.type(count, '32');
    expect(store.getState().inputs.concurrency).toBe(32);
    expect(url.fragment).toBe('v=2&c=32');
  });

  it('an empty SLO field means no limit; selects write their closed-set values', async () => {
    const { store, user } = setup();
    const ttft = screen.getByLabelText('Max time to first token (ms)');
    await user.clear(ttft);
    await user.type(ttft, '250');
    expect(store.getState().inputs.maxTtftMs).toBe(250);
    await user.clear(ttft);
    expect(store.getState().inputs.maxTtftMs).toBeNull();
    await user.selectOptions(screen.getByLabelText('KV-cache dtype'), 'fp8');
    await user.selectOptions(screen.getByLabelText('Serving engine'), 'sglang');
    expect(store.getState().inputs).toMatchObject({ kvCacheDtype: 'fp8', engine: 'sglang' });
  });

  it('GPU checkboxes and price overrides update the considered set and the prices', async () => {
    const { store, user } = setup();
    await user.click(screen.getByText('GPU types and prices (all 32)'));
    const list = screen.getByRole('list', { name: 'GPU types considered' });
    await user.click(within(list).getByRole('checkbox', { name: 'H100' }));
    expect(store.getState().inputs.gpuIds).toEqual(GPU_IDS.filter((id) => id !== 'H100'));
    await user.click(within(list).getByRole('checkbox', { name: 'H100' }));
    expect(store.getState().inputs.gpuIds).toBeNull();
    await user.type(screen.getByLabelText('H200 price, USD per GPU-hour'), '2.5');
    expect(store.getState().inputs.priceOverridesUsdPerHour).toEqual({ H200: 2.5 });
  });

  it('groups the GPU types by vendor and generation; a group checkbox drops or adds the whole group', async () => {
    const { store, user } = setup();
    await user.click(screen.getByText('GPU types and prices (all 32)'));
    const list = screen.getByRole('list', { name: 'GPU types considered' });
    const hopper = within(list).getByRole('checkbox', { name: 'NVIDIA Hopper (6)' });
    const hopperIds = within(screen.getByRole('list', { name: 'GPU types: NVIDIA Hopper' }))
      .getAllByRole('checkbox')
      .map((box) => box.getAttribute('aria-label') ?? box.closest('label')?.textContent ?? '');
    expect(hopperIds).toEqual(['H100', 'H100-PCIE', 'H100-NVL', 'H200', 'H20', 'GH200']);
    await user.click(hopper);
    expect(store.getState().inputs.gpuIds).toEqual(GPU_IDS.filter((id) => !hopperIds.includes(id)));
    expect(screen.getByText('GPU types and prices (26 of 32)')).toBeTruthy();
    await user.click(within(list).getByRole('checkbox', { name: 'H100' }));
    // Mixed: the native checkbox's indeterminate state (announced as "mixed").
    expect((hopper as HTMLInputElement).indeterminate).toBe(true);
    await user.click(hopper);
    expect(store.getState().inputs.gpuIds).toBeNull();
    // Fixed order, whatever the model: vendor, then generation, newest first.
    const groupNames = within(list)
      .getAllByRole('checkbox')
      .map((box) => box.closest('label')?.textContent ?? '')
      .filter((name) => /^(NVIDIA|AMD) /.test(name));
    expect(groupNames[0]).toMatch(/^NVIDIA Blackwell/);
    expect(groupNames[groupNames.length - 1]).toMatch(/^AMD CDNA 3/);
  });

  it('shows a value changed elsewhere (a pasted link)', () => {
    const { store } = setup();
    act(() => store.getState().replaceInputs({ ...DEFAULT_INPUTS, outputTokens: 77 }));
    expect(screen.getByLabelText<HTMLInputElement>('Output tokens per request').value).toBe('77');
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { CustomGpuPanel } from './CustomGpuPanel';
import { GpuFields } from './GpuFields';

function setup() {
  const store = createAppStore({ hubToken: 'hf_panelSecret99' });
  render(
    <AppStoreProvider store={store}>
      <CustomGpuPanel />
      <GpuFields />
    </AppStoreProvider>,
  );
  return { store, user: userEvent.setup() };
}

afterEach(cleanup);

const FORM_VALUES: [RegExp, string][] = [
  [/GPU name/, 'Acme X1'],
  [/^Memory, GiB/, '94'],
  [/Memory bandwidth, GB\/s/, '3900'],
  [/Dense BF16 TFLOPS/, '800'],
  [/Interconnect, GB\/s/, '450'],
  [/GPUs per node/, '8'],
  [/TDP, W/, '700'],
  [/^Price, USD per GPU-hour/, '2.5'],
];

describe('CustomGpuPanel', () => {
  it('the form marks every rejected field and says why; nothing is added', async () => {
    const { store, user } = setup();
    const form = screen.getByRole('form', { name: 'Add a custom GPU' });
    await user.type(within(form).getByLabelText(/GPU name/), 'Acme X1');
    await user.type(within(form).getByLabelText(/^Memory, GiB/), 'ninety');
    await user.click(within(form).getByRole('button', { name: 'Add custom GPU' }));
    const alert = within(form).getByRole('alert');
    expect(alert.textContent).toMatch(/memoryGiB must be a number/);
    expect(alert.textContent).toMatch(/memBandwidthGBPerS is required/);
    expect(within(form).getByLabelText(/^Memory, GiB/).getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByLabelText(/GPU name/).getAttribute('aria-invalid')).toBe('false');
    expect(store.getState().customGpus).toEqual([]);
  });

  it('a valid form adds the GPU: listed, offered in the GPU types, removable', async () => {
    const { store, user } = setup();
    const form = screen.getByRole('form', { name: 'Add a custom GPU' });
    for (const [label, value] of FORM_VALUES) await user.type(within(form).getByLabelText(label), value);
    await user.click(within(form).getByRole('button', { name: 'Add custom GPU' }));
    expect(store.getState().customGpus.map((g) => g.id)).toEqual(['custom:Acme X1']);
    expect(within(screen.getByRole('list', { name: 'Custom GPUs' })).getByText('custom:Acme X1')).toBeTruthy();
    const gpuTypes = screen.getByRole('list', { name: 'GPU types considered' });
    const box = within(gpuTypes).getByRole('checkbox', { name: 'custom:Acme X1' });
    await user.click(box);
    expect(store.getState().inputs.gpuIds).not.toContain('custom:Acme X1');
    expect(store.getState().inputs.gpuIds).toContain('H100');
    await user.click(box);
    expect(store.getState().inputs.gpuIds).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Remove custom GPU Acme X1' }));
    expect(store.getState().customGpus).toEqual([]);
    expect(within(gpuTypes).queryByRole('checkbox', { name: 'custom:Acme X1' })).toBeNull();
  });

  it('imports JSON (naming bad fields by position) and exports the list without the token', async () => {
    const { store, user } = setup();
    const box = screen.getByLabelText(/Custom GPU JSON/);
    const gpu = { name: 'Acme X2', memoryGiB: 94, memBandwidthGBPerS: 3900, bf16Tflops: 800, interconnect: 'pcie', interconnectGBPerS: 64, gpusPerNode: 8, tdpWatts: 350, priceUsdPerHour: 1 };
    await user.clear(box);
    // user.type treats { and [ as key descriptors; paste the JSON instead.
    await user.click(box);
    await user.paste(JSON.stringify([gpu, { ...gpu, name: 'Acme X3', tdpWatts: 'hot' }]));
    await user.click(screen.getByRole('button', { name: 'Import JSON' }));
    expect(screen.getByRole('alert').textContent).toBe('Not imported: [1].tdpWatts must be a number.');
    expect(store.getState().customGpus).toEqual([]);
    await user.clear(box);
    await user.paste(JSON.stringify(gpu));
    await user.click(screen.getByRole('button', { name: 'Import JSON' }));
    expect(store.getState().customGpus.map((g) => g.id)).toEqual(['custom:Acme X2']);
    await user.click(screen.getByRole('button', { name: 'Export to the box' }));
    const exported: unknown = JSON.parse((box as HTMLTextAreaElement).value);
    expect(exported).toEqual([{ ...gpu, efficiencyLike: 'hopper' }]);
    expect((box as HTMLTextAreaElement).value).not.toContain('hf_panelSecret99');
  });
});

// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID } from '../../engine/catalog/bundledModels';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { ModelPicker } from './ModelPicker';
import { ModelStatus } from './ModelStatus';
import { PasteConfigDialog } from './PasteConfigDialog';

function setup() {
  const store = createAppStore();
  render(
    <AppStoreProvider store={store}>
      <ModelPicker />
      <ModelStatus />
      <PasteConfigDialog session={null} />
    </AppStoreProvider>,
  );
  return { store, user: userEvent.setup() };
}

afterEach(cleanup);

describe('ModelPicker', () => {
  it('is a field whose accessible name contains "Model", showing the current id', () => {
    setup();
    const field = screen.getByRole('combobox', { name: /Model/ });
    expect((field as HTMLInputElement).value).toBe(DEFAULT_MODEL_ID);
  });

  it('search-as-you-type lists bundled matches; picking one sets the model id', async () => {
    const { store, user } = setup();
    const field = screen.getByRole('combobox', { name: /Model/ });
    await user.clear(field);
    await user.type(field, 'llama 70b');
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toContain('meta-llama/Llama-3.1-70B-Instruct');
    expect(options.every((o) => /llama/i.test(o.textContent ?? ''))).toBe(true);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(store.getState().inputs.modelId).toBe(options[0]?.textContent);
  });

  it('Enter or Load on any other id asks the loader for it', async () => {
    const { store, user } = setup();
    const field = screen.getByRole('combobox', { name: /Model/ });
    await user.clear(field);
    await user.type(field, 'someorg/some-model{Enter}');
    expect(store.getState().inputs.modelId).toBe('someorg/some-model');
    await user.clear(field);
    await user.type(field, 'other/model');
    await user.click(screen.getByRole('button', { name: 'Load model' }));
    expect(store.getState().inputs.modelId).toBe('other/model');
  });

  it('the token field is a password input named for the token', () => {
    setup();
    const token = screen.getByLabelText(/token/i, { selector: 'input' });
    expect(token.getAttribute('type')).toBe('password');
  });

  it('a gated model shows the Hub message, the token field and Retry; the inputs stay', async () => {
    const { store, user } = setup();
    act(() => {
      store.getState().setModel({ status: 'error', modelId: 'meta-llama/Llama-4', error: { kind: 'hub', error: { kind: 'gated', modelId: 'meta-llama/Llama-4', hasToken: false } } });
    });
    expect(screen.getByRole('alert').textContent).toMatch(/gated/);
    const token = screen.getByLabelText(/token/i, { selector: 'input' });
    await user.type(token, 'hf_abc');
    expect(store.getState().hubToken).toBe('hf_abc');
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(store.getState().modelLoadAttempt).toBe(1);
  });

  it('shows a loading state while the Hub answers', () => {
    const { store } = setup();
    act(() => store.getState().setModel({ status: 'loading', modelId: 'org/x' }));
    expect(screen.getByRole('status').textContent).toMatch(/Loading org\/x/);
  });

  it('a pasted config that is not JSON says where it breaks', async () => {
    const { store, user } = setup();
    await user.click(screen.getByRole('button', { name: /Paste a config.json/ }));
    const dialog = screen.getByRole('dialog', { name: 'Paste a config.json' });
    const text = within(dialog).getByLabelText('config.json contents');
    await user.click(text);
    await user.paste('{\n  "hidden_size": 4096,\n  "num_layers": oops\n}');
    await user.click(within(dialog).getByRole('button', { name: 'Use this config' }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/line 3, column 17/);
    await user.clear(text);
    await user.paste('{"model_type": "llama"}');
    await user.click(within(dialog).getByRole('button', { name: 'Use this config' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().model).toMatchObject({ status: 'ready', origin: 'pasted', modelId: 'pasted/model' });
    expect(store.getState().inputs.modelId).toBe('pasted/model');
  });
});

describe('TokenField', () => {
  it('Enter in the token field retries the load', async () => {
    const { store, user } = setup();
    await user.click(screen.getByText('Gated or private model?'));
    await user.type(screen.getByLabelText(/token/i, { selector: 'input' }), 'hf_x{Enter}');
    expect(store.getState().modelLoadAttempt).toBe(1);
  });
});

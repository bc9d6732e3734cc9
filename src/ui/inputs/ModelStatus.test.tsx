// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { err, ok } from '../../engine/result';
import { DEFAULT_INPUTS } from '../../state/inputs';
import { startModelLoader, type FetchModelFiles } from '../../state/modelLoader';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { ModelPicker } from './ModelPicker';
import { ModelStatus } from './ModelStatus';

const TOKEN = 'hf_secretTokenValue123';
const MODEL_ID = 'acme/broken-config';

function setup(fetchModelFiles: FetchModelFiles) {
  const store = createAppStore({ inputs: { ...DEFAULT_INPUTS, modelId: MODEL_ID, inputTokens: 2048 }, hubToken: TOKEN });
  const stop = startModelLoader(store, { fetchModelFiles, session: null });
  const view = render(
    <AppStoreProvider store={store}>
      <ModelPicker />
      <ModelStatus />
    </AppStoreProvider>,
  );
  return { store, stop, container: view.container, user: userEvent.setup() };
}

afterEach(cleanup);

describe('ModelStatus', () => {
  // The bug this guards: a config.json the Hub served broken showed its message with no Retry,
  // while network and HTTP failures had one.
  it('a malformed config.json from the Hub shows where it breaks and a Retry that fetches the same id again', async () => {
    let calls = 0;
    const fetchModelFiles = vi.fn<FetchModelFiles>(async (modelId) => {
      calls += 1;
      return calls === 1 ? err({ kind: 'malformed', file: 'config.json', detail: 'Unexpected token (line 3, column 20)' }) : ok({ modelId, config: { model_type: 'llama' } });
    });
    const { store, stop, container, user } = setup(fetchModelFiles);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/config\.json from the Hub could not be read: Unexpected token \(line 3, column 20\)/);
    expect(container.textContent).not.toContain(TOKEN);
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await vi.waitFor(() => expect(store.getState().model).toMatchObject({ status: 'ready', origin: 'hub', modelId: MODEL_ID }));
    expect(fetchModelFiles.mock.calls.map((c) => c[0])).toEqual([MODEL_ID, MODEL_ID]);
    expect(store.getState().inputs.inputTokens).toBe(2048);
    stop();
  });

  it('"Load model" on the same id still fetches it again after a malformed config', async () => {
    const fetchModelFiles = vi.fn<FetchModelFiles>(async () => err({ kind: 'malformed', file: 'config.json', detail: 'not a JSON object' }));
    const { stop, user } = setup(fetchModelFiles);
    await screen.findByRole('alert');
    await user.click(screen.getByRole('button', { name: 'Load model' }));
    await vi.waitFor(() => expect(fetchModelFiles).toHaveBeenCalledTimes(2));
    stop();
  });

  it('a pasted config that the page cannot read offers no Retry (the same text would fail again)', () => {
    const { store, stop } = setup(async (modelId) => ok({ modelId, config: {} }));
    act(() => store.getState().setModel({ status: 'error', modelId: 'me/pasted', error: { kind: 'config', error: { kind: 'malformed-json', detail: 'Unexpected end' } } }));
    expect(screen.getByRole('alert').textContent).toMatch(/not valid JSON/);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    stop();
  });
});

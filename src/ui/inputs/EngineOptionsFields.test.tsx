// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { buildRecommendRequest } from '../../state/selectors';
import { ServingFields } from './ServingFields';

function setup() {
  const store = createAppStore();
  render(
    <AppStoreProvider store={store}>
      <ServingFields />
    </AppStoreProvider>,
  );
  return { store, user: userEvent.setup() };
}

afterEach(cleanup);

describe('EngineOptionsFields', () => {
  it("shows only the chosen engine's options: vLLM's version by default, SGLang's flags once SGLang is chosen", async () => {
    const { store, user } = setup();
    expect(screen.getByLabelText('vLLM version')).toBeTruthy();
    expect(screen.queryByLabelText('SGLang --mem-fraction-static')).toBeNull();
    expect(screen.queryByLabelText('TensorRT-LLM --max_batch_size')).toBeNull();

    await user.selectOptions(screen.getByLabelText('Serving engine'), 'sglang');
    expect(screen.queryByLabelText('vLLM version')).toBeNull();
    const fraction = screen.getByLabelText('SGLang --mem-fraction-static');
    await user.type(fraction, '0.7');
    expect(store.getState().inputs.sglang.memFractionStatic).toBe(0.7);
    expect(buildRecommendRequest(store.getState().inputs).serving.sglang?.memFractionStatic).toBe(0.7);

    await user.selectOptions(screen.getByLabelText('Serving engine'), 'trtllm');
    expect(screen.queryByLabelText('SGLang --mem-fraction-static')).toBeNull();
    expect(screen.getByLabelText('TensorRT-LLM --max_batch_size')).toBeTruthy();
    // Another engine's options are never sent.
    expect(buildRecommendRequest(store.getState().inputs).serving.sglang).toBeUndefined();
  });

  it('rejects a fraction above 1 next to the field and keeps the last valid value', async () => {
    const { store, user } = setup();
    await user.selectOptions(screen.getByLabelText('Serving engine'), 'sglang');
    const fraction = screen.getByLabelText('SGLang --mem-fraction-static');
    await user.type(fraction, '1.5');
    expect(fraction.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Enter a fraction above 0 and at most 1 .*or leave empty for the engine's default\./)).toBeTruthy();
    expect(store.getState().inputs.sglang.memFractionStatic).toBe(1);
  });

  it('the vLLM version and the memory of other processes reach the request', async () => {
    const { store, user } = setup();
    await user.selectOptions(screen.getByLabelText('vLLM version'), '0.16');
    const other = screen.getByLabelText('Memory used by other processes (GiB per GPU)');
    await user.clear(other);
    await user.type(other, '3');
    const serving = buildRecommendRequest(store.getState().inputs).serving;
    expect(serving.vllmVersion).toBe('0.16');
    expect(serving.usedByOtherProcessesBytes).toBe(3 * 2 ** 30);
  });

  it("async scheduling: checked at the release's default (on from vLLM 0.14), sent only when it differs, vLLM only", async () => {
    const { store, user } = setup();
    const box = screen.getByLabelText<HTMLInputElement>('Async scheduling');
    expect(box.checked).toBe(true);
    expect(buildRecommendRequest(store.getState().inputs).serving.asyncScheduling).toBeUndefined();
    await user.click(box);
    expect(store.getState().inputs.asyncScheduling).toBe(false);
    expect(buildRecommendRequest(store.getState().inputs).serving.asyncScheduling).toBe(false);
    await user.click(box);
    // Back at the release's default: null, not sent (the link omits it too).
    expect(store.getState().inputs.asyncScheduling).toBeNull();
    // vLLM 0.11 ran without it unless asked: unchecked there, and checking it sends --async-scheduling.
    await user.selectOptions(screen.getByLabelText('vLLM version'), '0.11');
    expect(box.checked).toBe(false);
    await user.click(box);
    expect(buildRecommendRequest(store.getState().inputs).serving.asyncScheduling).toBe(true);
    await user.selectOptions(screen.getByLabelText('Serving engine'), 'sglang');
    expect(screen.queryByLabelText('Async scheduling')).toBeNull();
    expect(buildRecommendRequest(store.getState().inputs).serving.asyncScheduling).toBeUndefined();
  });
});

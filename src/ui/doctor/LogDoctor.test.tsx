// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../engine/arch/parseConfig';
import { parseConfigJson } from '../../engine/arch/parseConfigJson';
import type { RecommendRequest } from '../../engine/types';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../../engine/defaults';
import { DEFAULT_INPUTS } from '../../state/inputs';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { LogDoctor } from './LogDoctor';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');
const readLog = (name: string): string => readFileSync(join(FIXTURES, 'vllm-logs', name), 'utf8');

/** A store showing a computed view of Llama-3.1-8B-Instruct (the doctor plans with its arch). */
function setup() {
  const raw = parseConfigJson(readFileSync(join(FIXTURES, 'hf', 'meta-llama__Llama-3.1-8B-Instruct', 'config.json'), 'utf8'));
  if (!raw.ok) throw new Error('fixture');
  const arch = parseConfig(raw.value, { modelId: 'meta-llama/Llama-3.1-8B-Instruct' });
  if (!arch.ok) throw new Error('fixture');
  const request: RecommendRequest = {
    inputTokens: 1000,
    outputTokens: 100,
    concurrency: 1,
    serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
    slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
    maxGpus: 1,
    gpuIds: null,
    priceOverridesUsdPerHour: {},
    engine: 'vllm',
  };
  const store = createAppStore({ inputs: { ...DEFAULT_INPUTS, modelId: 'meta-llama/Llama-3.1-8B-Instruct' } });
  store.getState().setResults({
    status: 'ready',
    view: { arch: arch.value, request, result: { candidates: [], best: { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null }, pareto: [], computeMs: 0 }, computeMs: 0 },
  });
  render(
    <AppStoreProvider store={store}>
      <LogDoctor />
    </AppStoreProvider>,
  );
  const paste = (text: string): void => {
    fireEvent.change(screen.getByLabelText('vLLM start-up log'), { target: { value: text } });
  };
  return { store, paste };
}

afterEach(cleanup);

describe('LogDoctor', () => {
  it('shows every figure of a pasted log beside the plan, each matching', () => {
    const { paste } = setup();
    paste(readLog('llama-3.1-8b-h100-tp1-debug.log'));
    const table = screen.getByRole('table', { name: 'Logged figures beside the plan' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'Model weights',
      'Activation peak (profile run)',
      'Non-torch memory (NCCL, custom all-reduce, CUDA context)',
      'KV cache memory (available)',
      'KV cache blocks',
      'GPU KV cache size',
      'Maximum concurrency at 8192 tokens per request',
      'CUDA graphs (captured)',
    ]);
    expect(rows[0]?.textContent).toContain('14.99 GiB');
    expect(rows[3]?.textContent).toContain('58.11 GiB');
    expect(rows.every((r) => r.textContent?.endsWith('matches'))).toBe(true);
    expect((screen.getByLabelText('GPU the log ran on') as HTMLSelectElement).value).toBe('H100');
  });

  it('a log of another model offers to load it; a failed start shows its fix', () => {
    const { store, paste } = setup();
    paste(readLog('phi-2-max-model-len.FAILED.log'));
    expect(screen.getByText(/the model allows 2048 positions; set --max-model-len 2048 or lower/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load microsoft/phi-2' }));
    expect(store.getState().inputs.modelId).toBe('microsoft/phi-2');
  });

  it('says so when the text is not a vLLM log', () => {
    const { paste } = setup();
    paste('{"model_type": "llama"}');
    expect(screen.getByRole('status').textContent).toBe('No vLLM start-up lines found in this text.');
    expect(screen.queryByRole('table')).toBeNull();
  });
});

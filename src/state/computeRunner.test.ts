import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelArch, RecommendRequest, RecommendResult } from '../engine/types';
import type { ComputeOutcome, ModelSource } from '../worker/protocol';
import { startComputeRunner } from './computeRunner';
import { createAppStore } from './store';

const result: RecommendResult = {
  candidates: [],
  best: { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null },
  pareto: [],
  computeMs: 1,
};
// The runner passes arch through untouched: a stub is enough here.
const arch = { modelId: 'm' } as unknown as ModelArch;

function readyStore() {
  const store = createAppStore();
  store.getState().setModel({ status: 'ready', modelId: 'm', origin: 'pasted', source: { modelId: 'm', config: {} }, paramCountsError: null });
  return store;
}

describe('startComputeRunner', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces a burst of input changes into one computation of the latest request', async () => {
    const compute = vi.fn(async (_m: ModelSource, _r: RecommendRequest): Promise<ComputeOutcome> => ({ status: 'ok', arch, result, computeMs: 1 }));
    const store = readyStore();
    startComputeRunner(store, { engine: { compute }, debounceMs: 100 });
    for (const inputTokens of [1, 12, 123, 1234]) store.getState().setInput('inputTokens', inputTokens);
    expect(store.getState().results.status).toBe('computing');
    await vi.advanceTimersByTimeAsync(100);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(compute.mock.calls[0]?.[1].inputTokens).toBe(1234);
    expect(store.getState().results.status).toBe('ready');
  });

  it('does not recompute when only the table sort changes', async () => {
    const compute = vi.fn(async (): Promise<ComputeOutcome> => ({ status: 'ok', arch, result, computeMs: 1 }));
    const store = readyStore();
    startComputeRunner(store, { engine: { compute }, debounceMs: 100 });
    await vi.advanceTimersByTimeAsync(100);
    store.getState().setInput('sort', { column: 'ttft', descending: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('drops a stale answer that arrives after a newer request was sent', async () => {
    const pending: ((o: ComputeOutcome) => void)[] = [];
    const compute = vi.fn(() => new Promise<ComputeOutcome>((resolve) => pending.push(resolve)));
    const store = readyStore();
    startComputeRunner(store, { engine: { compute }, debounceMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    store.getState().setInput('outputTokens', 7);
    await vi.advanceTimersByTimeAsync(10);
    pending[1]?.({ status: 'config-error', error: { kind: 'missing-field', field: 'hidden_size' }, computeMs: 1 });
    pending[0]?.({ status: 'ok', arch, result, computeMs: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results).toMatchObject({ status: 'config-error', error: { field: 'hidden_size' } });
  });

  it('goes idle while a model loads', () => {
    const store = readyStore();
    startComputeRunner(store, { engine: { compute: vi.fn() }, debounceMs: 10 });
    store.getState().setModel({ status: 'loading', modelId: 'x/y' });
    expect(store.getState().results.status).toBe('idle');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { LLAMA_31_8B } from '../engine/testArchs';
import type { RecommendResult } from '../engine/types';
import { createEngineClient, type WorkerLike } from '../worker/client';
import type { EngineRequest, EngineResponse, ModelSource } from '../worker/protocol';
import { startComputeRunner } from './computeRunner';
import { createAppStore } from './store';

/** A result that names the compute it answers (in `computeMs`). */
function resultOf(requestId: number): RecommendResult {
  return { candidates: [], best: { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null }, pareto: [], computeMs: requestId };
}

/** A worker that answers like the real one (set-model → model-set with the arch named after the model) when told to. */
class ScriptedWorker implements WorkerLike {
  readonly posted: EngineRequest[] = [];
  private answered = 0;
  private listener: ((event: Event) => void) | null = null;
  postMessage(message: EngineRequest): void {
    this.posted.push(message);
  }
  terminate(): void {}
  addEventListener(type: string, listener: (event: Event) => void): void {
    if (type === 'message') this.listener = listener;
  }
  /** Answers the next message posted (the one in the worker). */
  answerNext(): void {
    const message = this.posted[this.answered];
    if (message === undefined) throw new Error('nothing in the worker');
    this.answered += 1;
    const response: EngineResponse =
      message.type === 'set-model'
        ? message.model.config === 'bad'
          ? { type: 'config-error', requestId: message.requestId, computeMs: 1, error: { kind: 'missing-field', field: 'hidden_size' } }
          : { type: 'model-set', requestId: message.requestId, computeMs: 1, arch: { ...LLAMA_31_8B, modelId: message.model.modelId } }
        : { type: 'computed', requestId: message.requestId, computeMs: 1, result: resultOf(message.requestId) };
    this.listener?.(new MessageEvent('message', { data: response }));
  }
  reply(response: EngineResponse): void {
    this.listener?.(new MessageEvent('message', { data: response }));
  }
  answerAll(): void {
    while (this.answered < this.posted.length) this.answerNext();
  }
  types(): string[] {
    return this.posted.map((m) => (m.type === 'set-model' ? `set-model ${m.model.modelId}${m.customGpus === undefined ? '' : ' +gpus'}` : 'compute'));
  }
}

function source(modelId: string, config: unknown = {}): ModelSource {
  return { modelId, config };
}

function setup(debounceMs = 10) {
  const worker = new ScriptedWorker();
  const engine = createEngineClient({ createWorker: () => worker });
  const store = createAppStore();
  store.getState().setModel({ status: 'ready', modelId: 'a', origin: 'pasted', source: source('a'), paramCountsError: null });
  const stop = startComputeRunner(store, { engine, debounceMs });
  return { store, worker, engine, stop };
}

describe('startComputeRunner', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the model once, and debounces a burst of input changes into one computation of the latest request', async () => {
    const { store, worker } = setup(100);
    for (const inputTokens of [1, 12, 123, 1234]) store.getState().setInput('inputTokens', inputTokens);
    expect(store.getState().results.status).toBe('computing');
    await vi.advanceTimersByTimeAsync(100);
    worker.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.types()).toEqual(['set-model a', 'compute']);
    const compute = worker.posted[1];
    expect(compute?.type === 'compute' ? compute.request.inputTokens : null).toBe(1234);
    expect(store.getState().results).toMatchObject({ status: 'ready', view: { arch: { modelId: 'a' }, request: { inputTokens: 1234 } } });
  });

  it('does not recompute when only the table sort changes', async () => {
    const { store, worker } = setup();
    await vi.advanceTimersByTimeAsync(10);
    worker.answerAll();
    store.getState().setInput('sort', { column: 'ttft', descending: true });
    await vi.advanceTimersByTimeAsync(10);
    expect(worker.types()).toEqual(['set-model a', 'compute']);
  });

  // The bug this guards: an answer for the model loaded before showed under the model loaded now.
  it('never applies an answer computed for a model that is no longer loaded', async () => {
    const { store, worker } = setup();
    await vi.advanceTimersByTimeAsync(10);
    worker.answerNext(); // model-set a; the compute for a is now in the worker
    store.getState().setModel({ status: 'loading', modelId: 'b' });
    expect(store.getState().results.status).toBe('idle');
    // Every results state set from here on (the runner resets to idle at once while no model is
    // ready, so the end state alone would hide a stale answer applied in between).
    const seen: string[] = [];
    const { setResults } = store.getState();
    store.setState({ setResults: (results) => (seen.push(results.status), setResults(results)) });
    worker.answerNext(); // a's answer arrives while b loads
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.filter((status) => status !== 'idle')).toEqual([]);
    store.getState().setModel({ status: 'ready', modelId: 'b', origin: 'pasted', source: source('b'), paramCountsError: null });
    await vi.advanceTimersByTimeAsync(10);
    worker.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.types()).toEqual(['set-model a', 'compute', 'set-model b', 'compute']);
    expect(store.getState().results).toMatchObject({ status: 'ready', view: { arch: { modelId: 'b' }, result: { computeMs: 4 } } });
  });

  it('drops a stale answer that arrives after a newer request was sent', async () => {
    const { store, worker } = setup();
    await vi.advanceTimersByTimeAsync(10);
    worker.answerNext(); // model-set
    store.getState().setInput('outputTokens', 7);
    await vi.advanceTimersByTimeAsync(10);
    worker.answerNext(); // the first compute's answer: superseded
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results.status).toBe('computing');
    worker.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results).toMatchObject({ status: 'ready', view: { request: { outputTokens: 7 }, result: { computeMs: 3 } } });
  });

  it('resends set-model (with the GPUs) when the custom GPU list changes, and recomputes', async () => {
    const { store, worker } = setup();
    await vi.advanceTimersByTimeAsync(10);
    worker.answerAll();
    store.getState().addCustomGpus([{ ...GPU_CATALOG[0], id: 'custom:Acme X1', name: 'Acme X1' }]);
    await vi.advanceTimersByTimeAsync(10);
    worker.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.types()).toEqual(['set-model a', 'compute', 'set-model a +gpus', 'compute']);
    expect(store.getState().results).toMatchObject({ status: 'ready', view: { result: { computeMs: 4 } } });
  });

  it('shows a rejected config as config-error for that model', async () => {
    const { store, worker } = setup();
    store.getState().setModel({ status: 'ready', modelId: 'bad', origin: 'hub', source: source('bad', 'bad'), paramCountsError: null });
    await vi.advanceTimersByTimeAsync(10);
    worker.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results).toMatchObject({ status: 'config-error', modelId: 'bad', error: { field: 'hidden_size' } });
  });

  it('shows an engine failure as failed', async () => {
    const worker = new ScriptedWorker();
    const engine = createEngineClient({ createWorker: () => worker });
    const store = createAppStore();
    store.getState().setModel({ status: 'ready', modelId: 'a', origin: 'pasted', source: source('a'), paramCountsError: null });
    startComputeRunner(store, { engine, debounceMs: 0 });
    await vi.advanceTimersByTimeAsync(0);
    worker.answerNext();
    const compute = worker.posted[1];
    if (compute === undefined) throw new Error('no compute sent');
    // What the worker posts when the engine throws.
    const crash: EngineResponse = { type: 'internal-error', requestId: compute.requestId, computeMs: 1, message: 'RangeError: boom' };
    worker.reply(crash);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results).toEqual({ status: 'failed', message: 'RangeError: boom' });
  });

  it('stopping drops the answer in flight', async () => {
    const { store, worker, stop } = setup();
    await vi.advanceTimersByTimeAsync(10);
    worker.answerNext();
    stop();
    worker.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results.status).toBe('computing');
  });
});

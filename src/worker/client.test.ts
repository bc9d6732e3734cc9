import { describe, expect, it } from 'vitest';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { DEFAULT_SERVING_OPTIONS } from '../engine/defaults';
import type { RecommendRequest, RecommendResult } from '../engine/types';
import { createEngineClient, type WorkerLike } from './client';
import type { EngineRequest, EngineResponse, ModelSource } from './protocol';

const MODEL: ModelSource = { modelId: 'org/model', config: { model_type: 'llama' } };
const REQUEST: RecommendRequest = {
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_SERVING_OPTIONS,
  slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: null,
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
};
const RESULT: RecommendResult = {
  candidates: [],
  best: { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null },
  pareto: [],
  computeMs: 1,
};

/** A worker that records what it is sent and answers only when the test says so. */
class FakeWorker implements WorkerLike {
  readonly posted: EngineRequest[] = [];
  terminated = false;
  private readonly listeners = new Map<string, ((event: Event) => void)[]>();

  postMessage(message: EngineRequest): void {
    this.posted.push(structuredClone(message));
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, event: Event): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  reply(response: EngineResponse): void {
    this.emit('message', new MessageEvent('message', { data: response }));
  }
  /** Answers request `requestId` as a success whose arch.modelId names it. */
  answer(requestId: number): void {
    const arch = { modelId: `answer-${requestId}` } as unknown as Extract<EngineResponse, { type: 'computed' }>['arch'];
    this.reply({ type: 'computed', requestId, computeMs: 2, arch, result: RESULT });
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = createEngineClient({
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
  });
  return { client, workers, worker: () => workers[workers.length - 1] as FakeWorker };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createEngineClient', () => {
  it('creates the worker lazily, sends increasing requestIds and resolves with the answer and computeMs', async () => {
    const { client, workers, worker } = setup();
    expect(workers).toHaveLength(0);
    const first = client.compute(MODEL, REQUEST);
    expect(worker().posted).toEqual([{ type: 'compute', requestId: 1, model: MODEL, request: REQUEST }]);
    worker().answer(1);
    expect(await first).toMatchObject({ status: 'ok', arch: { modelId: 'answer-1' }, result: RESULT, computeMs: 2 });
    const second = client.compute(MODEL, REQUEST);
    expect(worker().posted[1]?.requestId).toBe(2);
    worker().answer(2);
    expect(await second).toMatchObject({ status: 'ok', arch: { modelId: 'answer-2' } });
    expect(workers).toHaveLength(1);
  });

  it('resolves a superseded compute with superseded and drops its late answer', async () => {
    const { client, worker } = setup();
    const first = client.compute(MODEL, REQUEST);
    const second = client.compute(MODEL, REQUEST);
    expect(await first).toEqual({ status: 'superseded' });
    // Request 1 is still in the worker; request 2 waits behind it.
    expect(worker().posted.map((m) => m.requestId)).toEqual([1]);
    worker().answer(1); // stale: dropped, and request 2 goes in
    expect(worker().posted.map((m) => m.requestId)).toEqual([1, 2]);
    worker().answer(2);
    expect(await second).toMatchObject({ status: 'ok', arch: { modelId: 'answer-2' } });
  });

  it('keeps only the newest waiting request while the worker is busy (slider drag)', async () => {
    const { client, worker } = setup();
    const outcomes = [1, 2, 3, 4].map(() => client.compute(MODEL, REQUEST));
    worker().answer(1);
    // 2 and 3 were replaced before reaching the worker; only 4 follows 1.
    expect(worker().posted.map((m) => m.requestId)).toEqual([1, 4]);
    worker().answer(4);
    const settled = await Promise.all(outcomes);
    expect(settled.map((o) => o.status)).toEqual(['superseded', 'superseded', 'superseded', 'ok']);
  });

  it('ignores answers for unknown requestIds and malformed messages', async () => {
    const { client, worker } = setup();
    const pending = client.compute(MODEL, REQUEST);
    worker().answer(99);
    worker().emit('message', new MessageEvent('message', { data: { type: 'computed' } }));
    worker().emit('message', new MessageEvent('message', { data: 'hello' }));
    let settled = false;
    void pending.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    worker().answer(1);
    expect(await pending).toMatchObject({ status: 'ok' });
  });

  it('passes config errors and engine failures through as typed outcomes', async () => {
    const { client, worker } = setup();
    const bad = client.compute(MODEL, REQUEST);
    worker().reply({ type: 'config-error', requestId: 1, computeMs: 0.5, error: { kind: 'missing-field', field: 'hidden_size' } });
    expect(await bad).toEqual({ status: 'config-error', error: { kind: 'missing-field', field: 'hidden_size' }, computeMs: 0.5 });
    const crash = client.compute(MODEL, REQUEST);
    worker().reply({ type: 'internal-error', requestId: 2, computeMs: 0.1, message: 'RangeError: boom' });
    expect(await crash).toEqual({ status: 'failed', message: 'RangeError: boom' });
  });

  it('fails the pending compute when the worker errors, then starts a fresh worker', async () => {
    const { client, workers, worker } = setup();
    const pending = client.compute(MODEL, REQUEST);
    const broken = worker();
    broken.emit('error', new Event('error'));
    expect(await pending).toEqual({ status: 'failed', message: 'engine worker error' });
    expect(broken.terminated).toBe(true);
    const retry = client.compute(MODEL, REQUEST);
    expect(workers).toHaveLength(2);
    worker().answer(2);
    expect(await retry).toMatchObject({ status: 'ok' });
  });

  it('dispose terminates the worker, supersedes the pending compute and fails later ones', async () => {
    const { client, worker } = setup();
    const pending = client.compute(MODEL, REQUEST);
    client.dispose();
    expect(await pending).toEqual({ status: 'superseded' });
    expect(worker().terminated).toBe(true);
    expect(await client.compute(MODEL, REQUEST)).toEqual({ status: 'failed', message: 'engine client disposed' });
  });

  it('fails the compute when the message cannot be cloned', async () => {
    const client = createEngineClient({
      createWorker: () => ({
        postMessage: () => {
          throw new DOMException('could not be cloned', 'DataCloneError');
        },
        terminate: () => undefined,
        addEventListener: () => undefined,
      }),
    });
    expect(await client.compute(MODEL, REQUEST)).toEqual({ status: 'failed', message: 'could not be cloned' });
  });
  it('sends the custom GPUs with the request (structured clone), and no field at all when there are none', () => {
    const { client, worker } = setup();
    const custom = { ...GPU_CATALOG[0], id: 'custom:Acme X1', name: 'Acme X1' };
    void client.compute(MODEL, REQUEST, [custom]);
    expect(worker().posted[0]).toEqual({ type: 'compute', requestId: 1, model: MODEL, request: REQUEST, customGpus: [custom] });
    void client.compute(MODEL, REQUEST, []);
    worker().answer(1);
    expect(worker().posted[1]).not.toHaveProperty('customGpus');
  });
});

import { describe, expect, it } from 'vitest';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../engine/defaults';
import { LLAMA_31_8B } from '../engine/testArchs';
import type { ModelArch, RecommendRequest, RecommendResult } from '../engine/types';
import { createEngineClient, type WorkerLike } from './client';
import type { EngineRequest, EngineResponse, ModelSource } from './protocol';
import type { DisaggRow } from '../engine/disagg/disaggRows';

const MODEL: ModelSource = { modelId: 'org/model', config: { model_type: 'llama' } };
const OTHER: ModelSource = { modelId: 'org/other', config: { model_type: 'qwen3' } };
const REQUEST: RecommendRequest = {
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_RESOLVED_SERVING_OPTIONS,
  slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: null,
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
};
const CUSTOM = { ...GPU_CATALOG[0], id: 'custom:Acme X1', name: 'Acme X1' };

/** A result that names the compute it answers (in `computeMs`), so a test can tell answers apart. */
function resultOf(requestId: number): RecommendResult {
  return { candidates: [], best: { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null }, pareto: [], computeMs: requestId };
}

/** A P/D row with no plan: the client only moves it. */
function disaggRowOf(prefillGpuId: string, decodeGpuId: string): DisaggRow {
  return { prefillGpuId, decodeGpuId, status: 'over-gpu-budget', plan: null, aggregated: null, sloPercentile: 99, ignored: [], simulations: 0, computeMs: 0 };
}

function archOf(modelId: string): ModelArch {
  return { ...LLAMA_31_8B, modelId };
}

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
  /** What the worker would answer to the message it was sent with this requestId. */
  answer(requestId: number): void {
    const message = this.posted.find((m) => m.requestId === requestId);
    if (message === undefined) throw new Error(`request ${requestId} was never posted`);
    if (message.type === 'set-model') this.reply({ type: 'model-set', requestId, computeMs: 5, arch: archOf(message.model.modelId) });
    else if (message.type === 'capacity' || message.type === 'fix-check') this.reply({ type: 'capacity-planned', requestId, computeMs: 3, plan: null });
    else if (message.type === 'rate-curve') this.reply({ type: 'rate-curve-computed', requestId, computeMs: 3, points: [] });
    else if (message.type === 'disagg-pair') this.reply({ type: 'disagg-pair-computed', requestId, computeMs: 4, row: disaggRowOf(message.pair.prefillGpuId, message.pair.decodeGpuId) });
    else this.reply({ type: 'computed', requestId, computeMs: 2, result: resultOf(requestId) });
  }
  /** Answers every message not answered yet, in order, the way the worker's loop does. */
  answerAll(): void {
    while (this.answered < this.posted.length) {
      this.answered += 1;
      this.answer(this.posted[this.answered - 1]?.requestId ?? -1);
    }
  }
  answered = 0;
  summary(): string[] {
    return this.posted.map((m) => `${m.type} ${m.requestId}${m.type === 'set-model' ? ` ${m.model.modelId}` : ''}`);
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
  it('sends the model once (set-model), then computes carrying only the request; the outcome has the arch from model-set', async () => {
    const { client, workers, worker } = setup();
    expect(workers).toHaveLength(0);
    client.setModel(MODEL);
    expect(worker().posted).toEqual([{ type: 'set-model', requestId: 1, model: MODEL }]);
    const first = client.compute(REQUEST);
    // One message in the worker at a time: the compute waits for the model.
    expect(worker().posted).toHaveLength(1);
    worker().answer(1);
    expect(worker().posted[1]).toEqual({ type: 'compute', requestId: 2, request: REQUEST });
    worker().answer(2);
    expect(await first).toEqual({ status: 'ok', arch: archOf('org/model'), result: resultOf(2), computeMs: 2 });
    const second = client.compute({ ...REQUEST, outputTokens: 7 });
    expect(worker().posted[2]).toEqual({ type: 'compute', requestId: 3, request: { ...REQUEST, outputTokens: 7 } });
    worker().answer(3);
    expect(await second).toMatchObject({ status: 'ok', arch: { modelId: 'org/model' }, result: resultOf(3) });
    expect(workers).toHaveLength(1);
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2', 'compute 3']);
  });

  it('setModel with the same model and GPU list sends nothing and keeps the pending compute', async () => {
    const { client, worker } = setup();
    const gpus = [CUSTOM];
    client.setModel(MODEL, gpus);
    const pending = client.compute(REQUEST);
    client.setModel(MODEL, gpus);
    worker().answerAll();
    expect(await pending).toMatchObject({ status: 'ok' });
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2']);
  });

  it('resends set-model when the custom GPU list changes, with the GPUs, and no field at all when there are none', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL, [CUSTOM]);
    expect(worker().posted[0]).toEqual({ type: 'set-model', requestId: 1, model: MODEL, customGpus: [CUSTOM] });
    void client.compute(REQUEST);
    worker().answerAll();
    client.setModel(MODEL, []);
    const after = client.compute(REQUEST);
    worker().answerAll();
    expect(worker().posted[2]).toEqual({ type: 'set-model', requestId: 3, model: MODEL });
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2', 'set-model 3 org/model', 'compute 4']);
    expect(await after).toMatchObject({ status: 'ok', result: resultOf(4) });
  });

  it('resolves a superseded compute with superseded and drops its late answer', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL);
    worker().answer(1);
    const first = client.compute(REQUEST);
    const second = client.compute(REQUEST);
    expect(await first).toEqual({ status: 'superseded' });
    // Request 2 is still in the worker; request 3 waits behind it.
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2']);
    worker().answer(2); // stale: dropped, and request 3 goes in
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2', 'compute 3']);
    worker().answer(3);
    expect(await second).toMatchObject({ status: 'ok', result: resultOf(3) });
  });

  it('keeps only the newest waiting compute while the worker is busy (slider drag)', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL);
    const outcomes = [1, 2, 3, 4].map(() => client.compute(REQUEST));
    worker().answer(1);
    // Computes 2, 3 and 4 were replaced before reaching the worker; only 5 follows the model.
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 5']);
    worker().answer(5);
    const settled = await Promise.all(outcomes);
    expect(settled.map((o) => o.status)).toEqual(['superseded', 'superseded', 'superseded', 'ok']);
  });

  // The bug this guards: an answer computed for the previous model shown under the new model's arch.
  it('a compute after a new set-model never returns the old model answer', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL);
    worker().answer(1);
    const old = client.compute(REQUEST); // compute 2, in the worker
    client.setModel(OTHER);
    expect(await old).toEqual({ status: 'superseded' });
    const fresh = client.compute(REQUEST);
    worker().answer(2); // the old model's answer arrives late: dropped
    let settled = false;
    void fresh.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2', 'set-model 3 org/other']);
    worker().answer(3);
    expect(worker().summary().at(-1)).toBe('compute 4');
    worker().answer(4);
    expect(await fresh).toEqual({ status: 'ok', arch: archOf('org/other'), result: resultOf(4), computeMs: 2 });
  });

  it('a set-model superseded by another is answered but its arch is not used', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL);
    client.setModel(OTHER);
    const pending = client.compute(REQUEST);
    worker().answerAll();
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'set-model 2 org/other', 'compute 3']);
    expect(await pending).toMatchObject({ status: 'ok', arch: { modelId: 'org/other' } });
  });

  it('setModel(null) supersedes the pending compute and later computes fail until a model is set', async () => {
    const { client, worker } = setup();
    expect(await client.compute(REQUEST)).toEqual({ status: 'failed', message: 'no model set' });
    client.setModel(MODEL);
    const pending = client.compute(REQUEST);
    client.setModel(null);
    expect(await pending).toEqual({ status: 'superseded' });
    worker().answerAll(); // the model-set and nothing else: the compute never left the client
    expect(worker().summary()).toEqual(['set-model 1 org/model']);
    expect(await client.compute(REQUEST)).toEqual({ status: 'failed', message: 'no model set' });
  });

  it('ignores answers for unknown requestIds and malformed messages', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL);
    const pending = client.compute(REQUEST);
    worker().reply({ type: 'model-set', requestId: 99, computeMs: 1, arch: archOf('stray') });
    worker().emit('message', new MessageEvent('message', { data: { type: 'computed' } }));
    worker().emit('message', new MessageEvent('message', { data: 'hello' }));
    expect(worker().posted).toHaveLength(1);
    worker().answerAll();
    expect(await pending).toMatchObject({ status: 'ok', arch: { modelId: 'org/model' } });
  });

  it('a config error from set-model settles the compute as config-error, and later computes of that model without the worker', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL);
    const bad = client.compute(REQUEST);
    worker().reply({ type: 'config-error', requestId: 1, computeMs: 0.5, error: { kind: 'missing-field', field: 'hidden_size' } });
    expect(await bad).toEqual({ status: 'config-error', error: { kind: 'missing-field', field: 'hidden_size' }, computeMs: 0.5 });
    expect(await client.compute(REQUEST)).toEqual({ status: 'config-error', error: { kind: 'missing-field', field: 'hidden_size' }, computeMs: 0.5 });
    expect(worker().summary()).toEqual(['set-model 1 org/model']);
    // Another model (or the same one fetched again, a new object) is sent and computed.
    client.setModel({ ...MODEL });
    const retried = client.compute(REQUEST);
    worker().answerAll();
    expect(await retried).toMatchObject({ status: 'ok' });
  });

  it('passes engine failures through as failed: a compute that threw, and a set-model that threw (sent again on the next compute)', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL);
    worker().answer(1);
    const crash = client.compute(REQUEST);
    worker().reply({ type: 'internal-error', requestId: 2, computeMs: 0.1, message: 'RangeError: boom' });
    expect(await crash).toEqual({ status: 'failed', message: 'RangeError: boom' });

    client.setModel(OTHER);
    const crashModel = client.compute(REQUEST);
    worker().reply({ type: 'internal-error', requestId: 3, computeMs: 0.1, message: 'TypeError: bad config' });
    expect(await crashModel).toEqual({ status: 'failed', message: 'TypeError: bad config' });
    const again = client.compute(REQUEST);
    expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2', 'set-model 3 org/other', 'set-model 5 org/other']);
    worker().answer(5);
    worker().answer(6);
    expect(await again).toMatchObject({ status: 'ok', arch: { modelId: 'org/other' } });
  });

  it('fails the pending compute when the worker errors, then starts a fresh worker and sends the model again', async () => {
    const { client, workers, worker } = setup();
    client.setModel(MODEL);
    worker().answer(1);
    const pending = client.compute(REQUEST);
    const broken = worker();
    broken.emit('error', new Event('error'));
    expect(await pending).toEqual({ status: 'failed', message: 'engine worker error' });
    expect(broken.terminated).toBe(true);
    const retry = client.compute(REQUEST);
    expect(workers).toHaveLength(2);
    expect(worker().summary()).toEqual(['set-model 3 org/model']);
    worker().answerAll();
    expect(await retry).toMatchObject({ status: 'ok', result: resultOf(4) });
  });

  it('dispose terminates the worker, supersedes the pending compute and fails later ones', async () => {
    const { client, worker } = setup();
    client.setModel(MODEL);
    const pending = client.compute(REQUEST);
    client.dispose();
    expect(await pending).toEqual({ status: 'superseded' });
    expect(worker().terminated).toBe(true);
    client.setModel(OTHER);
    expect(await client.compute(REQUEST)).toEqual({ status: 'failed', message: 'engine client disposed' });
  });

  it('fails the compute when the model cannot be cloned', async () => {
    const client = createEngineClient({
      createWorker: () => ({
        postMessage: () => {
          throw new DOMException('could not be cloned', 'DataCloneError');
        },
        terminate: () => undefined,
        addEventListener: () => undefined,
      }),
    });
    client.setModel(MODEL);
    expect(await client.compute(REQUEST)).toEqual({ status: 'failed', message: 'could not be cloned' });
  });

  describe('row simulations (capacity, rate-curve): background work behind set-model and compute', () => {
    const TARGET = { ratePerS: 10, burstiness: 1, slo: { percentile: 99 as const, maxTtftMs: 2000, maxItlMs: null, maxE2eMs: null } };
    const LAYOUT = { tp: 1, pp: 1, dp: 1, ep: false };

    it('waits for the model and the compute, then answers with the plan', async () => {
      const { client, worker } = setup();
      client.setModel(MODEL);
      const computed = client.compute(REQUEST);
      const plan = client.capacity(REQUEST, TARGET, 'H100', LAYOUT);
      worker().answerAll();
      await computed;
      worker().answerAll();
      expect(await plan).toEqual({ status: 'ok', value: null, computeMs: 3 });
      expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2', 'capacity 3']);
    });

    it('latest input wins: a compute supersedes a pending row simulation, a newer one of the same kind too, another kind not', async () => {
      const { client, worker } = setup();
      client.setModel(MODEL);
      void client.compute(REQUEST);
      worker().answerAll();
      await flush();
      const first = client.capacity(REQUEST, TARGET, 'H100', LAYOUT);
      const second = client.capacity(REQUEST, TARGET, 'L40S', LAYOUT);
      const curve = client.rateCurve(REQUEST, TARGET, 'H100', LAYOUT);
      expect(await first).toEqual({ status: 'superseded' });
      const next = client.compute({ ...REQUEST, outputTokens: 9 });
      expect(await second).toEqual({ status: 'superseded' });
      expect(await curve).toEqual({ status: 'superseded' });
      worker().answerAll();
      expect(await next).toMatchObject({ status: 'ok' });
      // The first capacity was already in the worker; the others never left the client.
      expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2', 'capacity 3', 'compute 6']);
    });

    it("the selected row's fix check has its own latest-wins slot: a newer check supersedes it, a capacity row does not", async () => {
      const { client, worker } = setup();
      client.setModel(MODEL);
      void client.compute(REQUEST);
      worker().answerAll();
      await flush();
      const row = client.capacity(REQUEST, TARGET, 'H100', LAYOUT);
      const first = client.fixCheck(REQUEST, TARGET, 'H100', LAYOUT);
      const second = client.fixCheck({ ...REQUEST, slo: { ...REQUEST.slo, maxItlMs: 80 } }, TARGET, 'H100', LAYOUT);
      expect(await first).toEqual({ status: 'superseded' });
      worker().answerAll();
      await flush();
      worker().answerAll();
      expect(await row).toEqual({ status: 'ok', value: null, computeMs: 3 });
      expect(await second).toEqual({ status: 'ok', value: null, computeMs: 3 });
      expect(worker().summary()).toEqual(['set-model 1 org/model', 'compute 2', 'capacity 3', 'fix-check 5']);
    });

    it('a P/D pair is background work with its own latest-wins slot: a newer pair supersedes it, a capacity row does not (issue 12)', async () => {
      const { client, worker } = setup();
      client.setModel(MODEL);
      void client.compute(REQUEST);
      worker().answerAll();
      await flush();
      const first = client.disaggPair({ request: REQUEST, target: TARGET, prefillGpuId: 'H100', decodeGpuId: 'H100' });
      const second = client.disaggPair({ request: REQUEST, target: TARGET, prefillGpuId: 'L40S', decodeGpuId: 'H100' });
      const plan = client.capacity(REQUEST, TARGET, 'H100', LAYOUT);
      // The first was already in the worker: its answer is dropped for the newer one.
      expect(await first).toEqual({ status: 'superseded' });
      worker().answerAll();
      expect(await second).toEqual({ status: 'ok', value: disaggRowOf('L40S', 'H100'), computeMs: 4 });
      expect(await plan).toMatchObject({ status: 'ok' });
    });

    it('a rejected model fails row simulations instead of leaving them waiting', async () => {
      const { client, worker } = setup();
      client.setModel(MODEL);
      const plan = client.capacity(REQUEST, TARGET, 'H100', LAYOUT);
      worker().reply({ type: 'config-error', requestId: 1, computeMs: 1, error: { kind: 'missing-field', field: 'hidden_size' } });
      expect(await plan).toMatchObject({ status: 'superseded' });
      expect(await client.capacity(REQUEST, TARGET, 'H100', LAYOUT)).toMatchObject({ status: 'failed' });
    });
  });
});

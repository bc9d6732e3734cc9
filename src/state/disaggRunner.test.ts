import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../engine/session';
import { LLAMA_31_8B } from '../engine/testArchs';
import type { DisaggPairRequest, DisaggRow } from '../engine/disagg/disaggRows';
import type { RowSimulationOutcome } from '../worker/protocol';
import { disaggAskOf, MAX_PAGE_DISAGG_GPUS_PER_ROLE } from './disagg';
import { startDisaggRunner } from './disaggRunner';
import { buildRecommendRequest } from './selectors';
import { DEFAULT_INPUTS, type Inputs } from './inputs';
import { createAppStore } from './store';
import { EMPTY_DISAGG } from './slices';

const session = createEngineSession(LLAMA_31_8B);
const INPUTS: Inputs = { ...DEFAULT_INPUTS, inputTokens: 512, outputTokens: 128, gpuIds: ['H100', 'L40S'], maxGpus: 4, loadKind: 'rate', ratePerS: 5, servingShape: 'pd' };

/** A row stand-in: the runner only stores what the engine answers. */
const rowOf = (pair: DisaggPairRequest): DisaggRow => ({
  prefillGpuId: pair.prefillGpuId,
  decodeGpuId: pair.decodeGpuId,
  status: 'over-gpu-budget',
  plan: null,
  aggregated: null,
  sloPercentile: pair.target.slo.percentile,
  ignored: [],
  simulations: 0,
  computeMs: 0,
});

function deferredEngine() {
  const calls: { pair: DisaggPairRequest; answer: (outcome?: RowSimulationOutcome<DisaggRow>) => void }[] = [];
  return {
    calls,
    engine: {
      disaggPair: (pair: DisaggPairRequest) =>
        new Promise<RowSimulationOutcome<DisaggRow>>((resolve) => {
          calls.push({ pair, answer: (outcome) => resolve(outcome ?? { status: 'ok', value: rowOf(pair), computeMs: 1 }) });
        }),
    },
  };
}

function readyStore(inputs: Inputs) {
  const store = createAppStore({ inputs });
  const request = buildRecommendRequest(inputs);
  store.getState().setResults({ status: 'ready', view: { arch: LLAMA_31_8B, request, result: session.recommend(request), computeMs: 1 } });
  return store;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('disaggAskOf', () => {
  it('is off for aggregated serving, needs-rate for P/D with a concurrency load (no plan at a made-up rate)', () => {
    expect(disaggAskOf({ ...INPUTS, servingShape: 'aggregated' }, null).status).toBe('off');
    expect(disaggAskOf({ ...INPUTS, loadKind: 'concurrency' }, null).status).toBe('needs-rate');
    expect(disaggAskOf(INPUTS, null).status).toBe('waiting');
  });

  it('pairs the GPU filter’s types, same-type pairs first; a chosen pool overrides it; larger sets keep the cheapest ranked types', () => {
    const store = readyStore(INPUTS);
    const view = store.getState().results;
    if (view.status !== 'ready') throw new Error('unreachable');
    const ask = disaggAskOf(INPUTS, view.view);
    if (ask.status !== 'ready') throw new Error(`ask ${ask.status}`);
    expect(ask.pairs.map((p) => p.key)).toEqual(['H100>H100', 'L40S>L40S', 'H100>L40S', 'L40S>H100']);
    expect(ask.prefillSource).toBe('filter');
    const chosen = disaggAskOf({ ...INPUTS, prefillGpuIds: ['L40S'], decodeGpuIds: ['H100'] }, view.view);
    expect(chosen.status === 'ready' ? chosen.pairs.map((p) => p.key) : []).toEqual(['L40S>H100']);
    const all = disaggAskOf({ ...INPUTS, gpuIds: null }, { ...view.view, result: session.recommend(buildRecommendRequest({ ...INPUTS, gpuIds: null })) });
    if (all.status !== 'ready') throw new Error('unreachable');
    expect(all.prefillSource).toBe('ranking');
    expect(all.prefillGpuIds).toHaveLength(MAX_PAGE_DISAGG_GPUS_PER_ROLE);
    expect(all.filterGpuCount).toBeGreaterThan(MAX_PAGE_DISAGG_GPUS_PER_ROLE);
  });

  it('sends prefix caching to the P/D pools instead of leaving it out (the prefill pool models it)', () => {
    const inputs = { ...INPUTS, prefixHitRate: 0.5 };
    const store = readyStore(inputs);
    const r = store.getState().results;
    const ask = r.status === 'ready' ? disaggAskOf(inputs, r.view) : null;
    expect(ask?.status).toBe('ready');
    if (ask?.status !== 'ready') return;
    expect(ask.ignored).toEqual([]);
    expect(ask.request.serving.prefixCache?.hitRate).toBe(0.5);
  });

  it('names a speculative method the model cannot take (MTP on a config without MTP layers) before any pair is sized', () => {
    const inputs = { ...INPUTS, specMethod: 'mtp' as const };
    const store = readyStore(inputs);
    const r = store.getState().results;
    const ask = r.status === 'ready' ? disaggAskOf(inputs, r.view) : null;
    expect(ask?.status === 'ready' ? ask.ignored.join(' ') : '').toMatch(/^speculative decoding \(/);
  });
});

describe('startDisaggRunner', () => {
  it('sizes one pair at a time in the ask’s order, marking the pair in the worker, until all are in', async () => {
    const store = readyStore(INPUTS);
    const { engine, calls } = deferredEngine();
    const stop = startDisaggRunner(store, { engine });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.pair).toMatchObject({ prefillGpuId: 'H100', decodeGpuId: 'H100', target: { ratePerS: 5 } });
    expect(store.getState().disagg.simulating).toBe('H100>H100');
    for (let i = 0; i < 4; i += 1) {
      calls[i]?.answer();
      await flush();
    }
    expect(calls.map((c) => `${c.pair.prefillGpuId}>${c.pair.decodeGpuId}`)).toEqual(['H100>H100', 'L40S>L40S', 'H100>L40S', 'L40S>H100']);
    expect(Object.keys(store.getState().disagg.rows)).toHaveLength(4);
    expect(store.getState().disagg.simulating).toBeNull();
    stop();
  });

  it('sends the page’s routing with every pair, and a routing change is a new ask (rows sized under the old one are dropped)', async () => {
    const store = readyStore(INPUTS);
    const { engine, calls } = deferredEngine();
    const stop = startDisaggRunner(store, { engine });
    expect(calls[0]?.pair.routing).toBe('round-robin');
    calls[0]?.answer();
    await flush();
    expect(Object.keys(store.getState().disagg.rows)).toEqual(['H100>H100']);
    store.getState().setInput('disaggRouting', 'least-loaded');
    await flush();
    const last = calls[calls.length - 1];
    expect(last?.pair).toMatchObject({ prefillGpuId: 'H100', decodeGpuId: 'H100', routing: 'least-loaded' });
    expect(store.getState().disagg.rows).toEqual({});
    stop();
  });

  it('latest input wins: a new ask starts empty and the old answer is dropped; a failed pair is named, not retried', async () => {
    const store = readyStore(INPUTS);
    const { engine, calls } = deferredEngine();
    const stop = startDisaggRunner(store, { engine });
    const old = calls[0];
    // A new rate: a new request and target, so a new ask.
    const next = { ...INPUTS, ratePerS: 7 };
    store.getState().replaceInputs(next);
    const request = buildRecommendRequest(next);
    store.getState().setResults({ status: 'ready', view: { arch: LLAMA_31_8B, request, result: session.recommend(request), computeMs: 1 } });
    old?.answer();
    await flush();
    expect(store.getState().disagg.rows).toEqual({});
    const fresh = calls.find((c) => c.pair.target.ratePerS === 7);
    expect(fresh).toBeDefined();
    fresh?.answer({ status: 'failed', message: 'boom' });
    await flush();
    expect(store.getState().disagg.failed).toEqual({ 'H100>H100': 'boom' });
    expect(calls.filter((c) => c.pair.target.ratePerS === 7 && c.pair.prefillGpuId === 'H100' && c.pair.decodeGpuId === 'H100')).toHaveLength(1);
    // Back to aggregated: the P/D state is emptied.
    store.getState().setInput('servingShape', 'aggregated');
    expect(store.getState().disagg).toBe(EMPTY_DISAGG);
    stop();
  });
});

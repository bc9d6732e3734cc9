/**
 * Main-thread side of the engine worker. The one place where "latest request wins" (TanStack
 * worker/createTableWorker.ts, `handleResult`): only the latest compute() matters; an older pending
 * call resolves at once with { status: 'superseded' }, and any response whose requestId is not the
 * latest is dropped. setModel() supersedes too: no answer computed for a previous model (or while
 * none is loaded) ever reaches the caller.
 *
 * A model is sent once (set-model); the worker keeps it and each compute carries only the request.
 * The arch from the set-model answer is remembered here and handed out with every compute's result.
 *
 * At most one message is in the worker at a time, and at most one set-model and one compute wait
 * behind it: while the worker is busy, a newer compute() replaces the waiting one instead of queueing
 * every slider position. A waiting set-model goes first, so a compute always follows its model.
 */
import type { CapacityPlan, ConfigError, GpuSpec, Layout, ModelArch, RecommendRequest, TargetLoad } from '../engine/types';
import type { RateLatencyPoint } from '../engine/sim/capacity';
import type { DisaggPairRequest, DisaggRow } from '../engine/disagg/disaggRows';
import {
  isEngineResponse,
  type ComputeOutcome,
  type BackgroundRequestMessage,
  type ComputeRequestMessage,
  type EngineRequest,
  type EngineResponse,
  type ModelSource,
  type RowSimulationOutcome,
  type RowSimulationRequestMessage,
  type SetModelRequestMessage,
} from './protocol';

/** What the client needs of a Worker; a real `Worker` satisfies it, tests pass a fake. */
export interface WorkerLike {
  postMessage(message: EngineRequest): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
}

export interface EngineClientOptions {
  createWorker?: () => WorkerLike;
}

export interface EngineClient {
  /**
   * The model later computes are for; null when none is loaded. When the model or the custom GPU
   * list differs from the current one (by identity: the store replaces, never mutates, both), it
   * supersedes the pending compute and sends set-model; otherwise it does nothing.
   */
  setModel(model: ModelSource | null, customGpus?: readonly GpuSpec[]): void;
  /** Ranks GPU configurations for the current model; 'failed' when no model is set. */
  compute(request: RecommendRequest): Promise<ComputeOutcome>;
  /**
   * One row's capacity plan at a target load (background: sent only when no set-model or compute
   * waits). A newer capacity call, compute or model supersedes it.
   */
  capacity(request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout): Promise<RowSimulationOutcome<CapacityPlan | null>>;
  /**
   * The selected row's capacity plan with its fix applied (engine sloJudgement.ts fixCheckAtTarget
   * gives the arguments): background, like capacity, with its own latest-wins slot.
   */
  fixCheck(request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout): Promise<RowSimulationOutcome<CapacityPlan | null>>;
  /** One row's latency percentiles against the rate (background, like capacity; its own latest-wins slot). */
  rateCurve(request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout): Promise<RowSimulationOutcome<RateLatencyPoint[]>>;
  /** [disagg] One P/D GPU pair at the target rate (background, like capacity; its own latest-wins slot). */
  disaggPair(pair: DisaggPairRequest): Promise<RowSimulationOutcome<DisaggRow>>;
  /** Terminates the worker; a pending compute resolves 'superseded', later ones 'failed'. */
  dispose(): void;
}

type RowSimulationKind = BackgroundRequestMessage['type'];

/** A waiting or in-flight background job (row simulation or P/D pair): its message and who waits for the answer. */
interface RowJob {
  message: BackgroundRequestMessage;
  resolve: (response: EngineResponse | { type: 'superseded' } | { type: 'failed'; message: string }) => void;
  posted: boolean;
}

const NO_CUSTOM_GPUS: readonly GpuSpec[] = [];

/** What the worker said about the current model's set-model. */
type ModelAnswer =
  | { status: 'unanswered' }
  | { status: 'set'; arch: ModelArch }
  | { status: 'config-error'; error: ConfigError; computeMs: number };

interface CurrentModel {
  source: ModelSource;
  customGpus: readonly GpuSpec[];
  answer: ModelAnswer;
  /** requestId of the set-model sent (or waiting) for it to this worker; null: not sent yet. */
  setModelId: number | null;
}

function createEngineWorker(): WorkerLike {
  // This exact form lets Vite bundle the worker as its own ES module chunk.
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
}

function eventData(event: Event): unknown {
  return 'data' in event ? event.data : undefined;
}

function errorText(event: Event): string {
  const message = 'message' in event && typeof event.message === 'string' && event.message !== '' ? event.message : null;
  return message ?? `engine worker ${event.type}`;
}

export function createEngineClient(options: EngineClientOptions = {}): EngineClient {
  const createWorker = options.createWorker ?? createEngineWorker;
  let worker: WorkerLike | null = null;
  let lastRequestId = 0;
  let current: CurrentModel | null = null;
  /** The latest compute() not yet answered (always for the current model). */
  let pending: { requestId: number; resolve: (outcome: ComputeOutcome) => void } | null = null;
  /** requestId the worker is working on, if any. */
  let inFlightId: number | null = null;
  /** Messages waiting for the worker to be free: the current model's set-model, the newest compute. */
  let waitingSetModel: SetModelRequestMessage | null = null;
  let waitingCompute: ComputeRequestMessage | null = null;
  let disposed = false;
  /** The latest row simulation of each kind (background work, after set-model and compute). */
  const rowJobs = new Map<RowSimulationKind, RowJob>();

  const supersedeRows = (): void => {
    for (const job of rowJobs.values()) job.resolve({ type: 'superseded' });
    rowJobs.clear();
  };

  const settle = (outcome: ComputeOutcome): void => {
    const settled = pending;
    pending = null;
    settled?.resolve(outcome);
  };

  const discardWorker = (): void => {
    worker?.terminate();
    worker = null;
    inFlightId = null;
    waitingSetModel = null;
    waitingCompute = null;
    for (const job of rowJobs.values()) job.resolve({ type: 'failed', message: 'engine worker restarted' });
    rowJobs.clear();
    // A fresh worker knows no model: the next compute sends set-model again.
    if (current !== null) current.setModelId = null;
  };

  const post = (message: EngineRequest): void => {
    try {
      inFlightId = message.requestId;
      getWorker().postMessage(message);
    } catch (failure) {
      // DataCloneError (a config holding something structured clone refuses) or no Worker support.
      // The message was the current model's set-model or latest compute: the pending compute needs it.
      discardWorker();
      settle({ status: 'failed', message: failure instanceof Error ? failure.message : String(failure) });
    }
  };

  const pump = (): void => {
    if (inFlightId !== null) return;
    const next = waitingSetModel ?? waitingCompute;
    if (next === null) {
      // Background: a row simulation, only once the model is set (never ahead of a compute).
      if (current?.answer.status !== 'set') return;
      const job = [...rowJobs.values()].find((j) => !j.posted);
      if (job === undefined) return;
      job.posted = true;
      post(job.message);
      return;
    }
    if (next === waitingSetModel) waitingSetModel = null;
    else waitingCompute = null;
    post(next);
  };

  const sendModel = (model: CurrentModel): void => {
    lastRequestId += 1;
    model.setModelId = lastRequestId;
    model.answer = { status: 'unanswered' };
    waitingSetModel = {
      type: 'set-model',
      requestId: lastRequestId,
      model: model.source,
      ...(model.customGpus.length > 0 ? { customGpus: model.customGpus } : {}),
    };
  };

  /** An answer to the current model's set-model. */
  const onModelAnswer = (model: CurrentModel, response: EngineResponse): void => {
    switch (response.type) {
      case 'model-set':
        model.answer = { status: 'set', arch: response.arch };
        return;
      case 'config-error':
        model.answer = { status: 'config-error', error: response.error, computeMs: response.computeMs };
        waitingCompute = null;
        supersedeRows();
        settle({ status: 'config-error', error: response.error, computeMs: response.computeMs });
        return;
      case 'internal-error':
        // The engine threw on this config; the next compute tries set-model again.
        model.setModelId = null;
        waitingCompute = null;
        supersedeRows();
        settle({ status: 'failed', message: response.message });
        return;
      case 'computed':
      case 'capacity-planned':
      case 'rate-curve-computed':
      case 'disagg-pair-computed':
        return; // not an answer to set-model
      default: {
        const _exhaustive: never = response;
        return _exhaustive;
      }
    }
  };

  /** An answer to the pending compute. */
  const onComputeAnswer = (response: EngineResponse): void => {
    switch (response.type) {
      case 'computed': {
        const answer = current?.answer;
        // A compute is only sent after its model's set-model succeeded; anything else is a bug here.
        if (answer?.status !== 'set') settle({ status: 'failed', message: 'computed answer without a model set' });
        else settle({ status: 'ok', arch: answer.arch, result: response.result, computeMs: response.computeMs });
        return;
      }
      case 'internal-error':
        settle({ status: 'failed', message: response.message });
        return;
      case 'model-set':
      case 'config-error':
      case 'capacity-planned':
      case 'rate-curve-computed':
      case 'disagg-pair-computed':
        settle({ status: 'failed', message: `unexpected ${response.type} answer to compute` });
        return;
      default: {
        const _exhaustive: never = response;
        return _exhaustive;
      }
    }
  };

  const onMessage = (event: Event): void => {
    const data = eventData(event);
    if (!isEngineResponse(data) || data.requestId !== inFlightId) return;
    inFlightId = null;
    if (current !== null && data.requestId === current.setModelId) onModelAnswer(current, data);
    else if (pending !== null && data.requestId === pending.requestId) onComputeAnswer(data);
    else {
      for (const [kind, job] of rowJobs) {
        if (job.message.requestId !== data.requestId) continue;
        rowJobs.delete(kind);
        job.resolve(data);
      }
    }
    // else: an answer superseded by a newer compute or model, dropped.
    pump();
  };

  const onError = (event: Event): void => {
    // The worker script failed (load error, uncaught exception): start a fresh one on the next call.
    discardWorker();
    settle({ status: 'failed', message: errorText(event) });
  };

  function getWorker(): WorkerLike {
    if (worker === null) {
      const created = createWorker();
      created.addEventListener('message', onMessage);
      created.addEventListener('error', onError);
      created.addEventListener('messageerror', onError);
      worker = created;
    }
    return worker;
  }

  /** Sends (or queues) one row simulation; the previous one of its kind is superseded. */
  function rowSimulation<T>(
    type: RowSimulationKind,
    build: (requestId: number) => BackgroundRequestMessage,
    read: (response: EngineResponse) => T | undefined,
  ): Promise<RowSimulationOutcome<T>> {
    if (disposed) return Promise.resolve({ status: 'failed', message: 'engine client disposed' });
    rowJobs.get(type)?.resolve({ type: 'superseded' });
    rowJobs.delete(type);
    const model = current;
    if (model === null) return Promise.resolve({ status: 'failed', message: 'no model set' });
    if (model.answer.status === 'config-error') return Promise.resolve({ status: 'failed', message: 'the model was rejected' });
    if (model.setModelId === null) sendModel(model);
    lastRequestId += 1;
    const message = build(lastRequestId);
    return new Promise<RowSimulationOutcome<T>>((resolve) => {
      rowJobs.set(type, {
        message,
        posted: false,
        resolve: (response) => {
          if (response.type === 'superseded') resolve({ status: 'superseded' });
          else if (response.type === 'failed' || response.type === 'internal-error') resolve({ status: 'failed', message: response.message });
          else {
            const value = read(response);
            resolve(value === undefined ? { status: 'failed', message: `unexpected ${response.type} answer to ${type}` } : { status: 'ok', value, computeMs: response.computeMs });
          }
        },
      });
      pump();
    });
  }

  return {
    setModel(model, customGpus = NO_CUSTOM_GPUS) {
      if (disposed) return;
      if (model === current?.source && customGpus === current.customGpus) return;
      if (model === null && current === null) return;
      settle({ status: 'superseded' });
      supersedeRows();
      waitingCompute = null;
      waitingSetModel = null;
      current = model === null ? null : { source: model, customGpus, answer: { status: 'unanswered' }, setModelId: null };
      // Sent now, so the worker parses while the caller prepares its first compute.
      if (current !== null) {
        sendModel(current);
        pump();
      }
    },
    compute(request) {
      if (disposed) return Promise.resolve({ status: 'failed', message: 'engine client disposed' });
      settle({ status: 'superseded' });
      // Latest input wins: row simulations of the previous result are of no use any more.
      supersedeRows();
      const model = current;
      if (model === null) return Promise.resolve({ status: 'failed', message: 'no model set' });
      const { answer } = model;
      // A rejected config stays rejected: answer without the worker.
      if (answer.status === 'config-error') return Promise.resolve({ status: 'config-error', error: answer.error, computeMs: answer.computeMs });
      if (model.setModelId === null) sendModel(model);
      lastRequestId += 1;
      const message: ComputeRequestMessage = { type: 'compute', requestId: lastRequestId, request };
      return new Promise<ComputeOutcome>((resolve) => {
        pending = { requestId: message.requestId, resolve };
        waitingCompute = message;
        pump();
      });
    },
    capacity: (request, target, gpuId, layout) =>
      rowSimulation('capacity', (requestId): RowSimulationRequestMessage => ({ type: 'capacity', requestId, request, target, gpuId, layout }), (r) => (r.type === 'capacity-planned' ? r.plan : undefined)),
    fixCheck: (request, target, gpuId, layout) =>
      rowSimulation('fix-check', (requestId): RowSimulationRequestMessage => ({ type: 'fix-check', requestId, request, target, gpuId, layout }), (r) => (r.type === 'capacity-planned' ? r.plan : undefined)),
    rateCurve: (request, target, gpuId, layout) =>
      rowSimulation('rate-curve', (requestId): RowSimulationRequestMessage => ({ type: 'rate-curve', requestId, request, target, gpuId, layout }), (r) => (r.type === 'rate-curve-computed' ? r.points : undefined)),
    disaggPair: (pair) => rowSimulation('disagg-pair', (requestId) => ({ type: 'disagg-pair', requestId, pair }), (r) => (r.type === 'disagg-pair-computed' ? r.row : undefined)),
    dispose() {
      disposed = true;
      settle({ status: 'superseded' });
      supersedeRows();
      discardWorker();
      current = null;
    },
  };
}

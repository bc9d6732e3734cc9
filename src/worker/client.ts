/**
 * Main-thread side of the engine worker. Only the latest compute() matters: an older pending call
 * resolves at once with { status: 'superseded' }, and any response whose requestId is not the latest
 * is dropped (TanStack worker/createTableWorker.ts, `handleResult`).
 *
 * At most one request is in the worker at a time and at most one waits behind it: while the worker
 * is busy, a newer compute() replaces the waiting one instead of queueing every slider position.
 */
import type { GpuSpec, RecommendRequest } from '../engine/types';
import { isEngineResponse, type ComputeOutcome, type EngineRequest, type EngineResponse, type ModelSource } from './protocol';

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
  compute(model: ModelSource, request: RecommendRequest, customGpus?: readonly GpuSpec[]): Promise<ComputeOutcome>;
  /** Terminates the worker; a pending compute resolves 'superseded', later ones 'failed'. */
  dispose(): void;
}

function createEngineWorker(): WorkerLike {
  // This exact form lets Vite bundle the worker as its own ES module chunk.
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
}

function toOutcome(response: EngineResponse): ComputeOutcome {
  switch (response.type) {
    case 'computed':
      return { status: 'ok', arch: response.arch, result: response.result, computeMs: response.computeMs };
    case 'config-error':
      return { status: 'config-error', error: response.error, computeMs: response.computeMs };
    case 'internal-error':
      return { status: 'failed', message: response.message };
    default: {
      const _exhaustive: never = response;
      return _exhaustive;
    }
  }
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
  /** The latest compute() not yet answered. */
  let pending: { requestId: number; resolve: (outcome: ComputeOutcome) => void } | null = null;
  /** requestId the worker is working on, if any. */
  let inFlightId: number | null = null;
  /** Newest request waiting for the worker to be free. */
  let waiting: EngineRequest | null = null;
  let disposed = false;

  const settle = (outcome: ComputeOutcome): void => {
    const current = pending;
    pending = null;
    current?.resolve(outcome);
  };

  const discardWorker = (): void => {
    worker?.terminate();
    worker = null;
    inFlightId = null;
    waiting = null;
  };

  const post = (message: EngineRequest): void => {
    try {
      inFlightId = message.requestId;
      getWorker().postMessage(message);
    } catch (failure) {
      // DataCloneError (a config holding something structured clone refuses) or no Worker support.
      discardWorker();
      if (pending?.requestId === message.requestId) {
        settle({ status: 'failed', message: failure instanceof Error ? failure.message : String(failure) });
      }
    }
  };

  const onMessage = (event: Event): void => {
    const data = eventData(event);
    if (!isEngineResponse(data) || data.requestId !== inFlightId) return;
    inFlightId = null;
    if (pending !== null && data.requestId === pending.requestId) settle(toOutcome(data));
    // else: a superseded answer, dropped.
    const next = waiting;
    waiting = null;
    if (next !== null) post(next);
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

  return {
    compute(model, request, customGpus = []) {
      if (disposed) return Promise.resolve({ status: 'failed', message: 'engine client disposed' });
      settle({ status: 'superseded' });
      lastRequestId += 1;
      const message: EngineRequest = { type: 'compute', requestId: lastRequestId, model, request, ...(customGpus.length > 0 ? { customGpus } : {}) };
      return new Promise<ComputeOutcome>((resolve) => {
        pending = { requestId: message.requestId, resolve };
        if (inFlightId === null) post(message);
        else waiting = message;
      });
    },
    dispose() {
      disposed = true;
      settle({ status: 'superseded' });
      discardWorker();
    },
  };
}

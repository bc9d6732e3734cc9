/**
 * Messages between the main thread (client.ts) and the engine worker (engine.worker.ts). Unions on
 * `type`; every request carries a monotonically increasing `requestId`, every response echoes it and
 * reports `computeMs` (TanStack worker/tableWorkerProtocol.ts). Plain data only (structured clone).
 */
import type { ConfigError, GpuSpec, ModelArch, RecommendRequest, RecommendResult } from '../engine/types';
import type { ModelSource } from './compute';

export type { ModelSource } from './compute';

/**
 * Every user-added GPU's id starts with this, so it can never shadow a catalog id (the catalog's ids
 * have no ':'); the worker drops any custom GPU without it (compute.ts).
 */
export const CUSTOM_GPU_ID_PREFIX = 'custom:';

export const ENGINE_REQUEST_TYPES = ['compute'] as const;
export type EngineRequestType = (typeof ENGINE_REQUEST_TYPES)[number];

export const ENGINE_RESPONSE_TYPES = ['computed', 'config-error', 'internal-error'] as const;
export type EngineResponseType = (typeof ENGINE_RESPONSE_TYPES)[number];

export interface ComputeRequestMessage {
  type: 'compute';
  requestId: number;
  model: ModelSource;
  request: RecommendRequest;
  /** GPUs the user added (ids start with CUSTOM_GPU_ID_PREFIX), considered beside the catalog. */
  customGpus?: readonly GpuSpec[];
}
export type EngineRequest = ComputeRequestMessage;

export type EngineResponse =
  | { type: 'computed'; requestId: number; computeMs: number; arch: ModelArch; result: RecommendResult }
  | { type: 'config-error'; requestId: number; computeMs: number; error: ConfigError }
  /** The engine threw: a bug, reported instead of killing the worker. */
  | { type: 'internal-error'; requestId: number; computeMs: number; message: string };

/** What `compute()` resolves with on the main thread. */
export type ComputeOutcome =
  | { status: 'ok'; arch: ModelArch; result: RecommendResult; computeMs: number }
  | { status: 'config-error'; error: ConfigError; computeMs: number }
  /** A later compute() replaced this one before its answer arrived; ignore it. */
  | { status: 'superseded' }
  /** The worker failed (engine exception, script error) or the client was disposed. */
  | { status: 'failed'; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function hasRequestId(value: Record<string, unknown>): boolean {
  return typeof value.requestId === 'number' && Number.isInteger(value.requestId);
}

/** Shape check on what the worker receives (only the envelope: the engine validates the config). */
export function isEngineRequest(value: unknown): value is EngineRequest {
  return isRecord(value) && value.type === 'compute' && hasRequestId(value) && isRecord(value.model) && isRecord(value.request);
}

/** Shape check on what the client receives from the worker. */
export function isEngineResponse(value: unknown): value is EngineResponse {
  if (!isRecord(value) || !hasRequestId(value) || typeof value.computeMs !== 'number') return false;
  const type: unknown = value.type;
  return ENGINE_RESPONSE_TYPES.some((t) => t === type);
}

/**
 * Messages between the main thread (client.ts) and the engine worker (engine.worker.ts). Unions on
 * `type`; every request carries a monotonically increasing `requestId`, every response echoes it and
 * reports `computeMs` (TanStack worker/tableWorkerProtocol.ts). Plain data only (structured clone).
 *
 * A model crosses the boundary once: `set-model` carries the config (and the user's GPUs), the worker
 * parses it and keeps the ModelArch; each `compute` then carries only the request. The arch comes
 * back once, in `model-set`, and the client remembers it for the computes that follow.
 */
import type { CapacityPlan, ConfigError, GpuSpec, Layout, ModelArch, RecommendRequest, RecommendResult, SafetensorsParamCounts, TargetLoad } from '../engine/types';
import type { RateLatencyPoint } from '../engine/sim/capacity';
import type { DisaggPairRequest, DisaggRow } from '../engine/disagg/disaggRows';

/** A model to compute: what src/hub's fetchModelFiles returns, or a bundled / pasted config. */
export interface ModelSource {
  modelId: string;
  /** Parsed config.json (see parseConfigJson), still unvalidated. */
  config: unknown;
  safetensors?: SafetensorsParamCounts;
  hfQuantConfig?: unknown;
}

/**
 * Every user-added GPU's id starts with this, so it can never shadow a catalog id (the catalog's ids
 * have no ':'); the worker drops any custom GPU without it (compute.ts).
 */
export const CUSTOM_GPU_ID_PREFIX = 'custom:';

export const ENGINE_REQUEST_TYPES = ['set-model', 'compute', 'capacity', 'rate-curve', 'fix-check', 'disagg-pair'] as const;
export type EngineRequestType = (typeof ENGINE_REQUEST_TYPES)[number];

export const ENGINE_RESPONSE_TYPES = ['model-set', 'computed', 'config-error', 'internal-error', 'capacity-planned', 'rate-curve-computed', 'disagg-pair-computed'] as const;
export type EngineResponseType = (typeof ENGINE_RESPONSE_TYPES)[number];

/** Replaces the worker's model; the computes after it are for this model. */
export interface SetModelRequestMessage {
  type: 'set-model';
  requestId: number;
  model: ModelSource;
  /** GPUs the user added (ids start with CUSTOM_GPU_ID_PREFIX), considered beside the catalog. */
  customGpus?: readonly GpuSpec[];
}

/** Ranks GPU configurations for the model of the last successful set-model. */
export interface ComputeRequestMessage {
  type: 'compute';
  requestId: number;
  request: RecommendRequest;
}

/**
 * Simulation of one row at a target load (issue 10): what serving it takes (capacity), its latency
 * percentiles against the rate (rate-curve), or the capacity plan of the selected row with its fix
 * applied (fix-check: engine sloJudgement.ts fixCheckAtTarget gives the request, target and layout;
 * answered with 'capacity-planned'). Background work: the client sends them only when no set-model
 * or compute waits, and a newer compute or model supersedes them.
 */
export interface RowSimulationRequestMessage {
  type: 'capacity' | 'rate-curve' | 'fix-check';
  requestId: number;
  /** The closed-form request the row belongs to (serving settings, engine, lengths, prices). */
  request: RecommendRequest;
  target: TargetLoad;
  gpuId: string;
  layout: Layout;
}

/**
 * [disagg] One (prefill GPU, decode GPU) pair of a disaggregated P/D plan at the target rate
 * (engine/disagg/disaggRows.ts, ~0.5 s): background work like a row simulation, one pair per
 * message so a new input gets in between pairs (state/disaggRunner.ts).
 */
export interface DisaggPairRequestMessage {
  type: 'disagg-pair';
  requestId: number;
  pair: DisaggPairRequest;
}

/** Background jobs: row simulations and P/D pairs, each kind with its own latest-wins slot (client.ts). */
export type BackgroundRequestMessage = RowSimulationRequestMessage | DisaggPairRequestMessage;

export type EngineRequest = SetModelRequestMessage | ComputeRequestMessage | RowSimulationRequestMessage | DisaggPairRequestMessage;

export type EngineResponse =
  /** Answer to set-model: the config parsed; later computes use this arch. */
  | { type: 'model-set'; requestId: number; computeMs: number; arch: ModelArch }
  /** Answer to compute. */
  | { type: 'computed'; requestId: number; computeMs: number; result: RecommendResult }
  /** Answer to set-model: the config is not a model the engine handles; the worker now has none. */
  | { type: 'config-error'; requestId: number; computeMs: number; error: ConfigError }
  /**
   * The engine threw (a bug), or a compute came with no model set (a client bug): reported instead
   * of killing the worker. After a set-model that threw, the worker has no model.
   */
  | { type: 'internal-error'; requestId: number; computeMs: number; message: string }
  /** Answer to capacity and fix-check: null when the row does not fit. */
  | { type: 'capacity-planned'; requestId: number; computeMs: number; plan: CapacityPlan | null }
  /** Answer to rate-curve: [] when the row does not fit. */
  | { type: 'rate-curve-computed'; requestId: number; computeMs: number; points: RateLatencyPoint[] }
  /** Answer to disagg-pair. */
  | { type: 'disagg-pair-computed'; requestId: number; computeMs: number; row: DisaggRow };

/** What a row simulation resolves with on the main thread. */
export type RowSimulationOutcome<T> =
  | { status: 'ok'; value: T; computeMs: number }
  /** A newer compute, model or simulation of the same kind replaced it; ignore it. */
  | { status: 'superseded' }
  | { status: 'failed'; message: string };

/** What `compute()` resolves with on the main thread. */
export type ComputeOutcome =
  /** `arch` is the current model's, from its set-model answer. */
  | { status: 'ok'; arch: ModelArch; result: RecommendResult; computeMs: number }
  /** The current model's config was rejected; `computeMs` is the set-model's. */
  | { status: 'config-error'; error: ConfigError; computeMs: number }
  /** A later compute() or setModel() replaced this one before its answer arrived; ignore it. */
  | { status: 'superseded' }
  /** The worker failed (engine exception, script error), no model was set, or the client was disposed. */
  | { status: 'failed'; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function hasRequestId(value: Record<string, unknown>): boolean {
  return typeof value.requestId === 'number' && Number.isInteger(value.requestId);
}

/** Shape check on what the worker receives (only the envelope: the engine validates the config). */
export function isEngineRequest(value: unknown): value is EngineRequest {
  if (!isRecord(value) || !hasRequestId(value)) return false;
  switch (value.type) {
    case 'set-model':
      return isRecord(value.model) && typeof value.model.modelId === 'string' && (value.customGpus === undefined || Array.isArray(value.customGpus));
    case 'compute':
      return isRecord(value.request);
    case 'capacity':
    case 'rate-curve':
    case 'fix-check':
      return isRecord(value.request) && isRecord(value.target) && isRecord(value.layout) && typeof value.gpuId === 'string';
    case 'disagg-pair':
      return isRecord(value.pair) && isRecord(value.pair.request) && isRecord(value.pair.target) && typeof value.pair.prefillGpuId === 'string' && typeof value.pair.decodeGpuId === 'string';
    default:
      return false;
  }
}

/** Shape check on what the client receives from the worker. */
export function isEngineResponse(value: unknown): value is EngineResponse {
  if (!isRecord(value) || !hasRequestId(value) || typeof value.computeMs !== 'number') return false;
  const type: unknown = value.type;
  return ENGINE_RESPONSE_TYPES.some((t) => t === type);
}

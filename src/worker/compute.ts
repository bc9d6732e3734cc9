/**
 * The computation the worker runs, as plain functions (STYLE.md habit 1): set-model parses the
 * config once into a LoadedModel; each compute ranks GPU configurations with it. Pure and
 * synchronous, so Node tests call it directly; engine.worker.ts only moves messages in and out.
 */
import { parseConfig } from '../engine/arch/parseConfig';
import { createEngineSession } from '../engine/session';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { err, ok, type Result } from '../engine/result';
import type { CapacityPlan, ConfigError, GpuSpec, Layout, ModelArch, RecommendRequest, RecommendResult, TargetLoad } from '../engine/types';
import type { RateLatencyPoint } from '../engine/sim/capacity';
import { disaggPairRow, type DisaggPairRequest, type DisaggRow } from '../engine/disagg/disaggRows';
import { CUSTOM_GPU_ID_PREFIX, type EngineRequest, type EngineResponse, type ModelSource } from './protocol';

/**
 * What set-model leaves in the worker, and all a compute reads: the parsed model and its engine
 * session, whose caches make moving an input re-plan nothing (~10–30 ms instead of ~100–200 ms for
 * re-planning every GPU × layout).
 */
export interface LoadedModel {
  readonly arch: ModelArch;
  recommend(request: RecommendRequest): RecommendResult;
  /** One row at a target load (engine/recommendAtRate.ts candidateCapacityIn). */
  capacity(request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout): CapacityPlan | null;
  /** One row's latency percentiles against the rate (candidateRateCurveIn). */
  rateCurve(request: RecommendRequest, target: TargetLoad, gpuId: string, layout: Layout): RateLatencyPoint[];
  /** [disagg] One P/D GPU pair at the target rate (engine/disagg/disaggRows.ts over recommendDisagg, on this model's session). */
  disaggPair(pair: DisaggPairRequest): DisaggRow;
}

/**
 * The catalog plus the user's GPUs; undefined (recommend's default, the catalog) when there are none.
 * A custom GPU without the prefix could shadow a catalog row, so it is left out.
 */
export function gpusWithCustom(customGpus: readonly GpuSpec[] | undefined): readonly GpuSpec[] | undefined {
  const custom = (customGpus ?? []).filter((g) => g.id.startsWith(CUSTOM_GPU_ID_PREFIX));
  return custom.length === 0 ? undefined : [...GPU_CATALOG, ...custom];
}

/** The state one model keeps in the worker; the only place that decides how a compute calls the engine. */
export function createLoadedModel(arch: ModelArch, customGpus: readonly GpuSpec[] | undefined): LoadedModel {
  const gpus = gpusWithCustom(customGpus);
  // One engine session per set-model: its caches keep the memory plans across inputs.
  const session = createEngineSession(arch, gpus === undefined ? {} : { gpus });
  return {
    arch,
    recommend: (request) => session.recommendWithAdvice(request),
    capacity: (request, target, gpuId, layout) => session.candidateCapacity(request, target, gpuId, layout),
    rateCurve: (request, target, gpuId, layout) => session.rateCurve(request, target, gpuId, layout),
    disaggPair: (pair) => disaggPairRow(session, pair),
  };
}

/** Parses the config; a bad config is a value, not a throw. */
export function loadModel(model: ModelSource, customGpus?: readonly GpuSpec[]): Result<LoadedModel, ConfigError> {
  const arch = parseConfig(model.config, { modelId: model.modelId, safetensors: model.safetensors, hfQuantConfig: model.hfQuantConfig });
  return arch.ok ? ok(createLoadedModel(arch.value, customGpus)) : err(arch.error);
}

/** The worker's message handler: one request in, one response out. */
export type EngineRequestHandler = (message: EngineRequest) => EngineResponse;

/**
 * A handler holding the model of the last set-model. Never throws: an engine exception (a bug)
 * becomes an 'internal-error' response carrying the requestId, so the client can settle the right
 * promise; so does a compute with no model set.
 */
export function createEngineHandler(nowMs: () => number = () => performance.now()): EngineRequestHandler {
  let loaded: LoadedModel | null = null;

  return (message) => {
    const startMs = nowMs();
    const { requestId } = message;
    try {
      switch (message.type) {
        case 'set-model': {
          // Dropped first: after a rejected or crashing config, no compute may answer for the previous model.
          loaded = null;
          const outcome = loadModel(message.model, message.customGpus);
          if (!outcome.ok) return { type: 'config-error', requestId, computeMs: nowMs() - startMs, error: outcome.error };
          loaded = outcome.value;
          return { type: 'model-set', requestId, computeMs: nowMs() - startMs, arch: outcome.value.arch };
        }
        case 'compute': {
          if (loaded === null) return { type: 'internal-error', requestId, computeMs: nowMs() - startMs, message: 'compute before any model was set' };
          const result = loaded.recommend(message.request);
          return { type: 'computed', requestId, computeMs: nowMs() - startMs, result };
        }
        case 'capacity':
        case 'fix-check': {
          if (loaded === null) return { type: 'internal-error', requestId, computeMs: nowMs() - startMs, message: 'capacity before any model was set' };
          const plan = loaded.capacity(message.request, message.target, message.gpuId, message.layout);
          return { type: 'capacity-planned', requestId, computeMs: nowMs() - startMs, plan };
        }
        case 'rate-curve': {
          if (loaded === null) return { type: 'internal-error', requestId, computeMs: nowMs() - startMs, message: 'rate curve before any model was set' };
          const points = loaded.rateCurve(message.request, message.target, message.gpuId, message.layout);
          return { type: 'rate-curve-computed', requestId, computeMs: nowMs() - startMs, points };
        }
        case 'disagg-pair': {
          if (loaded === null) return { type: 'internal-error', requestId, computeMs: nowMs() - startMs, message: 'P/D pair before any model was set' };
          const row = loaded.disaggPair(message.pair);
          return { type: 'disagg-pair-computed', requestId, computeMs: nowMs() - startMs, row };
        }
        default: {
          const _exhaustive: never = message;
          return _exhaustive;
        }
      }
    } catch (failure) {
      const detail = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
      return { type: 'internal-error', requestId, computeMs: nowMs() - startMs, message: detail };
    }
  };
}
